/* imap-test-response.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns sample server lines into responses with the real parser, for the decoder tests.
 */

#pragma once

#include <string.h>

#include "pochta-imap-parser.h"

/* Parses exactly one response from @text (CRLF-terminated, literals
 * inline); fails the test if the parser does not produce one. */
static inline PochtaImapResponse *
imap_test_parse_len (const char *text,
                     gsize       len)
{
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  PochtaImapParseResult result;

  result = pochta_imap_parser_feed (parser, text, len, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, POCHTA_IMAP_PARSE_RESPONSE);
  g_assert_cmpuint (consumed, ==, len);
  return pochta_imap_parser_take_response (parser);
}

static inline PochtaImapResponse *
imap_test_parse (const char *text)
{
  return imap_test_parse_len (text, strlen (text));
}
