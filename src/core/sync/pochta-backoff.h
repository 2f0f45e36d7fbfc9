/* pochta-backoff.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reconnect delays: exponential backoff with jitter, pure and unit-tested.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PochtaBackoff PochtaBackoff;

PochtaBackoff *pochta_backoff_new           (guint          initial_ms,
                                             guint          max_ms,
                                             guint32        seed);
void           pochta_backoff_free          (PochtaBackoff *self);
guint          pochta_backoff_next_delay    (PochtaBackoff *self);
void           pochta_backoff_reset         (PochtaBackoff *self);
guint          pochta_backoff_get_attempts  (PochtaBackoff *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaBackoff, pochta_backoff_free)

G_END_DECLS
