/* test-imap-parser-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IMAP parser's limits: literal size (held and streamed), nesting,
 * line length and item count, each failing as soon as it is passed.
 */

#include "config.h"

#include "imap-parser-test-util.h"

/* Expects a LIMIT error whole, byte by byte (no later than byte
 * @max_fed: limits fail fast, not at the end of the line) and in chunks. */
static void
expect_limit (const PochtaImapLimits *limits,
              const char             *input,
              gsize                   len,
              gsize                   max_fed)
{
  Split splits[] = { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_RANDOM };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      Run run;

      run_init (&run, limits, 0);
      run_input (&run, input, len, splits[i], 3);
      g_assert_error (run.error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
      if (splits[i] == SPLIT_BYTES)
        g_assert_cmpuint (run.fed, <=, max_fed);
      g_test_message ("%s", run.error->message);
      run_clear (&run);
    }
}

static void
test_literal_too_large (void)
{
  PochtaImapLimits limits;
  const char *input = "* 1 FETCH (BODY[] {1025}\r\n";

  pochta_imap_limits_init_default (&limits);
  limits.max_literal_size = 1024;
  limits.max_streamed_size = 1024;
  expect_limit (&limits, input, strlen (input), strlen (input));
  expect_limit (NULL, "* 1 FETCH (BODY[] {9999999999}\r\n", 32, 32);
}

static void
test_literal_stream_limit (void)
{
  PochtaImapLimits limits;
  Run run;
  const char *input = "* 1 FETCH (BODY[] {2000}\r\n";

  /* Small enough to stream, too big to hold: fine only if streamed. */
  pochta_imap_limits_init_default (&limits);
  limits.max_literal_size = 1000;
  limits.max_streamed_size = 3000;
  run_init (&run, &limits, 0);
  run_input (&run, input, strlen (input), SPLIT_WHOLE, 0);
  g_assert_error (run.error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  run_clear (&run);

  run_init (&run, &limits, 100);
  run_input (&run, input, strlen (input), SPLIT_WHOLE, 0);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.streamed, ==, 1);
  run_clear (&run);

  limits.max_streamed_size = 1500;
  run_init (&run, &limits, 100);
  run_input (&run, input, strlen (input), SPLIT_WHOLE, 0);
  g_assert_error (run.error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  run_clear (&run);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) input = g_string_new ("* 1 FETCH ");
  PochtaImapLimits limits;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (input, '(');

  /* It fails as soon as the 65th list opens, with no end of line in sight. */
  expect_limit (NULL, input->str, input->len, 10 + 65);
  g_string_append (input, "\r\n");
  expect_limit (NULL, input->str, input->len, 10 + 65);

  pochta_imap_limits_init_default (&limits);
  limits.max_depth = 2;
  expect_limit (&limits, "* OK [X ((()))] t\r\n", 19, 19);
  {
    g_autofree char *ok = render ("* 1 FETCH ((()))\r\n", 18, SPLIT_WHOLE, 0, NULL);

    g_assert_cmpstr (ok, ==, "* 1 FETCH ((()))\n");
  }
}

static void
test_line_too_long (void)
{
  g_autoptr(GString) input = g_string_new ("* SEARCH");
  g_autoptr(GString) status = g_string_new ("* OK ");
  PochtaImapLimits limits;

  pochta_imap_limits_init_default (&limits);
  limits.max_line_length = 1000;
  while (input->len < 2000)
    g_string_append (input, " 12345");
  while (status->len < 2000)
    g_string_append_c (status, 'x');

  expect_limit (&limits, input->str, input->len, 1001);
  expect_limit (&limits, status->str, status->len, 1001);

  /* Literal bytes do not count against the line. */
  {
    g_autoptr(GString) lit = g_string_new ("* 1 FETCH (BODY[] {1500}\r\n");
    Run run;

    g_string_append_len (lit, input->str, 1500);
    g_string_append (lit, ")\r\n");
    run_init (&run, &limits, 0);
    run_input (&run, lit->str, lit->len, SPLIT_RANDOM, 1);
    g_assert_no_error (run.error);
    g_assert_cmpuint (run.responses->len, ==, 1);
    run_clear (&run);
  }
}

static void
test_item_count (void)
{
  PochtaImapLimits limits;
  g_autoptr(GString) input = g_string_new ("* SEARCH");

  pochta_imap_limits_init_default (&limits);
  limits.max_items = 100;
  for (guint i = 0; i < 102; i++)
    g_string_append_printf (input, " %u", i);

  expect_limit (&limits, input->str, input->len, input->len);
  g_string_assign (input, "* 1 FETCH (");
  for (guint i = 0; i < 100; i++)
    g_string_append (input, "a ");
  g_string_append (input, ")\r\n");
  expect_limit (&limits, input->str, input->len, input->len);
}

void
add_parser_limit_tests (void)
{
  g_test_add_func ("/core/imap/parser/literal-too-large", test_literal_too_large);
  g_test_add_func ("/core/imap/parser/literal-stream-limit", test_literal_stream_limit);
  g_test_add_func ("/core/imap/parser/deep-nesting", test_deep_nesting);
  g_test_add_func ("/core/imap/parser/line-too-long", test_line_too_long);
  g_test_add_func ("/core/imap/parser/item-count", test_item_count);
}
