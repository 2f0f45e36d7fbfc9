/* pochta-body-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One whole message into the cache, when it is opened (or too big for
 * a batch of pochta-body-sync-batch.c): streamed (BODY.PEEK[], so \Seen
 * stays as it was), parsed for its text (full-text index, preview) and
 * stored.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-message-parser.h"
#include "pochta-message.h"
#include "pochta-store-error.h"
#include "pochta-sync-error.h"
#include "pochta-sync-private.h"

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
void
_pochta_sync_ensure_selected (PochtaImapClient    *client,
                              PochtaFolder        *folder,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, _pochta_sync_ensure_selected);
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

gboolean
_pochta_sync_ensure_selected_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- One body: fetch, parse, store --------------------------------------- */

gboolean
_pochta_sync_store_body (PochtaStoreTransaction  *txn,
                         gint64                   message_id,
                         GBytes                  *raw,
                         const char              *checksum,
                         const char              *text,
                         const char              *preview,
                         GError                 **error)
{
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (checksum != NULL
      ? !pochta_store_transaction_set_body_with_checksum (txn, message_id, raw, checksum, text, error)
      : !pochta_store_transaction_set_body (txn, message_id, raw, text, error))
    return FALSE;
  if (preview == NULL)
    return TRUE;

  /* set_body indexes the text; the preview the list shows comes from the
   * same text. */
  stmt = pochta_sqlite_prepare (db, "UPDATE messages SET preview = ?2 WHERE id = ?1 AND preview IS NOT ?2", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, message_id);
  pochta_sqlite_bind_text (stmt, 2, preview);

  return pochta_sqlite_step_done (db, stmt, error);
}

void
_pochta_sync_body_text (GBytes               *raw,
                        PochtaMessage        *message,
                        const GError         *error,
                        char                **text,
                        char                **preview)
{
  const char *line;

  /* A message too broken to parse is still kept: it can be shown raw. */
  if (message == NULL)
    {
      g_debug ("A message of %zu bytes does not parse: %s", g_bytes_get_size (raw), error->message);
      return;
    }

  line = pochta_message_get_preview (message);
  *text = g_strdup (pochta_message_get_index_text (message));
  *preview = line != NULL && line[0] != '\0' ? g_strdup (line) : NULL;
}

static gboolean
store_body_job (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  BodyJob *job = user_data;

  return _pochta_sync_store_body (txn, job->message_id, job->raw, NULL, job->text, job->preview, error);
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

  message = pochta_message_parser_parse_bytes_finish (POCHTA_MESSAGE_PARSER (object), result, &error);
  _pochta_sync_body_text (job->raw, message, error, &job->text, &job->preview);

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
void
_pochta_sync_body_job_run (PochtaImapClient    *client,
                           PochtaStore         *store,
                           gint64               message_id,
                           guint32              uid,
                           guint64              size_hint,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  BodyJob *job = g_new0 (BodyJob, 1);

  g_task_set_source_tag (task, _pochta_sync_body_job_run);
  job->client = g_object_ref (client);
  job->store = g_object_ref (store);
  job->parser = pochta_message_parser_new ();
  job->message_id = message_id;
  job->uid = uid;
  /* With the size known the buffer is made once: growing it by doubling
   * zeroes and copies a big message twice over. */
  if (size_hint > 0 && size_hint <= G_MAXSIZE / 2)
    job->output = g_memory_output_stream_new (g_malloc (size_hint), size_hint, g_realloc, g_free);
  else
    job->output = g_memory_output_stream_new_resizable ();
  g_task_set_task_data (task, job, (GDestroyNotify) body_job_free);

  pochta_imap_client_uid_fetch_body_async (client, uid, NULL, job->output, cancellable, fetched_cb, task);
}

GBytes *
_pochta_sync_body_job_finish (GAsyncResult  *result,
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
  PochtaSqlite *db = pochta_store_require_reader (store, error);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (db == NULL)
    return FALSE;

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
  GBytes *raw = _pochta_sync_body_job_finish (result, &error);

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

  if (!_pochta_sync_ensure_selected_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  _pochta_sync_body_job_run (fetch->client, fetch->store, fetch->message_id, fetch->uid, 0,
                g_task_get_cancellable (task), fetch_body_done_cb, task);
}

static void
cached_body_read (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GBytes *raw = pochta_store_get_body_finish (POCHTA_STORE (object), result, &error);

  if (raw == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, raw, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
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
      pochta_store_get_body_async (store, message_id, cancellable, cached_body_read, task);
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

  _pochta_sync_ensure_selected (client, folder, cancellable, fetch_body_selected_cb, task);
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
