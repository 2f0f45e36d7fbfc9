/* pochta-imap-body-structure.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MIME tree of a message from BODYSTRUCTURE (RFC 3501 7.4.2, RFC 9051),
 * with section numbers and helpers for the body text and attachments.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-body-structure.h"
#include "pochta-imap-decode-private.h"

/* RFC 2231 continuations past this index are ignored (no real name needs them). */
#define MAX_CONTINUATIONS 64

typedef struct
{
  guint max_depth;
  guint max_parts;
  guint n_parts;
} ParseState;

static PochtaImapBodyPart *
part_new (void)
{
  PochtaImapBodyPart *self = g_new0 (PochtaImapBodyPart, 1);

  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_body_part_free);
  return self;
}

void
pochta_imap_body_part_free (PochtaImapBodyPart *self)
{
  if (self == NULL)
    return;
  g_free (self->type);
  g_free (self->subtype);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_free (self->id);
  g_free (self->description);
  g_free (self->encoding);
  g_clear_pointer (&self->envelope, pochta_imap_envelope_free);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_free (self->md5);
  g_free (self->disposition);
  g_clear_pointer (&self->disposition_params, g_hash_table_unref);
  g_strfreev (self->language);
  g_free (self->location);
  g_free (self->section);
  g_free (self);
}

static gboolean
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed body structure: %s"), what);
  return FALSE;
}

static char *
dup_lower (const PochtaImapValue *value)
{
  if (!_pochta_imap_value_is_text (value))
    return NULL;
  return g_ascii_strdown (value->data, -1);
}

/* Numbers come as atoms, but some servers quote them or send NIL. */
static gboolean
get_number (const PochtaImapValue *value,
            guint64               *number)
{
  *number = 0;
  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (value->type == POCHTA_IMAP_VALUE_ATOM)
    return pochta_imap_value_get_number (value, number);
  if (value->type == POCHTA_IMAP_VALUE_STRING)
    return g_ascii_string_to_unsigned (value->data, 10, 0, G_MAXUINT64, number, NULL);
  return FALSE;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

static void
append_percent_decoded (GByteArray *out,
                        const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 byte = (guint8) *p;

      if (*p == '%' && hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
        {
          byte = (guint8) (hex_value (p[1]) * 16 + hex_value (p[2]));
          p += 2;
        }
      g_byte_array_append (out, &byte, 1);
    }
}

static char *
bytes_to_utf8 (GByteArray *bytes,
               const char *charset)
{
  g_autofree char *converted = NULL;

  if (charset != NULL && charset[0] != '\0'
      && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0)
    converted = g_convert ((const char *) bytes->data, bytes->len, "UTF-8", charset, NULL, NULL, NULL);
  if (converted != NULL)
    return g_steal_pointer (&converted);
  return g_utf8_make_valid ((const char *) bytes->data, bytes->len);
}

/* RFC 2231: "name*" is charset'language'percent-encoded; "name*0", "name*1*"
 * are continuations, encoded when they end in "*", concatenated in order. */
static void
merge_rfc2231 (GHashTable *params,
               GHashTable *extended)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, extended);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *base = key;
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autofree char *charset = NULL;
      g_autofree char *single_key = g_strconcat (base, "*", NULL);
      const char *single = g_hash_table_lookup (extended, single_key);

      if (strchr (base, '*') != NULL)
        continue;

      for (guint n = 0; n < MAX_CONTINUATIONS; n++)
        {
          g_autofree char *plain_key = g_strdup_printf ("%s*%u", base, n);
          g_autofree char *encoded_key = g_strdup_printf ("%s*%u*", base, n);
          const char *value;
          gboolean encoded = FALSE;

          if (n == 0 && single != NULL)
            {
              value = single;
              encoded = TRUE;
            }
          else if ((value = g_hash_table_lookup (extended, encoded_key)) != NULL)
            encoded = TRUE;
          else if ((value = g_hash_table_lookup (extended, plain_key)) == NULL)
            break;

          if (encoded && n == 0)
            {
              const char *q1 = strchr (value, '\'');
              const char *q2 = q1 != NULL ? strchr (q1 + 1, '\'') : NULL;

              if (q2 != NULL)
                {
                  charset = g_strndup (value, q1 - value);
                  value = q2 + 1;
                }
            }
          if (encoded)
            append_percent_decoded (bytes, value);
          else
            g_byte_array_append (bytes, (const guint8 *) value, strlen (value));
          if (n == 0 && single != NULL)
            break;
        }

      if (bytes->len > 0)
        g_hash_table_replace (params, g_strdup (base), bytes_to_utf8 (bytes, charset));
    }
}

static void
parse_params (const PochtaImapValue *value,
              GHashTable            *params)
{
  g_autoptr(GHashTable) extended = NULL;
  guint n;

  if (!_pochta_imap_value_is_list (value))
    return;

  n = pochta_imap_value_list_size (value);
  /* An odd trailing name without a value is dropped, as Exchange sometimes sends. */
  for (guint i = 0; i + 1 < n; i += 2)
    {
      const PochtaImapValue *name = pochta_imap_value_list_get (value, i);
      const PochtaImapValue *val = pochta_imap_value_list_get (value, i + 1);
      char *key;
      char *star;

      if (!_pochta_imap_value_is_text (name) || !_pochta_imap_value_is_text (val))
        continue;

      key = g_ascii_strdown (name->data, -1);
      star = strchr (key, '*');
      if (star != NULL)
        {
          /* Only RFC 2231 names need the second table: made when one comes. */
          if (extended == NULL)
            extended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_replace (extended, g_strdup (key), g_strndup (val->data, val->len));
          /* Also record the base name so merge_rfc2231 visits it once. */
          g_hash_table_replace (extended, g_strndup (key, star - key), g_strdup (""));
          g_free (key);
        }
      else if (strcmp (key, "boundary") == 0)
        g_hash_table_replace (params, key, g_strndup (val->data, val->len));
      else
        {
          g_autofree char *raw = g_strndup (val->data, val->len);

          /* Not RFC compliant but common: RFC 2047 words or raw 8-bit in
           * parameters (Outlook, many webmails). */
          g_hash_table_replace (params, key, _pochta_imap_decode_header_text (raw));
        }
    }

  if (extended != NULL)
    merge_rfc2231 (params, extended);
}

static void
parse_disposition (PochtaImapBodyPart    *part,
                   const PochtaImapValue *value)
{
  if (_pochta_imap_value_is_text (value))
    {
      /* Some servers send a bare string instead of ("inline" NIL). */
      part->disposition = dup_lower (value);
      return;
    }
  if (!_pochta_imap_value_is_list (value) || pochta_imap_value_list_size (value) < 1)
    return;
  part->disposition = dup_lower (pochta_imap_value_list_get (value, 0));
  /* Most dispositions have no parameters: the table is made for those
   * that do. */
  if (pochta_imap_value_list_size (value) >= 2
      && _pochta_imap_value_is_list (pochta_imap_value_list_get (value, 1)))
    {
      part->disposition_params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      parse_params (pochta_imap_value_list_get (value, 1), part->disposition_params);
    }
}

static void
parse_language (PochtaImapBodyPart    *part,
                const PochtaImapValue *value)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  if (_pochta_imap_value_is_text (value))
    {
      part->language = g_new0 (char *, 2);
      part->language[0] = g_strndup (value->data, value->len);
      return;
    }
  if (!_pochta_imap_value_is_list (value))
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < pochta_imap_value_list_size (value); i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (value, i);

      if (_pochta_imap_value_is_text (item))
        g_strv_builder_add (builder, item->data);
    }
  part->language = g_strv_builder_end (builder);
}

/* Extension data is optional and often odd (Gmail, Exchange): anything
 * with the wrong shape is skipped rather than failing the whole message. */
static void
parse_extensions (PochtaImapBodyPart    *part,
                  const PochtaImapValue *list,
                  guint                  start,
                  gboolean               multipart)
{
  guint n = pochta_imap_value_list_size (list);

  if (start >= n)
    return;
  if (multipart)
    parse_params (pochta_imap_value_list_get (list, start), part->params);
  else if (!_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (list, start), &part->md5))
    part->md5 = NULL;
  if (start + 1 < n)
    parse_disposition (part, pochta_imap_value_list_get (list, start + 1));
  if (start + 2 < n)
    parse_language (part, pochta_imap_value_list_get (list, start + 2));
  if (start + 3 < n)
    {
      g_autofree char *location = NULL;

      if (_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (list, start + 3), &location))
        part->location = g_steal_pointer (&location);
    }
}

static PochtaImapBodyPart *parse_body (const PochtaImapValue  *value,
                                       ParseState             *state,
                                       guint                   depth,
                                       GError                **error);

static gboolean
parse_multipart (PochtaImapBodyPart     *part,
                 const PochtaImapValue  *value,
                 ParseState             *state,
                 guint                   depth,
                 GError                **error)
{
  guint n = pochta_imap_value_list_size (value);
  guint i;

  for (i = 0; i < n; i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (value, i);
      PochtaImapBodyPart *child;

      if (!_pochta_imap_value_is_list (item))
        break;
      child = parse_body (item, state, depth + 1, error);
      if (child == NULL)
        return FALSE;
      child->parent = part;
      g_ptr_array_add (part->children, child);
    }

  part->type = g_strdup ("multipart");
  part->subtype = i < n ? dup_lower (pochta_imap_value_list_get (value, i)) : NULL;
  if (part->subtype == NULL)
    part->subtype = g_strdup ("mixed");
  parse_extensions (part, value, i + 1, TRUE);
  return TRUE;
}

static gboolean
parse_single (PochtaImapBodyPart     *part,
              const PochtaImapValue  *value,
              ParseState             *state,
              guint                   depth,
              GError                **error)
{
  guint n = pochta_imap_value_list_size (value);
  guint ext = 7;
  g_autofree char *description = NULL;

  if (n < 7)
    return malformed (error, _("too few fields in a part"));

  part->type = dup_lower (pochta_imap_value_list_get (value, 0));
  part->subtype = dup_lower (pochta_imap_value_list_get (value, 1));
  if (part->type == NULL)
    part->type = g_strdup ("application");
  if (part->subtype == NULL)
    part->subtype = g_strdup (strcmp (part->type, "text") == 0 ? "plain" : "octet-stream");

  parse_params (pochta_imap_value_list_get (value, 2), part->params);
  if (!_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, 3), &part->id)
      || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, 4), &description))
    return malformed (error, _("part fields"));
  part->description = _pochta_imap_decode_header_text (description);
  part->encoding = dup_lower (pochta_imap_value_list_get (value, 5));
  if (!get_number (pochta_imap_value_list_get (value, 6), &part->size))
    return malformed (error, _("part size"));

  if (pochta_imap_body_part_is_message (part) && n >= 10
      && _pochta_imap_value_is_list (pochta_imap_value_list_get (value, 7))
      && _pochta_imap_value_is_list (pochta_imap_value_list_get (value, 8)))
    {
      PochtaImapBodyPart *child;

      part->envelope = pochta_imap_envelope_new_from_value (pochta_imap_value_list_get (value, 7), error);
      if (part->envelope == NULL)
        return FALSE;
      child = parse_body (pochta_imap_value_list_get (value, 8), state, depth + 1, error);
      if (child == NULL)
        return FALSE;
      child->parent = part;
      g_ptr_array_add (part->children, child);
      get_number (pochta_imap_value_list_get (value, 9), &part->lines);
      ext = 10;
    }
  else if (strcmp (part->type, "text") == 0 && n >= 8
           && get_number (pochta_imap_value_list_get (value, 7), &part->lines))
    ext = 8;

  parse_extensions (part, value, ext, FALSE);
  return TRUE;
}

static PochtaImapBodyPart *
parse_body (const PochtaImapValue  *value,
            ParseState             *state,
            guint                   depth,
            GError                **error)
{
  g_autoptr(PochtaImapBodyPart) part = NULL;
  gboolean ok;

  if (!_pochta_imap_value_is_list (value) || pochta_imap_value_list_size (value) == 0)
    {
      malformed (error, _("a part is not a list"));
      return NULL;
    }
  if (depth >= state->max_depth)
    {
      g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT,
                   _("The message nests MIME parts deeper than %u levels"), state->max_depth);
      return NULL;
    }
  if (++state->n_parts > state->max_parts)
    {
      g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT,
                   _("The message has more than %u MIME parts"), state->max_parts);
      return NULL;
    }

  part = part_new ();
  if (_pochta_imap_value_is_list (pochta_imap_value_list_get (value, 0)))
    ok = parse_multipart (part, value, state, depth, error);
  else
    ok = parse_single (part, value, state, depth, error);

  return ok ? g_steal_pointer (&part) : NULL;
}

/* "prefix.N" (or "N" without a prefix): a sync names a few parts per
 * message, so this stays clear of printf. */
static char *
section_name (const char *prefix,
              const char *suffix,
              guint       number)
{
  char digits[16];
  char *d = digits + sizeof digits;

  if (suffix == NULL)
    {
      *--d = '\0';
      do
        *--d = (char) ('0' + number % 10);
      while ((number /= 10) > 0);
      suffix = d;
    }
  return prefix != NULL ? g_strconcat (prefix, ".", suffix, NULL) : g_strdup (suffix);
}

/* RFC 3501 6.4.5: parts of a multipart are numbered from 1 under the
 * multipart's own number; a message/rfc822 part's body is "N.TEXT" as a
 * whole and its parts are "N.1", "N.2"; a non-multipart body is "N.1". */
static void
assign_sections (PochtaImapBodyPart *part,
                 const char         *section,
                 const char         *prefix)
{
  part->section = g_strdup (section);

  if (pochta_imap_body_part_is_multipart (part))
    {
      for (guint i = 0; i < part->children->len; i++)
        {
          g_autofree char *child = section_name (prefix, NULL, i + 1);

          assign_sections (g_ptr_array_index (part->children, i), child, child);
        }
    }
  else if (part->children->len == 1)
    {
      PochtaImapBodyPart *body = g_ptr_array_index (part->children, 0);

      if (pochta_imap_body_part_is_multipart (body))
        {
          g_autofree char *text = section_name (section, "TEXT", 0);

          assign_sections (body, text, section);
        }
      else
        {
          g_autofree char *one = section_name (section, "1", 0);

          assign_sections (body, one, one);
        }
    }
}

/**
 * pochta_imap_body_part_new_from_value_full:
 * @value: the list after BODYSTRUCTURE (or BODY) in a FETCH response
 * @max_depth: deepest nesting accepted
 * @max_parts: most parts accepted
 * @error: %POCHTA_IMAP_ERROR_PARSE for a malformed shape,
 *   %POCHTA_IMAP_ERROR_LIMIT over a limit
 *
 * Returns: (transfer full) (nullable): the root part, sections assigned
 */
PochtaImapBodyPart *
pochta_imap_body_part_new_from_value_full (const PochtaImapValue  *value,
                                           guint                   max_depth,
                                           guint                   max_parts,
                                           GError                **error)
{
  ParseState state = { max_depth, max_parts, 0 };
  PochtaImapBodyPart *root;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_body (value, &state, 0, error);
  if (root == NULL)
    return NULL;

  if (pochta_imap_body_part_is_multipart (root))
    assign_sections (root, "TEXT", NULL);
  else
    assign_sections (root, "1", "1");
  return root;
}

PochtaImapBodyPart *
pochta_imap_body_part_new_from_value (const PochtaImapValue  *value,
                                      GError                **error)
{
  return pochta_imap_body_part_new_from_value_full (value, POCHTA_IMAP_BODY_DEFAULT_MAX_DEPTH,
                                                    POCHTA_IMAP_BODY_DEFAULT_MAX_PARTS, error);
}

gboolean
pochta_imap_body_part_is_multipart (const PochtaImapBodyPart *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_strcmp0 (self->type, "multipart") == 0;
}

/* message/rfc822 and its RFC 6532 sibling message/global carry a message. */
gboolean
pochta_imap_body_part_is_message (const PochtaImapBodyPart *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_strcmp0 (self->type, "message") == 0
         && (g_strcmp0 (self->subtype, "rfc822") == 0 || g_strcmp0 (self->subtype, "global") == 0);
}

gboolean
pochta_imap_body_part_has_type (const PochtaImapBodyPart *self,
                                const char               *type,
                                const char               *subtype)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  return g_ascii_strcasecmp (self->type, type) == 0
         && (subtype == NULL || g_ascii_strcasecmp (self->subtype, subtype) == 0);
}

char *
pochta_imap_body_part_get_content_type (const PochtaImapBodyPart *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_strdup_printf ("%s/%s", self->type, self->subtype);
}

const char *
pochta_imap_body_part_get_param (const PochtaImapBodyPart *self,
                                 const char               *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->params, key);
}

/* Content-Disposition filename first, then the older Content-Type name. */
const char *
pochta_imap_body_part_get_filename (const PochtaImapBodyPart *self)
{
  const char *name;

  g_return_val_if_fail (self != NULL, NULL);

  name = self->disposition_params != NULL ? g_hash_table_lookup (self->disposition_params, "filename") : NULL;
  if (name == NULL || name[0] == '\0')
    name = g_hash_table_lookup (self->params, "name");
  return name != NULL && name[0] != '\0' ? name : NULL;
}

const PochtaImapBodyPart *
pochta_imap_body_part_find_section (const PochtaImapBodyPart *self,
                                    const char               *section)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);

  if (g_strcmp0 (self->section, section) == 0)
    return self;
  for (guint i = 0; i < self->children->len; i++)
    {
      const PochtaImapBodyPart *part = g_ptr_array_index (self->children, i);
      const PochtaImapBodyPart *found = pochta_imap_body_part_find_section (part, section);

      if (found != NULL)
        return found;
    }
  return NULL;
}

guint
pochta_imap_body_part_count_parts (const PochtaImapBodyPart *self)
{
  guint n = 1;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->children->len; i++)
    n += pochta_imap_body_part_count_parts (g_ptr_array_index (self->children, i));
  return n;
}
