/* pochta-imap-client-mailboxes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mailbox commands of PochtaImapClient: LIST, LSUB, STATUS, CREATE,
 * DELETE, RENAME, SUBSCRIBE.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include "pochta-imap-client-private.h"

static gboolean
list_untagged (PochtaImapClient         *self,
               ImapCommand              *command,
               const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;

  if (g_str_equal (response->keyword, "STATUS"))
    {
      PochtaImapMailboxStatus *status;

      status = pochta_imap_mailbox_status_new_from_response (response, self->utf8_enabled, &error);
      if (status == NULL)
        _pochta_imap_op_take_error (op, error);
      else
        g_ptr_array_add (op->extra, status);
    }
  else
    {
      PochtaImapMailboxInfo *info;

      info = pochta_imap_mailbox_info_new_from_response (response, self->utf8_enabled, &error);
      if (info == NULL)
        _pochta_imap_op_take_error (op, error);
      else
        g_ptr_array_add (op->items, info);
    }

  return TRUE;
}

static void
list_done (PochtaImapClient   *self,
           GTask              *task,
           PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->items), (GDestroyNotify)g_ptr_array_unref);
  g_object_unref (task);
}

/**
 * pochta_imap_client_list_async:
 * @reference: usually ""
 * @pattern: UTF-8, with the wildcards "*" and "%"
 * @status_items: with LIST-STATUS, the STATUS items to return for each
 *   mailbox (0 for none)
 *
 * Asks for special-use attributes where the server has SPECIAL-USE, and
 * for the subscription state (\\Subscribed) where it has LIST-EXTENDED
 * (elsewhere pochta_imap_client_lsub_async() tells). Finish returns the
 * #PochtaImapMailboxInfo of each mailbox and, through
 * @statuses, the #PochtaImapMailboxStatus LIST-STATUS returned (empty
 * without LIST-STATUS: ask with STATUS then).
 */
void
pochta_imap_client_list_async (PochtaImapClient      *self,
                               const char            *reference,
                               const char            *pattern,
                               PochtaImapStatusItems  status_items,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  static const char * const accepts[] = { "LIST", "STATUS", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  gboolean special_use;
  gboolean list_status;
  gboolean subscribed;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (pattern != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_list_async);
  op = _pochta_imap_op_new (task, list_done);
  op->items = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_mailbox_info_free);
  op->extra = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_mailbox_status_free);

  special_use = pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_SPECIAL_USE);
  list_status = status_items != 0 &&
                pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_LIST_STATUS);
  subscribed = pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_LIST_EXTENDED);

  builder = pochta_imap_command_new ("LIST");
  pochta_imap_command_add_mailbox (builder, reference);
  pochta_imap_command_add_mailbox (builder, pattern);

  /* RETURN options are LIST-EXTENDED syntax (RFC 5258), which both
   * SPECIAL-USE and LIST-STATUS servers speak. */
  if (special_use || list_status || subscribed)
    {
      pochta_imap_command_add_atom (builder, "RETURN");
      pochta_imap_command_begin_list (builder);
      if (special_use)
        pochta_imap_command_add_atom (builder, "SPECIAL-USE");
      if (subscribed)
        pochta_imap_command_add_atom (builder, "SUBSCRIBED");
      if (list_status)
        {
          pochta_imap_command_add_atom (builder, "STATUS");
          pochta_imap_command_begin_list (builder);
          _pochta_imap_client_add_status_items (builder, status_items);
          pochta_imap_command_end_list (builder);
        }
      pochta_imap_command_end_list (builder);
    }

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE,
                           accepts, list_untagged);
}

GPtrArray *
pochta_imap_client_list_finish (PochtaImapClient  *self,
                                GAsyncResult      *result,
                                GPtrArray        **statuses,
                                GError           **error)
{
  GPtrArray *items = _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_list_async, error);

  if (statuses != NULL)
    {
      ImapOp *op = g_task_get_task_data (G_TASK (result));

      *statuses = items && op->extra ? g_ptr_array_ref (op->extra) : NULL;
    }

  return items;
}

/**
 * pochta_imap_client_lsub_async:
 * @reference: usually ""
 * @pattern: UTF-8, with the wildcards "*" and "%"
 *
 * The subscribed mailboxes, for servers without LIST-EXTENDED. Finish
 * returns their #PochtaImapMailboxInfo (flagged SUBSCRIBED).
 */
void
pochta_imap_client_lsub_async (PochtaImapClient    *self,
                               const char          *reference,
                               const char          *pattern,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  static const char * const accepts[] = { "LSUB", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (pattern != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_lsub_async);
  op = _pochta_imap_op_new (task, list_done);
  op->items = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_mailbox_info_free);

  builder = pochta_imap_command_new ("LSUB");
  pochta_imap_command_add_mailbox (builder, reference);
  pochta_imap_command_add_mailbox (builder, pattern);

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE,
                           accepts, list_untagged);
}

GPtrArray *
pochta_imap_client_lsub_finish (PochtaImapClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_lsub_async, error);
}

void
_pochta_imap_client_add_status_items (PochtaImapCommand     *builder,
                                      PochtaImapStatusItems  items)
{
  static const struct { PochtaImapStatusItems item; const char *name; } names[] = {
    { POCHTA_IMAP_STATUS_ITEM_MESSAGES, "MESSAGES" },
    { POCHTA_IMAP_STATUS_ITEM_RECENT, "RECENT" },
    { POCHTA_IMAP_STATUS_ITEM_UIDNEXT, "UIDNEXT" },
    { POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY, "UIDVALIDITY" },
    { POCHTA_IMAP_STATUS_ITEM_UNSEEN, "UNSEEN" },
    { POCHTA_IMAP_STATUS_ITEM_HIGHESTMODSEQ, "HIGHESTMODSEQ" },
    { POCHTA_IMAP_STATUS_ITEM_SIZE, "SIZE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (items & names[i].item)
      pochta_imap_command_add_atom (builder, names[i].name);
}

static gboolean
status_untagged (PochtaImapClient         *self,
                 ImapCommand              *command,
                 const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  PochtaImapMailboxStatus *status;
  GError *error = NULL;

  status = pochta_imap_mailbox_status_new_from_response (response, self->utf8_enabled, &error);
  if (status == NULL)
    {
      _pochta_imap_op_take_error (op, error);
      return TRUE;
    }

  /* Answers come in command order, so the first STATUS is this one's; a
   * further one for another name belongs to a STATUS pipelined after it. */
  if (op->result != NULL && g_strcmp0 (status->mailbox, op->name) != 0)
    {
      pochta_imap_mailbox_status_free (status);
      return FALSE;
    }

  if (op->result != NULL)
    pochta_imap_mailbox_status_free (op->result);
  op->result = status;
  op->result_free = (GDestroyNotify)pochta_imap_mailbox_status_free;

  return TRUE;
}

/**
 * pochta_imap_client_status_async:
 * @mailbox: UTF-8 name
 * @items: what to ask for; HIGHESTMODSEQ needs CONDSTORE
 */
void
pochta_imap_client_status_async (PochtaImapClient      *self,
                                 const char            *mailbox,
                                 PochtaImapStatusItems  items,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  static const char * const accepts[] = { "STATUS", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail (items != 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_status_async);
  op = _pochta_imap_op_new (task, _pochta_imap_result_done);
  op->name = g_strdup (mailbox);

  builder = pochta_imap_command_new ("STATUS");
  pochta_imap_command_add_mailbox (builder, mailbox);
  pochta_imap_command_begin_list (builder);
  _pochta_imap_client_add_status_items (builder, items);
  pochta_imap_command_end_list (builder);

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE,
                           accepts, status_untagged);
}

PochtaImapMailboxStatus *
pochta_imap_client_status_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_status_async, error);
}

static void
mailbox_command (PochtaImapClient    *self,
                 const char          *name,
                 const char          *mailbox,
                 const char          *second,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  PochtaImapCommand *builder = pochta_imap_command_new (name);

  pochta_imap_command_add_mailbox (builder, mailbox);
  if (second != NULL)
    pochta_imap_command_add_mailbox (builder, second);
  _pochta_imap_client_run_simple (self, builder, source_tag, cancellable, callback, user_data);
}

void
pochta_imap_client_create_async (PochtaImapClient    *self,
                                 const char          *mailbox,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  mailbox_command (self, "CREATE", mailbox, NULL, pochta_imap_client_create_async,
                   cancellable, callback, user_data);
}

gboolean
pochta_imap_client_create_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_create_async, error);
}

void
pochta_imap_client_delete_async (PochtaImapClient    *self,
                                 const char          *mailbox,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  mailbox_command (self, "DELETE", mailbox, NULL, pochta_imap_client_delete_async,
                   cancellable, callback, user_data);
}

gboolean
pochta_imap_client_delete_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_delete_async, error);
}

void
pochta_imap_client_rename_async (PochtaImapClient    *self,
                                 const char          *mailbox,
                                 const char          *new_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail (new_name != NULL);

  mailbox_command (self, "RENAME", mailbox, new_name, pochta_imap_client_rename_async,
                   cancellable, callback, user_data);
}

gboolean
pochta_imap_client_rename_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_rename_async, error);
}

/**
 * pochta_imap_client_subscribe_async:
 * @subscribe: %TRUE for SUBSCRIBE, %FALSE for UNSUBSCRIBE
 */
void
pochta_imap_client_subscribe_async (PochtaImapClient    *self,
                                    const char          *mailbox,
                                    gboolean             subscribe,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  mailbox_command (self, subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", mailbox, NULL,
                   pochta_imap_client_subscribe_async, cancellable, callback, user_data);
}

gboolean
pochta_imap_client_subscribe_finish (PochtaImapClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_subscribe_async, error);
}
