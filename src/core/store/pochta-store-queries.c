/* pochta-store-queries.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaStore's main-thread reads, through the reader connection's current snapshot.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-store-error.h"
#include "pochta-store-private.h"

static gboolean
not_found (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

/* The folder list is an 'as' in GVariant text (see 0002-account-uuid.sql). */
static char **
parse_folder_list (const char *text,
                   gint64      account_id)
{
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return NULL;

  list = g_variant_parse (G_VARIANT_TYPE_STRING_ARRAY, text, NULL, NULL, &error);
  if (list == NULL)
    {
      /* The rest of the account is still good: it syncs no listed folder. */
      g_warning ("Account %lld has a damaged folder list: %s", (long long) account_id, error->message);
      return NULL;
    }

  return g_variant_dup_strv (list, NULL);
}

/**
 * pochta_store_list_accounts:
 *
 * Returns: (transfer container) (element-type PochtaAccountRecord): the accounts in their order
 */
GPtrArray *
pochta_store_list_accounts (PochtaStore  *self,
                            GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db,
          "SELECT id, display_name, position, incoming_protocol, incoming_host, incoming_port,"
          " incoming_tls, incoming_user, incoming_auth, incoming_pin, allow_insecure, smtp_host,"
          " smtp_port, smtp_tls, smtp_user, smtp_auth, smtp_pin, poll_interval, body_days,"
          " body_size_limit, folders_selection, pop3_leave_on_server, pop3_delete_after_days, state,"
          " uuid, sync_folder_list, smtp_allow_insecure"
          " FROM accounts ORDER BY position, id", error)))
    return NULL;

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_account_record_free);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      PochtaAccountRecord *r = g_new0 (PochtaAccountRecord, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->display_name = pochta_sqlite_column_dup_text (stmt, 1);
      r->position = sqlite3_column_int (stmt, 2);
      r->incoming_protocol = pochta_sqlite_column_dup_text (stmt, 3);
      r->incoming_host = pochta_sqlite_column_dup_text (stmt, 4);
      r->incoming_port = sqlite3_column_int (stmt, 5);
      r->incoming_tls = sqlite3_column_int (stmt, 6);
      r->incoming_user = pochta_sqlite_column_dup_text (stmt, 7);
      r->incoming_auth = pochta_sqlite_column_dup_text (stmt, 8);
      r->incoming_pin = pochta_sqlite_column_dup_text (stmt, 9);
      r->allow_insecure = sqlite3_column_int (stmt, 10) != 0;
      r->smtp_host = pochta_sqlite_column_dup_text (stmt, 11);
      r->smtp_port = sqlite3_column_int (stmt, 12);
      r->smtp_tls = sqlite3_column_int (stmt, 13);
      r->smtp_user = pochta_sqlite_column_dup_text (stmt, 14);
      r->smtp_auth = pochta_sqlite_column_dup_text (stmt, 15);
      r->smtp_pin = pochta_sqlite_column_dup_text (stmt, 16);
      r->poll_interval = sqlite3_column_int64 (stmt, 17);
      r->body_days = sqlite3_column_int64 (stmt, 18);
      r->body_size_limit = sqlite3_column_int64 (stmt, 19);
      r->folders_selection = pochta_sqlite_column_dup_text (stmt, 20);
      r->pop3_leave_on_server = sqlite3_column_int (stmt, 21) != 0;
      r->pop3_delete_after_days = sqlite3_column_int (stmt, 22);
      r->state = sqlite3_column_int (stmt, 23);
      r->uuid = pochta_sqlite_column_dup_text (stmt, 24);
      r->sync_folder_list = parse_folder_list (pochta_sqlite_column_text (stmt, 25), r->id);
      r->smtp_allow_insecure = sqlite3_column_int (stmt, 26) != 0;
      g_ptr_array_add (accounts, r);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&accounts) : NULL;
}

/**
 * pochta_store_list_identities:
 *
 * Returns: (transfer container) (element-type PochtaIdentityRecord): in the account's order
 */
GPtrArray *
pochta_store_list_identities (PochtaStore  *self,
                              gint64        account_id,
                              GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) identities = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db,
          "SELECT id, account_id, name, address, reply_to, signature, is_default, position"
          " FROM identities WHERE account_id = ?1 ORDER BY position, id", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);

  identities = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_identity_record_free);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      PochtaIdentityRecord *r = pochta_identity_record_new ();

      r->id = sqlite3_column_int64 (stmt, 0);
      r->account_id = sqlite3_column_int64 (stmt, 1);
      r->name = pochta_sqlite_column_dup_text (stmt, 2);
      r->address = pochta_sqlite_column_dup_text (stmt, 3);
      r->reply_to = pochta_sqlite_column_dup_text (stmt, 4);
      r->signature = pochta_sqlite_column_dup_text (stmt, 5);
      r->is_default = sqlite3_column_int (stmt, 6) != 0;
      r->position = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (identities, r);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&identities) : NULL;
}

/**
 * pochta_store_list_folders:
 *
 * Returns: (transfer container) (element-type PochtaFolder): the Inbox and
 *   other special folders first, then the rest by name
 */
GPtrArray *
pochta_store_list_folders (PochtaStore  *self,
                           gint64        account_id,
                           GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db,
          "SELECT " POCHTA_FOLDER_COLUMNS " FROM folders WHERE account_id = ?1"
          " ORDER BY role = 0, role, name COLLATE NOCASE", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);

  folders = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (folders, _pochta_folder_new_from_row (stmt));

  return rc == SQLITE_DONE ? g_steal_pointer (&folders) : NULL;
}

PochtaFolder *
pochta_store_get_folder (PochtaStore  *self,
                         gint64        folder_id,
                         GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  PochtaSqlite *db;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db, "SELECT " POCHTA_FOLDER_COLUMNS " FROM folders WHERE id = ?1", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);

  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_ROW:
      return _pochta_folder_new_from_row (stmt);
    case SQLITE_DONE:
      not_found (error, _("The folder is not in the mail cache"));
      return NULL;
    default:
      return NULL;
    }
}

gboolean
pochta_store_get_folder_counts (PochtaStore  *self,
                                gint64        folder_id,
                                guint        *unread,
                                guint        *total,
                                GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  PochtaSqlite *db;

  g_return_val_if_fail (POCHTA_IS_STORE (self), FALSE);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db, "SELECT unread_count, total_count FROM folders WHERE id = ?1", error)))
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);

  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_ROW:
      if (unread != NULL)
        *unread = sqlite3_column_int (stmt, 0);
      if (total != NULL)
        *total = sqlite3_column_int (stmt, 1);
      return TRUE;
    case SQLITE_DONE:
      return not_found (error, _("The folder is not in the mail cache"));
    default:
      return FALSE;
    }
}

static PochtaMessageSummary *
get_one_message (PochtaStore  *self,
                 const char   *sql,
                 gint64        a,
                 gint64        b,
                 GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  PochtaSqlite *db;

  if (!(db = pochta_store_require_reader (self, error)) || !(stmt = pochta_sqlite_prepare (db, sql, error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    pochta_sqlite_bind_int64 (stmt, 2, b);

  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_ROW:
      return _pochta_message_summary_new_from_row (stmt);
    case SQLITE_DONE:
      not_found (error, _("The message is not in the mail cache"));
      return NULL;
    default:
      return NULL;
    }
}

PochtaMessageSummary *
pochta_store_get_message (PochtaStore  *self,
                          gint64        message_id,
                          GError      **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  return get_one_message (self, "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages WHERE id = ?1",
                          message_id, 0, error);
}

PochtaMessageSummary *
pochta_store_get_message_by_uid (PochtaStore  *self,
                                 gint64        folder_id,
                                 guint32       uid,
                                 GError      **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  return get_one_message (self,
                          "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages"
                          " WHERE folder_id = ?1 AND uid = ?2",
                          folder_id, uid, error);
}

/**
 * pochta_store_list_attachments:
 *
 * Returns: (transfer container) (element-type PochtaAttachmentRecord): in part order
 */
GPtrArray *
pochta_store_list_attachments (PochtaStore  *self,
                               gint64        message_id,
                               GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db,
          "SELECT part, filename, mime_type, size, content_id, inline FROM attachments"
          " WHERE message_id = ?1 ORDER BY id", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, message_id);

  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_attachment_record_free);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      PochtaAttachmentRecord *a = pochta_attachment_record_new ();

      a->part = pochta_sqlite_column_dup_text (stmt, 0);
      a->filename = pochta_sqlite_column_dup_text (stmt, 1);
      a->mime_type = pochta_sqlite_column_dup_text (stmt, 2);
      a->size = sqlite3_column_int64 (stmt, 3);
      a->content_id = pochta_sqlite_column_dup_text (stmt, 4);
      a->inline_ = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (attachments, a);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&attachments) : NULL;
}

static GBytes *
read_body (PochtaSqlite  *db,
           gint64         message_id,
           GError       **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (!(stmt = pochta_sqlite_prepare (db,
          "SELECT b.raw FROM messages m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, message_id);

  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_ROW:
      return pochta_sqlite_column_bytes (stmt, 0);
    case SQLITE_DONE:
      not_found (error, _("The message’s body is not in the mail cache"));
      return NULL;
    default:
      return NULL;
    }
}

/**
 * pochta_store_get_body:
 *
 * Reads on the main thread's reader, so only for callers that may block
 * (tests, tools); the client uses pochta_store_get_body_async().
 *
 * Returns: (transfer full): the raw message, or %NULL with
 *   %POCHTA_STORE_ERROR_NOT_FOUND when its body is not cached yet
 */
GBytes *
pochta_store_get_body (PochtaStore  *self,
                       gint64        message_id,
                       GError      **error)
{
  PochtaSqlite *db;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)))
    return NULL;

  return read_body (db, message_id, error);
}

static void
get_body_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PochtaStoreBodyReader *reader = _pochta_store_get_body_reader (source_object);
  GError *error = NULL;
  PochtaSqlite *db;
  GBytes *raw = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if ((db = _pochta_store_body_reader_lock (reader, &error)) != NULL)
    {
      raw = read_body (db, *(gint64 *) task_data, &error);
      _pochta_store_body_reader_unlock (reader);
    }

  if (raw == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, raw, (GDestroyNotify) g_bytes_unref);
}

/**
 * pochta_store_get_body_async:
 *
 * Reads a cached body in a worker thread, through a connection of its own,
 * so a large one never holds up the main loop; it sees the newest commit.
 */
void
pochta_store_get_body_async (PochtaStore         *self,
                             gint64               message_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_store_get_body_async);
  g_task_set_task_data (task, g_memdup2 (&message_id, sizeof message_id), g_free);
  g_task_run_in_thread (task, get_body_thread);
}

/**
 * pochta_store_get_body_finish:
 *
 * Returns: (transfer full): the raw message, or %NULL with
 *   %POCHTA_STORE_ERROR_NOT_FOUND when its body is not cached yet,
 *   %POCHTA_STORE_ERROR_CLOSED, or %G_IO_ERROR_CANCELLED
 */
GBytes *
pochta_store_get_body_finish (PochtaStore   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_store_get_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Each word the person typed becomes a quoted FTS5 string (so no input is
 * query syntax), all must match, and the last one matches as a prefix so
 * results follow the typing. */
static char *
build_match (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  g_autoptr(GString) match = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;

      if (n++ > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');
    }

  if (n == 0)
    return NULL;

  g_string_append_c (match, '*');

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/**
 * pochta_store_search:
 * @text: words to find in subjects, addresses and bodies
 * @folder_id: a folder, or 0 for all
 * @limit: at most this many, newest first
 *
 * Returns: (transfer container) (element-type PochtaMessageSummary): the matches
 */
GPtrArray *
pochta_store_search (PochtaStore  *self,
                     const char   *text,
                     gint64        folder_id,
                     guint         limit,
                     GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *match = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!(db = pochta_store_require_reader (self, error)))
    return NULL;

  results = g_ptr_array_new_with_free_func (g_object_unref);
  if (!(match = build_match (text)))
    return g_steal_pointer (&results);

  if (!(stmt = pochta_sqlite_prepare (db,
          "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages"
          " WHERE id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)"
          " AND (?2 = 0 OR folder_id = ?2)"
          " ORDER BY internal_date DESC, id DESC LIMIT ?3", error)))
    return NULL;
  pochta_sqlite_bind_text (stmt, 1, match);
  pochta_sqlite_bind_int64 (stmt, 2, folder_id);
  pochta_sqlite_bind_int64 (stmt, 3, limit > 0 ? limit : G_MAXINT);

  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (results, _pochta_message_summary_new_from_row (stmt));

  return rc == SQLITE_DONE ? g_steal_pointer (&results) : NULL;
}

/**
 * pochta_store_list_pending_ops:
 * @account_id: an account, or 0 for all
 *
 * Returns: (transfer container) (element-type PochtaPendingOp): in replay order
 */
GPtrArray *
pochta_store_list_pending_ops (PochtaStore  *self,
                               gint64        account_id,
                               GError      **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  PochtaSqlite *db;
  int rc;

  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (!(db = pochta_store_require_reader (self, error)) ||
      !(stmt = pochta_sqlite_prepare (db,
          "SELECT id, account_id, kind, payload, created, attempts, last_error FROM pending_ops"
          " WHERE ?1 = 0 OR account_id = ?1 ORDER BY id", error)))
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_pending_op_free);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      PochtaPendingOp *op = g_new0 (PochtaPendingOp, 1);

      op->id = sqlite3_column_int64 (stmt, 0);
      op->account_id = sqlite3_column_int64 (stmt, 1);
      op->kind = pochta_sqlite_column_dup_text (stmt, 2);
      op->payload = pochta_sqlite_column_dup_text (stmt, 3);
      op->created = sqlite3_column_int64 (stmt, 4);
      op->attempts = sqlite3_column_int (stmt, 5);
      op->last_error = pochta_sqlite_column_dup_text (stmt, 6);
      g_ptr_array_add (ops, op);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&ops) : NULL;
}
