/* pochta-folder-sync-headers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The new messages of a folder: which UIDs the cache lacks (the range
 * above the highest cached one, or a full UID comparison for a folder a
 * run left PARTIAL), and their headers fetched newest first in batches,
 * each stored while the next one arrives.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-folder-sync-private.h"

/* The first batch is small so the list fills from the top at once; later
 * ones are large so the server streams with few round trips. */
#define FIRST_BATCH         200
#define SECOND_BATCH        1000
#define BATCH               2000
/* Fetches pipelined on the connection, and batches held in memory at
 * most (being fetched or waiting for the writer). With two fetches the
 * server sat idle between them while the writer held the other slots: a
 * header sync of 100,000 messages took 2.8 s instead of 2.45 s. */
#define MAX_FETCHES         3
#define MAX_BATCHES         5
/* New mail in a synced folder up to this many UIDs is fetched by range
 * without asking which UIDs exist first. */
#define SMALL_RANGE         250
/* A SEARCH answer longer than this is not a mailbox we can hold. */
#define MAX_UIDS            (16 * 1024 * 1024)

typedef struct
{
  FolderSync *sync;
  GPtrArray  *records;
} Batch;

static void finish_fetches (FolderSync *sync);

/* Marks the folder PARTIAL before rows are added: a run killed from here
 * on leaves a folder the next run compares UID by UID. */
static void
write_partial_state (FolderSync *sync,
                     GArray     *removed)
{
  SyncWrite *write = _folder_sync_write_new (sync);

  write->set_state = TRUE;
  write->uidvalidity = sync->uidvalidity;
  write->uidnext = sync->cached_uidnext;
  /* The run's own rows are fetched after the SELECT, so its
   * HIGHESTMODSEQ bounds their later changes; older rows keep theirs. */
  write->modseq = sync->cached_modseq > 0 ? sync->cached_modseq
                  : sync->cached_max == 0 ? sync->highestmodseq : 0;
  write->state = POCHTA_FOLDER_SYNC_STATE_PARTIAL;
  write->removed = removed;
  _folder_sync_submit (sync, write);
}

static gboolean
header_cb (PochtaImapClient           *client,
           const PochtaImapFetchView  *view,
           gpointer                    user_data,
           GError                    **error)
{
  Batch *batch = user_data;
  PochtaMessageRecord *record;

  /* An unsolicited flag change may arrive while the fetch runs. And the
   * client hands each untagged FETCH to the oldest FETCH in flight, so a
   * batch may collect the next one's messages: whichever batch stores a
   * record, it is stored once. */
  if (view->uid == 0 || view->envelope == NULL)
    return TRUE;

  record = _pochta_sync_record_from_view (view, error);
  if (record == NULL)
    return FALSE;
  g_ptr_array_add (batch->records, record);
  return TRUE;
}

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->records, g_ptr_array_unref);
  g_free (batch);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Batch *batch = user_data;
  FolderSync *sync = batch->sync;
  g_autoptr(GPtrArray) unused = NULL;
  GError *error = NULL;

  sync->fetches--;
  unused = pochta_imap_client_uid_fetch_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (unused == NULL)
    _folder_sync_take_error (sync, error);
  else if (batch->records->len > 0)
    {
      SyncWrite *write = _folder_sync_write_new (sync);

      write->records = g_steal_pointer (&batch->records);
      _folder_sync_submit (sync, write);
    }

  _folder_sync_pump_fetches (sync);
}

static void
start_batch (FolderSync *sync)
{
  g_autoptr(PochtaImapSequenceSet) set = NULL;
  guint n = MIN (sync->batch_size, sync->remaining);
  Batch *batch;
  g_autofree char *items = NULL;

  sync->remaining -= n;
  set = pochta_imap_sequence_set_new_from_uids (&g_array_index (sync->missing, guint32, sync->remaining), n);
  if (sync->flags & POCHTA_SYNC_FOLDER_FLAGS_SMALL_BATCHES)
    sync->batch_size = 7;
  else
    sync->batch_size = sync->batch_size < SECOND_BATCH ? SECOND_BATCH : BATCH;

  batch = g_new0 (Batch, 1);
  batch->sync = sync;
  batch->records = g_ptr_array_new_full (n, (GDestroyNotify) pochta_message_record_free);

  items = g_strdup_printf ("(%s%s)", POCHTA_SYNC_HEADER_ITEMS, sync->condstore ? " MODSEQ" : "");
  sync->fetches++;
  pochta_imap_client_uid_fetch_view_async (sync->client, set, items,
                                           header_cb, batch, (GDestroyNotify) batch_free,
                                           g_task_get_cancellable (sync->task), batch_cb, batch);
}

void
_folder_sync_pump_fetches (FolderSync *sync)
{
  if (_folder_sync_check_failed (sync))
    return;

  while (sync->remaining > 0 && sync->fetches < MAX_FETCHES && sync->fetches + sync->writes < MAX_BATCHES)
    start_batch (sync);

  if (sync->remaining == 0 && sync->fetches == 0)
    {
      g_clear_pointer (&sync->missing, g_array_unref);
      _folder_sync_when_written (sync, finish_fetches);
    }
}

static void
finish_fetches (FolderSync *sync)
{
  if (_folder_sync_check_failed (sync))
    return;

  if (sync->total > 0 && sync->done < sync->total && sync->progress != NULL)
    sync->progress (sync->total, sync->total, sync->progress_data);
  sync->done = sync->total;

  _folder_sync_flags (sync);
}

/* Takes @missing (ascending UIDs) and fetches their headers, newest first. */
static void
fetch_missing (FolderSync *sync,
               GArray     *missing)
{
  sync->missing = missing;
  sync->remaining = missing->len;
  sync->total = missing->len;
  sync->done = 0;
  sync->batch_size = (sync->flags & POCHTA_SYNC_FOLDER_FLAGS_SMALL_BATCHES) ? 3 : FIRST_BATCH;

  g_debug ("%s: %u new messages to fetch", sync->mailbox, missing->len);

  if (missing->len == 0)
    {
      g_clear_pointer (&sync->missing, g_array_unref);
      _folder_sync_when_written (sync, finish_fetches);
      return;
    }

  _folder_sync_pump_fetches (sync);
}

static GArray *
uids_from_set (PochtaImapSequenceSet  *set,
               guint32                 above,
               GError                **error)
{
  g_autoptr(GArray) all = pochta_imap_sequence_set_to_array (set, MAX_UIDS, error);
  guint first = 0;

  if (all == NULL)
    return NULL;
  while (first < all->len && g_array_index (all, guint32, first) <= above)
    first++;
  if (first > 0)
    g_array_remove_range (all, 0, first);

  return g_steal_pointer (&all);
}

static void
search_new_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FolderSync *sync = user_data;
  g_autoptr(PochtaImapSequenceSet) found = NULL;
  GArray *missing;
  GError *error = NULL;

  found = pochta_imap_client_uid_search_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  /* "UID n:*" matches the last message even below n: hence the filter. */
  if (found == NULL || (missing = uids_from_set (found, sync->cached_max, &error)) == NULL)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  if (missing->len > 0)
    write_partial_state (sync, NULL);
  fetch_missing (sync, missing);
}

/* The UIDs on the server against the cached ones: what is missing is
 * fetched, what the server no longer has is removed. */
static void
search_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FolderSync *sync = user_data;
  g_autoptr(PochtaImapSequenceSet) found = NULL;
  g_autoptr(GArray) server = NULL;
  g_autoptr(GArray) cached = NULL;
  GArray *missing;
  GArray *removed;
  GError *error = NULL;
  guint i = 0, j = 0;

  found = pochta_imap_client_uid_search_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (found == NULL ||
      (server = uids_from_set (found, 0, &error)) == NULL ||
      (cached = _folder_sync_read_uids (sync, sync->cached_max, &error)) == NULL)
    {
      _folder_sync_take_error (sync, error);
      _folder_sync_check_failed (sync);
      return;
    }

  missing = g_array_new (FALSE, FALSE, sizeof (guint32));
  removed = g_array_new (FALSE, FALSE, sizeof (guint32));
  while (i < server->len || j < cached->len)
    {
      guint32 s = i < server->len ? g_array_index (server, guint32, i) : G_MAXUINT32;
      guint32 c = j < cached->len ? g_array_index (cached, guint32, j) : G_MAXUINT32;

      if (s == c)
        i++, j++;
      else if (s < c)
        {
          g_array_append_val (missing, s);
          i++;
        }
      else
        {
          g_array_append_val (removed, c);
          j++;
        }
    }

  g_debug ("%s: %u on the server, %u cached, %u gone", sync->mailbox, server->len, cached->len, removed->len);
  sync->expunges_done = TRUE;
  write_partial_state (sync, removed);
  fetch_missing (sync, missing);
}

void
_folder_sync_plan_new (FolderSync *sync)
{
  const PochtaImapMailboxState *selected = pochta_imap_client_get_selected (sync->client);
  GCancellable *cancellable = g_task_get_cancellable (sync->task);

  /* An empty mailbox needs no question: whatever is cached is gone. */
  if (selected != NULL && selected->exists == 0)
    {
      GError *error = NULL;
      GArray *removed = sync->cached_max > 0 ? _folder_sync_read_uids (sync, sync->cached_max, &error) : NULL;

      if (error != NULL)
        {
          _folder_sync_take_error (sync, error);
          _folder_sync_check_failed (sync);
          return;
        }
      sync->expunges_done = TRUE;
      if (removed != NULL || sync->cached_state != POCHTA_FOLDER_SYNC_STATE_SYNCED)
        write_partial_state (sync, removed);
      fetch_missing (sync, g_array_new (FALSE, FALSE, sizeof (guint32)));
      return;
    }

  if (sync->cached_state != POCHTA_FOLDER_SYNC_STATE_SYNCED)
    {
      pochta_imap_client_uid_search_async (sync->client, "ALL", cancellable, search_all_cb, sync);
      return;
    }

  /* Synced: nothing below the highest cached UID can be new. */
  if (sync->uidnext != 0 && sync->uidnext <= (guint64) sync->cached_max + 1)
    {
      fetch_missing (sync, g_array_new (FALSE, FALSE, sizeof (guint32)));
      return;
    }

  if (sync->uidnext != 0 && sync->uidnext - sync->cached_max - 1 <= SMALL_RANGE)
    {
      GArray *missing = g_array_new (FALSE, FALSE, sizeof (guint32));

      for (guint32 uid = sync->cached_max + 1; uid < sync->uidnext; uid++)
        g_array_append_val (missing, uid);
      write_partial_state (sync, NULL);
      fetch_missing (sync, missing);
      return;
    }

  {
    g_autofree char *criteria = g_strdup_printf ("UID %u:*", sync->cached_max + 1);

    pochta_imap_client_uid_search_async (sync->client, criteria, cancellable, search_new_cb, sync);
  }
}

