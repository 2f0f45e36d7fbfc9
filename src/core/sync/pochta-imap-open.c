/* pochta-imap-open.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a logged-in IMAP session for an account's server: connect,
 * login, ENABLE, COMPRESS, as one async step for the session.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-imap-error.h"
#include "pochta-imap-open.h"
#include "pochta-net-error.h"
#include "pochta-secret.h"

typedef struct
{
  PochtaImapClient *client;
  char             *user;
  char             *password;
  gboolean          compress;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->client);
  g_free (data->user);
  pochta_secret_string_clear (&data->password);
  g_free (data);
}

static void
finish_with_client (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->client), g_object_unref);
}

static void
compress_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* A server that offers COMPRESS and then refuses it is still usable. */
  if (!pochta_imap_client_compress_finish (POCHTA_IMAP_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("COMPRESS refused: %s", error->message);
    }

  finish_with_client (task);
}

static void
maybe_compress (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);

  if (data->compress
      && pochta_imap_client_has_capability (data->client, POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE))
    pochta_imap_client_compress_async (data->client, g_task_get_cancellable (task),
                                       compress_cb, g_object_ref (task));
  else
    finish_with_client (task);
}

static void
enable_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) enabled = NULL;

  enabled = pochta_imap_client_enable_finish (POCHTA_IMAP_CLIENT (source), result, &error);
  if (enabled == NULL && !g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO)
      && !g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  maybe_compress (task);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OpenData *data = g_task_get_task_data (task);
  const char *extensions[3] = { NULL, };

  if (!pochta_imap_client_login_finish (data->client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* QRESYNC implies CONDSTORE; asking for both is what RFC 7162 shows. */
  if (pochta_imap_client_has_capability (data->client, POCHTA_IMAP_CAPABILITY_QRESYNC))
    {
      extensions[0] = "QRESYNC";
      extensions[1] = "CONDSTORE";
    }
  else if (pochta_imap_client_has_capability (data->client, POCHTA_IMAP_CAPABILITY_CONDSTORE))
    extensions[0] = "CONDSTORE";

  if (extensions[0] != NULL
      && pochta_imap_client_has_capability (data->client, POCHTA_IMAP_CAPABILITY_ENABLE))
    pochta_imap_client_enable_async (data->client, extensions, g_task_get_cancellable (task),
                                     enable_cb, g_object_ref (task));
  else
    maybe_compress (task);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OpenData *data = g_task_get_task_data (task);

  if (!pochta_imap_client_connect_finish (data->client, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* PREAUTH servers are already logged in. */
  if (pochta_imap_client_get_state (data->client) >= POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED)
    {
      login_cb (NULL, NULL, g_steal_pointer (&task));
      return;
    }

  pochta_imap_client_login_async (data->client, data->user, data->password,
                                  g_task_get_cancellable (task), login_cb, g_object_ref (task));
}

void
pochta_imap_open_async (PochtaServerConfig  *server,
                        const char          *password,
                        gboolean             compress,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PochtaConnection) connection = NULL;
  OpenData *data;

  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (server));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_open_async);

  connection = pochta_server_config_create_connection (server);
  data = g_new0 (OpenData, 1);
  data->client = pochta_imap_client_new (connection);
  data->user = g_strdup (pochta_server_config_get_user_name (server));
  data->password = g_strdup (password != NULL ? password : "");
  data->compress = compress;
  pochta_imap_client_set_allow_plaintext_auth (data->client,
                                               pochta_server_config_get_allow_insecure (server));
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  pochta_imap_client_connect_async (data->client, cancellable, connect_cb, g_object_ref (task));
}

PochtaImapClient *
pochta_imap_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The one place that says what an error means for the account: the
 * session (reconnect or not, which state), the IDLE watcher and the
 * service ("offline") all ask here. */
PochtaFailureKind
pochta_failure_classify (const GError *error)
{
  if (error == NULL)
    return POCHTA_FAILURE_OTHER;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return POCHTA_FAILURE_CANCELLED;

  if (error->domain == POCHTA_IMAP_ERROR)
    {
      switch ((PochtaImapError) error->code)
        {
        case POCHTA_IMAP_ERROR_AUTH_FAILED:
          return POCHTA_FAILURE_AUTH;
        case POCHTA_IMAP_ERROR_CAPABILITY:
          return POCHTA_FAILURE_CONFIG;
        case POCHTA_IMAP_ERROR_NO:
        case POCHTA_IMAP_ERROR_BAD:
          return POCHTA_FAILURE_REFUSED;
        case POCHTA_IMAP_ERROR_PARSE:
        case POCHTA_IMAP_ERROR_LIMIT:
        case POCHTA_IMAP_ERROR_PROTOCOL:
        case POCHTA_IMAP_ERROR_BYE:
        case POCHTA_IMAP_ERROR_CLOSED:
        default:
          /* The client ends the connection on all of these. */
          return POCHTA_FAILURE_NETWORK;
        }
    }

  if (error->domain == POCHTA_NET_ERROR)
    {
      switch ((PochtaNetError) error->code)
        {
        case POCHTA_NET_ERROR_TLS_CERTIFICATE:
        case POCHTA_NET_ERROR_TLS_PIN_MISMATCH:
          return POCHTA_FAILURE_TLS;
        case POCHTA_NET_ERROR_STARTTLS_UNAVAILABLE:
          return POCHTA_FAILURE_CONFIG;
        case POCHTA_NET_ERROR_FAILED:
        case POCHTA_NET_ERROR_CLOSED:
        case POCHTA_NET_ERROR_LINE_TOO_LONG:
        case POCHTA_NET_ERROR_TLS_FAILED:
        case POCHTA_NET_ERROR_PROTOCOL:
        default:
          return POCHTA_FAILURE_NETWORK;
        }
    }

  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
    return POCHTA_FAILURE_NETWORK;

  return POCHTA_FAILURE_OTHER;
}
