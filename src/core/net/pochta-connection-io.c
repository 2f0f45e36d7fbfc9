/* pochta-connection-io.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The asynchronous operations of PochtaConnection: connect, STARTTLS, read, write, close.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-connection-private.h"
#include "pochta-net-error.h"

typedef struct
{
  PochtaDeadline     deadline;
  GBytes            *bytes;
  GSocketConnection *socket_connection;
  gsize              length;
  gboolean           flushing;
} ConnectionOp;

static void
connection_op_free (ConnectionOp *op)
{
  _pochta_deadline_stop (&op->deadline);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_object (&op->socket_connection);
  g_free (op);
}

static ConnectionOp *
connection_op_new (GTask *task)
{
  ConnectionOp *op = g_new0 (ConnectionOp, 1);

  g_task_set_task_data (task, op, (GDestroyNotify)connection_op_free);
  return op;
}

static gboolean
return_if_not_connected (PochtaConnection *self,
                         GTask            *task)
{
  if (self->stream != NULL)
    return FALSE;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to “%s”"), self->host);
  return TRUE;
}

static gboolean
is_peer_gone (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF);
}

/* Once a read or write failed midway, the protocol state is unknown: the
 * connection is closed so that no client can carry on out of step. A
 * cancelled read loses nothing and keeps the connection. */
static void
fail_io (PochtaConnection *self,
         GObject          *stream,
         const GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    return;

  if (self->trace != NULL)
    pochta_trace_note (self->trace, "closing after error: %s", error->message);

  if (self->reader == (gpointer)stream ||
      (self->stream != NULL && g_io_stream_get_output_stream (self->stream) == (gpointer)stream) ||
      (self->filtered != NULL && g_io_stream_get_output_stream (self->filtered) == (gpointer)stream))
    _pochta_connection_drop (self);
}

static void
handshake_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaConnection *self = POCHTA_CONNECTION (object);

  self->connecting = FALSE;

  if (!_pochta_connection_handshake_finish (self, result, &error))
    {
      if (self->trace != NULL)
        pochta_trace_note (self->trace, "TLS failed: %s", error->message);
      _pochta_connection_drop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) socket_connection = NULL;
  PochtaConnection *self = g_task_get_source_object (task);
  ConnectionOp *op = g_task_get_task_data (task);

  socket_connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  _pochta_deadline_stop (&op->deadline);

  if (socket_connection == NULL)
    {
      self->connecting = FALSE;
      if (op->deadline.expired)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 ngettext ("Could not connect to “%s” port %u within %u second",
                                           "Could not connect to “%s” port %u within %u seconds",
                                           self->connect_timeout),
                                 self->host, self->port, self->connect_timeout);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Keepalive lets a long IDLE notice a peer that vanished without a FIN. */
  g_socket_set_keepalive (g_socket_connection_get_socket (socket_connection), TRUE);
  self->socket_connection = g_steal_pointer (&socket_connection);

  if (self->trace != NULL)
    pochta_trace_note (self->trace, "connected");

  if (self->tls_mode == POCHTA_TLS_MODE_IMPLICIT)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      _pochta_connection_handshake_async (self, cancellable, handshake_done_cb,
                                          g_steal_pointer (&task));
      return;
    }

  self->connecting = FALSE;
  _pochta_connection_set_stream (self, G_IO_STREAM (self->socket_connection));
  g_task_return_boolean (task, TRUE);
}

/**
 * pochta_connection_connect_async:
 *
 * Resolves and connects within the connect timeout, then for implicit TLS
 * completes the handshake too. A certificate that is not trusted (or not
 * the pinned one) fails with %POCHTA_NET_ERROR_TLS_CERTIFICATE (or
 * %POCHTA_NET_ERROR_TLS_PIN_MISMATCH) carrying a #PochtaCertificateInfo.
 */
void
pochta_connection_connect_async (PochtaConnection    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  g_autofree char *label = NULL;
  ConnectionOp *op;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_connect_async);

  if (self->stream != NULL || self->connecting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The connection is already open or opening");
      return;
    }

  g_clear_pointer (&self->trace, pochta_trace_free);
  label = g_strdup_printf ("net#%u", self->id);
  self->trace = pochta_trace_new (label, self->trace_flags);
  pochta_trace_note (self->trace, "connecting to %s port %u (TLS: %s)", self->host, self->port,
                     self->tls_mode == POCHTA_TLS_MODE_IMPLICIT ? "implicit"
                     : self->tls_mode == POCHTA_TLS_MODE_STARTTLS ? "starttls" : "none");

  _pochta_connection_set_peer_info (self, NULL);
  self->connecting = TRUE;

  op = connection_op_new (task);
  _pochta_deadline_start (&op->deadline, cancellable, self->connect_timeout);

  client = g_socket_client_new ();
  address = g_network_address_new (self->host, self->port);
  g_socket_client_connect_async (client, address, op->deadline.cancellable,
                                 connect_cb, g_steal_pointer (&task));
}

gboolean
pochta_connection_connect_finish (PochtaConnection  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pochta_connection_starttls_async:
 *
 * Upgrades the open plain connection. The caller has already sent the
 * protocol's STARTTLS/STLS command and read the server's go-ahead line;
 * anything the server sent after that line fails the upgrade, because in
 * plaintext it could have been injected by anyone on the path.
 */
void
pochta_connection_starttls_async (PochtaConnection    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_starttls_async);

  if (return_if_not_connected (self, task))
    return;

  if (pochta_connection_is_encrypted (self) || self->connecting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "TLS is already established or being established");
      return;
    }

  if (pochta_line_reader_get_buffered (self->reader) > 0)
    {
      _pochta_connection_drop (self);
      g_task_return_new_error (task, POCHTA_NET_ERROR, POCHTA_NET_ERROR_PROTOCOL,
                               _("“%s” sent unexpected data before the TLS handshake; "
                                 "the connection was closed for safety"),
                               self->host);
      return;
    }

  pochta_trace_note (self->trace, "starting TLS");
  self->connecting = TRUE;
  _pochta_connection_handshake_async (self, cancellable, handshake_done_cb, g_steal_pointer (&task));
}

gboolean
pochta_connection_starttls_finish (PochtaConnection  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_starttls_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaConnection *self = g_task_get_source_object (task);
  ConnectionOp *op = g_task_get_task_data (task);
  char *line;

  line = pochta_line_reader_read_line_finish (POCHTA_LINE_READER (object), result,
                                              &op->length, &error);
  if (line == NULL)
    {
      fail_io (self, object, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pochta_trace_received_line (self->trace, line, op->length);
  g_task_return_pointer (task, line, g_free);
}

static PochtaLineReader *
prepare_reader (PochtaConnection *self)
{
  pochta_line_reader_set_timeout (self->reader, self->read_timeout);
  pochta_line_reader_set_max_line_length (self->reader, self->max_line_length);
  return self->reader;
}

/**
 * pochta_connection_read_line_async:
 *
 * Reads one line. Errors, after which the connection is closed:
 * %POCHTA_NET_ERROR_LINE_TOO_LONG past max-line-length,
 * %G_IO_ERROR_TIMED_OUT after read-timeout seconds of silence,
 * %POCHTA_NET_ERROR_CLOSED when the server hung up. Cancelling keeps the
 * connection open and loses no data.
 */
void
pochta_connection_read_line_async (PochtaConnection    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_read_line_async);
  connection_op_new (task);

  if (return_if_not_connected (self, task))
    return;

  pochta_line_reader_read_line_async (prepare_reader (self), cancellable,
                                      read_line_cb, g_steal_pointer (&task));
}

/**
 * pochta_connection_read_line_finish:
 * @length: (out) (optional): the line's length, as it may contain NULs
 *
 * Returns: (transfer full): the line without its CRLF (or bare LF)
 */
char *
pochta_connection_read_line_finish (PochtaConnection  *self,
                                    GAsyncResult      *result,
                                    gsize             *length,
                                    GError           **error)
{
  char *line;

  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_read_line_async, NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line ? ((ConnectionOp *)g_task_get_task_data (G_TASK (result)))->length : 0;

  return line;
}

static void
read_bytes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaConnection *self = g_task_get_source_object (task);
  GBytes *bytes;

  if (g_task_get_source_tag (task) == pochta_connection_read_bytes_async)
    bytes = pochta_line_reader_read_bytes_finish (POCHTA_LINE_READER (object), result, &error);
  else
    bytes = pochta_line_reader_read_chunk_finish (POCHTA_LINE_READER (object), result, &error);

  if (bytes == NULL)
    {
      fail_io (self, object, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pochta_trace_received_bytes (self->trace, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

/**
 * pochta_connection_read_bytes_async:
 * @count: exactly how many bytes, e.g. an IMAP literal already checked
 *   against the caller's size limit
 *
 * Large literals should go through pochta_connection_read_chunk_async()
 * instead, so they are streamed rather than held in memory.
 */
void
pochta_connection_read_bytes_async (PochtaConnection    *self,
                                    gsize                count,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_read_bytes_async);

  if (return_if_not_connected (self, task))
    return;

  pochta_line_reader_read_bytes_async (prepare_reader (self), count, cancellable,
                                       read_bytes_cb, g_steal_pointer (&task));
}

GBytes *
pochta_connection_read_bytes_finish (PochtaConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_read_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pochta_connection_read_chunk_async:
 * @max_count: at most this many bytes; at least one is returned
 */
void
pochta_connection_read_chunk_async (PochtaConnection    *self,
                                    gsize                max_count,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (max_count > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_read_chunk_async);

  if (return_if_not_connected (self, task))
    return;

  pochta_line_reader_read_chunk_async (prepare_reader (self), max_count, cancellable,
                                       read_bytes_cb, g_steal_pointer (&task));
}

GBytes *
pochta_connection_read_chunk_finish (PochtaConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_read_chunk_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaConnection *self = g_task_get_source_object (task);
  ConnectionOp *op = g_task_get_task_data (task);

  if (op->flushing)
    g_output_stream_flush_finish (G_OUTPUT_STREAM (object), result, &error);
  else
    g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error);

  /* A compressor holds data back until it is flushed (RFC 4978 section 4). */
  if (error == NULL && G_IS_CONVERTER_OUTPUT_STREAM (object) && !op->flushing)
    {
      op->flushing = TRUE;
      g_output_stream_flush_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                   op->deadline.cancellable, write_cb, g_steal_pointer (&task));
      return;
    }

  _pochta_deadline_stop (&op->deadline);

  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Even a cancelled write may have sent part of a command. */
  fail_io (self, object, error);

  if (op->deadline.expired)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             ngettext ("“%s” did not accept data within %u second",
                                       "“%s” did not accept data within %u seconds",
                                       self->read_timeout),
                             self->host, self->read_timeout);
  else if (is_peer_gone (error))
    g_task_return_new_error (task, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED,
                             _("The server closed the connection"));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * pochta_connection_write_async:
 * @bytes: everything to send; all of it is written
 * @flags: %POCHTA_WRITE_FLAGS_SECRET for credentials, which the trace then
 *   shows only by size
 *
 * Bounded by the read timeout. Any failure closes the connection, since
 * part of a command may have gone out.
 */
void
pochta_connection_write_async (PochtaConnection    *self,
                               GBytes              *bytes,
                               PochtaWriteFlags     flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectionOp *op;
  gconstpointer data;
  gsize size;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_write_async);

  if (return_if_not_connected (self, task))
    return;

  op = connection_op_new (task);
  op->bytes = g_bytes_ref (bytes);
  data = g_bytes_get_data (bytes, &size);

  pochta_trace_sent (self->trace, data, size, (flags & POCHTA_WRITE_FLAGS_SECRET) != 0);

  _pochta_deadline_start (&op->deadline, cancellable, self->read_timeout);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->filtered ? self->filtered
                                                                                 : self->stream),
                                   data, size,
                                   G_PRIORITY_DEFAULT,
                                   op->deadline.cancellable,
                                   write_cb,
                                   g_steal_pointer (&task));
}

gboolean
pochta_connection_write_finish (PochtaConnection  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectionOp *op = g_task_get_task_data (task);

  /* A failed close_notify changes nothing for the caller: the socket is
   * closed below either way. */
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  _pochta_deadline_stop (&op->deadline);
  g_socket_close (g_socket_connection_get_socket (op->socket_connection), NULL);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/**
 * pochta_connection_close_async:
 *
 * Says goodbye at the TLS level (close_notify) within the connect timeout,
 * then closes the socket. The connection reads as closed at once. The
 * protocol's own LOGOUT/QUIT is the caller's to send first.
 */
void
pochta_connection_close_async (PochtaConnection    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GIOStream) stream = NULL;
  ConnectionOp *op;

  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_connection_close_async);

  if (self->stream == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  pochta_trace_note (self->trace, "closing");

  op = connection_op_new (task);
  op->socket_connection = g_steal_pointer (&self->socket_connection);
  stream = g_object_ref (self->stream);
  _pochta_connection_set_stream (self, NULL);

  _pochta_deadline_start (&op->deadline, cancellable, self->connect_timeout);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, op->deadline.cancellable,
                           close_cb, g_steal_pointer (&task));
}

gboolean
pochta_connection_close_finish (PochtaConnection  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_connection_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pochta_connection_abort:
 *
 * Closes the socket immediately, without TLS close_notify; pending reads
 * and writes fail. For fatal protocol errors and shutdown.
 */
void
pochta_connection_abort (PochtaConnection *self)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));

  if (self->stream == NULL && self->socket_connection == NULL)
    return;

  if (self->trace != NULL)
    pochta_trace_note (self->trace, "aborted");
  _pochta_connection_drop (self);
}

/**
 * pochta_connection_push_converters:
 * @input: converts what is read (a #GZlibDecompressor)
 * @output: converts what is written (a #GZlibCompressor); every write is
 *   flushed through it
 *
 * For IMAP COMPRESS=DEFLATE: from now on reads and writes go through the
 * converters, over TLS if it is up. Fails when bytes already read ahead
 * would bypass @input.
 */
gboolean
pochta_connection_push_converters (PochtaConnection  *self,
                                   GConverter        *input,
                                   GConverter        *output,
                                   GError           **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;

  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (G_IS_CONVERTER (input), FALSE);
  g_return_val_if_fail (G_IS_CONVERTER (output), FALSE);

  if (self->stream == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("Not connected to “%s”"), self->host);
      return FALSE;
    }

  if (self->filtered != NULL || pochta_line_reader_get_buffered (self->reader) > 0)
    {
      g_set_error_literal (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_PROTOCOL,
                           _("The connection cannot be compressed at this point"));
      return FALSE;
    }

  in = g_converter_input_stream_new (g_io_stream_get_input_stream (self->stream), input);
  out = g_converter_output_stream_new (g_io_stream_get_output_stream (self->stream), output);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (out), FALSE);
  self->filtered = g_simple_io_stream_new (in, out);

  g_clear_object (&self->reader);
  self->reader = pochta_line_reader_new (in, self->max_line_length);

  if (self->trace != NULL)
    pochta_trace_note (self->trace, "compression on");

  return TRUE;
}
