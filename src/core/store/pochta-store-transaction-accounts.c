/* pochta-store-transaction-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking writes of accounts, identities, folders, the offline queue and the outbox.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-transaction.h"
#include "pochta-store-worker-private.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

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
  pochta_sqlite_bind_text (stmt, 24, r->uuid);
  if (r->sync_folder_list != NULL && r->sync_folder_list[0] != NULL)
    {
      g_autoptr(GVariant) list = g_variant_ref_sink (g_variant_new_strv ((const char * const *) r->sync_folder_list, -1));
      g_autofree char *text = g_variant_print (list, FALSE);

      pochta_sqlite_bind_text (stmt, 25, text);
    }
  pochta_sqlite_bind_int64 (stmt, 26, r->smtp_allow_insecure);
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
      /* Every row has a uuid, so that an account saved by id alone can
       * still be found by the repository later. */
      if (record->uuid == NULL)
        record->uuid = g_uuid_string_random ();

      stmt = pochta_sqlite_prepare (txn->db,
        "INSERT INTO accounts (display_name, position, incoming_protocol, incoming_host,"
        " incoming_port, incoming_tls, incoming_user, incoming_auth, incoming_pin, allow_insecure,"
        " smtp_host, smtp_port, smtp_tls, smtp_user, smtp_auth, smtp_pin, poll_interval, body_days,"
        " body_size_limit, folders_selection, pop3_leave_on_server, pop3_delete_after_days, state,"
        " uuid, sync_folder_list, smtp_allow_insecure)"
        " VALUES (?1, CASE WHEN ?2 < 0 THEN (SELECT coalesce (max (position) + 1, 0) FROM accounts)"
        " ELSE ?2 END, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"
        " ON CONFLICT (uuid) DO UPDATE SET display_name = ?1,"
        " position = CASE WHEN ?2 < 0 THEN position ELSE ?2 END, incoming_protocol = ?3,"
        " incoming_host = ?4, incoming_port = ?5, incoming_tls = ?6, incoming_user = ?7,"
        " incoming_auth = ?8, incoming_pin = ?9, allow_insecure = ?10, smtp_host = ?11,"
        " smtp_port = ?12, smtp_tls = ?13, smtp_user = ?14, smtp_auth = ?15, smtp_pin = ?16,"
        " poll_interval = ?17, body_days = ?18, body_size_limit = ?19, folders_selection = ?20,"
        " pop3_leave_on_server = ?21, pop3_delete_after_days = ?22, state = ?23,"
        " sync_folder_list = ?25, smtp_allow_insecure = ?26"
        " RETURNING id", error);
      return_if_no_stmt (stmt);
      bind_account (stmt, record);
      if (pochta_sqlite_step (txn->db, stmt, error) != SQLITE_ROW)
        return FALSE;
      record->id = sqlite3_column_int64 (stmt, 0);
    }
  else
    {
      stmt = pochta_sqlite_prepare (txn->db,
        "UPDATE accounts SET display_name = ?1,"
        " position = CASE WHEN ?2 < 0 THEN position ELSE ?2 END, incoming_protocol = ?3,"
        " incoming_host = ?4, incoming_port = ?5, incoming_tls = ?6, incoming_user = ?7,"
        " incoming_auth = ?8, incoming_pin = ?9, allow_insecure = ?10, smtp_host = ?11,"
        " smtp_port = ?12, smtp_tls = ?13, smtp_user = ?14, smtp_auth = ?15, smtp_pin = ?16,"
        " poll_interval = ?17, body_days = ?18, body_size_limit = ?19, folders_selection = ?20,"
        " pop3_leave_on_server = ?21, pop3_delete_after_days = ?22, state = ?23,"
        " uuid = coalesce (?24, uuid), sync_folder_list = ?25, smtp_allow_insecure = ?26"
        " WHERE id = ?27", error);
      return_if_no_stmt (stmt);
      bind_account (stmt, record);
      pochta_sqlite_bind_int64 (stmt, 27, record->id);
      if (!pochta_sqlite_step_done (txn->db, stmt, error))
        return FALSE;
      if (sqlite3_changes (pochta_sqlite_get_handle (txn->db)) == 0)
        return _pochta_store_not_found (error, "account", record->id);
    }

  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->id, 0, 0);

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
    return _pochta_store_not_found (error, "account", account_id);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);

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
      "INSERT INTO identities (account_id, name, address, reply_to, signature, is_default, position)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8) RETURNING id", error);
  else
    stmt = pochta_sqlite_prepare (txn->db,
      "UPDATE identities SET account_id = ?1, name = ?2, address = ?3, reply_to = ?4,"
      " signature = ?5, is_default = ?6, position = ?8 WHERE id = ?7 RETURNING id", error);
  return_if_no_stmt (stmt);

  pochta_sqlite_bind_int64 (stmt, 1, record->account_id);
  pochta_sqlite_bind_text (stmt, 2, record->name);
  pochta_sqlite_bind_text (stmt, 3, record->address);
  pochta_sqlite_bind_text (stmt, 4, record->reply_to);
  pochta_sqlite_bind_text (stmt, 5, record->signature);
  pochta_sqlite_bind_int64 (stmt, 6, record->is_default);
  if (record->id != 0)
    pochta_sqlite_bind_int64 (stmt, 7, record->id);
  pochta_sqlite_bind_int64 (stmt, 8, record->position);

  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      record->id = sqlite3_column_int64 (stmt, 0);
      break;
    case SQLITE_DONE:
      return _pochta_store_not_found (error, "identity", record->id);
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

  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->account_id, 0, 0);

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
      _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, sqlite3_column_int64 (stmt, 0), 0, 0);
      return TRUE;
    case SQLITE_DONE:
      return _pochta_store_not_found (error, "identity", identity_id);
    default:
      return FALSE;
    }
}

/**
 * pochta_store_transaction_replace_identities:
 * @records: (element-type PochtaIdentityRecord): the identities in order;
 *   their ids, account ids and positions are filled in
 *
 * Makes @records the account's identities, in this order, in place of
 * whatever it had.
 */
gboolean
pochta_store_transaction_replace_identities (PochtaStoreTransaction  *txn,
                                             gint64                   account_id,
                                             GPtrArray               *records,
                                             GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  stmt = pochta_sqlite_prepare (txn->db, "DELETE FROM identities WHERE account_id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (!pochta_sqlite_step_done (txn->db, stmt, error))
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      PochtaIdentityRecord *record = g_ptr_array_index (records, i);

      record->id = 0;
      record->account_id = account_id;
      record->position = i;
      if (!pochta_store_transaction_upsert_identity (txn, record, error))
        return FALSE;
    }

  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);

  return TRUE;
}

/**
 * pochta_store_transaction_find_account:
 * @account_id: (out): the account's row id, 0 when there is none
 *
 * Looks up the account saved under @uuid (PochtaAccount:id).
 */
gboolean
pochta_store_transaction_find_account (PochtaStoreTransaction  *txn,
                                       const char              *uuid,
                                       gint64                  *account_id,
                                       GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  *account_id = 0;
  stmt = pochta_sqlite_prepare (txn->db, "SELECT id FROM accounts WHERE uuid = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_text (stmt, 1, uuid);
  switch (pochta_sqlite_step (txn->db, stmt, error))
    {
    case SQLITE_ROW:
      *account_id = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
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

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_CHANGED, record->id, 0, 0);
  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, record->account_id, 0, 0);

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
      return _pochta_store_not_found (error, "folder", folder_id);
    default:
      return FALSE;
    }

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_RESET, folder_id, 0, 0);
  _pochta_store_note (txn, POCHTA_STORE_NOTE_ACCOUNT_CHANGED, account_id, 0, 0);

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
    return _pochta_store_not_found (error, "folder", folder_id);

  _pochta_store_note (txn, POCHTA_STORE_NOTE_FOLDER_CHANGED, folder_id, 0, 0);

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
    return _pochta_store_not_found (error, what, id);

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
