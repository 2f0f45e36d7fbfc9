/* test-charset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the charset fallback chain as a table: declared charset, valid
 * UTF-8, then the windows-1252 / koi8-r / windows-1251 guess.
 */

#include "config.h"

#include <glib.h>

#include "pochta-charset.h"

typedef struct
{
  const char          *path;
  const char          *data;
  gssize               len;
  const char          *declared;
  const char          *expected;
  PochtaCharsetSource  source;
} Case;

#define KOI8_TEXT "\xf0\xd2\xc9\xd7\xc5\xd4, \xcb\xc1\xcb \xc4\xc5\xcc\xc1? \xf7\xd3\xa3 \xc8\xcf\xd2\xcf\xdb\xcf."
#define CP1251_TEXT "\xcf\xf0\xe8\xe2\xe5\xf2, \xea\xe0\xea \xe4\xe5\xeb\xe0? \xc2\xf1\xb8 \xf5\xee\xf0\xee\xf8\xee."
#define RUSSIAN "Привет, как дела? Всё хорошо."

static const Case cases[] = {
  /* No charset at all: the guess. */
  { "/core/mime/charset/guess/koi8-r", KOI8_TEXT, -1, NULL, RUSSIAN, POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/guess/windows-1251", CP1251_TEXT, -1, NULL, RUSSIAN, POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/guess/cafe", "caf\xe9", -1, NULL, "café", POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/guess/german", "Gr\xfc\xdf" "e aus K\xf6ln \x97 12 \x80", -1, NULL,
    "Grüße aus Köln — 12 €", POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/guess/koi8-short", "\xf3\xdf\xc5\xdb\xd8 \xd6\xc5 \xc5\xdd\xa3", -1, NULL,
    "Съешь же ещё", POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/guess/utf8", "caf\xc3\xa9", -1, NULL, "café", POCHTA_CHARSET_SOURCE_UTF8 },
  { "/core/mime/charset/guess/mixed", "Gr\xfc\xdf" "e\nGr\xc3\xb6\xc3\x9f" "e", -1, NULL,
    "Grüße\nGröße", POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/ascii", "plain text", -1, "iso-8859-5", "plain text", POCHTA_CHARSET_SOURCE_ASCII },
  { "/core/mime/charset/nul", "a\0b", 3, NULL, "a b", POCHTA_CHARSET_SOURCE_ASCII },
  { "/core/mime/charset/empty", "", 0, "utf-8", "", POCHTA_CHARSET_SOURCE_ASCII },

  /* A declared charset is used when it fits the bytes. */
  { "/core/mime/charset/declared/latin1", "caf\xe9", -1, "iso-8859-1", "café", POCHTA_CHARSET_SOURCE_DECLARED },
  { "/core/mime/charset/declared/alias", "caf\xe9", -1, "latin1", "café", POCHTA_CHARSET_SOURCE_DECLARED },
  { "/core/mime/charset/declared/koi8-r", KOI8_TEXT, -1, "KOI8-R", RUSSIAN, POCHTA_CHARSET_SOURCE_DECLARED },
  { "/core/mime/charset/declared/iso-2022-jp", "\x1b$B8+@Q=q$rE:IU$$$?$7$^$9!#\x1b(B", -1, "iso-2022-jp",
    "見積書を添付いたします。", POCHTA_CHARSET_SOURCE_DECLARED },
  { "/core/mime/charset/declared/utf8", "caf\xc3\xa9", -1, "utf-8", "café", POCHTA_CHARSET_SOURCE_UTF8 },

  /* Valid non-ASCII UTF-8 under a single-byte label is mislabelled UTF-8:
   * the person expects "café", not "cafÃ©". */
  { "/core/mime/charset/mislabelled/latin1", "caf\xc3\xa9", -1, "iso-8859-1", "café", POCHTA_CHARSET_SOURCE_UTF8 },
  { "/core/mime/charset/mislabelled/us-ascii", "\xd0\x94\xd0\xb0", -1, "us-ascii", "Да", POCHTA_CHARSET_SOURCE_UTF8 },
  { "/core/mime/charset/mislabelled/windows-1252", "\xe2\x82\xac 5", -1, "windows-1252", "€ 5", POCHTA_CHARSET_SOURCE_UTF8 },

  /* Wrong or unknown labels fall back. */
  { "/core/mime/charset/wrong/utf8-is-latin1", "caf\xe9", -1, "utf-8", "café", POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/wrong/ascii-is-koi8", KOI8_TEXT, -1, "us-ascii", RUSSIAN, POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/unknown/utf8", "caf\xc3\xa9", -1, "x-unknown", "café", POCHTA_CHARSET_SOURCE_UTF8 },
  { "/core/mime/charset/unknown/koi8", KOI8_TEXT, -1, "unknown-8bit", RUSSIAN, POCHTA_CHARSET_SOURCE_GUESSED },
  { "/core/mime/charset/lossy/iso-2022-jp", "\x1b$B8+@Q\x1b(B \xff", -1, "iso-2022-jp",
    "見積 \xef\xbf\xbd", POCHTA_CHARSET_SOURCE_LOSSY },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  PochtaCharsetSource source = -1;
  const char *used = NULL;
  g_autofree char *result = pochta_charset_to_utf8 (c->data, c->len, c->declared, &source, &used);

  g_assert_cmpstr (result, ==, c->expected);
  g_assert_cmpint (source, ==, c->source);
  g_assert_nonnull (used);
  g_assert_true (g_utf8_validate (result, -1, NULL));
}

static void
test_guess (void)
{
  g_assert_cmpstr (pochta_charset_guess (KOI8_TEXT, sizeof KOI8_TEXT - 1), ==, "koi8-r");
  g_assert_cmpstr (pochta_charset_guess (CP1251_TEXT, sizeof CP1251_TEXT - 1), ==, "windows-1251");
  g_assert_cmpstr (pochta_charset_guess ("na\xefve", 5), ==, "windows-1252");
  g_assert_cmpstr (pochta_charset_guess ("ascii", 5), ==, "windows-1252");
}

/* Every byte sequence converts to valid UTF-8 without crashing. */
static void
test_random_bytes (void)
{
  static const char *labels[] = { NULL, "utf-8", "iso-2022-jp", "shift_jis", "koi8-r", "bogus" };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 600; round++)
    {
      guint8 buf[64];
      g_autofree char *out = NULL;

      for (guint i = 0; i < sizeof buf; i++)
        buf[i] = g_rand_int_range (rand, 0, 256);
      out = pochta_charset_to_utf8 ((const char *) buf, sizeof buf,
                                    labels[round % G_N_ELEMENTS (labels)], NULL, NULL);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/core/mime/charset/guess-names", test_guess);
  g_test_add_func ("/core/mime/charset/random-bytes", test_random_bytes);

  return g_test_run ();
}
