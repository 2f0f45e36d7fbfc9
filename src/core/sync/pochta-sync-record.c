/* pochta-sync-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One header FETCH (flags, envelope, body structure, References) turned
 * into the PochtaMessageRecord the cache stores.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <string.h>

#include "pochta-imap-body-structure.h"
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
    {
      const char *flag = flags[i];
      gboolean known = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (known_flags); j++)
        if (g_ascii_strcasecmp (flag, known_flags[j].name) == 0)
          {
            result |= known_flags[j].flag;
            known = TRUE;
            break;
          }

      if (known || flag[0] == '\\' || flag[0] == '\0' || keywords == NULL)
        continue;

      if (others == NULL)
        others = g_string_new (NULL);
      else
        g_string_append_c (others, ' ');
      g_string_append (others, flag);
    }

  if (keywords != NULL)
    *keywords = others != NULL ? g_string_free (others, FALSE) : NULL;

  return result;
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
append_address (GString                 *out,
                const PochtaImapAddress *address)
{
  g_autofree char *addr_spec = pochta_imap_address_get_addr_spec (address);
  const char *name = address->name;
  gboolean has_name = name != NULL && name[0] != '\0';

  if (addr_spec == NULL && !has_name)
    return;

  if (out->len > 0)
    g_string_append (out, ", ");

  if (has_name)
    {
      if (name_needs_quotes (name))
        {
          g_string_append_c (out, '"');
          for (const char *p = name; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, name);
    }

  if (addr_spec != NULL)
    {
      if (has_name)
        {
          g_string_append (out, " <");
          g_string_append (out, addr_spec);
          g_string_append_c (out, '>');
        }
      else
        g_string_append (out, addr_spec);
    }
}

/**
 * _pochta_sync_format_addresses:
 * @addresses: (element-type PochtaImapAddress): decoded addresses
 *
 * Returns: (transfer full) (nullable): "Name <a@b>, c@d", or %NULL when
 *   there is nothing to show
 */
char *
_pochta_sync_format_addresses (GPtrArray *addresses)
{
  GString *out;

  if (addresses == NULL || addresses->len == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < addresses->len; i++)
    append_address (out, g_ptr_array_index (addresses, i));

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
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
      g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);

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
 * @header: (nullable): BODY[HEADER.FIELDS (REFERENCES)], e.g.
 *   "References: <a@b>\r\n <c@d>\r\n\r\n", or just "\r\n" without one
 *
 * Returns: (transfer full) (nullable): the ids, space separated
 */
char *
_pochta_sync_references_from_header (GBytes *header)
{
  g_autoptr(GString) values = NULL;
  const char *data;
  gsize size;
  gsize i = 0;

  if (header == NULL)
    return NULL;

  data = g_bytes_get_data (header, &size);
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

/* The one section a header fetch asks for; found without normalising a
 * spec for each of 100,000 messages. */
static GBytes *
references_section (const PochtaImapFetch *fetch)
{
  for (guint i = 0; i < fetch->sections->len; i++)
    {
      const PochtaImapFetchSection *section = g_ptr_array_index (fetch->sections, i);

      if (section->data != NULL && g_str_has_prefix (section->spec, "BODY[HEADER.FIELDS"))
        return section->data;
    }

  return NULL;
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

/**
 * _pochta_sync_record_from_fetch:
 * @fetch: a FETCH with the items of %POCHTA_SYNC_HEADER_ITEMS
 *
 * The preview stays %NULL: it comes from the body text once the body is
 * fetched.
 *
 * Returns: (transfer full): the record for the store
 */
PochtaMessageRecord *
_pochta_sync_record_from_fetch (const PochtaImapFetch *fetch)
{
  PochtaMessageRecord *record = pochta_message_record_new ();
  const PochtaImapEnvelope *envelope = fetch->envelope;

  record->uid = fetch->uid;
  record->flags = _pochta_sync_flags_from_imap ((const char * const *) fetch->flags, &record->keywords);
  record->modseq = fetch->modseq;
  record->size = fetch->rfc822_size;
  if (fetch->internaldate != NULL)
    record->internal_date = g_date_time_to_unix (fetch->internaldate);
  record->date = record->internal_date;

  if (envelope != NULL)
    {
      GPtrArray *from = envelope->from->len > 0 ? envelope->from : envelope->sender;

      if (envelope->date != NULL)
        record->date = g_date_time_to_unix (envelope->date);
      record->subject = g_strdup (envelope->subject);
      if (from->len > 0)
        {
          const PochtaImapAddress *first = g_ptr_array_index (from, 0);

          if (first->name != NULL && first->name[0] != '\0')
            record->from_name = g_strdup (first->name);
          record->from_addr = pochta_imap_address_get_addr_spec (first);
        }
      record->to_addrs = _pochta_sync_format_addresses (envelope->to);
      record->cc_addrs = _pochta_sync_format_addresses (envelope->cc);
      record->message_id = _pochta_sync_normalize_msg_ids (envelope->message_id, TRUE);
      record->in_reply_to = _pochta_sync_normalize_msg_ids (envelope->in_reply_to, TRUE);
    }

  record->references = _pochta_sync_references_from_header (references_section (fetch));

  if (fetch->body_structure != NULL)
    add_attachments (record, fetch->body_structure);

  return record;
}
