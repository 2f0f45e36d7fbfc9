/* pochta-imap-header-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header text of ENVELOPE and BODYSTRUCTURE decoded into UTF-8: unfolded,
 * RFC 2047 words decoded. The common, well-formed shapes are decoded here
 * directly; anything unusual goes to GMime, whose leniency sets the result.
 */

#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "pochta-charset.h"
#include "pochta-imap-decode-private.h"
#include "pochta-mime.h"

/* A header FETCH of 100,000 messages decodes a few hundred thousand
 * strings. Through GMime each costs a few microseconds, and a word in a
 * legacy charset more: GMime opens and closes an iconv descriptor per word,
 * which loads and unloads glibc's gconv module each time. So well-formed
 * input (plain words and whole encoded words separated by white space) is
 * decoded here, with the per-thread converters of
 * pochta_charset_get_converter(), and
 * whatever this code is not sure to decode as GMime would (encoded words
 * inside words, split base64, invalid bytes, conversion errors, control
 * characters) is left to GMime. test-imap-envelope compares both. */

/* Decoded bytes of a run of encoded words; never longer than the text they
 * came from, so one allocation of that size does. */
typedef struct
{
  guint8 *data;
  gsize   len;
} Bytes;

static const gint8 base64_values[256] = {
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
  -1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
  -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* Whole quanta only, padding only at the end: a word split inside a
 * quantum is decoded by GMime, which carries the state across words. */
static gboolean
decode_b (Bytes      *out,
          const char *p,
          gsize       n)
{
  if (n == 0 || n % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < n; i += 4)
    {
      gint8 v0 = base64_values[(guchar) p[i]];
      gint8 v1 = base64_values[(guchar) p[i + 1]];
      gint8 v2 = base64_values[(guchar) p[i + 2]];
      gint8 v3 = base64_values[(guchar) p[i + 3]];
      guint8 *bytes = out->data + out->len;
      guint count = 3;

      if (v0 < 0 || v1 < 0)
        return FALSE;
      if (i + 4 == n && p[i + 3] == '=')
        {
          count = p[i + 2] == '=' ? 1 : 2;
          if (count == 2 && v2 < 0)
            return FALSE;
        }
      else if (v2 < 0 || v3 < 0)
        return FALSE;

      bytes[0] = (guint8) (v0 << 2 | v1 >> 4);
      bytes[1] = (guint8) (v1 << 4 | (count > 1 ? v2 : 0) >> 2);
      bytes[2] = (guint8) ((count > 2 ? v2 : 0) << 6 | (count > 2 ? v3 : 0));
      out->len += count;
    }

  return TRUE;
}

static gboolean
decode_q (Bytes      *out,
          const char *p,
          gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 byte = (guint8) p[i];

      if (byte == '_')
        byte = ' ';
      else if (byte == '=')
        {
          int hi, lo;

          if (i + 2 >= n)
            return FALSE;
          hi = g_ascii_xdigit_value (p[i + 1]);
          lo = g_ascii_xdigit_value (p[i + 2]);
          if (hi < 0 || lo < 0)
            return FALSE;
          byte = (guint8) (hi << 4 | lo);
          i += 2;
        }
      out->data[out->len++] = byte;
    }

  return TRUE;
}

static gboolean
is_charset_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == ':';
}

/* Parses "=?charset?X?payload?=" exactly filling [p, end). */
static gboolean
parse_encoded_word (const char  *p,
                    const char  *end,
                    const char **charset,
                    gsize       *charset_len,
                    char        *encoding,
                    const char **payload,
                    gsize       *payload_len)
{
  const char *q;

  if (end - p < 8 || p[0] != '=' || p[1] != '?' || end[-2] != '?' || end[-1] != '=')
    return FALSE;

  q = p + 2;
  while (q < end && is_charset_char (*q))
    q++;
  if (q == p + 2 || end - q < 5 || q[0] != '?' || q[2] != '?')
    return FALSE;
  *charset = p + 2;
  *charset_len = q - (p + 2);
  *encoding = g_ascii_toupper (q[1]);
  if (*encoding != 'B' && *encoding != 'Q')
    return FALSE;
  *payload = q + 3;
  *payload_len = (end - 2) - *payload;

  /* The payload is one token: '?' in it means something else is going on. */
  return memchr (*payload, '?', *payload_len) == NULL;
}

/* Converts @bytes in @charset to UTF-8 appended to @out; FALSE on any
 * doubt (unknown charset, invalid or incomplete input, control chars). */
static gboolean
append_converted (GString    *out,
                  Bytes      *bytes,
                  const char *charset,
                  gsize       charset_len)
{
  gsize start = out->len;
  gboolean utf8 = charset_len == 5 && g_ascii_strncasecmp (charset, "utf-8", 5) == 0;
  gboolean ascii = charset_len == 8 && g_ascii_strncasecmp (charset, "us-ascii", 8) == 0;

  if (utf8 || ascii)
    {
      if (ascii)
        {
          for (guint i = 0; i < bytes->len; i++)
            if (bytes->data[i] >= 0x80)
              return FALSE;
        }
      else if (!g_utf8_validate_len ((const char *) bytes->data, bytes->len, NULL))
        return FALSE;
      g_string_append_len (out, (const char *) bytes->data, bytes->len);
    }
  else
    {
      iconv_t cd = pochta_charset_get_converter (charset, charset_len);
      char *inbuf = (char *) bytes->data;
      gsize inleft = bytes->len;
      gsize room = bytes->len * 4 + 16;
      char *outbuf;
      gsize outleft = room;

      if (cd == (iconv_t) -1)
        return FALSE;

      g_string_set_size (out, start + room);
      outbuf = out->str + start;
      if (iconv (cd, &inbuf, &inleft, &outbuf, &outleft) == (size_t) -1
          || iconv (cd, NULL, NULL, &outbuf, &outleft) == (size_t) -1)
        {
          g_string_truncate (out, start);
          return FALSE;
        }
      g_string_truncate (out, start + (room - outleft));
      if (!g_utf8_validate_len (out->str + start, out->len - start, NULL))
        return FALSE;
    }

  for (gsize i = start; i < out->len; i++)
    if ((guchar) out->str[i] < 0x20 || out->str[i] == 0x7f)
      return FALSE;

  return TRUE;
}

/* Returns the decoded text, or NULL to leave @raw to GMime. */
static char *
decode_fast (const char *raw)
{
  const char *start = raw;
  const char *end = raw + strlen (raw);
  g_autoptr(GString) out = NULL;
  g_autofree guint8 *heap_bytes = NULL;
  guint8 stack_bytes[256];
  Bytes bytes;
  const char *run_charset = NULL;   /* of the encoded words in bytes */
  gsize run_charset_len = 0;
  const char *p;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  for (p = start; p < end; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      return NULL;

  if (memmem (start, end - start, "=?", 2) == NULL)
    {
      if (!g_utf8_validate_len (start, end - start, NULL))
        return NULL;
      return g_strndup (start, end - start);
    }

  out = g_string_sized_new (end - start + 16);
  bytes.data = (gsize) (end - start) <= sizeof stack_bytes ? stack_bytes
                                                            : (heap_bytes = g_malloc (end - start));
  bytes.len = 0;
  p = start;
  while (p < end)
    {
      const char *ws = p;
      const char *word;
      const char *word_end;
      const char *charset, *payload;
      gsize charset_len, payload_len;
      char encoding;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      word = p;
      while (p < end && *p != ' ' && *p != '\t')
        p++;
      word_end = p;

      if (parse_encoded_word (word, word_end, &charset, &charset_len, &encoding,
                              &payload, &payload_len))
        {
          /* White space between encoded words goes; a run in one charset
           * is converted as one, as a character may span words. */
          if (run_charset != NULL
              && (charset_len != run_charset_len
                  || g_ascii_strncasecmp (charset, run_charset, charset_len) != 0))
            {
              if (!append_converted (out, &bytes, run_charset, run_charset_len))
                return NULL;
              bytes.len = 0;
            }
          else if (run_charset == NULL)
            g_string_append_len (out, ws, word - ws);
          run_charset = charset;
          run_charset_len = charset_len;
          if (!(encoding == 'B' ? decode_b (&bytes, payload, payload_len)
                                : decode_q (&bytes, payload, payload_len)))
            return NULL;
          continue;
        }

      /* A plain word: ASCII only, and no encoded word hidden inside. */
      for (const char *c = word; c < word_end; c++)
        if ((guchar) *c >= 0x80 || (c[0] == '=' && c + 1 < word_end && c[1] == '?'))
          return NULL;

      if (run_charset != NULL)
        {
          if (!append_converted (out, &bytes, run_charset, run_charset_len))
            return NULL;
          bytes.len = 0;
          run_charset = NULL;
        }
      g_string_append_len (out, ws, word_end - ws);
    }

  if (run_charset != NULL && !append_converted (out, &bytes, run_charset, run_charset_len))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
_pochta_imap_decode_header_text_gmime (const char *raw)
{
  g_autofree char *unfolded = NULL;
  char *decoded;

  if (raw == NULL)
    return NULL;

  pochta_mime_ensure_init ();
  unfolded = g_mime_utils_header_unfold (raw);
  g_strstrip (unfolded);

  /* Raw UTF-8 (common from modern senders despite RFC 5322) stays as is;
   * GMime would only try charsets on it. */
  if (strstr (unfolded, "=?") == NULL && g_utf8_validate (unfolded, -1, NULL))
    return g_steal_pointer (&unfolded);

  decoded = g_mime_utils_header_decode_text (g_mime_parser_options_get_default (), unfolded);
  if (decoded == NULL)
    return g_utf8_make_valid (unfolded, -1);
  if (!g_utf8_validate (decoded, -1, NULL))
    {
      char *valid = g_utf8_make_valid (decoded, -1);

      g_free (decoded);
      return valid;
    }
  return decoded;
}

char *
_pochta_imap_decode_header_text (const char *raw)
{
  char *decoded;

  if (raw == NULL)
    return NULL;

  decoded = decode_fast (raw);
  if (decoded != NULL)
    return decoded;

  return _pochta_imap_decode_header_text_gmime (raw);
}

/* --- Fixed-offset time zones ---------------------------------------------- */

/* Every Date header and INTERNALDATE has a fixed offset, and building a
 * GTimeZone formats and parses an identifier: the few offsets in use are
 * built once and shared (GTimeZone is immutable and thread-safe). */
#define MAX_CACHED_ZONES 256

G_LOCK_DEFINE_STATIC (zones);
static GHashTable *zones;

GTimeZone *
_pochta_imap_time_zone_for_offset (int seconds)
{
  gpointer key = GINT_TO_POINTER (seconds);
  GTimeZone *tz;

  G_LOCK (zones);
  if (zones == NULL)
    zones = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_time_zone_unref);
  tz = g_hash_table_lookup (zones, key);
  if (tz != NULL)
    {
      g_time_zone_ref (tz);
      G_UNLOCK (zones);
      return tz;
    }
  G_UNLOCK (zones);

  tz = g_time_zone_new_offset (seconds);

  G_LOCK (zones);
  if (g_hash_table_size (zones) < MAX_CACHED_ZONES && !g_hash_table_contains (zones, key))
    g_hash_table_insert (zones, key, g_time_zone_ref (tz));
  G_UNLOCK (zones);

  return tz;
}

/* --- Dates as Unix time ---------------------------------------------------- */

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

GDateTime *
_pochta_imap_date_fields_to_date_time (const PochtaImapDateFields *f)
{
  g_autoptr(GTimeZone) tz = _pochta_imap_time_zone_for_offset (f->offset);

  /* g_date_time_new() validates the ranges (31-Feb, 25:00) and returns NULL. */
  return g_date_time_new (tz, f->year, f->month, f->day, f->hour, f->minute, f->second);
}

/* A header sync turns 200,000 dates into Unix time: without a GDateTime
 * each, refusing the same out-of-range fields (31 February, 24:00, year 0). */
gboolean
_pochta_imap_date_fields_to_unix (const PochtaImapDateFields *f,
                                  gint64                     *out)
{
  static const int days_before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
  static const int days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gint64 y, days;

  if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12 || f->day < 1
      || f->day > days_in_month[f->month - 1] + (f->month == 2 && is_leap_year (f->year))
      || f->hour < 0 || f->hour > 23 || f->minute < 0 || f->minute > 59 || f->second < 0 || f->second > 59)
    return FALSE;

  /* Days since 1970-01-01 of the proleptic Gregorian calendar. */
  y = f->year - 1;
  days = y * 365 + y / 4 - y / 100 + y / 400 - 719162;
  days += days_before_month[f->month - 1] + (f->month > 2 && is_leap_year (f->year)) + f->day - 1;
  *out = days * 86400 + f->hour * 3600 + f->minute * 60 + f->second - f->offset;
  return TRUE;
}
