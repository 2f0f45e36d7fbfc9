/* pochta-sync-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One header FETCH (flags, envelope, body structure, References) turned
 * into the PochtaMessageRecord the cache stores. A header sync does this
 * for every message of a folder, so it reads the FETCH in place
 * (PochtaImapFetchView) instead of building a PochtaImapFetch and an
 * envelope only to copy their strings again.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <string.h>

#include "pochta-imap-body-structure.h"
#include "pochta-imap-decode-private.h"
#include "pochta-imap-envelope.h"
#include "pochta-sync-private.h"

/* Keywords that have a bit of their own; Junk/NonJunk are Thunderbird's
 * spelling of $Junk/$NotJunk. Anything else starting with a backslash is
 * a system flag we do not keep. */
static const struct
{
  const char         *name;
  PochtaMessageFlags  flag;
} known_flags[] = {
  { "\\Seen", POCHTA_MESSAGE_FLAG_SEEN },
  { "\\Answered", POCHTA_MESSAGE_FLAG_ANSWERED },
  { "\\Flagged", POCHTA_MESSAGE_FLAG_FLAGGED },
  { "\\Deleted", POCHTA_MESSAGE_FLAG_DELETED },
  { "\\Draft", POCHTA_MESSAGE_FLAG_DRAFT },
  { "\\Recent", POCHTA_MESSAGE_FLAG_RECENT },
  { "$Forwarded", POCHTA_MESSAGE_FLAG_FORWARDED },
  { "$Junk", POCHTA_MESSAGE_FLAG_JUNK },
  { "Junk", POCHTA_MESSAGE_FLAG_JUNK },
  { "$NotJunk", POCHTA_MESSAGE_FLAG_NOT_JUNK },
  { "NotJunk", POCHTA_MESSAGE_FLAG_NOT_JUNK },
  { "NonJunk", POCHTA_MESSAGE_FLAG_NOT_JUNK },
};

static void
add_flag (const char          *flag,
          PochtaMessageFlags  *result,
          GString            **others)
{
  for (guint j = 0; j < G_N_ELEMENTS (known_flags); j++)
    if (g_ascii_strcasecmp (flag, known_flags[j].name) == 0)
      {
        *result |= known_flags[j].flag;
        return;
      }

  if (flag[0] == '\\' || flag[0] == '\0' || others == NULL)
    return;

  if (*others == NULL)
    *others = g_string_new (NULL);
  else
    g_string_append_c (*others, ' ');
  g_string_append (*others, flag);
}

static PochtaMessageFlags
finish_flags (PochtaMessageFlags   result,
              GString             *others,
              char               **keywords)
{
  if (keywords != NULL)
    *keywords = others != NULL ? g_string_free (others, FALSE) : NULL;
  return result;
}

/**
 * _pochta_sync_flags_from_imap:
 * @flags: (nullable): the FLAGS of a FETCH
 * @keywords: (out) (optional): the other keywords, space separated, or
 *   %NULL for none
 */
PochtaMessageFlags
_pochta_sync_flags_from_imap (const char * const  *flags,
                              char               **keywords)
{
  PochtaMessageFlags result = POCHTA_MESSAGE_FLAG_NONE;
  GString *others = NULL;

  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    add_flag (flags[i], &result, keywords != NULL ? &others : NULL);

  return finish_flags (result, others, keywords);
}

/* The same from the FLAGS list of a FETCH view (atoms only). */
static PochtaMessageFlags
flags_from_list (const PochtaImapValue  *list,
                 char                  **keywords)
{
  PochtaMessageFlags result = POCHTA_MESSAGE_FLAG_NONE;
  GString *others = NULL;
  guint n = list != NULL ? pochta_imap_value_list_size (list) : 0;

  for (guint i = 0; i < n; i++)
    add_flag (pochta_imap_value_list_get (list, i)->data, &result, &others);

  return finish_flags (result, others, keywords);
}

/* RFC 5322 specials: a display name with one of them is quoted, so the
 * list still splits at its commas. */
static gboolean
name_needs_quotes (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (strchr ("()<>[]:;@\\,.\"", *p) != NULL)
      return TRUE;

  return FALSE;
}

static void
append_address (GString                     *out,
                const PochtaImapAddressView *address)
{
  g_autofree char *name = _pochta_imap_decode_header_text (address->name);
  gboolean has_name = name != NULL && name[0] != '\0';

  if (address->mailbox == NULL && !has_name)
    return;

  if (out->len > 0)
    g_string_append (out, ", ");

  if (has_name)
    {
      if (name_needs_quotes (name))
        pochta_imap_append_quoted (out, name);
      else
        g_string_append (out, name);
    }

  if (address->mailbox != NULL)
    {
      if (has_name)
        g_string_append (out, " <");
      pochta_imap_append_addr_spec (out, address->mailbox, address->host);
      if (has_name)
        g_string_append_c (out, '>');
    }
}

/**
 * _pochta_sync_format_addresses:
 * @list: (nullable): an address list of an ENVELOPE, as sent
 * @out: (out) (transfer full) (nullable): "Name <a@b>, c@d", or %NULL
 *   when there is nothing to show
 *
 * Returns: FALSE for a malformed list
 */
gboolean
_pochta_sync_format_addresses (const PochtaImapValue  *list,
                               char                  **out,
                               GError                **error)
{
  PochtaImapAddressIter iter;
  const PochtaImapAddressView *address;
  g_autoptr(GString) text = NULL;

  *out = NULL;
  /* Most messages have no Cc: nothing to allocate for it. */
  if (_pochta_imap_value_is_nil (list))
    return TRUE;

  text = g_string_sized_new (64);
  pochta_imap_address_iter_init (&iter, list);
  while (pochta_imap_address_iter_next (&iter, &address, error))
    {
      if (address == NULL)
        {
          if (text->len > 0)
            *out = g_string_free (g_steal_pointer (&text), FALSE);
          return TRUE;
        }
      append_address (text, address);
    }

  return FALSE;
}

/**
 * _pochta_sync_normalize_msg_ids:
 * @text: (nullable): a Message-ID, In-Reply-To or References value
 * @first_only: keep the first "<...>" only (Message-ID, In-Reply-To)
 *
 * Threading compares ids as strings, so the comments and folding some
 * mailers add around them must go.
 *
 * Returns: (transfer full) (nullable): the ids, space separated; the
 *   whitespace-collapsed text when it has no "<...>"; %NULL when empty
 */
char *
_pochta_sync_normalize_msg_ids (const char *text,
                                gboolean    first_only)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (p = text; (p = strchr (p, '<')) != NULL;)
    {
      const char *end = strchr (p, '>');

      if (end == NULL)
        break;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      for (const char *q = p; q <= end; q++)
        if (!g_ascii_isspace (*q))
          g_string_append_c (out, *q);
      if (first_only)
        break;
      p = end + 1;
    }

  if (out->len == 0)
    {
      g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n\f\v", -1);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] == '\0')
            continue;
          if (out->len > 0)
            {
              if (first_only)
                break;
              g_string_append_c (out, ' ');
            }
          g_string_append (out, words[i]);
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * _pochta_sync_references_from_header:
 * @data: (nullable): BODY[HEADER.FIELDS (REFERENCES)], e.g.
 *   "References: <a@b>\r\n <c@d>\r\n\r\n", or just "\r\n" without one
 * @size: its length
 *
 * Returns: (transfer full) (nullable): the ids, space separated
 */
char *
_pochta_sync_references_from_header (const char *data,
                                     gsize       size)
{
  g_autoptr(GString) values = NULL;
  gsize i = 0;

  if (data == NULL || size == 0)
    return NULL;

  /* Every field whose name is References (there should be one), each with
   * its continuation lines; bytes that are no field name are skipped. */
  values = g_string_new (NULL);
  while (i < size)
    {
      gsize line_end = i;
      gboolean wanted;

      while (line_end < size && data[line_end] != '\n')
        line_end++;

      wanted = line_end - i > 11 && g_ascii_strncasecmp (data + i, "references:", 11) == 0;
      if (wanted)
        {
          g_string_append_len (values, data + i + 11, line_end - i - 11);
          /* Folded lines start with white space. */
          while (line_end + 1 < size && (data[line_end + 1] == ' ' || data[line_end + 1] == '\t'))
            {
              gsize next = line_end + 1;

              line_end = next;
              while (line_end < size && data[line_end] != '\n')
                line_end++;
              g_string_append_c (values, ' ');
              g_string_append_len (values, data + next, line_end - next);
            }
        }
      i = line_end + 1;
    }

  for (gsize j = 0; j < values->len; j++)
    if (values->str[j] == '\0')
      values->str[j] = ' ';

  return _pochta_sync_normalize_msg_ids (values->str, FALSE);
}

static void
add_attachments (PochtaMessageRecord      *record,
                 const PochtaImapBodyPart *body_structure)
{
  g_autoptr(GPtrArray) attachments = NULL;

  /* Most mail is one text part: nothing to list. */
  if (!pochta_imap_body_part_is_multipart (body_structure) &&
      g_strcmp0 (body_structure->type, "text") == 0 && body_structure->disposition == NULL)
    return;

  attachments = pochta_imap_body_part_list_attachments (body_structure);
  if (attachments->len == 0)
    return;

  record->attachments = g_ptr_array_new_full (attachments->len, (GDestroyNotify) pochta_attachment_record_free);
  for (guint i = 0; i < attachments->len; i++)
    {
      PochtaImapAttachment *attachment = g_ptr_array_index (attachments, i);
      PochtaAttachmentRecord *a = pochta_attachment_record_new ();

      a->part = g_steal_pointer (&attachment->section);
      a->filename = g_steal_pointer (&attachment->filename);
      a->mime_type = g_steal_pointer (&attachment->content_type);
      a->size = attachment->size;
      a->content_id = g_steal_pointer (&attachment->content_id);
      a->inline_ = attachment->is_inline;
      /* A picture shown in the text is no reason for a paperclip. */
      if (!a->inline_)
        record->has_attachments = TRUE;
      g_ptr_array_add (record->attachments, a);
    }
}

/* Message-ID and In-Reply-To as sent: maybe not UTF-8. */
static char *
normalize_first_id (const char *raw)
{
  g_autofree char *valid = NULL;

  if (raw != NULL && !g_utf8_validate (raw, -1, NULL))
    raw = valid = g_utf8_make_valid (raw, -1);
  return _pochta_sync_normalize_msg_ids (raw, TRUE);
}

/* The author: the first address of From, or of Sender when From has none. */
static gboolean
add_author (PochtaMessageRecord           *record,
            const PochtaImapEnvelopeView  *envelope,
            GError                       **error)
{
  const PochtaImapValue *lists[] = { envelope->from, envelope->sender };
  const PochtaImapAddressView *first = NULL;
  /* @first points into the iterator: it must outlive the loop. */
  PochtaImapAddressIter iter;

  for (guint i = 0; i < G_N_ELEMENTS (lists) && first == NULL; i++)
    {
      pochta_imap_address_iter_init (&iter, lists[i]);
      if (!pochta_imap_address_iter_next (&iter, &first, error))
        return FALSE;
    }
  if (first == NULL)
    return TRUE;

  record->from_name = _pochta_imap_decode_header_text (first->name);
  if (record->from_name != NULL && record->from_name[0] == '\0')
    g_clear_pointer (&record->from_name, g_free);
  if (first->mailbox != NULL)
    {
      GString *addr_spec = g_string_sized_new (64);

      pochta_imap_append_addr_spec (addr_spec, first->mailbox, first->host);
      record->from_addr = g_string_free (addr_spec, FALSE);
    }
  return TRUE;
}

static gboolean
add_envelope (PochtaMessageRecord    *record,
              const PochtaImapValue  *value,
              GError                **error)
{
  PochtaImapEnvelopeView envelope;

  if (!pochta_imap_envelope_view_init (&envelope, value, error))
    return FALSE;

  pochta_imap_envelope_date_to_unix (envelope.date, &record->date);
  record->subject = _pochta_imap_decode_header_text (envelope.subject);
  record->message_id = normalize_first_id (envelope.message_id);
  record->in_reply_to = normalize_first_id (envelope.in_reply_to);

  return add_author (record, &envelope, error)
         && _pochta_sync_format_addresses (envelope.to, &record->to_addrs, error)
         && _pochta_sync_format_addresses (envelope.cc, &record->cc_addrs, error);
}

/**
 * _pochta_sync_record_from_view:
 * @view: a FETCH with the items of %POCHTA_SYNC_HEADER_ITEMS
 * @error: set for a malformed envelope or body structure
 *
 * The preview stays %NULL: it comes from the body text once the body is
 * fetched. Only the address lists shown are read (From, or Sender without
 * one; To; Cc).
 *
 * Returns: (transfer full) (nullable): the record for the store
 */
PochtaMessageRecord *
_pochta_sync_record_from_view (const PochtaImapFetchView  *view,
                               GError                    **error)
{
  g_autoptr(PochtaMessageRecord) record = pochta_message_record_new ();
  const PochtaImapValue *references = view->header_fields;

  record->uid = view->uid;
  record->flags = flags_from_list (view->flags, &record->keywords);
  record->modseq = view->modseq;
  record->size = view->rfc822_size;
  if (view->internaldate != NULL)
    pochta_imap_internaldate_parse_unix (view->internaldate, &record->internal_date);
  record->date = record->internal_date;

  if (view->envelope != NULL && !add_envelope (record, view->envelope, error))
    return NULL;

  if (references != NULL && references->type == POCHTA_IMAP_VALUE_STRING)
    record->references = _pochta_sync_references_from_header (references->data, references->len);

  /* Half of all mail is text alone: no part tree is built for it. */
  if (view->body_structure != NULL && pochta_imap_body_structure_may_have_attachments (view->body_structure))
    {
      g_autoptr(PochtaImapBodyPart) body_structure = NULL;

      body_structure = pochta_imap_body_part_new_from_value (view->body_structure, error);
      if (body_structure == NULL)
        return NULL;
      add_attachments (record, body_structure);
    }

  return g_steal_pointer (&record);
}
