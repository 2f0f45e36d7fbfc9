/* pochta-service-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaService's account changes: add (with its passwords), save, remove
 * (the session stopped, the rows and the passwords gone), a new password,
 * and trusting a certificate.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-repository.h"
#include "pochta-service-error.h"
#include "pochta-service-private.h"

/* Adding, saving and removing accounts */

typedef struct
{
  PochtaAccount *account;
  char          *incoming_password;
  char          *outgoing_password;
  gint64         store_id;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->account);
  g_free (data->incoming_password);
  g_free (data->outgoing_password);
  g_free (data);
}

static void add_next_password (GTask *task);

static void
add_password_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_account_set_password_finish (POCHTA_ACCOUNT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  add_next_password (g_steal_pointer (&task));
}

static void
add_next_password (GTask *task)
{
  PochtaService *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  PochtaServerConfig *server;
  char *password;

  if (data->incoming_password != NULL)
    {
      server = pochta_account_get_incoming (data->account);
      password = g_steal_pointer (&data->incoming_password);
    }
  else if (data->outgoing_password != NULL && pochta_account_get_outgoing (data->account) != NULL)
    {
      server = pochta_account_get_outgoing (data->account);
      password = g_steal_pointer (&data->outgoing_password);
    }
  else
    {
      PochtaServiceAccount *entry = _pochta_service_lookup_entry (self, data->account);

      if (entry == NULL)
        _pochta_service_add_entry (self, data->account, data->store_id);
      else
        entry->store_id = data->store_id;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  pochta_account_set_password_async (data->account, server, password, g_task_get_cancellable (task),
                                     add_password_cb, task);
  g_free (password);
}

static void
add_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->store_id = pochta_account_repository_save_finish (POCHTA_STORE (source), result, &error);
  if (data->store_id <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  add_next_password (task);
}

void
pochta_service_add_account_async (PochtaService       *self,
                                  PochtaAccount       *account,
                                  const char          *incoming_password,
                                  const char          *outgoing_password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  AddData *data;
  GError *error = NULL;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_add_account_async);

  if (!pochta_account_validate (account, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (AddData, 1);
  data->account = g_object_ref (account);
  data->incoming_password = g_strdup (incoming_password);
  data->outgoing_password = g_strdup (outgoing_password);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  pochta_account_repository_save_async (self->store, account, cancellable, add_saved_cb, task);
}

gboolean
pochta_service_add_account_finish (PochtaService  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (pochta_account_repository_save_finish (POCHTA_STORE (source), result, &error) <= 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
pochta_service_save_account_async (PochtaService       *self,
                                   PochtaAccount       *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_save_account_async);

  if (!pochta_account_validate (account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pochta_account_repository_save_async (self->store, account, cancellable, save_cb,
                                        g_steal_pointer (&task));
}

gboolean
pochta_service_save_account_finish (PochtaService  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_forget_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The cache is already gone; a keyring that is locked or away only
   * leaves a stale item behind, which is not worth failing over. */
  if (!pochta_account_forget_passwords_finish (POCHTA_ACCOUNT (source), result, &error))
    g_warning ("Could not remove the passwords of %s: %s",
               pochta_account_get_display_name (POCHTA_ACCOUNT (source)), error->message);

  g_task_return_boolean (task, TRUE);
}

static void
remove_rows_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaAccount *account = g_task_get_task_data (task);

  if (!pochta_account_repository_remove_finish (POCHTA_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pochta_account_forget_passwords_async (account, NULL, remove_forget_cb, g_steal_pointer (&task));
}

static void
remove_stopped_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PochtaService *self = g_task_get_source_object (task);
  PochtaAccount *account = g_task_get_task_data (task);
  PochtaServiceAccount *entry = _pochta_service_lookup_entry (self, account);
  guint position;

  pochta_account_session_stop_finish (POCHTA_ACCOUNT_SESSION (source), result);

  if (entry != NULL)
    g_ptr_array_remove (self->entries, entry);
  if (g_list_store_find (self->accounts, account, &position))
    g_list_store_remove (self->accounts, position);

  pochta_account_repository_remove_async (self->store, account, NULL, remove_rows_cb,
                                          g_steal_pointer (&task));
}

void
pochta_service_remove_account_async (PochtaService       *self,
                                     PochtaAccount       *account,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PochtaServiceAccount *entry;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_remove_account_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  entry = _pochta_service_lookup_entry (self, account);
  if (entry == NULL)
    {
      g_task_return_new_error (task, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                               _("There is no account “%s”"), pochta_account_get_display_name (account));
      return;
    }

  pochta_account_session_stop_async (entry->session, remove_stopped_cb, g_steal_pointer (&task));
}

gboolean
pochta_service_remove_account_finish (PochtaService  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
set_password_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaAccount *account = POCHTA_ACCOUNT (source);

  if (!pochta_account_set_password_finish (account, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Clears "needs password"/"auth failed" and lets the session try once more. */
  pochta_account_retry (account);
  g_task_return_boolean (task, TRUE);
}

void
pochta_service_set_password_async (PochtaService       *self,
                                   PochtaAccount       *account,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  PochtaServerConfig *server;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_set_password_async);

  server = pochta_account_get_failed_server (account);
  if (server == NULL)
    server = pochta_account_get_incoming (account);

  pochta_account_set_password_async (account, server, password, cancellable, set_password_cb, task);
}

gboolean
pochta_service_set_password_finish (PochtaService  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pochta_service_trust_certificate (PochtaService *self,
                                  PochtaAccount *account)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (account), FALSE);

  if (!pochta_account_accept_certificate (account))
    return FALSE;

  /* The pin must outlive this run: save it, and let the session retry. */
  pochta_service_save_account_async (self, account, NULL, NULL, NULL);

  return TRUE;
}
