/* pochta-store-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's single writer thread: a queue of jobs run in batched transactions.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-debug.h"
#include "pochta-store-error.h"
#include "pochta-store-worker-private.h"

/* Jobs that wait together share one transaction, which is what makes many
 * small writes cheap (one fsync); the cap bounds how long the first of
 * them waits for its callback. */
#define MAX_BATCH_JOBS 64

struct _PochtaStoreWorker
{
  GThread                *thread;
  GAsyncQueue            *queue;
  PochtaSqlite           *db;
  PochtaStoreDeliverFunc  deliver;
  gpointer                user_data;
  GMutex                  notes_mutex;
  GQueue                  note_batches;
  gint                    stopping;
};

static void
job_free (gpointer data)
{
  PochtaStoreJob *job = data;

  g_clear_object (&job->task);
  g_clear_error (&job->error);
  g_free (job);
}

void
_pochta_store_note_batch_free (PochtaStoreNoteBatch *batch)
{
  g_clear_pointer (&batch->notes, g_array_unref);
  g_free (batch);
}

void
_pochta_store_note (PochtaStoreTransaction *txn,
                    PochtaStoreNoteKind     kind,
                    gint64                  folder_id,
                    gint64                  message_id,
                    gint64                  internal_date)
{
  PochtaStoreNote n = { folder_id, message_id, internal_date, kind };

  g_assert (txn->notes != NULL);
  g_array_append_val (txn->notes, n);
}

/* What every use of a closed store is told. */
GError *
_pochta_store_closed_error (void)
{
  return g_error_new_literal (POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_CLOSED, _("The mail cache is closed"));
}

gboolean
_pochta_store_not_found (GError     **error,
                         const char  *what,
                         gint64       id)
{
  /* Whole sentences per kind, so that translations need no English words. */
  if (g_str_equal (what, "account"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Account %lld is not in the mail cache"), (long long) id);
  else if (g_str_equal (what, "identity"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Identity %lld is not in the mail cache"), (long long) id);
  else if (g_str_equal (what, "folder"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Folder %lld is not in the mail cache"), (long long) id);
  else if (g_str_equal (what, "message"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Message %lld is not in the mail cache"), (long long) id);
  else if (g_str_equal (what, "pending operation"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Pending operation %lld is not in the mail cache"), (long long) id);
  else if (g_str_equal (what, "outgoing message"))
    g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                 _("Outgoing message %lld is not in the mail cache"), (long long) id);
  else
    g_return_val_if_reached (FALSE);
  return FALSE;
}

static void
fail_job (PochtaStoreJob *job,
          const GError   *error)
{
  if (job->error == NULL)
    job->error = g_error_copy (error);
}

static gboolean
job_cancelled (PochtaStoreJob *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  if (job->error == NULL && g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    return TRUE;

  return job->error != NULL;
}

static void
push_notes (PochtaStoreWorker *self,
            gint64             seq,
            GArray            *notes)
{
  PochtaStoreNoteBatch *batch = g_new0 (PochtaStoreNoteBatch, 1);

  batch->seq = seq;
  batch->notes = g_array_ref (notes);

  g_mutex_lock (&self->notes_mutex);
  g_queue_push_tail (&self->note_batches, batch);
  g_mutex_unlock (&self->notes_mutex);
}

static void
drop_notes (PochtaStoreWorker *self,
            gint64             seq)
{
  PochtaStoreNoteBatch *batch;

  g_mutex_lock (&self->notes_mutex);
  batch = g_queue_peek_tail (&self->note_batches);
  if (batch != NULL && batch->seq == seq)
    _pochta_store_note_batch_free (g_queue_pop_tail (&self->note_batches));
  g_mutex_unlock (&self->notes_mutex);
}

GPtrArray *
_pochta_store_worker_take_notes (PochtaStoreWorker *self,
                                 gint64             up_to_seq)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) _pochta_store_note_batch_free);
  PochtaStoreNoteBatch *batch;

  g_mutex_lock (&self->notes_mutex);
  while ((batch = g_queue_peek_head (&self->note_batches)) != NULL && batch->seq <= up_to_seq)
    g_ptr_array_add (batches, g_queue_pop_head (&self->note_batches));
  g_mutex_unlock (&self->notes_mutex);

  return batches;
}

/* Bumps the sequence a reader compares with the journal and publishes the
 * batch's notes before COMMIT: once a reader can see the rows, it can
 * also find the notes that describe them. */
static gboolean
publish_changes (PochtaStoreWorker  *self,
                 GArray             *notes,
                 gint64             *seq,
                 GError            **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (self->db,
                                "UPDATE store_state SET change_seq = change_seq + 1 RETURNING change_seq",
                                error);
  if (stmt == NULL || pochta_sqlite_step (self->db, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_CORRUPT,
                             _("The mail cache has lost its state row"));
      return FALSE;
    }

  *seq = sqlite3_column_int64 (stmt, 0);
  pochta_sqlite_stmt_release (stmt);

  if (notes->len > 0)
    push_notes (self, *seq, notes);

  return TRUE;
}

static void
fail_succeeded (GPtrArray    *batch,
                guint         up_to,
                const GError *error)
{
  for (guint i = 0; i < up_to; i++)
    fail_job (g_ptr_array_index (batch, i), error);
}

static void
run_write_batch (PochtaStoreWorker *self,
                 GPtrArray         *batch)
{
  g_autoptr(GArray) notes = g_array_new (FALSE, FALSE, sizeof (PochtaStoreNote));
  g_autoptr(GError) error = NULL;
  PochtaStoreTransaction txn = { self, self->db, NULL };
  guint first = 0;
  guint n_ok = 0;
  gint64 seq = 0;

  if (self->db == NULL)
    {
      error = _pochta_store_closed_error ();
      fail_succeeded (batch, batch->len, error);
      return;
    }

  if (!pochta_sqlite_begin (self->db, TRUE, &error))
    {
      fail_succeeded (batch, batch->len, error);
      return;
    }

  for (guint i = 0; i < batch->len; i++)
    {
      PochtaStoreJob *job = g_ptr_array_index (batch, i);
      gboolean ok;

      if (job_cancelled (job))
        continue;

      /* A savepoint per job: one job's failure undoes only its own rows,
       * so batching never couples unrelated callers. */
      if (!pochta_sqlite_exec (self->db, "SAVEPOINT pochta_job", &job->error))
        continue;

      txn.notes = g_array_new (FALSE, FALSE, sizeof (PochtaStoreNote));
      ok = job->func (&txn, g_task_get_task_data (job->task), &job->error);
      if (ok)
        ok = pochta_sqlite_exec (self->db, "RELEASE pochta_job", &job->error);
      else if (job->error == NULL)
        g_critical ("A store job failed without an error");

      if (ok)
        {
          g_array_append_vals (notes, txn.notes->data, txn.notes->len);
          n_ok++;
        }
      else if (!pochta_sqlite_in_transaction (self->db))
        {
          /* SQLite rolled the whole transaction back (SQLITE_FULL, IOERR):
           * the jobs before this one were lost with it. Tell them, and
           * give the rest a fresh transaction. */
          g_debug ("Batch transaction lost: %s", job->error->message);
          for (guint j = first; j < i; j++)
            {
              PochtaStoreJob *earlier = g_ptr_array_index (batch, j);

              if (earlier->error == NULL)
                earlier->error = g_error_copy (job->error);
            }
          g_array_set_size (notes, 0);
          n_ok = 0;
          first = i + 1;
          if (!pochta_sqlite_begin (self->db, TRUE, &error))
            {
              for (guint j = i + 1; j < batch->len; j++)
                fail_job (g_ptr_array_index (batch, j), error);
              g_clear_pointer (&txn.notes, g_array_unref);
              return;
            }
        }
      else
        {
          g_autoptr(GError) rollback_error = NULL;

          if (!pochta_sqlite_exec (self->db, "ROLLBACK TO pochta_job; RELEASE pochta_job", &rollback_error))
            g_warning ("Undoing a failed job: %s", rollback_error->message);
        }

      g_clear_pointer (&txn.notes, g_array_unref);
    }

  if (n_ok == 0)
    {
      pochta_sqlite_rollback (self->db);
      return;
    }

  if (!publish_changes (self, notes, &seq, &error) ||
      !pochta_sqlite_commit (self->db, &error))
    {
      pochta_sqlite_rollback (self->db);
      if (seq != 0)
        drop_notes (self, seq);
      for (guint j = first; j < batch->len; j++)
        fail_job (g_ptr_array_index (batch, j), error);
      return;
    }

  if (pochta_debug_enabled (POCHTA_DEBUG_STORE))
    g_debug ("Committed %u of %u jobs as change %" G_GINT64_FORMAT " (%u notes)",
             n_ok, batch->len, seq, notes->len);
}

static void
run_raw_job (PochtaStoreWorker *self,
             PochtaStoreJob    *job)
{
  PochtaStoreTransaction txn = { self, self->db, NULL };

  if (job_cancelled (job))
    return;

  txn.notes = g_array_new (FALSE, FALSE, sizeof (PochtaStoreNote));
  if (!job->func (&txn, g_task_get_task_data (job->task), &job->error) && job->error == NULL)
    g_critical ("A store job failed without an error");
  g_clear_pointer (&txn.notes, g_array_unref);
}

static gpointer
worker_thread (gpointer data)
{
  PochtaStoreWorker *self = data;
  PochtaStoreJob *held = NULL;
  gboolean running = TRUE;
  gint64 busy = 0;

  while (running)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (job_free);
      PochtaStoreJob *job;

      gint64 start;

      job = held != NULL ? g_steal_pointer (&held) : g_async_queue_pop (self->queue);
      start = g_get_monotonic_time ();
      g_ptr_array_add (batch, job);

      if (job->kind == POCHTA_STORE_JOB_WRITE)
        {
          PochtaStoreJob *next;

          while (batch->len < MAX_BATCH_JOBS && (next = g_async_queue_try_pop (self->queue)) != NULL)
            {
              if (next->kind != POCHTA_STORE_JOB_WRITE)
                {
                  held = next;
                  break;
                }
              g_ptr_array_add (batch, next);
            }

          run_write_batch (self, batch);
        }
      else
        {
          run_raw_job (self, job);
          running = job->kind != POCHTA_STORE_JOB_STOP;
        }

      busy += g_get_monotonic_time () - start;
      self->deliver (self->user_data, g_steal_pointer (&batch), FALSE);
    }

  if (pochta_debug_enabled (POCHTA_DEBUG_TIMING))
    {
      g_autofree char *busy_text = g_strdup_printf ("busy %.3f s", busy / 1e6);

      pochta_debug_print_thread_cpu ("store writer", busy_text);
    }

  /* Nothing is pushed after STOP (the store refuses new jobs first). */
  g_assert (held == NULL);

  return NULL;
}

PochtaStoreWorker *
_pochta_store_worker_new (PochtaStoreDeliverFunc deliver,
                          gpointer               user_data)
{
  PochtaStoreWorker *self = g_new0 (PochtaStoreWorker, 1);

  self->queue = g_async_queue_new ();
  self->deliver = deliver;
  self->user_data = user_data;
  g_mutex_init (&self->notes_mutex);
  g_queue_init (&self->note_batches);
  self->thread = g_thread_new ("pochta-store", worker_thread, self);

  return self;
}

void
_pochta_store_worker_push (PochtaStoreWorker  *self,
                           PochtaStoreJobKind  kind,
                           PochtaStoreJobFunc  func,
                           GTask              *task)
{
  PochtaStoreJob *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!g_atomic_int_get (&self->stopping));

  job = g_new0 (PochtaStoreJob, 1);
  job->kind = kind;
  job->func = func;
  job->task = g_object_ref (task);

  if (kind == POCHTA_STORE_JOB_STOP)
    g_atomic_int_set (&self->stopping, TRUE);

  g_async_queue_push (self->queue, job);
}

gboolean
_pochta_store_worker_is_stopping (PochtaStoreWorker *self)
{
  return g_atomic_int_get (&self->stopping);
}

void
_pochta_store_worker_set_db (PochtaStoreWorker *self,
                             PochtaSqlite      *db)
{
  g_assert (self->db == NULL);
  self->db = db;
}

PochtaSqlite *
_pochta_store_worker_steal_db (PochtaStoreWorker *self)
{
  return g_steal_pointer (&self->db);
}

void
_pochta_store_worker_join (PochtaStoreWorker *self)
{
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

void
_pochta_store_worker_free (PochtaStoreWorker *self)
{
  if (self == NULL)
    return;

  g_return_if_fail (self->thread == NULL);

  g_clear_pointer (&self->db, pochta_sqlite_close);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_queue_clear_full (&self->note_batches, (GDestroyNotify) _pochta_store_note_batch_free);
  g_mutex_clear (&self->notes_mutex);
  g_free (self);
}
