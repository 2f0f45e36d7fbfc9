/* pochta-folder-sync-flags.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Flags and expunges of the messages a folder already had cached: from
 * the QRESYNC select, from UID FETCH (CHANGEDSINCE) with CONDSTORE plus a
 * count check, or from a UID FLAGS sweep in chunks.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-folder-sync-private.h"

/* UIDs per FLAGS FETCH of a sweep. */
#define SWEEP_CHUNK        5000
#define SWEEP_FETCHES      2
/* A VANISHED range larger than this is narrowed to the cached UIDs first. */
#define VANISHED_DIRECT    1000
#define MAX_UIDS           (16 * 1024 * 1024)

typedef struct
{
  FolderSync *sync;
  guint       first;        /* rows [first, last] of the sweep arrays */
  guint       last;
  GArray     *updates;      /* PochtaFlagUpdate */
} SweepChunk;

typedef struct
{
  FolderSync *sync;
  GArray     *updates;      /* PochtaFlagUpdate */
} Changes;

static void sweep_pump (FolderSync *sync);

static GArray *
flag_updates_new (void)
{
  GArray *updates = g_array_new (FALSE, TRUE, sizeof (PochtaFlagUpdate));

  g_array_set_clear_func (updates, (GDestroyNotify) pochta_flag_update_clear);
  return updates;
}

static void
add_update (GArray                *updates,
            const PochtaImapFetch *fetch)
{
  PochtaFlagUpdate update = { 0, };

  update.uid = fetch->uid;
  update.flags = _pochta_sync_flags_from_imap ((const char * const *) fetch->flags, &update.keywords);
  update.modseq = fetch->modseq;
  g_array_append_val (updates, update);
}

/* Removals are a DELETE per UID: a wide VANISHED range (a server that
 * does not remember expunges sends every absent UID) is cut down to the
 * rows the cache has. */
static GArray *
cached_among (FolderSync                  *sync,
              const PochtaImapSequenceSet *set,
              GError                     **error)
{
  g_autoptr(PochtaImapSequenceSet) bounded = pochta_imap_sequence_set_new ();
  g_autoptr(GArray) cached = NULL;
  GArray *result;
  guint n = pochta_imap_sequence_set_get_n_ranges (set);

  for (guint i = 0; i < n; i++)
    {
      guint32 first, last;

      pochta_imap_sequence_set_get_range (set, i, &first, &last);
      if (first <= sync->cached_max)
        pochta_imap_sequence_set_add_range (bounded, first, MIN (last, sync->cached_max));
    }
  if (pochta_imap_sequence_set_is_empty (bounded))
    return g_array_new (FALSE, FALSE, sizeof (guint32));
  if (pochta_imap_sequence_set_count (bounded) <= VANISHED_DIRECT)
    return pochta_imap_sequence_set_to_array (bounded, MAX_UIDS, error);

  cached = _folder_sync_read_uids (sync, sync->cached_max, error);
  if (cached == NULL)
    return NULL;
  result = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < cached->len; i++)
    if (pochta_imap_sequence_set_contains (bounded, g_array_index (cached, guint32, i)))
      g_array_append_val (result, g_array_index (cached, guint32, i));

  return result;
}

/* The VANISHED (EARLIER) and FETCH answers of a QRESYNC select. Changes to
 * UIDs above the cached ones are new messages, fetched whole later. */
void
_folder_sync_apply_qresync (FolderSync                   *sync,
                            const PochtaImapMailboxState *state)
{
  g_autoptr(GArray) removed = NULL;
  g_autoptr(GArray) updates = flag_updates_new ();
  GError *error = NULL;

  if (state->vanished != NULL)
    {
      removed = cached_among (sync, state->vanished, &error);
      if (removed == NULL)
        {
          _folder_sync_take_error (sync, error);
          return;
        }
    }

  for (guint i = 0; state->changes != NULL && i < state->changes->len; i++)
    {
      const PochtaImapFetch *fetch = g_ptr_array_index (state->changes, i);

      if (fetch->uid != 0 && fetch->uid <= sync->cached_max && (fetch->present & POCHTA_IMAP_FETCH_FLAGS))
        add_update (updates, fetch);
    }

  g_debug ("%s: QRESYNC reported %u vanished, %u changed", sync->mailbox,
           removed != NULL ? removed->len : 0, updates->len);

  if ((removed != NULL && removed->len > 0) || updates->len > 0)
    {
      SyncWrite *write = _folder_sync_write_new (sync);

      write->removed = g_steal_pointer (&removed);
      write->updates = g_steal_pointer (&updates);
      _folder_sync_submit (sync, write);
    }
}

/* --- CONDSTORE: changed flags, then a count check for expunges --------- */

static void
expunge_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FolderSync *sync = user_data;
  g_autoptr(PochtaImapSequenceSet) found = NULL;
  g_autoptr(GArray) cached = NULL;
  GArray *removed;
  GError *error = NULL;

  found = pochta_imap_client_uid_search_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (found == NULL || (cached = _folder_sync_read_uids (sync, sync->cached_max, &error)) == NULL)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < cached->len; i++)
    if (!pochta_imap_sequence_set_contains (found, g_array_index (cached, guint32, i)))
      g_array_append_val (removed, g_array_index (cached, guint32, i));

  g_debug ("%s: %u cached messages were expunged", sync->mailbox, removed->len);
  if (removed->len > 0)
    {
      SyncWrite *write = _folder_sync_write_new (sync);

      write->removed = removed;
      _folder_sync_submit (sync, write);
    }
  else
    g_array_unref (removed);

  _folder_sync_finish (sync);
}

/* When the server has as many messages as the cache, and nothing cached
 * was missing from it before, nothing was expunged. */
static void
check_expunges (FolderSync *sync)
{
  const PochtaImapMailboxState *selected = pochta_imap_client_get_selected (sync->client);
  PochtaSqlite *db = pochta_store_get_reader (sync->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  GError *error = NULL;
  gint64 count;

  if (_folder_sync_check_failed (sync))
    return;

  if (sync->expunges_done)
    {
      _folder_sync_finish (sync);
      return;
    }

  if (db == NULL || selected == NULL)
    {
      _folder_sync_take_error (sync, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                          _("The connection or the mail cache closed during sync")));
      _folder_sync_check_failed (sync);
      return;
    }

  stmt = pochta_sqlite_prepare (db, "SELECT count(*) FROM messages WHERE folder_id = ?1 AND " POCHTA_SYNC_REAL_UID,
                                &error);
  if (stmt == NULL || (pochta_sqlite_bind_int64 (stmt, 1, sync->folder_id),
                       pochta_sqlite_step (db, stmt, &error)) != SQLITE_ROW)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }
  count = sqlite3_column_int64 (stmt, 0);

  if (count == selected->exists)
    {
      _folder_sync_finish (sync);
      return;
    }

  g_debug ("%s: %u on the server, %" G_GINT64_FORMAT " cached: looking for expunges",
           sync->mailbox, selected->exists, count);
  pochta_imap_client_uid_search_async (sync->client, "ALL", g_task_get_cancellable (sync->task),
                                       expunge_search_cb, sync);
}

static void
changes_cb (PochtaImapClient      *client,
            const PochtaImapFetch *fetch,
            gpointer               user_data)
{
  Changes *changes = user_data;

  if (fetch->uid != 0 && fetch->uid <= changes->sync->cached_max && (fetch->present & POCHTA_IMAP_FETCH_FLAGS))
    add_update (changes->updates, fetch);
}

static void
changes_free (Changes *changes)
{
  g_clear_pointer (&changes->updates, g_array_unref);
  g_free (changes);
}

static void
changes_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Changes *changes = user_data;
  FolderSync *sync = changes->sync;
  g_autoptr(GPtrArray) unused = NULL;
  GError *error = NULL;

  sync->fetches--;
  unused = pochta_imap_client_uid_fetch_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (unused == NULL)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  g_debug ("%s: %u changed since MODSEQ %" G_GUINT64_FORMAT, sync->mailbox,
           changes->updates->len, sync->cached_modseq);
  if (changes->updates->len > 0)
    {
      SyncWrite *write = _folder_sync_write_new (sync);

      write->updates = g_steal_pointer (&changes->updates);
      _folder_sync_submit (sync, write);
    }

  /* The count only means something once every row is written. */
  _folder_sync_when_written (sync, check_expunges);
}

static void
fetch_changes (FolderSync *sync)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  Changes *changes;

  /* Nothing changed since the stored modseq: no FETCH at all. */
  if (sync->highestmodseq <= sync->cached_modseq)
    {
      _folder_sync_when_written (sync, check_expunges);
      return;
    }

  changes = g_new0 (Changes, 1);
  changes->sync = sync;
  changes->updates = flag_updates_new ();

  pochta_imap_sequence_set_add_range (set, 1, sync->cached_max);
  sync->fetches++;
  pochta_imap_client_uid_fetch_async (sync->client, set, "(UID FLAGS)", sync->cached_modseq, FALSE,
                                      changes_cb, changes, (GDestroyNotify) changes_free,
                                      g_task_get_cancellable (sync->task), changes_done_cb, changes);
}

/* --- Without CONDSTORE: every cached UID's flags, chunk by chunk -------- */

static void
sweep_chunk_free (SweepChunk *chunk)
{
  g_clear_pointer (&chunk->updates, g_array_unref);
  g_free (chunk);
}

static gboolean
find_row (FolderSync *sync,
          guint32     uid,
          guint      *row)
{
  const guint32 *uids = (const guint32 *) sync->sweep_uids->data;
  guint lo = 0, hi = sync->sweep_uids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (uids[mid] == uid)
        {
          *row = mid;
          return TRUE;
        }
      if (uids[mid] < uid)
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}

static void
sweep_fetch_cb (PochtaImapClient      *client,
                const PochtaImapFetch *fetch,
                gpointer               user_data)
{
  SweepChunk *chunk = user_data;
  FolderSync *sync = chunk->sync;
  g_autofree char *keywords = NULL;
  PochtaMessageFlags flags;
  guint row;

  /* The client hands an untagged FETCH to the oldest FETCH in flight, so
   * this chunk may see the answers of the next one: rows are looked up
   * in the whole sweep, and a chunk's absent rows are only decided once
   * its own command is done (its answers come before its OK). */
  if (fetch->uid == 0 || !(fetch->present & POCHTA_IMAP_FETCH_FLAGS) || !find_row (sync, fetch->uid, &row))
    return;

  sync->sweep_seen[row] = TRUE;
  flags = _pochta_sync_flags_from_imap ((const char * const *) fetch->flags, &keywords);
  if (flags != g_array_index (sync->sweep_flags, PochtaMessageFlags, row) ||
      g_strcmp0 (keywords, g_ptr_array_index (sync->sweep_keywords, row)) != 0)
    add_update (chunk->updates, fetch);
}

static void
sweep_chunk_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SweepChunk *chunk = user_data;
  FolderSync *sync = chunk->sync;
  g_autoptr(GPtrArray) unused = NULL;
  GError *error = NULL;

  sync->fetches--;
  unused = pochta_imap_client_uid_fetch_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (unused == NULL)
    _folder_sync_take_error (sync, error);
  else
    {
      g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (guint32));

      for (guint row = chunk->first; row <= chunk->last; row++)
        if (!sync->sweep_seen[row])
          g_array_append_val (removed, g_array_index (sync->sweep_uids, guint32, row));

      if (removed->len > 0 || chunk->updates->len > 0)
        {
          SyncWrite *write = _folder_sync_write_new (sync);

          g_debug ("%s: sweep of UIDs %u:%u: %u changed, %u gone", sync->mailbox,
                   g_array_index (sync->sweep_uids, guint32, chunk->first),
                   g_array_index (sync->sweep_uids, guint32, chunk->last),
                   chunk->updates->len, removed->len);
          write->removed = g_steal_pointer (&removed);
          write->updates = g_steal_pointer (&chunk->updates);
          _folder_sync_submit (sync, write);
        }
    }

  sweep_pump (sync);
}

static void
sweep_pump (FolderSync *sync)
{
  guint chunk_size = (sync->flags & POCHTA_SYNC_FOLDER_FLAGS_SMALL_BATCHES) ? 7 : SWEEP_CHUNK;

  if (_folder_sync_check_failed (sync))
    return;

  while (sync->sweep_next < sync->sweep_uids->len && sync->fetches < SWEEP_FETCHES)
    {
      g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
      SweepChunk *chunk = g_new0 (SweepChunk, 1);

      chunk->sync = sync;
      chunk->first = sync->sweep_next;
      chunk->last = MIN (sync->sweep_next + chunk_size, sync->sweep_uids->len) - 1;
      chunk->updates = flag_updates_new ();
      sync->sweep_next = chunk->last + 1;

      /* The range may hold UIDs the cache lacks: their answers are ignored. */
      pochta_imap_sequence_set_add_range (set, g_array_index (sync->sweep_uids, guint32, chunk->first),
                                          g_array_index (sync->sweep_uids, guint32, chunk->last));
      sync->fetches++;
      pochta_imap_client_uid_fetch_async (sync->client, set, "(UID FLAGS)", 0, FALSE,
                                          sweep_fetch_cb, chunk, (GDestroyNotify) sweep_chunk_free,
                                          g_task_get_cancellable (sync->task), sweep_chunk_cb, chunk);
    }

  if (sync->sweep_next >= sync->sweep_uids->len && sync->fetches == 0)
    _folder_sync_finish (sync);
}

static gboolean
read_sweep_rows (FolderSync  *sync,
                 GError     **error)
{
  PochtaSqlite *db = pochta_store_require_reader (sync->store, error);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  if (db == NULL)
    return FALSE;

  stmt = pochta_sqlite_prepare (db,
    "SELECT uid, flags, keywords FROM messages WHERE folder_id = ?1 AND uid <= ?2 ORDER BY uid", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, sync->folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, sync->cached_max);

  sync->sweep_uids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), sync->cached_count);
  sync->sweep_flags = g_array_sized_new (FALSE, FALSE, sizeof (PochtaMessageFlags), sync->cached_count);
  sync->sweep_keywords = g_ptr_array_new_full (sync->cached_count, g_free);
  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      guint32 uid = (guint32) sqlite3_column_int64 (stmt, 0);
      PochtaMessageFlags flags = (PochtaMessageFlags) sqlite3_column_int64 (stmt, 1);

      g_array_append_val (sync->sweep_uids, uid);
      g_array_append_val (sync->sweep_flags, flags);
      g_ptr_array_add (sync->sweep_keywords, pochta_sqlite_column_dup_text (stmt, 2));
    }

  sync->sweep_seen = g_new0 (guint8, sync->sweep_uids->len + 1);

  return rc == SQLITE_DONE;
}

/**
 * _folder_sync_flags:
 *
 * After the new headers: brings the flags of the rows cached before this
 * run up to date and removes those the server expunged, then finishes.
 */
void
_folder_sync_flags (FolderSync *sync)
{
  GError *error = NULL;

  if (_folder_sync_check_failed (sync))
    return;

  /* Nothing was cached before this run, or QRESYNC already told all. */
  if (sync->cached_max == 0 || sync->qresync)
    {
      _folder_sync_finish (sync);
      return;
    }

  if (sync->condstore && sync->cached_modseq > 0)
    {
      fetch_changes (sync);
      return;
    }

  if (!read_sweep_rows (sync, &error))
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  g_debug ("%s: sweeping the flags of %u cached messages", sync->mailbox, sync->sweep_uids->len);
  sync->sweep_next = 0;
  sweep_pump (sync);
}
