/* pochta-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail cache: one SQLite database per profile, written by one worker thread, read on the main thread.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-folder.h"
#include "pochta-message-summary.h"
#include "pochta-sqlite.h"
#include "pochta-store-changes.h"
#include "pochta-store-records.h"
#include "pochta-store-transaction.h"
#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_STORE (pochta_store_get_type ())

G_DECLARE_FINAL_TYPE (PochtaStore, pochta_store, POCHTA, STORE, GObject)

char                 *pochta_store_get_default_path         (void);
void                  pochta_store_open_async               (const char             *path,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
PochtaStore          *pochta_store_open_finish              (GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_close_async              (PochtaStore            *self,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_close_finish             (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
const char           *pochta_store_get_path                 (PochtaStore            *self);
PochtaSqlite         *pochta_store_get_reader               (PochtaStore            *self);
PochtaSqlite         *pochta_store_require_reader           (PochtaStore            *self,
                                                              GError                **error);

/* Writes, each one job on the writer thread. */
void                  pochta_store_write_async              (PochtaStore            *self,
                                                             PochtaStoreWriteFunc    func,
                                                             gpointer                func_data,
                                                             GDestroyNotify          func_data_destroy,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_write_finish             (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_upsert_account_async     (PochtaStore            *self,
                                                             PochtaAccountRecord    *record,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gint64                pochta_store_upsert_account_finish    (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_remove_account_async     (PochtaStore            *self,
                                                             gint64                  account_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_remove_account_finish    (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_upsert_identity_async    (PochtaStore            *self,
                                                             PochtaIdentityRecord   *record,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gint64                pochta_store_upsert_identity_finish   (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_upsert_folder_async      (PochtaStore            *self,
                                                             PochtaFolderRecord     *record,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gint64                pochta_store_upsert_folder_finish     (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_remove_folder_async      (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_remove_folder_finish     (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_set_folder_sync_state_async  (PochtaStore            *self,
                                                                 gint64                  folder_id,
                                                                 guint32                 uidvalidity,
                                                                 guint32                 uidnext,
                                                                 guint64                 highestmodseq,
                                                                 PochtaFolderSyncState   state,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
gboolean              pochta_store_set_folder_sync_state_finish (PochtaStore            *self,
                                                                 GAsyncResult           *result,
                                                                 GError                **error);
void                  pochta_store_drop_folder_contents_async  (PochtaStore            *self,
                                                                gint64                  folder_id,
                                                                GCancellable           *cancellable,
                                                                GAsyncReadyCallback     callback,
                                                                gpointer                user_data);
gboolean              pochta_store_drop_folder_contents_finish (PochtaStore            *self,
                                                                GAsyncResult           *result,
                                                                GError                **error);
void                  pochta_store_add_message_summaries_async  (PochtaStore            *self,
                                                                 gint64                  folder_id,
                                                                 GPtrArray              *records,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
gboolean              pochta_store_add_message_summaries_finish (PochtaStore            *self,
                                                                 GAsyncResult           *result,
                                                                 GError                **error);
void                  pochta_store_update_flags_async       (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             GArray                 *updates,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_update_flags_finish      (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_change_flags_async       (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             PochtaMessageFlags      add,
                                                             PochtaMessageFlags      remove,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_change_flags_finish      (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_remove_uids_async        (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             GArray                 *uids,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_remove_uids_finish       (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_set_body_async           (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             GBytes                 *raw,
                                                             const char             *text,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_set_body_finish          (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void                  pochta_store_enqueue_pending_op_async (PochtaStore            *self,
                                                             gint64                  account_id,
                                                             const char             *kind,
                                                             const char             *payload,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gint64                pochta_store_enqueue_pending_op_finish (PochtaStore            *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void                  pochta_store_remove_pending_op_async  (PochtaStore            *self,
                                                             gint64                  op_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean              pochta_store_remove_pending_op_finish (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);

/* Reads on the main thread, from the snapshot of the last announced change. */
GPtrArray            *pochta_store_list_accounts            (PochtaStore            *self,
                                                             GError                **error);
GPtrArray            *pochta_store_list_identities          (PochtaStore            *self,
                                                             gint64                  account_id,
                                                             GError                **error);
GPtrArray            *pochta_store_list_folders             (PochtaStore            *self,
                                                             gint64                  account_id,
                                                             GError                **error);
PochtaFolder         *pochta_store_get_folder               (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             GError                **error);
gboolean              pochta_store_get_folder_counts        (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             guint                  *unread,
                                                             guint                  *total,
                                                             GError                **error);
PochtaMessageSummary *pochta_store_get_message              (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             GError                **error);
PochtaMessageSummary *pochta_store_get_message_by_uid       (PochtaStore            *self,
                                                             gint64                  folder_id,
                                                             guint32                 uid,
                                                             GError                **error);
GPtrArray            *pochta_store_list_attachments         (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             GError                **error);
GBytes               *pochta_store_get_body                 (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             GError                **error);
void                  pochta_store_get_body_async           (PochtaStore            *self,
                                                             gint64                  message_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
GBytes               *pochta_store_get_body_finish          (PochtaStore            *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
GPtrArray            *pochta_store_search                   (PochtaStore            *self,
                                                             const char             *text,
                                                             gint64                  folder_id,
                                                             guint                   limit,
                                                             GError                **error);
GPtrArray            *pochta_store_list_pending_ops         (PochtaStore            *self,
                                                             gint64                  account_id,
                                                             GError                **error);

G_END_DECLS
