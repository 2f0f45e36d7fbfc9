/* pochta-store-worker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's single writer thread: a queue of jobs run in batched transactions.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-sqlite.h"
#include "pochta-store-transaction.h"

G_BEGIN_DECLS

typedef struct _PochtaStoreWorker PochtaStoreWorker;

typedef enum
{
  /* Runs inside the batch transaction, under a savepoint of its own. */
  POCHTA_STORE_JOB_WRITE,
  /* Runs alone and outside any transaction: open, migrate, close. */
  POCHTA_STORE_JOB_RAW,
  /* Runs alone, after which the thread ends. */
  POCHTA_STORE_JOB_STOP,
} PochtaStoreJobKind;

typedef enum
{
  POCHTA_STORE_NOTE_MESSAGE_ADDED,
  POCHTA_STORE_NOTE_MESSAGE_CHANGED,
  POCHTA_STORE_NOTE_MESSAGE_REMOVED,
  POCHTA_STORE_NOTE_FOLDER_RESET,
  POCHTA_STORE_NOTE_FOLDER_CHANGED,
  POCHTA_STORE_NOTE_ACCOUNT_CHANGED,
} PochtaStoreNoteKind;

/* One change a committed job made, announced on the main context. For
 * ACCOUNT_CHANGED, @folder_id holds the account id. */
typedef struct
{
  gint64 folder_id;
  gint64 message_id;
  gint64 internal_date;
  guint  kind;
} PochtaStoreNote;

/* The changes of one committed batch; @seq is store_state.change_seq. */
typedef struct
{
  gint64  seq;
  GArray *notes;
} PochtaStoreNoteBatch;

struct _PochtaStoreTransaction
{
  PochtaStoreWorker *worker;
  PochtaSqlite      *db;
  GArray            *notes;
};

typedef gboolean (*PochtaStoreJobFunc) (PochtaStoreTransaction  *txn,
                                        gpointer                 task_data,
                                        GError                 **error);

typedef struct
{
  PochtaStoreJobKind  kind;
  PochtaStoreJobFunc  func;
  GTask              *task;
  GError             *error;
} PochtaStoreJob;

/* Called on the worker thread after each batch with the finished jobs
 * (PochtaStoreJob, owned by the array); the receiver completes their tasks
 * on its main context. @checkpointed says the WAL was fully copied back,
 * so a reader that starts afresh lets the next write restart the WAL. */
typedef void (*PochtaStoreDeliverFunc) (gpointer   user_data,
                                        GPtrArray *finished,
                                        gboolean   checkpointed);

PochtaStoreWorker *_pochta_store_worker_new          (PochtaStoreDeliverFunc   deliver,
                                                      gpointer                 user_data);
void               _pochta_store_worker_push         (PochtaStoreWorker       *worker,
                                                      PochtaStoreJobKind       kind,
                                                      PochtaStoreJobFunc       func,
                                                      GTask                   *task);
void               _pochta_store_worker_join         (PochtaStoreWorker       *worker);
gboolean           _pochta_store_worker_is_stopping  (PochtaStoreWorker       *worker);
void               _pochta_store_worker_set_db       (PochtaStoreWorker       *worker,
                                                      PochtaSqlite            *db);
PochtaSqlite      *_pochta_store_worker_steal_db     (PochtaStoreWorker       *worker);
GPtrArray         *_pochta_store_worker_take_notes   (PochtaStoreWorker       *worker,
                                                      gint64                   up_to_seq);
void               _pochta_store_worker_free         (PochtaStoreWorker       *worker);

void               _pochta_store_note                (PochtaStoreTransaction  *txn,
                                                      PochtaStoreNoteKind      kind,
                                                      gint64                   folder_id,
                                                      gint64                   message_id,
                                                      gint64                   internal_date);
gboolean           _pochta_store_not_found           (GError                 **error,
                                                      const char              *what,
                                                      gint64                   id);
GError            *_pochta_store_closed_error        (void);
void               _pochta_store_note_batch_free     (PochtaStoreNoteBatch    *batch);

G_END_DECLS
