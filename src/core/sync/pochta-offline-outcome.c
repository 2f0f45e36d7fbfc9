/* pochta-offline-outcome.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a replayed operation leaves in the cache, written in the same
 * transaction that takes it off the queue: real UIDs for placeholder rows,
 * later operations rewritten to use them, and folders marked for resync.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-offline-store-private.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

PochtaOfflineOutcome *
_pochta_offline_outcome_new (gint64 op_id,
                             gint64 account_id)
{
  PochtaOfflineOutcome *outcome = g_new0 (PochtaOfflineOutcome, 1);

  outcome->op_id = op_id;
  outcome->account_id = account_id;
  outcome->resolved = g_array_new (FALSE, FALSE, sizeof (PochtaOfflineRef));
  outcome->forget = g_array_new (FALSE, FALSE, sizeof (gint64));
  outcome->resync = g_ptr_array_new_with_free_func (g_free);
  outcome->refetch = g_ptr_array_new_with_free_func (g_free);

  return outcome;
}

void
_pochta_offline_outcome_free (PochtaOfflineOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_free (outcome->fail_message);
  g_free (outcome->dest);
  g_clear_pointer (&outcome->resolved, g_array_unref);
  g_clear_pointer (&outcome->forget, g_array_unref);
  g_clear_pointer (&outcome->resync, g_ptr_array_unref);
  g_clear_pointer (&outcome->refetch, g_ptr_array_unref);
  g_free (outcome->created);
  g_free (outcome);
}

static PochtaSqlite *
db_of (PochtaStoreTransaction *txn)
{
  return pochta_store_transaction_get_sqlite (txn);
}

typedef struct
{
  gint64  id;
  char   *kind;
  char   *payload;
} LaterOp;

static void
later_op_clear (LaterOp *op)
{
  g_free (op->kind);
  g_free (op->payload);
}

static GArray *
list_later_ops (PochtaStoreTransaction  *txn,
                gint64                   account_id,
                gint64                   op_id,
                GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GArray) ops = g_array_new (FALSE, TRUE, sizeof (LaterOp));
  int rc;

  g_array_set_clear_func (ops, (GDestroyNotify) later_op_clear);
  stmt = pochta_sqlite_prepare (db_of (txn),
    "SELECT id, kind, payload FROM pending_ops WHERE account_id = ?1 AND id > ?2 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  pochta_sqlite_bind_int64 (stmt, 2, op_id);
  while ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == SQLITE_ROW)
    {
      LaterOp op = {
        sqlite3_column_int64 (stmt, 0),
        pochta_sqlite_column_dup_text (stmt, 1),
        pochta_sqlite_column_dup_text (stmt, 2),
      };

      g_array_append_val (ops, op);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&ops) : NULL;
}

/* @name after a rename of @from (or of a folder above it) to @to. */
static char *
follow_rename (const char *name,
               const char *from,
               const char *to,
               const char *delimiter)
{
  gsize len = strlen (from);

  if (g_strcmp0 (name, from) == 0)
    return g_strdup (to);
  if (delimiter != NULL && *delimiter != '\0' && g_str_has_prefix (name, from) &&
      g_str_has_prefix (name + len, delimiter))
    return g_strconcat (to, name + len, NULL);

  return NULL;
}

static char *
account_delimiter (PochtaStoreTransaction *txn,
                   gint64                  account_id)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (db_of (txn),
    "SELECT delimiter FROM folders WHERE account_id = ?1 AND delimiter IS NOT NULL"
    " AND delimiter != '' ORDER BY id LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (pochta_sqlite_step (db_of (txn), stmt, NULL) != SQLITE_ROW)
    return NULL;

  return pochta_sqlite_column_dup_text (stmt, 0);
}

static gboolean
set_payload (PochtaStoreTransaction      *txn,
             gint64                       op_id,
             const PochtaOfflinePayload  *payload,
             GError                     **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *text = _pochta_offline_payload_print (payload);

  stmt = pochta_sqlite_prepare (db_of (txn), "UPDATE pending_ops SET payload = ?2 WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, op_id);
  pochta_sqlite_bind_text (stmt, 2, text);

  return pochta_sqlite_step_done (db_of (txn), stmt, error);
}

/* Step 2 of the placeholder rule (pochta-offline-private.h): later
 * operations on @start_name learn the real UIDs of the outcome. Returns in
 * @final_name what that folder is called once the queued renames are done,
 * which is its name in the cache now. */
static gboolean
rewrite_later_ops (PochtaStoreTransaction  *txn,
                   PochtaOfflineOutcome    *outcome,
                   const char              *start_name,
                   char                   **final_name,
                   GError                 **error)
{
  g_autoptr(GHashTable) uids = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
  g_autoptr(GArray) ops = NULL;
  g_autofree char *delimiter = NULL;
  g_autofree char *name = g_strdup (start_name);

  for (guint i = 0; i < outcome->resolved->len; i++)
    {
      PochtaOfflineRef *ref = &g_array_index (outcome->resolved, PochtaOfflineRef, i);

      g_hash_table_insert (uids, &ref->target, ref);
    }

  if (!(ops = list_later_ops (txn, outcome->account_id, outcome->op_id, error)))
    return FALSE;
  delimiter = account_delimiter (txn, outcome->account_id);

  for (guint i = 0; i < ops->len; i++)
    {
      const LaterOp *op = &g_array_index (ops, LaterOp, i);
      g_autoptr(PochtaOfflinePayload) payload = NULL;
      gboolean changed = FALSE;

      /* An operation this code cannot read is dropped when its turn comes. */
      if (!(payload = _pochta_offline_payload_parse (op->kind, op->payload, NULL)))
        continue;

      if (g_str_equal (op->kind, POCHTA_OFFLINE_KIND_RENAME_FOLDER))
        {
          char *renamed = follow_rename (name, payload->folder, payload->new_name, delimiter);

          if (renamed != NULL)
            {
              g_free (name);
              name = renamed;
            }
          continue;
        }

      if (g_strcmp0 (payload->folder, name) != 0)
        continue;

      for (guint j = 0; j < payload->refs->len; j++)
        {
          PochtaOfflineRef *ref = &g_array_index (payload->refs, PochtaOfflineRef, j);
          const PochtaOfflineRef *real;

          if (ref->uid != 0 || ref->row == 0 || !(real = g_hash_table_lookup (uids, &ref->row)))
            continue;
          ref->uid = real->uid;
          changed = TRUE;
        }
      if (changed && payload->uidvalidity == 0)
        payload->uidvalidity = outcome->dest_uidvalidity;

      if (changed && !set_payload (txn, op->id, payload, error))
        return FALSE;
    }

  *final_name = g_steal_pointer (&name);

  return TRUE;
}

static gboolean
remove_row (PochtaStoreTransaction  *txn,
            const char              *sql,
            gint64                   a,
            gint64                   b,
            gint64                   c,
            GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  stmt = pochta_sqlite_prepare (db_of (txn), sql, error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, a);
  pochta_sqlite_bind_int64 (stmt, 2, b);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    pochta_sqlite_bind_int64 (stmt, 3, c);
  while ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == SQLITE_ROW)
    pochta_store_transaction_note_message_removed (txn, sqlite3_column_int64 (stmt, 0),
                                                   sqlite3_column_int64 (stmt, 1),
                                                   sqlite3_column_int64 (stmt, 2));

  return rc == SQLITE_DONE;
}

/* Step 1 of the placeholder rule: the rows get their real UIDs. A row the
 * sync already fetched under that UID (another connection saw it first)
 * gives way to ours, which keeps the id the UI knows. */
static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  guint32 ua = *(const guint32 *) a;
  guint32 ub = *(const guint32 *) b;

  return ua < ub ? -1 : ua > ub;
}

/* Sync takes every UID up to the highest cached one as known. UIDs this
 * outcome put in the folder may leap over messages that arrived since the
 * last sync (at its UIDNEXT): then the folder is marked PARTIAL, which
 * makes the next sync compare UID by UID; without a gap UIDNEXT moves on. */
static gboolean
keep_uids_known (PochtaStoreTransaction     *txn,
                 const PochtaOfflineFolder  *folder,
                 guint32                     old_max,
                 GArray                     *uids,
                 GError                    **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  guint32 next = folder->uidnext > 0 ? folder->uidnext : old_max + 1;
  gboolean gap = FALSE;

  if (uids->len == 0)
    return TRUE;

  g_array_sort (uids, compare_uids);
  for (guint i = 0; i < uids->len; i++)
    {
      guint32 uid = g_array_index (uids, guint32, i);

      if (uid < next)
        continue;
      if (uid != next)
        gap = TRUE;
      next = uid + 1;
    }
  if (next <= folder->uidnext)
    return TRUE;

  stmt = pochta_sqlite_prepare (db_of (txn),
    "UPDATE folders SET uidnext = CASE WHEN ?2 THEN uidnext ELSE ?3 END,"
    " sync_state = CASE WHEN ?2 AND sync_state = ?4 THEN ?5 ELSE sync_state END WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder->id);
  pochta_sqlite_bind_int64 (stmt, 2, gap);
  pochta_sqlite_bind_int64 (stmt, 3, next);
  pochta_sqlite_bind_int64 (stmt, 4, POCHTA_FOLDER_SYNC_STATE_SYNCED);
  pochta_sqlite_bind_int64 (stmt, 5, POCHTA_FOLDER_SYNC_STATE_PARTIAL);
  if (!pochta_sqlite_step_done (db_of (txn), stmt, error))
    return FALSE;
  pochta_store_transaction_note_folder_changed (txn, folder->id);

  return TRUE;
}

static gboolean
set_real_uids (PochtaStoreTransaction  *txn,
               PochtaOfflineOutcome    *outcome,
               const char              *dest,
               GError                 **error)
{
  g_auto(PochtaOfflineFolder) folder = { 0, };
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree char *sql = NULL;
  gint64 old_max = 0;

  if (!_pochta_offline_find_folder (txn, outcome->account_id, dest, &folder, error))
    return FALSE;
  if (folder.id == 0)
    return TRUE;

  sql = g_strdup_printf ("SELECT coalesce (max (uid), 0) FROM messages WHERE folder_id = %" G_GINT64_FORMAT
                         " AND uid <= %u", folder.id, G_MAXUINT32);
  if (!pochta_sqlite_query_int64 (db_of (txn), sql, &old_max, error))
    return FALSE;

  for (guint i = 0; i < outcome->resolved->len; i++)
    {
      const PochtaOfflineRef *ref = &g_array_index (outcome->resolved, PochtaOfflineRef, i);
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      int rc;

      stmt = pochta_sqlite_prepare (db_of (txn), "SELECT 1 FROM messages WHERE id = ?1 AND folder_id = ?2 AND uid = ?3",
                                    error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, ref->target);
      pochta_sqlite_bind_int64 (stmt, 2, folder.id);
      pochta_sqlite_bind_int64 (stmt, 3, _pochta_offline_placeholder_uid (ref->target));
      if ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == 0)
        return FALSE;
      pochta_sqlite_stmt_release (g_steal_pointer (&stmt));
      /* The row moved on offline: the later operation that moved it now
       * names the real UID, and its own replay places the row. */
      if (rc != SQLITE_ROW)
        continue;

      if (!remove_row (txn,
                       "DELETE FROM messages WHERE folder_id = ?1 AND uid = ?2 AND id != ?3"
                       " RETURNING folder_id, id, internal_date",
                       folder.id, ref->uid, ref->target, error))
        return FALSE;

      stmt = pochta_sqlite_prepare (db_of (txn),
        "UPDATE messages SET uid = ?2 WHERE id = ?1", error);
      return_if_no_stmt (stmt);
      pochta_sqlite_bind_int64 (stmt, 1, ref->target);
      pochta_sqlite_bind_int64 (stmt, 2, ref->uid);
      if (!pochta_sqlite_step_done (db_of (txn), stmt, error))
        return FALSE;
      g_array_append_val (placed, ref->uid);
    }

  return keep_uids_known (txn, &folder, (guint32) old_max, placed, error);
}

/* The next sync must not trust what the cache holds for @raw_name: its
 * flags (HIGHESTMODSEQ 0 means a full flag sweep) and, with @refetch, which
 * messages it has (a PARTIAL folder is compared UID by UID, so a message
 * the cache gave up for a move that never happened comes back). */
static gboolean
reset_folder (PochtaStoreTransaction  *txn,
              gint64                   account_id,
              const char              *raw_name,
              gboolean                 refetch,
              GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  stmt = pochta_sqlite_prepare (db_of (txn),
    "UPDATE folders SET highestmodseq = 0,"
    " sync_state = CASE WHEN ?3 AND sync_state = ?4 THEN ?5 ELSE sync_state END"
    " WHERE account_id = ?1 AND raw_name = ?2 RETURNING id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  pochta_sqlite_bind_text (stmt, 2, raw_name);
  pochta_sqlite_bind_int64 (stmt, 3, refetch);
  pochta_sqlite_bind_int64 (stmt, 4, POCHTA_FOLDER_SYNC_STATE_SYNCED);
  pochta_sqlite_bind_int64 (stmt, 5, POCHTA_FOLDER_SYNC_STATE_PARTIAL);
  while ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == SQLITE_ROW)
    pochta_store_transaction_note_folder_changed (txn, sqlite3_column_int64 (stmt, 0));

  return rc == SQLITE_DONE;
}

static gboolean
set_created_uidvalidity (PochtaStoreTransaction  *txn,
                         PochtaOfflineOutcome    *outcome,
                         GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *name = NULL;
  int rc;

  if (!rewrite_later_ops (txn, outcome, outcome->created, &name, error))
    return FALSE;

  stmt = pochta_sqlite_prepare (db_of (txn),
    "UPDATE folders SET uidvalidity = ?3 WHERE account_id = ?1 AND raw_name = ?2 AND uidvalidity = 0"
    " RETURNING id", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, outcome->account_id);
  pochta_sqlite_bind_text (stmt, 2, name);
  pochta_sqlite_bind_int64 (stmt, 3, outcome->created_uidvalidity);
  while ((rc = pochta_sqlite_step (db_of (txn), stmt, error)) == SQLITE_ROW)
    pochta_store_transaction_note_folder_changed (txn, sqlite3_column_int64 (stmt, 0));

  return rc == SQLITE_DONE;
}

gboolean
_pochta_offline_apply_outcome (PochtaStoreTransaction  *txn,
                               gpointer                 user_data,
                               GError                 **error)
{
  PochtaOfflineOutcome *outcome = user_data;

  if (outcome->fail_message != NULL)
    return pochta_store_transaction_fail_pending_op (txn, outcome->op_id, outcome->fail_message, error);

  if (outcome->dest != NULL && outcome->resolved->len > 0)
    {
      g_autofree char *dest = NULL;

      if (!rewrite_later_ops (txn, outcome, outcome->dest, &dest, error) ||
          !set_real_uids (txn, outcome, dest, error))
        return FALSE;
    }

  /* Wherever the row went meanwhile, it still has its placeholder only if
   * nothing resolved it: no server message stands behind it. */
  for (guint i = 0; i < outcome->forget->len; i++)
    {
      gint64 row = g_array_index (outcome->forget, gint64, i);

      if (!remove_row (txn, "DELETE FROM messages WHERE id = ?1 AND uid = ?2 RETURNING folder_id, id, internal_date",
                       row, _pochta_offline_placeholder_uid (row), 0, error))
        return FALSE;
    }

  for (guint i = 0; i < outcome->resync->len; i++)
    if (!reset_folder (txn, outcome->account_id, g_ptr_array_index (outcome->resync, i), FALSE, error))
      return FALSE;
  for (guint i = 0; i < outcome->refetch->len; i++)
    if (!reset_folder (txn, outcome->account_id, g_ptr_array_index (outcome->refetch, i), TRUE, error))
      return FALSE;

  if (outcome->created != NULL && outcome->created_uidvalidity != 0 &&
      !set_created_uidvalidity (txn, outcome, error))
    return FALSE;

  return pochta_store_transaction_remove_pending_op (txn, outcome->op_id, error);
}
