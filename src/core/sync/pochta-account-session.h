/* pochta-account-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One IMAP account kept in step with its cache: connections, the order
 * in which sync, replay and body requests use them, IDLE and polling,
 * reconnects, and the account state the UI shows.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-account.h"
#include "pochta-store.h"

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  POCHTA_SESSION_SYNC_NONE   = 0,
  POCHTA_SESSION_SYNC_BODIES = 1 << 0,
} PochtaSessionSyncFlags;

#define POCHTA_TYPE_ACCOUNT_SESSION (pochta_account_session_get_type ())

G_DECLARE_FINAL_TYPE (PochtaAccountSession, pochta_account_session, POCHTA, ACCOUNT_SESSION, GObject)

/* Signals: "new-mail" (gint64 message_id): unread mail that arrived in
 * the Inbox after the session's first complete sync; "replayed" (): a
 * replay or sync ended, so the offline queue may have shrunk. */
PochtaAccountSession *pochta_account_session_new              (PochtaAccount          *account,
                                                               PochtaStore            *store,
                                                               gint64                  account_id);
PochtaAccount        *pochta_account_session_get_account      (PochtaAccountSession   *self);
gint64                pochta_account_session_get_account_id   (PochtaAccountSession   *self);
gboolean              pochta_account_session_is_online        (PochtaAccountSession   *self);

/* Stay in step: sync now, then IDLE on the Inbox, poll the rest, follow
 * the network and reconnect with backoff. */
void                  pochta_account_session_start            (PochtaAccountSession   *self);
gboolean              pochta_account_session_get_started      (PochtaAccountSession   *self);
void                  pochta_account_session_stop_async       (PochtaAccountSession   *self,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
void                  pochta_account_session_stop_finish      (PochtaAccountSession   *self,
                                                               GAsyncResult           *result);

/* One complete pass: replay, folder list, every folder (and every body
 * with POCHTA_SESSION_SYNC_BODIES). */
void                  pochta_account_session_sync_async       (PochtaAccountSession   *self,
                                                               PochtaSessionSyncFlags  flags,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
gboolean              pochta_account_session_sync_finish      (PochtaAccountSession   *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
/* Sends the offline queue now (connecting if needed). */
void                  pochta_account_session_replay_async     (PochtaAccountSession   *self,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
gboolean              pochta_account_session_replay_finish    (PochtaAccountSession   *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
/* A body not in the cache, ahead of every background job. */
void                  pochta_account_session_fetch_body_async (PochtaAccountSession   *self,
                                                               gint64                  message_id,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
GBytes               *pochta_account_session_fetch_body_finish (PochtaAccountSession  *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);
/* Started sessions: replay soon (after an action), sync soon (refresh). */
void                  pochta_account_session_request_replay   (PochtaAccountSession   *self);
void                  pochta_account_session_request_sync     (PochtaAccountSession   *self);

G_END_DECLS
