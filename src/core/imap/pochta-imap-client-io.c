/* pochta-imap-client-io.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine of PochtaImapClient: command queue, pipelined writer, timeouts and failure.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-connection.h"
#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"
#include "pochta-net-error.h"

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
void
_pochta_imap_command_return (ImapCommand        *command,
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
      _pochta_imap_command_return (command, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                          _("Operation was cancelled")));
      _pochta_imap_command_unref (command);
      return G_SOURCE_REMOVE;
    }

  if (self->stream_target == command)
    g_clear_object (&self->literal_sink);
  _pochta_imap_command_return (command, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
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
        _pochta_imap_client_write_next (self);
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
            command->waiting_continuation = !command->continuation_early;
          command->continuation_early = FALSE;
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
    _pochta_imap_client_write_next (self);
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

void
_pochta_imap_client_write_next (PochtaImapClient *self)
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
      _pochta_imap_command_return (command, NULL, g_steal_pointer (&error));
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

  _pochta_imap_client_write_next (self);
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


static void
fail_command (ImapCommand  *command,
              const GError *error)
{
  _pochta_imap_command_return (command, NULL, g_error_copy (error));
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
