/* bench-imap-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times the IMAP parser on 100,000 header FETCH responses against just
 * reading the same bytes line by line, in the chunks a socket would give.
 */

#include "config.h"

#include <string.h>

#include "pochta-core.h"
#include "pochta-imap-parser.h"

#define N_RESPONSES 100000
#define CHUNK       (64 * 1024)

static GString *
make_input (void)
{
  GString *input = g_string_sized_new ((gsize) N_RESPONSES * 900);

  for (guint i = 1; i <= N_RESPONSES; i++)
    g_string_append_printf (input,
      "* %u FETCH (UID %u FLAGS (\\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
      "RFC822.SIZE %u MODSEQ (%u) ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
      "\"IMAP4rev1 WG mtg summary and minutes %u\" ((\"Terry Gray\" NIL \"gray\" "
      "\"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" "
      "\"cac.washington.edu\")) NIL NIL NIL \"<B27397-%u@cac.washington.edu>\") "
      "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" "
      "1152 23 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"base64\" "
      "4554 73 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1\") NIL NIL NIL) "
      "BODY[HEADER.FIELDS (LIST-ID REFERENCES)] {%u}\r\nList-Id: <pochta.example.org>\r\n\r\n)\r\n",
      i, i + 1000, 4000 + i, 70000 + i, i, i, (guint) strlen ("List-Id: <pochta.example.org>\r\n\r\n"));

  return input;
}

/* The floor: what a line reader does with the bytes and nothing more. */
static gsize
read_lines (const GString *input)
{
  g_autoptr(GString) line = g_string_sized_new (4096);
  gsize lines = 0;

  for (gsize pos = 0; pos < input->len; pos += CHUNK)
    {
      const char *p = input->str + pos;
      const char *end = p + MIN (CHUNK, input->len - pos);

      while (p < end)
        {
          const char *lf = memchr (p, '\n', end - p);

          if (lf == NULL)
            {
              g_string_append_len (line, p, end - p);
              break;
            }
          g_string_append_len (line, p, lf + 1 - p);
          g_string_truncate (line, 0);
          lines++;
          p = lf + 1;
        }
    }

  return lines;
}

static gsize
parse (const GString *input)
{
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  gsize responses = 0;

  for (gsize pos = 0; pos < input->len; pos += CHUNK)
    {
      const char *p = input->str + pos;
      gsize len = MIN (CHUNK, input->len - pos);

      while (len > 0)
        {
          g_autoptr(GError) error = NULL;
          gsize consumed = 0;

          switch (pochta_imap_parser_feed (parser, p, len, &consumed, &error))
            {
            case POCHTA_IMAP_PARSE_RESPONSE:
              pochta_imap_response_free (pochta_imap_parser_take_response (parser));
              responses++;
              break;

            case POCHTA_IMAP_PARSE_NEED_MORE:
              break;

            case POCHTA_IMAP_PARSE_STREAM_LITERAL:
            case POCHTA_IMAP_PARSE_ERROR:
            default:
              g_error ("unexpected parse result: %s", error ? error->message : "stream");
            }
          p += consumed;
          len -= consumed;
        }
    }

  return responses;
}

int
main (void)
{
  g_autoptr(GString) input = make_input ();
  double best_read = G_MAXDOUBLE;
  double best_parse = G_MAXDOUBLE;

  for (guint round = 0; round < 5; round++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gsize lines = read_lines (input);
      gint64 t1 = g_get_monotonic_time ();
      gsize responses = parse (input);
      gint64 t2 = g_get_monotonic_time ();

      g_assert (lines == 4 * N_RESPONSES && responses == N_RESPONSES);
      best_read = MIN (best_read, (t1 - t0) / 1e6);
      best_parse = MIN (best_parse, (t2 - t1) / 1e6);
    }

  g_print ("input: %u FETCH responses, %.1f MB\n", N_RESPONSES, input->len / 1e6);
  g_print ("read lines:  %.3f s  %.0f MB/s\n", best_read, input->len / 1e6 / best_read);
  g_print ("parse:       %.3f s  %.0f MB/s  %.0f responses/s  (%.1fx the read)\n",
           best_parse, input->len / 1e6 / best_parse, N_RESPONSES / best_parse,
           best_parse / best_read);

  return 0;
}
