/* pochta-imap-client-select.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SELECT/EXAMINE with CONDSTORE and QRESYNC, and UNSELECT/CLOSE, for PochtaImapClient.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

static gboolean
select_untagged (PochtaImapClient         *self,
                 ImapCommand              *command,
                 const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  PochtaImapMailboxState *mailbox = op->mailbox;
  const char *keyword = response->keyword;
  GError *error = NULL;

  if (response->status != POCHTA_IMAP_STATUS_NONE)
    {
      /* [CLOSED] ends the old mailbox (RFC 7162 3.2.11); what follows is about the new one. */
      _pochta_imap_mailbox_state_apply_code (mailbox, response);
      return response->code != NULL;
    }

  if (g_str_equal (keyword, "EXISTS") && response->has_number)
    mailbox->exists = (guint32)MIN (response->number, G_MAXUINT32);
  else if (g_str_equal (keyword, "RECENT") && response->has_number)
    mailbox->recent = (guint32)MIN (response->number, G_MAXUINT32);
  else if (g_str_equal (keyword, "FLAGS"))
    {
      g_strfreev (mailbox->flags);
      mailbox->flags = _pochta_imap_strv_from_list (pochta_imap_value_list_get (response->data, 0));
    }
  else if (g_str_equal (keyword, "VANISHED"))
    {
      g_autoptr(PochtaImapVanished) vanished = pochta_imap_vanished_new_from_response (response, &error);
      guint n;

      if (vanished == NULL)
        {
          _pochta_imap_op_take_error (op, error);
          return TRUE;
        }

      if (mailbox->vanished == NULL)
        mailbox->vanished = pochta_imap_sequence_set_new ();
      n = pochta_imap_sequence_set_get_n_ranges (vanished->uids);
      for (guint i = 0; i < n; i++)
        {
          guint32 first, last;

          pochta_imap_sequence_set_get_range (vanished->uids, i, &first, &last);
          pochta_imap_sequence_set_add_range (mailbox->vanished, first, last);
        }
    }
  else if (g_str_equal (keyword, "FETCH"))
    {
      PochtaImapFetch *fetch = pochta_imap_fetch_new_from_response (response, &error);

      if (fetch == NULL)
        {
          _pochta_imap_op_take_error (op, error);
          return TRUE;
        }
      if (mailbox->changes == NULL)
        mailbox->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_fetch_free);
      g_ptr_array_add (mailbox->changes, fetch);
    }
  else
    return FALSE;

  return TRUE;
}

static void
select_done (PochtaImapClient   *self,
             GTask              *task,
             PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  _pochta_imap_mailbox_state_apply_code (op->mailbox, response);
  if (op->mailbox->vanished != NULL)
    pochta_imap_sequence_set_normalize (op->mailbox->vanished);

  g_clear_pointer (&self->selected, pochta_imap_mailbox_state_free);
  _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_SELECTED);
  self->selected = pochta_imap_mailbox_state_copy (op->mailbox);

  g_task_return_pointer (task, g_steal_pointer (&op->mailbox),
                         (GDestroyNotify)pochta_imap_mailbox_state_free);
  g_object_unref (task);
}

/**
 * pochta_imap_client_select_async:
 * @mailbox: UTF-8 name
 * @flags: %POCHTA_IMAP_SELECT_READ_ONLY for EXAMINE; CONDSTORE to get
 *   HIGHESTMODSEQ
 * @qresync_uidvalidity: with QRESYNC enabled and non-zero, the known
 *   UIDVALIDITY: the server then reports what changed since @qresync_modseq
 * @qresync_known_uids: (nullable): the UIDs the cache holds
 *
 * Finish returns the mailbox's state, with VANISHED (EARLIER) and the FETCH
 * changes of a QRESYNC select in vanished and changes.
 */
void
pochta_imap_client_select_async (PochtaImapClient            *self,
                                 const char                  *mailbox,
                                 PochtaImapSelectFlags        flags,
                                 guint32                      qresync_uidvalidity,
                                 guint64                      qresync_modseq,
                                 const PochtaImapSequenceSet *qresync_known_uids,
                                 GCancellable                *cancellable,
                                 GAsyncReadyCallback          callback,
                                 gpointer                     user_data)
{
  static const char * const accepts[] = { "EXISTS", "RECENT", "FLAGS", "VANISHED", "FETCH",
                                          "OK", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  gboolean qresync;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_select_async);
  op = _pochta_imap_op_new (task, select_done);
  op->mailbox = pochta_imap_mailbox_state_new (mailbox);
  op->mailbox->read_only = (flags & POCHTA_IMAP_SELECT_READ_ONLY) != 0;
  op->deselect_on_error = TRUE;

  qresync = qresync_uidvalidity != 0 && qresync_modseq != 0;
  if (qresync && !self->qresync_enabled)
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("QRESYNC must be enabled before a QRESYNC select"));
      g_object_unref (task);
      return;
    }

  builder = pochta_imap_command_new ((flags & POCHTA_IMAP_SELECT_READ_ONLY) ? "EXAMINE" : "SELECT");
  pochta_imap_command_add_mailbox (builder, mailbox);

  if (qresync)
    {
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_atom (builder, "QRESYNC");
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_number (builder, qresync_uidvalidity);
      pochta_imap_command_add_number (builder, qresync_modseq);
      if (qresync_known_uids != NULL && !pochta_imap_sequence_set_is_empty (qresync_known_uids))
        pochta_imap_command_add_sequence_set (builder, qresync_known_uids);
      pochta_imap_command_end_list (builder);
      pochta_imap_command_end_list (builder);
    }
  else if ((flags & POCHTA_IMAP_SELECT_CONDSTORE) &&
           pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_CONDSTORE))
    {
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_atom (builder, "CONDSTORE");
      pochta_imap_command_end_list (builder);
    }

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder),
                           IMAP_COMMAND_BARRIER | IMAP_COMMAND_SELECT, accepts, select_untagged);
}

PochtaImapMailboxState *
pochta_imap_client_select_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_select_async, error);
}

static void
unselect_done (PochtaImapClient   *self,
               GTask              *task,
               PochtaImapResponse *response)
{
  _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * pochta_imap_client_unselect_async:
 *
 * UNSELECT where offered, else CLOSE (which also expunges \Deleted
 * messages, as RFC 3501 defines it).
 */
void
pochta_imap_client_unselect_async (PochtaImapClient    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  const char *name;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_unselect_async);
  _pochta_imap_op_new (task, unselect_done);

  name = pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_UNSELECT) ? "UNSELECT" : "CLOSE";
  _pochta_imap_client_run (self, task, pochta_imap_command_new (name),
                           IMAP_COMMAND_BARRIER | IMAP_COMMAND_SELECT, NULL, NULL);
}

gboolean
pochta_imap_client_unselect_finish (PochtaImapClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return _pochta_imap_client_finish_boolean (self, result, pochta_imap_client_unselect_async, error);
}
