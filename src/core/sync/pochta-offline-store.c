/* pochta-offline-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cache side of the offline actions, on the store's writer thread:
 * loading the rows acted on, moving and copying them, and queueing.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-offline-store-private.h"
#include "pochta-store-error.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

void
_pochta_offline_folder_clear (PochtaOfflineFolder *folder)
{
  g_clear_pointer (&folder->raw_name, g_free);
  g_clear_pointer (&folder->delimiter, g_free);
}

static PochtaSqlite *
db_of (PochtaStoreTransaction *txn)
{
  return pochta_store_transaction_get_sqlite (txn);
}

static void
read_row (PochtaSqliteStmt *stmt,
          PochtaOfflineRow *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->folder_id = sqlite3_column_int64 (stmt, 1);
  row->uid = sqlite3_column_int64 (stmt, 2);
  row->flags = (guint) sqlite3_column_int64 (stmt, 3);
  row->internal_date = sqlite3_column_int64 (stmt, 4);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const PochtaOfflineRow *ra = a;
  const PochtaOfflineRow *rb = b;

  if (ra->folder_id != rb->folder_id)
    return ra->folder_id < rb->folder_id ? -1 : 1;
  return ra->id < rb->id ? -1 : ra->id > rb->id;
}

/* Rows of other accounts and rows gone meanwhile (a stale selection) are
 * left out rather than failing the whole action. */
gboolean
_pochta_offline_load_rows (PochtaStoreTransaction  *txn,
                           gint64                   account_id,
                           GArray                  *message_ids,
                           GArray                  *rows,
                           GError                 **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < message_ids->len; i++)
    {
      gint64 *id = &g_array_index (message_ids, gint64, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      PochtaOfflineRow row;
      int rc;

      if (!g_hash_table_add (seen, id))
        continue;

      stmt = pochta_sqlite_prepare (db_of (txn),
        "SELECT m.id, m.folder_id, m.uid, m.flags, m.internal_date FROM messages m"
        " JOIN folders f ON f.id = m.folder_id WHERE m.id = ?1 AND f.account_id = ?2", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, *id);
      pochta_sqlite_bind_int64 (stmt, 2, account_id);
      rc = pochta_sqlite_step (db_of (txn), stmt, error);
      if (rc == 0)
        return FALSE;
      if (rc != SQLITE_ROW)
        continue;
      read_row (stmt, &row);
      g_array_append_val (rows, row);
    }

  g_array_sort (rows, compare_rows);

  return TRUE;
}

gboolean
_pochta_offline_load_unread (PochtaStoreTransaction  *txn,
                             gint64                   folder_id,
                             GArray                  *rows,
                             guint32                 *max_uid,
                             GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  /* The same test as the unread count of the schema's triggers. */
  stmt = pochta_sqlite_prepare (db_of (txn),
    "SELECT id, folder_id, uid, flags, internal_date FROM messages WHERE folder_id = ?1 AND (flags & 9) = 0",
    error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  while ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == SQLITE_ROW)
    {
      PochtaOfflineRow row;

      read_row (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (rc == 0)
    return FALSE;
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  stmt = pochta_sqlite_prepare (db_of (txn),
    "SELECT coalesce (max (uid), 0) FROM messages WHERE folder_id = ?1 AND uid <= 4294967295", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  if (pochta_sqlite_step (db_of (txn), stmt, error) != SQLITE_ROW)
    return FALSE;
  *max_uid = (guint32) sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static int
find_folder (PochtaStoreTransaction  *txn,
             const char              *where,
             gint64                   account_id,
             const char              *text,
             gint64                   number,
             PochtaOfflineFolder     *folder,
             GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  _pochta_offline_folder_clear (folder);
  memset (folder, 0, sizeof *folder);

  sql = g_strconcat ("SELECT id, raw_name, delimiter, coalesce (parent_id, 0), role, uidvalidity, uidnext"
                     " FROM folders WHERE account_id = ?1 AND ", where, " LIMIT 1", NULL);
  stmt = pochta_sqlite_prepare (db_of (txn), sql, error);
  if (stmt == NULL)
    return 0;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (text != NULL)
    pochta_sqlite_bind_text (stmt, 2, text);
  else
    pochta_sqlite_bind_int64 (stmt, 2, number);

  rc = pochta_sqlite_step (db_of (txn), stmt, error);
  if (rc == SQLITE_ROW)
    {
      folder->id = sqlite3_column_int64 (stmt, 0);
      folder->raw_name = pochta_sqlite_column_dup_text (stmt, 1);
      folder->delimiter = pochta_sqlite_column_dup_text (stmt, 2);
      folder->parent_id = sqlite3_column_int64 (stmt, 3);
      folder->role = sqlite3_column_int (stmt, 4);
      folder->uidvalidity = (guint32) sqlite3_column_int64 (stmt, 5);
      folder->uidnext = (guint32) sqlite3_column_int64 (stmt, 6);
    }

  return rc;
}

gboolean
_pochta_offline_load_folder (PochtaStoreTransaction  *txn,
                             gint64                   account_id,
                             gint64                   folder_id,
                             PochtaOfflineFolder     *folder,
                             GError                 **error)
{
  switch (find_folder (txn, "id = ?2", account_id, NULL, folder_id, folder, error))
    {
    case SQLITE_ROW:
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                   _("The folder is no longer in the mail cache"));
      return FALSE;
    default:
      return FALSE;
    }
}

/* Leaves folder->id at 0 when there is none. */
gboolean
_pochta_offline_find_folder (PochtaStoreTransaction  *txn,
                             gint64                   account_id,
                             const char              *raw_name,
                             PochtaOfflineFolder     *folder,
                             GError                 **error)
{
  return find_folder (txn, "raw_name = ?2", account_id, raw_name, 0, folder, error) != 0;
}

gboolean
_pochta_offline_find_role (PochtaStoreTransaction  *txn,
                           gint64                   account_id,
                           PochtaFolderRole         role,
                           PochtaOfflineFolder     *folder,
                           GError                 **error)
{
  return find_folder (txn, "role = ?2 ORDER BY id", account_id, NULL, role, folder, error) != 0;
}

/* The row keeps its id, thread and body; it waits under a placeholder UID
 * until the MOVE replays (see pochta-offline-private.h). */
gboolean
_pochta_offline_move_row (PochtaStoreTransaction  *txn,
                          const PochtaOfflineRow  *row,
                          gint64                   dest_id,
                          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (db_of (txn), "UPDATE messages SET folder_id = ?2, uid = ?3 WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, row->id);
  pochta_sqlite_bind_int64 (stmt, 2, dest_id);
  pochta_sqlite_bind_int64 (stmt, 3, _pochta_offline_placeholder_uid (row->id));
  if (!pochta_sqlite_step_done (db_of (txn), stmt, error))
    return FALSE;

  pochta_store_transaction_note_message_removed (txn, row->folder_id, row->id, row->internal_date);
  pochta_store_transaction_note_message_added (txn, dest_id, row->id, row->internal_date);

  return TRUE;
}

static gboolean
run_pair (PochtaStoreTransaction  *txn,
          const char              *sql,
          gint64                   a,
          gint64                   b,
          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (db_of (txn), sql, error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, a);
  pochta_sqlite_bind_int64 (stmt, 2, b);

  return pochta_sqlite_step_done (db_of (txn), stmt, error);
}

/* A copy is a new row with everything of the original: its text in the
 * full-text index, its attachments, its body (bodies are shared) and its
 * place in the thread. Inserting with own SQL means keeping the folder
 * counts here too, as pochta_store_transaction_add_messages() does. */
gboolean
_pochta_offline_copy_row (PochtaStoreTransaction  *txn,
                          const PochtaOfflineRow  *row,
                          gint64                   dest_id,
                          gint64                  *copy_id,
                          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  gint64 id;

  stmt = pochta_sqlite_prepare (db_of (txn),
    "INSERT INTO messages (folder_id, uid, flags, keywords, modseq, internal_date, size, date, subject,"
    " from_name, from_addr, to_addrs, cc_addrs, message_id, in_reply_to, refs, thread_id, has_attachments,"
    " preview, body_state, body_id)"
    " SELECT ?2, -id, flags, keywords, 0, internal_date, size, date, subject, from_name, from_addr, to_addrs,"
    " cc_addrs, message_id, in_reply_to, refs, coalesce (thread_id, id), has_attachments, preview,"
    " body_state, body_id FROM messages WHERE id = ?1 RETURNING id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, row->id);
  pochta_sqlite_bind_int64 (stmt, 2, dest_id);
  if (pochta_sqlite_step (db_of (txn), stmt, error) != SQLITE_ROW)
    return FALSE;
  id = sqlite3_column_int64 (stmt, 0);
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  if (!run_pair (txn, "UPDATE messages SET uid = ?2 WHERE id = ?1", id, _pochta_offline_placeholder_uid (id), error) ||
      !run_pair (txn,
                 "INSERT INTO messages_fts (rowid, subject, addresses, body)"
                 " SELECT ?2, subject, addresses, body FROM messages_fts WHERE rowid = ?1", row->id, id, error) ||
      !run_pair (txn,
                 "INSERT INTO attachments (message_id, part, filename, mime_type, size, content_id, inline,"
                 " content_hash) SELECT ?2, part, filename, mime_type, size, content_id, inline, content_hash"
                 " FROM attachments WHERE message_id = ?1", row->id, id, error) ||
      !run_pair (txn,
                 "UPDATE folders SET total_count = total_count + 1,"
                 " unread_count = unread_count + ((?2 & 9) = 0) WHERE id = ?1", dest_id, row->flags, error))
    return FALSE;

  pochta_store_transaction_note_message_added (txn, dest_id, id, row->internal_date);
  *copy_id = id;

  return TRUE;
}

/* An appended message: a row through the store's own insert (thread, index,
 * counts), given its placeholder UID at once, and its body. */
gboolean
_pochta_offline_insert_message (PochtaStoreTransaction  *txn,
                                gint64                   folder_id,
                                PochtaMessageRecord     *record,
                                GBytes                  *raw,
                                const char              *index_text,
                                gint64                  *row_id,
                                GError                 **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  /* UID 0 is never a server's; the row holds it only until the UPDATE. */
  record->uid = 0;
  g_ptr_array_add (records, record);
  if (!pochta_store_transaction_add_messages (txn, folder_id, records, error) ||
      !run_pair (txn, "UPDATE messages SET uid = ?2 WHERE id = ?1",
                 record->id, _pochta_offline_placeholder_uid (record->id), error) ||
      !pochta_store_transaction_set_body (txn, record->id, raw, index_text, error))
    return FALSE;

  *row_id = record->id;

  return TRUE;
}

gboolean
_pochta_offline_enqueue (PochtaStoreTransaction      *txn,
                         gint64                       account_id,
                         const PochtaOfflinePayload  *payload,
                         GError                     **error)
{
  g_autofree char *text = _pochta_offline_payload_print (payload);

  g_debug ("Queued %s: %s", payload->kind, text);

  return pochta_store_transaction_enqueue_pending_op (txn, account_id, payload->kind, text, NULL, error);
}
