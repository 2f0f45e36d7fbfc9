/* fuzz-imap-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the IMAP response parser: parses the input whole and
 * split at a point taken from the input, with small limits and streamed
 * literals, and checks that both ways give the same responses.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pochta-imap-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  PochtaImapParser *parser;
  GString          *out;      /* rendered responses and value digests */
  guint64           skip;     /* bytes of a streamed literal still to pass over */
  gboolean          failed;
  gint              code;
} Run;

static gboolean
stream_large (PochtaImapParser *parser,
              guint64           size,
              gpointer          user_data G_GNUC_UNUSED)
{
  const PochtaImapValue *open = pochta_imap_parser_get_open_list (parser);

  /* Exercise what a real literal callback looks at. */
  g_assert (pochta_imap_parser_get_partial (parser) != NULL);
  g_assert (open != NULL && open->type == POCHTA_IMAP_VALUE_LIST);
  g_free (pochta_imap_value_to_string (open));

  return size > 64;
}

/* A digest of every byte of the tree, since to_string() elides. */
static void
digest (GString               *out,
        const PochtaImapValue *value)
{
  guint32 hash = 2166136261u;
  guint64 n;

  if (value == NULL)
    return;
  if (value->type == POCHTA_IMAP_VALUE_LIST)
    {
      for (guint i = 0; i < pochta_imap_value_list_size (value); i++)
        digest (out, pochta_imap_value_list_get (value, i));
      return;
    }
  if (value->data != NULL)
    for (gsize i = 0; i < value->len; i++)
      hash = (hash ^ (guchar) value->data[i]) * 16777619u;
  g_string_append_printf (out, "%d:%" G_GSIZE_FORMAT ":%08x%s ", value->type, value->len, hash,
                          pochta_imap_value_get_number (value, &n) ? "#" : "");
}

static void
feed (Run          *run,
      const char   *data,
      gsize         len)
{
  while (!run->failed)
    {
      PochtaImapParseResult result;
      GError *error = NULL;
      gsize consumed = 0;

      if (run->skip > 0)
        {
          gsize n = MIN (len, run->skip);

          data += n;
          len -= n;
          run->skip -= n;
          if (run->skip > 0)
            return;
          pochta_imap_parser_literal_streamed (run->parser);
        }
      if (len == 0)
        return;

      result = pochta_imap_parser_feed (run->parser, data, len, &consumed, &error);
      if (consumed > len)
        abort ();
      data += consumed;
      len -= consumed;

      switch (result)
        {
        case POCHTA_IMAP_PARSE_NEED_MORE:
          if (len != 0)
            abort ();
          return;

        case POCHTA_IMAP_PARSE_RESPONSE:
          {
            PochtaImapResponse *response = pochta_imap_parser_take_response (run->parser);
            char *text = pochta_imap_response_to_string (response);

            g_string_append (run->out, text);
            g_string_append_c (run->out, '\n');
            digest (run->out, response->data);
            digest (run->out, response->code_args);
            g_free (text);
            pochta_imap_response_free (response);
          }
          break;

        case POCHTA_IMAP_PARSE_STREAM_LITERAL:
          run->skip = pochta_imap_parser_get_literal_size (run->parser);
          g_string_append_printf (run->out, "<stream %" G_GUINT64_FORMAT ">", run->skip);
          if (run->skip == 0)
            pochta_imap_parser_literal_streamed (run->parser);
          break;

        case POCHTA_IMAP_PARSE_ERROR:
        default:
          if (error == NULL || error->message == NULL || error->message[0] == '\0')
            abort ();
          run->failed = TRUE;
          run->code = error->code;
          g_error_free (error);
          return;
        }
    }
}

static char *
parse (const char *data,
       gsize       size,
       gsize       chunk)
{
  PochtaImapLimits limits;
  Run run = { 0 };

  pochta_imap_limits_init_default (&limits);
  limits.max_line_length = 2048;
  limits.max_literal_size = 1024;
  limits.max_streamed_size = 1 << 20;
  limits.max_depth = 16;
  limits.max_items = 500;

  run.parser = pochta_imap_parser_new (&limits);
  run.out = g_string_new (NULL);
  pochta_imap_parser_set_literal_func (run.parser, stream_large, &run);

  for (gsize pos = 0; pos < size && !run.failed; pos += chunk)
    feed (&run, data + pos, MIN (chunk, size - pos));

  if (run.failed)
    g_string_append_printf (run.out, "ERROR %d", run.code);
  pochta_imap_parser_free (run.parser);

  return g_string_free (run.out, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *input = (const char *) data;
  char *whole;
  char *split;
  gsize chunk;

  if (size == 0)
    return 0;

  /* The chunk size comes from the input so the fuzzer explores splits too. */
  chunk = 1 + (data[size - 1] * 131u + data[0]) % MAX (size, 1);

  whole = parse (input, size, size);
  split = parse (input, size, chunk);
  if (strcmp (whole, split) != 0)
    abort ();
  g_free (split);

  if (size < 512)
    {
      split = parse (input, size, 1);
      if (strcmp (whole, split) != 0)
        abort ();
      g_free (split);
    }

  g_free (whole);

  return 0;
}
