/* pochta-offline-ops.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message actions of the offline queue: each changes the cache and
 * queues what the server must be told, in one store transaction.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-address.h"
#include "pochta-message-parser.h"
#include "pochta-message.h"
#include "pochta-offline-ops.h"
#include "pochta-offline-private.h"
#include "pochta-offline-store-private.h"

typedef enum
{
  ACTION_FLAGS,
  ACTION_MOVE,
  ACTION_COPY,
  ACTION_DELETE,
} Action;

typedef struct
{
  gint64               account_id;
  Action               action;
  GArray              *message_ids;   /* gint64 */
  PochtaMessageFlags   add;
  PochtaMessageFlags   remove;
  gint64               folder_id;     /* destination, or the folder acted on */
  GBytes              *raw;
  PochtaMessageRecord *record;
  char                *index_text;
} OpData;

static void
op_data_free (OpData *data)
{
  g_clear_pointer (&data->message_ids, g_array_unref);
  g_clear_pointer (&data->raw, g_bytes_unref);
  g_clear_pointer (&data->record, pochta_message_record_free);
  g_free (data->index_text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Every action's task: no source object (pochta_offline_op_finish() takes
 * none), the store write's outcome as its result. */
void
_pochta_offline_queue_write (PochtaStore          *store,
                             PochtaStoreWriteFunc  func,
                             gpointer              data,
                             GDestroyNotify        data_free,
                             gpointer              source_tag,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);
  pochta_store_write_async (store, func, data, NULL, cancellable, write_done, task);
}

static GArray *
copy_ids (GArray *message_ids)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), message_ids->len);

  g_array_append_vals (copy, message_ids->data, message_ids->len);

  return copy;
}

/* The rows the action names, sorted by folder so each folder becomes one
 * queued operation. */
static GArray *
load_rows (PochtaStoreTransaction  *txn,
           OpData                  *data,
           GError                 **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PochtaOfflineRow));

  if (!_pochta_offline_load_rows (txn, data->account_id, data->message_ids, rows, error))
    return NULL;

  return g_steal_pointer (&rows);
}

/* Calls @func once per run of rows in the same folder. */
typedef gboolean (*GroupFunc) (PochtaStoreTransaction  *txn,
                               OpData                  *data,
                               const PochtaOfflineFolder *folder,
                               const PochtaOfflineRow  *rows,
                               guint                    n_rows,
                               GError                 **error);

static gboolean
for_each_folder (PochtaStoreTransaction  *txn,
                 OpData                  *data,
                 GroupFunc                func,
                 GError                 **error)
{
  g_autoptr(GArray) rows = load_rows (txn, data, error);
  guint start = 0;

  if (rows == NULL)
    return FALSE;

  while (start < rows->len)
    {
      const PochtaOfflineRow *first = &g_array_index (rows, PochtaOfflineRow, start);
      g_auto(PochtaOfflineFolder) folder = { 0, };
      guint end = start + 1;

      while (end < rows->len && g_array_index (rows, PochtaOfflineRow, end).folder_id == first->folder_id)
        end++;

      if (!_pochta_offline_load_folder (txn, data->account_id, first->folder_id, &folder, error) ||
          !func (txn, data, &folder, first, end - start, error))
        return FALSE;

      start = end;
    }

  return TRUE;
}

static PochtaOfflinePayload *
payload_for (const char                *kind,
             const PochtaOfflineFolder *folder)
{
  PochtaOfflinePayload *payload = _pochta_offline_payload_new (kind);

  payload->folder = g_strdup (folder->raw_name);
  payload->uidvalidity = folder->uidvalidity;

  return payload;
}

static gboolean
flags_group (PochtaStoreTransaction     *txn,
             OpData                     *data,
             const PochtaOfflineFolder  *folder,
             const PochtaOfflineRow     *rows,
             guint                       n_rows,
             GError                    **error)
{
  g_autoptr(PochtaOfflinePayload) payload = payload_for (POCHTA_OFFLINE_KIND_FLAGS, folder);

  if (data->add == 0 && data->remove == 0)
    return TRUE;

  payload->add = data->add;
  payload->remove = data->remove;
  for (guint i = 0; i < n_rows; i++)
    {
      if (!pochta_store_transaction_change_flags (txn, rows[i].id, data->add, data->remove, error))
        return FALSE;
      _pochta_offline_payload_add_ref (payload, _pochta_offline_real_uid (rows[i].uid), rows[i].id, 0);
    }
  pochta_store_transaction_note_folder_changed (txn, folder->id);

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

static gboolean
move_group (PochtaStoreTransaction     *txn,
            OpData                     *data,
            const PochtaOfflineFolder  *folder,
            const PochtaOfflineRow     *rows,
            guint                       n_rows,
            const PochtaOfflineFolder  *dest,
            gboolean                    to_trash,
            GError                    **error)
{
  g_autoptr(PochtaOfflinePayload) payload = payload_for (POCHTA_OFFLINE_KIND_MOVE, folder);

  if (folder->id == dest->id)
    return TRUE;

  payload->dest = g_strdup (dest->raw_name);
  payload->dest_uidvalidity = dest->uidvalidity;
  payload->to_trash = to_trash;
  for (guint i = 0; i < n_rows; i++)
    {
      if (!_pochta_offline_move_row (txn, &rows[i], dest->id, error))
        return FALSE;
      _pochta_offline_payload_add_ref (payload, _pochta_offline_real_uid (rows[i].uid),
                                       rows[i].id, rows[i].id);
    }

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

static gboolean
move_to_dest_group (PochtaStoreTransaction     *txn,
                    OpData                     *data,
                    const PochtaOfflineFolder  *folder,
                    const PochtaOfflineRow     *rows,
                    guint                       n_rows,
                    GError                    **error)
{
  g_auto(PochtaOfflineFolder) dest = { 0, };

  return _pochta_offline_load_folder (txn, data->account_id, data->folder_id, &dest, error) &&
         move_group (txn, data, folder, rows, n_rows, &dest, FALSE, error);
}

static gboolean
copy_group (PochtaStoreTransaction     *txn,
            OpData                     *data,
            const PochtaOfflineFolder  *folder,
            const PochtaOfflineRow     *rows,
            guint                       n_rows,
            GError                    **error)
{
  g_autoptr(PochtaOfflinePayload) payload = payload_for (POCHTA_OFFLINE_KIND_COPY, folder);
  g_auto(PochtaOfflineFolder) dest = { 0, };

  if (!_pochta_offline_load_folder (txn, data->account_id, data->folder_id, &dest, error))
    return FALSE;

  payload->dest = g_strdup (dest.raw_name);
  payload->dest_uidvalidity = dest.uidvalidity;
  for (guint i = 0; i < n_rows; i++)
    {
      gint64 copy_id = 0;

      if (!_pochta_offline_copy_row (txn, &rows[i], dest.id, &copy_id, error))
        return FALSE;
      _pochta_offline_payload_add_ref (payload, _pochta_offline_real_uid (rows[i].uid), rows[i].id, copy_id);
    }

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

/* Messages already in Trash, or of an account without one, go for good:
 * \Deleted and UID EXPUNGE of just those UIDs. */
static gboolean
delete_group (PochtaStoreTransaction     *txn,
              OpData                     *data,
              const PochtaOfflineFolder  *folder,
              const PochtaOfflineRow     *rows,
              guint                       n_rows,
              GError                    **error)
{
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_auto(PochtaOfflineFolder) trash = { 0, };

  if (!_pochta_offline_find_role (txn, data->account_id, POCHTA_FOLDER_ROLE_TRASH, &trash, error))
    return FALSE;
  if (trash.id != 0 && trash.id != folder->id)
    return move_group (txn, data, folder, rows, n_rows, &trash, TRUE, error);

  payload = payload_for (POCHTA_OFFLINE_KIND_EXPUNGE, folder);
  for (guint i = 0; i < n_rows; i++)
    {
      if (!pochta_store_transaction_remove_message (txn, rows[i].id, error))
        return FALSE;
      _pochta_offline_payload_add_ref (payload, _pochta_offline_real_uid (rows[i].uid), rows[i].id, 0);
    }

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

static gboolean
messages_write (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  OpData *data = user_data;
  static const GroupFunc funcs[] = {
    [ACTION_FLAGS] = flags_group,
    [ACTION_MOVE] = move_to_dest_group,
    [ACTION_COPY] = copy_group,
    [ACTION_DELETE] = delete_group,
  };

  return for_each_folder (txn, data, funcs[data->action], error);
}

static OpData *
op_data_new (Action action,
             gint64 folder_id)
{
  OpData *data = g_new0 (OpData, 1);

  data->action = action;
  data->folder_id = folder_id;

  return data;
}

static void
queue_messages (PochtaStore          *store,
                gint64                account_id,
                GArray               *message_ids,
                OpData               *data,
                gpointer              source_tag,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  data->account_id = account_id;
  data->message_ids = copy_ids (message_ids);
  _pochta_offline_queue_write (store, messages_write, data, (GDestroyNotify) op_data_free, source_tag,
                               cancellable, callback, user_data);
}

/**
 * pochta_offline_set_flags_async:
 * @message_ids: (element-type gint64): rows of @account_id, in any folders
 *
 * Adds and removes flags, e.g. \Seen for "mark as read". One operation is
 * queued per folder the messages are in.
 */
void
pochta_offline_set_flags_async (PochtaStore          *store,
                                gint64                account_id,
                                GArray               *message_ids,
                                PochtaMessageFlags    add,
                                PochtaMessageFlags    remove,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  OpData *data;

  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (message_ids != NULL);

  data = op_data_new (ACTION_FLAGS, 0);
  /* \Recent belongs to the server's session, never to a client. */
  data->add = add & ~POCHTA_MESSAGE_FLAG_RECENT;
  data->remove = remove & ~POCHTA_MESSAGE_FLAG_RECENT;
  queue_messages (store, account_id, message_ids, data, pochta_offline_set_flags_async,
                  cancellable, callback, user_data);
}

/**
 * pochta_offline_move_async:
 *
 * Moves the rows to @dest_folder_id keeping their ids, so a later move
 * back (Undo) names the same rows.
 */
void
pochta_offline_move_async (PochtaStore          *store,
                           gint64                account_id,
                           GArray               *message_ids,
                           gint64                dest_folder_id,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (message_ids != NULL);

  queue_messages (store, account_id, message_ids, op_data_new (ACTION_MOVE, dest_folder_id), pochta_offline_move_async,
                  cancellable, callback, user_data);
}

void
pochta_offline_copy_async (PochtaStore          *store,
                           gint64                account_id,
                           GArray               *message_ids,
                           gint64                dest_folder_id,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (message_ids != NULL);

  queue_messages (store, account_id, message_ids, op_data_new (ACTION_COPY, dest_folder_id), pochta_offline_copy_async,
                  cancellable, callback, user_data);
}

void
pochta_offline_delete_async (PochtaStore          *store,
                             gint64                account_id,
                             GArray               *message_ids,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (message_ids != NULL);

  queue_messages (store, account_id, message_ids, op_data_new (ACTION_DELETE, 0), pochta_offline_delete_async,
                  cancellable, callback, user_data);
}

/* The server is told "1:N" with N the highest UID the cache knows, not
 * "1:*": a message that arrived since was never seen by the person. */
static gboolean
mark_all_read_write (PochtaStoreTransaction  *txn,
                     gpointer                 user_data,
                     GError                 **error)
{
  OpData *data = user_data;
  g_auto(PochtaOfflineFolder) folder = { 0, };
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_autoptr(GArray) unread = g_array_new (FALSE, FALSE, sizeof (PochtaOfflineRow));
  guint32 max_uid = 0;

  if (!_pochta_offline_load_folder (txn, data->account_id, data->folder_id, &folder, error) ||
      !_pochta_offline_load_unread (txn, folder.id, unread, &max_uid, error))
    return FALSE;

  payload = payload_for (POCHTA_OFFLINE_KIND_MARK_ALL_READ, &folder);
  max_uid = MAX (max_uid, folder.uidnext > 0 ? folder.uidnext - 1 : 0);
  if (max_uid > 0)
    payload->uids = g_strdup_printf ("1:%u", max_uid);

  for (guint i = 0; i < unread->len; i++)
    {
      const PochtaOfflineRow *row = &g_array_index (unread, PochtaOfflineRow, i);

      if (!pochta_store_transaction_change_flags (txn, row->id, POCHTA_MESSAGE_FLAG_SEEN, 0, error))
        return FALSE;
      if (_pochta_offline_real_uid (row->uid) == 0)
        _pochta_offline_payload_add_ref (payload, 0, row->id, 0);
    }
  pochta_store_transaction_note_folder_changed (txn, folder.id);

  if (payload->uids == NULL && payload->refs->len == 0)
    return TRUE;

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

void
pochta_offline_mark_all_read_async (PochtaStore         *store,
                                    gint64               account_id,
                                    gint64               folder_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  OpData *data;

  g_return_if_fail (POCHTA_IS_STORE (store));

  data = g_new0 (OpData, 1);
  data->account_id = account_id;
  data->folder_id = folder_id;
  _pochta_offline_queue_write (store, mark_all_read_write, data, (GDestroyNotify) op_data_free,
                               pochta_offline_mark_all_read_async, cancellable, callback, user_data);
}

static gboolean
append_write (PochtaStoreTransaction  *txn,
              gpointer                 user_data,
              GError                 **error)
{
  OpData *data = user_data;
  g_auto(PochtaOfflineFolder) folder = { 0, };
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  gint64 row_id = 0;

  if (!_pochta_offline_load_folder (txn, data->account_id, data->folder_id, &folder, error) ||
      !_pochta_offline_insert_message (txn, folder.id, data->record, data->raw, data->index_text,
                                       &row_id, error))
    return FALSE;

  payload = payload_for (POCHTA_OFFLINE_KIND_APPEND, &folder);
  payload->add = data->record->flags;
  payload->date = data->record->internal_date;
  _pochta_offline_payload_add_ref (payload, 0, 0, row_id);

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

static char *
join_addresses (GPtrArray *addresses)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      g_autofree char *one = pochta_address_to_string (g_ptr_array_index (addresses, i));

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, one);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
join_ids (const char * const *ids)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_string_append_printf (text, "%s<%s>", text->len > 0 ? " " : "", ids[i]);

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The same row a header fetch of the message would give, as far as the
 * message itself tells. */
static void
fill_record (PochtaMessageRecord *record,
             PochtaMessage       *message)
{
  GPtrArray *from = pochta_message_get_from (message);
  GDateTime *date = pochta_message_get_date (message);
  const char *message_id = pochta_message_get_message_id (message);

  record->subject = g_strdup (pochta_message_get_subject (message));
  if (from != NULL && from->len > 0)
    {
      const PochtaAddress *first = g_ptr_array_index (from, 0);

      record->from_name = g_strdup (first->name);
      record->from_addr = g_strdup (first->address);
    }
  record->to_addrs = join_addresses (pochta_message_get_to (message));
  record->cc_addrs = join_addresses (pochta_message_get_cc (message));
  if (message_id != NULL)
    record->message_id = g_strdup_printf ("<%s>", message_id);
  record->in_reply_to = join_ids (pochta_message_get_in_reply_to (message));
  record->references = join_ids (pochta_message_get_references (message));
  if (date != NULL)
    record->date = g_date_time_to_unix (date);
  record->preview = g_strdup (pochta_message_get_preview (message));
  record->has_attachments = pochta_message_get_attachments (message) != NULL &&
                            pochta_message_get_attachments (message)->len > 0;
}

static void
append_parsed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  OpData *data = g_task_get_task_data (task);
  PochtaStore *store = g_task_get_source_object (task);

  /* A message the parser refuses is still the person's to keep: it is
   * saved with what little is known, and the server gets its bytes. */
  message = pochta_message_parser_parse_bytes_finish (POCHTA_MESSAGE_PARSER (object), result, &error);
  if (message == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (message != NULL)
    {
      fill_record (data->record, message);
      data->index_text = g_strdup (pochta_message_get_index_text (message));
    }
  else
    g_debug ("Saving a message the parser refused: %s", error->message);

  pochta_store_write_async (store, append_write, data, NULL, g_task_get_cancellable (task),
                            write_done, g_object_ref (task));
}

/**
 * pochta_offline_append_async:
 * @raw: the whole RFC 5322 message
 * @flags: its flags, e.g. \Seen | \Draft for a saved draft
 *
 * Adds the message to @folder_id with its body, so it can be read and
 * searched at once; the APPEND gives it its real UID later.
 */
void
pochta_offline_append_async (PochtaStore          *store,
                             gint64                account_id,
                             gint64                folder_id,
                             GBytes               *raw,
                             PochtaMessageFlags    flags,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(PochtaMessageParser) parser = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTask *task;
  OpData *data;

  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (raw != NULL);

  data = g_new0 (OpData, 1);
  data->account_id = account_id;
  data->folder_id = folder_id;
  data->raw = g_bytes_ref (raw);
  data->record = pochta_message_record_new ();
  data->record->flags = flags & ~POCHTA_MESSAGE_FLAG_RECENT;
  now = g_date_time_new_now_utc ();
  data->record->internal_date = g_date_time_to_unix (now);
  data->record->size = g_bytes_get_size (raw);

  /* The source object is only a holder for the store here. */
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_offline_append_async);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  parser = pochta_message_parser_new ();
  pochta_message_parser_parse_bytes_async (parser, raw, cancellable, append_parsed, task);
}

/**
 * pochta_offline_op_finish:
 *
 * Returns: %TRUE once the cache shows the action and it is queued
 */
gboolean
pochta_offline_op_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
