/* pochta-message-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns raw RFC 5322 bytes into a PochtaMessage, within configurable limits.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-message-parser.h"
#include "pochta-message-private.h"
#include "pochta-mime-error.h"
#include "pochta-mime.h"

/* PochtaMessage is a GObject rather than a refcounted struct so that the
 * service can hand it to the UI like its other models and bindings can
 * see it; it is immutable after parsing, so it needs no properties or
 * signals.  The parser object only carries the limits. */

struct _PochtaMessageParser
{
  GObject parent_instance;

  guint   max_depth;
  guint   max_parts;
  guint   max_index_bytes;
  guint64 max_message_size;
};

enum {
  PROP_0,
  PROP_MAX_DEPTH,
  PROP_MAX_PARTS,
  PROP_MAX_INDEX_BYTES,
  PROP_MAX_MESSAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PochtaMessageParser, pochta_message_parser, G_TYPE_OBJECT)

typedef struct
{
  guint   max_depth;
  guint   max_parts;
  guint   max_index_bytes;
  guint64 max_message_size;
} Limits;

/* GMime reports what it had to work around through this callback; only
 * the issues a reader would notice count as "malformed" (duplicated
 * headers do not, and raw 8-bit headers are judged by the charset code). */
static void
on_parser_warning (gint64              offset,
                   GMimeParserWarning  code,
                   const char         *item,
                   gpointer            user_data)
{
  PochtaMessageProblems *problems = user_data;

  switch (code)
    {
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_WARN_PART_WITHOUT_CONTENT:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    case GMIME_CRIT_NESTING_OVERFLOW:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      *problems |= POCHTA_MESSAGE_PROBLEM_STRUCTURE;
      break;
    case GMIME_WARN_INVALID_CONTENT_TYPE:
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
    case GMIME_WARN_INVALID_PARAMETER:
    case GMIME_WARN_INVALID_ADDRESS_LIST:
    case GMIME_CRIT_INVALID_HEADER_NAME:
    case GMIME_CRIT_CONFLICTING_HEADER:
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      *problems |= POCHTA_MESSAGE_PROBLEM_HEADER;
      break;
    case GMIME_WARN_DUPLICATED_HEADER:
    case GMIME_WARN_DUPLICATED_PARAMETER:
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
    default:
      break;
    }
}

static GMimeParserOptions *
new_options (void)
{
  static const char *fallback[] = { "utf-8", "windows-1252", NULL };
  GMimeParserOptions *options = g_mime_parser_options_new ();

  /* Loose everywhere: the reader must show what real mailers produce. */
  g_mime_parser_options_set_rfc2047_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain (options, TRUE);
  g_mime_parser_options_set_fallback_charsets (options, fallback);
  return options;
}

/* GMime splits lines at LF only, so a bare CR hides the next header or
 * boundary inside the current line.  Every CRLF and lone CR becomes LF;
 * only a "binary" part could mind, and SMTP does not carry those. */
static GByteArray *
normalize_line_ends (const guint8 *data,
                     gsize         len,
                     gboolean     *bare_cr)
{
  GByteArray *out = g_byte_array_sized_new (len);
  const guint8 *p = data;
  const guint8 *end = data + len;
  const guint8 *cr;
  guint8 *o;

  *bare_cr = FALSE;
  if ((cr = memchr (data, '\r', len)) == NULL)
    return g_byte_array_append (out, data, len);

  /* Spans between CRs are copied whole: a message is megabytes of them. */
  g_byte_array_set_size (out, len);
  o = out->data;
  while (cr != NULL)
    {
      memcpy (o, p, cr - p);
      o += cr - p;
      if (cr + 1 < end && cr[1] == '\n')
        p = cr + 1;            /* the LF that follows is copied next */
      else
        {
          *o++ = '\n';
          *bare_cr = TRUE;
          p = cr + 1;
        }
      cr = memchr (p, '\r', end - p);
    }
  memcpy (o, p, end - p);
  o += end - p;
  g_byte_array_set_size (out, o - out->data);

  return out;
}

static void
add_warning_reasons (PochtaMessage         *msg,
                     PochtaMessageProblems  problems)
{
  if (problems & POCHTA_MESSAGE_PROBLEM_STRUCTURE)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_STRUCTURE,
                                 _("The MIME structure is broken or the message is cut off"));
  if (problems & POCHTA_MESSAGE_PROBLEM_HEADER)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_HEADER,
                                 _("Some headers are malformed"));
}

static PochtaMessage *
parse (const Limits  *limits,
       GBytes        *bytes,
       GError       **error)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  GMimeParserOptions *parse_options;
  PochtaParseContext ctx = { 0 };
  PochtaMessageProblems problems = POCHTA_MESSAGE_PROBLEM_NONE;
  PochtaMessage *msg;
  gboolean bare_cr;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  pochta_mime_ensure_init ();

  if (limits->max_message_size > 0 && len > limits->max_message_size)
    {
      g_set_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_LIMIT,
                   _("The message is larger than %llu bytes"),
                   (unsigned long long) limits->max_message_size);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_MALFORMED,
                   _("The message is empty"));
      return NULL;
    }

  stream = g_mime_stream_mem_new_with_byte_array (normalize_line_ends (data, len, &bare_cr));
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);

  /* The warning callback points at this frame, so those options never
   * leave it; the message keeps a copy without it. */
  parse_options = new_options ();
  g_mime_parser_options_set_warning_callback (parse_options, on_parser_warning, &problems);
  message = g_mime_parser_construct_message (parser, parse_options);
  g_mime_parser_options_free (parse_options);

  if (message == NULL)
    {
      g_set_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_MALFORMED,
                   _("The data is not an email message"));
      return NULL;
    }

  ctx.options = new_options ();
  ctx.max_depth = limits->max_depth;
  ctx.max_parts = limits->max_parts;
  ctx.max_index_bytes = limits->max_index_bytes;
  msg = _pochta_message_build (&ctx, message, "", 0);
  g_mime_parser_options_free (ctx.options);

  add_warning_reasons (msg, problems);
  if (bare_cr)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_STRUCTURE,
                                 _("Some lines end in a bare carriage return"));
  return msg;
}

static void
get_limits (PochtaMessageParser *self,
            Limits              *limits)
{
  limits->max_depth = self->max_depth;
  limits->max_parts = self->max_parts;
  limits->max_index_bytes = self->max_index_bytes;
  limits->max_message_size = self->max_message_size;
}

static void
pochta_message_parser_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PochtaMessageParser *self = POCHTA_MESSAGE_PARSER (object);

  switch (prop_id)
    {
    case PROP_MAX_DEPTH:
      g_value_set_uint (value, self->max_depth);
      break;
    case PROP_MAX_PARTS:
      g_value_set_uint (value, self->max_parts);
      break;
    case PROP_MAX_INDEX_BYTES:
      g_value_set_uint (value, self->max_index_bytes);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_parser_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PochtaMessageParser *self = POCHTA_MESSAGE_PARSER (object);

  switch (prop_id)
    {
    case PROP_MAX_DEPTH:
      pochta_message_parser_set_max_depth (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PARTS:
      pochta_message_parser_set_max_parts (self, g_value_get_uint (value));
      break;
    case PROP_MAX_INDEX_BYTES:
      pochta_message_parser_set_max_index_bytes (self, g_value_get_uint (value));
      break;
    case PROP_MAX_MESSAGE_SIZE:
      pochta_message_parser_set_max_message_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_parser_class_init (PochtaMessageParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pochta_message_parser_get_property;
  object_class->set_property = pochta_message_parser_set_property;

  properties[PROP_MAX_DEPTH] =
    g_param_spec_uint ("max-depth", NULL, NULL,
                       1, 1024, POCHTA_MESSAGE_PARSER_DEFAULT_MAX_DEPTH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PARTS] =
    g_param_spec_uint ("max-parts", NULL, NULL,
                       1, G_MAXUINT, POCHTA_MESSAGE_PARSER_DEFAULT_MAX_PARTS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_INDEX_BYTES] =
    g_param_spec_uint ("max-index-bytes", NULL, NULL,
                       0, G_MAXUINT, POCHTA_MESSAGE_PARSER_DEFAULT_MAX_INDEX_BYTES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL,
                         0, G_MAXUINT64, POCHTA_MESSAGE_PARSER_DEFAULT_MAX_MESSAGE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_message_parser_init (PochtaMessageParser *self)
{
  self->max_depth = POCHTA_MESSAGE_PARSER_DEFAULT_MAX_DEPTH;
  self->max_parts = POCHTA_MESSAGE_PARSER_DEFAULT_MAX_PARTS;
  self->max_index_bytes = POCHTA_MESSAGE_PARSER_DEFAULT_MAX_INDEX_BYTES;
  self->max_message_size = POCHTA_MESSAGE_PARSER_DEFAULT_MAX_MESSAGE_SIZE;
}

/**
 * pochta_message_parser_new:
 *
 * Returns: (transfer full): a parser with the default limits
 */
PochtaMessageParser *
pochta_message_parser_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_PARSER, NULL);
}

guint
pochta_message_parser_get_max_depth (PochtaMessageParser *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), 0);
  return self->max_depth;
}

/**
 * pochta_message_parser_set_max_depth:
 * @self: a #PochtaMessageParser
 * @max_depth: how many multipart or message/rfc822 levels to descend
 *
 * Deeper parts are not shown and the message is marked with
 * %POCHTA_MESSAGE_PROBLEM_LIMIT.
 */
void
pochta_message_parser_set_max_depth (PochtaMessageParser *self,
                                     guint                max_depth)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_PARSER (self));
  g_return_if_fail (max_depth > 0);

  if (self->max_depth == max_depth)
    return;
  self->max_depth = max_depth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DEPTH]);
}

guint
pochta_message_parser_get_max_parts (PochtaMessageParser *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), 0);
  return self->max_parts;
}

/**
 * pochta_message_parser_set_max_parts:
 * @self: a #PochtaMessageParser
 * @max_parts: how many parts (all levels, forwarded messages included) to
 *   take; the rest are dropped with %POCHTA_MESSAGE_PROBLEM_LIMIT
 */
void
pochta_message_parser_set_max_parts (PochtaMessageParser *self,
                                     guint                max_parts)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_PARSER (self));
  g_return_if_fail (max_parts > 0);

  if (self->max_parts == max_parts)
    return;
  self->max_parts = max_parts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PARTS]);
}

guint
pochta_message_parser_get_max_index_bytes (PochtaMessageParser *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), 0);
  return self->max_index_bytes;
}

/**
 * pochta_message_parser_set_max_index_bytes:
 * @self: a #PochtaMessageParser
 * @max_bytes: the cap of pochta_message_get_index_text(), in bytes
 */
void
pochta_message_parser_set_max_index_bytes (PochtaMessageParser *self,
                                           guint                max_bytes)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_PARSER (self));

  if (self->max_index_bytes == max_bytes)
    return;
  self->max_index_bytes = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INDEX_BYTES]);
}

guint64
pochta_message_parser_get_max_message_size (PochtaMessageParser *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), 0);
  return self->max_message_size;
}

/**
 * pochta_message_parser_set_max_message_size:
 * @self: a #PochtaMessageParser
 * @max_size: the largest message to parse, in bytes; 0 for no limit
 */
void
pochta_message_parser_set_max_message_size (PochtaMessageParser *self,
                                            guint64              max_size)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_PARSER (self));

  if (self->max_message_size == max_size)
    return;
  self->max_message_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MESSAGE_SIZE]);
}

/**
 * pochta_message_parser_parse_bytes:
 * @self: a #PochtaMessageParser
 * @bytes: a raw RFC 5322 message (CRLF, LF or a mix)
 * @error: return location for a #GError
 *
 * Parses a message.  A malformed message is not an error: it yields what
 * can be shown, with pochta_message_is_malformed() set.  Errors are only
 * %POCHTA_MIME_ERROR_LIMIT for a message over the size limit and
 * %POCHTA_MIME_ERROR_MALFORMED for data with nothing to show.  Blocks for
 * as long as parsing takes: use the async variant on the main thread.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
PochtaMessage *
pochta_message_parser_parse_bytes (PochtaMessageParser  *self,
                                   GBytes               *bytes,
                                   GError              **error)
{
  Limits limits;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  get_limits (self, &limits);
  return parse (&limits, bytes, error);
}

/**
 * pochta_message_parser_parse_stream:
 * @self: a #PochtaMessageParser
 * @stream: a stream of a raw message, read to its end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like pochta_message_parser_parse_bytes(), reading @stream first; a
 * stream longer than #PochtaMessageParser:max-message-size fails with
 * %POCHTA_MIME_ERROR_LIMIT without being read further.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
PochtaMessage *
pochta_message_parser_parse_stream (PochtaMessageParser  *self,
                                    GInputStream         *stream,
                                    GCancellable         *cancellable,
                                    GError              **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  guint8 buf[65536];
  gssize n;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while ((n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error)) > 0)
    {
      if (self->max_message_size > 0 && data->len + (guint64) n > self->max_message_size)
        {
          g_set_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_LIMIT,
                       _("The message is larger than %llu bytes"),
                       (unsigned long long) self->max_message_size);
          return NULL;
        }
      g_byte_array_append (data, buf, n);
    }
  if (n < 0)
    return NULL;

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return pochta_message_parser_parse_bytes (self, bytes, error);
}

typedef struct
{
  Limits  limits;
  GBytes *bytes;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  g_autoptr(GError) error = NULL;
  PochtaMessage *msg;

  if (g_task_return_error_if_cancelled (task))
    return;
  msg = parse (&data->limits, data->bytes, &error);
  if (msg == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, msg, g_object_unref);
}

/**
 * pochta_message_parser_parse_bytes_async:
 * @self: a #PochtaMessageParser
 * @bytes: a raw RFC 5322 message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Parses in a worker thread with the limits @self has now.
 */
void
pochta_message_parser_parse_bytes_async (PochtaMessageParser *self,
                                         GBytes              *bytes,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  g_return_if_fail (POCHTA_IS_MESSAGE_PARSER (self));
  g_return_if_fail (bytes != NULL);

  data = g_new0 (ParseData, 1);
  get_limits (self, &data->limits);
  data->bytes = g_bytes_ref (bytes);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_message_parser_parse_bytes_async);
  g_task_set_task_data (task, data, (GDestroyNotify) parse_data_free);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * pochta_message_parser_parse_bytes_finish:
 * @self: a #PochtaMessageParser
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
PochtaMessage *
pochta_message_parser_parse_bytes_finish (PochtaMessageParser  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_PARSER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
