/* pochta-message-parser-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a PochtaMessage from GMime's tree: headers, parts with their IMAP
 * sections, the best text alternatives, attachments, preview and index text.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-charset.h"
#include "pochta-message-private.h"
#include "pochta-message-text.h"

static void
add_limit_problem (PochtaParseContext *ctx,
                   PochtaMessage      *msg,
                   gboolean            depth)
{
  g_autofree char *reason = NULL;

  if (depth)
    reason = g_strdup_printf (_("Parts nested deeper than %u levels are not shown"),
                              ctx->max_depth);
  else
    reason = g_strdup_printf (_("Only the first %u parts of the message are shown"),
                              ctx->max_parts);
  _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_LIMIT, reason);
}

/* A leftover "utf-8''" or "iso-8859-1'de'" in front of a name means GMime
 * met RFC 2231 segments out of order and glued the charset prefix in. */
static char *
strip_rfc2231_prefix (const char *name)
{
  const char *p = name;
  const char *q;

  while (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == ':')
    p++;
  if (p == name || *p != '\'')
    return g_strdup (name);
  q = strchr (p + 1, '\'');
  if (q == NULL || strspn (p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
                   != (gsize) (q - p - 1))
    return g_strdup (name);
  return g_strdup (q + 1);
}

static char *
clean_filename (PochtaParseContext *ctx,
                PochtaMessage      *msg,
                const char         *name)
{
  g_autofree char *utf8 = NULL;
  g_autofree char *stripped = NULL;

  if (name == NULL || *name == '\0')
    return NULL;
  utf8 = pochta_charset_to_utf8 (name, -1, NULL, NULL, NULL);
  stripped = strip_rfc2231_prefix (utf8);
  if (strcmp (stripped, utf8) != 0)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_HEADER,
                                 _("A file name has RFC 2231 segments out of order"));
  /* Encoded words GMime left alone, e.g. split over RFC 2231 segments. */
  if (strstr (stripped, "=?") != NULL)
    return g_mime_utils_header_decode_text (ctx->options, stripped);
  return g_steal_pointer (&stripped);
}

static void
describe_part (PochtaParseContext *ctx,
               PochtaMessage      *msg,
               PochtaMessagePart  *part,
               GMimeObject        *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);
  const char *filename = NULL;
  const char *cid;

  if (type != NULL)
    {
      g_autofree char *mime_type = g_mime_content_type_get_mime_type (type);
      GMimeParamList *params = g_mime_content_type_get_parameters (type);
      int n = params != NULL ? g_mime_param_list_length (params) : 0;

      part->mime_type = g_ascii_strdown (mime_type, -1);
      for (int i = 0; i < n; i++)
        {
          GMimeParam *param = g_mime_param_list_get_parameter_at (params, i);
          const char *name = g_mime_param_get_name (param);
          const char *value = g_mime_param_get_value (param);

          if (name != NULL && value != NULL)
            {
              g_autofree char *key = g_ascii_strdown (name, -1);

              if (!g_hash_table_contains (part->parameters, key))
                g_hash_table_insert (part->parameters, g_steal_pointer (&key),
                                     pochta_charset_to_utf8 (value, -1, NULL, NULL, NULL));
            }
        }
    }
  else
    part->mime_type = g_strdup ("text/plain");

  if (disposition != NULL && g_mime_content_disposition_get_disposition (disposition) != NULL)
    {
      /* RFC 2183: an unknown disposition is treated as "attachment". */
      part->disposition = g_strdup (g_mime_content_disposition_is_attachment (disposition)
                                    ? "attachment" : "inline");
      filename = g_mime_content_disposition_get_parameter (disposition, "filename");
    }

  if (GMIME_IS_PART (object))
    filename = g_mime_part_get_filename (GMIME_PART (object));
  else if (filename == NULL)
    filename = g_hash_table_lookup (part->parameters, "name");
  part->filename = clean_filename (ctx, msg, filename);

  cid = g_mime_object_get_content_id (object);
  if (cid != NULL && *cid != '\0')
    part->content_id = pochta_charset_to_utf8 (cid, -1, NULL, NULL, NULL);
}

/* Base64's decoded size from its text, as GMime's decoder comes to it:
 * three bytes for every four characters of the alphabet (whatever lies
 * between them) up to the first '=', where a partial group still counts;
 * without padding it does not. Attachments come mostly in base64, and
 * decoding them only to count their bytes was a tenth of the parsing in a
 * full sync. */
static guint64
base64_decoded_size (GMimeStream *stream)
{
  char buf[8192];
  guint64 chars = 0;
  gboolean padded = FALSE;
  gssize n;

  g_mime_stream_reset (stream);
  while (!padded && (n = g_mime_stream_read (stream, buf, sizeof buf)) > 0)
    for (gssize i = 0; i < n && !padded; i++)
      {
        chars += g_ascii_isalnum (buf[i]) || buf[i] == '+' || buf[i] == '/';
        padded = buf[i] == '=';
      }
  g_mime_stream_reset (stream);

  return padded ? chars * 3 / 4 : chars / 4 * 3;
}

/* Decoded size, by decoding into a stream that only counts. */
static guint64
decoded_size (GMimeObject *object)
{
  g_autoptr(GMimeStream) null = g_mime_stream_null_new ();

  if (GMIME_IS_PART (object))
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
      GMimeStream *encoded = content != NULL ? g_mime_data_wrapper_get_stream (content) : NULL;

      if (encoded == NULL)
        return 0;
      if (g_mime_data_wrapper_get_encoding (content) == GMIME_CONTENT_ENCODING_BASE64)
        return base64_decoded_size (encoded);
      g_mime_data_wrapper_write_to_stream (content, null);
    }
  else if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (message == NULL)
        return 0;
      g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, null);
    }
  return GMIME_STREAM_NULL (null)->written;
}

/* A multipart whose declared boundary never occurs ("=_outer_" declared,
 * "=_0uter_" used) has all its parts in the preamble.  If the preamble
 * has delimiter lines of its own, parse it again with that boundary. */
static char *
find_boundary (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *token = NULL;
      gsize len;
      guint seen = 0;

      if (!g_str_has_prefix (lines[i], "--") || lines[i][2] == '\0' || lines[i][2] == '-')
        continue;
      token = g_strchomp (g_strdup (lines[i] + 2));
      len = strlen (token);
      if (len == 0 || len > 70 || strchr (token, '"') != NULL || strchr (token, '\\') != NULL)
        continue;
      for (guint j = i; lines[j] != NULL; j++)
        if (g_str_has_prefix (lines[j], "--") && strncmp (lines[j] + 2, token, len) == 0)
          seen++;
      if (seen >= 2)
        return g_steal_pointer (&token);
    }
  return NULL;
}

static GMimeObject *
recover_multipart (PochtaParseContext *ctx,
                   PochtaMessagePart  *part,
                   GMimeMultipart     *multipart)
{
  const char *prologue = g_mime_multipart_get_prologue (multipart);
  g_autofree char *boundary = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeObject) object = NULL;

  if (prologue == NULL || (boundary = find_boundary (prologue)) == NULL)
    return NULL;

  text = g_strdup_printf ("Content-Type: %s; boundary=\"%s\"\n\n%s",
                          part->mime_type, boundary, prologue);
  stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  parser = g_mime_parser_new_with_stream (stream);
  object = g_mime_parser_construct_part (parser, ctx->options);
  if (object == NULL || !GMIME_IS_MULTIPART (object)
      || g_mime_multipart_get_count (GMIME_MULTIPART (object)) == 0)
    return NULL;
  return g_steal_pointer (&object);
}

static char *
child_section (const char *prefix,
               int         index)
{
  if (*prefix == '\0')
    return g_strdup_printf ("%d", index + 1);
  return g_strdup_printf ("%s.%d", prefix, index + 1);
}

static PochtaMessagePart *
walk (PochtaParseContext *ctx,
      PochtaMessage      *msg,
      GMimeObject        *object,
      const char         *section,
      const char         *child_prefix,
      guint               depth)
{
  g_autoptr(PochtaMessagePart) part = _pochta_message_part_new (object, section);

  ctx->n_parts++;
  describe_part (ctx, msg, part, object);

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n;

      part->is_multipart = TRUE;
      if (g_mime_multipart_get_count (multipart) == 0)
        {
          g_autoptr(GMimeObject) recovered = recover_multipart (ctx, part, multipart);

          if (recovered != NULL)
            {
              _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_STRUCTURE,
                                           _("The parts of the message do not use the boundary it declares"));
              g_set_object (&part->object, recovered);
              multipart = GMIME_MULTIPART (recovered);
            }
        }

      n = g_mime_multipart_get_count (multipart);
      if (n > 0 && depth + 1 > ctx->max_depth)
        {
          add_limit_problem (ctx, msg, TRUE);
          return g_steal_pointer (&part);
        }
      for (int i = 0; i < n; i++)
        {
          g_autofree char *sub_section = child_section (child_prefix, i);
          GMimeObject *child = g_mime_multipart_get_part (multipart, i);

          if (ctx->n_parts >= ctx->max_parts)
            {
              add_limit_problem (ctx, msg, FALSE);
              break;
            }
          g_ptr_array_add (part->children,
                           walk (ctx, msg, child, sub_section, sub_section, depth + 1));
        }
    }
  else if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      part->size = decoded_size (object);
      if (inner != NULL && (depth + 1 > ctx->max_depth || ctx->n_parts >= ctx->max_parts))
        add_limit_problem (ctx, msg, depth + 1 > ctx->max_depth);
      else if (inner != NULL)
        {
          PochtaMessage *embedded = _pochta_message_build (ctx, inner, section, depth + 1);
          const char * const *reasons = pochta_message_get_malformed_reasons (embedded);

          /* What is wrong inside a forwarded message is wrong with this one. */
          for (guint i = 0; reasons[i] != NULL; i++)
            _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_NONE, reasons[i]);
          _pochta_message_add_problem (msg, pochta_message_get_problems (embedded), NULL);

          part->embedded = embedded;
          if (embedded->body != NULL)
            g_ptr_array_add (part->children, g_object_ref (embedded->body));
          if (part->filename == NULL)
            part->filename = g_strdup_printf ("%s.eml", embedded->subject != NULL
                                              && *embedded->subject != '\0'
                                              ? embedded->subject : "message");
        }
    }
  else
    part->size = decoded_size (object);

  return g_steal_pointer (&part);
}

/* A text leaf is body text unless it is marked as an attachment, or is
 * named without being explicitly inline (a .txt file sent "as is"). */
static gboolean
is_body_text (PochtaMessagePart *part)
{
  if (g_strcmp0 (part->mime_type, "text/plain") != 0 && g_strcmp0 (part->mime_type, "text/html") != 0)
    return FALSE;
  if (g_strcmp0 (part->disposition, "attachment") == 0)
    return FALSE;
  return part->filename == NULL || g_strcmp0 (part->disposition, "inline") == 0;
}

static void
append_text (GString    *out,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, "\n\n");
  g_string_append (out, text);
}

static void
string_free (GString *string)
{
  g_string_free (string, TRUE);
}

static void
collect_text (PochtaMessage     *msg,
              PochtaMessagePart *part,
              GString           *plain,
              GString           *html)
{
  const char *subtype;

  if (part->is_multipart)
    {
      subtype = strchr (part->mime_type, '/') != NULL ? strchr (part->mime_type, '/') + 1 : "";
      if (g_str_equal (subtype, "alternative"))
        {
          g_autoptr(GString) best_plain = NULL;
          g_autoptr(GString) best_html = NULL;

          /* RFC 2046 5.1.4: the last alternative is the richest one that
           * the sender preferred. */
          for (guint i = 0; i < part->children->len; i++)
            {
              g_autoptr(GString) p = g_string_new (NULL);
              g_autoptr(GString) h = g_string_new (NULL);

              collect_text (msg, g_ptr_array_index (part->children, i), p, h);
              if (p->len > 0)
                {
                  g_clear_pointer (&best_plain, string_free);
                  best_plain = g_steal_pointer (&p);
                }
              if (h->len > 0)
                {
                  g_clear_pointer (&best_html, string_free);
                  best_html = g_steal_pointer (&h);
                }
            }
          append_text (plain, best_plain != NULL ? best_plain->str : NULL);
          append_text (html, best_html != NULL ? best_html->str : NULL);
        }
      else if (g_str_equal (subtype, "related"))
        {
          const char *start = pochta_message_part_get_parameter (part, "start");
          PochtaMessagePart *root = part->children->len > 0 ? part->children->pdata[0] : NULL;

          for (guint i = 0; start != NULL && i < part->children->len; i++)
            {
              PochtaMessagePart *child = part->children->pdata[i];

              if (child->content_id != NULL && strstr (start, child->content_id) != NULL)
                root = child;
            }
          if (root != NULL)
            collect_text (msg, root, plain, html);
        }
      else if (g_str_equal (subtype, "signed"))
        {
          if (part->children->len > 0)
            collect_text (msg, part->children->pdata[0], plain, html);
        }
      else if (!g_str_equal (subtype, "encrypted"))
        {
          for (guint i = 0; i < part->children->len; i++)
            collect_text (msg, part->children->pdata[i], plain, html);
        }
    }
  else if (part->embedded == NULL && is_body_text (part))
    {
      PochtaCharsetSource source;
      g_autofree char *text = _pochta_message_part_decode_text (part, &source);

      part->is_body = TRUE;
      if (source == POCHTA_CHARSET_SOURCE_GUESSED || source == POCHTA_CHARSET_SOURCE_LOSSY)
        _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_CHARSET,
                                     _("The text does not declare its charset correctly; it was guessed"));
      append_text (g_str_equal (part->mime_type, "text/html") ? html : plain, text);
    }
}

static void
collect_attachments (PochtaMessage     *msg,
                     PochtaMessagePart *part)
{
  if (part->content_id != NULL && !g_hash_table_contains (msg->cid_map, part->content_id))
    g_hash_table_insert (msg->cid_map, g_strdup (part->content_id), g_object_ref (part));

  if (part->is_multipart)
    {
      for (guint i = 0; i < part->children->len; i++)
        collect_attachments (msg, part->children->pdata[i]);
      return;
    }
  if (part->is_body)
    return;

  part->is_attachment = TRUE;
  part->is_inline = g_strcmp0 (part->disposition, "inline") == 0
                    || (part->disposition == NULL && part->content_id != NULL);
  g_ptr_array_add (msg->attachments, g_object_ref (part));
}

static void
decode_headers (PochtaParseContext *ctx,
                PochtaMessage      *msg,
                GMimeHeaderList    *headers)
{
  static const struct
  {
    const char *name;
    gsize       offset;
  } address_headers[] = {
    { "From", G_STRUCT_OFFSET (PochtaMessage, from) },
    { "Sender", G_STRUCT_OFFSET (PochtaMessage, sender) },
    { "Reply-To", G_STRUCT_OFFSET (PochtaMessage, reply_to) },
    { "To", G_STRUCT_OFFSET (PochtaMessage, to) },
    { "Cc", G_STRUCT_OFFSET (PochtaMessage, cc) },
    { "Bcc", G_STRUCT_OFFSET (PochtaMessage, bcc) },
  };
  g_autofree char *subject = _pochta_mime_header_raw (headers, "Subject");
  g_autofree char *date = _pochta_mime_header_raw (headers, "Date");
  g_autofree char *message_id = _pochta_mime_header_raw (headers, "Message-ID");
  g_autofree char *in_reply_to = _pochta_mime_header_raw (headers, "In-Reply-To");
  g_autofree char *references = _pochta_mime_header_raw (headers, "References");
  gboolean guessed = FALSE;

  msg->subject = _pochta_mime_decode_text (ctx->options, subject, &guessed);
  for (guint i = 0; i < G_N_ELEMENTS (address_headers); i++)
    {
      GPtrArray **field = G_STRUCT_MEMBER_P (msg, address_headers[i].offset);
      g_autofree char *raw = _pochta_mime_header_raw (headers, address_headers[i].name);

      g_clear_pointer (field, g_ptr_array_unref);
      *field = _pochta_mime_decode_addresses (ctx->options, raw, &guessed);
    }
  if (guessed)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_CHARSET,
                                 _("Some headers have raw 8-bit text; its charset was guessed"));

  msg->date = _pochta_mime_decode_date (date);
  if (date == NULL)
    _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_DATE,
                                 _("The message has no Date header"));
  else if (msg->date == NULL)
    {
      g_autofree char *shown = pochta_charset_to_utf8 (date, -1, NULL, NULL, NULL);
      g_autofree char *reason = g_strdup_printf (_("The date “%s” could not be read"), shown);

      _pochta_message_add_problem (msg, POCHTA_MESSAGE_PROBLEM_DATE, reason);
    }

  msg->message_id = _pochta_mime_decode_message_id (message_id);
  g_clear_pointer (&msg->in_reply_to, g_strfreev);
  msg->in_reply_to = _pochta_mime_decode_references (ctx->options, in_reply_to);
  g_clear_pointer (&msg->references, g_strfreev);
  msg->references = _pochta_mime_decode_references (ctx->options, references);
}

static void
take_body_text (PochtaParseContext *ctx,
                PochtaMessage      *msg)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) html = g_string_new (NULL);

  collect_text (msg, msg->body, plain, html);

  /* Nothing recoverable in a multipart that found no parts: its preamble
   * is all there is, so show it rather than an empty message. */
  if (plain->len == 0 && html->len == 0 && msg->body->is_multipart
      && msg->body->children->len == 0 && GMIME_IS_MULTIPART (msg->body->object))
    {
      const char *prologue = g_mime_multipart_get_prologue (GMIME_MULTIPART (msg->body->object));

      if (prologue != NULL)
        {
          g_autofree char *text = pochta_charset_to_utf8 (prologue, -1, NULL, NULL, NULL);

          g_string_assign (plain, g_strstrip (text));
        }
    }

  if (plain->len > 0)
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      guint room = ctx->max_parts > ctx->n_parts ? ctx->max_parts - ctx->n_parts : 0;
      g_autofree char *rest = _pochta_message_extract_uuencoded (plain->str, files, room);

      if (rest != NULL)
        g_string_assign (plain, rest);
      for (guint i = 0; i < files->len; i++)
        g_ptr_array_add (msg->attachments, g_object_ref (files->pdata[i]));
      ctx->n_parts += files->len;
      msg->text_plain = g_strdup (plain->str);
    }
  if (html->len > 0)
    msg->text_html = g_strdup (html->str);
}

static void
make_preview_and_index (PochtaParseContext *ctx,
                        PochtaMessage      *msg)
{
  g_autofree char *html_text = NULL;
  const char *text = msg->text_plain;
  GString *index;

  if (text == NULL && msg->text_html != NULL)
    text = html_text = pochta_message_html_to_text (msg->text_html, -1);
  msg->preview = pochta_message_make_preview (text != NULL ? text : "",
                                              POCHTA_MESSAGE_PREVIEW_LENGTH);

  index = g_string_new (text);
  for (guint i = 0; i < msg->attachments->len && index->len < ctx->max_index_bytes; i++)
    {
      PochtaMessagePart *part = msg->attachments->pdata[i];

      if (part->embedded == NULL)
        continue;
      append_text (index, part->embedded->subject);
      append_text (index, part->embedded->index_text);
    }
  if (index->len > ctx->max_index_bytes)
    {
      const char *end = g_utf8_find_prev_char (index->str, index->str + ctx->max_index_bytes + 1);

      g_string_truncate (index, end != NULL ? (gsize) (end - index->str) : 0);
    }
  msg->index_text = g_string_free (index, FALSE);
}

PochtaMessage *
_pochta_message_build (PochtaParseContext *ctx,
                       GMimeMessage       *message,
                       const char         *prefix,
                       guint               depth)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  g_autoptr(PochtaMessage) msg = _pochta_message_new (headers, ctx->options);
  GMimeObject *root = g_mime_message_get_mime_part (message);

  decode_headers (ctx, msg, headers);

  if (root != NULL)
    {
      g_autofree char *section = NULL;

      /* IMAP numbering: a top-level single part is "1", a multipart is
       * the message's "TEXT" and its children count from the prefix. */
      if (GMIME_IS_MULTIPART (root))
        section = *prefix != '\0' ? g_strdup_printf ("%s.TEXT", prefix) : g_strdup ("TEXT");
      else
        section = child_section (prefix, 0);
      msg->body = walk (ctx, msg, root, section, prefix, depth);
      take_body_text (ctx, msg);
      collect_attachments (msg, msg->body);
    }

  make_preview_and_index (ctx, msg);
  return g_steal_pointer (&msg);
}
