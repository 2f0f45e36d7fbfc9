/* imap-parser-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the IMAP parser's tests: a parser driven the way the client
 * drives it, over chunks of the input.
 */

#pragma once

#include <string.h>

#include "pochta-core.h"
#include "pochta-imap-parser.h"

/* Drives a parser the way the client does, over chunks of the input. */
typedef struct
{
  PochtaImapParser *parser;
  GString          *rendered;      /* one line per response */
  GPtrArray        *responses;
  GError           *error;
  guint64           stream_above;  /* stream literals larger than this; 0: never */
  guint64           skip;          /* bytes of a streamed literal still to move */
  GString          *sink;
  guint             streamed;
  gsize             fed;           /* bytes given to run_chunk() */
} Run;

static G_GNUC_UNUSED gboolean
stream_large (PochtaImapParser *parser,
              guint64           size,
              gpointer          user_data)
{
  Run *run = user_data;

  return run->stream_above > 0 && size > run->stream_above;
}

static G_GNUC_UNUSED void
run_init (Run                    *run,
          const PochtaImapLimits *limits,
          guint64                 stream_above)
{
  memset (run, 0, sizeof *run);
  run->parser = pochta_imap_parser_new (limits);
  run->rendered = g_string_new (NULL);
  run->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_response_free);
  run->sink = g_string_new (NULL);
  run->stream_above = stream_above;
  pochta_imap_parser_set_literal_func (run->parser, stream_large, run);
}

static G_GNUC_UNUSED void
run_clear (Run *run)
{
  pochta_imap_parser_free (run->parser);
  g_string_free (run->rendered, TRUE);
  g_ptr_array_unref (run->responses);
  g_string_free (run->sink, TRUE);
  g_clear_error (&run->error);
}

/* Returns FALSE once the parser failed. */
static G_GNUC_UNUSED gboolean
run_chunk (Run        *run,
           const char *data,
           gsize       len)
{
  for (;;)
    {
      PochtaImapParseResult result;
      gsize consumed = 0;

      if (run->skip > 0)
        {
          gsize n = MIN (len, run->skip);

          g_string_append_len (run->sink, data, n);
          data += n;
          len -= n;
          run->skip -= n;
          if (run->skip > 0)
            return TRUE;
          pochta_imap_parser_literal_streamed (run->parser);
        }

      if (len == 0)
        return TRUE;

      result = pochta_imap_parser_feed (run->parser, data, len, &consumed, &run->error);
      g_assert_cmpuint (consumed, <=, len);
      data += consumed;
      len -= consumed;

      switch (result)
        {
        case POCHTA_IMAP_PARSE_NEED_MORE:
          g_assert_cmpuint (len, ==, 0);
          return TRUE;

        case POCHTA_IMAP_PARSE_RESPONSE:
          {
            PochtaImapResponse *response = pochta_imap_parser_take_response (run->parser);
            g_autofree char *text = pochta_imap_response_to_string (response);

            g_assert_nonnull (response);
            g_string_append_printf (run->rendered, "%s\n", text);
            g_ptr_array_add (run->responses, response);
          }
          break;

        case POCHTA_IMAP_PARSE_STREAM_LITERAL:
          run->streamed++;
          run->skip = pochta_imap_parser_get_literal_size (run->parser);
          if (run->skip == 0)
            pochta_imap_parser_literal_streamed (run->parser);
          break;

        case POCHTA_IMAP_PARSE_ERROR:
        default:
          g_assert_nonnull (run->error);
          return FALSE;
        }
    }
}

typedef enum
{
  SPLIT_WHOLE,
  SPLIT_BYTES,
  SPLIT_RANDOM,
} Split;

static G_GNUC_UNUSED void
run_input (Run        *run,
           const char *input,
           gsize       len,
           Split       split,
           guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = len - pos;

      if (split == SPLIT_BYTES)
        n = 1;
      else if (split == SPLIT_RANDOM)
        {
          gsize size = g_rand_int_range (rand, 1, 24);

          n = MIN (n, size);
        }
      run->fed += n;
      if (!run_chunk (run, input + pos, n))
        return;
      pos += n;
    }
}

/* Parses with default limits and literals held in memory. */
static G_GNUC_UNUSED char *
render (const char *input,
        gsize       len,
        Split       split,
        guint32     seed,
        GError    **error)
{
  Run run;
  char *ret;

  run_init (&run, NULL, 0);
  run_input (&run, input, len, split, seed);
  if (run.error != NULL)
    g_propagate_error (error, g_steal_pointer (&run.error));
  ret = g_strdup (run.rendered->str);
  run_clear (&run);

  return ret;
}

/* In test-imap-parser-limits.c, linked into test-imap-parser. */
void add_parser_limit_tests (void);
