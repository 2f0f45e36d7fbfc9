/* pochta-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A parsed RFC 5322 message as Pochta shows and indexes it.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include "pochta-address.h"
#include "pochta-message-private.h"

/* A PochtaMessage is immutable once PochtaMessageParser returns it, so it
 * may be handed between threads; only reading part content goes through
 * GMime streams, which one thread at a time may do per message. */

G_DEFINE_FINAL_TYPE (PochtaMessage, pochta_message, G_TYPE_OBJECT)

static void
pochta_message_dispose (GObject *object)
{
  PochtaMessage *self = (PochtaMessage *) object;

  g_clear_object (&self->body);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->cid_map, g_hash_table_unref);

  G_OBJECT_CLASS (pochta_message_parent_class)->dispose (object);
}

static void
pochta_message_finalize (GObject *object)
{
  PochtaMessage *self = (PochtaMessage *) object;

  g_clear_object (&self->headers);
  g_clear_pointer (&self->options, g_mime_parser_options_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->from, g_ptr_array_unref);
  g_clear_pointer (&self->sender, g_ptr_array_unref);
  g_clear_pointer (&self->reply_to, g_ptr_array_unref);
  g_clear_pointer (&self->to, g_ptr_array_unref);
  g_clear_pointer (&self->cc, g_ptr_array_unref);
  g_clear_pointer (&self->bcc, g_ptr_array_unref);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->in_reply_to, g_strfreev);
  g_clear_pointer (&self->references, g_strfreev);
  g_clear_pointer (&self->text_plain, g_free);
  g_clear_pointer (&self->text_html, g_free);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->index_text, g_free);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);

  G_OBJECT_CLASS (pochta_message_parent_class)->finalize (object);
}

static void
pochta_message_class_init (PochtaMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_message_dispose;
  object_class->finalize = pochta_message_finalize;
}

static void
pochta_message_init (PochtaMessage *self)
{
  GPtrArray **lists[] = { &self->from, &self->sender, &self->reply_to, &self->to, &self->cc,
                          &self->bcc };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    *lists[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_address_free);
  self->in_reply_to = g_new0 (char *, 1);
  self->references = g_new0 (char *, 1);
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
  self->cid_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->reasons = g_ptr_array_new_with_free_func (g_free);
  /* NULL-terminated so get_malformed_reasons() can hand it out as a strv. */
  g_ptr_array_add (self->reasons, NULL);
}

PochtaMessage *
_pochta_message_new (GMimeHeaderList    *headers,
                     GMimeParserOptions *options)
{
  PochtaMessage *self = g_object_new (POCHTA_TYPE_MESSAGE, NULL);

  self->headers = headers != NULL ? g_object_ref (headers) : NULL;
  self->options = options != NULL ? g_mime_parser_options_clone (options) : NULL;
  return self;
}

void
_pochta_message_add_problem (PochtaMessage         *self,
                             PochtaMessageProblems  problem,
                             const char            *reason)
{
  g_assert (POCHTA_IS_MESSAGE (self));

  self->problems |= problem;
  if (reason == NULL)
    return;
  for (guint i = 0; i + 1 < self->reasons->len; i++)
    if (strcmp (g_ptr_array_index (self->reasons, i), reason) == 0)
      return;
  g_ptr_array_insert (self->reasons, self->reasons->len - 1, g_strdup (reason));
}

/**
 * pochta_message_get_subject:
 * @self: a #PochtaMessage
 *
 * Returns: (nullable): the decoded Subject in UTF-8, %NULL if there is none
 */
const char *
pochta_message_get_subject (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->subject;
}

/**
 * pochta_message_get_from:
 * @self: a #PochtaMessage
 *
 * The address getters (from, sender, reply-to, to, cc, bcc) return the
 * mailboxes of the header, with groups flattened.
 *
 * Returns: (transfer none) (element-type PochtaAddress): the From
 *   mailboxes, possibly empty, never %NULL
 */
GPtrArray *
pochta_message_get_from (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->from;
}

GPtrArray *
pochta_message_get_sender (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->sender;
}

GPtrArray *
pochta_message_get_reply_to (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->reply_to;
}

GPtrArray *
pochta_message_get_to (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->to;
}

GPtrArray *
pochta_message_get_cc (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->cc;
}

GPtrArray *
pochta_message_get_bcc (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->bcc;
}

/**
 * pochta_message_get_date:
 * @self: a #PochtaMessage
 *
 * Returns: (nullable) (transfer none): the Date header, %NULL when it is
 *   missing or unreadable (then %POCHTA_MESSAGE_PROBLEM_DATE is set and
 *   callers fall back to the server's internal date)
 */
GDateTime *
pochta_message_get_date (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->date;
}

/**
 * pochta_message_get_message_id:
 * @self: a #PochtaMessage
 *
 * Returns: (nullable): the Message-ID without the angle brackets
 */
const char *
pochta_message_get_message_id (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->message_id;
}

/**
 * pochta_message_get_in_reply_to:
 * @self: a #PochtaMessage
 *
 * Returns: (transfer none): the ids of In-Reply-To without brackets,
 *   possibly empty, never %NULL
 */
const char * const *
pochta_message_get_in_reply_to (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return (const char * const *) self->in_reply_to;
}

/**
 * pochta_message_get_references:
 * @self: a #PochtaMessage
 *
 * Returns: (transfer none): the ids of References, oldest first, without
 *   brackets, possibly empty, never %NULL
 */
const char * const *
pochta_message_get_references (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return (const char * const *) self->references;
}

/**
 * pochta_message_dup_header:
 * @self: a #PochtaMessage
 * @name: a header name, any case
 *
 * Decodes any header as unstructured text (RFC 2047 words, raw 8-bit
 * bytes through the charset fallback), e.g. List-Id or X-Mailer.
 *
 * Returns: (nullable) (transfer full): the first such header in UTF-8
 */
char *
pochta_message_dup_header (PochtaMessage *self,
                           const char    *name)
{
  g_autofree char *raw = NULL;

  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->headers == NULL || (raw = _pochta_mime_header_raw (self->headers, name)) == NULL)
    return NULL;
  return _pochta_mime_decode_text (self->options, raw, NULL);
}

/**
 * pochta_message_get_body:
 * @self: a #PochtaMessage
 *
 * Returns: (nullable) (transfer none): the root of the MIME tree
 */
PochtaMessagePart *
pochta_message_get_body (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->body;
}

/**
 * pochta_message_get_text_plain:
 * @self: a #PochtaMessage
 *
 * The best text/plain rendering in UTF-8: the plain alternative of each
 * multipart/alternative, inline text parts of a multipart/mixed joined
 * with a blank line, uuencoded blocks removed (they are attachments).
 *
 * Returns: (nullable): the plain text, %NULL if the message has none
 */
const char *
pochta_message_get_text_plain (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->text_plain;
}

/**
 * pochta_message_get_text_html:
 * @self: a #PochtaMessage
 *
 * Returns: (nullable): the best text/html rendering in UTF-8 (its own
 *   charset declaration, if any, is then stale: show it as UTF-8)
 */
const char *
pochta_message_get_text_html (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->text_html;
}

/**
 * pochta_message_get_attachments:
 * @self: a #PochtaMessage
 *
 * Every part that is not shown as the body text: files, inline images,
 * forwarded messages (message/rfc822, not their insides) and uuencoded
 * files found in the text.  pochta_message_part_is_inline() tells those
 * shown within the HTML from those to list.
 *
 * Returns: (transfer none) (element-type PochtaMessagePart): the attachments
 */
GPtrArray *
pochta_message_get_attachments (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->attachments;
}

/**
 * pochta_message_lookup_cid:
 * @self: a #PochtaMessage
 * @cid: "cid:part1@example.com", "<part1@example.com>" or the bare id
 *
 * Finds the part an HTML body refers to; "cid:" URLs are %-decoded first
 * (RFC 2392).
 *
 * Returns: (nullable) (transfer none): the part
 */
PochtaMessagePart *
pochta_message_lookup_cid (PochtaMessage *self,
                           const char    *cid)
{
  g_autofree char *unescaped = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (cid != NULL, NULL);

  if (g_ascii_strncasecmp (cid, "cid:", 4) == 0)
    {
      cid += 4;
      unescaped = g_uri_unescape_string (cid, NULL);
      if (unescaped != NULL)
        cid = unescaped;
    }
  len = strlen (cid);
  if (len >= 2 && cid[0] == '<' && cid[len - 1] == '>')
    bare = g_strndup (cid + 1, len - 2);
  else
    bare = g_strdup (cid);

  return g_hash_table_lookup (self->cid_map, bare);
}

/**
 * pochta_message_get_cid_map:
 * @self: a #PochtaMessage
 *
 * Returns: (transfer none) (element-type utf8 PochtaMessagePart): Content-ID
 *   (without brackets) to part, for serving cid: URLs
 */
GHashTable *
pochta_message_get_cid_map (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->cid_map;
}

/**
 * pochta_message_get_preview:
 * @self: a #PochtaMessage
 *
 * Returns: (not nullable): up to about 200 characters of what the sender
 *   wrote, for the message list: no quotes, no signature, one line
 */
const char *
pochta_message_get_preview (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->preview != NULL ? self->preview : "";
}

/**
 * pochta_message_get_index_text:
 * @self: a #PochtaMessage
 *
 * Returns: (not nullable): the body as plain text for the full-text index
 *   (HTML converted, forwarded messages included), capped by the parser's
 *   #PochtaMessageParser:max-index-bytes
 */
const char *
pochta_message_get_index_text (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return self->index_text != NULL ? self->index_text : "";
}

gboolean
pochta_message_is_malformed (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), FALSE);
  return self->problems != POCHTA_MESSAGE_PROBLEM_NONE;
}

PochtaMessageProblems
pochta_message_get_problems (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), POCHTA_MESSAGE_PROBLEM_NONE);
  return self->problems;
}

/**
 * pochta_message_get_malformed_reasons:
 * @self: a #PochtaMessage
 *
 * Returns: (transfer none): translated sentences, one per problem found,
 *   empty when the message is well formed
 */
const char * const *
pochta_message_get_malformed_reasons (PochtaMessage *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE (self), NULL);
  return (const char * const *) self->reasons->pdata;
}
