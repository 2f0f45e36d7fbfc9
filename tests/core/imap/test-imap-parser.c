/* test-imap-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of the incremental IMAP response parser: every
 * construct, any split of the input, malformed input and streamed
 * literals. Its limits are tested in test-imap-parser-limits.c.
 */

#include "config.h"

#include <string.h>

#include "imap-parser-test-util.h"

typedef struct
{
  const char *name;
  const char *input;
  const char *expected;   /* responses rendered by pochta_imap_response_to_string, one a line */
} ParseCase;

static const ParseCase parse_cases[] = {
  { "greeting", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
    "AUTH=PLAIN] Dovecot ready.\r\n",
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] "
    "Dovecot ready.\n" },
  { "preauth", "* PREAUTH IMAP4rev1 server logged in as Smith\r\n",
    "* PREAUTH IMAP4rev1 server logged in as Smith\n" },
  { "bye", "* BYE Autologout; idle for too long\r\n", "* BYE Autologout; idle for too long\n" },
  { "tagged-ok", "a001 OK [READ-WRITE] SELECT completed\r\n",
    "a001 OK [READ-WRITE] SELECT completed\n" },
  { "tagged-no", "A142 no [TRYCREATE] Mailbox doesn't exist\r\n",
    "A142 NO [TRYCREATE] Mailbox doesn't exist\n" },
  { "tagged-bad-no-text", "a3 BAD\r\n", "a3 BAD\n" },
  { "bare-lf", "* 3 EXISTS\n* 1 RECENT\n", "* 3 EXISTS\n* 1 RECENT\n" },
  { "select",
    "* 172 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 12] Message 12 is first unseen\r\n"
    "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted next UID\r\n"
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
    "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
    "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n"
    "A142 OK [READ-WRITE] SELECT completed\r\n",
    "* 172 EXISTS\n* 1 RECENT\n* OK [UNSEEN 12] Message 12 is first unseen\n"
    "* OK [UIDVALIDITY 3857529045] UIDs valid\n* OK [UIDNEXT 4392] Predicted next UID\n"
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
    "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\n"
    "* OK [HIGHESTMODSEQ 715194045007] Highest\n"
    "A142 OK [READ-WRITE] SELECT completed\n" },
  { "codes",
    "a1 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
    "a2 OK [APPENDUID 38505 3955] APPEND completed\r\n"
    "* OK [NOMODSEQ] Sorry\r\n* OK [CLOSED] Previous closed\r\n"
    "* OK [READ-ONLY]\r\n* NO [ALERT] Quota exceeded\r\n"
    "a3 NO [BADCHARSET (UTF-8)] Unknown charset\r\n"
    "a4 OK [XUNKNOWN some ( weird text] Kept\r\n"
    "a5 OK [X-GM-THING 1 (a b)] Also kept\r\n",
    "a1 OK [COPYUID 38505 304,319:320 3956:3958] Done\n"
    "a2 OK [APPENDUID 38505 3955] APPEND completed\n"
    "* OK [NOMODSEQ] Sorry\n* OK [CLOSED] Previous closed\n"
    "* OK [READ-ONLY]\n* NO [ALERT] Quota exceeded\n"
    "a3 NO [BADCHARSET (UTF-8)] Unknown charset\n"
    "a4 OK [XUNKNOWN some ( weird text] Kept\n"
    "a5 OK [X-GM-THING 1 (a b)] Also kept\n" },
  { "continuation", "+ Ready for additional command text\r\n+\r\n+ \r\n+ dGVzdA==\r\n",
    "+ Ready for additional command text\n+\n+\n+ dGVzdA==\n" },
  { "continuation-code", "+ [ALERT] Hello\r\n", "+ [ALERT] Hello\n" },
  { "fetch-flags", "* 12 FETCH (FLAGS (\\Seen $Forwarded) UID 4827313 MODSEQ (12121231000))\r\n",
    "* 12 FETCH (FLAGS (\\Seen $Forwarded) UID 4827313 MODSEQ (12121231000))\n" },
  { "fetch-envelope",
    "* 12 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 ENVELOPE "
    "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL "
    "((NIL NIL \"imap\" \"cac.washington.edu\")) NIL NIL NIL "
    "\"<B27397-0100000@cac.washington.edu>\"))\r\n",
    "* 12 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 ENVELOPE "
    "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL "
    "((NIL NIL \"imap\" \"cac.washington.edu\")) NIL NIL NIL "
    "\"<B27397-0100000@cac.washington.edu>\"))\n" },
  { "fetch-bodystructure-mpart",
    "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
    "\"7BIT\" 1152 23)(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
    "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) "
    "\"MIXED\"))\r\n",
    "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
    "\"7BIT\" 1152 23) (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
    "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) "
    "\"MIXED\"))\n" },
  { "fetch-literal", "* 2 FETCH (UID 7 BODY[] {12}\r\nHello\r\nWorld FLAGS ())\r\n",
    "* 2 FETCH (UID 7 BODY[] {12}\"Hello\\r\\nWorld\" FLAGS ())\n" },
  { "fetch-literal-plus", "* 2 FETCH (BODY[TEXT] {3+}\r\nabc)\r\n",
    "* 2 FETCH (BODY[TEXT] {3}\"abc\")\n" },
  { "fetch-binary", "* 2 FETCH (BINARY[1] ~{3}\r\na\0b BINARY.SIZE[1] 3)\r\n",
    "* 2 FETCH (BINARY[1] ~{3}\"a\\x00b\" BINARY.SIZE[1] 3)\n" },
  { "fetch-empty-literal", "* 2 FETCH (BODY[1] {0}\r\n)\r\n", "* 2 FETCH (BODY[1] {0}\"\")\n" },
  { "fetch-sections",
    "* 3 FETCH (BODY[HEADER.FIELDS (DATE FROM)]<0> {4}\r\nabcd BODY[]<0> NIL "
    "body[1.2.mime] \"x\")\r\n",
    "* 3 FETCH (BODY[HEADER.FIELDS (DATE FROM)]<0> {4}\"abcd\" BODY[]<0> NIL "
    "body[1.2.mime] \"x\")\n" },
  { "fetch-literal-at-end", "* 4 FETCH (BODY[] {2}\r\nab)\r\n* 5 EXPUNGE\r\n",
    "* 4 FETCH (BODY[] {2}\"ab\")\n* 5 EXPUNGE\n" },
  { "quoted-escapes", "* LIST () \"\\\\\" \"a\\\"b\\\\c\"\r\n",
    "* LIST () \"\\\\\" \"a\\\"b\\\\c\"\n" },
  { "quoted-utf8", "* LIST (\\HasNoChildren) \"/\" \"Entwürfe/Черновики\"\r\n",
    "* LIST (\\HasNoChildren) \"/\" \"Entwürfe/Черновики\"\n" },
  { "list", "* LIST (\\HasNoChildren \\Sent) \"/\" \"INBOX/Sent\"\r\n* LIST () NIL x\r\n"
    "* LSUB () \".\" #news.comp.mail.misc\r\n* LIST (\\Noselect) \"/\" {3}\r\na b\r\n",
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"INBOX/Sent\"\n* LIST () NIL x\n"
    "* LSUB () \".\" #news.comp.mail.misc\n* LIST (\\Noselect) \"/\" {3}\"a b\"\n" },
  { "nil-case", "* LIST () nil Nil\r\n", "* LIST () NIL NIL\n" },
  { "status", "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
    "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\n" },
  { "search", "* SEARCH 2 84 882\r\n* SEARCH\r\n* SEARCH \r\n",
    "* SEARCH 2 84 882\n* SEARCH\n* SEARCH\n" },
  { "esearch", "* ESEARCH (TAG \"a1\") UID MIN 2 COUNT 5 ALL 2:4,7\r\n",
    "* ESEARCH (TAG \"a1\") UID MIN 2 COUNT 5 ALL 2:4,7\n" },
  { "vanished", "* VANISHED (EARLIER) 1:3,5\r\n* VANISHED 7\r\n",
    "* VANISHED (EARLIER) 1:3,5\n* VANISHED 7\n" },
  { "enabled", "* ENABLED CONDSTORE QRESYNC\r\n", "* ENABLED CONDSTORE QRESYNC\n" },
  { "id", "* ID (\"name\" \"Dovecot\")\r\n* ID NIL\r\n", "* ID (\"name\" \"Dovecot\")\n* ID NIL\n" },
  { "namespace", "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n", "* NAMESPACE ((\"\" \"/\")) NIL NIL\n" },
  { "capability", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n",
    "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\n" },
  { "unknown-untagged", "* XAPPLEPUSHSERVICE ) stray ] \"open\r\n* 4 XFOO (a (b\r\n"
    "* XBAR {x} ~y {5}\r\nhello\r\n",
    "* XAPPLEPUSHSERVICE ) stray ] \"open\"\n* 4 XFOO (a (b))\n"
    "* XBAR {x} ~y {5}\"hello\"\n" },
  { "mailbox-bracket", "* LIST () \"/\" foo[bar\r\n", "* LIST () \"/\" foo[bar\n" },
  { "thread", "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n", "* THREAD (2) (3 6 (4 23) (44 7 96))\n" },
  { "long-string-elided",
    "* 1 FETCH (X \"0123456789012345678901234567890123456789012345678901234567890123456789"
    "012345678901234567890123456789012345678901234567890123456789\")\r\n",
    "* 1 FETCH (X \"0123456789012345678901234567890123456789012345678901234567890123456789"
    "012345678901234567890123456789…\")\n" },
};

static gsize
input_length (const ParseCase *c)
{
  /* fetch-binary carries a NUL: its length is that of the literal's line. */
  if (strcmp (c->name, "fetch-binary") == 0)
    return strlen (c->input) + 1 + strlen (c->input + strlen (c->input) + 1);

  return strlen (c->input);
}

static void
test_parse_case (gconstpointer data)
{
  const ParseCase *c = data;
  gsize len = input_length (c);
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = render (c->input, len, SPLIT_WHOLE, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (whole, ==, c->expected);

  /* The property the client relies on: where the network cut the input
   * never changes the result. */
  for (gsize cut = 1; cut < len; cut++)
    {
      Run run;

      run_init (&run, NULL, 0);
      run_chunk (&run, c->input, cut);
      run_chunk (&run, c->input + cut, len - cut);
      g_assert_no_error (run.error);
      g_assert_cmpstr (run.rendered->str, ==, c->expected);
      run_clear (&run);
    }

  {
    g_autofree char *bytes = render (c->input, len, SPLIT_BYTES, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (bytes, ==, c->expected);
  }

  for (guint32 seed = 1; seed <= 20; seed++)
    {
      g_autofree char *chunks = render (c->input, len, SPLIT_RANDOM, seed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (chunks, ==, c->expected);
    }
}

/* All cases as one stream, as a server would send them back to back. */
static void
test_split_stream (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_string_append_len (input, parse_cases[i].input, input_length (&parse_cases[i]));
      g_string_append (expected, parse_cases[i].expected);
    }

  whole = render (input->str, input->len, SPLIT_WHOLE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (whole, ==, expected->str);

  for (guint32 seed = 0; seed < 200; seed++)
    {
      g_autofree char *chunks = render (input->str, input->len, SPLIT_RANDOM,
                                        g_test_rand_int () ^ seed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (chunks, ==, expected->str);
    }
}

static PochtaImapResponse *
parse_one (const char *input)
{
  Run run;
  PochtaImapResponse *response;

  run_init (&run, NULL, 0);
  run_input (&run, input, strlen (input), SPLIT_WHOLE, 0);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.responses->len, ==, 1);
  response = g_ptr_array_steal_index (run.responses, 0);
  run_clear (&run);

  return response;
}

static void
test_fields (void)
{
  g_autoptr(PochtaImapResponse) tagged = parse_one ("a17 ok [UIDVALIDITY 3857529045] Done\r\n");
  g_autoptr(PochtaImapResponse) fetch = NULL;
  g_autoptr(PochtaImapResponse) bye = parse_one ("* BYE\r\n");
  g_autoptr(PochtaImapResponse) cont = parse_one ("+ \r\n");
  g_autoptr(PochtaImapResponse) list = parse_one ("* LIST (\\Noselect) \"/\" \"a\\\"b\"\r\n");
  PochtaImapValue *items, *v;
  guint64 n = 0;

  g_assert_cmpint (tagged->kind, ==, POCHTA_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (tagged->tag, ==, "a17");
  g_assert_cmpint (tagged->status, ==, POCHTA_IMAP_STATUS_OK);
  g_assert_cmpstr (tagged->code, ==, "UIDVALIDITY");
  g_assert_cmpuint (pochta_imap_value_list_size (tagged->code_args), ==, 1);
  g_assert_true (pochta_imap_value_get_number (pochta_imap_value_list_get (tagged->code_args, 0), &n));
  g_assert_cmpuint (n, ==, 3857529045u);
  g_assert_cmpstr (tagged->text, ==, "Done");
  g_assert_null (tagged->data);

  fetch = parse_one ("* 12 FETCH (UID 99 BODY[HEADER.FIELDS (FROM)] {3}\r\nabc X NIL)\r\n");
  g_assert_cmpint (fetch->kind, ==, POCHTA_IMAP_RESPONSE_UNTAGGED);
  g_assert_true (fetch->has_number);
  g_assert_cmpuint (fetch->number, ==, 12);
  g_assert_cmpstr (fetch->keyword, ==, "FETCH");
  g_assert_cmpint (fetch->status, ==, POCHTA_IMAP_STATUS_NONE);
  g_assert_null (fetch->text);
  g_assert_cmpuint (pochta_imap_value_list_size (fetch->data), ==, 1);
  items = pochta_imap_value_list_get (fetch->data, 0);
  g_assert_cmpuint (pochta_imap_value_list_size (items), ==, 6);
  g_assert_true (pochta_imap_value_is_atom (pochta_imap_value_list_get (items, 0), "uid"));
  g_assert_true (pochta_imap_value_is_atom (pochta_imap_value_list_get (items, 2),
                                            "BODY[HEADER.FIELDS (FROM)]"));
  v = pochta_imap_value_list_get (items, 3);
  g_assert_cmpint (v->type, ==, POCHTA_IMAP_VALUE_STRING);
  g_assert_true (v->is_literal);
  g_assert_false (v->is_binary);
  g_assert_cmpstr (pochta_imap_value_get_text (v), ==, "abc");
  g_assert_cmpint (pochta_imap_value_list_get (items, 4)->type, ==, POCHTA_IMAP_VALUE_ATOM);
  g_assert_cmpint (pochta_imap_value_list_get (items, 5)->type, ==, POCHTA_IMAP_VALUE_NIL);
  g_assert_null (pochta_imap_value_list_get (items, 6));
  g_assert_false (pochta_imap_value_get_number (pochta_imap_value_list_get (items, 0), NULL));

  g_assert_cmpint (bye->status, ==, POCHTA_IMAP_STATUS_BYE);
  g_assert_cmpstr (bye->keyword, ==, "BYE");
  g_assert_cmpstr (bye->text, ==, "");
  g_assert_nonnull (bye->data);
  g_assert_null (bye->code);

  g_assert_cmpint (cont->kind, ==, POCHTA_IMAP_RESPONSE_CONTINUATION);
  g_assert_cmpstr (cont->text, ==, "");

  v = pochta_imap_value_list_get (list->data, 2);
  g_assert_cmpint (v->type, ==, POCHTA_IMAP_VALUE_STRING);
  g_assert_false (v->is_literal);
  g_assert_cmpuint (v->len, ==, 3);
  g_assert_cmpstr (v->data, ==, "a\"b");
}

typedef struct
{
  const char *name;
  const char *input;
  gint        code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "unterminated-quoted", "* LIST () \"/\" \"INBOX\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "literal-not-number", "* 1 FETCH (BODY[] {1a}\r\nx)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "literal-empty-size", "* 1 FETCH (BODY[] {}\r\n)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "literal-overflow", "* 1 FETCH (BODY[] {99999999999999999999999}\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "literal-not-at-eol", "* 1 FETCH (BODY[] {5} x)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "garbage-after-paren", "* 1 FETCH (UID 1)x\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "garbage-after-string", "* LIST () \"/\"x\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "unexpected-paren", "* 1 FETCH (UID 1))\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "unclosed-list", "* 1 FETCH (UID 1\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "code-unclosed", "* OK [UIDVALIDITY 3\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "code-bracket-in-list", "* OK [PERMANENTFLAGS (\\Seen] x)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "code-unknown-unclosed", "* OK [XFOO bar\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "code-literal", "* OK [BADCHARSET {3}\r\nabc]\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "missing-tag", " OK done\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "empty-line", "\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "bad-tag", "a(1 OK done\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "tagged-unknown-status", "a1 FOO done\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "tagged-no-status", "a1\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "star-no-space", "*OK\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "number-no-keyword", "* 3\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "number-overflow", "* 99999999999999999999999 EXISTS\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "unterminated-section", "* 1 FETCH (BODY[HEADER\r\n", POCHTA_IMAP_ERROR_PARSE },
};

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *c = data;
  Split splits[] = { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_RANDOM };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = render (c->input, strlen (c->input), splits[i], 7, &error);

      g_assert_error (error, POCHTA_IMAP_ERROR, c->code);
      g_test_message ("%s: %s", c->name, error->message);
      /* The excerpt is printable ASCII only. */
      for (const char *p = error->message; *p; p++)
        g_assert_true ((guchar) *p >= 0x20);
    }
}

/* The streaming protocol: the client sees where the literal belongs, moves
 * its bytes itself and resumes after it. */
static gboolean
stream_body (PochtaImapParser *parser,
             guint64           size,
             gpointer          user_data)
{
  const PochtaImapResponse *partial = pochta_imap_parser_get_partial (parser);
  const PochtaImapValue *open = pochta_imap_parser_get_open_list (parser);
  guint n = pochta_imap_value_list_size (open);
  guint *calls = user_data;

  (*calls)++;
  g_assert_nonnull (partial);
  g_assert_cmpstr (partial->keyword, ==, "FETCH");
  g_assert_cmpuint (partial->number, ==, 3);
  g_assert_cmpuint (n, >=, 3);
  g_assert_true (pochta_imap_value_is_atom (pochta_imap_value_list_get (open, 0), "UID"));
  g_assert_cmpstr (pochta_imap_value_get_text (pochta_imap_value_list_get (open, 1)), ==, "42");
  if (pochta_imap_value_is_atom (pochta_imap_value_list_get (open, n - 1), "BODY[]"))
    {
      g_assert_cmpuint (size, ==, 10);
      return TRUE;
    }

  return FALSE;
}

static void
test_stream_literal (void)
{
  static const char input[] =
    "* 3 FETCH (UID 42 BODY[] {10}\r\n0123456789 BODY[1] {2}\r\nab)\r\na1 OK x\r\n";
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize consumed = 0;
  guint calls = 0;
  gsize pos = 0;
  gsize len = sizeof input - 1;
  PochtaImapValue *v;

  /* Lengths are tracked by hand: GCC 12 -O2 miscomputes strlen (p) after
   * p += an out-parameter set by successive calls. */
  pochta_imap_parser_set_literal_func (parser, stream_body, &calls);
  g_assert_cmpint (pochta_imap_parser_feed (parser, input, len, &consumed, &error), ==,
                   POCHTA_IMAP_PARSE_STREAM_LITERAL);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, strlen ("* 3 FETCH (UID 42 BODY[] {10}\r\n"));
  g_assert_cmpuint (pochta_imap_parser_get_literal_size (parser), ==, 10);
  pos += consumed;
  g_assert_cmpint (memcmp (input + pos, "0123456789", 10), ==, 0);
  pos += 10;
  pochta_imap_parser_literal_streamed (parser);

  g_assert_cmpint (pochta_imap_parser_feed (parser, input + pos, len - pos, &consumed, &error), ==,
                   POCHTA_IMAP_PARSE_RESPONSE);
  g_assert_cmpuint (calls, ==, 2);
  response = pochta_imap_parser_take_response (parser);
  text = pochta_imap_response_to_string (response);
  g_assert_cmpstr (text, ==, "* 3 FETCH (UID 42 BODY[] {10}<streamed> BODY[1] {2}\"ab\")");
  v = pochta_imap_value_list_get (pochta_imap_value_list_get (response->data, 0), 3);
  g_assert_cmpint (v->type, ==, POCHTA_IMAP_VALUE_STREAMED);
  g_assert_cmpuint (v->len, ==, 10);
  pos += consumed;

  g_assert_cmpint (pochta_imap_parser_feed (parser, input + pos, len - pos, &consumed, &error), ==,
                   POCHTA_IMAP_PARSE_RESPONSE);
  g_assert_cmpuint (consumed, ==, len - pos);
}

static void
test_stream_split (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < 3000; i++)
    g_string_append_c (body, 'a' + i % 26);
  for (guint i = 0; i < 5; i++)
    {
      g_string_append_printf (input, "* %u FETCH (UID %u BODY[] {%u}\r\n", i + 1, i + 100,
                              (guint) body->len);
      g_string_append_len (input, body->str, body->len);
      g_string_append (input, " FLAGS (\\Seen) BODY[1] {0}\r\n)\r\n");
    }

  for (Split split = SPLIT_WHOLE; split <= SPLIT_RANDOM; split++)
    {
      Run run;

      run_init (&run, NULL, 1000);
      run_input (&run, input->str, input->len, split, 11);
      g_assert_no_error (run.error);
      g_assert_cmpuint (run.streamed, ==, 5);
      g_assert_cmpuint (run.sink->len, ==, 5 * body->len);
      g_assert_cmpint (memcmp (run.sink->str, body->str, body->len), ==, 0);
      g_assert_cmpuint (run.responses->len, ==, 5);
      run_clear (&run);
    }
}

static void
test_refuses_after_error (void)
{
  g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_assert_cmpint (pochta_imap_parser_feed (parser, "garbage(\r\n", 10, &consumed, &error), ==,
                   POCHTA_IMAP_PARSE_ERROR);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_cmpint (pochta_imap_parser_feed (parser, "a1 OK x\r\n", 9, &consumed, &error), ==,
                   POCHTA_IMAP_PARSE_ERROR);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
  g_assert_cmpuint (consumed, ==, 0);
  g_assert_null (pochta_imap_parser_take_response (parser));
}

static void
test_error_excerpt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = render ("* 1 FETCH (UID 5 \x01\xff)junk\r\n", 26, SPLIT_WHOLE, 0, &error);

  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "* 1 FETCH (UID 5 ?\?)junk"));
}

static void
test_values (void)
{
  g_autoptr(PochtaImapValue) list = pochta_imap_value_new_list ();
  g_autoptr(PochtaImapValue) inner = pochta_imap_value_new_list ();
  g_autofree char *text = NULL;
  PochtaImapValue *deep = pochta_imap_value_new_list ();
  guint64 n = 0;

  pochta_imap_value_list_append (list, pochta_imap_value_new_atom ("18446744073709551615", 20));
  pochta_imap_value_list_append (list, pochta_imap_value_new_string ("a\nb\0c", 5));
  pochta_imap_value_list_append (list, pochta_imap_value_new_nil ());
  g_assert_true (pochta_imap_value_get_number (pochta_imap_value_list_get (list, 0), &n));
  g_assert_cmpuint (n, ==, G_MAXUINT64);
  text = pochta_imap_value_to_string (list);
  g_assert_cmpstr (text, ==, "(18446744073709551615 \"a\\nb\\x00c\" NIL)");

  /* Building and freeing a deep tree needs no deep C stack. */
  pochta_imap_value_list_append (inner, pochta_imap_value_new_atom ("18446744073709551616", 20));
  g_assert_false (pochta_imap_value_get_number (pochta_imap_value_list_get (inner, 0), &n));
  for (guint i = 0; i < 100000; i++)
    {
      PochtaImapValue *outer = pochta_imap_value_new_list ();

      pochta_imap_value_list_append (outer, deep);
      deep = outer;
    }
  g_free (pochta_imap_value_to_string (deep));
  pochta_imap_value_free (deep);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/imap/parser/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/imap/parser/malformed/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }

  g_test_add_func ("/core/imap/parser/split-stream", test_split_stream);
  g_test_add_func ("/core/imap/parser/fields", test_fields);
  g_test_add_func ("/core/imap/parser/values", test_values);
  add_parser_limit_tests ();
  g_test_add_func ("/core/imap/parser/stream-literal", test_stream_literal);
  g_test_add_func ("/core/imap/parser/stream-literal-split", test_stream_split);
  g_test_add_func ("/core/imap/parser/refuses-after-error", test_refuses_after_error);
  g_test_add_func ("/core/imap/parser/error-excerpt", test_error_excerpt);

  return g_test_run ();
}
