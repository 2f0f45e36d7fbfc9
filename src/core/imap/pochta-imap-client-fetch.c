/* pochta-imap-client-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UID FETCH for PochtaImapClient: typed results per message or collected, bodies streamed to a sink, and UID SEARCH.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

void
_pochta_imap_sequence_set_merge (PochtaImapSequenceSet       **into,
                                 const PochtaImapSequenceSet  *from)
{
  guint n = pochta_imap_sequence_set_get_n_ranges (from);

  if (*into == NULL)
    *into = pochta_imap_sequence_set_new ();

  for (guint i = 0; i < n; i++)
    {
      guint32 first, last;

      pochta_imap_sequence_set_get_range (from, i, &first, &last);
      pochta_imap_sequence_set_add_range (*into, first, last);
    }
}

gboolean
_pochta_imap_client_fetch_untagged (PochtaImapClient         *self,
                                    ImapCommand              *command,
                                    const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;

  if (g_str_equal (response->keyword, "VANISHED"))
    {
      g_autoptr(PochtaImapVanished) vanished = pochta_imap_vanished_new_from_response (response, &error);

      /* Only VANISHED (EARLIER) answers the FETCH; the other kind is news. */
      if (vanished == NULL)
        _pochta_imap_op_take_error (op, error);
      else if (!vanished->earlier)
        return FALSE;
      else
        _pochta_imap_sequence_set_merge (&op->uids, vanished->uids);
      return TRUE;
    }

  {
    g_autoptr(PochtaImapFetch) fetch = NULL;
    PochtaImapFetchView view;
    gboolean ok;
    guint32 uid;
    guint64 modseq;

    /* The header sync reads the items in place; everyone else gets them typed. */
    if (op->view_func != NULL)
      ok = pochta_imap_fetch_view_init (&view, response, &error);
    else
      ok = (fetch = pochta_imap_fetch_new_from_response (response, &error)) != NULL;
    if (!ok)
      {
        _pochta_imap_op_take_error (op, error);
        return TRUE;
      }
    uid = fetch != NULL ? fetch->uid : view.uid;
    modseq = fetch != NULL ? fetch->modseq : view.modseq;

    /* Pipelined fetches are answered in any order (Dovecot runs them side
     * by side), and a message outside the set is someone else's news. */
    if (op->requested != NULL && !pochta_imap_sequence_set_contains (op->requested, uid))
      return FALSE;

    if (self->selected != NULL && modseq > self->selected->highestmodseq)
      self->selected->highestmodseq = modseq;

    if (op->view_func != NULL)
      {
        if (!op->view_func (self, &view, op->func_data, &error))
          _pochta_imap_op_take_error (op, error);
      }
    else if (op->func != NULL)
      op->func (self, fetch, op->func_data);
    else
      g_ptr_array_add (op->items, g_steal_pointer (&fetch));
  }

  return TRUE;
}

static void
fetch_done (PochtaImapClient   *self,
            GTask              *task,
            PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&op->items), (GDestroyNotify)g_ptr_array_unref);
  g_object_unref (task);
}

static char *
normalize_items (const char *items)
{
  g_autofree char *stripped = g_strstrip (g_strdup (items));

  /* One item may go bare, several need parentheses; adding them always is simpler. */
  if (stripped[0] == '(')
    return g_steal_pointer (&stripped);
  return g_strdup_printf ("(%s)", stripped);
}

static void
start_uid_fetch (PochtaImapClient            *self,
                 const PochtaImapSequenceSet *uids,
                 const char                  *items,
                 guint64                      changed_since,
                 gboolean                     vanished,
                 PochtaImapFetchFunc          func,
                 PochtaImapFetchViewFunc      view_func,
                 gpointer                     func_data,
                 GDestroyNotify               func_data_destroy,
                 GCancellable                *cancellable,
                 GAsyncReadyCallback          callback,
                 gpointer                     user_data)
{
  static const char * const accepts[] = { "FETCH", "VANISHED", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  g_autofree char *normalized = NULL;
  ImapOp *op;
  GTask *task;

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_fetch_async, fetch_done, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->func = func;
  op->view_func = view_func;
  op->func_data = func_data;
  op->func_data_destroy = func_data_destroy;
  op->items = g_ptr_array_new_with_free_func ((GDestroyNotify)pochta_imap_fetch_free);
  op->requested = pochta_imap_sequence_set_copy (uids);
  pochta_imap_sequence_set_normalize (op->requested);

  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  normalized = normalize_items (items);
  builder = pochta_imap_command_new ("UID FETCH");
  pochta_imap_command_add_sequence_set (builder, uids);
  pochta_imap_command_add_raw (builder, normalized);

  if (changed_since > 0)
    {
      pochta_imap_command_begin_list (builder);
      pochta_imap_command_add_atom (builder, "CHANGEDSINCE");
      pochta_imap_command_add_number (builder, changed_since);
      if (vanished && self->qresync_enabled)
        pochta_imap_command_add_atom (builder, "VANISHED");
      pochta_imap_command_end_list (builder);
    }

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_UID,
                           accepts, _pochta_imap_client_fetch_untagged);
}

/**
 * pochta_imap_client_uid_fetch_async:
 * @uids: the UIDs (a range ending in 4294967295 stands for "*")
 * @items: the FETCH items, e.g. "UID FLAGS ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)]";
 *   UID is always returned
 * @changed_since: with CONDSTORE, only messages whose MODSEQ is higher (0: all)
 * @vanished: with QRESYNC enabled and @changed_since, also report the
 *   expunged UIDs in the set (VANISHED (EARLIER))
 * @func: (nullable): called for each message as it arrives; without it
 *   the messages are collected and returned by finish
 *
 * Finish returns the collected #PochtaImapFetch (empty when @func was
 * given) and the vanished UIDs.
 */
void
pochta_imap_client_uid_fetch_async (PochtaImapClient            *self,
                                    const PochtaImapSequenceSet *uids,
                                    const char                  *items,
                                    guint64                      changed_since,
                                    gboolean                     vanished,
                                    PochtaImapFetchFunc          func,
                                    gpointer                     func_data,
                                    GDestroyNotify               func_data_destroy,
                                    GCancellable                *cancellable,
                                    GAsyncReadyCallback          callback,
                                    gpointer                     user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));
  g_return_if_fail (items != NULL);

  start_uid_fetch (self, uids, items, changed_since, vanished, func, NULL, func_data, func_data_destroy,
                   cancellable, callback, user_data);
}

/**
 * pochta_imap_client_uid_fetch_view_async:
 * @func: called for each message as it arrives, with its items read in
 *   place
 *
 * A UID FETCH whose answers are not decoded into #PochtaImapFetch: for
 * callers that take a few items of many messages (the header sync).
 * Finished by pochta_imap_client_uid_fetch_finish(), which returns an
 * empty array.
 */
void
pochta_imap_client_uid_fetch_view_async (PochtaImapClient            *self,
                                         const PochtaImapSequenceSet *uids,
                                         const char                  *items,
                                         PochtaImapFetchViewFunc      func,
                                         gpointer                     func_data,
                                         GDestroyNotify               func_data_destroy,
                                         GCancellable                *cancellable,
                                         GAsyncReadyCallback          callback,
                                         gpointer                     user_data)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && !pochta_imap_sequence_set_is_empty (uids));
  g_return_if_fail (items != NULL);
  g_return_if_fail (func != NULL);

  start_uid_fetch (self, uids, items, 0, FALSE, NULL, func, func_data, func_data_destroy,
                   cancellable, callback, user_data);
}

/**
 * pochta_imap_client_uid_fetch_finish:
 * @vanished: (out) (optional) (transfer full) (nullable): UIDs reported
 *   by VANISHED (EARLIER), or %NULL for none
 *
 * Returns: (transfer container) (element-type PochtaImapFetch): the messages
 */
GPtrArray *
pochta_imap_client_uid_fetch_finish (PochtaImapClient       *self,
                                     GAsyncResult           *result,
                                     PochtaImapSequenceSet **vanished,
                                     GError                **error)
{
  GPtrArray *items = _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_uid_fetch_async, error);

  if (vanished != NULL)
    {
      ImapOp *op = g_task_get_task_data (G_TASK (result));

      *vanished = items != NULL ? g_steal_pointer (&op->uids) : NULL;
      if (*vanished != NULL)
        pochta_imap_sequence_set_normalize (*vanished);
    }

  return items;
}

static gboolean
body_untagged (PochtaImapClient         *self,
               ImapCommand              *command,
               const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  g_autoptr(PochtaImapFetch) fetch = NULL;
  GError *error = NULL;

  fetch = pochta_imap_fetch_new_from_response (response, &error);
  if (fetch == NULL)
    {
      _pochta_imap_op_take_error (op, error);
      return TRUE;
    }

  if (fetch->uid != op->uid)
    return FALSE;

  for (guint i = 0; i < fetch->sections->len; i++)
    {
      const PochtaImapFetchSection *section = g_ptr_array_index (fetch->sections, i);

      op->found = TRUE;
      op->size = section->size;
      /* Small bodies come inline (a quoted string); written at the end. */
      if (!section->streamed && section->data != NULL)
        {
          g_clear_pointer (&op->pending, g_bytes_unref);
          op->pending = g_bytes_ref (section->data);
          op->size = g_bytes_get_size (section->data);
        }
    }

  return TRUE;
}

static void
body_pending_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ImapOp *op = g_task_get_task_data (task);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&op->size, sizeof op->size), g_free);
}

static void
body_done (PochtaImapClient   *self,
           GTask              *task,
           PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  if (!op->found)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("There is no message with UID %u in this mailbox"), op->uid);
      g_object_unref (task);
      return;
    }

  if (op->pending != NULL && g_bytes_get_size (op->pending) > 0)
    {
      g_output_stream_write_all_async (op->output,
                                       g_bytes_get_data (op->pending, NULL),
                                       g_bytes_get_size (op->pending),
                                       G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                       body_pending_cb, task);
      return;
    }

  g_task_return_pointer (task, g_memdup2 (&op->size, sizeof op->size), g_free);
  g_object_unref (task);
}

/**
 * pochta_imap_client_uid_fetch_body_async:
 * @section: (nullable): "" or %NULL for the whole message, else a section
 *   such as "1.2" or "HEADER"
 * @output: receives the bytes as they arrive, never all held in memory;
 *   it is not closed
 *
 * BODY.PEEK[section], so \Seen is not set. Finish returns the number of
 * bytes written; a UID that does not exist is %G_IO_ERROR_NOT_FOUND.
 */
void
pochta_imap_client_uid_fetch_body_async (PochtaImapClient    *self,
                                         guint32              uid,
                                         const char          *section,
                                         GOutputStream       *output,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  static const char * const accepts[] = { "FETCH", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  g_autofree char *item = NULL;
  ImapCommand *command;
  ImapOp *op;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (uid > 0);
  g_return_if_fail (G_IS_OUTPUT_STREAM (output));

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_fetch_body_async, body_done, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->uid = uid;
  op->output = g_object_ref (output);

  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  item = g_strdup_printf ("(UID BODY.PEEK[%s])", section ? section : "");
  builder = pochta_imap_command_new ("UID FETCH");
  pochta_imap_command_add_number (builder, uid);
  pochta_imap_command_add_raw (builder, item);

  command = _pochta_imap_client_prepare (self, task, g_steal_pointer (&builder),
                                         IMAP_COMMAND_UID | IMAP_COMMAND_STREAM_BODIES,
                                         accepts, body_untagged);
  command->body_sink = g_object_ref (output);
  command->body_uid = uid;
  _pochta_imap_client_submit (self, task, command);
}

guint64
pochta_imap_client_uid_fetch_body_finish (PochtaImapClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_autofree guint64 *size = _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_uid_fetch_body_async, error);

  return size ? *size : 0;
}

static gboolean
search_untagged (PochtaImapClient         *self,
                 ImapCommand              *command,
                 const PochtaImapResponse *response)
{
  ImapOp *op = command->user_data;
  GError *error = NULL;

  if (op->uids == NULL)
    op->uids = pochta_imap_sequence_set_new ();

  if (g_str_equal (response->keyword, "ESEARCH"))
    {
      g_autoptr(PochtaImapEsearch) esearch = pochta_imap_esearch_new_from_response (response, &error);

      if (esearch == NULL)
        _pochta_imap_op_take_error (op, error);
      else if (esearch->all != NULL)
        _pochta_imap_sequence_set_merge (&op->uids, esearch->all);
    }
  else
    {
      g_autoptr(GArray) numbers = pochta_imap_search_parse (response, NULL, &error);

      if (numbers == NULL)
        _pochta_imap_op_take_error (op, error);
      else
        for (guint i = 0; i < numbers->len; i++)
          pochta_imap_sequence_set_add (op->uids, g_array_index (numbers, guint32, i));
    }

  return TRUE;
}

static void
search_done (PochtaImapClient   *self,
             GTask              *task,
             PochtaImapResponse *response)
{
  ImapOp *op = g_task_get_task_data (task);

  if (op->uids == NULL)
    op->uids = pochta_imap_sequence_set_new ();
  pochta_imap_sequence_set_normalize (op->uids);
  g_task_return_pointer (task, g_steal_pointer (&op->uids), (GDestroyNotify)pochta_imap_sequence_set_free);
  g_object_unref (task);
}

/**
 * pochta_imap_client_uid_search_async:
 * @criteria: search keys as IMAP text, e.g. "UNSEEN SINCE 1-Feb-2024"
 *
 * ESEARCH (RETURN (ALL)) where offered, which keeps large answers small.
 * Finish returns the matching UIDs, possibly none.
 */
void
pochta_imap_client_uid_search_async (PochtaImapClient    *self,
                                     const char          *criteria,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  static const char * const accepts[] = { "SEARCH", "ESEARCH", NULL };
  g_autoptr(PochtaImapCommand) builder = NULL;
  GTask *task;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (criteria != NULL && *criteria != '\0');

  task = _pochta_imap_task_new (self, pochta_imap_client_uid_search_async, search_done, cancellable, callback, user_data);
  if (_pochta_imap_client_return_if_not_selected (self, task))
    return;

  builder = pochta_imap_command_new ("UID SEARCH");
  if (pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_ESEARCH))
    pochta_imap_command_add_raw (builder, "RETURN (ALL)");
  pochta_imap_command_add_raw (builder, criteria);

  _pochta_imap_client_run (self, task, g_steal_pointer (&builder), IMAP_COMMAND_NONE,
                           accepts, search_untagged);
}

PochtaImapSequenceSet *
pochta_imap_client_uid_search_finish (PochtaImapClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return _pochta_imap_client_finish_pointer (self, result, pochta_imap_client_uid_search_async, error);
}

