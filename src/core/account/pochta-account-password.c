/* pochta-account-password.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account's passwords: stored, looked up and forgotten through the keyring.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-error.h"
#include "pochta-account.h"
#include "pochta-secret.h"

typedef struct
{
  GPtrArray *servers;   /* of PochtaServerConfig, still to store */
  char      *password;
} SetPassword;

static void
set_password_free (SetPassword *state)
{
  g_clear_pointer (&state->servers, g_ptr_array_unref);
  if (state->password != NULL)
    {
      secret_password_wipe (state->password);
      g_clear_pointer (&state->password, g_free);
    }
  g_free (state);
}

static gboolean
check_server (PochtaServerConfig  *server,
              GError             **error)
{
  /* The keyring item is keyed by host and user, so both must exist. */
  if (pochta_server_config_get_host (server)[0] == '\0' ||
      pochta_server_config_get_user_name (server)[0] == '\0')
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter the server and user name before the password"));
      return FALSE;
    }

  return TRUE;
}

static void store_next (GTask *task);

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pochta_secret_store_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  store_next (g_steal_pointer (&task));
}

static void
store_next (GTask *task)
{
  g_autoptr(GTask) owned = task;
  PochtaAccount *self = g_task_get_source_object (owned);
  SetPassword *state = g_task_get_task_data (owned);
  GCancellable *cancellable = g_task_get_cancellable (owned);
  PochtaServerConfig *server;

  if (state->servers->len == 0)
    {
      /* A new password is the person acting: lift a block so the session
       * tries once more. A healthy account is left as it is. */
      if (!pochta_account_can_attempt_login (self))
        pochta_account_retry (self);

      g_task_return_boolean (owned, TRUE);
      return;
    }

  server = g_ptr_array_steal_index (state->servers, 0);
  pochta_secret_store_async (pochta_account_get_id (self),
                             pochta_server_config_get_protocol (server),
                             pochta_server_config_get_host (server),
                             pochta_server_config_get_user_name (server),
                             state->password,
                             cancellable,
                             store_cb, g_steal_pointer (&owned));
  g_object_unref (server);
}

/**
 * pochta_account_set_password_async:
 * @server: (nullable): the account's incoming or outgoing server, or %NULL
 *   for every server of the account that logs in with a password
 * @password: the password; it is kept only in the keyring
 *
 * Saves the password and, if logins were stopped by a password or
 * certificate problem, allows them again (see pochta_account_retry()).
 */
void
pochta_account_set_password_async (PochtaAccount       *self,
                                   PochtaServerConfig  *server,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PochtaServerConfig *incoming;
  PochtaServerConfig *outgoing;
  SetPassword *state;

  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  incoming = pochta_account_get_incoming (self);
  outgoing = pochta_account_get_outgoing (self);
  g_return_if_fail (server == NULL || server == incoming || server == outgoing);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_account_set_password_async);

  state = g_new0 (SetPassword, 1);
  state->servers = g_ptr_array_new_with_free_func (g_object_unref);
  state->password = g_strdup (password);
  g_task_set_task_data (task, state, (GDestroyNotify) set_password_free);

  if (server != NULL)
    {
      if (!check_server (server, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (state->servers, g_object_ref (server));
    }
  else
    {
      if (!check_server (incoming, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (state->servers, g_object_ref (incoming));

      /* An outgoing server not set up yet, or one without a login, simply
       * has no password to keep. */
      if (pochta_server_config_needs_password (outgoing) &&
          check_server (outgoing, NULL))
        g_ptr_array_add (state->servers, g_object_ref (outgoing));
    }

  store_next (g_steal_pointer (&task));
}

gboolean
pochta_account_set_password_finish (PochtaAccount  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_account_set_password_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = pochta_secret_lookup_finish (result, &error);
  if (password == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) pochta_secret_password_free);
}

/**
 * pochta_account_lookup_password_async:
 * @server: (nullable): the incoming or outgoing server; %NULL for incoming
 *
 * Reads the server's password from the keyring. When this fails with
 * %POCHTA_ACCOUNT_ERROR_NO_PASSWORD, the session reports it with
 * pochta_account_report_needs_password() instead of logging in.
 */
void
pochta_account_lookup_password_async (PochtaAccount       *self,
                                      PochtaServerConfig  *server,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (server == NULL ||
                    server == pochta_account_get_incoming (self) ||
                    server == pochta_account_get_outgoing (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (server == NULL)
    server = pochta_account_get_incoming (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_account_lookup_password_async);

  if (!check_server (server, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pochta_secret_lookup_async (pochta_account_get_id (self),
                              pochta_server_config_get_protocol (server),
                              pochta_server_config_get_host (server),
                              pochta_server_config_get_user_name (server),
                              cancellable, lookup_cb, g_steal_pointer (&task));
}

/**
 * pochta_account_lookup_password_finish:
 *
 * Returns: (transfer full) (nullable): the password; free it with
 *   pochta_secret_password_free().
 */
char *
pochta_account_lookup_password_finish (PochtaAccount  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_account_lookup_password_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pochta_secret_clear_all_finish (result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pochta_account_forget_passwords_async:
 *
 * Removes every password stored for this account, under any server or
 * user it ever had. Call it when the account is removed.
 */
void
pochta_account_forget_passwords_async (PochtaAccount       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_account_forget_passwords_async);

  pochta_secret_clear_all_async (pochta_account_get_id (self), cancellable,
                                 forget_cb, g_steal_pointer (&task));
}

gboolean
pochta_account_forget_passwords_finish (PochtaAccount  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_account_forget_passwords_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
