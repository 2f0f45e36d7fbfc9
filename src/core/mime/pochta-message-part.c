/* pochta-message-part.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One node of a parsed message's MIME tree: type, parameters, disposition,
 * file name, Content-ID, decoded size, IMAP section and decoded content.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-charset.h"
#include "pochta-message-private.h"
#include "pochta-mime-error.h"

/* Text beyond this is not shown; a 50 MB text/plain part is an attack or
 * a log file, and either way an attachment to save, not to render. */
#define MAX_TEXT_BYTES (8 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (PochtaMessagePart, pochta_message_part, G_TYPE_OBJECT)

static void
pochta_message_part_dispose (GObject *object)
{
  PochtaMessagePart *self = (PochtaMessagePart *) object;

  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_object (&self->embedded);
  g_clear_object (&self->object);
  g_clear_pointer (&self->content, g_bytes_unref);

  G_OBJECT_CLASS (pochta_message_part_parent_class)->dispose (object);
}

static void
pochta_message_part_finalize (GObject *object)
{
  PochtaMessagePart *self = (PochtaMessagePart *) object;

  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  g_clear_pointer (&self->disposition, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->content_id, g_free);
  g_clear_pointer (&self->section, g_free);

  G_OBJECT_CLASS (pochta_message_part_parent_class)->finalize (object);
}

static void
pochta_message_part_class_init (PochtaMessagePartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_message_part_dispose;
  object_class->finalize = pochta_message_part_finalize;
}

static void
pochta_message_part_init (PochtaMessagePart *self)
{
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

PochtaMessagePart *
_pochta_message_part_new (GMimeObject *object,
                          const char  *section)
{
  PochtaMessagePart *self = g_object_new (POCHTA_TYPE_MESSAGE_PART, NULL);

  self->object = object != NULL ? g_object_ref (object) : NULL;
  self->section = g_strdup (section);
  return self;
}

PochtaMessagePart *
_pochta_message_part_new_bytes (GBytes     *content,
                                const char *mime_type,
                                const char *filename)
{
  PochtaMessagePart *self = g_object_new (POCHTA_TYPE_MESSAGE_PART, NULL);

  self->content = g_bytes_ref (content);
  self->mime_type = g_strdup (mime_type);
  self->filename = g_strdup (filename);
  self->disposition = g_strdup ("attachment");
  self->size = g_bytes_get_size (content);
  self->is_attachment = TRUE;
  return self;
}

/* A stream of the decoded content: transfer encoding undone for a leaf,
 * the serialised message or multipart otherwise. */
static GMimeStream *
open_decoded (PochtaMessagePart *self)
{
  GMimeDataWrapper *wrapper;
  GMimeStream *source;
  GMimeStream *filtered;
  GMimeContentEncoding encoding;

  if (self->content != NULL)
    return g_mime_stream_mem_new_with_buffer (g_bytes_get_data (self->content, NULL),
                                              g_bytes_get_size (self->content));

  if (self->object == NULL)
    return g_mime_stream_mem_new ();

  if (!GMIME_IS_PART (self->object))
    {
      GMimeStream *mem = g_mime_stream_mem_new ();
      GMimeObject *object = self->object;

      if (GMIME_IS_MESSAGE_PART (object))
        object = (GMimeObject *) g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      if (object != NULL)
        g_mime_object_write_to_stream (object, NULL, mem);
      g_mime_stream_reset (mem);
      return mem;
    }

  wrapper = g_mime_part_get_content (GMIME_PART (self->object));
  if (wrapper == NULL || (source = g_mime_data_wrapper_get_stream (wrapper)) == NULL)
    return g_mime_stream_mem_new ();

  g_mime_stream_reset (source);
  filtered = g_mime_stream_filter_new (source);
  encoding = g_mime_data_wrapper_get_encoding (wrapper);
  if (encoding != GMIME_CONTENT_ENCODING_DEFAULT)
    {
      g_autoptr(GMimeFilter) decoder = g_mime_filter_basic_new (encoding, FALSE);

      g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), decoder);
    }
  return filtered;
}

GBytes *
_pochta_message_part_read (PochtaMessagePart *self,
                           gsize              max_bytes,
                           gboolean          *truncated)
{
  g_autoptr(GMimeStream) stream = open_decoded (self);
  GByteArray *data = g_byte_array_new ();
  char buf[16384];
  gssize n;

  if (truncated != NULL)
    *truncated = FALSE;
  while ((n = g_mime_stream_read (stream, buf, sizeof buf)) > 0)
    {
      if (max_bytes > 0 && data->len + (gsize) n > max_bytes)
        {
          g_byte_array_append (data, (const guint8 *) buf, max_bytes - data->len);
          if (truncated != NULL)
            *truncated = TRUE;
          break;
        }
      g_byte_array_append (data, (const guint8 *) buf, n);
    }

  return g_byte_array_free_to_bytes (data);
}

/* An HTML part without a charset parameter usually says it in a <meta>
 * tag near the top. */
static char *
sniff_html_charset (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *head = g_ascii_strdown (data != NULL ? data : "", MIN (len, 2048));
  const char *p = strstr (head, "charset=");
  gsize n;

  if (p == NULL)
    return NULL;
  p += strlen ("charset=");
  while (*p == '"' || *p == '\'' || *p == ' ')
    p++;
  n = strspn (p, "abcdefghijklmnopqrstuvwxyz0123456789-_:.");
  return n > 0 ? g_strndup (p, n) : NULL;
}

char *
_pochta_message_part_decode_text (PochtaMessagePart   *self,
                                  PochtaCharsetSource *source)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sniffed = NULL;
  const char *charset;
  gsize len;
  const char *data;

  bytes = _pochta_message_part_read (self, MAX_TEXT_BYTES, NULL);
  data = g_bytes_get_data (bytes, &len);
  charset = pochta_message_part_get_parameter (self, "charset");
  if (charset == NULL && g_strcmp0 (self->mime_type, "text/html") == 0)
    charset = sniffed = sniff_html_charset (bytes);

  return pochta_charset_to_utf8 (data != NULL ? data : "", len, charset, source, NULL);
}

/**
 * pochta_message_part_get_mime_type:
 * @self: a #PochtaMessagePart
 *
 * Returns: the lower-case media type, e.g. "text/plain"
 */
const char *
pochta_message_part_get_mime_type (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->mime_type != NULL ? self->mime_type : "application/octet-stream";
}

/**
 * pochta_message_part_get_parameter:
 * @self: a #PochtaMessagePart
 * @name: a Content-Type parameter name, lower case ("charset", "name")
 *
 * Returns: (nullable): the decoded parameter value
 */
const char *
pochta_message_part_get_parameter (PochtaMessagePart *self,
                                   const char        *name)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (self->parameters, name);
}

/**
 * pochta_message_part_get_disposition:
 * @self: a #PochtaMessagePart
 *
 * Returns: (nullable): "inline", "attachment" (lower case) or %NULL when
 *   the part has no Content-Disposition
 */
const char *
pochta_message_part_get_disposition (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->disposition;
}

/**
 * pochta_message_part_get_filename:
 * @self: a #PochtaMessagePart
 *
 * The file name as the message gives it (RFC 2231 and RFC 2047 decoded),
 * not safe for saving: see pochta_attachment_name_sanitize().
 *
 * Returns: (nullable): the file name
 */
const char *
pochta_message_part_get_filename (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->filename;
}

/**
 * pochta_message_part_get_content_id:
 * @self: a #PochtaMessagePart
 *
 * Returns: (nullable): the Content-ID without angle brackets
 */
const char *
pochta_message_part_get_content_id (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->content_id;
}

/**
 * pochta_message_part_get_section:
 * @self: a #PochtaMessagePart
 *
 * The IMAP section of the part (RFC 3501 6.4.5), so parts match the
 * BODYSTRUCTURE the store already has: "1", "2.1", "TEXT" for a top-level
 * multipart, "2.TEXT" for the multipart body of a message/rfc822 at "2".
 *
 * Returns: (nullable): the section, %NULL for a uuencoded file found
 *   inside text, which has no section of its own
 */
const char *
pochta_message_part_get_section (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->section;
}

/**
 * pochta_message_part_get_size:
 * @self: a #PochtaMessagePart
 *
 * Returns: the size of the decoded content in bytes (0 for multiparts)
 */
guint64
pochta_message_part_get_size (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), 0);
  return self->size;
}

/**
 * pochta_message_part_get_children:
 * @self: a #PochtaMessagePart
 *
 * The sub-parts of a multipart, or the body of a message/rfc822 part.
 *
 * Returns: (transfer none) (element-type PochtaMessagePart): the children
 */
GPtrArray *
pochta_message_part_get_children (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->children;
}

/**
 * pochta_message_part_get_embedded_message:
 * @self: a #PochtaMessagePart
 *
 * Returns: (nullable) (transfer none): for a message/rfc822 part, the
 *   message inside, parsed like the outer one
 */
PochtaMessage *
pochta_message_part_get_embedded_message (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  return self->embedded;
}

gboolean
pochta_message_part_is_multipart (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), FALSE);
  return self->is_multipart;
}

/**
 * pochta_message_part_is_attachment:
 * @self: a #PochtaMessagePart
 *
 * Returns: whether the part is in pochta_message_get_attachments(), i.e.
 *   not a container and not shown as the body text
 */
gboolean
pochta_message_part_is_attachment (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), FALSE);
  return self->is_attachment;
}

/**
 * pochta_message_part_is_inline:
 * @self: a #PochtaMessagePart
 *
 * Returns: whether the part is meant to be shown within the message
 *   (Content-Disposition inline, or a Content-ID without a disposition,
 *   as multipart/related images have) rather than listed as a file
 */
gboolean
pochta_message_part_is_inline (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), FALSE);
  return self->is_inline;
}

/**
 * pochta_message_part_get_content:
 * @self: a #PochtaMessagePart
 * @error: return location for a #GError
 *
 * Reads the decoded content (base64 or quoted-printable undone, the
 * charset untouched).  Use pochta_message_part_write_to_stream() for large
 * parts that should not sit in memory twice.
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
pochta_message_part_get_content (PochtaMessagePart  *self,
                                 GError            **error)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _pochta_message_part_read (self, 0, NULL);
}

/**
 * pochta_message_part_get_text:
 * @self: a #PochtaMessagePart
 *
 * Decodes a text part to UTF-8 with the charset fallback of
 * pochta_charset_to_utf8(); useful for showing a text attachment.
 *
 * Returns: (transfer full): the text, at most 8 MiB of it
 */
char *
pochta_message_part_get_text (PochtaMessagePart *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), NULL);

  return _pochta_message_part_decode_text (self, NULL);
}

/**
 * pochta_message_part_write_to_stream:
 * @self: a #PochtaMessagePart
 * @stream: where the decoded content goes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the decoded content in chunks.  Blocks: use the async variant on
 * the main thread.
 *
 * Returns: %TRUE on success
 */
gboolean
pochta_message_part_write_to_stream (PochtaMessagePart  *self,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  g_autoptr(GMimeStream) source = NULL;
  char buf[16384];
  gssize n;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = open_decoded (self);
  while ((n = g_mime_stream_read (source, buf, sizeof buf)) > 0)
    if (!g_output_stream_write_all (stream, buf, n, NULL, cancellable, error))
      return FALSE;

  if (n < 0)
    {
      g_set_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_MALFORMED,
                   _("Could not decode the attachment"));
      return FALSE;
    }
  return TRUE;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (pochta_message_part_write_to_stream (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * pochta_message_part_write_to_stream_async:
 * @self: a #PochtaMessagePart
 * @stream: where the decoded content goes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Writes the decoded content from a worker thread; do not read other
 * parts of the same message until it finishes.
 */
void
pochta_message_part_write_to_stream_async (PochtaMessagePart   *self,
                                           GOutputStream       *stream,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_MESSAGE_PART (self));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_message_part_write_to_stream_async);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);
  g_task_run_in_thread (task, write_thread);
}

gboolean
pochta_message_part_write_to_stream_finish (PochtaMessagePart  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
