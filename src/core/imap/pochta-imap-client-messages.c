/* pochta-imap-client-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message-changing commands of PochtaImapClient: UID STORE, COPY, MOVE, EXPUNGE and APPEND.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

static PochtaImapSequenceSet *
code_set (const PochtaImapResponse *response,
          guint                     index)
{
  const char *text = pochta_imap_value_get_text (pochta_imap_value_list_get (response->code_args, index));

  return text ? pochta_imap_sequence_set_parse (text, 0, 0, NULL) : NULL;
}

static void
store_done (PochtaImapClient   *self,
            GTask              *task,
            PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  /* RFC 7162 3.1.3: what UNCHANGEDSINCE kept from being changed. */
  g_clear_pointer (&op->uids, pochta_imap_sequence_set_free);
  if (g_strcmp0 (response->code, "MODIFIED") == 0)
    op->uids = code_set (response, 0);

  g_task_return_pointer (task, g_steal_pointer (&op->items), (GDestroyNotify)g_ptr_array_unref);
  g_object_unref (task);
}

/**
 * pochta_imap_client_uid_store_async:
 * @silent: .SILENT: no FETCH answers (except with UNCHANGEDSINCE, which
 *   still reports the new MODSEQ)
 * @unchanged_since: with CONDSTORE, change only messages whose MODSEQ is
 *   not above this (0: no condition)
 *
 * Finish returns the FETCH answers (new flags, MODSEQ) and, through
 * @modified, the UIDs left unchanged because they changed since.
 */
void
pochta_imap_client_uid_store_async (PochtaImapClient            *self,
                                    const PochtaImapSequenceSet *uids,
                                    PochtaImapStoreAction        action,
                                    const char * const          *flags,
                                    gboolean                     silent,
                                    guint64                      unchanged_since,
                                    GCancellable                *cancellable,
                                    GAsyncReadyCallback          callback,
                                    gpointer                     user_data)
{
  static const char * const accepts[] = { "FETCH", NULL };
  static const char * const names[] = { "+FLAGS", "-FLAGS", "FLAGS" };
  g_autoptr(PochtaImapCommand) builder = NULL;
  g_autofree char *item = NULL;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));
  g_return_if_fail (action <= POCHTA_IMAP_STORE_REPLACE);

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_store_async, store_done, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->items = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_fetch_free);
  op->requested = pochta_imap_sequence_set_copy (uids);
  pochta_imap_sequence_set_normalize (op->requested);
  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  builder = pochta_imap_command_new ("UID STORE");
  pochta_imap_command_add_sequence_set (builder, uids);
  if (unchanged_since > 0)
    {
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_atom (builder, "UNCHANGEDSINCE");
      pochta_imap_command_add_number (builder, unchanged_since);
      pochta_imap_command_end_list (builder);
    }
  item = g_strconcat (names[action], silent ? ".SILENT" : "", NULL);
  pochta_imap_command_add_atom (builder, item);
  pochta_imap_command_begin_list (builder);
  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    pochta_imap_command_add_atom (builder, flags[i]);
  pochta_imap_command_end_list (builder);

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_UID,
                           accepts, _pochta_imap_client_fetch_untagged);
}

/**
 * pochta_imap_client_uid_store_finish:
 * @modified: (out) (optional) (transfer full) (nullable): UIDs not
 *   changed because of UNCHANGEDSINCE
 *
 * Returns: (transfer container) (element-type PochtaImapFetch): the answers
 */
GPtrArray *
pochta_imap_client_uid_store_finish (PochtaImapClient       *self,
                                     GAsyncResult           *result,
                                     PochtaImapSequenceSet **modified,
                                     GError                **error)
{
  GPtrArray *items = _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_uid_store_async, error);

  if (modified != NULL)
    {
      ImapOp *op = g_task_get_task_data (G_TASK (result));

      *modified = items != NULL ? g_steal_pointer (&op->uids) : NULL;
    }

  return items;
}

typedef struct
{
  guint32                uidvalidity;
  PochtaImapSequenceSet *source;
  PochtaImapSequenceSet *destination;
} CopyUid;

static void
copy_uid_free (CopyUid *copy)
{
  g_clear_pointer (&copy->source, pochta_imap_sequence_set_free);
  g_clear_pointer (&copy->destination, pochta_imap_sequence_set_free);
  g_free (copy);
}

/* [COPYUID uidvalidity source-set destination-set] (RFC 4315). */
static CopyUid *
copy_uid_from_response (const PochtaImapResponse *response)
{
  CopyUid *copy;
  guint64 uidvalidity;

  if (g_strcmp0 (response->code, "COPYUID") != 0 ||
      !pochta_imap_value_get_number (pochta_imap_value_list_get (response->code_args, 0), &uidvalidity))
    return NULL;

  copy = g_new0 (CopyUid, 1);
  copy->uidvalidity = (guint32)uidvalidity;
  copy->source = code_set (response, 1);
  copy->destination = code_set (response, 2);
  if (copy->source == NULL || copy->destination == NULL)
    {
      copy_uid_free (copy);
      return NULL;
    }

  return copy;
}

static gboolean
take_copy_uid (ImapOp                   *op,
               const PochtaImapResponse *response)
{
  CopyUid *copy = copy_uid_from_response (response);

  if (copy == NULL)
    return FALSE;

  if (op->result != NULL)
    copy_uid_free (op->result);
  op->result = copy;
  op->result_free = (GDestroyNotify)copy_uid_free;
  return TRUE;
}

/* MOVE reports COPYUID in an untagged OK before the expunges (RFC 6851). */
static gboolean
move_untagged (PochtaImapClient         *self,
               ImapCommand              *command,
               const PochtaImapResponse *response)
{
  return take_copy_uid (command->user_data, response);
}

static void
copy_done (PochtaImapClient   *self,
           GTask              *task,
           PochtaImapResponse *response)
{
  take_copy_uid (g_task_get_task_data (task), response);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
copy_command (PochtaImapClient            *self,
              GTask                       *task,
              const char                  *name,
              const PochtaImapSequenceSet *uids,
              const char                  *destination)
{
  static const char * const accepts[] = { "OK", NULL };
  PochtaImapCommand *builder = pochta_imap_command_new (name);

  pochta_imap_command_add_sequence_set (builder, uids);
  pochta_imap_command_add_mailbox (builder, destination);
  _pochta_imap_client_run (self, task, builder, IMAP_COMMAND_NONE, accepts, move_untagged);
}

/**
 * pochta_imap_client_uid_copy_async:
 * @destination: UTF-8 name
 *
 * A missing destination fails with a [TRYCREATE] code in the error.
 */
void
pochta_imap_client_uid_copy_async (PochtaImapClient            *self,
                                   const PochtaImapSequenceSet *uids,
                                   const char                  *destination,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));
  g_return_if_fail (destination != NULL);

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_copy_async, copy_done, cancellable, callback, user_data);
  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  copy_command (self, task, "UID COPY", uids, destination);
}

static gboolean
copy_finish (PochtaImapClient       *self,
             GAsyncResult           *result,
             gpointer                source_tag,
             guint32                *uidvalidity,
             PochtaImapSequenceSet **source_uids,
             PochtaImapSequenceSet **destination_uids,
             GError                **error)
{
  ImapOp *op;
  CopyUid *copy;

  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (uidvalidity != NULL)
    *uidvalidity = 0;
  if (source_uids != NULL)
    *source_uids = NULL;
  if (destination_uids != NULL)
    *destination_uids = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  op = g_task_get_task_data (G_TASK (result));
  copy = op->result;
  if (copy == NULL)
    return TRUE;

  if (uidvalidity != NULL)
    *uidvalidity = copy->uidvalidity;
  if (source_uids != NULL)
    *source_uids = g_steal_pointer (&copy->source);
  if (destination_uids != NULL)
    *destination_uids = g_steal_pointer (&copy->destination);

  return TRUE;
}

/**
 * pochta_imap_client_uid_copy_finish:
 * @uidvalidity: (out) (optional): of the destination, 0 without UIDPLUS
 * @source_uids: (out) (optional) (transfer full) (nullable): from COPYUID
 * @destination_uids: (out) (optional) (transfer full) (nullable): the
 *   new UIDs, in the order of @source_uids
 */
gboolean
pochta_imap_client_uid_copy_finish (PochtaImapClient       *self,
                                    GAsyncResult           *result,
                                    guint32                *uidvalidity,
                                    PochtaImapSequenceSet **source_uids,
                                    PochtaImapSequenceSet **destination_uids,
                                    GError                **error)
{
  return copy_finish (self, result, pochta_imap_client_uid_copy_async,
                      uidvalidity, source_uids, destination_uids, error);
}

static void move_step (PochtaImapClient *self,
                       GTask            *task);

static void
move_step_cb (GObject      *object,
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
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->step == 1)
    take_copy_uid (op, response);

  move_step (self, g_steal_pointer (&task));
}

/* Without MOVE: COPY, then flag \Deleted, then expunge just those UIDs
 * (UID EXPUNGE, UIDPLUS); plain EXPUNGE is the last resort, which also
 * removes other messages someone flagged \Deleted. */
static void
move_step (PochtaImapClient *self,
           GTask            *owned)
{
  g_autoptr(GTask) task = owned;
  ImapOp *op = g_task_get_task_data (task);
  PochtaImapCommand *builder;
  GCancellable *cancellable;

  op->step++;
  switch (op->step)
    {
    case 1:
      builder = pochta_imap_command_new ("UID COPY");
      pochta_imap_command_add_sequence_set (builder, op->uids);
      pochta_imap_command_add_mailbox (builder, op->name);
      break;

    case 2:
      builder = pochta_imap_command_new ("UID STORE");
      pochta_imap_command_add_sequence_set (builder, op->uids);
      pochta_imap_command_add_atom (builder, "+FLAGS.SILENT");
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_atom (builder, "\\Deleted");
      pochta_imap_command_end_list (builder);
      break;

    case 3:
      if (pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_UIDPLUS))
        {
          builder = pochta_imap_command_new ("UID EXPUNGE");
          pochta_imap_command_add_sequence_set (builder, op->uids);
        }
      else
        builder = pochta_imap_command_new ("EXPUNGE");
      break;

    default:
      g_task_return_boolean (task, TRUE);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  _pochta_imap_client_command_async (self, _pochta_imap_command_new (builder, IMAP_COMMAND_NONE),
                                     cancellable, move_step_cb,
                                     g_steal_pointer (&task));
}

/**
 * pochta_imap_client_uid_move_async:
 *
 * MOVE where offered; otherwise COPY, STORE +FLAGS.SILENT (\Deleted) and
 * UID EXPUNGE (or EXPUNGE without UIDPLUS). The expunges arrive as the
 * expunge/vanished signals; finish gives the COPYUID mapping.
 */
void
pochta_imap_client_uid_move_async (PochtaImapClient            *self,
                                   const PochtaImapSequenceSet *uids,
                                   const char                  *destination,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));
  g_return_if_fail (destination != NULL);

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_move_async, copy_done, cancellable, callback, user_data);
  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  if (pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_MOVE))
    {
      copy_command (self, task, "UID MOVE", uids, destination);
      return;
    }

  op = g_task_get_task_data (task);
  op->uids = pochta_imap_sequence_set_copy (uids);
  op->name = g_strdup (destination);
  move_step (self, task);
}

gboolean
pochta_imap_client_uid_move_finish (PochtaImapClient       *self,
                                    GAsyncResult           *result,
                                    guint32                *uidvalidity,
                                    PochtaImapSequenceSet **source_uids,
                                    PochtaImapSequenceSet **destination_uids,
                                    GError                **error)
{
  return copy_finish (self, result, pochta_imap_client_uid_move_async,
                      uidvalidity, source_uids, destination_uids, error);
}

/**
 * pochta_imap_client_uid_expunge_async:
 *
 * Expunges only these UIDs (UIDPLUS); %POCHTA_IMAP_ERROR_CAPABILITY
 * without it, since a plain EXPUNGE could remove more.
 */
void
pochta_imap_client_uid_expunge_async (PochtaImapClient            *self,
                                      const PochtaImapSequenceSet *uids,
                                      GCancellable                *cancellable,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  PochtaImapCommand *builder;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_expunge_async, NULL, cancellable, callback, user_data);
  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  if (!pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_UIDPLUS))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("The server cannot expunge single messages (no UIDPLUS)"));
      g_object_unref (task);
      return;
    }

  builder = pochta_imap_command_new ("UID EXPUNGE");
  pochta_imap_command_add_sequence_set (builder, uids);
  _pochta_imap_client_run (self, task, builder, IMAP_COMMAND_NONE, NULL, NULL);
}

gboolean
pochta_imap_client_uid_expunge_finish (PochtaImapClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_uid_expunge_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
append_done (PochtaImapClient   *self,
             GTask              *task,
             PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);
  guint64 uidvalidity = 0;
  guint64 uid = 0;

  /* [APPENDUID uidvalidity uid] (RFC 4315). */
  if (g_strcmp0 (response->code, "APPENDUID") == 0 &&
      pochta_imap_value_get_number (pochta_imap_value_list_get (response->code_args, 0), &uidvalidity) &&
      pochta_imap_value_get_number (pochta_imap_value_list_get (response->code_args, 1), &uid))
    {
      op->uidvalidity = (guint32)uidvalidity;
      op->uid = (guint32)uid;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * pochta_imap_client_append_async:
 * @mailbox: UTF-8 name
 * @flags: (nullable): flags to set, e.g. "\\Seen"
 * @internal_date: (nullable): the INTERNALDATE to give it
 * @message: (nullable): the whole message, or %NULL to read @stream_size
 *   bytes of @stream instead (sent in pieces, never held in memory)
 *
 * A missing mailbox fails with [TRYCREATE] in the error
 * (pochta_imap_client_error_get_code()).
 */
void
pochta_imap_client_append_async (PochtaImapClient    *self,
                                 const char          *mailbox,
                                 const char * const  *flags,
                                 GDateTime           *internal_date,
                                 GBytes              *message,
                                 GInputStream        *stream,
                                 guint64              stream_size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(PochtaImapCommand) builder = NULL;
  ImapCommand *command;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail ((message != NULL) != (stream != NULL));
  g_return_if_fail (stream == NULL || stream_size > 0);

  task = _pochta_imap_task_new (self, pochta_imap_client_append_async, append_done, cancellable, callback, user_data);

  builder = pochta_imap_command_new ("APPEND");
  pochta_imap_command_add_mailbox (builder, mailbox);
  if (flags != NULL && flags[0] != NULL)
    {
      pochta_imap_command_begin_list (builder);
      for (guint i = 0; flags[i] != NULL; i++)
        pochta_imap_command_add_atom (builder, flags[i]);
      pochta_imap_command_end_list (builder);
    }
  if (internal_date != NULL)
    {
      g_autofree char *date = pochta_imap_internaldate_format (internal_date);

      pochta_imap_command_add_string (builder, date);
    }
  if (message != NULL)
    pochta_imap_command_add_literal (builder, message);

  command = _pochta_imap_client_prepare (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE,
                                         NULL, NULL);
  if (stream != NULL)
    {
      command->stream = g_object_ref (stream);
      command->stream_size = stream_size;
    }
  _pochta_imap_client_submit (self, task, command);
}

/**
 * pochta_imap_client_append_finish:
 * @uidvalidity: (out) (optional): from APPENDUID, 0 without UIDPLUS
 * @uid: (out) (optional): the new message's UID, 0 without UIDPLUS
 */
gboolean
pochta_imap_client_append_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  guint32           *uidvalidity,
                                  guint32           *uid,
                                  GError           **error)
{
  ImapOp *op;

  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_append_async, FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (uidvalidity != NULL)
    *uidvalidity = op->uidvalidity;
  if (uid != NULL)
    *uid = op->uid;

  return g_task_propagate_boolean (G_TASK (result), error);
}
