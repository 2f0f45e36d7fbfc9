/* pochta-folder-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One folder's messages in step with the server: SELECT (with QRESYNC
 * where it can), the UIDVALIDITY check, the store writes of every step,
 * and the end of a run. New headers: pochta-folder-sync-headers.c; flags
 * and expunges: pochta-folder-sync-flags.c.
 *
 * What makes a run safe to kill at any moment: the folder's UIDVALIDITY is
 * written before any row of it; a folder is marked PARTIAL before rows are
 * added, and only a finished run marks it SYNCED with UIDNEXT and
 * HIGHESTMODSEQ. A PARTIAL folder is compared UID by UID with the server
 * (UID SEARCH ALL), which finds the holes a newest-first run leaves; rows
 * are upserts keyed by (folder, uid), so nothing is ever stored twice.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-folder-sync-private.h"
#include "pochta-imap-error.h"
#include "pochta-store-transaction.h"

static void
sync_write_free (SyncWrite *write)
{
  g_clear_pointer (&write->removed, g_array_unref);
  g_clear_pointer (&write->updates, g_array_unref);
  g_clear_pointer (&write->records, g_ptr_array_unref);
  g_free (write);
}

static void
folder_sync_free (FolderSync *sync)
{
  g_assert (sync->fetches == 0 && sync->writes == 0);

  g_clear_object (&sync->client);
  g_clear_object (&sync->store);
  g_clear_pointer (&sync->mailbox, g_free);
  g_clear_pointer (&sync->missing, g_array_unref);
  g_clear_pointer (&sync->sweep_uids, g_array_unref);
  g_clear_pointer (&sync->sweep_flags, g_array_unref);
  g_clear_pointer (&sync->sweep_keywords, g_ptr_array_unref);
  g_clear_pointer (&sync->sweep_seen, g_free);
  g_clear_error (&sync->error);
  g_free (sync);
}

SyncWrite *
_folder_sync_write_new (FolderSync *sync)
{
  SyncWrite *write = g_new0 (SyncWrite, 1);

  write->folder_id = sync->folder_id;
  return write;
}

/* Like pochta_store_transaction_drop_folder_contents(), but rows that
 * wait for an offline operation (placeholder UIDs) stay. */
static gboolean
drop_real_rows (PochtaStoreTransaction  *txn,
                gint64                   folder_id,
                GError                 **error)
{
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (db, "DELETE FROM messages WHERE folder_id = ?1 AND " POCHTA_SYNC_REAL_UID, error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  if (!pochta_sqlite_step_done (db, stmt, error))
    return FALSE;

  pochta_store_transaction_note_folder_reset (txn, folder_id);
  return TRUE;
}

static gboolean
sync_write_job (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  SyncWrite *write = user_data;

  if (write->drop && !drop_real_rows (txn, write->folder_id, error))
    return FALSE;
  if (write->set_state &&
      !pochta_store_transaction_set_folder_sync_state (txn, write->folder_id, write->uidvalidity,
                                                       write->uidnext, write->modseq, write->state, error))
    return FALSE;
  if (write->removed != NULL && write->removed->len > 0 &&
      !pochta_store_transaction_remove_uids (txn, write->folder_id, (const guint32 *) write->removed->data,
                                             write->removed->len, error))
    return FALSE;
  if (write->updates != NULL && write->updates->len > 0 &&
      !pochta_store_transaction_update_flags (txn, write->folder_id, (const PochtaFlagUpdate *) write->updates->data,
                                              write->updates->len, error))
    return FALSE;
  if (write->records != NULL && write->records->len > 0 &&
      !pochta_store_transaction_add_messages (txn, write->folder_id, write->records, error))
    return FALSE;

  return TRUE;
}

/* TRUE when the sync has failed: it then ends as soon as nothing it
 * started is still running. */
gboolean
_folder_sync_check_failed (FolderSync *sync)
{
  GError *error = NULL;

  /* A cancelled sync stops at the next step, even when nothing it waits
   * for would notice: it must not go on to mark the folder SYNCED. */
  if (sync->error == NULL && sync->task != NULL &&
      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (sync->task), &error))
    sync->error = error;

  if (sync->error == NULL)
    return FALSE;

  if (sync->fetches == 0 && sync->writes == 0 && sync->task != NULL)
    {
      GTask *task = g_steal_pointer (&sync->task);

      g_task_return_error (task, g_steal_pointer (&sync->error));
      g_object_unref (task);
    }

  return TRUE;
}

/* Keeps the first error, but a real failure beats the cancellation it
 * may have caused. Always returns TRUE, for "return take_error (...)". */
gboolean
_folder_sync_take_error (FolderSync *sync,
                         GError     *error)
{
  if (sync->error == NULL ||
      (g_error_matches (sync->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
       !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      g_clear_error (&sync->error);
      sync->error = error;
    }
  else
    g_error_free (error);

  return TRUE;
}

typedef struct
{
  FolderSync *sync;
  guint       added;
} WriteDone;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree WriteDone *write_done = user_data;
  FolderSync *sync = write_done->sync;
  GError *error = NULL;
  guint added = write_done->added;

  sync->writes--;
  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    _folder_sync_take_error (sync, error);
  else if (added > 0)
    {
      sync->done = MIN (sync->done + added, sync->total);
      if (sync->progress != NULL)
        sync->progress (sync->done, sync->total, sync->progress_data);
    }

  if (_folder_sync_check_failed (sync))
    return;

  if (sync->missing != NULL && (sync->remaining > 0 || sync->fetches > 0))
    _folder_sync_pump_fetches (sync);
  else if (sync->writes == 0 && sync->after_writes != NULL)
    {
      FolderSyncStep next = sync->after_writes;

      sync->after_writes = NULL;
      next (sync);
    }
}

/* Store writes keep the data already fetched even when the sync is
 * cancelled: they take no cancellable. */
void
_folder_sync_submit (FolderSync *sync,
                     SyncWrite  *write)
{
  WriteDone *write_done = g_new0 (WriteDone, 1);

  write_done->sync = sync;
  write_done->added = write->records != NULL ? write->records->len : 0;
  sync->writes++;
  pochta_store_write_async (sync->store, sync_write_job, write, (GDestroyNotify) sync_write_free,
                            NULL, write_cb, write_done);
}

/* Runs @next once every write submitted so far has committed, so that
 * the reader sees them. */
void
_folder_sync_when_written (FolderSync     *sync,
                           FolderSyncStep  next)
{
  g_assert (sync->after_writes == NULL);

  if (sync->writes == 0)
    next (sync);
  else
    sync->after_writes = next;
}

/**
 * _folder_sync_read_uids:
 * @max_uid: the highest UID to return
 *
 * Returns: (transfer full): the folder's cached real UIDs up to @max_uid,
 *   ascending
 */
GArray *
_folder_sync_read_uids (FolderSync  *sync,
                        guint32      max_uid,
                        GError     **error)
{
  PochtaSqlite *db = pochta_store_require_reader (sync->store, error);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GArray) uids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), sync->cached_count);
  int rc;

  if (db == NULL)
    return NULL;

  stmt = pochta_sqlite_prepare (db, "SELECT uid FROM messages WHERE folder_id = ?1 AND uid <= ?2 ORDER BY uid", error);
  if (stmt == NULL)
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, sync->folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, max_uid);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      guint32 uid = (guint32) sqlite3_column_int64 (stmt, 0);

      g_array_append_val (uids, uid);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&uids) : NULL;
}

static gboolean
read_cache_stats (FolderSync  *sync,
                  GError     **error)
{
  PochtaSqlite *db = pochta_store_require_reader (sync->store, error);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (db == NULL)
    return FALSE;

  stmt = pochta_sqlite_prepare (db,
    "SELECT count(*), coalesce (max (uid), 0) FROM messages WHERE folder_id = ?1 AND " POCHTA_SYNC_REAL_UID,
    error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, sync->folder_id);
  if (pochta_sqlite_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;
  sync->cached_count = (guint) sqlite3_column_int64 (stmt, 0);
  sync->cached_max = (guint32) sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

static void
drop_folder (FolderSync *sync)
{
  SyncWrite *write = _folder_sync_write_new (sync);

  g_debug ("%s: UIDVALIDITY changed from %u to %u, dropping its cache",
           sync->mailbox, sync->cached_uidvalidity, sync->uidvalidity);

  /* The new UIDVALIDITY goes in with the drop, before any new row. */
  write->drop = TRUE;
  write->set_state = TRUE;
  write->uidvalidity = sync->uidvalidity;
  write->state = POCHTA_FOLDER_SYNC_STATE_PARTIAL;
  _folder_sync_submit (sync, write);

  sync->cached_uidvalidity = sync->uidvalidity;
  sync->cached_uidnext = 0;
  sync->cached_modseq = 0;
  sync->cached_state = POCHTA_FOLDER_SYNC_STATE_NEVER;
  sync->cached_count = 0;
  sync->cached_max = 0;
}

static void
select_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FolderSync *sync = user_data;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  GError *error = NULL;
  gboolean asked_qresync = sync->qresync;

  state = pochta_imap_client_select_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  /* A server that refuses the QRESYNC parameters still has the mailbox:
   * a plain select and the slower paths do. */
  if (state == NULL && asked_qresync &&
      (g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD) ||
       g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO)))
    {
      g_debug ("%s: QRESYNC select refused (%s), selecting plainly", sync->mailbox, error->message);
      g_clear_error (&error);
      sync->qresync = FALSE;
      pochta_imap_client_select_async (sync->client, sync->mailbox, POCHTA_IMAP_SELECT_CONDSTORE, 0, 0, NULL,
                                       g_task_get_cancellable (sync->task), select_cb, sync);
      return;
    }
  if (state == NULL)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  if (state->uidvalidity == 0)
    {
      _folder_sync_take_error (sync, g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                                  _("The server did not tell the UIDVALIDITY of folder “%s”"),
                                                  sync->mailbox));
      _folder_sync_check_failed (sync);
      return;
    }

  sync->uidvalidity = state->uidvalidity;
  sync->uidnext = state->uidnext;
  if (!(sync->flags & POCHTA_SYNC_FOLDER_FLAGS_NO_CONDSTORE) && !state->nomodseq)
    sync->highestmodseq = state->highestmodseq;
  sync->condstore = sync->highestmodseq > 0;
  sync->qresync = FALSE;

  /* Rows of a folder whose UIDVALIDITY was never recorded cannot be
   * trusted to belong to the mailbox as it is now either. */
  if ((sync->cached_uidvalidity != 0 || sync->cached_max > 0) && sync->cached_uidvalidity != sync->uidvalidity)
    drop_folder (sync);
  else
    {
      if (!sync->condstore)
        sync->cached_modseq = 0;
      /* A QRESYNC select already told what changed since the modseq. */
      if (asked_qresync)
        {
          sync->qresync = TRUE;
          _folder_sync_apply_qresync (sync, state);
        }
    }

  _folder_sync_plan_new (sync);
}

static void
start (FolderSync *sync)
{
  g_autoptr(PochtaFolder) folder = NULL;
  g_autoptr(PochtaImapSequenceSet) known = NULL;
  PochtaImapSelectFlags select_flags = POCHTA_IMAP_SELECT_CONDSTORE;
  gboolean qresync;
  GError *error = NULL;

  folder = pochta_store_get_folder (sync->store, sync->folder_id, &error);
  if (folder == NULL || !read_cache_stats (sync, &error))
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  sync->mailbox = g_strdup (pochta_folder_get_name (folder));
  sync->cached_uidvalidity = pochta_folder_get_uidvalidity (folder);
  sync->cached_uidnext = pochta_folder_get_uidnext (folder);
  sync->cached_modseq = pochta_folder_get_highestmodseq (folder);
  sync->cached_state = pochta_folder_get_sync_state (folder);

  if (sync->flags & POCHTA_SYNC_FOLDER_FLAGS_NO_CONDSTORE)
    {
      select_flags = POCHTA_IMAP_SELECT_NONE;
      sync->cached_modseq = 0;
    }

  qresync = !(sync->flags & (POCHTA_SYNC_FOLDER_FLAGS_NO_QRESYNC | POCHTA_SYNC_FOLDER_FLAGS_NO_CONDSTORE)) &&
            pochta_imap_client_is_enabled (sync->client, POCHTA_IMAP_CAPABILITY_QRESYNC) &&
            sync->cached_uidvalidity != 0 && sync->cached_modseq > 0;
  if (qresync && sync->cached_max > 0)
    {
      known = pochta_imap_sequence_set_new ();
      pochta_imap_sequence_set_add_range (known, 1, sync->cached_max);
    }
  sync->qresync = qresync;

  g_debug ("%s: %u cached up to UID %u, UIDVALIDITY %u, MODSEQ %" G_GUINT64_FORMAT ", %s",
           sync->mailbox, sync->cached_count, sync->cached_max, sync->cached_uidvalidity,
           sync->cached_modseq, qresync ? "QRESYNC" : "plain select");

  pochta_imap_client_select_async (sync->client, sync->mailbox, select_flags,
                                   qresync ? sync->cached_uidvalidity : 0,
                                   qresync ? sync->cached_modseq : 0,
                                   known, g_task_get_cancellable (sync->task), select_cb, sync);
}

static void
final_written (FolderSync *sync)
{
  GTask *task;

  if (_folder_sync_check_failed (sync))
    return;

  g_debug ("%s: synced in %.3f s", sync->mailbox, (g_get_monotonic_time () - sync->started) / 1e6);
  task = g_steal_pointer (&sync->task);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Everything is in: only now may UIDNEXT and HIGHESTMODSEQ say so. The
 * HIGHESTMODSEQ is the one of the SELECT: changes made while the run went
 * on are newer, and the next run asks for them. */
void
_folder_sync_finish (FolderSync *sync)
{
  SyncWrite *write;

  if (_folder_sync_check_failed (sync))
    return;

  write = _folder_sync_write_new (sync);
  write->set_state = TRUE;
  write->uidvalidity = sync->uidvalidity;
  write->uidnext = sync->uidnext;
  write->modseq = sync->highestmodseq;
  write->state = POCHTA_FOLDER_SYNC_STATE_SYNCED;
  _folder_sync_submit (sync, write);
  _folder_sync_when_written (sync, final_written);
}

void
_pochta_sync_folder_async_full (PochtaImapClient       *client,
                                PochtaStore            *store,
                                gint64                  folder_id,
                                PochtaSyncFolderFlags   flags,
                                PochtaSyncProgressFunc  progress,
                                gpointer                progress_data,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  FolderSync *sync;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (client));
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (folder_id > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_sync_folder_async);

  sync = g_new0 (FolderSync, 1);
  sync->client = g_object_ref (client);
  sync->store = g_object_ref (store);
  sync->folder_id = folder_id;
  sync->flags = flags;
  sync->progress = progress;
  sync->progress_data = progress_data;
  /* The task owns the state; sync->task is the reference that keeps it
   * alive until nothing is in flight. */
  sync->task = task;
  sync->started = g_get_monotonic_time ();
  g_task_set_task_data (task, sync, (GDestroyNotify) folder_sync_free);

  start (sync);
}

/**
 * pochta_sync_folder_async:
 * @client: a logged-in client; QRESYNC is used when the session enabled it
 * @folder_id: a folder row of @store
 * @progress: (nullable) (scope notified): called as header batches are stored
 *
 * Rows whose UID is a placeholder (offline moves and appends) are never
 * compared, removed or fetched. A cancelled sync ends once its last
 * batch is stored, and a later run picks up where it stopped.
 */
void
pochta_sync_folder_async (PochtaImapClient       *client,
                          PochtaStore            *store,
                          gint64                  folder_id,
                          PochtaSyncProgressFunc  progress,
                          gpointer                progress_data,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  _pochta_sync_folder_async_full (client, store, folder_id, POCHTA_SYNC_FOLDER_FLAGS_NONE,
                                  progress, progress_data, cancellable, callback, user_data);
}

gboolean
pochta_sync_folder_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_sync_folder_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
