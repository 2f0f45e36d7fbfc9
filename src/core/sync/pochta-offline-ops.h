/* pochta-offline-ops.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue: every user action is applied to the cache and
 * written to pending_ops in one transaction, then replayed in order
 * against the server when the account is online.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-imap-client.h"
#include "pochta-store.h"

G_BEGIN_DECLS

/* Each takes message row ids of one account and returns (through
 * pochta_offline_op_finish) once the cache shows the change and the
 * operation is queued. */
void      pochta_offline_set_flags_async    (PochtaStore          *store,
                                             gint64                account_id,
                                             GArray               *message_ids,
                                             PochtaMessageFlags    add,
                                             PochtaMessageFlags    remove,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void      pochta_offline_move_async         (PochtaStore          *store,
                                             gint64                account_id,
                                             GArray               *message_ids,
                                             gint64                dest_folder_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void      pochta_offline_copy_async         (PochtaStore          *store,
                                             gint64                account_id,
                                             GArray               *message_ids,
                                             gint64                dest_folder_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* To the account's Trash; messages already in Trash (or with no Trash
 * folder) are flagged \Deleted and expunged. */
void      pochta_offline_delete_async       (PochtaStore          *store,
                                             gint64                account_id,
                                             GArray               *message_ids,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void      pochta_offline_mark_all_read_async (PochtaStore         *store,
                                              gint64               account_id,
                                              gint64               folder_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void      pochta_offline_append_async       (PochtaStore          *store,
                                             gint64                account_id,
                                             gint64                folder_id,
                                             GBytes               *raw,
                                             PochtaMessageFlags    flags,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void      pochta_offline_create_folder_async (PochtaStore         *store,
                                              gint64               account_id,
                                              const char          *name,
                                              gint64               parent_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void      pochta_offline_rename_folder_async (PochtaStore         *store,
                                              gint64               account_id,
                                              gint64               folder_id,
                                              const char          *new_name,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void      pochta_offline_delete_folder_async (PochtaStore         *store,
                                              gint64               account_id,
                                              gint64               folder_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  pochta_offline_op_finish          (GAsyncResult         *result,
                                             GError              **error);

/* A one-line description of a queued operation for `pochta-cli pending`
 * and the UI ("Move 3 messages to Archive"). */
char     *pochta_offline_describe_op        (const PochtaPendingOp *op);

/* Sends the account's queued operations in order over @client (logged
 * in), removing each only after the server confirmed it. An operation on
 * messages that vanished meanwhile resolves to the server's truth and is
 * dropped; one the server refuses (NO) is dropped with a warning after
 * the cache is told to resync that folder. A connection error stops the
 * replay with the error and keeps the rest queued. Returns the number of
 * operations replayed. */
void      pochta_offline_replay_async       (PochtaImapClient     *client,
                                             PochtaStore          *store,
                                             gint64                account_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gssize    pochta_offline_replay_finish      (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
