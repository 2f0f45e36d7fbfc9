/* pochta-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail cache: one SQLite database per profile, written by one worker thread, read on the main thread.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pochta-debug.h"
#include "pochta-profile.h"
#include "pochta-store-body-reader-private.h"
#include "pochta-store-error.h"
#include "pochta-store-migrations-private.h"
#include "pochta-store-private.h"

/* WAL pages after which the main thread asks for a checkpoint (see
 * advance_reader() for why it has to ask): 32 MiB with 8 KiB pages. Each
 * checkpoint ends in an fsync the writer waits for; with SQLite's default
 * of 1,000 pages a full sync of 100,000 bodies waited in some 500 of them,
 * and its writer spent 12 s in the kernel instead of 7. */
#define CHECKPOINT_FRAMES 4000

/* The writer's page cache; see open_job(). */
#define WRITER_CACHE_KIB 16384

/* Pages of a new cache (an existing one keeps its own): twice SQLite's
 * default halves the WAL writes and B-tree splits of a large header sync,
 * each a system call, which is dear in a VM. */
#define PAGE_SIZE 8192

struct _PochtaStore
{
  GObject            parent_instance;

  char              *path;
  GMainContext      *main_context;
  PochtaStoreWorker *worker;
  PochtaSqlite      *reader;
  PochtaStoreBodyReader *body_reader;
  GSource           *completion_source;
  GMutex             completed_mutex;
  GQueue             completed;
  gint64             reader_seq;
  gint               wal_frames;
  int                next_checkpoint;
  guint              closing : 1;
  guint              checkpoint_pending : 1;
};

G_DEFINE_FINAL_TYPE (PochtaStore, pochta_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  FOLDER_CHANGED,
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  PochtaStore  *store;
  char         *path;
  PochtaSqlite *reader;
} OpenData;

typedef struct
{
  gboolean complete;
} CheckpointData;

static void
open_data_free (OpenData *data)
{
  g_clear_pointer (&data->path, g_free);
  g_clear_pointer (&data->reader, pochta_sqlite_close);
  g_free (data);
}

/* Replaces SQLite's automatic checkpoint hook (and does what it did) so
 * the main thread can see how large the WAL has grown. */
static int
wal_hook_cb (gpointer    user_data,
             sqlite3    *handle,
             const char *db_name,
             int         n_frames)
{
  PochtaStore *self = user_data;

  /* While the reader holds an older snapshot the WAL cannot shrink, so
   * checkpoint again only after another CHECKPOINT_FRAMES, not on every
   * commit (each one costs an fsync of the database file). */
  if (n_frames < g_atomic_int_get (&self->wal_frames))
    self->next_checkpoint = 0;
  g_atomic_int_set (&self->wal_frames, n_frames);
  if (n_frames >= MAX (self->next_checkpoint, CHECKPOINT_FRAMES))
    {
      sqlite3_wal_checkpoint_v2 (handle, db_name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      self->next_checkpoint = n_frames + CHECKPOINT_FRAMES;
    }

  return SQLITE_OK;
}

static gboolean
open_job (PochtaStoreTransaction  *txn,
          gpointer                 task_data,
          GError                 **error)
{
  OpenData *data = task_data;
  g_autoptr(PochtaSqlite) writer = NULL;
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *dir = g_path_get_dirname (data->path);
  const char *mode;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s” for the mail cache: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!(writer = pochta_sqlite_open (data->path, POCHTA_SQLITE_OPEN_CREATE, error)))
    return FALSE;

  /* Only takes effect before the first table exists. */
  if (!pochta_sqlite_exec (writer, "PRAGMA page_size = " G_STRINGIFY (PAGE_SIZE), error))
    return FALSE;

  /* WAL lets the main thread read while this thread writes. */
  if (!(stmt = pochta_sqlite_prepare (writer, "PRAGMA journal_mode = WAL", error)) ||
      pochta_sqlite_step (writer, stmt, error) != SQLITE_ROW)
    return FALSE;
  mode = pochta_sqlite_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_SQLITE,
                   _("The mail cache “%s” cannot use write-ahead logging (journal mode %s)"),
                   data->path, mode);
      return FALSE;
    }
  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));

  /* NORMAL is durable in WAL mode up to the last checkpoint-free commit
   * and never corrupts: a power cut loses at most the newest batch, which
   * sync fetches again. */
  /* A batch of header rows touches pages all over three indexes and the
   * FTS tables: a larger cache keeps them from spilling to the WAL within
   * one transaction. Every INSERT with triggers inside a savepoint writes
   * the pages it first changes to a statement journal, which Debian's
   * SQLite keeps on disk (two pwrite calls per page) unless told otherwise. */
  if (!pochta_sqlite_exec (writer,
                           "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                           " PRAGMA cache_size = -" G_STRINGIFY (WRITER_CACHE_KIB),
                           error) ||
      !_pochta_store_migrate (writer, 0, error))
    return FALSE;

  sqlite3_wal_hook (pochta_sqlite_get_handle (writer), wal_hook_cb, data->store);

  if (!(data->reader = pochta_sqlite_open (data->path, POCHTA_SQLITE_OPEN_READ_ONLY, error)))
    return FALSE;

  _pochta_store_worker_set_db (txn->worker, g_steal_pointer (&writer));

  return TRUE;
}

static gboolean
stop_job (PochtaStoreTransaction  *txn,
          gpointer                 task_data,
          GError                 **error)
{
  g_autoptr(PochtaSqlite) writer = _pochta_store_worker_steal_db (txn->worker);

  /* With the reader gone this folds the WAL back and truncates it, so a
   * closed cache is one file. */
  if (writer != NULL)
    sqlite3_wal_checkpoint_v2 (pochta_sqlite_get_handle (writer), NULL,
                               SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  return TRUE;
}

static gboolean
checkpoint_job (PochtaStoreTransaction  *txn,
                gpointer                 task_data,
                GError                 **error)
{
  CheckpointData *data = task_data;
  int log_frames = -1;
  int copied = -1;
  int rc;

  if (txn->db == NULL)
    return TRUE;

  rc = sqlite3_wal_checkpoint_v2 (pochta_sqlite_get_handle (txn->db), NULL,
                                  SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
  if (rc != SQLITE_OK)
    {
      pochta_sqlite_set_error (error, txn->db, rc, _("Could not checkpoint the mail cache"));
      return FALSE;
    }

  data->complete = log_frames >= 0 && log_frames == copied;

  return TRUE;
}

/* The readers go before the final checkpoint, so it can truncate the WAL. */
static void
close_reader (PochtaStore *self)
{
  if (self->body_reader != NULL)
    _pochta_store_body_reader_close (self->body_reader);
  if (self->reader == NULL)
    return;

  if (pochta_sqlite_in_transaction (self->reader))
    pochta_sqlite_rollback (self->reader);
  g_clear_pointer (&self->reader, pochta_sqlite_close);
}

static PochtaStoreChanges *
changes_for (GHashTable *table,
             GArray     *order,
             gint64      folder_id)
{
  PochtaStoreChanges *changes = g_hash_table_lookup (table, &folder_id);

  if (changes == NULL)
    {
      changes = _pochta_store_changes_new (folder_id);
      g_array_append_val (order, folder_id);
      g_hash_table_insert (table, g_memdup2 (&folder_id, sizeof folder_id), changes);
    }

  return changes;
}

/* The reader sits in a read transaction, so every main-thread query sees
 * the state the listeners were last told about, however far the writer
 * has gone since. Here it moves on to the newest commit and announces
 * exactly the notes of the batches that snapshot contains (the worker
 * publishes them before its COMMIT, tagged with change_seq). */
static void
advance_reader (PochtaStore *self)
{
  g_autoptr(GHashTable) folders = NULL;
  g_autoptr(GHashTable) accounts = NULL;
  g_autoptr(GArray) folder_order = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 seq = 0;

  if (self->reader == NULL)
    return;

  if (pochta_sqlite_in_transaction (self->reader) && !pochta_sqlite_commit (self->reader, &error))
    {
      g_warning ("Ending the reader's snapshot: %s", error->message);
      g_clear_error (&error);
      pochta_sqlite_rollback (self->reader);
    }

  if (!pochta_sqlite_begin (self->reader, FALSE, &error) ||
      !pochta_sqlite_query_int64 (self->reader, "SELECT change_seq FROM store_state", &seq, &error))
    {
      g_warning ("Reading the mail cache's change sequence: %s", error->message);
      return;
    }

  batches = _pochta_store_worker_take_notes (self->worker, seq);
  self->reader_seq = seq;
  if (batches->len == 0)
    return;

  folders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                   (GDestroyNotify) pochta_store_changes_unref);
  accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  folder_order = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < batches->len; i++)
    {
      PochtaStoreNoteBatch *batch = g_ptr_array_index (batches, i);

      for (guint j = 0; j < batch->notes->len; j++)
        {
          const PochtaStoreNote *n = &g_array_index (batch->notes, PochtaStoreNote, j);

          if (n->kind == POCHTA_STORE_NOTE_ACCOUNT_CHANGED)
            g_hash_table_add (accounts, g_memdup2 (&n->folder_id, sizeof n->folder_id));
          else
            _pochta_store_changes_add_note (changes_for (folders, folder_order, n->folder_id), n);
        }
    }

  for (guint i = 0; i < folder_order->len; i++)
    {
      gint64 folder_id = g_array_index (folder_order, gint64, i);
      PochtaStoreChanges *changes = g_hash_table_lookup (folders, &folder_id);

      _pochta_store_changes_seal (changes);
      g_signal_emit (self, signals[FOLDER_CHANGED], 0, folder_id, changes);
    }

  g_hash_table_iter_init (&iter, accounts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, *(gint64 *) key);
}

static void
complete_job (PochtaStore    *self,
              PochtaStoreJob *job)
{
  gpointer tag = g_task_get_source_tag (job->task);

  if (job->error != NULL)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return;
    }

  if (tag == pochta_store_open_async)
    g_task_return_pointer (job->task, g_object_ref (self), g_object_unref);
  else
    g_task_return_boolean (job->task, TRUE);
}

/* A checkpoint could only copy back what the reader's snapshot no longer
 * needs; once it copied everything, restarting the reader's transaction
 * lets the next write start the WAL file over instead of growing it. */
static void
maybe_checkpoint (PochtaStore *self)
{
  CheckpointData *data;

  if (self->checkpoint_pending || self->closing || self->reader == NULL ||
      g_atomic_int_get (&self->wal_frames) < CHECKPOINT_FRAMES)
    return;

  self->checkpoint_pending = TRUE;
  data = g_new0 (CheckpointData, 1);
  _pochta_store_push_job (self, POCHTA_STORE_JOB_RAW, checkpoint_job, data, g_free,
                          checkpoint_job, NULL, NULL, NULL);
}

static gboolean
completion_dispatch (gpointer user_data)
{
  PochtaStore *self = user_data;
  g_autoptr(GPtrArray) finished = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(PochtaStore) hold = g_object_ref (self);
  gboolean stopped = FALSE;
  GPtrArray *batch;

  /* Re-arm first: a batch delivered while draining wakes us again. */
  g_source_set_ready_time (self->completion_source, -1);

  g_mutex_lock (&self->completed_mutex);
  while ((batch = g_queue_pop_head (&self->completed)) != NULL)
    g_ptr_array_add (finished, batch);
  g_mutex_unlock (&self->completed_mutex);

  for (guint i = 0; i < finished->len; i++)
    {
      batch = g_ptr_array_index (finished, i);
      for (guint j = 0; j < batch->len; j++)
        {
          PochtaStoreJob *job = g_ptr_array_index (batch, j);
          gpointer tag = g_task_get_source_tag (job->task);

          if (tag == pochta_store_open_async && job->error == NULL)
            {
              OpenData *data = g_task_get_task_data (job->task);

              self->reader = g_steal_pointer (&data->reader);
            }
          else if (tag == checkpoint_job)
            {
              CheckpointData *data = g_task_get_task_data (job->task);

              self->checkpoint_pending = FALSE;
              if (data->complete)
                g_atomic_int_set (&self->wal_frames, 0);
            }
          else if (job->kind == POCHTA_STORE_JOB_STOP)
            stopped = TRUE;
        }
    }

  /* Listeners hear about the rows before the callbacks of the jobs that
   * wrote them run, so a callback already reads the new state. */
  advance_reader (self);

  if (stopped)
    _pochta_store_worker_join (self->worker);

  for (guint i = 0; i < finished->len; i++)
    {
      batch = g_ptr_array_index (finished, i);
      for (guint j = 0; j < batch->len; j++)
        complete_job (self, g_ptr_array_index (batch, j));
    }

  maybe_checkpoint (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
completion_source_dispatch (GSource     *source,
                            GSourceFunc  callback,
                            gpointer     user_data)
{
  return callback (user_data);
}

/* Woken from the worker with g_source_set_ready_time(), which is
 * thread-safe and wakes the context; no prepare or check needed. */
static GSourceFuncs completion_source_funcs = {
  NULL, NULL, completion_source_dispatch, NULL, NULL, NULL,
};

/* Worker thread: hand the finished batch to the main context. */
static void
deliver_cb (gpointer   user_data,
            GPtrArray *finished,
            gboolean   checkpointed)
{
  PochtaStore *self = user_data;

  g_mutex_lock (&self->completed_mutex);
  g_queue_push_tail (&self->completed, finished);
  g_mutex_unlock (&self->completed_mutex);

  g_source_set_ready_time (self->completion_source, 0);
}

void
_pochta_store_push_job (PochtaStore         *self,
                        PochtaStoreJobKind   kind,
                        PochtaStoreJobFunc   func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (POCHTA_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);

  if (self->worker == NULL || _pochta_store_worker_is_stopping (self->worker) ||
      (self->closing && kind != POCHTA_STORE_JOB_STOP))
    {
      g_task_return_error (task, _pochta_store_closed_error ());
      return;
    }

  _pochta_store_worker_push (self->worker, kind, func, task);
}

gboolean
_pochta_store_finish_job (PochtaStore   *self,
                          GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pochta_store_dispose (GObject *object)
{
  PochtaStore *self = (PochtaStore *) object;

  /* Only reached with no caller's job in flight (each task holds a
   * reference), so stopping here waits for nothing but the close. */
  close_reader (self);
  if (self->worker != NULL)
    {
      if (!_pochta_store_worker_is_stopping (self->worker))
        {
          g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

          g_task_set_source_tag (task, stop_job);
          _pochta_store_worker_push (self->worker, POCHTA_STORE_JOB_STOP, stop_job, task);
        }
      _pochta_store_worker_join (self->worker);
    }

  if (self->completion_source != NULL)
    {
      g_source_destroy (self->completion_source);
      g_clear_pointer (&self->completion_source, g_source_unref);
    }

  g_clear_pointer (&self->worker, _pochta_store_worker_free);
  g_clear_pointer (&self->body_reader, _pochta_store_body_reader_free);

  G_OBJECT_CLASS (pochta_store_parent_class)->dispose (object);
}

static void
pochta_store_finalize (GObject *object)
{
  PochtaStore *self = (PochtaStore *) object;
  GPtrArray *batch;

  while ((batch = g_queue_pop_head (&self->completed)) != NULL)
    g_ptr_array_unref (batch);
  g_mutex_clear (&self->completed_mutex);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (pochta_store_parent_class)->finalize (object);
}

static void
pochta_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PochtaStore *self = POCHTA_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_store_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PochtaStore *self = POCHTA_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_store_class_init (PochtaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_store_dispose;
  object_class->finalize = pochta_store_finalize;
  object_class->get_property = pochta_store_get_property;
  object_class->set_property = pochta_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PochtaStore::folder-changed:
   * @folder_id: the folder
   * @changes: (type PochtaStoreChanges): rows added, changed and removed
   *
   * Emitted on the main context after a write committed, once the reader
   * sees the new state.
   */
  signals[FOLDER_CHANGED] =
    g_signal_new ("folder-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, POCHTA_TYPE_STORE_CHANGES);

  /**
   * PochtaStore::account-changed:
   * @account_id: the account
   *
   * Emitted when an account, one of its identities or its list of folders changed.
   */
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
pochta_store_init (PochtaStore *self)
{
  g_mutex_init (&self->completed_mutex);
  g_queue_init (&self->completed);
}

char *
pochta_store_get_default_path (void)
{
  g_autofree char *dir = pochta_profile_get_data_dir ();

  return g_build_filename (dir, "cache.sqlite", NULL);
}

/**
 * pochta_store_open_async:
 * @path: (nullable): the database file, or %NULL for the profile's
 *
 * Opens (creating and migrating as needed) the cache on the worker thread.
 * Signals and callbacks of the store come on the thread-default main
 * context of this call.
 */
void
pochta_store_open_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(PochtaStore) self = NULL;
  g_autofree char *default_path = NULL;
  OpenData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (path == NULL)
    path = default_path = pochta_store_get_default_path ();

  self = g_object_new (POCHTA_TYPE_STORE, "path", path, NULL);
  self->main_context = g_main_context_ref_thread_default ();
  self->completion_source = g_source_new (&completion_source_funcs, sizeof (GSource));
  g_source_set_callback (self->completion_source, completion_dispatch, self, NULL);
  g_source_set_static_name (self->completion_source, "[pochta-store completion]");
  g_source_set_ready_time (self->completion_source, -1);
  g_source_attach (self->completion_source, self->main_context);
  self->worker = _pochta_store_worker_new (deliver_cb, self);
  self->body_reader = _pochta_store_body_reader_new (path);

  data = g_new0 (OpenData, 1);
  data->store = self;
  data->path = g_strdup (path);

  _pochta_store_push_job (self, POCHTA_STORE_JOB_RAW, open_job, data, (GDestroyNotify) open_data_free,
                          pochta_store_open_async, cancellable, callback, user_data);
}

PochtaStore *
pochta_store_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pochta_store_close_async:
 *
 * Lets the queued writes finish, then folds the WAL back into the database
 * and closes it. Later calls fail with %POCHTA_STORE_ERROR_CLOSED.
 */
void
pochta_store_close_async (PochtaStore         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The reader goes first so the final checkpoint can truncate the WAL. */
  close_reader (self);
  self->closing = TRUE;

  /* Not cancellable: a half-closed cache helps nobody. */
  _pochta_store_push_job (self, POCHTA_STORE_JOB_STOP, stop_job, NULL, NULL,
                          pochta_store_close_async, NULL, callback, user_data);
}

gboolean
pochta_store_close_finish (PochtaStore   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _pochta_store_finish_job (self, result, pochta_store_close_async, error);
}

PochtaStoreBodyReader *
_pochta_store_get_body_reader (PochtaStore *self)
{
  return self->body_reader;
}

const char *
pochta_store_get_path (PochtaStore *self)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  return self->path;
}

/**
 * pochta_store_get_reader:
 *
 * The read-only connection for the main thread. It always sits in a read
 * transaction on the snapshot of the last change the store announced, so
 * its queries agree with the signals and never wait for the writer.
 *
 * Returns: (transfer none) (nullable): the reader, %NULL once closed
 */
PochtaSqlite *
pochta_store_get_reader (PochtaStore *self)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  return self->reader;
}

/**
 * pochta_store_require_reader:
 *
 * Returns: (transfer none): the reader, or %NULL with
 *   %POCHTA_STORE_ERROR_CLOSED once the store is closed
 */
PochtaSqlite *
pochta_store_require_reader (PochtaStore  *self,
                             GError      **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (self), NULL);

  if (self->reader == NULL)
    g_propagate_error (error, _pochta_store_closed_error ());

  return self->reader;
}
