/* pochta-service-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person does to messages and folders, through the offline queue:
 * the cache shows it at once, the session replays it when online. Also
 * the "Test connection" check of a new account.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-open.h"
#include "pochta-offline-ops.h"
#include "pochta-service-error.h"
#include "pochta-service-private.h"

/* Messages of several accounts in one selection (a search across
 * accounts) become one queued operation per account, joined by a
 * PochtaServiceFanout. */
void
_pochta_service_fanout_free (PochtaServiceFanout *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

/* One part of @task done: the task returns (the first error, if any)
 * when the last one is. Drops the caller's reference. */
void
_pochta_service_fanout_step (GTask *task)
{
  PochtaServiceFanout *data = g_task_get_task_data (task);

  if (--data->pending > 0)
    {
      g_object_unref (task);
      return;
    }

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

typedef struct
{
  GTask                *task;
  PochtaServiceAccount *entry;
} OpCall;

static void
op_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  OpCall *call = user_data;
  GTask *task = call->task;
  PochtaServiceFanout *data = g_task_get_task_data (task);
  PochtaService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!pochta_offline_op_finish (result, &error))
    {
      if (data->error == NULL)
        data->error = g_steal_pointer (&error);
    }
  else if (g_ptr_array_find (self->entries, call->entry, NULL))
    {
      _pochta_service_update_pending (self, call->entry);
      pochta_account_session_request_replay (call->entry->session);
    }

  g_free (call);
  _pochta_service_fanout_step (task);
}

static GTask *
action_task_new (PochtaService       *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PochtaServiceFanout *data = g_new0 (PochtaServiceFanout, 1);

  g_task_set_source_tag (task, source_tag);
  data->pending = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) _pochta_service_fanout_free);

  return task;
}

static OpCall *
op_call_new (GTask                *task,
             PochtaServiceAccount *entry)
{
  OpCall *call = g_new0 (OpCall, 1);
  PochtaServiceFanout *data = g_task_get_task_data (task);

  call->task = g_object_ref (task);
  call->entry = entry;
  data->pending++;

  return call;
}

typedef enum
{
  ACTION_FLAGS,
  ACTION_MOVE,
  ACTION_COPY,
  ACTION_DELETE,
} ActionKind;

typedef struct
{
  ActionKind          kind;
  PochtaMessageFlags  add;
  PochtaMessageFlags  remove;
  gint64              dest_folder_id;
} Action;

/* Message ids → their accounts' entries, each with its ids. One lookup
 * per message and one per folder, however large the selection. */
static GHashTable *
group_by_account (PochtaService  *self,
                  const gint64   *message_ids,
                  guint           n_messages,
                  GError        **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < n_messages; i++)
    {
      g_autoptr(PochtaMessageSummary) summary = pochta_store_get_message (self->store, message_ids[i], NULL);
      PochtaServiceAccount *entry = NULL;
      gint64 folder_id;
      GArray *ids;

      if (summary != NULL)
        {
          folder_id = pochta_message_summary_get_folder_id (summary);
          if (!g_hash_table_lookup_extended (folders, &folder_id, NULL, (gpointer *) &entry))
            {
              entry = _pochta_service_entry_for_folder (self, folder_id);
              g_hash_table_insert (folders, g_memdup2 (&folder_id, sizeof folder_id), entry);
            }
        }

      if (entry == NULL)
        {
          g_set_error (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                       _("There is no message %lld"), (long long) message_ids[i]);
          return NULL;
        }

      ids = g_hash_table_lookup (groups, entry);
      if (ids == NULL)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (groups, entry, ids);
        }
      g_array_append_val (ids, message_ids[i]);
    }

  return g_steal_pointer (&groups);
}

static void
run_message_action (PochtaService  *self,
                    GHashTable     *groups,
                    const Action   *action,
                    GTask          *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PochtaServiceAccount *entry = key;

      switch (action->kind)
        {
        case ACTION_FLAGS:
          pochta_offline_set_flags_async (self->store, entry->store_id, value, action->add, action->remove,
                                          cancellable, op_cb, op_call_new (task, entry));
          break;
        case ACTION_MOVE:
          pochta_offline_move_async (self->store, entry->store_id, value, action->dest_folder_id,
                                     cancellable, op_cb, op_call_new (task, entry));
          break;
        case ACTION_COPY:
          pochta_offline_copy_async (self->store, entry->store_id, value, action->dest_folder_id,
                                     cancellable, op_cb, op_call_new (task, entry));
          break;
        case ACTION_DELETE:
        default:
          pochta_offline_delete_async (self->store, entry->store_id, value,
                                       cancellable, op_cb, op_call_new (task, entry));
          break;
        }
    }

  _pochta_service_fanout_step (task);
}

/* Groups the messages and runs @action on each account's share; nothing is
 * queued when one of them is unknown, or (for a move or copy) belongs to
 * another account than the destination. */
static void
message_action (PochtaService       *self,
                const gint64        *message_ids,
                guint                n_messages,
                const Action        *action,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = action_task_new (self, cancellable, callback, user_data, source_tag);
  PochtaServiceFanout *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) groups = NULL;

  groups = group_by_account (self, message_ids, n_messages, &data->error);
  if (groups == NULL)
    {
      _pochta_service_fanout_step (task);
      return;
    }

  if (action->kind == ACTION_MOVE || action->kind == ACTION_COPY)
    {
      PochtaServiceAccount *dest = _pochta_service_entry_for_folder (self, action->dest_folder_id);
      GHashTableIter iter;
      gpointer entry;

      if (dest == NULL)
        data->error = g_error_new_literal (POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                                           _("There is no such folder"));

      /* Moving between accounts would be an APPEND and a delete, which
       * the queue does not do (yet): refuse rather than lose anything. */
      g_hash_table_iter_init (&iter, groups);
      while (data->error == NULL && g_hash_table_iter_next (&iter, &entry, NULL))
        if (entry != dest)
          data->error = g_error_new_literal (POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_INVALID,
                                             _("Messages can only be moved or copied within their account"));

      if (data->error != NULL)
        {
          _pochta_service_fanout_step (task);
          return;
        }
    }

  run_message_action (self, groups, action, task);
}

void
pochta_service_set_flags_async (PochtaService       *self,
                                const gint64        *message_ids,
                                guint                n_messages,
                                PochtaMessageFlags   add,
                                PochtaMessageFlags   remove,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Action action = { ACTION_FLAGS, add, remove, 0 };

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  message_action (self, message_ids, n_messages, &action, cancellable, callback, user_data,
                  pochta_service_set_flags_async);
}

void
pochta_service_move_async (PochtaService       *self,
                           const gint64        *message_ids,
                           guint                n_messages,
                           gint64               dest_folder_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Action action = { ACTION_MOVE, 0, 0, dest_folder_id };

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  message_action (self, message_ids, n_messages, &action, cancellable, callback, user_data,
                  pochta_service_move_async);
}

void
pochta_service_copy_async (PochtaService       *self,
                           const gint64        *message_ids,
                           guint                n_messages,
                           gint64               dest_folder_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Action action = { ACTION_COPY, 0, 0, dest_folder_id };

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  message_action (self, message_ids, n_messages, &action, cancellable, callback, user_data,
                  pochta_service_copy_async);
}

void
pochta_service_delete_async (PochtaService       *self,
                             const gint64        *message_ids,
                             guint                n_messages,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Action action = { ACTION_DELETE, 0, 0, 0 };

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  message_action (self, message_ids, n_messages, &action, cancellable, callback, user_data,
                  pochta_service_delete_async);
}

/* Runs one folder-level operation of the account that owns @folder_id
 * (or of @entry when given). */
static GTask *
folder_action_begin (PochtaService         *self,
                     PochtaServiceAccount **entry,
                     gint64                 folder_id,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data,
                     gpointer               source_tag)
{
  GTask *task = action_task_new (self, cancellable, callback, user_data, source_tag);

  if (*entry == NULL)
    *entry = _pochta_service_entry_for_folder (self, folder_id);

  if (*entry == NULL)
    {
      PochtaServiceFanout *data = g_task_get_task_data (task);

      data->error = g_error_new_literal (POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                                         _("There is no such folder"));
      _pochta_service_fanout_step (task);
      return NULL;
    }

  return task;
}

void
pochta_service_mark_all_read_async (PochtaService       *self,
                                    gint64               folder_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PochtaServiceAccount *entry = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  task = folder_action_begin (self, &entry, folder_id, cancellable, callback, user_data,
                              pochta_service_mark_all_read_async);
  if (task == NULL)
    return;

  pochta_offline_mark_all_read_async (self->store, entry->store_id, folder_id, cancellable,
                                      op_cb, op_call_new (task, entry));
  _pochta_service_fanout_step (task);
}

void
pochta_service_append_async (PochtaService       *self,
                             gint64               folder_id,
                             GBytes              *raw,
                             PochtaMessageFlags   flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PochtaServiceAccount *entry = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (raw != NULL);

  task = folder_action_begin (self, &entry, folder_id, cancellable, callback, user_data,
                              pochta_service_append_async);
  if (task == NULL)
    return;

  pochta_offline_append_async (self->store, entry->store_id, folder_id, raw, flags, cancellable,
                               op_cb, op_call_new (task, entry));
  _pochta_service_fanout_step (task);
}

void
pochta_service_create_folder_async (PochtaService       *self,
                                    PochtaAccount       *account,
                                    const char          *name,
                                    PochtaFolder        *parent,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PochtaServiceAccount *entry;
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (name != NULL);

  entry = _pochta_service_lookup_entry (self, account);
  task = folder_action_begin (self, &entry, 0, cancellable, callback, user_data,
                              pochta_service_create_folder_async);
  if (task == NULL)
    return;

  pochta_offline_create_folder_async (self->store, entry->store_id, name,
                                      parent != NULL ? pochta_folder_get_id (parent) : 0,
                                      cancellable, op_cb, op_call_new (task, entry));
  _pochta_service_fanout_step (task);
}

void
pochta_service_rename_folder_async (PochtaService       *self,
                                    PochtaFolder        *folder,
                                    const char          *new_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PochtaServiceAccount *entry = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_FOLDER (folder));
  g_return_if_fail (new_name != NULL);

  task = folder_action_begin (self, &entry, pochta_folder_get_id (folder), cancellable, callback,
                              user_data, pochta_service_rename_folder_async);
  if (task == NULL)
    return;

  pochta_offline_rename_folder_async (self->store, entry->store_id, pochta_folder_get_id (folder),
                                      new_name, cancellable, op_cb, op_call_new (task, entry));
  _pochta_service_fanout_step (task);
}

void
pochta_service_delete_folder_async (PochtaService       *self,
                                    PochtaFolder        *folder,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PochtaServiceAccount *entry = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_FOLDER (folder));

  task = folder_action_begin (self, &entry, pochta_folder_get_id (folder), cancellable, callback,
                              user_data, pochta_service_delete_folder_async);
  if (task == NULL)
    return;

  pochta_offline_delete_folder_async (self->store, entry->store_id, pochta_folder_get_id (folder),
                                      cancellable, op_cb, op_call_new (task, entry));
  _pochta_service_fanout_step (task);
}

gboolean
pochta_service_action_finish (PochtaService  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pochta_service_flush_async (PochtaService       *self,
                            PochtaAccount       *account,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  PochtaServiceAccount *entry;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_SERVICE (self));

  entry = _pochta_service_lookup_entry (self, account);
  if (entry == NULL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_new_error (task, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                               _("There is no such account"));
      return;
    }

  pochta_account_session_replay_async (entry->session, cancellable, callback, user_data);
}

gboolean
pochta_service_flush_finish (PochtaService  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Test connection */

static void
test_open_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapClient) client = NULL;

  client = pochta_imap_open_finish (result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing to say to the server any more: closing is enough. */
  pochta_connection_abort (pochta_imap_client_get_connection (client));
  g_task_return_boolean (task, TRUE);
}

/* Checks the incoming server; the outgoing one is checked by the SMTP
 * client once it exists. */
void
pochta_service_test_account_async (PochtaService       *self,
                                   PochtaAccount       *account,
                                   const char          *incoming_password,
                                   const char          *outgoing_password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  PochtaServerConfig *server;
  GError *error = NULL;

  g_return_if_fail (POCHTA_IS_SERVICE (self));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_service_test_account_async);

  server = pochta_account_get_incoming (account);
  if (!pochta_server_config_validate (server, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  pochta_imap_open_async (server, incoming_password, FALSE, cancellable, test_open_cb, task);
}

gboolean
pochta_service_test_account_finish (PochtaService  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
