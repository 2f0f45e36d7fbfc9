/* pochta-account-session-lanes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connections of a PochtaAccountSession ("lanes"): opening one with
 * the password from the keyring, running the queued jobs on it, and what
 * a failure means for the account's state (offline with a reconnect
 * later, needs password, certificate problem).
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-account-session-private.h"
#include "pochta-imap-error.h"
#include "pochta-imap-open.h"
#include "pochta-net-error.h"
#include "pochta-secret.h"
#include "pochta-sync-error.h"

/* Connections */

gboolean
session_is_connection_error (const GError *error)
{
  return error != NULL && pochta_failure_classify (error) == POCHTA_FAILURE_NETWORK;
}

void
session_lane_drop_client (Lane *lane)
{
  if (lane->client == NULL)
    return;

  g_signal_handlers_disconnect_by_data (lane->client, lane);
  pochta_connection_abort (pochta_imap_client_get_connection (lane->client));
  g_clear_object (&lane->client);
}

void
session_schedule_reconnect (PochtaAccountSession *self)
{
  guint delay;

  if (!self->started || self->reconnect_source != 0
      || !pochta_account_can_attempt_login (self->account))
    return;

  delay = pochta_backoff_next_delay (self->backoff);
  g_debug ("Account %s: reconnecting in %u ms", pochta_account_get_display_name (self->account), delay);
  self->reconnect_source = g_timeout_add_once (delay, (GSourceOnceFunc) session_kick, self);
}

static void
went_offline (PochtaAccountSession *self)
{
  if (self->idle != NULL)
    pochta_idle_watcher_stop (self->idle);
  g_clear_object (&self->idle);
  session_lane_drop_client (&self->fg);

  if (pochta_account_can_attempt_login (self->account))
    pochta_account_set_state (self->account, POCHTA_ACCOUNT_STATE_OFFLINE);
  session_schedule_reconnect (self);
}

static void
lane_client_disconnected_cb (PochtaImapClient *client,
                             const GError     *error,
                             Lane             *lane)
{
  g_debug ("Account %s: %s connection closed: %s",
           pochta_account_get_display_name (lane->session->account), lane->name,
           error != NULL ? error->message : "no reason");

  g_signal_handlers_disconnect_by_data (client, lane);
  g_clear_object (&lane->client);

  if (lane->is_main)
    went_offline (lane->session);
}

static void
lane_fail_waiters (Lane         *lane,
                   const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&lane->waiters);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      /* The array keeps its own reference until it is freed. */
      session_job_return_error (lane, g_object_ref (task), g_error_copy (error));
    }
}

static void
report_failure (PochtaAccountSession *self,
                const GError         *error)
{
  PochtaServerConfig *server = pochta_account_get_incoming (self->account);

  switch (pochta_failure_classify (error))
    {
    case POCHTA_FAILURE_AUTH:
      pochta_account_report_auth_failure (self->account, server, error->message);
      break;
    case POCHTA_FAILURE_TLS:
      pochta_account_report_tls_error (self->account, server,
                                       pochta_net_error_get_certificate_info (error),
                                       error->message);
      break;
    case POCHTA_FAILURE_CONFIG:
      pochta_account_report_error (self->account, error->message);
      break;
    case POCHTA_FAILURE_CANCELLED:
      break;
    case POCHTA_FAILURE_REFUSED:
    case POCHTA_FAILURE_OTHER:
      pochta_account_report_error (self->account, error->message);
      break;
    case POCHTA_FAILURE_NETWORK:
    default:
      pochta_account_set_state (self->account, POCHTA_ACCOUNT_STATE_OFFLINE);
      break;
    }
}

static void
lane_open_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lane *lane = user_data;
  PochtaAccountSession *self = lane->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  client = pochta_imap_open_finish (result, &error);
  if (client == NULL)
    {
      if (lane->is_main)
        {
          report_failure (self, error);
          if (pochta_failure_classify (error) == POCHTA_FAILURE_NETWORK)
            session_schedule_reconnect (self);
        }
      lane_fail_waiters (lane, error);
      g_object_unref (self);
      return;
    }

  lane->client = g_steal_pointer (&client);
  g_signal_connect (lane->client, "disconnected", G_CALLBACK (lane_client_disconnected_cb), lane);

  if (lane->is_main)
    {
      pochta_backoff_reset (self->backoff);
      pochta_account_set_state (self->account, POCHTA_ACCOUNT_STATE_ONLINE);
    }

  waiters = g_steal_pointer (&lane->waiters);
  for (guint i = 0; i < waiters->len; i++)
    session_run_job (lane, g_ptr_array_index (waiters, i));

  g_object_unref (self);
}

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 || g_str_has_prefix (host, "127.")
         || g_strcmp0 (host, "::1") == 0;
}

static void
lane_open (Lane *lane)
{
  PochtaAccountSession *self = lane->session;
  PochtaServerConfig *server = pochta_account_get_incoming (self->account);

  if (lane->is_main)
    pochta_account_set_state (self->account, POCHTA_ACCOUNT_STATE_CONNECTING);

  /* Compression costs more CPU than it saves on a loopback link. */
  pochta_imap_open_async (server, self->password,
                          !is_loopback (pochta_server_config_get_host (server)),
                          self->cancellable, lane_open_cb, lane);
  g_object_ref (self);
}

static void
password_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lane *lane = user_data;
  PochtaAccountSession *self = lane->session;
  g_autoptr(GError) error = NULL;
  char *password;

  password = pochta_account_lookup_password_finish (self->account, result, &error);
  if (password == NULL)
    {
      if (error == NULL)
        {
          pochta_account_report_needs_password (self->account, pochta_account_get_incoming (self->account));
          error = g_error_new_literal (POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_LOGIN_BLOCKED,
                                       pochta_account_get_state_message (self->account));
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pochta_account_report_error (self->account, error->message);

      lane_fail_waiters (lane, error);
      g_object_unref (self);
      return;
    }

  /* Kept as the keyring gave it (wiped on free) for the IDLE watcher and
   * later connections, until the session ends or a retry. */
  pochta_secret_password_free (self->password);
  self->password = password;
  lane_open (lane);
  g_object_unref (self);
}

static void
lane_with_client (Lane  *lane,
                  GTask *task)
{
  PochtaAccountSession *self = lane->session;
  gboolean first;

  if (lane->client != NULL)
    {
      session_job_dispatch (lane, task);
      return;
    }

  if (!pochta_account_can_attempt_login (self->account))
    {
      session_job_return_error (lane, task,
                                g_error_new_literal (POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_LOGIN_BLOCKED,
                                                     pochta_account_get_state_message (self->account)));
      return;
    }

  first = lane->waiters == NULL;
  if (first)
    lane->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (lane->waiters, task);
  if (!first)
    return;

  if (!pochta_server_config_needs_password (pochta_account_get_incoming (self->account)))
    lane_open (lane);
  else if (self->password != NULL)
    lane_open (lane);
  else
    {
      pochta_account_lookup_password_async (self->account, pochta_account_get_incoming (self->account),
                                            self->cancellable, password_cb, lane);
      g_object_ref (self);
    }
}

static gboolean
lane_run_next (gpointer user_data)
{
  Lane *lane = user_data;
  GTask *task;

  lane->run_source = 0;
  if (lane->current != NULL)
    return G_SOURCE_REMOVE;

  task = g_queue_pop_head (&lane->queue);
  if (task == NULL)
    return G_SOURCE_REMOVE;

  lane->current = task;
  if (g_task_return_error_if_cancelled (task))
    {
      lane->current = NULL;
      g_object_unref (task);
      session_lane_run_soon (lane);
      return G_SOURCE_REMOVE;
    }

  lane_with_client (lane, task);

  return G_SOURCE_REMOVE;
}

void
session_lane_run_soon (Lane *lane)
{
  if (lane->run_source == 0 && lane->current == NULL && lane->queue.length > 0)
    lane->run_source = g_idle_add (lane_run_next, lane);
}

void
session_run_job (Lane  *lane,
                 GTask *task)
{
  session_job_dispatch (lane, g_object_ref (task));
}

static void
lane_job_done (Lane  *lane,
               GTask *task)
{
  if (lane->current == task)
    lane->current = NULL;
  g_object_unref (task);
  session_lane_run_soon (lane);
}

void
session_job_return_error (Lane   *lane,
                          GTask  *task,
                          GError *error)
{
  PochtaAccountSession *self = lane->session;
  Job *job = g_task_get_task_data (task);

  if (session_is_connection_error (error) && lane->client != NULL)
    {
      session_lane_drop_client (lane);
      if (lane->is_main)
        went_offline (self);
    }

  if (lane->is_main)
    session_job_finished (self, job, error);
  g_task_return_error (task, error);
  lane_job_done (lane, task);
}

void
session_job_return (Lane           *lane,
                    GTask          *task,
                    gpointer        result,
                    GDestroyNotify  result_free)
{
  Job *job = g_task_get_task_data (task);

  if (lane->is_main)
    session_job_finished (lane->session, job, NULL);
  if (result_free != NULL)
    g_task_return_pointer (task, result, result_free);
  else
    g_task_return_boolean (task, TRUE);
  lane_job_done (lane, task);
}
