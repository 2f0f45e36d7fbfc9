/* pochta-account-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One IMAP account kept in step with its cache. Work is a queue of jobs
 * (body requests before replay before sync before background bodies) on
 * a main connection, plus a foreground connection for bodies while the
 * main one is busy, and an IDLE watcher on the Inbox. This file holds the
 * queue, the scheduling and the public API; the connections are in
 * pochta-account-session-lanes.c and the jobs in
 * pochta-account-session-jobs.c.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-session-private.h"
#include "pochta-folder-sync.h"
#include "pochta-imap-error.h"
#include "pochta-imap-open.h"
#include "pochta-net-error.h"
#include "pochta-secret.h"
#include "pochta-sync-error.h"

#define RECONNECT_INITIAL_MS 1000
#define RECONNECT_MAX_MS     (5 * 60 * 1000)
/* Actions come in bursts (a person marking several messages in a row). */
#define REPLAY_DELAY_MS      300
#define LOGOUT_TIMEOUT_MS    2000
#define MAX_NEW_MAIL_PER_CHANGE 5

G_DEFINE_FINAL_TYPE (PochtaAccountSession, pochta_account_session, G_TYPE_OBJECT)

enum {
  NEW_MAIL,
  REPLAYED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/* Jobs */

Job *
session_job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  switch (kind)
    {
    case JOB_KIND_BODY:
      job->priority = JOB_PRIORITY_BODY;
      break;
    case JOB_KIND_REPLAY:
      job->priority = JOB_PRIORITY_REPLAY;
      break;
    case JOB_KIND_SYNC:
      job->priority = JOB_PRIORITY_SYNC;
      break;
    case JOB_KIND_BACKGROUND_BODIES:
    default:
      job->priority = JOB_PRIORITY_BACKGROUND;
      break;
    }

  return job;
}

void
session_job_free (Job *job)
{
  g_clear_pointer (&job->folders, g_ptr_array_unref);
  g_clear_object (&job->client);
  g_free (job);
}

GTask *
session_job_task (PochtaAccountSession *self,
                  Job                  *job,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, job, (GDestroyNotify) session_job_free);

  return task;
}

static gint
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Job *ja = g_task_get_task_data ((GTask *) a);
  Job *jb = g_task_get_task_data ((GTask *) b);

  return (int) ja->priority - (int) jb->priority;
}

void
session_enqueue (PochtaAccountSession *self,
                 Lane                 *lane,
                 GTask                *task)
{
  /* Stable: equal priorities keep their order (replays must). */
  g_queue_insert_sorted (&lane->queue, task, compare_priority, NULL);
  session_lane_run_soon (lane);
}

gboolean
session_has_queued (PochtaAccountSession *self,
                    JobKind               kind,
                    gint64                folder_id)
{
  for (GList *l = self->main.queue.head; l != NULL; l = l->next)
    {
      Job *job = g_task_get_task_data (l->data);

      if (job->kind == kind && (folder_id < 0 || job->folder_id == folder_id))
        return TRUE;
    }

  return FALSE;
}

/* Scheduling of a started session */

void
session_kick (PochtaAccountSession *self)
{
  Job *job;

  self->reconnect_source = 0;
  if (!self->started || session_has_queued (self, JOB_KIND_SYNC, 0))
    return;

  job = session_job_new (JOB_KIND_SYNC);
  job->notify_new = self->initial_sync_done;
  session_enqueue (self, &self->main, session_job_task (self, job, self->cancellable, NULL, NULL));
}

static gboolean
poll_cb (gpointer user_data)
{
  PochtaAccountSession *self = user_data;

  self->poll_source = 0;
  session_kick (self);

  return G_SOURCE_REMOVE;
}

static void
idle_changed_cb (PochtaAccountSession *self)
{
  Job *job;

  if (self->inbox_id == 0 || session_has_queued (self, JOB_KIND_SYNC, self->inbox_id))
    return;

  job = session_job_new (JOB_KIND_SYNC);
  job->folder_id = self->inbox_id;
  job->notify_new = TRUE;
  session_enqueue (self, &self->main, session_job_task (self, job, self->cancellable, NULL, NULL));
}

static void
idle_failed_cb (PochtaAccountSession *self,
                const GError         *error)
{
  g_debug ("Account %s: no IDLE (%s); polling the Inbox too",
           pochta_account_get_display_name (self->account), error->message);
  g_clear_object (&self->idle);
}

static void
start_idle (PochtaAccountSession *self)
{
  g_autoptr(PochtaFolder) inbox = NULL;

  if (self->idle != NULL || self->inbox_id == 0)
    return;

  inbox = pochta_store_get_folder (self->store, self->inbox_id, NULL);
  if (inbox == NULL)
    return;

  self->idle = pochta_idle_watcher_new (pochta_account_get_incoming (self->account), self->password,
                                        pochta_folder_get_raw_name (inbox));
  g_signal_connect_swapped (self->idle, "changed", G_CALLBACK (idle_changed_cb), self);
  g_signal_connect_swapped (self->idle, "failed", G_CALLBACK (idle_failed_cb), self);
  pochta_idle_watcher_start (self->idle);
}

static void
enqueue_background (PochtaAccountSession *self)
{
  if (self->background_done || pochta_account_get_body_days (self->account) == POCHTA_ACCOUNT_BODY_DAYS_NONE
      || session_has_queued (self, JOB_KIND_BACKGROUND_BODIES, -1))
    return;

  session_enqueue (self, &self->main,
                   session_job_task (self, session_job_new (JOB_KIND_BACKGROUND_BODIES),
                                     self->cancellable, NULL, NULL));
}

/* Called on the main lane whenever a job ends, before its task returns. */
void
session_job_finished (PochtaAccountSession *self,
                      Job                  *job,
                      const GError         *error)
{
  if (job->kind == JOB_KIND_BACKGROUND_BODIES)
    {
      if (error == NULL && job->index == G_MAXUINT)
        self->background_done = TRUE;
      else if (error == NULL && self->started)
        enqueue_background (self);
      return;
    }

  if (job->kind == JOB_KIND_SYNC || job->kind == JOB_KIND_REPLAY)
    g_signal_emit (self, signals[REPLAYED], 0);

  /* After one complete pass, whatever sync adds to the Inbox is new mail. */
  if (job->kind == JOB_KIND_SYNC && job->folder_id == 0 && error == NULL)
    self->initial_sync_done = TRUE;

  if (job->kind != JOB_KIND_SYNC || !self->started)
    return;

  if (error != NULL)
    {
      if (!session_is_connection_error (error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_LOGIN_BLOCKED))
        {
          pochta_account_report_error (self->account, error->message);
          session_schedule_reconnect (self);
        }
      return;
    }

  if (job->folder_id != 0)
    return;

  self->background_done = FALSE;
  start_idle (self);
  enqueue_background (self);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_source = g_timeout_add_seconds (MAX (pochta_account_get_poll_interval (self->account), 10),
                                             poll_cb, self);
}

static void
network_changed_cb (PochtaAccountSession *self,
                    gboolean              available)
{
  if (!self->started)
    return;

  if (available && self->main.client == NULL && pochta_account_can_attempt_login (self->account))
    {
      g_debug ("Network is back: reconnecting %s now", pochta_account_get_display_name (self->account));
      pochta_backoff_reset (self->backoff);
      g_clear_handle_id (&self->reconnect_source, g_source_remove);
      session_kick (self);
    }
}

static void
forget_password (PochtaAccountSession *self)
{
  g_clear_pointer (&self->password, pochta_secret_password_free);
}

static void
retry_requested_cb (PochtaAccountSession *self)
{
  /* A new password or a trusted certificate: connections start over. */
  forget_password (self);
  session_lane_drop_client (&self->main);
  session_lane_drop_client (&self->fg);
  if (self->idle != NULL)
    pochta_idle_watcher_stop (self->idle);
  g_clear_object (&self->idle);
  pochta_backoff_reset (self->backoff);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  session_kick (self);
}

static void
folder_changed_cb (PochtaStore          *store,
                   gint64                folder_id,
                   PochtaStoreChanges   *changes,
                   PochtaAccountSession *self)
{
  const PochtaMessageKey *added;
  guint n_added = 0;

  if (!self->initial_sync_done || folder_id != self->inbox_id || changes == NULL)
    return;

  /* A flood (the first poll after a week offline) is not a stream of
   * notifications, nor a lookup per row on the main loop: the newest few
   * of a batch speak for it. */
  added = pochta_store_changes_get_added (changes, &n_added);
  for (guint i = 0; i < MIN (n_added, MAX_NEW_MAIL_PER_CHANGE); i++)
    {
      g_autoptr(PochtaMessageSummary) summary = pochta_store_get_message (store, added[i].message_id, NULL);

      /* Placeholder rows are the person's own offline moves. */
      if (summary != NULL && pochta_message_summary_get_unread (summary)
          && pochta_message_summary_get_uid (summary) != 0)
        g_signal_emit (self, signals[NEW_MAIL], 0, added[i].message_id);
    }
}

/* GObject */

static void
lane_init (Lane                 *lane,
           PochtaAccountSession *session,
           const char           *name,
           gboolean              is_main)
{
  lane->session = session;
  lane->name = name;
  lane->is_main = is_main;
  g_queue_init (&lane->queue);
}

static void
lane_clear (Lane *lane)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "The account was stopped");
  GTask *task;

  g_clear_handle_id (&lane->run_source, g_source_remove);
  while ((task = g_queue_pop_head (&lane->queue)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
  session_lane_drop_client (lane);
}

static void
pochta_account_session_dispose (GObject *object)
{
  PochtaAccountSession *self = (PochtaAccountSession *) object;

  self->started = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->replay_source, g_source_remove);
  if (self->idle != NULL)
    pochta_idle_watcher_stop (self->idle);
  g_clear_object (&self->idle);
  lane_clear (&self->main);
  lane_clear (&self->fg);
  g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_signal_handler (&self->folder_changed_handler, self->store);
  g_clear_signal_handler (&self->retry_handler, self->account);

  G_OBJECT_CLASS (pochta_account_session_parent_class)->dispose (object);
}

static void
pochta_account_session_finalize (GObject *object)
{
  PochtaAccountSession *self = (PochtaAccountSession *) object;

  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->backoff, pochta_backoff_free);
  forget_password (self);

  G_OBJECT_CLASS (pochta_account_session_parent_class)->finalize (object);
}

static void
pochta_account_session_class_init (PochtaAccountSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_account_session_dispose;
  object_class->finalize = pochta_account_session_finalize;

  signals[NEW_MAIL] =
    g_signal_new ("new-mail",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[REPLAYED] =
    g_signal_new ("replayed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
pochta_account_session_init (PochtaAccountSession *self)
{
  lane_init (&self->main, self, "main", TRUE);
  lane_init (&self->fg, self, "foreground", FALSE);
  self->cancellable = g_cancellable_new ();
  self->backoff = pochta_backoff_new (RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, g_random_int ());
}

PochtaAccountSession *
pochta_account_session_new (PochtaAccount *account,
                            PochtaStore   *store,
                            gint64         account_id)
{
  PochtaAccountSession *self;
  g_autoptr(GPtrArray) folders = NULL;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (POCHTA_IS_STORE (store), NULL);

  self = g_object_new (POCHTA_TYPE_ACCOUNT_SESSION, NULL);
  self->account = g_object_ref (account);
  self->store = g_object_ref (store);
  self->account_id = account_id;

  folders = pochta_store_list_folders (store, account_id, NULL);
  for (guint i = 0; folders != NULL && i < folders->len; i++)
    if (pochta_folder_get_role (g_ptr_array_index (folders, i)) == POCHTA_FOLDER_ROLE_INBOX)
      self->inbox_id = pochta_folder_get_id (g_ptr_array_index (folders, i));

  self->retry_handler = g_signal_connect_swapped (account, "retry-requested",
                                                  G_CALLBACK (retry_requested_cb), self);
  self->folder_changed_handler = g_signal_connect (store, "folder-changed",
                                                   G_CALLBACK (folder_changed_cb), self);

  return self;
}

PochtaAccount *
pochta_account_session_get_account (PochtaAccountSession *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_SESSION (self), NULL);

  return self->account;
}

gint64
pochta_account_session_get_account_id (PochtaAccountSession *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_SESSION (self), 0);

  return self->account_id;
}

gboolean
pochta_account_session_is_online (PochtaAccountSession *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_SESSION (self), FALSE);

  return self->main.client != NULL;
}

gboolean
pochta_account_session_get_started (PochtaAccountSession *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_SESSION (self), FALSE);

  return self->started;
}

void
pochta_account_session_start (PochtaAccountSession *self)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->monitor = g_network_monitor_get_default ();
  self->network_handler = g_signal_connect_swapped (self->monitor, "network-changed",
                                                    G_CALLBACK (network_changed_cb), self);
  session_kick (self);
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  pochta_imap_client_logout_finish (POCHTA_IMAP_CLIENT (source), result, NULL);
  if (!g_task_get_completed (task))
    g_task_return_boolean (task, TRUE);
}

static void
logout_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_get_completed (task))
    g_task_return_boolean (task, TRUE);
}

/* Stops everything; the main connection says LOGOUT (bounded), the
 * others just close. */
void
pochta_account_session_stop_async (PochtaAccountSession *self,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PochtaImapClient) client = NULL;

  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, pochta_account_session_stop_async);

  self->started = FALSE;
  g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->replay_source, g_source_remove);
  if (self->idle != NULL)
    pochta_idle_watcher_stop (self->idle);
  g_clear_object (&self->idle);

  if (self->main.client != NULL && self->main.current == NULL)
    {
      client = g_object_ref (self->main.client);
      g_signal_handlers_disconnect_by_data (client, &self->main);
      g_clear_object (&self->main.client);
    }

  g_cancellable_cancel (self->cancellable);
  lane_clear (&self->main);
  lane_clear (&self->fg);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_timeout_add_once (LOGOUT_TIMEOUT_MS, logout_timeout_cb, task);
  g_object_ref (task);
  pochta_imap_client_logout_async (client, NULL, logout_cb, g_steal_pointer (&task));
}

void
pochta_account_session_stop_finish (PochtaAccountSession *self,
                                    GAsyncResult         *result)
{
  g_return_if_fail (g_task_is_valid (result, self));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

void
pochta_account_session_sync_async (PochtaAccountSession   *self,
                                   PochtaSessionSyncFlags  flags,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  Job *job;

  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  job = session_job_new (JOB_KIND_SYNC);
  job->flags = flags;
  session_enqueue (self, &self->main, session_job_task (self, job, cancellable, callback, user_data));
}

gboolean
pochta_account_session_sync_finish (PochtaAccountSession  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pochta_account_session_replay_async (PochtaAccountSession *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  session_enqueue (self, &self->main,
                   session_job_task (self, session_job_new (JOB_KIND_REPLAY), cancellable, callback, user_data));
}

gboolean
pochta_account_session_replay_finish (PochtaAccountSession  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pochta_account_session_fetch_body_async (PochtaAccountSession *self,
                                         gint64                message_id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  Job *job;
  Lane *lane;

  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  job = session_job_new (JOB_KIND_BODY);
  job->message_id = message_id;

  /* Offline and not about to be online: say so now rather than after a
   * connect timeout. */
  if (self->started && self->main.client == NULL && self->main.waiters == NULL
      && (self->reconnect_source != 0 || !pochta_account_can_attempt_login (self->account)))
    {
      g_autoptr(GTask) task = session_job_task (self, job, cancellable, callback, user_data);

      g_task_return_new_error (task, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_OFFLINE,
                               _("The account is offline"));
      return;
    }

  lane = self->main.current == NULL && self->main.queue.length == 0 ? &self->main : &self->fg;
  session_enqueue (self, lane, session_job_task (self, job, cancellable, callback, user_data));
}

GBytes *
pochta_account_session_fetch_body_finish (PochtaAccountSession  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
replay_soon_cb (gpointer user_data)
{
  PochtaAccountSession *self = user_data;

  self->replay_source = 0;
  if (self->main.client == NULL || session_has_queued (self, JOB_KIND_REPLAY, -1))
    return;

  session_enqueue (self, &self->main,
                   session_job_task (self, session_job_new (JOB_KIND_REPLAY), self->cancellable, NULL, NULL));
}

void
pochta_account_session_request_replay (PochtaAccountSession *self)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  if (self->started && self->replay_source == 0)
    self->replay_source = g_timeout_add_once (REPLAY_DELAY_MS, replay_soon_cb, self);
}

void
pochta_account_session_request_sync (PochtaAccountSession *self)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT_SESSION (self));

  if (!self->started)
    return;

  pochta_backoff_reset (self->backoff);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  session_kick (self);
}
