/* pochta-line-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bounded line and literal reads with an idle timeout over any GInputStream.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-line-reader.h"
#include "pochta-net-error.h"

/* Reads are done in chunks of this size, so a line over the limit is noticed
 * after at most max_line_length + FILL_SIZE bytes of memory. */
#define FILL_SIZE      (16 * 1024)
#define MAX_FILL_SIZE  (256 * 1024)
#define COMPACT_AFTER  (64 * 1024)
/* What a read takes beyond the first chunk when the stream already holds
 * more, for a line (a chunk or literal read takes up to its count). */
#define DRAIN_LINE_SIZE (64 * 1024)

struct _PochtaLineReader
{
  GObject       parent_instance;

  GInputStream *stream;
  GByteArray   *buffer;
  gsize         start;           /* bytes of buffer already handed out */
  gsize         max_line_length;
  guint         timeout_seconds;
  GError       *fatal;           /* sticky: the stream position is lost */
  GError       *deferred;        /* met while draining, after bytes still buffered */
  guint         pending : 1;
  guint         deferred_eof : 1;
};

G_DEFINE_FINAL_TYPE (PochtaLineReader, pochta_line_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_MAX_LINE_LENGTH,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  READ_LINE,
  READ_BYTES,
  READ_CHUNK,
} ReadKind;

typedef struct
{
  ReadKind      kind;
  gsize         count;
  gsize         scanned;
  gsize         fill_start;
  GCancellable *cancellable;      /* child of the task's, cancelled on timeout */
  gulong        cancelled_id;
  GSource      *timeout_source;
  gboolean      timed_out;
} ReadOp;

static void
read_op_free (ReadOp *op)
{
  g_assert (op->cancelled_id == 0);

  if (op->timeout_source != NULL)
    g_source_destroy (op->timeout_source);
  g_clear_pointer (&op->timeout_source, g_source_unref);
  g_clear_object (&op->cancellable);
  g_free (op);
}

static void
pochta_line_reader_finalize (GObject *object)
{
  PochtaLineReader *self = (PochtaLineReader *)object;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_error (&self->fatal);
  g_clear_error (&self->deferred);

  G_OBJECT_CLASS (pochta_line_reader_parent_class)->finalize (object);
}

static void
pochta_line_reader_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PochtaLineReader *self = POCHTA_LINE_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;

    case PROP_MAX_LINE_LENGTH:
      g_value_set_uint64 (value, self->max_line_length);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_line_reader_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PochtaLineReader *self = POCHTA_LINE_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;

    case PROP_MAX_LINE_LENGTH:
      pochta_line_reader_set_max_line_length (self, g_value_get_uint64 (value));
      break;

    case PROP_TIMEOUT:
      pochta_line_reader_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_line_reader_class_init (PochtaLineReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_line_reader_finalize;
  object_class->get_property = pochta_line_reader_get_property;
  object_class->set_property = pochta_line_reader_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL,
                         G_TYPE_INPUT_STREAM,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_LINE_LENGTH] =
    g_param_spec_uint64 ("max-line-length", NULL, NULL,
                         1, G_MAXSIZE, 64 * 1024,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT / 1000, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_line_reader_init (PochtaLineReader *self)
{
  self->buffer = g_byte_array_new ();
  self->max_line_length = 64 * 1024;
}

/**
 * pochta_line_reader_new:
 * @stream: where the bytes come from
 * @max_line_length: the longest line accepted, without its line ending
 *
 * Returns: (transfer full): a reader that owns the stream's read position;
 *   nothing else should read from @stream afterwards.
 */
PochtaLineReader *
pochta_line_reader_new (GInputStream *stream,
                        gsize         max_line_length)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (max_line_length > 0, NULL);

  return g_object_new (POCHTA_TYPE_LINE_READER,
                       "stream", stream,
                       "max-line-length", (guint64)max_line_length,
                       NULL);
}

GInputStream *
pochta_line_reader_get_stream (PochtaLineReader *self)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), NULL);
  return self->stream;
}

gsize
pochta_line_reader_get_max_line_length (PochtaLineReader *self)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), 0);
  return self->max_line_length;
}

void
pochta_line_reader_set_max_line_length (PochtaLineReader *self,
                                        gsize             max_line_length)
{
  g_return_if_fail (POCHTA_IS_LINE_READER (self));
  g_return_if_fail (max_line_length > 0);

  if (self->max_line_length == max_line_length)
    return;

  self->max_line_length = max_line_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINE_LENGTH]);
}

guint
pochta_line_reader_get_timeout (PochtaLineReader *self)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), 0);
  return self->timeout_seconds;
}

/**
 * pochta_line_reader_set_timeout:
 * @timeout_seconds: how long one read may wait for the next bytes; 0 waits
 *   for ever (IMAP IDLE sets its own deadline)
 *
 * The timeout is an idle timeout: a large literal that keeps arriving never
 * times out, a server that goes silent does.
 */
void
pochta_line_reader_set_timeout (PochtaLineReader *self,
                                guint             timeout_seconds)
{
  g_return_if_fail (POCHTA_IS_LINE_READER (self));

  if (self->timeout_seconds == timeout_seconds)
    return;

  self->timeout_seconds = timeout_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/* Returns: bytes received but not yet read; STARTTLS must find none, or a
 * man in the middle could have injected plaintext behind the OK. */
gsize
pochta_line_reader_get_buffered (PochtaLineReader *self)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), 0);
  return self->buffer->len - self->start;
}

static void
consume (PochtaLineReader *self,
         gsize             n)
{
  self->start += n;

  if (self->start == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->start = 0;
    }
  else if (self->start > COMPACT_AFTER && self->start > self->buffer->len / 2)
    {
      g_byte_array_remove_range (self->buffer, 0, self->start);
      self->start = 0;
    }
}

static void
fail_fatally (PochtaLineReader *self,
              GTask            *task,
              GError           *error)
{
  g_clear_error (&self->fatal);
  self->fatal = g_error_copy (error);
  self->pending = FALSE;
  g_task_return_error (task, error);
}

static void
finish_op (PochtaLineReader *self,
           GTask            *task)
{
  ReadOp *op = g_task_get_task_data (task);

  self->pending = FALSE;
  if (op->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), op->cancelled_id);
      op->cancelled_id = 0;
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  ReadOp *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  g_clear_pointer (&op->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void line_reader_step (GTask *task);

/* Takes what the stream already holds without waiting, up to @limit bytes
 * buffered. A TLS stream hands out one record per read, and a main-loop
 * round trip per record costs more than the record. An error or the end
 * of the stream met here waits for the next fill, so the bytes before it
 * are handed out first. */
static void
drain_available (PochtaLineReader *self,
                 gsize             limit)
{
  GPollableInputStream *stream;

  if (!G_IS_POLLABLE_INPUT_STREAM (self->stream))
    return;
  stream = G_POLLABLE_INPUT_STREAM (self->stream);
  if (!g_pollable_input_stream_can_poll (stream))
    return;

  while (pochta_line_reader_get_buffered (self) < limit)
    {
      g_autoptr(GError) error = NULL;
      gsize old_len = self->buffer->len;
      gssize n;

      g_byte_array_set_size (self->buffer, old_len + FILL_SIZE);
      n = g_pollable_input_stream_read_nonblocking (stream, self->buffer->data + old_len,
                                                    FILL_SIZE, NULL, &error);
      g_byte_array_set_size (self->buffer, old_len + MAX (n, 0));
      if (n > 0)
        continue;

      if (n == 0)
        self->deferred_eof = TRUE;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        self->deferred = g_steal_pointer (&error);
      return;
    }
}

static gsize
drain_limit (ReadOp *op)
{
  if (op->kind == READ_LINE)
    return DRAIN_LINE_SIZE;
  return CLAMP (op->count, FILL_SIZE, MAX_FILL_SIZE);
}

/* @n bytes were read into the buffer at op->fill_start, or @error (n < 0). */
static void
fill_done (GTask  *task_,
           gssize  n,
           GError *error_)
{
  g_autoptr(GTask) task = task_;
  g_autoptr(GError) error = error_;
  PochtaLineReader *self = g_task_get_source_object (task);
  ReadOp *op = g_task_get_task_data (task);

  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }

  g_byte_array_set_size (self->buffer, op->fill_start + MAX (n, 0));

  if (n < 0)
    {
      finish_op (self, task);

      /* A timeout or a cancel loses no bytes, so the reader stays usable;
       * the connection decides whether the protocol state survived. */
      if (op->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 ngettext ("The server did not respond within %u second",
                                           "The server did not respond within %u seconds",
                                           self->timeout_seconds),
                                 self->timeout_seconds);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
               g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
        fail_fatally (self, task,
                      g_error_new_literal (POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED,
                                           _("The server closed the connection")));
      else
        fail_fatally (self, task, g_steal_pointer (&error));
      return;
    }

  if (n == 0)
    {
      finish_op (self, task);
      fail_fatally (self, task,
                    g_error_new_literal (POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED,
                                         pochta_line_reader_get_buffered (self) > 0
                                         ? _("The server closed the connection in the middle of a response")
                                         : _("The server closed the connection")));
      return;
    }

  drain_available (self, drain_limit (op));
  line_reader_step (g_steal_pointer (&task));
}

static void
line_reader_fill_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  fill_done (user_data, n, error);
}

static void
line_reader_fill (GTask *task)
{
  PochtaLineReader *self = g_task_get_source_object (task);
  ReadOp *op = g_task_get_task_data (task);
  gsize want = FILL_SIZE;

  if (op->kind == READ_BYTES)
    want = CLAMP (op->count - pochta_line_reader_get_buffered (self), FILL_SIZE, MAX_FILL_SIZE);

  op->fill_start = self->buffer->len;
  if (self->deferred != NULL || self->deferred_eof)
    {
      gboolean eof = self->deferred_eof;

      self->deferred_eof = FALSE;
      fill_done (task, eof ? 0 : -1, g_steal_pointer (&self->deferred));
      return;
    }
  g_byte_array_set_size (self->buffer, op->fill_start + want);

  if (self->timeout_seconds > 0)
    {
      op->timeout_source = g_timeout_source_new (self->timeout_seconds * 1000);
      g_source_set_static_name (op->timeout_source, "[pochta] line reader timeout");
      g_source_set_callback (op->timeout_source, on_timeout, op, NULL);
      g_source_attach (op->timeout_source, g_task_get_context (task));
    }

  g_input_stream_read_async (self->stream,
                             self->buffer->data + op->fill_start,
                             want,
                             g_task_get_priority (task),
                             op->cancellable,
                             line_reader_fill_cb,
                             task);
}

static GError *
line_too_long_error (PochtaLineReader *self)
{
  return g_error_new (POCHTA_NET_ERROR, POCHTA_NET_ERROR_LINE_TOO_LONG,
                      _("The server sent a line longer than the limit of %zu bytes"),
                      self->max_line_length);
}

/* Completes the operation from the buffer if it can, otherwise reads more.
 * All state is settled before g_task_return_*(), which may run the callback
 * at once, and that callback may start the next read. */
static void
line_reader_step (GTask *task_)
{
  g_autoptr(GTask) task = task_;
  PochtaLineReader *self = g_task_get_source_object (task);
  ReadOp *op = g_task_get_task_data (task);
  const guint8 *data = self->buffer->data + self->start;
  gsize avail = pochta_line_reader_get_buffered (self);

  switch (op->kind)
    {
    case READ_LINE:
      {
        const guint8 *lf = memchr (data + op->scanned, '\n', avail - op->scanned);
        gsize line_len;
        char *line;

        if (lf == NULL)
          {
            op->scanned = avail;
            /* One spare byte: the CR of a CRLF whose LF has not come yet. */
            if (avail > self->max_line_length + 1)
              {
                finish_op (self, task);
                fail_fatally (self, task, line_too_long_error (self));
                return;
              }
            break;
          }

        line_len = lf - data;
        if (line_len > 0 && data[line_len - 1] == '\r')
          line_len--;

        finish_op (self, task);

        if (line_len > self->max_line_length)
          {
            fail_fatally (self, task, line_too_long_error (self));
            return;
          }

        /* The length travels beside the string: a line may contain NULs. */
        line = g_malloc (line_len + 1);
        memcpy (line, data, line_len);
        line[line_len] = '\0';
        op->count = line_len;
        consume (self, lf - data + 1);
        g_task_return_pointer (task, line, g_free);
        return;
      }

    case READ_BYTES:
    case READ_CHUNK:
      if (avail >= op->count || (op->kind == READ_CHUNK && avail > 0))
        {
          gsize n = MIN (avail, op->count);
          GBytes *bytes = g_bytes_new (data, n);

          finish_op (self, task);
          consume (self, n);
          g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  line_reader_fill (g_steal_pointer (&task));
}

static void
on_parent_cancelled (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
start_op (PochtaLineReader    *self,
          ReadKind             kind,
          gsize                count,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  ReadOp *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (self->pending)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Another read is already pending");
      return;
    }

  if (self->fatal != NULL)
    {
      g_task_return_error (task, g_error_copy (self->fatal));
      return;
    }

  op = g_new0 (ReadOp, 1);
  op->kind = kind;
  op->count = count;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, (GDestroyNotify)read_op_free);

  if (cancellable != NULL)
    op->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_parent_cancelled),
                                              g_object_ref (op->cancellable), g_object_unref);

  self->pending = TRUE;
  line_reader_step (g_steal_pointer (&task));
}

/**
 * pochta_line_reader_read_line_async:
 *
 * Reads up to the next LF. Fails with %POCHTA_NET_ERROR_LINE_TOO_LONG as
 * soon as the line exceeds the limit, with %POCHTA_NET_ERROR_CLOSED at end
 * of stream, and with %G_IO_ERROR_TIMED_OUT when the stream stays silent
 * for the timeout. After a LINE_TOO_LONG or CLOSED error every later read
 * fails the same way.
 */
void
pochta_line_reader_read_line_async (PochtaLineReader    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_LINE_READER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_op (self, READ_LINE, 0, cancellable, callback, user_data,
            pochta_line_reader_read_line_async);
}

/**
 * pochta_line_reader_read_line_finish:
 * @length: (out) (optional): the length of the line, which may contain NULs
 *
 * Returns: (transfer full): the line without its CRLF or bare LF
 */
char *
pochta_line_reader_read_line_finish (PochtaLineReader  *self,
                                     GAsyncResult      *result,
                                     gsize             *length,
                                     GError           **error)
{
  char *line;

  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_line_reader_read_line_async, NULL);

  line = g_task_propagate_pointer (G_TASK (result), error);
  if (length != NULL)
    *length = line ? ((ReadOp *)g_task_get_task_data (G_TASK (result)))->count : 0;

  return line;
}

/**
 * pochta_line_reader_read_bytes_async:
 * @count: exactly how many bytes to read
 *
 * For literals whose size the caller has already checked against its own
 * limit; pochta_line_reader_read_chunk_async() streams larger ones.
 */
void
pochta_line_reader_read_bytes_async (PochtaLineReader    *self,
                                     gsize                count,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_LINE_READER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_op (self, READ_BYTES, count, cancellable, callback, user_data,
            pochta_line_reader_read_bytes_async);
}

GBytes *
pochta_line_reader_read_bytes_finish (PochtaLineReader  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_line_reader_read_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pochta_line_reader_read_chunk_async:
 * @max_count: the most bytes to return; at least one is returned
 *
 * Returns whatever is buffered (up to @max_count) or the next bytes that
 * arrive, so a caller can stream a large literal to disk piece by piece.
 */
void
pochta_line_reader_read_chunk_async (PochtaLineReader    *self,
                                     gsize                max_count,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_LINE_READER (self));
  g_return_if_fail (max_count > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_op (self, READ_CHUNK, max_count, cancellable, callback, user_data,
            pochta_line_reader_read_chunk_async);
}

GBytes *
pochta_line_reader_read_chunk_finish (PochtaLineReader  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_LINE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_line_reader_read_chunk_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
