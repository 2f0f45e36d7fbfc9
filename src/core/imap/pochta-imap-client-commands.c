/* pochta-imap-client-commands.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The typed session commands of PochtaImapClient: NOOP, ID, ENABLE, NAMESPACE,
 * and the helpers every command file shares.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

static void
imap_op_free (ImapOp *op)
{
  g_clear_error (&op->error);
  g_clear_pointer (&op->items, g_ptr_array_unref);
  g_clear_pointer (&op->extra, g_ptr_array_unref);
  g_clear_pointer (&op->uids, pochta_imap_sequence_set_free);
  g_clear_pointer (&op->requested, pochta_imap_sequence_set_free);
  g_clear_pointer (&op->mailbox, pochta_imap_mailbox_state_free);
  g_clear_pointer (&op->table, g_hash_table_unref);
  g_clear_pointer (&op->strv, g_strfreev);
  g_clear_pointer (&op->name, g_free);
  if (op->result != NULL && op->result_free != NULL)
    op->result_free (op->result);
  if (op->func_data_destroy != NULL)
    op->func_data_destroy (op->func_data);
  g_clear_object (&op->output);
  g_clear_pointer (&op->pending, g_bytes_unref);
  g_free (op);
}

ImapOp *
_pochta_imap_op_new (GTask      *task,
                     ImapOpDone  done)
{
  ImapOp *op = g_new0 (ImapOp, 1);

  op->done = done;
  g_task_set_task_data (task, op, (GDestroyNotify)imap_op_free);

  return op;
}

gboolean
_pochta_imap_client_utf8 (PochtaImapClient *self)
{
  return self->utf8_enabled;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  ImapOp *op = g_task_get_task_data (task);

  response = _pochta_imap_client_command_finish (self, result, &error);
  if (response == NULL)
    {
      /* A refused SELECT still closed the mailbox selected before (RFC 3501 6.3.1). */
      if (op->deselect_on_error && self->state == POCHTA_IMAP_CLIENT_STATE_SELECTED &&
          (g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO) ||
           g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD)))
        _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&op->error));
      return;
    }

  if (op->done != NULL)
    op->done (self, g_steal_pointer (&task), response);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * _pochta_imap_client_prepare:
 * @task: the operation, with an #ImapOp as task data
 * @builder: (transfer full): the command
 *
 * Untagged answers in @accepts go to @untagged with the op as user data,
 * and the tagged OK to the op's done function (or TRUE without one). Add
 * streams or sinks, then queue it with _pochta_imap_client_submit().
 *
 * Returns: (transfer full): the command
 */
ImapCommand *
_pochta_imap_client_prepare (PochtaImapClient   *self,
                             GTask              *task,
                             PochtaImapCommand  *builder,
                             ImapCommandFlags    flags,
                             const char * const *accepts,
                             ImapUntaggedFunc    untagged)
{
  ImapCommand *command = _pochta_imap_command_new (builder, flags);

  command->accepts = accepts;
  command->untagged = untagged;
  command->user_data = g_task_get_task_data (task);

  return command;
}

/**
 * _pochta_imap_client_submit:
 * @task: (transfer full): the operation; a refused command returns its
 *   error through it
 * @command: (transfer full): from _pochta_imap_client_prepare()
 */
void
_pochta_imap_client_submit (PochtaImapClient *self,
                            GTask            *task,
                            ImapCommand      *command)
{
  _pochta_imap_client_command_async (self, command, g_task_get_cancellable (task), run_cb, task);
}

void
_pochta_imap_client_run (PochtaImapClient   *self,
                         GTask              *task,
                         PochtaImapCommand  *builder,
                         ImapCommandFlags    flags,
                         const char * const *accepts,
                         ImapUntaggedFunc    untagged)
{
  _pochta_imap_client_submit (self, task,
                              _pochta_imap_client_prepare (self, task, builder, flags, accepts, untagged));
}

void
_pochta_imap_client_run_simple (PochtaImapClient    *self,
                                PochtaImapCommand   *builder,
                                gpointer             source_tag,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _pochta_imap_op_new (task, NULL);
  _pochta_imap_client_run (self, task, builder, IMAP_COMMAND_NONE, NULL, NULL);
}

gboolean
_pochta_imap_client_finish_boolean (PochtaImapClient  *self,
                                    GAsyncResult      *result,
                                    gpointer           source_tag,
                                    GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
_pochta_imap_client_finish_pointer (PochtaImapClient  *self,
                                    GAsyncResult      *result,
                                    gpointer           source_tag,
                                    GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keeps the first malformed answer to report once the command is done; the
 * session goes on, as the server is still in step. */
void
_pochta_imap_op_take_error (ImapOp *op,
                            GError *error)
{
  if (op->error == NULL)
    op->error = error;
  else
    g_error_free (error);
}

GTask *
_pochta_imap_task_new (PochtaImapClient    *self,
                       gpointer             source_tag,
                       ImapOpDone           done,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _pochta_imap_op_new (task, done);

  return task;
}

/* Message commands need a selected mailbox; saying so here is clearer
 * than the server's BAD. Consumes @task when it returns TRUE. */
gboolean
_pochta_imap_client_return_if_not_selected (PochtaImapClient *self,
                                            GTask            *task)
{
  if (self->state == POCHTA_IMAP_CLIENT_STATE_SELECTED)
    return FALSE;

  g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                           _("No mailbox is selected"));
  g_object_unref (task);
  return TRUE;
}

void
pochta_imap_client_noop_async (PochtaImapClient    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  _pochta_imap_client_run_simple (self, pochta_imap_command_new ("NOOP"), pochta_imap_client_noop_async,
              cancellable, callback, user_data);
}

gboolean
pochta_imap_client_noop_finish (PochtaImapClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_noop_async, error);
}

static gboolean
id_untagged (PochtaImapClient         *self,
             ImapCommand              *command,
             const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;

  g_clear_pointer (&op->table, g_hash_table_unref);
  op->table = pochta_imap_id_parse (response, &error);
  if (op->table == NULL)
    _pochta_imap_op_take_error (op, error);

  return TRUE;
}

static void
table_done (PochtaImapClient   *self,
            GTask              *task,
            PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  if (op->table == NULL)
    op->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_return_pointer (task, g_steal_pointer (&op->table), (GDestroyNotify)g_hash_table_unref);
  g_object_unref (task);
}

/**
 * pochta_imap_client_id_async:
 * @client_id: (nullable) (element-type utf8 utf8): fields to tell the
 *   server ("name", "version"), or %NULL for NIL
 *
 * Finish returns the server's fields (lower-cased names), possibly none.
 */
void
pochta_imap_client_id_async (PochtaImapClient    *self,
                             GHashTable          *client_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  static const char * const accepts[] = { "ID", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_id_async);
  _pochta_imap_op_new (task, table_done);

  builder = pochta_imap_command_new ("ID");
  if (client_id == NULL || g_hash_table_size (client_id) == 0)
    {
      pochta_imap_command_add_nil (builder);
    }
  else
    {
      GHashTableIter iter;
      gpointer key, value;

      pochta_imap_command_begin_list (builder);
      g_hash_table_iter_init (&iter, client_id);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          pochta_imap_command_add_string (builder, key);
          pochta_imap_command_add_string (builder, value);
        }
      pochta_imap_command_end_list (builder);
    }

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE, accepts, id_untagged);
}

GHashTable *
pochta_imap_client_id_finish (PochtaImapClient  *self,
                              GAsyncResult      *result,
                              GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_id_async, error);
}

static gboolean
enabled_untagged (PochtaImapClient         *self,
                  ImapCommand              *command,
                  const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;
  g_auto(GStrv) names = pochta_imap_enabled_parse (response, &error);

  if (names == NULL)
    {
      _pochta_imap_op_take_error (op, error);
      return TRUE;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      /* RFC 6855: from here on, names and strings travel as UTF-8. */
      if (g_str_equal (names[i], "UTF8=ACCEPT"))
        self->utf8_enabled = TRUE;
      else if (g_str_equal (names[i], "CONDSTORE"))
        self->condstore_enabled = TRUE;
      else if (g_str_equal (names[i], "QRESYNC"))
        self->qresync_enabled = self->condstore_enabled = TRUE;
    }

  if (op->strv == NULL)
    {
      op->strv = g_steal_pointer (&names);
    }
  else
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_addv (builder, (const char **)op->strv);
      g_strv_builder_addv (builder, (const char **)names);
      g_strfreev (op->strv);
      op->strv = g_strv_builder_end (builder);
    }

  return TRUE;
}

static void
strv_done (PochtaImapClient   *self,
           GTask              *task,
           PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  if (op->strv == NULL)
    op->strv = g_new0 (char *, 1);
  g_task_return_pointer (task, g_steal_pointer (&op->strv), (GDestroyNotify)g_strfreev);
  g_object_unref (task);
}

/**
 * pochta_imap_client_enable_async:
 * @extensions: e.g. "CONDSTORE", "QRESYNC", "UTF8=ACCEPT"
 *
 * Finish returns what the server enabled (upper-cased). QRESYNC turns
 * CONDSTORE on too; UTF8=ACCEPT switches mailbox names to UTF-8.
 */
void
pochta_imap_client_enable_async (PochtaImapClient    *self,
                                 const char * const  *extensions,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  static const char * const accepts[] = { "ENABLED", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (extensions != NULL && extensions[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_enable_async);
  _pochta_imap_op_new (task, strv_done);

  if (!pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_ENABLE))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("The server does not support ENABLE"));
      g_object_unref (task);
      return;
    }

  builder = pochta_imap_command_new ("ENABLE");
  for (guint i = 0; extensions[i] != NULL; i++)
    pochta_imap_command_add_atom (builder, extensions[i]);

  /* Later commands must be serialized knowing whether UTF-8 is on. */
  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_BARRIER,
                           accepts, enabled_untagged);
}

char **
pochta_imap_client_enable_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_enable_async, error);
}

static gboolean
namespace_untagged (PochtaImapClient         *self,
                    ImapCommand              *command,
                    const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;
  PochtaImapNamespaces *namespaces;

  namespaces = pochta_imap_namespaces_new_from_response (response, self->utf8_enabled, &error);
  if (namespaces == NULL)
    {
      _pochta_imap_op_take_error (op, error);
      return TRUE;
    }

  if (op->result != NULL)
    pochta_imap_namespaces_free (op->result);
  op->result = namespaces;
  op->result_free = (GDestroyNotify)pochta_imap_namespaces_free;

  return TRUE;
}

/* Done for commands whose untagged data left one result in op->result. */
void
_pochta_imap_result_done (PochtaImapClient   *self,
                          GTask              *task,
                          PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  if (op->result == NULL)
    g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                             _("The server did not send the data asked for"));
  else
    g_task_return_pointer (task, g_steal_pointer (&op->result), op->result_free);
  g_object_unref (task);
}

void
pochta_imap_client_namespace_async (PochtaImapClient    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  static const char * const accepts[] = { "NAMESPACE", NULL };
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_namespace_async);
  _pochta_imap_op_new (task, _pochta_imap_result_done);
  _pochta_imap_client_run (self, task, pochta_imap_command_new ("NAMESPACE"), IMAP_COMMAND_NONE,
                           accepts, namespace_untagged);
}

PochtaImapNamespaces *
pochta_imap_client_namespace_finish (PochtaImapClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_namespace_async, error);
}
