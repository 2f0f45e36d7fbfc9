/* pochta-store-transaction.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking writes for code that runs on the store's writer thread, inside a job's transaction.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-store-error.h"
#include "pochta-store-transaction.h"
#include "pochta-store-worker-private.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

static void
note (PochtaStoreTransaction *txn,
      PochtaStoreNoteKind     kind,
      gint64                  folder_id,
      gint64                  message_id,
      gint64                  internal_date)
{
  PochtaStoreNote n = { folder_id, message_id, internal_date, kind };

  g_assert (txn->notes != NULL);
  g_array_append_val (txn->notes, n);
}

static gboolean
not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
               _("No %s with id %" G_GINT64_FORMAT " in the mail cache"), what, id);
  return FALSE;
}

void
pochta_flag_update_clear (PochtaFlagUpdate *update)
{
  g_clear_pointer (&update->keywords, g_free);
}

PochtaSqlite *
pochta_store_transaction_get_sqlite (PochtaStoreTransaction *txn)
{
  g_return_val_if_fail (txn != NULL, NULL);

  return txn->db;
}

/* For jobs that write rows with their own SQL: every list of the folder
 * reloads rather than trying to follow the change. */
void
pochta_store_transaction_note_folder_reset (PochtaStoreTransaction *txn,
                                            gint64                  folder_id)
{
  g_return_if_fail (txn != NULL);

  note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);
}

static void
bind_account (PochtaSqliteStmt          *stmt,
              const PochtaAccountRecord *r)
{
  pochta_sqlite_bind_text (stmt, 1, r->display_name != NULL ? r->display_name : "");
  pochta_sqlite_bind_int64 (stmt, 2, r->position);
  pochta_sqlite_bind_text (stmt, 3, r->incoming_protocol != NULL ? r->incoming_protocol : "imap");
  pochta_sqlite_bind_text (stmt, 4, r->incoming_host != NULL ? r->incoming_host : "");
  pochta_sqlite_bind_int64 (stmt, 5, r->incoming_port);
  pochta_sqlite_bind_int64 (stmt, 6, r->incoming_tls);
  pochta_sqlite_bind_text (stmt, 7, r->incoming_user != NULL ? r->incoming_user : "");
  pochta_sqlite_bind_text (stmt, 8, r->incoming_auth);
  pochta_sqlite_bind_text (stmt, 9, r->incoming_pin);
  pochta_sqlite_bind_int64 (stmt, 10, r->allow_insecure);
  pochta_sqlite_bind_text (stmt, 11, r->smtp_host);
  pochta_sqlite_bind_int64 (stmt, 12, r->smtp_port);
  pochta_sqlite_bind_int64 (stmt, 13, r->smtp_tls);
  pochta_sqlite_bind_text (stmt, 14, r->smtp_user);
  pochta_sqlite_bind_text (stmt, 15, r->smtp_auth);
  pochta_sqlite_bind_text (stmt, 16, r->smtp_pin);
  pochta_sqlite_bind_int64 (stmt, 17, r->poll_interval);
  pochta_sqlite_bind_int64 (stmt, 18, r->body_days);
  pochta_sqlite_bind_int64 (stmt, 19, (gint64) MIN (r->body_size_limit, G_MAXINT64));
  pochta_sqlite_bind_text (stmt, 20, r->folders_selection != NULL ? r->folders_selection : "subscribed");
  pochta_sqlite_bind_int64 (stmt, 21, r->pop3_leave_on_server);
  pochta_sqlite_bind_int64 (stmt, 22, r->pop3_delete_after_days);
  pochta_sqlite_bind_int64 (stmt, 23, r->state);
}

gboolean
pochta_store_transaction_upsert_account (PochtaStoreTransaction  *txn,
                                         PochtaAccountRecord     *record,
                                         GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (record->id == 0)
    {
      stmt = pochta_sqlite_prepare (txn->db,
        "INSERT INTO accounts (display_name, position, incoming_protocol, incoming_host,"
        " incoming_port, incoming_tls, incoming_user, incoming_auth, incoming_pin, allow_insecure,"
        " smtp_host, smtp_port, smtp_tls, smtp_user, smtp_auth, smtp_pin, poll_interval, body_days,"
        " body_size_limit, folders_selection, pop3_leave_on_server, pop3_delete_after_days, state)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23) RETURNING id", error);
      return_if_no_stmt (stmt);
      bind_account (stmt, record);
      if (pochta_sqlite_step (txn->db, stmt, error) != SQLITE_ROW)
        return FALSE;
      record->id = sqlite3_column_int64 (stmt, 0);
    }
  else
    {
      stmt = pochta_sqlite_prepare (txn->db,
        "UPDATE accounts SET display_name = ?1, position = ?2, incoming_protocol = ?3,"
        " incoming_host = ?4, incoming_port = ?5, incoming_tls = ?6, incoming_user = ?7,"
        " incoming_auth = ?8, incoming_pin = ?9, allow_insecure = ?10, smtp_host = ?11,"
        " smtp_port = ?12, smtp_tls = ?13, smtp_user = ?14, smtp_auth = ?15, smtp_pin = ?16,"
        " poll_interval = ?17, body_days = ?18, body_size_limit = ?19, folders_selection = ?20,"
        " pop3_leave_on_server = ?21, pop3_delete_after_days = ?22, state = ?23 WHERE id = ?24", error);
      return_if_no_stmt (stmt);
      bind_account (stmt, record);
      pochta_sqlite_bind_int64 (stmt, 24, record->id);
      if (!pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
      if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
        return not_found (error, "account", record->id);
    }

  note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->id, 0, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_remove_account (PochtaStoreTransaction  *txn,
                                         gint64                   account_id,
                                         GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "DELETE FROM accounts WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
    return not_found (error, "account", account_id);

  note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_upsert_identity (PochtaStoreTransaction  *txn,
                                          PochtaIdentityRecord    *record,
                                          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (record->address != NULL, FALSE);

  if (record->id == 0)
    stmt = pochta_sqlite_prepare (txn->db,
      "INSERT INTO identities (account_id, name, address, reply_to, signature, is_default)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id", error);
  else
    stmt = pochta_sqlite_prepare (txn->db,
      "UPDATE identities SET account_id = ?1, name = ?2, address = ?3, reply_to = ?4,"
      " signature = ?5, is_default = ?6 WHERE id = ?7 RETURNING id", error);
  return_if_no_stmt (stmt);

  pochta_sqlite_bind_int64 (stmt, 1, record->account_id);
  pochta_sqlite_bind_text (stmt, 2, record->name);
  pochta_sqlite_bind_text (stmt, 3, record->address);
  pochta_sqlite_bind_text (stmt, 4, record->reply_to);
  pochta_sqlite_bind_text (stmt, 5, record->signature);
  pochta_sqlite_bind_int64 (stmt, 6, record->is_default);
  if (record->id != 0)
    pochta_sqlite_bind_int64 (stmt, 7, record->id);

  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      record->id = sqlite3_column_int64 (stmt, 0);
      break;
    case SQLITE_DONE:
      return not_found (error, "identity", record->id);
    default:
      return FALSE;
    }
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  /* One default per account: the newest choice wins. */
  if (record->is_default)
    {
      stmt = pochta_sqlite_prepare (txn->db,
        "UPDATE identities SET is_default = 0 WHERE account_id = ?1 AND id != ?2", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, record->account_id);
      pochta_sqlite_bind_int64 (stmt, 2, record->id);
      if (!pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
    }

  note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->account_id, 0, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_remove_identity (PochtaStoreTransaction  *txn,
                                          gint64                   identity_id,
                                          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "DELETE FROM identities WHERE id = ?1 RETURNING account_id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, identity_id);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, sqlite3_column_int64 (stmt, 0), 0, 0);
      return TRUE;
    case SQLITE_DONE:
      return not_found (error, "identity", identity_id);
    default:
      return FALSE;
    }
}

gboolean
pochta_store_transaction_upsert_folder (PochtaStoreTransaction  *txn,
                                        PochtaFolderRecord      *record,
                                        GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (record->raw_name != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "INSERT INTO folders (account_id, name, raw_name, delimiter, parent_id, role, attributes, subscribed)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (account_id, raw_name) DO UPDATE SET name = excluded.name,"
    " delimiter = excluded.delimiter, parent_id = excluded.parent_id, role = excluded.role,"
    " attributes = excluded.attributes, subscribed = excluded.subscribed"
    " RETURNING id", error);
  return_if_no_stmt (stmt);

  pochta_sqlite_bind_int64 (stmt, 1, record->account_id);
  pochta_sqlite_bind_text (stmt, 2, record->name != NULL ? record->name : record->raw_name);
  pochta_sqlite_bind_text (stmt, 3, record->raw_name);
  pochta_sqlite_bind_text (stmt, 4, record->delimiter);
  if (record->parent_id > 0)
    pochta_sqlite_bind_int64 (stmt, 5, record->parent_id);
  pochta_sqlite_bind_int64 (stmt, 6, record->role);
  pochta_sqlite_bind_text (stmt, 7, record->attributes);
  pochta_sqlite_bind_int64 (stmt, 8, record->subscribed);

  if (pochta_sqlite_step (txn->db, stmt, error) != SQLITE_ROW)
    return FALSE;
  record->id = sqlite3_column_int64 (stmt, 0);

  note (txn, POCHTA_STORE_NOTE_FOLDER_CHANGED, record->id, 0, 0);
  note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->account_id, 0, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_remove_folder (PochtaStoreTransaction  *txn,
                                        gint64                   folder_id,
                                        GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  gint64 account_id;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "DELETE FROM folders WHERE id = ?1 RETURNING account_id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      account_id = sqlite3_column_int64 (stmt, 0);
      break;
    case SQLITE_DONE:
      return not_found (error, "folder", folder_id);
    default:
      return FALSE;
    }

  note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);
  note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_set_folder_sync_state (PochtaStoreTransaction  *txn,
                                                gint64                   folder_id,
                                                guint32                  uidvalidity,
                                                guint32                  uidnext,
                                                guint64                  highestmodseq,
                                                PochtaFolderSyncState    state,
                                                GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "UPDATE folders SET uidvalidity = ?2, uidnext = ?3, highestmodseq = ?4, sync_state = ?5,"
    " last_sync = strftime('%s', 'now') WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, uidvalidity);
  pochta_sqlite_bind_int64 (stmt, 3, uidnext);
  pochta_sqlite_bind_int64 (stmt, 4, (gint64) MIN (highestmodseq, G_MAXINT64));
  pochta_sqlite_bind_int64 (stmt, 5, state);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
    return not_found (error, "folder", folder_id);

  note (txn, POCHTA_STORE_NOTE_FOLDER_CHANGED, folder_id, 0, 0);

  return TRUE;
}

/* After a UIDVALIDITY change no cached UID means anything any more. */
gboolean
pochta_store_transaction_drop_folder_contents (PochtaStoreTransaction  *txn,
                                               gint64                   folder_id,
                                               GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "DELETE FROM messages WHERE folder_id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  stmt = pochta_sqlite_prepare (txn->db,
    "UPDATE folders SET uidnext = 0, highestmodseq = 0, sync_state = 0,"
    " unread_count = 0, total_count = 0 WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
    return not_found (error, "folder", folder_id);

  note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);

  return TRUE;
}

static const char *
last_reference (const char  *references,
                char       **out)
{
  g_auto(GStrv) ids = NULL;
  guint n;

  if (references == NULL)
    return NULL;

  ids = g_strsplit_set (references, " \t\r\n", -1);
  for (n = g_strv_length (ids); n > 0; n--)
    if (ids[n - 1][0] != '\0')
      return (*out = g_strdup (ids[n - 1]));

  return NULL;
}

/* A reply joins the thread of the message it answers when that message is
 * anywhere in the same account; otherwise it starts its own (NULL). */
static gboolean
find_thread (PochtaStoreTransaction  *txn,
             gint64                   account_id,
             const PochtaMessageRecord *record,
             gint64                  *thread_id,
             GError                 **error)
{
  g_autofree char *last_ref = NULL;
  const char *parents[] = { record->in_reply_to, last_reference (record->references, &last_ref) };

  *thread_id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (parents); i++)
    {
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      int rc;

      if (parents[i] == NULL || parents[i][0] == '\0')
        continue;

      stmt = pochta_sqlite_prepare (txn->db,
        "SELECT coalesce (m.thread_id, m.id) FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.message_id = ?1 AND f.account_id = ?2 LIMIT 1", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_text (stmt, 1, parents[i]);
      pochta_sqlite_bind_int64 (stmt, 2, account_id);
      rc = pochta_sqlite_step (txn->db, stmt, error);
      if (rc == 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        {
          *thread_id = sqlite3_column_int64 (stmt, 0);
          return TRUE;
        }
    }

  return TRUE;
}

static void
bind_message (PochtaSqliteStmt          *stmt,
              gint64                     folder_id,
              const PochtaMessageRecord *r)
{
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, r->uid);
  pochta_sqlite_bind_int64 (stmt, 3, r->flags);
  pochta_sqlite_bind_text (stmt, 4, r->keywords);
  pochta_sqlite_bind_int64 (stmt, 5, (gint64) MIN (r->modseq, G_MAXINT64));
  pochta_sqlite_bind_int64 (stmt, 6, r->internal_date);
  pochta_sqlite_bind_int64 (stmt, 7, (gint64) MIN (r->size, G_MAXINT64));
  pochta_sqlite_bind_int64 (stmt, 8, r->date);
  pochta_sqlite_bind_text (stmt, 9, r->subject);
  pochta_sqlite_bind_text (stmt, 10, r->from_name);
  pochta_sqlite_bind_text (stmt, 11, r->from_addr);
  pochta_sqlite_bind_text (stmt, 12, r->to_addrs);
  pochta_sqlite_bind_text (stmt, 13, r->cc_addrs);
  pochta_sqlite_bind_text (stmt, 14, r->message_id);
  pochta_sqlite_bind_text (stmt, 15, r->in_reply_to);
  pochta_sqlite_bind_text (stmt, 16, r->references);
  pochta_sqlite_bind_int64 (stmt, 17, r->has_attachments);
  pochta_sqlite_bind_text (stmt, 18, r->preview);
}

static gboolean
replace_attachments (PochtaStoreTransaction  *txn,
                     gint64                   message_id,
                     GPtrArray               *attachments,
                     GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) del = NULL;

  del = pochta_sqlite_prepare (txn->db, "DELETE FROM attachments WHERE message_id = ?1", error);
  return_if_no_stmt (del);
  pochta_sqlite_bind_int64 (del, 1, message_id);
  if (!pochta_sqlite_step_done (txn->db, del, error))
    return FALSE;

  for (guint i = 0; i < attachments->len; i++)
    {
      const PochtaAttachmentRecord *a = g_ptr_array_index (attachments, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;

      stmt = pochta_sqlite_prepare (txn->db,
        "INSERT OR REPLACE INTO attachments (message_id, part, filename, mime_type, size, content_id, inline)"
        " VALUES (?1, ?2, ?3, coalesce (?4, 'application/octet-stream'), ?5, ?6, ?7)", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, message_id);
      pochta_sqlite_bind_text (stmt, 2, a->part != NULL ? a->part : "");
      pochta_sqlite_bind_text (stmt, 3, a->filename);
      pochta_sqlite_bind_text (stmt, 4, a->mime_type);
      pochta_sqlite_bind_int64 (stmt, 5, (gint64) MIN (a->size, G_MAXINT64));
      pochta_sqlite_bind_text (stmt, 6, a->content_id);
      pochta_sqlite_bind_int64 (stmt, 7, a->inline_);
      if (!pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
pochta_store_transaction_lookup_uid (PochtaStoreTransaction  *txn,
                                     gint64                   folder_id,
                                     guint32                  uid,
                                     gint64                  *message_id,
                                     GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "SELECT id FROM messages WHERE folder_id = ?1 AND uid = ?2", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, uid);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      *message_id = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                   _("No message with UID %u in folder %" G_GINT64_FORMAT " of the mail cache"),
                   uid, folder_id);
      return FALSE;
    default:
      return FALSE;
    }
}

/* Inserts new (folder, uid) rows and updates existing ones in place, so a
 * row keeps its id, thread and body however often a header is refetched. */
gboolean
pochta_store_transaction_add_messages (PochtaStoreTransaction  *txn,
                                       gint64                   folder_id,
                                       GPtrArray               *records,
                                       GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) folder = NULL;
  gint64 account_id;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  folder = pochta_sqlite_prepare (txn->db, "SELECT account_id FROM folders WHERE id = ?1", error);
  return_if_no_stmt (folder);
  pochta_sqlite_bind_int64 (folder, 1, folder_id);
  switch (pochta_sqlite_step (txn->db, folder, error))
    {
    case SQLITE_ROW:
      account_id = sqlite3_column_int64 (folder, 0);
      break;
    case SQLITE_DONE:
      return not_found (error, "folder", folder_id);
    default:
      return FALSE;
    }
  pochta_sqlite_stmt_release (g_steal_pointer (&folder));

  for (guint i = 0; i < records->len; i++)
    {
      PochtaMessageRecord *record = g_ptr_array_index (records, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 existing = 0;
      gint64 thread_id = 0;

      if (!pochta_store_transaction_lookup_uid (txn, folder_id, record->uid, &existing, &local_error))
        {
          if (!g_error_matches (local_error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          existing = 0;
        }

      if (existing == 0)
        {
          if (!find_thread (txn, account_id, record, &thread_id, error))
            return FALSE;

          stmt = pochta_sqlite_prepare (txn->db,
            "INSERT INTO messages (folder_id, uid, flags, keywords, modseq, internal_date, size, date,"
            " subject, from_name, from_addr, to_addrs, cc_addrs, message_id, in_reply_to, refs,"
            " has_attachments, preview, thread_id)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            error);
          return_if_no_stmt (stmt);
          bind_message (stmt, folder_id, record);
          if (thread_id != 0)
            pochta_sqlite_bind_int64 (stmt, 19, thread_id);
          if (!pochta_sqlite_step_done (txn->db, stmt, error))
            return FALSE;
          record->id = sqlite3_last_insert_rowid (pochta_sqlite_get_handle (txn->db));
          note (txn, POCHTA_STORE_NOTE_MESSAGE_ADDED, folder_id, record->id, record->internal_date);
        }
      else
        {
          stmt = pochta_sqlite_prepare (txn->db,
            "UPDATE messages SET flags = ?3, keywords = ?4, modseq = ?5, internal_date = ?6, size = ?7,"
            " date = ?8, subject = ?9, from_name = ?10, from_addr = ?11, to_addrs = ?12, cc_addrs = ?13,"
            " message_id = ?14, in_reply_to = ?15, refs = ?16, has_attachments = ?17, preview = ?18"
            " WHERE folder_id = ?1 AND uid = ?2", error);
          return_if_no_stmt (stmt);
          bind_message (stmt, folder_id, record);
          if (!pochta_sqlite_step_done (txn->db, stmt, error))
            return FALSE;
          record->id = existing;
          note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id, record->id, record->internal_date);
        }

      if (record->attachments != NULL &&
          !replace_attachments (txn, record->id, record->attachments, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
pochta_store_transaction_update_flags (PochtaStoreTransaction  *txn,
                                       gint64                   folder_id,
                                       const PochtaFlagUpdate  *updates,
                                       guint                    n_updates,
                                       GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (updates != NULL || n_updates == 0, FALSE);

  for (guint i = 0; i < n_updates; i++)
    {
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      int rc;

      /* UIDs the cache does not know are not an error: a sweep reports
       * flags for messages whose headers may still be on the way. */
      stmt = pochta_sqlite_prepare (txn->db,
        "UPDATE messages SET flags = ?3, keywords = ?4, modseq = max (modseq, ?5)"
        " WHERE folder_id = ?1 AND uid = ?2 AND (flags != ?3 OR keywords IS NOT ?4 OR modseq < ?5)"
        " RETURNING id, internal_date", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, folder_id);
      pochta_sqlite_bind_int64 (stmt, 2, updates[i].uid);
      pochta_sqlite_bind_int64 (stmt, 3, updates[i].flags);
      pochta_sqlite_bind_text (stmt, 4, updates[i].keywords);
      pochta_sqlite_bind_int64 (stmt, 5, (gint64) MIN (updates[i].modseq, G_MAXINT64));

      while ((rc = pochta_sqlite_step (txn->db, stmt, error)) == SQLITE_ROW)
        note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id,
              sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1));
      if (rc == 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
pochta_store_transaction_change_flags (PochtaStoreTransaction  *txn,
                                       gint64                   message_id,
                                       PochtaMessageFlags       add,
                                       PochtaMessageFlags       remove,
                                       GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "UPDATE messages SET flags = (flags | ?2) & ~?3 WHERE id = ?1 RETURNING folder_id, internal_date",
    error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_int64 (stmt, 2, add);
  pochta_sqlite_bind_int64 (stmt, 3, remove);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, sqlite3_column_int64 (stmt, 0),
            message_id, sqlite3_column_int64 (stmt, 1));
      return TRUE;
    case SQLITE_DONE:
      return not_found (error, "message", message_id);
    default:
      return FALSE;
    }
}

gboolean
pochta_store_transaction_remove_uids (PochtaStoreTransaction  *txn,
                                      gint64                   folder_id,
                                      const guint32           *uids,
                                      guint                    n_uids,
                                      GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (uids != NULL || n_uids == 0, FALSE);

  for (guint i = 0; i < n_uids; i++)
    {
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      int rc;

      stmt = pochta_sqlite_prepare (txn->db,
        "DELETE FROM messages WHERE folder_id = ?1 AND uid = ?2 RETURNING id, internal_date", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, folder_id);
      pochta_sqlite_bind_int64 (stmt, 2, uids[i]);
      while ((rc = pochta_sqlite_step (txn->db, stmt, error)) == SQLITE_ROW)
        note (txn, POCHTA_STORE_NOTE_MESSAGE_REMOVED, folder_id,
              sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1));
      if (rc == 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
pochta_store_transaction_remove_message (PochtaStoreTransaction  *txn,
                                         gint64                   message_id,
                                         GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "DELETE FROM messages WHERE id = ?1 RETURNING folder_id, internal_date", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      note (txn, POCHTA_STORE_NOTE_MESSAGE_REMOVED, sqlite3_column_int64 (stmt, 0),
            message_id, sqlite3_column_int64 (stmt, 1));
      return TRUE;
    case SQLITE_DONE:
      return not_found (error, "message", message_id);
    default:
      return FALSE;
    }
}

/* Bodies are keyed by their SHA-256, so the same message in Inbox and All
 * Mail (or sent to two of the person's addresses) is stored once. @text is
 * what the MIME module extracted for the full-text index. */
gboolean
pochta_store_transaction_set_body (PochtaStoreTransaction  *txn,
                                   gint64                   message_id,
                                   GBytes                  *raw,
                                   const char              *text,
                                   GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *sha256 = NULL;
  gint64 body_id = 0;
  gint64 folder_id;
  gint64 internal_date;
  int rc;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (raw != NULL, FALSE);

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, raw);

  stmt = pochta_sqlite_prepare (txn->db, "SELECT id FROM bodies WHERE sha256 = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_text (stmt, 1, sha256);
  if ((rc = pochta_sqlite_step (txn->db, stmt, error)) == 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    body_id = sqlite3_column_int64 (stmt, 0);
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  if (body_id == 0)
    {
      stmt = pochta_sqlite_prepare (txn->db,
        "INSERT INTO bodies (sha256, size, raw) VALUES (?1, ?2, ?3)", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_text (stmt, 1, sha256);
      pochta_sqlite_bind_int64 (stmt, 2, g_bytes_get_size (raw));
      if (!pochta_sqlite_bind_bytes (txn->db, stmt, 3, raw, error) ||
          !pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
      body_id = sqlite3_last_insert_rowid (pochta_sqlite_get_handle (txn->db));
      pochta_sqlite_stmt_release (g_steal_pointer (&stmt));
    }

  stmt = pochta_sqlite_prepare (txn->db,
    "UPDATE messages SET body_id = ?2, body_state = 2 WHERE id = ?1 RETURNING folder_id, internal_date",
    error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_int64 (stmt, 2, body_id);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      folder_id = sqlite3_column_int64 (stmt, 0);
      internal_date = sqlite3_column_int64 (stmt, 1);
      break;
    case SQLITE_DONE:
      /* The savepoint of the job undoes the body row inserted above. */
      return not_found (error, "message", message_id);
    default:
      return FALSE;
    }
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  stmt = pochta_sqlite_prepare (txn->db, "UPDATE messages_fts SET body = ?2 WHERE rowid = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_text (stmt, 2, text);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;

  note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id, message_id, internal_date);

  return TRUE;
}

gboolean
pochta_store_transaction_enqueue_pending_op (PochtaStoreTransaction  *txn,
                                             gint64                   account_id,
                                             const char              *kind,
                                             const char              *payload,
                                             gint64                  *op_id,
                                             GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "INSERT INTO pending_ops (account_id, kind, payload) VALUES (?1, ?2, ?3) RETURNING id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  pochta_sqlite_bind_text (stmt, 2, kind);
  pochta_sqlite_bind_text (stmt, 3, payload != NULL ? payload : "");
  if (pochta_sqlite_step (txn->db, stmt, error) != SQLITE_ROW)
    return FALSE;
  if (op_id != NULL)
    *op_id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static gboolean
run_by_id (PochtaStoreTransaction  *txn,
           const char              *sql,
           const char              *what,
           gint64                   id,
           const char              *text,
           gint64                   number,
           GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (txn->db, sql, error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    pochta_sqlite_bind_text (stmt, 2, text);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    pochta_sqlite_bind_int64 (stmt, 3, number);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
    return not_found (error, what, id);

  return TRUE;
}

gboolean
pochta_store_transaction_remove_pending_op (PochtaStoreTransaction  *txn,
                                            gint64                   op_id,
                                            GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  return run_by_id (txn, "DELETE FROM pending_ops WHERE id = ?1", "pending operation", op_id, NULL, 0, error);
}

gboolean
pochta_store_transaction_fail_pending_op (PochtaStoreTransaction  *txn,
                                          gint64                   op_id,
                                          const char              *message,
                                          GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  return run_by_id (txn, "UPDATE pending_ops SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                    "pending operation", op_id, message, 0, error);
}

gboolean
pochta_store_transaction_add_outbox (PochtaStoreTransaction  *txn,
                                     gint64                   account_id,
                                     GBytes                  *raw,
                                     gint64                  *outbox_id,
                                     GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (raw != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db,
    "INSERT INTO outbox (account_id, raw) VALUES (?1, ?2) RETURNING id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (!pochta_sqlite_bind_bytes (txn->db, stmt, 2, raw, error) ||
      pochta_sqlite_step (txn->db, stmt, error) != SQLITE_ROW)
    return FALSE;
  if (outbox_id != NULL)
    *outbox_id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

gboolean
pochta_store_transaction_set_outbox_state (PochtaStoreTransaction  *txn,
                                           gint64                   outbox_id,
                                           int                      state,
                                           const char              *message,
                                           GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  return run_by_id (txn,
                    "UPDATE outbox SET state = ?3, error = ?2,"
                    " attempts = attempts + (?3 = 2) WHERE id = ?1",
                    "outgoing message", outbox_id, message, state, error);
}

gboolean
pochta_store_transaction_remove_outbox (PochtaStoreTransaction  *txn,
                                        gint64                   outbox_id,
                                        GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  return run_by_id (txn, "DELETE FROM outbox WHERE id = ?1", "outgoing message", outbox_id, NULL, 0, error);
}
