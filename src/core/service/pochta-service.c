/* pochta-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account service: the store, the accounts with their sessions,
 * syncing and bodies. Account changes are in pochta-service-accounts.c,
 * the folder trees and message models the UI binds to in
 * pochta-service-models.c, the actions on messages and folders in
 * pochta-service-actions.c.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-repository.h"
#include "pochta-folder-sync.h"
#include "pochta-imap-open.h"
#include "pochta-message-list-model.h"
#include "pochta-net-error.h"
#include "pochta-service-error.h"
#include "pochta-service-private.h"
#include "pochta-store-error.h"
#include "pochta-sync-error.h"

G_DEFINE_FINAL_TYPE (PochtaService, pochta_service, G_TYPE_OBJECT)

enum {
  NEW_MAIL,
  PENDING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Accounts */

static void
entry_free (PochtaServiceAccount *entry)
{
  if (entry->session != NULL)
    g_signal_handlers_disconnect_by_data (entry->session, entry);
  g_clear_object (&entry->session);
  g_clear_object (&entry->tree);
  g_clear_object (&entry->account);
  g_free (entry);
}

PochtaServiceAccount *
_pochta_service_lookup_entry (PochtaService *self,
                              PochtaAccount *account)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      PochtaServiceAccount *entry = g_ptr_array_index (self->entries, i);

      if (entry->account == account)
        return entry;
    }

  return NULL;
}

PochtaServiceAccount *
_pochta_service_entry_for_store_id (PochtaService *self,
                                    gint64         store_id)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      PochtaServiceAccount *entry = g_ptr_array_index (self->entries, i);

      if (entry->store_id == store_id)
        return entry;
    }

  return NULL;
}

PochtaServiceAccount *
_pochta_service_entry_for_folder (PochtaService *self,
                                  gint64         folder_id)
{
  g_autoptr(PochtaFolder) folder = pochta_store_get_folder (self->store, folder_id, NULL);

  if (folder == NULL)
    return NULL;

  return _pochta_service_entry_for_store_id (self, pochta_folder_get_account_id (folder));
}

PochtaServiceAccount *
_pochta_service_entry_for_message (PochtaService  *self,
                                   gint64          message_id,
                                   GError        **error)
{
  g_autoptr(PochtaMessageSummary) summary = pochta_store_get_message (self->store, message_id, NULL);
  PochtaServiceAccount *entry = NULL;

  if (summary != NULL)
    entry = _pochta_service_entry_for_folder (self, pochta_message_summary_get_folder_id (summary));

  if (entry == NULL)
    g_set_error (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                 _("There is no message %lld"), (long long) message_id);

  return entry;
}

void
_pochta_service_update_pending (PochtaService        *self,
                                PochtaServiceAccount *entry)
{
  g_autoptr(GPtrArray) ops = pochta_store_list_pending_ops (self->store, entry->store_id, NULL);
  guint n = ops != NULL ? ops->len : 0;

  if (n != entry->n_pending)
    {
      entry->n_pending = n;
      g_signal_emit (self, signals[PENDING_CHANGED], 0, entry->account, n);
    }
}

static void
session_new_mail_cb (PochtaAccountSession *session,
                     gint64                message_id,
                     PochtaServiceAccount *entry)
{
  g_signal_emit (entry->service, signals[NEW_MAIL], 0, entry->account, message_id);
}

static void
session_replayed_cb (PochtaAccountSession *session,
                     PochtaServiceAccount *entry)
{
  _pochta_service_update_pending (entry->service, entry);
}

/* An account of the service from now on: its session made (and started
 * if the service is), its row in the accounts model. */
PochtaServiceAccount *
_pochta_service_add_entry (PochtaService *self,
                           PochtaAccount *account,
                           gint64         store_id)
{
  PochtaServiceAccount *entry = g_new0 (PochtaServiceAccount, 1);

  entry->service = self;
  entry->account = g_object_ref (account);
  entry->store_id = store_id;
  entry->session = pochta_account_session_new (account, self->store, store_id);
  g_signal_connect (entry->session, "new-mail", G_CALLBACK (session_new_mail_cb), entry);
  g_signal_connect (entry->session, "replayed", G_CALLBACK (session_replayed_cb), entry);
  g_ptr_array_add (self->entries, entry);
  g_list_store_append (self->accounts, account);
  _pochta_service_update_pending (self, entry);

  if (self->started)
    pochta_account_session_start (entry->session);

  return entry;
}

static void
account_changed_cb (PochtaStore   *store,
                    gint64         account_id,
                    PochtaService *self)
{
  PochtaServiceAccount *entry = _pochta_service_entry_for_store_id (self, account_id);

  if (entry != NULL)
    _pochta_service_update_pending (self, entry);
}

/* GObject */

static void
pochta_service_dispose (GObject *object)
{
  PochtaService *self = (PochtaService *) object;
  GHashTableIter iter;
  gpointer model;

  g_hash_table_iter_init (&iter, self->message_models);
  while (g_hash_table_iter_next (&iter, NULL, &model))
    g_object_weak_unref (model, _pochta_service_message_model_gone, self);
  g_hash_table_remove_all (self->message_models);

  g_clear_signal_handler (&self->account_changed_handler, self->store);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (pochta_service_parent_class)->dispose (object);
}

static void
pochta_service_finalize (GObject *object)
{
  PochtaService *self = (PochtaService *) object;

  g_clear_pointer (&self->message_models, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pochta_service_parent_class)->finalize (object);
}

static void
pochta_service_class_init (PochtaServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_service_dispose;
  object_class->finalize = pochta_service_finalize;

  signals[NEW_MAIL] =
    g_signal_new ("new-mail",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, POCHTA_TYPE_ACCOUNT, G_TYPE_INT64);
  signals[PENDING_CHANGED] =
    g_signal_new ("pending-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, POCHTA_TYPE_ACCOUNT, G_TYPE_UINT);
}

static void
pochta_service_init (PochtaService *self)
{
  self->accounts = g_list_store_new (POCHTA_TYPE_ACCOUNT);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->message_models = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Opening and closing */

static void
store_open_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(PochtaService) self = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;

  store = pochta_store_open_finish (result, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  accounts = pochta_account_repository_load (store, &ids, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self = g_object_new (POCHTA_TYPE_SERVICE, NULL);
  self->store = g_steal_pointer (&store);
  self->account_changed_handler = g_signal_connect (self->store, "account-changed",
                                                    G_CALLBACK (account_changed_cb), self);
  for (guint i = 0; i < accounts->len; i++)
    _pochta_service_add_entry (self, g_ptr_array_index (accounts, i), g_array_index (ids, gint64, i));

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

void
pochta_service_new_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *default_path = NULL;

  g_task_set_source_tag (task, pochta_service_new_async);

  if (path == NULL)
    path = default_path = pochta_store_get_default_path ();

  pochta_store_open_async (path, cancellable, store_open_cb, task);
}

PochtaService *
pochta_service_new_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  guint pending;
} ShutdownData;

static void
store_close_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_store_close_finish (POCHTA_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
shutdown_step (GTask *task)
{
  PochtaService *self = g_task_get_source_object (task);
  ShutdownData *data = g_task_get_task_data (task);

  if (--data->pending > 0)
    {
      g_object_unref (task);
      return;
    }

  /* The models must not outlive the store they read. */
  g_ptr_array_set_size (self->entries, 0);
  pochta_store_close_async (self->store, NULL, store_close_cb, task);
}

static void
session_stop_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  pochta_account_session_stop_finish (POCHTA_ACCOUNT_SESSION (source), result);
  shutdown_step (user_data);
}

void
pochta_service_shutdown_async (PochtaService       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ShutdownData *data;

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_shutdown_async);

  if (self->shut_down)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  self->shut_down = TRUE;
  self->started = FALSE;
  data = g_new0 (ShutdownData, 1);
  data->pending = 1;
  g_task_set_task_data (task, data, g_free);

  for (guint i = 0; i < self->entries->len; i++)
    {
      PochtaServiceAccount *entry = g_ptr_array_index (self->entries, i);

      data->pending++;
      pochta_account_session_stop_async (entry->session, session_stop_cb, g_object_ref (task));
    }

  shutdown_step (task);
}

gboolean
pochta_service_shutdown_finish (PochtaService  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

PochtaStore *
pochta_service_get_store (PochtaService *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  return self->store;
}

/* Sessions */

void
pochta_service_start (PochtaService *self)
{
  g_return_if_fail (POCHTA_IS_SERVICE (self));

  if (self->started || self->shut_down)
    return;

  self->started = TRUE;
  for (guint i = 0; i < self->entries->len; i++)
    pochta_account_session_start (((PochtaServiceAccount *) g_ptr_array_index (self->entries, i))->session);
}

/**
 * pochta_service_start_account:
 *
 * Starts the session of @account alone, as `pochta-cli sync NAME --idle`
 * asks; the other accounts stay as they are.
 */
void
pochta_service_start_account (PochtaService *self,
                              PochtaAccount *account)
{
  PochtaServiceAccount *entry;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));

  if (self->shut_down || (entry = _pochta_service_lookup_entry (self, account)) == NULL)
    return;

  pochta_account_session_start (entry->session);
}

gboolean
pochta_service_get_started (PochtaService *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), FALSE);

  return self->started;
}

static void
session_sync_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PochtaServiceFanout *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pochta_account_session_sync_finish (POCHTA_ACCOUNT_SESSION (source), result, &error)
      && data->error == NULL)
    {
      PochtaAccount *account = pochta_account_session_get_account (POCHTA_ACCOUNT_SESSION (source));

      data->error = g_error_copy (error);
      g_prefix_error (&data->error, "%s: ", pochta_account_get_display_name (account));
    }

  _pochta_service_fanout_step (task);
}

void
pochta_service_sync_async (PochtaService       *self,
                           PochtaAccount       *account,
                           PochtaSyncFlags      flags,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  PochtaServiceFanout *data;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (account == NULL || POCHTA_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_sync_async);
  data = g_new0 (PochtaServiceFanout, 1);
  data->pending = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) _pochta_service_fanout_free);

  for (guint i = 0; i < self->entries->len; i++)
    {
      PochtaServiceAccount *entry = g_ptr_array_index (self->entries, i);

      if (account != NULL && entry->account != account)
        continue;

      data->pending++;
      pochta_account_session_sync_async (entry->session,
                                         (flags & POCHTA_SYNC_BODIES) ? POCHTA_SESSION_SYNC_BODIES
                                                                      : POCHTA_SESSION_SYNC_NONE,
                                         cancellable, session_sync_cb, g_object_ref (task));
    }

  if (account != NULL && data->pending == 1)
    data->error = g_error_new (POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                               _("There is no account “%s”"), pochta_account_get_display_name (account));

  _pochta_service_fanout_step (task);
}

gboolean
pochta_service_sync_finish (PochtaService  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pochta_service_refresh (PochtaService *self,
                        PochtaAccount *account)
{
  g_return_if_fail (POCHTA_IS_SERVICE (self));

  for (guint i = 0; i < self->entries->len; i++)
    {
      PochtaServiceAccount *entry = g_ptr_array_index (self->entries, i);

      if (account == NULL || entry->account == account)
        pochta_account_session_request_sync (entry->session);
    }
}

/* Account list */

GListModel *
pochta_service_get_accounts (PochtaService *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

PochtaAccount *
pochta_service_lookup_account (PochtaService *self,
                               const char    *name)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < self->entries->len; i++)
      {
        PochtaAccount *account = ((PochtaServiceAccount *) g_ptr_array_index (self->entries, i))->account;
        PochtaIdentity *identity;

        switch (pass)
          {
          case 0:
            if (g_strcmp0 (pochta_account_get_id (account), name) == 0)
              return account;
            break;
          case 1:
            if (g_strcmp0 (pochta_account_get_display_name (account), name) == 0)
              return account;
            break;
          default:
            identity = pochta_account_get_default_identity (account);
            if (identity != NULL
                && g_ascii_strcasecmp (pochta_identity_get_address (identity), name) == 0)
              return account;
            break;
          }
      }

  return NULL;
}

PochtaAccount *
pochta_service_get_account_for_folder (PochtaService *self,
                                       gint64         folder_id)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  entry = _pochta_service_entry_for_folder (self, folder_id);

  return entry != NULL ? entry->account : NULL;
}

gint64
pochta_service_get_account_store_id (PochtaService *self,
                                     PochtaAccount *account)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), 0);

  entry = _pochta_service_lookup_entry (self, account);

  return entry != NULL ? entry->store_id : 0;
}

/* Bodies */

static gboolean
is_offline_error (const GError *error)
{
  return g_error_matches (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_OFFLINE)
         || pochta_failure_classify (error) == POCHTA_FAILURE_NETWORK;
}

static void
fetch_body_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = pochta_account_session_fetch_body_finish (POCHTA_ACCOUNT_SESSION (source), result, &error);
  if (bytes != NULL)
    {
      g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (is_offline_error (error))
    g_task_return_new_error (task, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_OFFLINE,
                             _("Not downloaded — will load when online"));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Not cached yet: the account's session fetches it. */
static void
cached_body_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PochtaService *self = g_task_get_source_object (task);
  gint64 message_id = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GError) error = NULL;
  PochtaServiceAccount *entry;
  GCancellable *cancellable;

  cached = pochta_store_get_body_finish (POCHTA_STORE (object), result, &error);
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (!g_error_matches (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  entry = _pochta_service_entry_for_message (self, message_id, &error);
  if (entry == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  pochta_account_session_fetch_body_async (entry->session, message_id, cancellable,
                                           fetch_body_cb, g_steal_pointer (&task));
}

void
pochta_service_get_body_async (PochtaService       *self,
                               gint64               message_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_get_body_async);
  g_task_set_task_data (task, g_memdup2 (&message_id, sizeof message_id), g_free);

  /* The cached copy is read in a thread: a large body read on the main
   * thread (from disk, on a cold cache) would hold up frames. */
  pochta_store_get_body_async (self->store, message_id, cancellable, cached_body_cb, task);
}

GBytes *
pochta_service_get_body_finish (PochtaService  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
