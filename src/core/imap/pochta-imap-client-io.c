/* pochta-imap-client-io.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine of PochtaImapClient: command queue, pipelined writer, reader loop and dispatch.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-connection.h"
#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"
#include "pochta-net-error.h"

static void process_input (PochtaImapClient *self);
static void write_next    (PochtaImapClient *self);
static void stream_step   (PochtaImapClient *self);
static gboolean write_raw_queued (PochtaImapClient *self);

ImapCommand *
_pochta_imap_command_new (PochtaImapCommand *builder,
                          ImapCommandFlags   flags)
{
  ImapCommand *command = g_new0 (ImapCommand, 1);

  command->ref_count = 1;
  command->builder = builder;
  command->name = g_strdup (pochta_imap_command_get_name (builder));
  command->flags = flags;

  return command;
}

ImapCommand *
_pochta_imap_command_ref (ImapCommand *command)
{
  command->ref_count++;
  return command;
}

void
_pochta_imap_command_unref (ImapCommand *command)
{
  if (--command->ref_count > 0)
    return;

  g_assert (command->task == NULL);

  if (command->cancel_source != NULL)
    g_source_destroy (command->cancel_source);
  g_clear_pointer (&command->cancel_source, g_source_unref);
  g_clear_pointer (&command->builder, pochta_imap_command_free);
  g_clear_pointer (&command->chunks, g_ptr_array_unref);
  g_clear_pointer (&command->tag, g_free);
  g_clear_pointer (&command->name, g_free);
  g_clear_pointer (&command->search_tag, g_free);
  g_clear_pointer (&command->sink_error, g_error_free);
  g_clear_object (&command->stream);
  g_clear_object (&command->body_sink);
  g_free (command);
}

/* Ends the caller's side of a command; the command itself may live on
 * (abandoned) until the server has answered it. */
static void
command_return (ImapCommand        *command,
                PochtaImapResponse *response,
                GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&command->task);

  if (command->cancel_source != NULL)
    g_source_destroy (command->cancel_source);
  g_clear_pointer (&command->cancel_source, g_source_unref);

  command->user_data = NULL;
  command->untagged = NULL;
  g_clear_object (&command->body_sink);

  if (task == NULL)
    {
      g_clear_pointer (&response, pochta_imap_response_free);
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, response, (GDestroyNotify)pochta_imap_response_free);
}

/* IDLE is bounded while it waits for "+" and after DONE, not in between. */
static gboolean
command_needs_timeout (const ImapCommand *command)
{
  return !(command->flags & IMAP_COMMAND_NO_TIMEOUT) || command->done_sent || !command->idle_accepted;
}

static gboolean
on_watchdog (gpointer user_data)
{
  PochtaImapClient *self = user_data;
  g_autoptr(GError) error = NULL;

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       ngettext ("The IMAP server did not answer within %u second",
                                 "The IMAP server did not answer within %u seconds",
                                 self->command_timeout),
                       self->command_timeout);
  _pochta_imap_client_fail (self, error);

  return G_SOURCE_CONTINUE;
}

/* One timer for the whole session, pushed forward by every byte read or
 * written: a slow but moving transfer never times out, silence does. */
void
_pochta_imap_client_update_watchdog (PochtaImapClient *self)
{
  gboolean needed = self->streaming && self->stream_target != NULL;

  if (self->fatal_error == NULL && self->command_timeout > 0 && !needed)
    {
      for (GList *l = self->in_flight.head; l != NULL && !needed; l = l->next)
        needed = command_needs_timeout (l->data);
      needed = needed || self->greeting_task != NULL || self->writing != NULL;
    }

  if (self->fatal_error != NULL || self->command_timeout == 0)
    needed = FALSE;

  if (!needed)
    {
      if (self->watchdog != NULL)
        g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
      return;
    }

  if (self->watchdog == NULL)
    {
      self->watchdog = g_timeout_source_new_seconds (self->command_timeout);
      g_source_set_static_name (self->watchdog, "[pochta] imap command timeout");
      g_source_set_callback (self->watchdog, on_watchdog, self, NULL);
      g_source_attach (self->watchdog, g_main_context_get_thread_default ());
    }

  g_source_set_ready_time (self->watchdog,
                           g_get_monotonic_time () + (gint64)self->command_timeout * G_USEC_PER_SEC);
}

static gboolean
on_command_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  ImapCommand *command = user_data;
  PochtaImapClient *self;

  if (command->task == NULL)
    return G_SOURCE_REMOVE;

  self = g_task_get_source_object (command->task);

  /* A command the server has not seen yet simply leaves the queue; one it
   * has seen must still be answered, so it is only abandoned. */
  if (!command->started && g_queue_remove (&self->queue, command))
    {
      command_return (command, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                          _("Operation was cancelled")));
      _pochta_imap_command_unref (command);
      return G_SOURCE_REMOVE;
    }

  if (self->stream_target == command)
    g_clear_object (&self->literal_sink);
  command_return (command, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      _("Operation was cancelled")));

  return G_SOURCE_REMOVE;
}

/**
 * _pochta_imap_client_command_async:
 * @command: (transfer full): the command to queue
 *
 * Completes with the tagged OK response; a tagged NO or BAD is an error
 * carrying the server's text.
 */
void
_pochta_imap_client_command_async (PochtaImapClient    *self,
                                   ImapCommand         *command,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _pochta_imap_client_command_async);

  if (self->fatal_error != NULL || self->state == POCHTA_IMAP_CLIENT_STATE_DISCONNECTED)
    {
      if (self->fatal_error != NULL)
        g_task_return_error (task, g_error_copy (self->fatal_error));
      else
        g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED,
                                 _("Not connected to the IMAP server"));
      _pochta_imap_command_unref (command);
      return;
    }

  command->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      command->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (command->cancel_source, "[pochta] imap command cancel");
      g_source_set_callback (command->cancel_source, G_SOURCE_FUNC (on_command_cancelled),
                             command, NULL);
      g_source_attach (command->cancel_source, g_main_context_get_thread_default ());
    }

  g_queue_push_tail (&self->queue, command);
  _pochta_imap_client_pump (self);
}

PochtaImapResponse *
_pochta_imap_client_command_finish (PochtaImapClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == _pochta_imap_client_command_async);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
barrier_in_flight (PochtaImapClient *self)
{
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (command->flags & IMAP_COMMAND_BARRIER)
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  PochtaImapClient *self;
  ImapCommand      *command;  /* NULL for raw lines */
  gsize             length;
} WriteOp;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  WriteOp *op = user_data;
  g_autoptr(PochtaImapClient) self = op->self;
  g_autoptr(GError) error = NULL;
  ImapCommand *command = op->command;
  gsize length = op->length;

  g_free (op);
  self->writer_busy = FALSE;

  if (!pochta_connection_write_finish (POCHTA_CONNECTION (object), result, &error))
    {
      if (command != NULL)
        _pochta_imap_command_unref (command);
      _pochta_imap_client_fail (self, error);
      return;
    }

  _pochta_imap_client_update_watchdog (self);

  if (command == NULL)
    {
      if (write_raw_queued (self))
        return;
      if (self->writing != NULL && !self->writing->waiting_continuation)
        write_next (self);
      else
        _pochta_imap_client_pump (self);
      return;
    }

  if (command == self->writing && command->next_chunk < command->chunks->len)
    {
      PochtaImapCommandChunk *chunk = g_ptr_array_index (command->chunks, command->next_chunk);

      command->chunk_offset += length;
      if (command->chunk_offset >= g_bytes_get_size (chunk->data))
        {
          command->chunk_offset = 0;
          command->next_chunk++;
          if (chunk->wait_continuation)
            command->waiting_continuation = TRUE;
        }
    }
  else if (command == self->writing && command->stream != NULL)
    {
      command->stream_sent += length;
    }

  _pochta_imap_command_unref (command);

  if (write_raw_queued (self))
    return;

  if (self->writing != NULL && !self->writing->waiting_continuation)
    write_next (self);
  else
    _pochta_imap_client_pump (self);
}

static void
write_bytes (PochtaImapClient *self,
             ImapCommand      *command,
             GBytes           *bytes,
             gboolean          secret)
{
  WriteOp *op = g_new0 (WriteOp, 1);

  op->self = g_object_ref (self);
  op->command = command ? _pochta_imap_command_ref (command) : NULL;
  op->length = g_bytes_get_size (bytes);

  self->writer_busy = TRUE;
  pochta_connection_set_read_timeout (self->connection, self->command_timeout);
  pochta_connection_write_async (self->connection, bytes,
                                 secret ? POCHTA_WRITE_FLAGS_SECRET : POCHTA_WRITE_FLAGS_NONE,
                                 NULL, write_cb, op);
}

/* Writes one line outside any command: IDLE's DONE, an AUTHENTICATE
 * response. Both answer the server, which has read the whole command by
 * then, so they only wait for the write in progress, if any. */
void
_pochta_imap_client_write_raw (PochtaImapClient *self,
                               const char       *line,
                               gboolean          secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (line, strlen (line));

  if (self->writer_busy)
    {
      g_queue_push_tail (&self->raw_lines, g_steal_pointer (&bytes));
      g_queue_push_tail (&self->raw_lines, GUINT_TO_POINTER (secret));
      return;
    }

  write_bytes (self, NULL, bytes, secret);
}

static gboolean
write_raw_queued (PochtaImapClient *self)
{
  g_autoptr(GBytes) bytes = g_queue_pop_head (&self->raw_lines);
  gboolean secret;

  if (bytes == NULL)
    return FALSE;

  secret = GPOINTER_TO_UINT (g_queue_pop_head (&self->raw_lines));
  write_bytes (self, NULL, bytes, secret);
  return TRUE;
}

static void
stream_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PochtaImapClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  ImapCommand *command = self->writing;

  self->writer_busy = FALSE;
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (self->fatal_error != NULL)
    return;

  if (bytes != NULL && g_bytes_get_size (bytes) == 0)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                 _("The message stream ended before its announced size"));

  /* The server is owed exactly the announced number of bytes; anything
   * less leaves the connection out of step, so it has to go. */
  if (error != NULL)
    {
      g_prefix_error (&error, _("Could not read the message to upload: "));
      _pochta_imap_client_fail (self, error);
      return;
    }

  write_bytes (self, command, bytes, FALSE);
}

static void
write_next (PochtaImapClient *self)
{
  ImapCommand *command = self->writing;

  g_assert (command != NULL);
  g_assert (!self->writer_busy);

  if (command->next_chunk < command->chunks->len)
    {
      PochtaImapCommandChunk *chunk = g_ptr_array_index (command->chunks, command->next_chunk);
      gsize size = g_bytes_get_size (chunk->data);
      gsize piece = MIN (size - command->chunk_offset, IMAP_IO_CHUNK);
      g_autoptr(GBytes) bytes = NULL;

      if (command->chunk_offset == 0 && piece == size)
        bytes = g_bytes_ref (chunk->data);
      else
        bytes = g_bytes_new_from_bytes (chunk->data, command->chunk_offset, piece);

      write_bytes (self, command, bytes, chunk->secret);
      return;
    }

  if (command->stream != NULL && command->stream_sent < command->stream_size)
    {
      gsize piece = MIN (command->stream_size - command->stream_sent, IMAP_IO_CHUNK);

      self->writer_busy = TRUE;
      g_input_stream_read_bytes_async (command->stream, piece, G_PRIORITY_DEFAULT, NULL,
                                       stream_read_cb, g_object_ref (self));
      return;
    }

  if (command->stream != NULL)
    {
      g_autoptr(GBytes) crlf = g_bytes_new_static ("\r\n", 2);

      /* Sent last: the command line is then complete. */
      g_clear_object (&command->stream);
      write_bytes (self, command, crlf, FALSE);
      return;
    }

  self->writing = NULL;
  _pochta_imap_command_unref (command);
  _pochta_imap_client_pump (self);
}

/* A literal read from a stream ends the command line: its announcement
 * replaces the final CRLF, and the stream's bytes and a CRLF follow. */
static void
append_stream_literal (PochtaImapClient *self,
                       ImapCommand      *command)
{
  PochtaImapSerializeFlags flags = _pochta_imap_client_serialize_flags (self);
  PochtaImapCommandChunk *last = g_ptr_array_index (command->chunks, command->chunks->len - 1);
  g_autofree char *header = NULL;
  gboolean non_sync;
  GByteArray *array;
  const guint8 *data;
  gsize size;

  non_sync = (flags & POCHTA_IMAP_SERIALIZE_LITERAL_PLUS) ||
             ((flags & POCHTA_IMAP_SERIALIZE_LITERAL_MINUS) &&
              command->stream_size <= POCHTA_IMAP_LITERAL_MINUS_MAX);
  header = g_strdup_printf (" {%" G_GUINT64_FORMAT "%s}\r\n", command->stream_size, non_sync ? "+" : "");

  data = g_bytes_get_data (last->data, &size);
  g_assert (size >= 2);
  array = g_byte_array_sized_new (size + strlen (header));
  g_byte_array_append (array, data, size - 2);
  g_byte_array_append (array, (const guint8 *)header, strlen (header));
  g_bytes_unref (last->data);
  last->data = g_byte_array_free_to_bytes (array);
  last->wait_continuation = !non_sync;
}

static void
start_command (PochtaImapClient *self,
               ImapCommand      *command)
{
  g_autoptr(GError) error = NULL;

  command->tag = g_strdup_printf ("P%u", ++self->tag_counter);
  pochta_imap_command_set_tag (command->builder, command->tag);
  command->chunks = pochta_imap_command_serialize (command->builder,
                                                   _pochta_imap_client_serialize_flags (self),
                                                   &error);
  if (command->chunks == NULL)
    {
      command_return (command, NULL, g_steal_pointer (&error));
      _pochta_imap_command_unref (command);
      return;
    }

  if (command->stream != NULL)
    append_stream_literal (self, command);

  command->started = TRUE;
  g_queue_push_tail (&self->in_flight, command);
  self->writing = _pochta_imap_command_ref (command);

  if (command->continuation == _pochta_imap_client_idle_continuation)
    self->idle = command;

  write_next (self);
  _pochta_imap_client_update_watchdog (self);
}

/* Starts the next queued command when the pipeline allows it. */
void
_pochta_imap_client_pump (PochtaImapClient *self)
{
  while (self->fatal_error == NULL && !self->writer_busy && self->writing == NULL &&
         !self->reader_paused && self->greeting_task == NULL)
    {
      ImapCommand *command = g_queue_peek_head (&self->queue);

      /* Anything else to say ends IDLE first (RFC 2177: DONE). */
      if (self->idle != NULL)
        {
          if (self->idle->idle_accepted && !self->idle->done_sent &&
              (command != NULL || self->idle_stop_requested || self->idle_renewing))
            {
              self->idle->done_sent = TRUE;
              _pochta_imap_client_write_raw (self, "DONE\r\n", FALSE);
              _pochta_imap_client_update_watchdog (self);
              _pochta_imap_client_notify_idling (self);
            }
          return;
        }

      if (command == NULL)
        return;

      if (barrier_in_flight (self))
        return;
      if ((command->flags & IMAP_COMMAND_BARRIER) && self->in_flight.length > 0)
        return;

      g_queue_pop_head (&self->queue);
      start_command (self, command);
    }
}

static gboolean
keyword_accepted (const ImapCommand *command,
                  const char        *keyword)
{
  if (command->accepts == NULL || keyword == NULL)
    return FALSE;

  for (guint i = 0; command->accepts[i] != NULL; i++)
    if (g_ascii_strcasecmp (command->accepts[i], keyword) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
fetch_has_uid (const PochtaImapResponse *response)
{
  const PochtaImapValue *items = pochta_imap_value_list_get (response->data, 0);
  guint n;

  if (items == NULL || items->type != POCHTA_IMAP_VALUE_LIST)
    return FALSE;

  n = pochta_imap_value_list_size (items);
  for (guint i = 0; i + 1 < n; i += 2)
    if (pochta_imap_value_is_atom (pochta_imap_value_list_get (items, i), "UID"))
      return TRUE;

  return FALSE;
}

/* ESEARCH answers name the command they answer: (TAG "P12"). */
static gboolean
esearch_matches (const ImapCommand        *command,
                 const PochtaImapResponse *response)
{
  const PochtaImapValue *correlator = pochta_imap_value_list_get (response->data, 0);
  const PochtaImapValue *tag;

  if (correlator == NULL || correlator->type != POCHTA_IMAP_VALUE_LIST ||
      pochta_imap_value_list_size (correlator) != 2 ||
      !pochta_imap_value_is_atom (pochta_imap_value_list_get (correlator, 0), "TAG"))
    return TRUE;

  tag = pochta_imap_value_list_get (correlator, 1);
  return g_strcmp0 (pochta_imap_value_get_text (tag), command->tag) == 0;
}

static const char *
response_keyword (const PochtaImapResponse *response)
{
  switch (response->status)
    {
    case POCHTA_IMAP_STATUS_OK: return "OK";
    case POCHTA_IMAP_STATUS_NO: return "NO";
    case POCHTA_IMAP_STATUS_BAD: return "BAD";
    case POCHTA_IMAP_STATUS_BYE: return "BYE";
    case POCHTA_IMAP_STATUS_PREAUTH: return "PREAUTH";
    case POCHTA_IMAP_STATUS_NONE:
    default:
      return response->keyword;
    }
}

static gboolean
route_untagged (PochtaImapClient         *self,
                const PochtaImapResponse *response)
{
  const char *keyword = response_keyword (response);
  gboolean is_fetch = g_strcmp0 (keyword, "FETCH") == 0;
  gboolean is_esearch = g_strcmp0 (keyword, "ESEARCH") == 0;
  gboolean checked_uid = FALSE;
  gboolean has_uid = FALSE;

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (command->untagged == NULL || !keyword_accepted (command, keyword))
        continue;
      if (is_esearch && !esearch_matches (command, response))
        continue;

      /* Servers may send FETCH for flags changed by others at any time;
       * one without a UID is not the answer to a UID FETCH/STORE. */
      if (is_fetch && (command->flags & IMAP_COMMAND_UID))
        {
          if (!checked_uid)
            has_uid = fetch_has_uid (response);
          checked_uid = TRUE;
          if (!has_uid)
            continue;
        }

      if (command->untagged (self, command, response))
        return TRUE;
    }

  return FALSE;
}

static ImapCommand *
find_in_flight (PochtaImapClient *self,
                const char       *tag)
{
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (g_strcmp0 (command->tag, tag) == 0)
        return command;
    }

  return NULL;
}

static void
handle_tagged (PochtaImapClient   *self,
               PochtaImapResponse *response)
{
  ImapCommand *command = find_in_flight (self, response->tag);
  GError *error = NULL;

  if (command == NULL)
    {
      g_autoptr(GError) protocol_error = NULL;

      protocol_error = g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                    _("The IMAP server answered a command that was never sent (tag “%s”)"),
                                    response->tag);
      pochta_imap_response_free (response);
      _pochta_imap_client_fail (self, protocol_error);
      return;
    }

  g_queue_remove (&self->in_flight, command);

  /* A refused synchronizing literal gets a tagged NO instead of "+"; the
   * rest of that command is then never sent. */
  if (command == self->writing && command->waiting_continuation)
    {
      self->writing = NULL;
      _pochta_imap_command_unref (command);
    }

  if (command == self->idle)
    {
      self->idle = NULL;
      _pochta_imap_client_idle_ended (self);
    }

  if ((command->flags & IMAP_COMMAND_PAUSE_READER) && response->status == POCHTA_IMAP_STATUS_OK)
    self->reader_paused = TRUE;

  _pochta_imap_client_handle_code (self, response, (command->flags & IMAP_COMMAND_SELECT) != 0);

  if (response->status != POCHTA_IMAP_STATUS_OK)
    error = _pochta_imap_client_error_from_tagged (response, command->name);
  else if (command->sink_error != NULL)
    error = g_error_copy (command->sink_error);

  if (error != NULL)
    {
      pochta_imap_response_free (response);
      command_return (command, NULL, error);
    }
  else
    {
      command_return (command, response, NULL);
    }

  _pochta_imap_command_unref (command);
  _pochta_imap_client_update_watchdog (self);
  _pochta_imap_client_pump (self);
}

static void
handle_continuation (PochtaImapClient   *self,
                     PochtaImapResponse *response)
{
  g_autoptr(PochtaImapResponse) owned = response;

  if (self->writing != NULL && self->writing->waiting_continuation)
    {
      self->writing->waiting_continuation = FALSE;
      if (!self->writer_busy)
        write_next (self);
      return;
    }

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      /* The "+" may overtake the completion of the command's last write,
       * so the command may still be the one being written. */
      if (command->continuation != NULL)
        {
          command->continuation (self, command, response);
          return;
        }
    }

  {
    g_autoptr(GError) error = NULL;

    error = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                 _("The IMAP server asked for data no command is sending"));
    _pochta_imap_client_fail (self, error);
  }
}

static void
handle_greeting (PochtaImapClient   *self,
                 PochtaImapResponse *response)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->greeting_task);

  if (response->kind != POCHTA_IMAP_RESPONSE_UNTAGGED ||
      (response->status != POCHTA_IMAP_STATUS_OK &&
       response->status != POCHTA_IMAP_STATUS_PREAUTH &&
       response->status != POCHTA_IMAP_STATUS_BYE))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                               _("The server did not greet like an IMAP server"));
      pochta_imap_response_free (response);
      return;
    }

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    {
      self->bye_received = TRUE;
      g_free (self->bye_text);
      self->bye_text = g_strdup (response->text);
    }

  _pochta_imap_client_handle_code (self, response, TRUE);
  g_task_return_pointer (task, response, (GDestroyNotify)pochta_imap_response_free);
}

static void
dispatch (PochtaImapClient   *self,
          PochtaImapResponse *response)
{
  gboolean consumed;

  if (self->greeting_task != NULL)
    {
      handle_greeting (self, response);
      return;
    }

  switch (response->kind)
    {
    case POCHTA_IMAP_RESPONSE_TAGGED:
      handle_tagged (self, response);
      return;

    case POCHTA_IMAP_RESPONSE_CONTINUATION:
      handle_continuation (self, response);
      return;

    case POCHTA_IMAP_RESPONSE_UNTAGGED:
    default:
      break;
    }

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    {
      self->bye_received = TRUE;
      g_free (self->bye_text);
      self->bye_text = g_strdup (response->text);
    }

  consumed = route_untagged (self, response);

  /* A command that took the response (SELECT) applied its mailbox codes. */
  if (response->status != POCHTA_IMAP_STATUS_NONE)
    _pochta_imap_client_handle_code (self, response, consumed);

  if (!consumed)
    _pochta_imap_client_handle_unsolicited (self, response);

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    _pochta_imap_client_emit_bye (self, response->text);

  pochta_imap_response_free (response);
}

static GError *
error_for_lost_connection (PochtaImapClient *self,
                           const GError     *error)
{
  if (self->bye_received)
    return g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE,
                        _("The IMAP server ended the session: %s"),
                        self->bye_text && *self->bye_text ? self->bye_text : _("no reason given"));

  if (g_error_matches (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED))
    return g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED,
                                _("The IMAP server closed the connection"));

  return g_error_copy (error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PochtaImapClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  self->reading = FALSE;
  bytes = pochta_connection_read_chunk_finish (POCHTA_CONNECTION (object), result, &error);

  if (self->fatal_error != NULL)
    return;

  if (bytes == NULL)
    {
      g_autoptr(GError) lost = error_for_lost_connection (self, error);

      _pochta_imap_client_fail (self, lost);
      return;
    }

  g_clear_pointer (&self->input, g_bytes_unref);
  self->input = g_steal_pointer (&bytes);
  self->input_offset = 0;
  _pochta_imap_client_update_watchdog (self);

  if (self->streaming)
    stream_step (self);
  else
    process_input (self);
}

static void
read_more (PochtaImapClient *self,
           gsize             max)
{
  if (self->reading || self->fatal_error != NULL)
    return;

  self->reading = TRUE;
  /* The reader waits as long as the server is silent; the watchdog bounds
   * the waits that matter, those for a command's answer. */
  pochta_connection_set_read_timeout (self->connection, 0);
  pochta_connection_read_chunk_async (self->connection, max, self->reader_cancellable,
                                      read_cb, g_object_ref (self));
}

typedef struct
{
  PochtaImapClient *self;
  GBytes           *piece;  /* kept alive until the write ends */
} SinkWriteOp;

static void
sink_write_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SinkWriteOp *op = user_data;
  g_autoptr(PochtaImapClient) self = op->self;
  g_autoptr(GError) error = NULL;

  g_bytes_unref (op->piece);
  g_free (op);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* The literal is still drained from the connection, which stays in
       * step; the command reports the sink's error at its end. */
      if (self->stream_target != NULL && self->stream_target->sink_error == NULL &&
          self->literal_sink == (gpointer)object)
        self->stream_target->sink_error = g_steal_pointer (&error);
      g_clear_object (&self->literal_sink);
    }

  if (self->fatal_error != NULL)
    return;

  stream_step (self);
}

static void
stream_step (PochtaImapClient *self)
{
  gsize available;

  if (self->literal_remaining == 0)
    {
      self->streaming = FALSE;
      g_clear_object (&self->literal_sink);
      g_clear_pointer (&self->stream_target, _pochta_imap_command_unref);
      pochta_imap_parser_literal_streamed (self->parser);
      process_input (self);
      return;
    }

  available = self->input ? g_bytes_get_size (self->input) - self->input_offset : 0;
  if (available == 0)
    {
      read_more (self, MIN (self->literal_remaining, IMAP_IO_CHUNK));
      return;
    }

  {
    gsize n = MIN (available, self->literal_remaining);
    g_autoptr(GBytes) piece = g_bytes_new_from_bytes (self->input, self->input_offset, n);

    self->input_offset += n;
    self->literal_remaining -= n;

    if (self->literal_sink != NULL)
      {
        SinkWriteOp *op = g_new0 (SinkWriteOp, 1);

        op->self = g_object_ref (self);
        op->piece = g_steal_pointer (&piece);
        g_output_stream_write_all_async (self->literal_sink, g_bytes_get_data (op->piece, NULL), n,
                                         G_PRIORITY_DEFAULT, NULL, sink_write_cb, op);
        return;
      }
  }

  stream_step (self);
}

static void
begin_stream (PochtaImapClient *self)
{
  self->streaming = TRUE;
  self->literal_remaining = pochta_imap_parser_get_literal_size (self->parser);

  g_clear_object (&self->literal_sink);
  if (self->stream_target != NULL && self->stream_target->body_sink != NULL &&
      self->stream_target->sink_error == NULL)
    self->literal_sink = g_object_ref (self->stream_target->body_sink);

  stream_step (self);
}

static void
process_input (PochtaImapClient *self)
{
  g_autoptr(PochtaImapClient) hold = g_object_ref (self);

  while (self->fatal_error == NULL && !self->streaming)
    {
      g_autoptr(GError) error = NULL;
      PochtaImapParseResult result;
      const char *data;
      gsize size;
      gsize consumed = 0;

      /* After STARTTLS or COMPRESS the next bytes belong to a new layer. */
      if (self->reader_paused)
        return;

      data = self->input ? g_bytes_get_data (self->input, &size) : NULL;
      if (data == NULL || self->input_offset >= size)
        {
          g_clear_pointer (&self->input, g_bytes_unref);
          read_more (self, IMAP_IO_CHUNK);
          return;
        }

      result = pochta_imap_parser_feed (self->parser, data + self->input_offset,
                                        size - self->input_offset, &consumed, &error);
      self->input_offset += consumed;

      switch (result)
        {
        case POCHTA_IMAP_PARSE_NEED_MORE:
          break;

        case POCHTA_IMAP_PARSE_RESPONSE:
          dispatch (self, pochta_imap_parser_take_response (self->parser));
          break;

        case POCHTA_IMAP_PARSE_STREAM_LITERAL:
          begin_stream (self);
          return;

        case POCHTA_IMAP_PARSE_ERROR:
        default:
          _pochta_imap_client_fail (self, error);
          return;
        }
    }
}

static gboolean
is_body_item (const char *item)
{
  if (item == NULL)
    return FALSE;

  return g_ascii_strncasecmp (item, "BODY[", 5) == 0 ||
         g_ascii_strncasecmp (item, "BINARY[", 7) == 0 ||
         g_ascii_strcasecmp (item, "RFC822") == 0 ||
         g_ascii_strcasecmp (item, "RFC822.TEXT") == 0;
}

/* Decides, as a literal starts, whether it is a body that a command wants
 * streamed; everything else is held in memory within the parser's limits. */
static gboolean
literal_func (PochtaImapParser *parser,
              guint64           size,
              gpointer          user_data)
{
  PochtaImapClient *self = user_data;
  const PochtaImapResponse *partial = pochta_imap_parser_get_partial (parser);
  const PochtaImapValue *open;
  const PochtaImapValue *last;
  guint64 uid = 0;
  guint n;

  if (partial == NULL || partial->kind != POCHTA_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (partial->keyword, "FETCH") != 0)
    return FALSE;

  open = pochta_imap_parser_get_open_list (parser);
  n = open ? pochta_imap_value_list_size (open) : 0;
  if (n == 0 || n % 2 == 0)
    return FALSE;

  last = pochta_imap_value_list_get (open, n - 1);
  if (last->type != POCHTA_IMAP_VALUE_ATOM || !is_body_item (last->data))
    return FALSE;

  /* Pipelined body fetches are told apart by the UID when it came first. */
  for (guint i = 0; i + 1 < n; i += 2)
    if (pochta_imap_value_is_atom (pochta_imap_value_list_get (open, i), "UID"))
      pochta_imap_value_get_number (pochta_imap_value_list_get (open, i + 1), &uid);

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if ((command->flags & IMAP_COMMAND_STREAM_BODIES) &&
          (uid == 0 || command->body_uid == 0 || command->body_uid == uid))
        {
          g_clear_pointer (&self->stream_target, _pochta_imap_command_unref);
          self->stream_target = _pochta_imap_command_ref (command);
          return TRUE;
        }
    }

  return FALSE;
}

void
_pochta_imap_client_reset_parser (PochtaImapClient *self)
{
  g_clear_pointer (&self->parser, pochta_imap_parser_free);
  self->parser = pochta_imap_parser_new (&self->limits);
  pochta_imap_parser_set_literal_func (self->parser, literal_func, self);
}

gboolean
_pochta_imap_client_has_pending_input (PochtaImapClient *self)
{
  return self->input != NULL && self->input_offset < g_bytes_get_size (self->input);
}

void
_pochta_imap_client_start_reader (PochtaImapClient *self)
{
  if (self->fatal_error != NULL || self->reader_paused || self->streaming || self->reading)
    return;

  process_input (self);
}

static void
fail_command (ImapCommand  *command,
              const GError *error)
{
  command_return (command, NULL, g_error_copy (error));
  _pochta_imap_command_unref (command);
}

/**
 * _pochta_imap_client_fail:
 *
 * Ends the session: the connection is closed and every command, queued or
 * in flight, fails with @error (or the BYE that explains it).
 */
void
_pochta_imap_client_fail (PochtaImapClient *self,
                          const GError     *error)
{
  g_autoptr(PochtaImapClient) hold = g_object_ref (self);
  g_autoptr(GTask) greeting = NULL;
  g_autoptr(GTask) idle_start = NULL;
  GQueue queue = G_QUEUE_INIT;
  GQueue in_flight = G_QUEUE_INIT;
  ImapCommand *command;

  if (self->fatal_error != NULL)
    return;

  g_debug ("IMAP session ends: %s", error->message);
  self->fatal_error = g_error_copy (error);

  if (self->watchdog != NULL)
    g_source_destroy (self->watchdog);
  g_clear_pointer (&self->watchdog, g_source_unref);
  if (self->idle_renew != NULL)
    g_source_destroy (self->idle_renew);
  g_clear_pointer (&self->idle_renew, g_source_unref);

  pochta_connection_abort (self->connection);
  g_cancellable_cancel (self->reader_cancellable);

  greeting = g_steal_pointer (&self->greeting_task);
  idle_start = g_steal_pointer (&self->idle_start_task);
  queue = self->queue;
  in_flight = self->in_flight;
  g_queue_init (&self->queue);
  g_queue_init (&self->in_flight);
  self->idle = NULL;
  g_clear_pointer (&self->writing, _pochta_imap_command_unref);
  g_clear_pointer (&self->stream_target, _pochta_imap_command_unref);
  g_clear_object (&self->literal_sink);
  g_clear_pointer (&self->input, g_bytes_unref);
  while (!g_queue_is_empty (&self->raw_lines))
    {
      g_bytes_unref (g_queue_pop_head (&self->raw_lines));
      g_queue_pop_head (&self->raw_lines);
    }
  self->streaming = FALSE;

  _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_DISCONNECTED);

  if (greeting != NULL)
    g_task_return_error (greeting, g_error_copy (error));
  if (idle_start != NULL)
    g_task_return_error (idle_start, g_error_copy (error));

  while ((command = g_queue_pop_head (&in_flight)))
    {
      /* LOGOUT is answered by BYE; the hang-up that follows is its success. */
      if ((command->flags & IMAP_COMMAND_EXPECT_BYE) && self->bye_received)
        {
          g_autoptr(GError) bye = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE,
                                                       self->bye_text ? self->bye_text : "");
          fail_command (command, bye);
          continue;
        }
      fail_command (command, error);
    }
  while ((command = g_queue_pop_head (&queue)))
    fail_command (command, error);

  g_signal_emit_by_name (self, "disconnected", error);
}
