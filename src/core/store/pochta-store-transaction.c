/* pochta-store-transaction.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking writes for code that runs on the store's writer thread, inside a job's transaction.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/crypto.h>

#include "pochta-store-error.h"
#include "pochta-store-transaction.h"
#include "pochta-store-worker-private.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

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

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);
}

/* For jobs that insert, delete or move message rows with their own SQL: a
 * move is announced as a removal from the old folder and an addition to
 * the new one, so both lists follow it without reloading. */
void
pochta_store_transaction_note_message_added (PochtaStoreTransaction *txn,
                                             gint64                  folder_id,
                                             gint64                  message_id,
                                             gint64                  internal_date)
{
  g_return_if_fail (txn != NULL);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_ADDED, folder_id, message_id, internal_date);
}

void
pochta_store_transaction_note_message_removed (PochtaStoreTransaction *txn,
                                               gint64                  folder_id,
                                               gint64                  message_id,
                                               gint64                  internal_date)
{
  g_return_if_fail (txn != NULL);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_REMOVED, folder_id, message_id, internal_date);
}

/* The folder's own row (name, counts) changed: e.g. flags changed with
 * pochta_store_transaction_change_flags() moved its unread count. */
void
pochta_store_transaction_note_folder_changed (PochtaStoreTransaction *txn,
                                              gint64                  folder_id)
{
  g_return_if_fail (txn != NULL);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_CHANGED, folder_id, 0, 0);
}

/* The account's list of folders changed (a folder renamed with own SQL). */
void
pochta_store_transaction_note_account_changed (PochtaStoreTransaction *txn,
                                               gint64                  account_id)
{
  g_return_if_fail (txn != NULL);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);
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
    return _pochta_store_not_found (error, "folder", folder_id);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);

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

/* The same text the schema's update trigger puts in messages_fts.addresses. */
static char *
fts_addresses (const PochtaMessageRecord *r)
{
  return g_strjoin (" ",
                    r->from_name != NULL ? r->from_name : "",
                    r->from_addr != NULL ? r->from_addr : "",
                    r->to_addrs != NULL ? r->to_addrs : "",
                    r->cc_addrs != NULL ? r->cc_addrs : "",
                    NULL);
}

static gboolean
index_new_message (PochtaStoreTransaction     *txn,
                   const PochtaMessageRecord  *record,
                   GError                    **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *addresses = fts_addresses (record);

  stmt = pochta_sqlite_prepare (txn->db,
    "INSERT INTO messages_fts (rowid, subject, addresses) VALUES (?1, ?2, ?3)", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, record->id);
  pochta_sqlite_bind_text (stmt, 2, record->subject);
  pochta_sqlite_bind_text (stmt, 3, addresses);

  return pochta_sqlite_step_done (txn->db, stmt, error);
}

static gboolean
add_to_counts (PochtaStoreTransaction  *txn,
               gint64                   folder_id,
               gint64                   total,
               gint64                   unread,
               GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (total == 0 && unread == 0)
    return TRUE;

  stmt = pochta_sqlite_prepare (txn->db,
    "UPDATE folders SET total_count = total_count + ?2, unread_count = unread_count + ?3 WHERE id = ?1",
    error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, total);
  pochta_sqlite_bind_int64 (stmt, 3, unread);

  return pochta_sqlite_step_done (txn->db, stmt, error);
}

#define ATTACHMENT_INSERT \
  "INTO attachments (message_id, part, filename, mime_type, size, content_id, inline)" \
  " VALUES (?1, ?2, ?3, coalesce (?4, 'application/octet-stream'), ?5, ?6, ?7)"

/* A new row has no attachments yet: it skips the DELETE and takes an
 * INSERT OR IGNORE. Both the DELETE and INSERT OR REPLACE open a statement
 * savepoint, and at each of those FTS5 writes out the terms pending in the
 * transaction as a segment of its own: for new rows that was a segment
 * (and its merges) per message, some 15% of the CPU of a header sync. */
static gboolean
replace_attachments (PochtaStoreTransaction  *txn,
                     gint64                   message_id,
                     gboolean                 new_message,
                     GPtrArray               *attachments,
                     GError                 **error)
{
  if (!new_message)
    {
      g_autoptr(PochtaSqliteStmt) del = NULL;

      del = pochta_sqlite_prepare (txn->db, "DELETE FROM attachments WHERE message_id = ?1", error);
      return_if_no_stmt (del);
      pochta_sqlite_bind_int64 (del, 1, message_id);
      if (!pochta_sqlite_step_done (txn->db, del, error))
        return FALSE;
    }

  for (guint i = 0; i < attachments->len; i++)
    {
      const PochtaAttachmentRecord *a = g_ptr_array_index (attachments, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;

      /* OR IGNORE keeps the first of two parts a broken BODYSTRUCTURE
       * names alike, as OR REPLACE kept the last, without a savepoint. */
      stmt = pochta_sqlite_prepare (txn->db,
                                    new_message ? "INSERT OR IGNORE " ATTACHMENT_INSERT
                                                : "INSERT OR REPLACE " ATTACHMENT_INSERT,
                                    error);
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

/* The row of (folder, uid) in *message_id, 0 if there is none: a new row
 * in a sync is the common case, too common to build a GError for. */
static gboolean
find_uid (PochtaStoreTransaction  *txn,
          gint64                   folder_id,
          guint32                  uid,
          gint64                  *message_id,
          GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  *message_id = 0;
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
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
pochta_store_transaction_lookup_uid (PochtaStoreTransaction  *txn,
                                     gint64                   folder_id,
                                     guint32                  uid,
                                     gint64                  *message_id,
                                     GError                 **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  if (!find_uid (txn, folder_id, uid, message_id, error))
    return FALSE;
  if (*message_id == 0)
    {
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                   _("No message with UID %u in folder %lld of the mail cache"),
                   uid, (long long) folder_id);
      return FALSE;
    }

  return TRUE;
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
  gint64 added = 0;
  gint64 added_unread = 0;

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
      return _pochta_store_not_found (error, "folder", folder_id);
    default:
      return FALSE;
    }
  pochta_sqlite_stmt_release (g_steal_pointer (&folder));

  for (guint i = 0; i < records->len; i++)
    {
      PochtaMessageRecord *record = g_ptr_array_index (records, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      gint64 existing = 0;
      gint64 thread_id = 0;

      /* Nearly every record is new: the insert itself finds out whether
       * the UID is there already, instead of a SELECT before it. */
      if (!find_thread (txn, account_id, record, &thread_id, error))
        return FALSE;

      stmt = pochta_sqlite_prepare (txn->db,
        "INSERT INTO messages (folder_id, uid, flags, keywords, modseq, internal_date, size, date,"
        " subject, from_name, from_addr, to_addrs, cc_addrs, message_id, in_reply_to, refs,"
        " has_attachments, preview, thread_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
        " ON CONFLICT (folder_id, uid) DO NOTHING",
        error);
      return_if_no_stmt (stmt);
      bind_message (stmt, folder_id, record);
      if (thread_id != 0)
        pochta_sqlite_bind_int64 (stmt, 19, thread_id);
      if (!pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
      pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

      if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) > 0)
        {
          record->id = sqlite3_last_insert_rowid (pochta_sqlite_get_handle (txn->db));
          if (!index_new_message (txn, record, error))
            return FALSE;
          added++;
          if ((record->flags & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0)
            added_unread++;
          _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_ADDED, folder_id, record->id, record->internal_date);
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
          if (!pochta_sqlite_step_done (txn->db, stmt, error)
              || !find_uid (txn, folder_id, record->uid, &existing, error))
            return FALSE;
          record->id = existing;
          _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id, record->id, record->internal_date);
        }

      if (record->attachments != NULL &&
          !replace_attachments (txn, record->id, existing == 0, record->attachments, error))
        return FALSE;
    }

  return add_to_counts (txn, folder_id, added, added_unread, error);
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
        _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id,
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
      _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, sqlite3_column_int64 (stmt, 0),
            message_id, sqlite3_column_int64 (stmt, 1));
      return TRUE;
    case SQLITE_DONE:
      return _pochta_store_not_found (error, "message", message_id);
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
        _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_REMOVED, folder_id,
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
      _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_REMOVED, sqlite3_column_int64 (stmt, 0),
            message_id, sqlite3_column_int64 (stmt, 1));
      return TRUE;
    case SQLITE_DONE:
      return _pochta_store_not_found (error, "message", message_id);
    default:
      return FALSE;
    }
}

/* Bodies carry their SHA-256, so the same message in Inbox and All Mail
 * (or sent to two of the person's addresses) is stored once. GnuTLS
 * hashes with the CPU's SHA instructions where it has them: five times
 * GLib's portable code, which was a quarter of a full sync's parsing. */
char *
pochta_store_body_checksum (GBytes *raw)
{
  static const char hex[] = "0123456789abcdef";
  guint8 digest[32];
  char *out;
  gsize size;
  const void *data;

  g_return_val_if_fail (raw != NULL, NULL);

  data = g_bytes_get_data (raw, &size);
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, size, digest) < 0)
    return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, raw);

  out = g_new (char, 2 * sizeof digest + 1);
  for (gsize i = 0; i < sizeof digest; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[2 * sizeof digest] = '\0';

  return out;
}

gboolean
pochta_store_transaction_set_body (PochtaStoreTransaction  *txn,
                                   gint64                   message_id,
                                   GBytes                  *raw,
                                   const char              *text,
                                   GError                 **error)
{
  g_autofree char *checksum = NULL;

  g_return_val_if_fail (raw != NULL, FALSE);

  checksum = pochta_store_body_checksum (raw);
  return pochta_store_transaction_set_body_with_checksum (txn, message_id, raw, checksum, text, error);
}

gboolean
pochta_store_transaction_set_body_with_checksum (PochtaStoreTransaction  *txn,
                                                 gint64                   message_id,
                                                 GBytes                  *raw,
                                                 const char              *sha256,
                                                 const char              *text,
                                                 GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  gint64 body_id = 0;
  gint64 folder_id;
  gint64 internal_date;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  /* The row first, so that a message gone meanwhile leaves nothing behind
   * and callers storing many bodies in one job can skip it. With it, the
   * body it may share: the same body is the same message in another
   * folder (or the same mail sent to two of the person's addresses), so
   * it is looked for among the messages with this one's Message-ID and
   * the hash confirms it. (An index on the hash itself cost a page write
   * per body.) */
  stmt = pochta_sqlite_prepare (txn->db,
    "SELECT m.folder_id, m.internal_date,"
    " (SELECT b.id FROM messages o JOIN bodies b ON b.id = o.body_id"
    "   WHERE o.message_id = m.message_id AND b.sha256 = ?2 LIMIT 1)"
    " FROM messages m WHERE m.id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_text (stmt, 2, sha256);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      folder_id = sqlite3_column_int64 (stmt, 0);
      internal_date = sqlite3_column_int64 (stmt, 1);
      body_id = sqlite3_column_int64 (stmt, 2);
      break;
    case SQLITE_DONE:
      return _pochta_store_not_found (error, "message", message_id);
    default:
      return FALSE;
    }
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

  stmt = pochta_sqlite_prepare (txn->db, "UPDATE messages SET body_id = ?2, body_state = 2 WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_int64 (stmt, 2, body_id);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  stmt = pochta_sqlite_prepare (txn->db, "UPDATE messages_fts SET body = ?2 WHERE rowid = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_text (stmt, 2, text);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;

  _pochta_store_note (txn, POCHTA_STORE_NOTE_MESSAGE_CHANGED, folder_id, message_id, internal_date);

  return TRUE;
}
