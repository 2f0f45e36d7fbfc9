/* pochta-idle-watcher.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A connection of its own that holds IMAP IDLE on one folder and says
 * when the server reports a change there.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-server-config.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_IDLE_WATCHER (pochta_idle_watcher_get_type ())

G_DECLARE_FINAL_TYPE (PochtaIdleWatcher, pochta_idle_watcher, POCHTA, IDLE_WATCHER, GObject)

/* Signals: "changed" () when the folder changed on the server; "failed"
 * (GError *) when the watcher gave up (a refused login, IDLE not offered):
 * network errors are retried with backoff without a signal. */
PochtaIdleWatcher *pochta_idle_watcher_new        (PochtaServerConfig *server,
                                                   const char         *password,
                                                   const char         *mailbox);
void               pochta_idle_watcher_start      (PochtaIdleWatcher  *self);
void               pochta_idle_watcher_stop       (PochtaIdleWatcher  *self);
gboolean           pochta_idle_watcher_is_idling  (PochtaIdleWatcher  *self);

G_END_DECLS
