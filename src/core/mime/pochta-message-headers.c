/* pochta-message-headers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decodes the headers Pochta shows: text, address lists, dates and
 * message ids, from raw values that may carry 8-bit bytes of any charset.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include "pochta-address.h"
#include "pochta-charset.h"
#include "pochta-message-private.h"

/* The raw value, unfolded.  GMime decodes 8-bit header bytes with its
 * fallback charsets, which cannot tell KOI8-R from Latin-1, so every
 * header goes through pochta_charset_to_utf8() first. */
char *
_pochta_mime_header_raw (GMimeHeaderList *headers,
                         const char      *name)
{
  GMimeHeader *header;
  const char *raw;
  GString *out;

  g_assert (GMIME_IS_HEADER_LIST (headers));

  header = g_mime_header_list_get_header (headers, name);
  if (header == NULL)
    return NULL;
  raw = g_mime_header_get_raw_value (header);
  if (raw == NULL)
    raw = g_mime_header_get_value (header);
  if (raw == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = raw; *p != '\0'; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (out, *p);
  g_strstrip (out->str);
  out->len = strlen (out->str);
  return g_string_free (out, FALSE);
}

static char *
to_utf8 (const char *raw,
         gboolean   *guessed)
{
  PochtaCharsetSource source;
  char *utf8 = pochta_charset_to_utf8 (raw, -1, NULL, &source, NULL);

  if (guessed != NULL && source == POCHTA_CHARSET_SOURCE_GUESSED)
    *guessed = TRUE;
  return utf8;
}

/* Control characters in a decoded header (a tab, or a CR smuggled in an
 * encoded word) would break the one-line layouts that show it. */
static char *
clean_text (char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_free (text);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7F)
      *p = ' ';
  g_strstrip (valid);
  return g_steal_pointer (&valid);
}

char *
_pochta_mime_decode_text (GMimeParserOptions *options,
                          const char         *raw,
                          gboolean           *guessed)
{
  g_autofree char *utf8 = NULL;

  if (raw == NULL)
    return NULL;
  utf8 = to_utf8 (raw, guessed);
  /* Loose RFC 2047 mode decodes what real mailers send: encoded words
   * glued to text, split inside a multi-byte character, in quotes. */
  return clean_text (g_mime_utils_header_decode_text (options, utf8));
}

static void
add_addresses (GPtrArray           *out,
               InternetAddressList *list,
               guint                depth)
{
  int n = internet_address_list_length (list);

  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
      const char *name = internet_address_get_name (ia);
      g_autofree char *clean_name = name != NULL ? clean_text (g_strdup (name)) : NULL;

      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));

          g_ptr_array_add (out, pochta_address_new (clean_name, addr));
        }
      else if (INTERNET_ADDRESS_IS_GROUP (ia) && depth < 2)
        {
          /* Groups ("undisclosed-recipients:;") are flattened; RFC 5322
           * forbids nesting, so one level is all a real message needs. */
          add_addresses (out,
                         internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)),
                         depth + 1);
        }
    }
}

GPtrArray *
_pochta_mime_decode_addresses (GMimeParserOptions *options,
                               const char         *raw,
                               gboolean           *guessed)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_address_free);
  g_autofree char *utf8 = NULL;
  g_autoptr(InternetAddressList) list = NULL;

  if (raw == NULL || *raw == '\0')
    return out;

  utf8 = to_utf8 (raw, guessed);
  list = internet_address_list_parse (options, utf8);
  if (list != NULL)
    add_addresses (out, list, 0);

  /* "From: Mailer-Daemon" or worse: keep what was there so the list can
   * show something. */
  if (out->len == 0 && strchr (utf8, ':') == NULL)
    g_ptr_array_add (out, pochta_address_new (NULL, g_strstrip (utf8)));

  return out;
}

/* ISO 8601 in a Date header is wrong but seen from scripts and some web
 * mailers ("2025-03-04 10:00:00"). */
static GDateTime *
decode_iso8601 (const char *raw)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *copy = g_strdup (raw);

  if (strlen (copy) > 10 && copy[4] == '-' && copy[7] == '-' && copy[10] == ' ')
    copy[10] = 'T';
  return g_date_time_new_from_iso8601 (copy, utc);
}

GDateTime *
_pochta_mime_decode_date (const char *raw)
{
  g_autoptr(GDateTime) date = NULL;
  int year;

  if (raw == NULL || *raw == '\0')
    return NULL;

  /* GMime's reader is lenient: no weekday, two-digit years, obsolete
   * zone names, asctime() order, comments; but it reads "2025-03-03
   * 09:15" as midnight, so ISO 8601 goes first. */
  if (g_ascii_isdigit (raw[0]) && g_ascii_isdigit (raw[1]) && g_ascii_isdigit (raw[2])
      && g_ascii_isdigit (raw[3]) && raw[4] == '-')
    date = decode_iso8601 (raw);
  if (date == NULL)
    date = g_mime_utils_header_decode_date (raw);
  if (date == NULL)
    return NULL;

  /* Year 0 or 1901 is what broken readers produce from garbage. */
  year = g_date_time_get_year (date);
  if (year < 1970 || year > 9999)
    return NULL;

  return g_steal_pointer (&date);
}

static char *
strip_brackets (const char *raw)
{
  g_autofree char *copy = g_strstrip (g_strdup (raw));
  gsize len = strlen (copy);

  if (len >= 2 && copy[0] == '<' && copy[len - 1] == '>')
    return g_strndup (copy + 1, len - 2);
  return g_steal_pointer (&copy);
}

char *
_pochta_mime_decode_message_id (const char *raw)
{
  g_autofree char *id = NULL;

  if (raw == NULL || *raw == '\0')
    return NULL;

  id = g_mime_utils_decode_message_id (raw);
  if (id == NULL || *id == '\0')
    {
      /* Keep an id without brackets, as long as it is a single token. */
      g_free (id);
      id = strip_brackets (raw);
      if (*id == '\0' || strpbrk (id, " \t<>") != NULL)
        return NULL;
    }
  return clean_text (g_steal_pointer (&id));
}

GStrv
_pochta_mime_decode_references (GMimeParserOptions *options,
                                const char         *raw)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GMimeReferences *refs;

  if (raw != NULL && (refs = g_mime_references_parse (options, raw)) != NULL)
    {
      int n = g_mime_references_length (refs);

      for (int i = 0; i < n; i++)
        {
          const char *id = g_mime_references_get_message_id (refs, i);

          if (id != NULL && *id != '\0')
            {
              g_autofree char *clean = clean_text (g_strdup (id));

              g_strv_builder_add (builder, clean);
            }
        }
      g_mime_references_free (refs);
    }

  return g_strv_builder_end (builder);
}
