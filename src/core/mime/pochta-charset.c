/* pochta-charset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Converts text of a declared, missing or wrong charset to valid UTF-8.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gmime/gmime.h>

#include "pochta-charset.h"
#include "pochta-mime.h"

/* The policy, in order (see also the tests in tests/core/mime):
 *
 * 1. A declared charset that iconv knows converts the text, except that
 *    bytes which are valid, non-ASCII UTF-8 win over a declared single-byte
 *    charset (iso-8859-*, windows-125x, koi8-*, us-ascii).  Legacy 8-bit
 *    text practically never forms valid UTF-8 sequences by accident, while
 *    mailers that label UTF-8 as latin1 or us-ascii are common; a person
 *    expects to read "café", not "cafÃ©".
 * 2. If the declared charset fails part-way, a multi-byte charset keeps
 *    what converts and marks the rest with U+FFFD; a single-byte or UTF-8
 *    label falls through to 3.
 * 3. Without a usable charset, every line that is valid UTF-8 is kept as
 *    it is and the other lines go through the legacy charset that scores
 *    best over them alone: windows-1252, koi8-r or windows-1251.  That is
 *    what a message pasted together from two mailers needs.
 */

#define N_LEGACY 3

typedef struct
{
  const char *name;
  const char *iconv_name;
  gboolean    cyrillic;
  gunichar    high[128];
} LegacyCharset;

static LegacyCharset legacy[N_LEGACY] = {
  { "windows-1252", "CP1252", FALSE, { 0 } },
  { "koi8-r", "KOI8-R", TRUE, { 0 } },
  { "windows-1251", "CP1251", TRUE, { 0 } },
};

/* The tables come from the system's iconv one byte at a time, so nobody
 * has to maintain 384 code points by hand; holes (0x81 in windows-1252)
 * become U+FFFD. */
static void
ensure_legacy_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < N_LEGACY; c++)
        for (guint b = 0; b < 128; b++)
          {
            char in = (char) (0x80 + b);
            g_autofree char *out = NULL;

            out = g_convert (&in, 1, "UTF-8", legacy[c].iconv_name, NULL, NULL, NULL);
            legacy[c].high[b] = out != NULL ? g_utf8_get_char_validated (out, -1) : 0xFFFD;
            if (legacy[c].high[b] == (gunichar) -1 || legacy[c].high[b] == (gunichar) -2)
              legacy[c].high[b] = 0xFFFD;
          }
      g_once_init_leave (&initialized, 1);
    }
}

/* The end of the line starting at @start, just past its '\n'. */
static gsize
line_end (const guchar *p,
          gsize         start,
          gsize         len)
{
  const guchar *nl = memchr (p + start, '\n', len - start);

  return nl != NULL ? (gsize) (nl - p) + 1 : len;
}

static gboolean
is_ascii (const guchar *p,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (p[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
is_cyrillic_lower (gunichar c)
{
  return c >= 0x0430 && c <= 0x045F;
}

static gboolean
is_cyrillic_upper (gunichar c)
{
  return (c >= 0x0410 && c <= 0x042F) || c == 0x0401;
}

static int
score_byte (const LegacyCharset *cs,
            const guchar        *p,
            gsize                i,
            gsize                len)
{
  gunichar c = cs->high[p[i] - 0x80];
  gboolean prev_high = i > 0 && p[i - 1] >= 0x80;
  gboolean next_high = i + 1 < len && p[i + 1] >= 0x80;
  gboolean near_latin = (i > 0 && g_ascii_isalpha (p[i - 1]))
                        || (i + 1 < len && g_ascii_isalpha (p[i + 1]));

  if (c == 0xFFFD || g_unichar_iscntrl (c))
    return -3;

  if (cs->cyrillic)
    {
      /* Russian words are runs of high bytes, mostly lower case; reading
       * them in the wrong Cyrillic table turns them upper case. */
      if (is_cyrillic_lower (c))
        return (near_latin ? -3 : 2) + (g_utf8_strchr ("оеаинтсрвл", -1, c) != NULL ? 1 : 0);
      if (is_cyrillic_upper (c))
        return near_latin ? -3 : prev_high ? -2 : 1;
      if (g_unichar_ispunct (c))
        return 0;
      return -3;
    }

  /* Western text has isolated accented letters inside Latin words and
   * typographic punctuation next to spaces. */
  if (g_unichar_isalpha (c))
    {
      if (near_latin)
        return 2;
      return prev_high && next_high ? -2 : 0;
    }
  if (g_unichar_ispunct (c) || g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL)
    return prev_high && next_high ? 0 : 1;
  return -1;
}

/**
 * pochta_charset_guess:
 * @data: bytes, possibly mixing UTF-8 with a legacy charset
 * @len: length of @data
 *
 * Picks the legacy charset that reads best the bytes of @data that are not
 * part of a valid UTF-8 sequence.
 *
 * Returns: "windows-1252", "koi8-r" or "windows-1251" (windows-1252 on ties)
 */
const char *
pochta_charset_guess (const char *data,
                      gsize       len)
{
  const guchar *p = (const guchar *) data;
  int scores[N_LEGACY] = { 0 };
  guint best = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  ensure_legacy_tables ();

  for (gsize start = 0; start < len;)
    {
      gsize end = line_end (p, start, len);

      if (!g_utf8_validate ((const char *) p + start, end - start, NULL))
        for (gsize i = start; i < end; i++)
          if (p[i] >= 0x80)
            for (guint c = 0; c < N_LEGACY; c++)
              scores[c] += score_byte (&legacy[c], p, i, len);
      start = end;
    }

  for (guint c = 1; c < N_LEGACY; c++)
    if (scores[c] > scores[best])
      best = c;

  return legacy[best].name;
}

/* UTF-8 for lines that are valid UTF-8, the legacy table for the others.
 * Deciding per line, not per character, matters: KOI8-R "\xd3\xa3" ("сё")
 * happens to be valid UTF-8 for "ӣ", but a whole line of legacy text
 * practically never is. */
static char *
decode_mixed (const guchar        *p,
              gsize                len,
              const LegacyCharset *cs,
              gboolean            *all_utf8)
{
  GString *out = g_string_sized_new (len + len / 4 + 1);

  *all_utf8 = TRUE;
  for (gsize start = 0; start < len;)
    {
      gsize end = line_end (p, start, len);
      gboolean utf8 = g_utf8_validate ((const char *) p + start, end - start, NULL);

      for (gsize i = start; i < end; i++)
        {
          if (p[i] == 0)
            g_string_append_c (out, ' ');
          else if (p[i] < 0x80 || utf8)
            g_string_append_c (out, (char) p[i]);
          else
            g_string_append_unichar (out, cs->high[p[i] - 0x80]);
        }
      if (!utf8)
        *all_utf8 = FALSE;
      start = end;
    }

  return g_string_free (out, FALSE);
}

/* Converters are cached per charset and thread: opening one loads glibc's
 * gconv module and closing it unloads it again, which costs more than the
 * conversion of a header word or a short text part. Thread-local, since an
 * iconv descriptor holds conversion state and the store worker and GMime's
 * threads parse too. */
#define MAX_CACHED_CHARSETS 32

static void
converter_close (gpointer data)
{
  if (data != NULL)
    g_mime_iconv_close ((iconv_t) data);
}

static GPrivate converter_cache_key = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

/**
 * pochta_charset_get_converter:
 * @charset: a charset name, not necessarily NUL-terminated
 * @len: its length
 *
 * Returns: this thread's converter from @charset to UTF-8, reset to its
 *   initial shift state, or (iconv_t) -1 when the charset is unknown. The
 *   cache owns it: never close it.
 */
iconv_t
pochta_charset_get_converter (const char *charset,
                              gsize       len)
{
  GHashTable *cache = g_private_get (&converter_cache_key);
  char name[64];
  gpointer found;
  iconv_t cd;

  if (len >= sizeof name)
    return (iconv_t) -1;
  for (gsize i = 0; i < len; i++)
    name[i] = g_ascii_tolower (charset[i]);
  name[len] = '\0';

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, converter_close);
      g_private_set (&converter_cache_key, cache);
    }

  if (g_hash_table_lookup_extended (cache, name, NULL, &found))
    cd = found != NULL ? (iconv_t) found : (iconv_t) -1;
  else if (g_hash_table_size (cache) >= MAX_CACHED_CHARSETS)
    return (iconv_t) -1;
  else
    {
      /* GMime's name mapping (ks_c_5601-1987, x-unknown...), as GMime would. */
      pochta_mime_ensure_init ();
      cd = g_mime_iconv_open ("UTF-8", name);
      g_hash_table_insert (cache, g_strdup (name), cd != (iconv_t) -1 ? (gpointer) cd : NULL);
    }

  if (cd != (iconv_t) -1)
    iconv (cd, NULL, NULL, NULL, NULL);

  return cd;
}

/* iconv that replaces what it cannot read with U+FFFD and goes on;
 * returns NULL if the charset is unknown. */
static char *
convert_lossy (const char *data,
               gsize       len,
               const char *charset,
               guint      *n_errors)
{
  iconv_t cd;
  GString *out;
  char *in = (char *) data;
  size_t inleft = len;
  char buf[4096];

  *n_errors = 0;
  cd = pochta_charset_get_converter (charset, strlen (charset));
  if (cd == (iconv_t) -1)
    return NULL;

  out = g_string_sized_new (len + 16);
  while (TRUE)
    {
      char *outp = buf;
      size_t outleft = sizeof buf;
      size_t r;

      r = iconv (cd, inleft > 0 ? &in : NULL, &inleft, &outp, &outleft);
      g_string_append_len (out, buf, outp - buf);
      if (r != (size_t) -1)
        {
          if (inleft == 0)
            {
              /* Flush the shift state of stateful charsets (iso-2022-jp). */
              outp = buf;
              outleft = sizeof buf;
              iconv (cd, NULL, NULL, &outp, &outleft);
              g_string_append_len (out, buf, outp - buf);
              break;
            }
          continue;
        }
      if (errno == E2BIG)
        continue;
      /* EILSEQ or a sequence cut off at the end (EINVAL). */
      g_string_append (out, "\xef\xbf\xbd");
      (*n_errors)++;
      if (errno == EINVAL || inleft <= 1)
        break;
      in++;
      inleft--;
    }

  for (gsize i = 0; i < out->len; i++)
    if (out->str[i] == '\0')
      out->str[i] = ' ';

  return g_string_free (out, FALSE);
}

static gboolean
charset_is_utf8 (const char *canon)
{
  return g_ascii_strcasecmp (canon, "utf-8") == 0 || g_ascii_strcasecmp (canon, "utf8") == 0;
}

/* Charsets whose 8-bit bytes are single characters: a label that valid
 * UTF-8 overrides, and one whose failure means "guess". */
static gboolean
charset_is_single_byte (const char *canon)
{
  static const char * const prefixes[] = {
    "iso-8859-", "iso8859", "latin", "windows-125", "windows-cp125", "cp125", "koi8", "us-ascii",
    "ascii", "ansi_x3.4", "ibm", "cp8", "macintosh", "x-mac", "tis-620",
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (canon, prefixes[i], strlen (prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

/* Charsets where a byte below 0x80 does not mean its ASCII character. */
static gboolean
charset_is_ascii_compatible (const char *canon)
{
  static const char * const prefixes[] = { "utf-7", "utf-16", "utf-32", "ucs", "iso-2022", "hz" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (canon, prefixes[i], strlen (prefixes[i])) == 0)
      return FALSE;
  return TRUE;
}

/* Labels that say "I do not know" and would only fool iconv or GMime's
 * own fallbacks. */
static gboolean
charset_is_unknown_label (const char *label)
{
  static const char * const labels[] = {
    "unknown", "x-unknown", "unknown-8bit", "x-user-defined", "default", "8bit", "none",
    "charset", "us-ascii8",
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_ascii_strcasecmp (label, labels[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
ascii_copy (const guchar *p,
            gsize         len)
{
  char *out = g_malloc (len + 1);

  /* A NUL would cut the text short for every C caller downstream. */
  for (gsize i = 0; i < len; i++)
    out[i] = p[i] != 0 ? (char) p[i] : ' ';
  out[len] = '\0';
  return out;
}

static char *
guess_and_decode (const guchar        *p,
                  gsize                len,
                  PochtaCharsetSource *source,
                  const char         **charset_used)
{
  const char *guess = pochta_charset_guess ((const char *) p, len);
  gboolean all_utf8 = TRUE;
  char *out = NULL;

  for (guint c = 0; c < N_LEGACY; c++)
    if (legacy[c].name == guess)
      out = decode_mixed (p, len, &legacy[c], &all_utf8);

  *source = all_utf8 ? POCHTA_CHARSET_SOURCE_UTF8 : POCHTA_CHARSET_SOURCE_GUESSED;
  *charset_used = all_utf8 ? "utf-8" : guess;
  return out;
}

/**
 * pochta_charset_to_utf8:
 * @data: the bytes
 * @len: length of @data, or -1 if NUL-terminated
 * @declared: (nullable): the charset the message declares
 * @source: (out) (optional): how the charset was chosen
 * @charset_used: (out) (optional) (transfer none): the charset that was used
 *
 * Converts text to UTF-8 following the policy at the top of this file.
 * Never fails; the result is always valid UTF-8 without NUL characters.
 *
 * Returns: (transfer full): the text in UTF-8
 */
char *
pochta_charset_to_utf8 (const char           *data,
                        gssize                len,
                        const char           *declared,
                        PochtaCharsetSource  *source,
                        const char          **charset_used)
{
  const guchar *p = (const guchar *) data;
  PochtaCharsetSource dummy_source;
  const char *dummy_charset;
  const char *canon = NULL;
  gboolean ascii;

  g_return_val_if_fail (data != NULL || len <= 0, NULL);

  pochta_mime_ensure_init ();
  ensure_legacy_tables ();

  if (source == NULL)
    source = &dummy_source;
  if (charset_used == NULL)
    charset_used = &dummy_charset;
  if (data == NULL)
    len = 0;
  else if (len < 0)
    len = strlen (data);

  if (declared != NULL && *declared != '\0' && !charset_is_unknown_label (declared))
    canon = g_mime_charset_canon_name (declared);

  ascii = is_ascii (p, len);
  if (ascii && (canon == NULL || charset_is_ascii_compatible (canon)))
    {
      *source = POCHTA_CHARSET_SOURCE_ASCII;
      *charset_used = "us-ascii";
      return ascii_copy (p, len);
    }

  if (canon != NULL && !charset_is_utf8 (canon))
    {
      gboolean valid_utf8 = g_utf8_validate ((const char *) p, len, NULL);
      g_autofree char *converted = NULL;
      guint n_errors = 0;

      if (!(valid_utf8 && charset_is_single_byte (canon)))
        converted = convert_lossy ((const char *) p, len, canon, &n_errors);

      if (converted != NULL && n_errors == 0)
        {
          *source = POCHTA_CHARSET_SOURCE_DECLARED;
          *charset_used = g_intern_string (canon);
          return g_utf8_make_valid (converted, -1);
        }
      if (converted != NULL && !charset_is_single_byte (canon) && !valid_utf8)
        {
          *source = POCHTA_CHARSET_SOURCE_LOSSY;
          *charset_used = g_intern_string (canon);
          return g_utf8_make_valid (converted, -1);
        }
    }

  return guess_and_decode (p, len, source, charset_used);
}
