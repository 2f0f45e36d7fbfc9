/* pochta-body-sync-batch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The newest bodies of a folder into the cache, in the background or for
 * `sync --bodies`. Messages go in chunks: one UID FETCH BODY.PEEK[] for a
 * few dozen of them, parsed (and hashed) together in a worker thread and
 * stored in one store job (FTS5 writes a segment per job, not per body).
 * A few chunks are in flight at once, so the connection, the parser and
 * the writer thread all stay busy while memory stays bounded by
 * CHUNK_WINDOW × CHUNK_BYTES.
 * Messages too big for a chunk are streamed one by one.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-message-parser.h"
#include "pochta-store-error.h"
#include "pochta-sync-error.h"
#include "pochta-sync-private.h"

/* A chunk: at most this many messages and bytes. Bigger messages are
 * streamed alone, never held whole in the IMAP parser (whose limit for a
 * literal in memory, 8 MiB, is above this). Most attachments fit: a
 * chunk of its own costs a round trip and an index segment. */
#define CHUNK_MESSAGES  64
#define CHUNK_BYTES     (4 * 1024 * 1024)
/* Chunks (or single large bodies) fetching, parsing or storing at once:
 * enough that fetching and parsing go on while the writer waits for a
 * checkpoint's fsync (with 4, a quarter of a 2-CPU machine sat idle in a
 * full sync of 100,000 bodies, which took a tenth longer). */
#define CHUNK_WINDOW    8

typedef struct
{
  gint64   id;
  guint32  uid;
  guint64  size;
} Wanted;

typedef struct
{
  gint64   id;
  guint32  uid;
  GBytes  *raw;       /* NULL until fetched; still NULL: gone from the server */
  char    *checksum;
  char    *text;
  char    *preview;
} ChunkItem;

static void
chunk_item_clear (ChunkItem *item)
{
  g_clear_pointer (&item->raw, g_bytes_unref);
  g_clear_pointer (&item->checksum, g_free);
  g_clear_pointer (&item->text, g_free);
  g_clear_pointer (&item->preview, g_free);
}

typedef struct
{
  PochtaImapClient *client;
  PochtaStore      *store;
  PochtaFolder     *folder;
  GArray           *wanted;     /* Wanted, newest first */
  guint             next;
  guint             in_flight;
  gssize            stored;
  GError           *error;
} BodiesFetch;

static void
bodies_fetch_free (BodiesFetch *bodies)
{
  g_assert (bodies->in_flight == 0);

  g_clear_object (&bodies->client);
  g_clear_object (&bodies->store);
  g_clear_object (&bodies->folder);
  g_clear_pointer (&bodies->wanted, g_array_unref);
  g_clear_error (&bodies->error);
  g_free (bodies);
}

typedef struct
{
  GTask  *task;       /* the BodiesFetch's; owned */
  GArray *items;      /* ChunkItem, sorted by uid */
  gssize  stored;
  guint   next;       /* one at a time after a full disk */
} Chunk;

static void
chunk_free (Chunk *chunk)
{
  g_clear_object (&chunk->task);
  g_clear_pointer (&chunk->items, g_array_unref);
  g_free (chunk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chunk, chunk_free)

static void bodies_pump (GTask *task);

/* Ends one chunk or single body of @task, keeping the first error. */
static void
bodies_one_done (GTask  *task,
                 gssize  stored,
                 GError *error)
{
  BodiesFetch *bodies = g_task_get_task_data (task);

  bodies->in_flight--;
  bodies->stored += MAX (stored, 0);
  if (error != NULL && bodies->error == NULL)
    bodies->error = error;
  else if (error != NULL)
    g_error_free (error);

  bodies_pump (task);
}

/* --- A chunk: fetch, parse, store ----------------------------------------- */

static int
compare_uid (gconstpointer a,
             gconstpointer b)
{
  guint32 ua = ((const ChunkItem *) a)->uid;
  guint32 ub = ((const ChunkItem *) b)->uid;

  return ua < ub ? -1 : ua > ub;
}

/* Stores one item's body (or removes its row); counts what it stored. */
static gboolean
store_item (PochtaStoreTransaction  *txn,
            ChunkItem               *item,
            gssize                  *stored,
            GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  /* The fetch answered for every UID the server still has. */
  if (item->raw == NULL)
    ok = pochta_store_transaction_remove_message (txn, item->id, &local_error);
  else
    ok = _pochta_sync_store_body (txn, item->id, item->raw, item->checksum, item->text, item->preview,
                                  &local_error);

  /* A row a sync removed while its body was on the way: nothing to do. */
  if (!ok && !g_error_matches (local_error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (ok && item->raw != NULL)
    (*stored)++;

  return TRUE;
}

static gboolean
store_chunk_job (PochtaStoreTransaction  *txn,
                 gpointer                 user_data,
                 GError                 **error)
{
  Chunk *chunk = user_data;

  chunk->stored = 0;
  for (guint i = 0; i < chunk->items->len; i++)
    if (!store_item (txn, &g_array_index (chunk->items, ChunkItem, i), &chunk->stored, error))
      return FALSE;

  return TRUE;
}

static gboolean
store_next_item_job (PochtaStoreTransaction  *txn,
                     gpointer                 user_data,
                     GError                 **error)
{
  Chunk *chunk = user_data;

  return store_item (txn, &g_array_index (chunk->items, ChunkItem, chunk->next), &chunk->stored, error);
}

static void
item_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Chunk *chunk = user_data;
  GError *error = NULL;

  if (pochta_store_write_finish (POCHTA_STORE (object), result, &error) &&
      ++chunk->next < chunk->items->len)
    {
      pochta_store_write_async (POCHTA_STORE (object), store_next_item_job, chunk, NULL, NULL,
                                item_stored_cb, chunk);
      return;
    }

  {
    g_autoptr(Chunk) done = chunk;
    g_autoptr(GTask) task = g_object_ref (done->task);

    bodies_one_done (task, done->stored, error);
  }
}

static void
chunk_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Chunk) chunk = user_data;
  g_autoptr(GTask) task = g_object_ref (chunk->task);
  GError *error = NULL;

  if (pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    {
      bodies_one_done (task, chunk->stored, error);
      return;
    }

  /* A full disk may still have room for some of the chunk: store it one
   * message at a time, so that what fits is kept and the error comes from
   * the first that does not. */
  chunk->stored = 0;
  if (g_error_matches (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_FULL) && chunk->items->len > 1)
    {
      Chunk *retry = g_steal_pointer (&chunk);

      g_clear_error (&error);
      retry->next = 0;
      pochta_store_write_async (POCHTA_STORE (object), store_next_item_job, retry, NULL, NULL,
                                item_stored_cb, retry);
      return;
    }

  bodies_one_done (task, 0, error);
}

static void
parse_chunk_thread (GTask        *parse_task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Chunk *chunk = task_data;
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();

  for (guint i = 0; i < chunk->items->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      ChunkItem *item = &g_array_index (chunk->items, ChunkItem, i);
      g_autoptr(PochtaMessage) message = NULL;
      g_autoptr(GError) error = NULL;

      if (item->raw == NULL)
        continue;
      message = pochta_message_parser_parse_bytes (parser, item->raw, &error);
      _pochta_sync_body_text (item->raw, message, error, &item->text, &item->preview);
      item->checksum = pochta_store_body_checksum (item->raw);
    }

  if (!g_task_return_error_if_cancelled (parse_task))
    g_task_return_boolean (parse_task, TRUE);
}

static void
chunk_parsed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Chunk *chunk = user_data;
  BodiesFetch *bodies = g_task_get_task_data (chunk->task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(GTask) task = g_object_ref (chunk->task);

      chunk_free (chunk);
      bodies_one_done (task, 0, error);
      return;
    }

  /* The chunk is borrowed by the store job and freed by its callback. */
  pochta_store_write_async (bodies->store, store_chunk_job, chunk, NULL, NULL, chunk_stored_cb, chunk);
}

static void
chunk_body_cb (PochtaImapClient      *client,
               const PochtaImapFetch *fetch,
               gpointer               user_data)
{
  Chunk *chunk = user_data;
  ChunkItem key = { .uid = fetch->uid };
  ChunkItem *item;
  GBytes *data;
  guint index;

  /* Unsolicited FETCHes (a flag change of another message) come here too. */
  if (!g_array_binary_search (chunk->items, &key, compare_uid, &index))
    return;
  data = pochta_imap_fetch_get_section_data (fetch, "BODY[]");
  if (data == NULL && pochta_imap_fetch_get_section (fetch, "BODY[]") == NULL)
    return;

  /* BODY[] NIL is kept as an empty message: asking again would get the
   * same answer, forever. */
  item = &g_array_index (chunk->items, ChunkItem, index);
  g_clear_pointer (&item->raw, g_bytes_unref);
  item->raw = data != NULL ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
}

static void
chunk_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Chunk *chunk = user_data;
  g_autoptr(GPtrArray) unused = NULL;
  g_autoptr(GTask) parse_task = NULL;
  GError *error = NULL;

  unused = pochta_imap_client_uid_fetch_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (unused == NULL)
    {
      g_autoptr(GTask) task = g_object_ref (chunk->task);

      chunk_free (chunk);
      bodies_one_done (task, 0, error);
      return;
    }

  parse_task = g_task_new (NULL, g_task_get_cancellable (chunk->task), chunk_parsed_cb, chunk);
  g_task_set_source_tag (parse_task, parse_chunk_thread);
  g_task_set_task_data (parse_task, chunk, NULL);
  g_task_run_in_thread (parse_task, parse_chunk_thread);
}

static void
chunk_start (GTask *task,
             guint  first,
             guint  n)
{
  BodiesFetch *bodies = g_task_get_task_data (task);
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->task = g_object_ref (task);
  chunk->items = g_array_sized_new (FALSE, TRUE, sizeof (ChunkItem), n);
  g_array_set_clear_func (chunk->items, (GDestroyNotify) chunk_item_clear);
  for (guint i = first; i < first + n; i++)
    {
      const Wanted *wanted = &g_array_index (bodies->wanted, Wanted, i);
      ChunkItem item = { .id = wanted->id, .uid = wanted->uid };

      g_array_append_val (chunk->items, item);
      pochta_imap_sequence_set_add (set, wanted->uid);
    }
  g_array_sort (chunk->items, compare_uid);

  pochta_imap_client_uid_fetch_async (bodies->client, set, "BODY.PEEK[]", 0, FALSE,
                                      chunk_body_cb, chunk, NULL,
                                      g_task_get_cancellable (task), chunk_fetched_cb, chunk);
}

/* --- The pump --------------------------------------------------------------- */

static void
single_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) raw = NULL;
  GError *error = NULL;

  raw = _pochta_sync_body_job_finish (result, &error);
  if (g_error_matches (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_MESSAGE_GONE))
    g_clear_error (&error);   /* expunged meanwhile: its row is gone, go on */

  bodies_one_done (task, raw != NULL ? 1 : 0, error);
}

static void
bodies_pump (GTask *task)
{
  BodiesFetch *bodies = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (bodies->error == NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_set_error_if_cancelled (cancellable, &bodies->error);

  while (bodies->error == NULL && bodies->next < bodies->wanted->len && bodies->in_flight < CHUNK_WINDOW)
    {
      const Wanted *first = &g_array_index (bodies->wanted, Wanted, bodies->next);
      guint start = bodies->next;
      guint64 bytes = 0;

      bodies->in_flight++;
      if (first->size > CHUNK_BYTES)
        {
          bodies->next++;
          _pochta_sync_body_job_run (bodies->client, bodies->store, first->id, first->uid, first->size,
                                     cancellable, single_done_cb, g_object_ref (task));
          continue;
        }

      while (bodies->next < bodies->wanted->len && bodies->next - start < CHUNK_MESSAGES)
        {
          guint64 size = g_array_index (bodies->wanted, Wanted, bodies->next).size;

          if (size > CHUNK_BYTES || bytes + size > CHUNK_BYTES)
            break;
          bytes += size;
          bodies->next++;
        }
      chunk_start (task, start, bodies->next - start);
    }

  if (bodies->in_flight > 0)
    return;

  if (bodies->error != NULL)
    g_task_return_error (task, g_steal_pointer (&bodies->error));
  else
    g_task_return_int (task, bodies->stored);
}

static void
bodies_selected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!_pochta_sync_ensure_selected_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  bodies_pump (task);
}

static gboolean
read_wanted_bodies (BodiesFetch  *bodies,
                    gint64        folder_id,
                    gint64        since,
                    guint64       size_limit,
                    guint         max_messages,
                    GError      **error)
{
  PochtaSqlite *db = pochta_store_require_reader (bodies->store, error);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  if (db == NULL)
    return FALSE;

  stmt = pochta_sqlite_prepare (db,
    "SELECT id, uid, size FROM messages WHERE folder_id = ?1 AND body_id IS NULL AND " POCHTA_SYNC_REAL_UID
    " AND internal_date >= ?2 AND (?3 = 0 OR size <= ?3)"
    " ORDER BY internal_date DESC, id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, since);
  pochta_sqlite_bind_int64 (stmt, 3, (gint64) MIN (size_limit, G_MAXINT64));
  pochta_sqlite_bind_int64 (stmt, 4, max_messages);

  while ((rc = pochta_sqlite_step (db, stmt, error)) == SQLITE_ROW)
    {
      Wanted wanted = {
        .id = sqlite3_column_int64 (stmt, 0),
        .uid = (guint32) sqlite3_column_int64 (stmt, 1),
        .size = (guint64) MAX (sqlite3_column_int64 (stmt, 2), 0),
      };

      g_array_append_val (bodies->wanted, wanted);
    }

  return rc == SQLITE_DONE;
}

/**
 * pochta_sync_fetch_bodies_async:
 * @client: a logged-in client; the folder is selected if it is not already
 *
 * Messages the server no longer has are removed on the way and do not
 * count. Call again until it returns 0.
 */
void
pochta_sync_fetch_bodies_async (PochtaImapClient    *client,
                                PochtaStore         *store,
                                gint64               folder_id,
                                gint64               since,
                                guint64              size_limit,
                                guint                max_messages,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  BodiesFetch *bodies;
  GError *error = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (client));
  g_return_if_fail (POCHTA_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_sync_fetch_bodies_async);

  bodies = g_new0 (BodiesFetch, 1);
  bodies->client = g_object_ref (client);
  bodies->store = g_object_ref (store);
  bodies->wanted = g_array_new (FALSE, FALSE, sizeof (Wanted));
  g_task_set_task_data (task, bodies, (GDestroyNotify) bodies_fetch_free);

  bodies->folder = pochta_store_get_folder (store, folder_id, &error);
  if (bodies->folder == NULL ||
      !read_wanted_bodies (bodies, folder_id, since, size_limit, max_messages, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (bodies->wanted->len == 0)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }

  _pochta_sync_ensure_selected (client, bodies->folder, cancellable, bodies_selected_cb, task);
}

gssize
pochta_sync_fetch_bodies_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_sync_fetch_bodies_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
