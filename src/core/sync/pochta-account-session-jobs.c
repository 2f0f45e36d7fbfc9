/* pochta-account-session-jobs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the session's jobs do once their lane has a logged-in client: a
 * sync pass (replay, folder list, folders, bodies), a replay, one body,
 * and a batch of background bodies per the account's policy.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-account-session-private.h"
#include "pochta-folder-sync.h"
#include "pochta-offline-ops.h"
#include "pochta-sync-error.h"

/* Background bodies come in small batches so that anything else queued
 * (a sync after IDLE, a replay) waits at most one batch. */
#define BACKGROUND_BATCH   200
#define FOREGROUND_BATCH   1000
#define SECONDS_PER_DAY    (24 * 60 * 60)

static Job *
task_job (GTask *task)
{
  return g_task_get_task_data (task);
}

static PochtaAccountSession *
task_session (GTask *task)
{
  return g_task_get_source_object (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  Job *job = task_job (task);

  if (job->kind == JOB_KIND_SYNC && job->lane->is_main && job->lane->client != NULL)
    pochta_account_set_state (task_session (task)->account, POCHTA_ACCOUNT_STATE_ONLINE);
  session_job_return_error (job->lane, task, error);
}

/* Sync pass */

static void sync_next_folder (GTask *task);
static void sync_next_bodies (GTask *task);

static void
sync_done (GTask *task)
{
  Job *job = task_job (task);

  if (job->lane->client != NULL)
    pochta_account_set_state (task_session (task)->account, POCHTA_ACCOUNT_STATE_ONLINE);
  session_job_return (job->lane, task, NULL, NULL);
}

static void
sync_progress_cb (guint    done,
                  guint    total,
                  gpointer user_data)
{
  GTask *task = user_data;
  Job *job = task_job (task);

  job->since = total;
  pochta_account_set_sync_progress (task_session (task)->account, job->base_done + done,
                                    job->base_total + total);
}

static void
bodies_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = pochta_sync_fetch_bodies_finish (result, &error);
  if (n < 0)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  if (n == 0)
    task_job (task)->index++;
  sync_next_bodies (task);
}

static void
sync_next_bodies (GTask *task)
{
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);
  PochtaFolder *folder;

  if (job->index >= job->folders->len)
    {
      sync_done (task);
      return;
    }

  folder = g_ptr_array_index (job->folders, job->index);
  pochta_sync_fetch_bodies_async (job->client, self->store, pochta_folder_get_id (folder), 0, 0,
                                  FOREGROUND_BATCH, g_task_get_cancellable (task), bodies_cb, task);
}

static void
folder_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = task_job (task);
  g_autoptr(GError) error = NULL;

  if (!pochta_sync_folder_finish (result, &error))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  job->base_done += (guint) job->since;
  job->base_total += (guint) job->since;
  job->since = 0;
  job->index++;
  sync_next_folder (task);
}

static void
sync_next_folder (GTask *task)
{
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);
  PochtaFolder *folder;

  if (job->index >= job->folders->len)
    {
      job->index = 0;
      if (job->flags & POCHTA_SESSION_SYNC_BODIES)
        sync_next_bodies (task);
      else
        sync_done (task);
      return;
    }

  folder = g_ptr_array_index (job->folders, job->index);
  pochta_sync_folder_async (job->client, self->store, pochta_folder_get_id (folder),
                            sync_progress_cb, task, g_task_get_cancellable (task), folder_cb, task);
}

static void
folder_list_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);
  g_autoptr(GError) error = NULL;

  job->folders = pochta_sync_folder_list_finish (result, &error);
  if (job->folders == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < job->folders->len; i++)
    if (pochta_folder_get_role (g_ptr_array_index (job->folders, i)) == POCHTA_FOLDER_ROLE_INBOX)
      self->inbox_id = pochta_folder_get_id (g_ptr_array_index (job->folders, i));

  sync_next_folder (task);
}

static void
replay_then_sync_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);
  g_autoptr(GError) error = NULL;

  if (pochta_offline_replay_finish (result, &error) < 0)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  if (job->folder_id != 0)
    {
      PochtaFolder *folder = pochta_store_get_folder (self->store, job->folder_id, NULL);

      job->folders = g_ptr_array_new_with_free_func (g_object_unref);
      if (folder != NULL)
        g_ptr_array_add (job->folders, folder);
      sync_next_folder (task);
      return;
    }

  pochta_sync_folder_list_async (job->client, self->store, self->account_id,
                                 pochta_account_get_sync_folders (self->account),
                                 pochta_account_get_sync_folder_list (self->account),
                                 g_task_get_cancellable (task), folder_list_cb, task);
}

/* Replay */

static void
replay_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (pochta_offline_replay_finish (result, &error) < 0)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  session_job_return (task_job (task)->lane, task, NULL, NULL);
}

/* Bodies */

static void
body_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = pochta_sync_fetch_body_finish (result, &error);
  if (bytes == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  session_job_return (task_job (task)->lane, task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void background_next (GTask *task);

static void
background_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = task_job (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = pochta_sync_fetch_bodies_finish (result, &error);
  if (n < 0)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  /* One batch per job: the session queues the next one behind whatever
   * else has arrived meanwhile. */
  if (n > 0)
    {
      session_job_return (job->lane, task, NULL, NULL);
      return;
    }

  job->index++;
  background_next (task);
}

static void
background_next (GTask *task)
{
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);

  if (job->index >= job->folders->len)
    {
      job->index = G_MAXUINT;
      session_job_return (job->lane, task, NULL, NULL);
      return;
    }

  pochta_sync_fetch_bodies_async (job->client, self->store,
                                  pochta_folder_get_id (g_ptr_array_index (job->folders, job->index)),
                                  job->since, pochta_account_get_body_size_limit (self->account),
                                  BACKGROUND_BATCH, g_task_get_cancellable (task), background_cb, task);
}

static void
background_start (GTask *task)
{
  PochtaAccountSession *self = task_session (task);
  Job *job = task_job (task);
  guint days = pochta_account_get_body_days (self->account);
  g_autoptr(GError) error = NULL;

  job->folders = pochta_store_list_folders (self->store, self->account_id, &error);
  if (job->folders == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  job->since = days == POCHTA_ACCOUNT_BODY_DAYS_ALL
    ? 0 : g_get_real_time () / G_USEC_PER_SEC - (gint64) days * SECONDS_PER_DAY;
  background_next (task);
}

void
session_job_dispatch (Lane  *lane,
                      GTask *task)
{
  PochtaAccountSession *self = lane->session;
  Job *job = task_job (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  job->lane = lane;
  g_set_object (&job->client, lane->client);

  switch (job->kind)
    {
    case JOB_KIND_SYNC:
      pochta_account_set_state (self->account, POCHTA_ACCOUNT_STATE_SYNCING);
      pochta_offline_replay_async (job->client, self->store, self->account_id, cancellable,
                                   replay_then_sync_cb, task);
      break;

    case JOB_KIND_REPLAY:
      pochta_offline_replay_async (job->client, self->store, self->account_id, cancellable,
                                   replay_cb, task);
      break;

    case JOB_KIND_BODY:
      pochta_sync_fetch_body_async (job->client, self->store, job->message_id, cancellable,
                                    body_cb, task);
      break;

    case JOB_KIND_BACKGROUND_BODIES:
    default:
      background_start (task);
      break;
    }
}
