/* pochta-body-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whole messages into the cache: one when it is opened, or the newest of a
 * folder in the background. Each is streamed (BODY.PEEK[], so \Seen stays
 * as it was), parsed for its text (full-text index, preview) and stored.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-message-parser.h"
#include "pochta-message.h"
#include "pochta-store-error.h"
#include "pochta-sync-error.h"
#include "pochta-sync-private.h"

/* Background bodies fetched at once: enough to keep the connection busy,
 * few enough to bound memory by a handful of messages. */
#define BODY_WINDOW 4

/* One message: fetched, parsed, stored. */
typedef struct
{
  PochtaImapClient    *client;
  PochtaStore         *store;
  PochtaMessageParser *parser;
  gint64               message_id;
  guint32              uid;
  GOutputStream       *output;
  GBytes              *raw;
  char                *text;
  char                *preview;
} BodyJob;

static void
body_job_free (BodyJob *job)
{
  g_clear_object (&job->client);
  g_clear_object (&job->store);
  g_clear_object (&job->parser);
  g_clear_object (&job->output);
  g_clear_pointer (&job->raw, g_bytes_unref);
  g_clear_pointer (&job->text, g_free);
  g_clear_pointer (&job->preview, g_free);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BodyJob, body_job_free)

gboolean
_pochta_sync_folder_is_selected (PochtaImapClient *client,
                                 PochtaFolder     *folder)
{
  const PochtaImapMailboxState *selected = pochta_imap_client_get_selected (client);

  return pochta_imap_client_get_state (client) == POCHTA_IMAP_CLIENT_STATE_SELECTED &&
         selected != NULL && pochta_folder_get_uidvalidity (folder) != 0 &&
         selected->uidvalidity == pochta_folder_get_uidvalidity (folder) &&
         g_strcmp0 (selected->name, pochta_folder_get_name (folder)) == 0;
}

static GError *
uidvalidity_error (PochtaFolder *folder)
{
  return g_error_new (POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_UIDVALIDITY_CHANGED,
                      _("Folder “%s” changed on the server; it has to be synchronized again"),
                      pochta_folder_get_name (folder));
}

/* --- Selecting the folder of a message ---------------------------------- */

static void
select_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  PochtaFolder *folder = g_task_get_task_data (task);
  GError *error = NULL;

  state = pochta_imap_client_select_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (state == NULL)
    g_task_return_error (task, error);
  else if (state->uidvalidity != pochta_folder_get_uidvalidity (folder))
    g_task_return_error (task, uidvalidity_error (folder));
  else
    g_task_return_boolean (task, TRUE);
}

/* Selects @folder unless it is, and makes sure its UIDs still mean what
 * the cache thinks: a body must never be stored under another message. */
static void
ensure_selected (PochtaImapClient    *client,
                 PochtaFolder        *folder,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, ensure_selected);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);

  if (_pochta_sync_folder_is_selected (client, folder))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (pochta_folder_get_uidvalidity (folder) == 0)
    {
      g_task_return_error (task, uidvalidity_error (folder));
      g_object_unref (task);
      return;
    }

  pochta_imap_client_select_async (client, pochta_folder_get_name (folder), POCHTA_IMAP_SELECT_CONDSTORE,
                                   0, 0, NULL, cancellable, select_cb, task);
}

static gboolean
ensure_selected_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- One body: fetch, parse, store --------------------------------------- */

static gboolean
store_body_job (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  BodyJob *job = user_data;
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (!pochta_store_transaction_set_body (txn, job->message_id, job->raw, job->text, error))
    return FALSE;
  if (job->preview == NULL)
    return TRUE;

  /* set_body indexes the text; the preview the list shows comes from the
   * same text. */
  stmt = pochta_sqlite_prepare (db, "UPDATE messages SET preview = ?2 WHERE id = ?1 AND preview IS NOT ?2", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, job->message_id);
  pochta_sqlite_bind_text (stmt, 2, job->preview);

  return pochta_sqlite_step_done (db, stmt, error);
}

static gboolean
remove_row_job (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  BodyJob *job = user_data;
  g_autoptr(GError) local_error = NULL;

  if (!pochta_store_transaction_remove_message (txn, job->message_id, &local_error) &&
      !g_error_matches (local_error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
gone_removed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_MESSAGE_GONE,
                             _("The message is no longer on the server"));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BodyJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    {
      g_task_return_pointer (task, g_bytes_ref (job->raw), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* The row went (a sync saw it expunged) while the body was on its way. */
  if (g_error_matches (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_MESSAGE_GONE,
                               _("The message is no longer on the server"));
      return;
    }

  g_task_return_error (task, error);
}

static void
parsed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  BodyJob *job = g_task_get_task_data (task);
  g_autoptr(PochtaMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  /* A message too broken to parse is still kept: it can be shown raw. */
  message = pochta_message_parser_parse_bytes_finish (POCHTA_MESSAGE_PARSER (object), result, &error);
  if (message != NULL)
    {
      const char *preview = pochta_message_get_preview (message);

      job->text = g_strdup (pochta_message_get_index_text (message));
      job->preview = preview != NULL && preview[0] != '\0' ? g_strdup (preview) : NULL;
    }
  else
    g_debug ("Message %" G_GINT64_FORMAT " does not parse: %s", job->message_id, error->message);

  /* The task holds the job; the store job borrows it. */
  pochta_store_write_async (job->store, store_body_job, job, NULL, NULL, stored_cb, task);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  BodyJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  pochta_imap_client_uid_fetch_body_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          pochta_store_write_async (job->store, remove_row_job, job, NULL, NULL, gone_removed_cb, task);
          return;
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (!g_output_stream_close (job->output, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  job->raw = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (job->output));
  pochta_message_parser_parse_bytes_async (job->parser, job->raw, g_task_get_cancellable (task), parsed_cb, task);
}

/* Fetches, parses and stores the body of the selected folder's @uid. The
 * finish returns the raw bytes, or MESSAGE_GONE once the row is removed. */
static void
body_job_run (PochtaImapClient    *client,
              PochtaStore         *store,
              gint64               message_id,
              guint32              uid,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  BodyJob *job = g_new0 (BodyJob, 1);

  g_task_set_source_tag (task, body_job_run);
  job->client = g_object_ref (client);
  job->store = g_object_ref (store);
  job->parser = pochta_message_parser_new ();
  job->message_id = message_id;
  job->uid = uid;
  job->output = g_memory_output_stream_new_resizable ();
  g_task_set_task_data (task, job, (GDestroyNotify) body_job_free);

  pochta_imap_client_uid_fetch_body_async (client, uid, NULL, job->output, cancellable, fetched_cb, task);
}

static GBytes *
body_job_finish (GAsyncResult  *result,
                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- pochta_sync_fetch_body_async ----------------------------------------- */

typedef struct
{
  PochtaImapClient *client;
  PochtaStore      *store;
  gint64            message_id;
  guint32           uid;
} BodyFetch;

static void
body_fetch_free (BodyFetch *fetch)
{
  g_clear_object (&fetch->client);
  g_clear_object (&fetch->store);
  g_free (fetch);
}

/* The row's folder and UID, and whether its body is cached. Placeholder
 * UIDs do not fit a guint32, hence no PochtaMessageSummary here. */
static gboolean
read_message (PochtaStore  *store,
              gint64        message_id,
              gint64       *folder_id,
              gint64       *uid,
              gboolean     *has_body,
              GError      **error)
{
  PochtaSqlite *db = pochta_store_get_reader (store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The mail cache is closed"));
      return FALSE;
    }

  stmt = pochta_sqlite_prepare (db, "SELECT folder_id, uid, body_id IS NOT NULL FROM messages WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_ROW:
      *folder_id = sqlite3_column_int64 (stmt, 0);
      *uid = sqlite3_column_int64 (stmt, 1);
      *has_body = sqlite3_column_int (stmt, 2) != 0;
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                   _("Message %lld is not in the mail cache"), (long long) message_id);
      return FALSE;
    default:
      return FALSE;
    }
}

static void
fetch_body_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *raw = body_job_finish (result, &error);

  if (raw == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, raw, (GDestroyNotify) g_bytes_unref);
}

static void
fetch_body_selected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  BodyFetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ensure_selected_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  body_job_run (fetch->client, fetch->store, fetch->message_id, fetch->uid,
                g_task_get_cancellable (task), fetch_body_done_cb, task);
}

/**
 * pochta_sync_fetch_body_async:
 * @client: a logged-in client; the message's folder is selected if it is
 *   not already (and checked to have the cached UIDVALIDITY)
 * @message_id: a message row of @store
 *
 * A body already cached is returned with no network at all. A message
 * the server no longer has is removed from the cache and reported as
 * %POCHTA_SYNC_ERROR_MESSAGE_GONE.
 */
void
pochta_sync_fetch_body_async (PochtaImapClient    *client,
                              PochtaStore         *store,
                              gint64               message_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(PochtaFolder) folder = NULL;
  GTask *task;
  BodyFetch *fetch;
  GError *error = NULL;
  gint64 folder_id = 0;
  gint64 uid = 0;
  gboolean has_body = FALSE;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (client));
  g_return_if_fail (POCHTA_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_sync_fetch_body_async);

  if (!read_message (store, message_id, &folder_id, &uid, &has_body, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (has_body)
    {
      GBytes *raw = pochta_store_get_body (store, message_id, &error);

      if (raw == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, raw, (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }

  if (uid <= 0 || uid >= POCHTA_SYNC_PLACEHOLDER_UID_BASE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The message has not reached the server yet"));
      g_object_unref (task);
      return;
    }

  folder = pochta_store_get_folder (store, folder_id, &error);
  if (folder == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  fetch = g_new0 (BodyFetch, 1);
  fetch->client = g_object_ref (client);
  fetch->store = g_object_ref (store);
  fetch->message_id = message_id;
  fetch->uid = (guint32) uid;
  g_task_set_task_data (task, fetch, (GDestroyNotify) body_fetch_free);

  ensure_selected (client, folder, cancellable, fetch_body_selected_cb, task);
}

/**
 * pochta_sync_fetch_body_finish:
 *
 * Returns: (transfer full): the raw RFC 5322 message
 */
GBytes *
pochta_sync_fetch_body_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_sync_fetch_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- pochta_sync_fetch_bodies_async --------------------------------------- */

typedef struct
{
  PochtaImapClient *client;
  PochtaStore      *store;
  PochtaFolder     *folder;
  GArray           *ids;        /* gint64 message ids */
  GArray           *uids;       /* guint32 */
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
  g_clear_pointer (&bodies->ids, g_array_unref);
  g_clear_pointer (&bodies->uids, g_array_unref);
  g_clear_error (&bodies->error);
  g_free (bodies);
}

static void bodies_pump (GTask *task);

static void
bodies_one_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BodiesFetch *bodies = g_task_get_task_data (task);
  g_autoptr(GBytes) raw = NULL;
  GError *error = NULL;

  bodies->in_flight--;
  raw = body_job_finish (result, &error);
  if (raw != NULL)
    bodies->stored++;
  else if (g_error_matches (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_MESSAGE_GONE))
    g_clear_error (&error);   /* expunged meanwhile: its row is gone, go on */
  else if (bodies->error == NULL)
    bodies->error = error;
  else
    g_error_free (error);

  bodies_pump (task);
}

static void
bodies_pump (GTask *task)
{
  BodiesFetch *bodies = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (bodies->error == NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_set_error_if_cancelled (cancellable, &bodies->error);

  while (bodies->error == NULL && bodies->next < bodies->ids->len && bodies->in_flight < BODY_WINDOW)
    {
      guint i = bodies->next++;

      bodies->in_flight++;
      body_job_run (bodies->client, bodies->store, g_array_index (bodies->ids, gint64, i),
                    g_array_index (bodies->uids, guint32, i), cancellable, bodies_one_cb, g_object_ref (task));
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

  if (!ensure_selected_finish (result, &error))
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
  PochtaSqlite *db = pochta_store_get_reader (bodies->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  if (db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The mail cache is closed"));
      return FALSE;
    }

  stmt = pochta_sqlite_prepare (db,
    "SELECT id, uid FROM messages WHERE folder_id = ?1 AND body_id IS NULL AND " POCHTA_SYNC_REAL_UID
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
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint32 uid = (guint32) sqlite3_column_int64 (stmt, 1);

      g_array_append_val (bodies->ids, id);
      g_array_append_val (bodies->uids, uid);
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
  bodies->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  bodies->uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_task_set_task_data (task, bodies, (GDestroyNotify) bodies_fetch_free);

  bodies->folder = pochta_store_get_folder (store, folder_id, &error);
  if (bodies->folder == NULL ||
      !read_wanted_bodies (bodies, folder_id, since, size_limit, max_messages, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (bodies->ids->len == 0)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }

  ensure_selected (client, bodies->folder, cancellable, bodies_selected_cb, task);
}

gssize
pochta_sync_fetch_bodies_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_sync_fetch_bodies_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
