/* pochta-store-writes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaStore's ready-made async writes, each a job around one pochta_store_transaction_*() call.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-private.h"

/* One shape for every operation's task data: the few fields each needs. */
typedef struct
{
  gint64          id;
  gint64          result;
  guint64         number;
  guint32         uid_a;
  guint32         uid_b;
  int             state;
  guint           add;
  guint           remove;
  char           *text_a;
  char           *text_b;
  GBytes         *bytes;
  GPtrArray      *records;
  GArray         *array;
  gpointer        record;
  GDestroyNotify  record_free;
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->text_a, g_free);
  g_clear_pointer (&op->text_b, g_free);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_pointer (&op->records, g_ptr_array_unref);
  g_clear_pointer (&op->array, g_array_unref);
  if (op->record != NULL && op->record_free != NULL)
    op->record_free (op->record);
  g_free (op);
}

static Op *
op_new (void)
{
  return g_new0 (Op, 1);
}

static void
push (PochtaStore         *self,
      PochtaStoreJobFunc   func,
      Op                  *op,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  _pochta_store_push_job (self, POCHTA_STORE_JOB_WRITE, func, op, (GDestroyNotify) op_free,
                          source_tag, cancellable, callback, user_data);
}

static gint64
finish_id (PochtaStore   *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           GError       **error)
{
  Op *op;

  if (!_pochta_store_finish_job (self, result, source_tag, error))
    return 0;

  op = g_task_get_task_data (G_TASK (result));

  return op->result;
}

static gboolean
upsert_account_job (PochtaStoreTransaction  *txn,
                    gpointer                 data,
                    GError                 **error)
{
  Op *op = data;
  PochtaAccountRecord *record = op->record;

  if (!pochta_store_transaction_upsert_account (txn, record, error))
    return FALSE;
  op->result = record->id;
  return TRUE;
}

/* Takes @record; the finish returns the account id (new or given). */
void
pochta_store_upsert_account_async (PochtaStore          *self,
                                   PochtaAccountRecord  *record,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (record != NULL);

  op = op_new ();
  op->record = record;
  op->record_free = (GDestroyNotify) pochta_account_record_free;
  push (self, upsert_account_job, op, pochta_store_upsert_account_async, cancellable, callback, user_data);
}

gint64
pochta_store_upsert_account_finish (PochtaStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_id (self, result, pochta_store_upsert_account_async, error);
}

static gboolean
remove_account_job (PochtaStoreTransaction  *txn,
                    gpointer                 data,
                    GError                 **error)
{
  return pochta_store_transaction_remove_account (txn, ((Op *) data)->id, error);
}

void
pochta_store_remove_account_async (PochtaStore         *self,
                                   gint64               account_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = account_id;
  push (self, remove_account_job, op, pochta_store_remove_account_async, cancellable, callback, user_data);
}

gboolean
pochta_store_remove_account_finish (PochtaStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_remove_account_async, error);
}

static gboolean
upsert_identity_job (PochtaStoreTransaction  *txn,
                     gpointer                 data,
                     GError                 **error)
{
  Op *op = data;
  PochtaIdentityRecord *record = op->record;

  if (!pochta_store_transaction_upsert_identity (txn, record, error))
    return FALSE;
  op->result = record->id;
  return TRUE;
}

/* Takes @record; the finish returns the identity id. */
void
pochta_store_upsert_identity_async (PochtaStore          *self,
                                    PochtaIdentityRecord *record,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (record != NULL);

  op = op_new ();
  op->record = record;
  op->record_free = (GDestroyNotify) pochta_identity_record_free;
  push (self, upsert_identity_job, op, pochta_store_upsert_identity_async, cancellable, callback, user_data);
}

gint64
pochta_store_upsert_identity_finish (PochtaStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_id (self, result, pochta_store_upsert_identity_async, error);
}

static gboolean
upsert_folder_job (PochtaStoreTransaction  *txn,
                   gpointer                 data,
                   GError                 **error)
{
  Op *op = data;
  PochtaFolderRecord *record = op->record;

  if (!pochta_store_transaction_upsert_folder (txn, record, error))
    return FALSE;
  op->result = record->id;
  return TRUE;
}

/* Takes @record; the finish returns the folder id. */
void
pochta_store_upsert_folder_async (PochtaStore         *self,
                                  PochtaFolderRecord  *record,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (record != NULL);

  op = op_new ();
  op->record = record;
  op->record_free = (GDestroyNotify) pochta_folder_record_free;
  push (self, upsert_folder_job, op, pochta_store_upsert_folder_async, cancellable, callback, user_data);
}

gint64
pochta_store_upsert_folder_finish (PochtaStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_id (self, result, pochta_store_upsert_folder_async, error);
}

static gboolean
remove_folder_job (PochtaStoreTransaction  *txn,
                   gpointer                 data,
                   GError                 **error)
{
  return pochta_store_transaction_remove_folder (txn, ((Op *) data)->id, error);
}

void
pochta_store_remove_folder_async (PochtaStore         *self,
                                  gint64               folder_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = folder_id;
  push (self, remove_folder_job, op, pochta_store_remove_folder_async, cancellable, callback, user_data);
}

gboolean
pochta_store_remove_folder_finish (PochtaStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_remove_folder_async, error);
}

static gboolean
set_folder_sync_state_job (PochtaStoreTransaction  *txn,
                           gpointer                 data,
                           GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_set_folder_sync_state (txn, op->id, op->uid_a, op->uid_b,
                                                         op->number, op->state, error);
}

void
pochta_store_set_folder_sync_state_async (PochtaStore           *self,
                                          gint64                 folder_id,
                                          guint32                uidvalidity,
                                          guint32                uidnext,
                                          guint64                highestmodseq,
                                          PochtaFolderSyncState  state,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = folder_id;
  op->uid_a = uidvalidity;
  op->uid_b = uidnext;
  op->number = highestmodseq;
  op->state = state;
  push (self, set_folder_sync_state_job, op, pochta_store_set_folder_sync_state_async,
        cancellable, callback, user_data);
}

gboolean
pochta_store_set_folder_sync_state_finish (PochtaStore   *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_set_folder_sync_state_async, error);
}

static gboolean
drop_folder_contents_job (PochtaStoreTransaction  *txn,
                          gpointer                 data,
                          GError                 **error)
{
  return pochta_store_transaction_drop_folder_contents (txn, ((Op *) data)->id, error);
}

void
pochta_store_drop_folder_contents_async (PochtaStore         *self,
                                         gint64               folder_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = folder_id;
  push (self, drop_folder_contents_job, op, pochta_store_drop_folder_contents_async,
        cancellable, callback, user_data);
}

gboolean
pochta_store_drop_folder_contents_finish (PochtaStore   *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_drop_folder_contents_async, error);
}

static gboolean
add_message_summaries_job (PochtaStoreTransaction  *txn,
                           gpointer                 data,
                           GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_add_messages (txn, op->id, op->records, error);
}

/**
 * pochta_store_add_message_summaries_async:
 * @records: (element-type PochtaMessageRecord): referenced until completion;
 *   leave it alone meanwhile, the writer fills in each record's id
 *
 * Inserts or updates (by folder and UID) all @records in one transaction,
 * full-text rows included.
 */
void
pochta_store_add_message_summaries_async (PochtaStore         *self,
                                          gint64               folder_id,
                                          GPtrArray           *records,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (records != NULL);

  op = op_new ();
  op->id = folder_id;
  op->records = g_ptr_array_ref (records);
  push (self, add_message_summaries_job, op, pochta_store_add_message_summaries_async,
        cancellable, callback, user_data);
}

gboolean
pochta_store_add_message_summaries_finish (PochtaStore   *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_add_message_summaries_async, error);
}

static gboolean
update_flags_job (PochtaStoreTransaction  *txn,
                  gpointer                 data,
                  GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_update_flags (txn, op->id, (const PochtaFlagUpdate *) (gpointer) op->array->data,
                                                op->array->len, error);
}

/* @updates: a GArray of PochtaFlagUpdate, referenced until completion. */
void
pochta_store_update_flags_async (PochtaStore         *self,
                                 gint64               folder_id,
                                 GArray              *updates,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (updates != NULL);
  g_return_if_fail (g_array_get_element_size (updates) == sizeof (PochtaFlagUpdate));

  op = op_new ();
  op->id = folder_id;
  op->array = g_array_ref (updates);
  push (self, update_flags_job, op, pochta_store_update_flags_async, cancellable, callback, user_data);
}

gboolean
pochta_store_update_flags_finish (PochtaStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_update_flags_async, error);
}

static gboolean
change_flags_job (PochtaStoreTransaction  *txn,
                  gpointer                 data,
                  GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_change_flags (txn, op->id, op->add, op->remove, error);
}

void
pochta_store_change_flags_async (PochtaStore         *self,
                                 gint64               message_id,
                                 PochtaMessageFlags   add,
                                 PochtaMessageFlags   remove,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = message_id;
  op->add = add;
  op->remove = remove;
  push (self, change_flags_job, op, pochta_store_change_flags_async, cancellable, callback, user_data);
}

gboolean
pochta_store_change_flags_finish (PochtaStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_change_flags_async, error);
}

static gboolean
remove_uids_job (PochtaStoreTransaction  *txn,
                 gpointer                 data,
                 GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_remove_uids (txn, op->id, (const guint32 *) (gpointer) op->array->data,
                                               op->array->len, error);
}

/* @uids: a GArray of guint32, referenced until completion. */
void
pochta_store_remove_uids_async (PochtaStore         *self,
                                gint64               folder_id,
                                GArray              *uids,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (uids != NULL);
  g_return_if_fail (g_array_get_element_size (uids) == sizeof (guint32));

  op = op_new ();
  op->id = folder_id;
  op->array = g_array_ref (uids);
  push (self, remove_uids_job, op, pochta_store_remove_uids_async, cancellable, callback, user_data);
}

gboolean
pochta_store_remove_uids_finish (PochtaStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_remove_uids_async, error);
}

static gboolean
set_body_job (PochtaStoreTransaction  *txn,
              gpointer                 data,
              GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_set_body (txn, op->id, op->bytes, op->text_a, error);
}

/* @text: the plain text for the full-text index (from the MIME module). */
void
pochta_store_set_body_async (PochtaStore         *self,
                             gint64               message_id,
                             GBytes              *raw,
                             const char          *text,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (raw != NULL);

  op = op_new ();
  op->id = message_id;
  op->bytes = g_bytes_ref (raw);
  op->text_a = g_strdup (text);
  push (self, set_body_job, op, pochta_store_set_body_async, cancellable, callback, user_data);
}

gboolean
pochta_store_set_body_finish (PochtaStore   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_set_body_async, error);
}

static gboolean
enqueue_pending_op_job (PochtaStoreTransaction  *txn,
                        gpointer                 data,
                        GError                 **error)
{
  Op *op = data;

  return pochta_store_transaction_enqueue_pending_op (txn, op->id, op->text_a, op->text_b, &op->result, error);
}

/* On its own; to queue an operation with its cache change atomically,
 * use pochta_store_write_async(). */
void
pochta_store_enqueue_pending_op_async (PochtaStore         *self,
                                       gint64               account_id,
                                       const char          *kind,
                                       const char          *payload,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (kind != NULL);

  op = op_new ();
  op->id = account_id;
  op->text_a = g_strdup (kind);
  op->text_b = g_strdup (payload);
  push (self, enqueue_pending_op_job, op, pochta_store_enqueue_pending_op_async,
        cancellable, callback, user_data);
}

gint64
pochta_store_enqueue_pending_op_finish (PochtaStore   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_id (self, result, pochta_store_enqueue_pending_op_async, error);
}

static gboolean
remove_pending_op_job (PochtaStoreTransaction  *txn,
                       gpointer                 data,
                       GError                 **error)
{
  return pochta_store_transaction_remove_pending_op (txn, ((Op *) data)->id, error);
}

void
pochta_store_remove_pending_op_async (PochtaStore         *self,
                                      gint64               op_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Op *op;

  g_return_if_fail (POCHTA_IS_STORE (self));

  op = op_new ();
  op->id = op_id;
  push (self, remove_pending_op_job, op, pochta_store_remove_pending_op_async, cancellable, callback, user_data);
}

gboolean
pochta_store_remove_pending_op_finish (PochtaStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_remove_pending_op_async, error);
}

typedef struct
{
  PochtaStoreWriteFunc func;
  gpointer             data;
  GDestroyNotify       destroy;
} WriteData;

static void
write_data_free (WriteData *data)
{
  if (data->destroy != NULL)
    data->destroy (data->data);
  g_free (data);
}

static gboolean
write_job (PochtaStoreTransaction  *txn,
           gpointer                 task_data,
           GError                 **error)
{
  WriteData *data = task_data;

  return data->func (txn, data->data, error);
}

/**
 * pochta_store_write_async:
 * @func: runs on the writer thread inside the transaction
 *
 * Runs @func as one job: everything it writes commits together or not at
 * all. This is how a pending operation and the cache change it implies
 * are made atomic (pochta_store_transaction_enqueue_pending_op() and, say,
 * pochta_store_transaction_change_flags() in the same @func).
 * @func_data is destroyed on the main context after completion.
 */
void
pochta_store_write_async (PochtaStore          *self,
                          PochtaStoreWriteFunc  func,
                          gpointer              func_data,
                          GDestroyNotify        func_data_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  WriteData *data;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (func != NULL);

  data = g_new0 (WriteData, 1);
  data->func = func;
  data->data = func_data;
  data->destroy = func_data_destroy;

  _pochta_store_push_job (self, POCHTA_STORE_JOB_WRITE, write_job, data, (GDestroyNotify) write_data_free,
                          pochta_store_write_async, cancellable, callback, user_data);
}

gboolean
pochta_store_write_finish (PochtaStore   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_write_async, error);
}
