/* test-imap-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests FETCH decoding, including streamed literals, on sample server lines.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "imap-test-response.h"
#include "pochta-imap-error.h"
#include "pochta-imap-fetch.h"

/* In test-imap-data.c, linked into this program. */
void add_data_tests (void);

static PochtaImapFetch *
parse_fetch (const char  *line,
             GError     **error)
{
  g_autoptr(PochtaImapResponse) response = imap_test_parse (line);

  return pochta_imap_fetch_new_from_response (response, error);
}

static void
test_rfc3501 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapFetch) fetch =
    parse_fetch ("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
                 "RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                 "\"IMAP4rev1 WG mtg summary and minutes\" "
                 "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                 "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                 "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                 "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                 "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
                 "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
                 "\"<B27397-0100000@cac.washington.edu>\") "
                 "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n",
                 &error);
  g_autofree char *date = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (fetch->seq, ==, 12);
  g_assert_cmpuint (fetch->present, ==, POCHTA_IMAP_FETCH_FLAGS | POCHTA_IMAP_FETCH_INTERNALDATE
                                         | POCHTA_IMAP_FETCH_RFC822_SIZE | POCHTA_IMAP_FETCH_ENVELOPE
                                         | POCHTA_IMAP_FETCH_BODYSTRUCTURE);
  g_assert_cmpstrv (fetch->flags, ((const char *[]) { "\\Seen", NULL }));
  g_assert_true (pochta_imap_fetch_has_flag (fetch, "\\SEEN"));
  g_assert_false (pochta_imap_fetch_has_flag (fetch, "\\Flagged"));
  g_assert_cmpuint (fetch->rfc822_size, ==, 4286);
  date = g_date_time_format_iso8601 (fetch->internaldate);
  g_assert_cmpstr (date, ==, "1996-07-17T02:44:25-07");
  g_assert_cmpstr (fetch->envelope->subject, ==, "IMAP4rev1 WG mtg summary and minutes");
  g_assert_cmpuint (fetch->body_structure->lines, ==, 92);
  g_assert_cmpuint (fetch->sections->len, ==, 0);
}

static void
test_flags_modseq (void)
{
  g_autoptr(PochtaImapFetch) fetch =
    parse_fetch ("* 5 FETCH (UID 101 MODSEQ (624140003) FLAGS (\\Seen \\Recent $Forwarded \\*) "
                 "X-GM-LABELS (\\Inbox \"Work\") EMAILID (M6d99ac3275bb4e) BINARY.SIZE[1] 100 "
                 "X-UNKNOWN NIL)\r\n", NULL);

  g_assert_nonnull (fetch);
  g_assert_cmpuint (fetch->uid, ==, 101);
  g_assert_cmpuint (fetch->modseq, ==, 624140003);
  g_assert_cmpstrv (fetch->flags, ((const char *[]) { "\\Seen", "\\Recent", "$Forwarded", "\\*", NULL }));
  g_assert_cmpuint (fetch->present, ==, POCHTA_IMAP_FETCH_UID | POCHTA_IMAP_FETCH_MODSEQ | POCHTA_IMAP_FETCH_FLAGS);
}

static void
test_sections (void)
{
  static const char line[] =
    "* 3 FETCH (UID 7 BODY[HEADER.FIELDS (REFERENCES IN-REPLY-TO)] {35}\r\n"
    "References: <a@b>\r\nIn-Reply-To: x\r\n"
    " BODY[]<0> {5}\r\nHello BODY[1.MIME] NIL RFC822.HEADER {6}\r\nX: y\r\n BINARY[2] ~{3}\r\na\0b)\r\n";
  g_autoptr(PochtaImapResponse) response = imap_test_parse_len (line, sizeof line - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapFetch) fetch = pochta_imap_fetch_new_from_response (response, &error);
  GBytes *bytes;
  const PochtaImapFetchSection *section;

  g_assert_no_error (error);
  g_assert_true (fetch->present & POCHTA_IMAP_FETCH_SECTIONS);
  bytes = pochta_imap_fetch_get_section_data (fetch, "body.peek[header.fields (References  In-Reply-To)]");
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "References: <a@b>\r\nIn-Reply-To: x\r\n", 35);
  bytes = pochta_imap_fetch_get_section_data (fetch, "BODY.PEEK[]<0.2048>");
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "Hello", 5);
  section = pochta_imap_fetch_get_section (fetch, "BODY[1.MIME]");
  g_assert_nonnull (section);
  g_assert_null (section->data);
  g_assert_false (section->streamed);
  g_assert_null (pochta_imap_fetch_get_section (fetch, "BODY[2]"));
  bytes = pochta_imap_fetch_get_section_data (fetch, "BINARY.PEEK[2]");
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "a\0b", 3);
  bytes = pochta_imap_fetch_get_section_data (fetch, "rfc822.header");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "X: y\r\n", 6);
}

/* A quoted string cannot hold CR LF (RFC 3501 QUOTED-CHAR): such a line
 * never reaches the decoder. */
static void
test_sections_quoted_crlf_rejected (void)
{
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  const char *line = "* 1 FETCH (RFC822.HEADER \"X: y\r\n\")\r\n";
  gsize consumed;

  g_assert_cmpint (pochta_imap_parser_feed (parser, line, strlen (line), &consumed, NULL), ==,
                   POCHTA_IMAP_PARSE_ERROR);
}

static gboolean
stream_big (PochtaImapParser *parser,
            guint64           size,
            gpointer          user_data)
{
  return size > 10;
}

/* Message bodies go to a sink; the FETCH keeps only their size. */
static void
test_streamed (void)
{
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  const char *input = "* 9 FETCH (UID 44 BODY[] {25}\r\nSubject: x\r\n\r\nbody text\r\n FLAGS ())\r\n";
  gsize pos = 0, len = strlen (input);
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(PochtaImapFetch) fetch = NULL;
  const PochtaImapFetchSection *section;
  guint streamed = 0;

  pochta_imap_parser_set_literal_func (parser, stream_big, NULL);
  while (response == NULL)
    {
      gsize consumed = 0;
      PochtaImapParseResult result = pochta_imap_parser_feed (parser, input + pos, len - pos, &consumed, NULL);

      pos += consumed;
      if (result == POCHTA_IMAP_PARSE_STREAM_LITERAL)
        {
          pos += pochta_imap_parser_get_literal_size (parser);
          pochta_imap_parser_literal_streamed (parser);
          streamed++;
        }
      else if (result == POCHTA_IMAP_PARSE_RESPONSE)
        response = pochta_imap_parser_take_response (parser);
      else
        g_assert_not_reached ();
    }
  g_assert_cmpuint (streamed, ==, 1);

  fetch = pochta_imap_fetch_new_from_response (response, NULL);
  g_assert_nonnull (fetch);
  section = pochta_imap_fetch_get_section (fetch, "BODY.PEEK[]");
  g_assert_nonnull (section);
  g_assert_true (section->streamed);
  g_assert_null (section->data);
  g_assert_cmpuint (section->size, ==, 25);
  g_assert_cmpuint (fetch->uid, ==, 44);
  g_assert_true (fetch->present & POCHTA_IMAP_FETCH_FLAGS);
  g_assert_cmpuint (g_strv_length (fetch->flags), ==, 0);
}

typedef struct
{
  const char *path;
  const char *spec;
  const char *normalized;
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  { "/core/imap/fetch/normalize/peek", "body.peek[]", "BODY[]" },
  { "/core/imap/fetch/normalize/partial", "BODY.PEEK[]<0.1024>", "BODY[]<0>" },
  { "/core/imap/fetch/normalize/partial-answer", "BODY[]<1024>", "BODY[]<1024>" },
  { "/core/imap/fetch/normalize/fields", "BODY.PEEK[HEADER.FIELDS (references  In-Reply-To )]",
    "BODY[HEADER.FIELDS (REFERENCES IN-REPLY-TO)]" },
  { "/core/imap/fetch/normalize/fields-quoted", "BODY[HEADER.FIELDS (\"X-Spam\")]", "BODY[HEADER.FIELDS (X-SPAM)]" },
  { "/core/imap/fetch/normalize/part", "body[1.2.mime]", "BODY[1.2.MIME]" },
  { "/core/imap/fetch/normalize/binary", "BINARY.PEEK[1]<0.100>", "BINARY[1]<0>" },
  { "/core/imap/fetch/normalize/rfc822", "rfc822.header", "RFC822.HEADER" },
};

static void
test_normalize (gconstpointer data)
{
  const NormalizeCase *c = data;
  g_autofree char *normalized = pochta_imap_fetch_normalize_section (c->spec);

  g_assert_cmpstr (normalized, ==, c->normalized);
}

typedef struct
{
  const char *path;
  const char *text;
  const char *iso8601;  /* NULL: unparsable */
} DateCase;

static const DateCase date_cases[] = {
  { "/core/imap/fetch/internaldate/rfc3501", "17-Jul-1996 02:44:25 -0700", "1996-07-17T02:44:25-07" },
  { "/core/imap/fetch/internaldate/space-day", " 7-Jul-1996 02:44:25 +0530", "1996-07-07T02:44:25+05:30" },
  { "/core/imap/fetch/internaldate/one-digit-day", "7-jul-1996 02:44:25 +0000", "1996-07-07T02:44:25Z" },
  { "/core/imap/fetch/internaldate/bad-month", "17-Foo-1996 02:44:25 -0700", NULL },
  { "/core/imap/fetch/internaldate/feb-31", "31-Feb-2024 00:00:00 +0000", NULL },
  { "/core/imap/fetch/internaldate/feb-29-leap", "29-Feb-2024 23:59:59 -1200", "2024-02-29T23:59:59-12" },
  { "/core/imap/fetch/internaldate/feb-29-2000", "29-Feb-2000 00:00:00 +0100", "2000-02-29T00:00:00+01" },
  { "/core/imap/fetch/internaldate/feb-29-1900", "29-Feb-1900 00:00:00 +0000", NULL },
  { "/core/imap/fetch/internaldate/before-1970", "31-Dec-1969 23:00:00 -0130", "1969-12-31T23:00:00-01:30" },
  { "/core/imap/fetch/internaldate/dec-31", "31-Dec-2099 12:00:00 +1400", "2099-12-31T12:00:00+14" },
  { "/core/imap/fetch/internaldate/no-zone", "17-Jul-1996 02:44:25", NULL },
  { "/core/imap/fetch/internaldate/trailing", "17-Jul-1996 02:44:25 -0700x", NULL },
  { "/core/imap/fetch/internaldate/hour-25", "17-Jul-1996 25:44:25 -0700", NULL },
  { "/core/imap/fetch/internaldate/empty", "", NULL },
  { "/core/imap/fetch/internaldate/rfc822-style", "Wed, 17 Jul 1996 02:23:25 -0700", NULL },
};

static void
test_internaldate (gconstpointer data)
{
  const DateCase *c = data;
  g_autoptr(GDateTime) dt = pochta_imap_internaldate_parse (c->text);
  g_autofree char *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
  gint64 unix_time = -1;

  g_assert_cmpstr (iso, ==, c->iso8601);
  /* The header sync's way, without a GDateTime, agrees. */
  g_assert_cmpint (pochta_imap_internaldate_parse_unix (c->text, &unix_time), ==, dt != NULL);
  if (dt != NULL)
    {
      g_assert_cmpint (unix_time, ==, g_date_time_to_unix (dt));
      g_autofree char *formatted = pochta_imap_internaldate_format (dt);
      g_autoptr(GDateTime) again = pochta_imap_internaldate_parse (formatted);

      g_assert_nonnull (again);
      g_assert_true (g_date_time_equal (dt, again));
    }
}

static void
test_internaldate_format (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (-(3 * 3600 + 30 * 60));
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2024, 3, 5, 9, 7, 1);
  g_autofree char *text = pochta_imap_internaldate_format (dt);

  g_assert_cmpstr (text, ==, "05-Mar-2024 09:07:01 -0330");
}

typedef struct
{
  const char *path;
  const char *line;
  int         code;
} BadCase;

static const BadCase bad_cases[] = {
  { "/core/imap/fetch/bad/not-fetch", "* 3 EXISTS\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/fetch/bad/seq-zero", "* 0 FETCH (UID 1)\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/fetch/bad/tagged", "a1 OK FETCH done\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/fetch/bad/nil", "* 1 FETCH NIL\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/odd", "* 1 FETCH (UID)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/uid-word", "* 1 FETCH (UID abc)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/uid-zero", "* 1 FETCH (UID 0)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/uid-huge", "* 1 FETCH (UID 4294967296)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/flags-atom", "* 1 FETCH (FLAGS \\Seen)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/flags-string", "* 1 FETCH (FLAGS (\"x\"))\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/modseq-bare", "* 1 FETCH (MODSEQ 5)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/modseq-empty", "* 1 FETCH (MODSEQ ())\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/size-negative", "* 1 FETCH (RFC822.SIZE -1)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/date-atom", "* 1 FETCH (INTERNALDATE NIL)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/section-list", "* 1 FETCH (BODY[] (a))\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/envelope-nil", "* 1 FETCH (ENVELOPE NIL)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/bodystructure-nil", "* 1 FETCH (BODYSTRUCTURE NIL)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/name-list", "* 1 FETCH ((UID) 5)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/fetch/bad/name-string", "* 1 FETCH (\"UID\" 5)\r\n", POCHTA_IMAP_ERROR_PARSE },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapFetch) fetch = parse_fetch (c->line, &error);

  g_assert_null (fetch);
  g_assert_error (error, POCHTA_IMAP_ERROR, c->code);
}

static void
test_unparsable_date_tolerated (void)
{
  g_autoptr(PochtaImapFetch) fetch = parse_fetch ("* 1 FETCH (UID 3 INTERNALDATE \"yesterday\")\r\n", NULL);

  g_assert_nonnull (fetch);
  g_assert_null (fetch->internaldate);
  g_assert_cmpuint (fetch->present, ==, POCHTA_IMAP_FETCH_UID);
}

/* A big literal (a message body) is handed to the fetch by reference, and
 * outlives the response it came in. */
static void
test_big_literal (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(PochtaImapFetch) fetch = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GError) error = NULL;

  while (body->len < 100 * 1024)
    g_string_append_printf (body, "line %u of a big body\r\n", (guint) body->len);
  g_string_append_printf (text, "* 1 FETCH (UID 9 BODY[] {%zu}\r\n", body->len);
  g_string_append_len (text, body->str, body->len);
  g_string_append (text, ")\r\n");

  response = imap_test_parse_len (text->str, text->len);
  fetch = pochta_imap_fetch_new_from_response (response, &error);
  g_assert_no_error (error);
  kept = g_bytes_ref (pochta_imap_fetch_get_section_data (fetch, "BODY[]"));
  g_clear_pointer (&fetch, pochta_imap_fetch_free);
  g_clear_pointer (&response, pochta_imap_response_free);

  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), body->str, body->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/imap/fetch/rfc3501", test_rfc3501);
  g_test_add_func ("/core/imap/fetch/flags-modseq", test_flags_modseq);
  g_test_add_func ("/core/imap/fetch/sections", test_sections);
  g_test_add_func ("/core/imap/fetch/sections-quoted-crlf-rejected", test_sections_quoted_crlf_rejected);
  g_test_add_func ("/core/imap/fetch/streamed", test_streamed);
  g_test_add_func ("/core/imap/fetch/big-literal", test_big_literal);
  g_test_add_func ("/core/imap/fetch/unparsable-date", test_unparsable_date_tolerated);
  for (guint i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
    g_test_add_data_func (normalize_cases[i].path, &normalize_cases[i], test_normalize);
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    g_test_add_data_func (date_cases[i].path, &date_cases[i], test_internaldate);
  g_test_add_func ("/core/imap/fetch/internaldate/format", test_internaldate_format);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  add_data_tests ();

  return g_test_run ();
}
