/* test-imap-utf7.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests modified UTF-7 mailbox names against RFC 3501 examples and bad input.
 */

#include "config.h"

#include <glib.h>

#include "pochta-imap-error.h"
#include "pochta-imap-utf7.h"

typedef struct
{
  const char *path;
  const char *utf8;
  const char *mutf7;
} RoundTrip;

static const RoundTrip round_trips[] = {
  { "/core/imap/utf7/ascii", "INBOX", "INBOX" },
  { "/core/imap/utf7/empty", "", "" },
  { "/core/imap/utf7/ampersand", "&", "&-" },
  { "/core/imap/utf7/ampersands", "Tom & Jerry && co", "Tom &- Jerry &-&- co" },
  { "/core/imap/utf7/cyrillic", "Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-" },
  { "/core/imap/utf7/japanese", "日本語", "&ZeVnLIqe-" },
  { "/core/imap/utf7/rfc3501", "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
  { "/core/imap/utf7/mixed", "Входящие/Work & Play/Café", "&BBIERQQ+BDQETwRJBDgENQ-/Work &- Play/Caf&AOk-" },
  { "/core/imap/utf7/emoji", "Inbox 📬", "Inbox &2D3c7A-" },
  { "/core/imap/utf7/emoji-pair", "😀😁", "&2D3eANg93gE-" },
  { "/core/imap/utf7/control", "a\tb", "a&AAk-b" },
  { "/core/imap/utf7/del", "a\x7f" "b", "a&AH8-b" },
  { "/core/imap/utf7/tilde-end", "x~", "x~" },
};

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *encoded = pochta_imap_utf7_encode (rt->utf8);
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = pochta_imap_utf7_decode (rt->mutf7, &error);

  g_assert_cmpstr (encoded, ==, rt->mutf7);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, rt->utf8);
}

typedef struct
{
  const char *path;
  const char *mutf7;
} Bad;

static const Bad bad[] = {
  { "/core/imap/utf7/bad/unterminated", "&BB4EQgQ" },
  { "/core/imap/utf7/bad/lone-ampersand", "&" },
  { "/core/imap/utf7/bad/bad-base64", "&Jjo!-" },
  { "/core/imap/utf7/bad/slash-alphabet", "&U/BTFw-" },
  { "/core/imap/utf7/bad/padding-bits", "&AOl-" },
  { "/core/imap/utf7/bad/extra-char", "&AOkA-" },
  { "/core/imap/utf7/bad/too-short", "&AA-" },
  { "/core/imap/utf7/bad/encoded-ascii", "&AGE-" },
  { "/core/imap/utf7/bad/encoded-ampersand", "&ACY-" },
  { "/core/imap/utf7/bad/lone-high-surrogate", "&2D0-" },
  { "/core/imap/utf7/bad/lone-low-surrogate", "&3gA-" },
  { "/core/imap/utf7/bad/high-then-bmp", "&2D0AZQ-" },
  { "/core/imap/utf7/bad/encoded-nul", "&AAA-" },
  { "/core/imap/utf7/bad/8bit", "Caf\xc3\xa9" },
  { "/core/imap/utf7/bad/control", "a\tb" },
  { "/core/imap/utf7/bad/padding-equals", "&AOk=-" },
};

static void
test_bad (gconstpointer data)
{
  const Bad *b = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = pochta_imap_utf7_decode (b->mutf7, &error);

  g_assert_null (decoded);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
}

/* Every BMP code point and a sample of astral ones survive the round trip. */
static void
test_exhaustive (void)
{
  for (gunichar c = 1; c < 0x110000; c += (c < 0x10000 ? 1 : 97))
    {
      char utf8[16];
      gint len;
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;

      if (c >= 0xd800 && c <= 0xdfff)
        continue;
      len = g_unichar_to_utf8 (c, utf8);
      utf8[len] = 'x';
      utf8[len + 1] = '\0';
      encoded = pochta_imap_utf7_encode (utf8);
      decoded = pochta_imap_utf7_decode (encoded, NULL);
      g_assert_cmpstr (decoded, ==, utf8);
    }
}

/* Random bytes never crash the decoder, and whatever it accepts re-encodes
 * to the same text (the canonical-form rule). */
static void
test_random (void)
{
  static const char alphabet[] = "&-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,/ ~";

  for (guint round = 0; round < 20000; round++)
    {
      char input[24];
      guint len = g_test_rand_int_range (0, sizeof input);
      g_autofree char *decoded = NULL;

      for (guint i = 0; i < len; i++)
        input[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      input[len] = '\0';

      decoded = pochta_imap_utf7_decode (input, NULL);
      if (decoded != NULL)
        {
          g_autofree char *encoded = pochta_imap_utf7_encode (decoded);

          g_assert_true (g_utf8_validate (decoded, -1, NULL));
          g_assert_cmpstr (encoded, ==, input);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    g_test_add_data_func (round_trips[i].path, &round_trips[i], test_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_test_add_data_func (bad[i].path, &bad[i], test_bad);
  g_test_add_func ("/core/imap/utf7/exhaustive", test_exhaustive);
  g_test_add_func ("/core/imap/utf7/random", test_random);

  return g_test_run ();
}
