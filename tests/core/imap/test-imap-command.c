/* test-imap-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the command builder's quoting and literal rules, and capabilities.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "imap-test-response.h"
#include "pochta-imap-capabilities.h"
#include "pochta-imap-command.h"
#include "pochta-imap-error.h"

/* Chunks joined with "‖" after one that waits for "+", "¦" otherwise;
 * secret chunks in <s>...</s>. */
static char *
render (GPtrArray *chunks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < chunks->len; i++)
    {
      PochtaImapCommandChunk *chunk = g_ptr_array_index (chunks, i);
      gsize size;
      const char *data = g_bytes_get_data (chunk->data, &size);

      if (chunk->secret)
        g_string_append (out, "<s>");
      g_string_append_len (out, data, size);
      if (chunk->secret)
        g_string_append (out, "</s>");
      if (i + 1 < chunks->len)
        g_string_append (out, chunk->wait_continuation ? "‖" : "¦");
    }
  return g_string_free (out, FALSE);
}

static char *
serialize (PochtaImapCommand        *command,
           PochtaImapSerializeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = NULL;

  pochta_imap_command_set_tag (command, "a1");
  chunks = pochta_imap_command_serialize (command, flags, &error);
  g_assert_no_error (error);
  return render (chunks);
}

typedef enum
{
  ARG_ASTRING,
  ARG_STRING,
  ARG_MAILBOX,
  ARG_SECRET,
} ArgKind;

typedef struct
{
  const char               *path;
  ArgKind                   kind;
  const char               *input;
  PochtaImapSerializeFlags  flags;
  const char               *expected;  /* after "a1 X " */
} QuoteCase;

#define NONE POCHTA_IMAP_SERIALIZE_DEFAULT
#define PLUS POCHTA_IMAP_SERIALIZE_LITERAL_PLUS
#define MINUS POCHTA_IMAP_SERIALIZE_LITERAL_MINUS
#define UTF8 POCHTA_IMAP_SERIALIZE_UTF8

static const QuoteCase quote_cases[] = {
  { "/core/imap/command/astring/atom", ARG_ASTRING, "INBOX", NONE, "INBOX\r\n" },
  { "/core/imap/command/astring/atom-specials-ok", ARG_ASTRING, "a.b-c_d+e&f,g!h#$'~", NONE, "a.b-c_d+e&f,g!h#$'~\r\n" },
  { "/core/imap/command/astring/close-bracket", ARG_ASTRING, "x]y", NONE, "x]y\r\n" },
  { "/core/imap/command/astring/space", ARG_ASTRING, "foo bar", NONE, "\"foo bar\"\r\n" },
  { "/core/imap/command/astring/empty", ARG_ASTRING, "", NONE, "\"\"\r\n" },
  { "/core/imap/command/astring/nil", ARG_ASTRING, "NIL", NONE, "\"NIL\"\r\n" },
  { "/core/imap/command/astring/nil-lower", ARG_ASTRING, "nil", NONE, "\"nil\"\r\n" },
  { "/core/imap/command/astring/quote", ARG_ASTRING, "a\"b", NONE, "\"a\\\"b\"\r\n" },
  { "/core/imap/command/astring/backslash", ARG_ASTRING, "a\\b", NONE, "\"a\\\\b\"\r\n" },
  { "/core/imap/command/astring/percent", ARG_ASTRING, "50%", NONE, "\"50%\"\r\n" },
  { "/core/imap/command/astring/star", ARG_ASTRING, "*", NONE, "\"*\"\r\n" },
  { "/core/imap/command/astring/parens", ARG_ASTRING, "(x)", NONE, "\"(x)\"\r\n" },
  { "/core/imap/command/astring/brace", ARG_ASTRING, "{5}", NONE, "\"{5}\"\r\n" },
  { "/core/imap/command/astring/control", ARG_ASTRING, "a\tb", NONE, "\"a\tb\"\r\n" },
  { "/core/imap/command/astring/crlf-literal", ARG_ASTRING, "line\r\nbreak", NONE,
    "{11}\r\n‖line\r\nbreak¦\r\n" },
  { "/core/imap/command/astring/lf-literal", ARG_ASTRING, "a\nb", NONE, "{3}\r\n‖a\nb¦\r\n" },
  { "/core/imap/command/astring/8bit-literal", ARG_ASTRING, "Café", NONE, "{5}\r\n‖Café¦\r\n" },
  { "/core/imap/command/astring/8bit-utf8-quoted", ARG_ASTRING, "Café", UTF8, "\"Café\"\r\n" },
  { "/core/imap/command/astring/literal-plus", ARG_ASTRING, "a\nb", PLUS, "{3+}\r\n¦a\nb¦\r\n" },
  { "/core/imap/command/astring/literal-minus", ARG_ASTRING, "a\nb", MINUS, "{3+}\r\n¦a\nb¦\r\n" },
  { "/core/imap/command/string/atom-safe-quoted", ARG_STRING, "UTF-8", NONE, "\"UTF-8\"\r\n" },
  { "/core/imap/command/mailbox/inbox", ARG_MAILBOX, "INBOX", NONE, "INBOX\r\n" },
  { "/core/imap/command/mailbox/cyrillic", ARG_MAILBOX, "Отправленные", NONE,
    "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\r\n" },
  { "/core/imap/command/mailbox/cyrillic-utf8", ARG_MAILBOX, "Отправленные", UTF8,
    "\"Отправленные\"\r\n" },
  { "/core/imap/command/mailbox/ampersand", ARG_MAILBOX, "Work & Play", NONE, "\"Work &- Play\"\r\n" },
  { "/core/imap/command/mailbox/wildcard", ARG_MAILBOX, "*", NONE, "\"*\"\r\n" },
  { "/core/imap/command/mailbox/nested", ARG_MAILBOX, "Archive/2024/日本語", NONE,
    "Archive/2024/&ZeVnLIqe-\r\n" },
  { "/core/imap/command/secret/atom", ARG_SECRET, "hunter2", NONE, "¦<s>hunter2</s>¦\r\n" },
  { "/core/imap/command/secret/quoted", ARG_SECRET, "p a\"ss", NONE, "¦<s>\"p a\\\"ss\"</s>¦\r\n" },
  { "/core/imap/command/secret/literal", ARG_SECRET, "пароль", NONE, "{12}\r\n‖<s>пароль</s>¦\r\n" },
};

static void
test_quote (gconstpointer data)
{
  const QuoteCase *c = data;
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("X");
  g_autofree char *expected = g_strconcat ("a1 X ", c->expected, NULL);
  g_autofree char *actual = NULL;

  switch (c->kind)
    {
    case ARG_ASTRING:
      pochta_imap_command_add_astring (command, c->input);
      break;
    case ARG_STRING:
      pochta_imap_command_add_string (command, c->input);
      break;
    case ARG_MAILBOX:
      pochta_imap_command_add_mailbox (command, c->input);
      break;
    case ARG_SECRET:
      pochta_imap_command_add_secret (command, c->input);
      break;
    default:
      g_assert_not_reached ();
    }

  actual = serialize (command, c->flags);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_long_string (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("X");
  g_autofree char *text = g_strnfill (POCHTA_IMAP_COMMAND_MAX_QUOTED + 1, ' ');
  g_autofree char *big = g_strnfill (POCHTA_IMAP_LITERAL_MINUS_MAX + 1, ' ');
  g_autofree char *actual = NULL;
  g_autofree char *expected = NULL;

  pochta_imap_command_add_astring (command, text);
  pochta_imap_command_add_astring (command, big);
  actual = serialize (command, POCHTA_IMAP_SERIALIZE_LITERAL_MINUS);
  /* LITERAL- makes only literals up to 4096 bytes non-synchronizing. */
  expected = g_strdup_printf ("a1 X {1025+}\r\n¦%s¦ {4097}\r\n‖%s¦\r\n", text, big);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_login (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("LOGIN");
  g_autofree char *actual = NULL;

  pochta_imap_command_add_astring (command, "user@example.org");
  pochta_imap_command_add_secret (command, "s3cret pass");
  actual = serialize (command, NONE);
  g_assert_cmpstr (actual, ==, "a1 LOGIN user@example.org ¦<s>\"s3cret pass\"</s>¦\r\n");
}

static void
test_uid_fetch (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("UID FETCH");
  static const guint32 uids[] = { 7, 1, 2, 3, 9 };
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new_from_uids (uids, G_N_ELEMENTS (uids));
  g_autofree char *actual = NULL;

  pochta_imap_command_add_sequence_set (command, set);
  pochta_imap_command_begin_list (command);
  pochta_imap_command_add_atom (command, "UID");
  pochta_imap_command_add_atom (command, "FLAGS");
  pochta_imap_command_add_raw (command, "BODY.PEEK[HEADER.FIELDS (REFERENCES LIST-ID)]");
  pochta_imap_command_end_list (command);
  pochta_imap_command_begin_list (command);
  pochta_imap_command_add_atom (command, "CHANGEDSINCE");
  pochta_imap_command_add_number (command, G_GUINT64_CONSTANT (12345678901234));
  pochta_imap_command_end_list (command);
  actual = serialize (command, NONE);
  g_assert_cmpstr (actual, ==,
                   "a1 UID FETCH 1:3,7,9 (UID FLAGS BODY.PEEK[HEADER.FIELDS (REFERENCES LIST-ID)]) "
                   "(CHANGEDSINCE 12345678901234)\r\n");
}

static void
test_append (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("APPEND");
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: hi\r\n\r\nbody\r\n", 21);
  g_autofree char *sync = NULL;
  g_autofree char *plus = NULL;

  pochta_imap_command_add_mailbox (command, "Отправленные");
  pochta_imap_command_begin_list (command);
  pochta_imap_command_add_atom (command, "\\Seen");
  pochta_imap_command_end_list (command);
  pochta_imap_command_add_string (command, "17-Jul-1996 02:44:25 -0700");
  pochta_imap_command_add_literal (command, message);
  sync = serialize (command, NONE);
  g_assert_cmpstr (sync, ==,
                   "a1 APPEND &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1- (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {21}\r\n"
                   "‖Subject: hi\r\n\r\nbody\r\n¦\r\n");
  plus = serialize (command, PLUS);
  g_assert_cmpstr (plus, ==,
                   "a1 APPEND &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1- (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {21+}\r\n"
                   "¦Subject: hi\r\n\r\nbody\r\n¦\r\n");
}

static void
test_binary_literal (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("APPEND");
  g_autoptr(PochtaImapCommand) bad = pochta_imap_command_new ("APPEND");
  g_autoptr(GBytes) data = g_bytes_new_static ("a\0b", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = NULL;
  g_autofree char *actual = NULL;

  pochta_imap_command_add_mailbox (command, "INBOX");
  pochta_imap_command_add_literal8 (command, data);
  actual = serialize (command, NONE);
  g_assert_cmpuint (strlen (actual), ==, strlen ("a1 APPEND INBOX ~{3}\r\n‖a"));
  g_assert_true (g_str_has_prefix (actual, "a1 APPEND INBOX ~{3}\r\n‖a"));

  /* A NUL cannot travel in an ordinary literal (RFC 3501 CHAR8). */
  pochta_imap_command_set_tag (bad, "a2");
  pochta_imap_command_add_literal (bad, data);
  chunks = pochta_imap_command_serialize (bad, NONE, &error);
  g_assert_null (chunks);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL);
}

static void
test_lists (void)
{
  g_autoptr(PochtaImapCommand) command = pochta_imap_command_new ("ID");
  g_autoptr(PochtaImapCommand) empty = pochta_imap_command_new ("X");
  g_autofree char *actual = NULL;
  g_autofree char *empty_text = NULL;

  pochta_imap_command_begin_list (command);
  pochta_imap_command_add_string (command, "name");
  pochta_imap_command_add_string (command, "Pochta");
  pochta_imap_command_add_string (command, "os");
  pochta_imap_command_add_nil (command);
  pochta_imap_command_begin_list (command);
  pochta_imap_command_add_number (command, 1);
  pochta_imap_command_end_list (command);
  pochta_imap_command_end_list (command);
  actual = serialize (command, NONE);
  g_assert_cmpstr (actual, ==, "a1 ID (\"name\" \"Pochta\" \"os\" NIL (1))\r\n");

  pochta_imap_command_begin_list (empty);
  pochta_imap_command_end_list (empty);
  empty_text = serialize (empty, NONE);
  g_assert_cmpstr (empty_text, ==, "a1 X ()\r\n");
}

/* Capabilities: from the real parser's output of server lines. */
static void
test_capabilities_untagged (void)
{
  g_autoptr(PochtaImapResponse) response =
    imap_test_parse ("* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
                     "AUTH=PLAIN auth=login STARTTLS LOGINDISABLED APPENDLIMIT=35651584 "
                     "COMPRESS=DEFLATE UTF8=ACCEPT SPECIAL-USE\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapCapabilities) caps = pochta_imap_capabilities_new_from_response (response, &error);
  g_auto(GStrv) mechanisms = NULL;
  g_auto(GStrv) limit = NULL;

  g_assert_no_error (error);
  g_assert_true (pochta_imap_capabilities_has (caps, "IDLE"));
  g_assert_true (pochta_imap_capabilities_has (caps, "idle"));
  g_assert_true (pochta_imap_capabilities_has (caps, "Login-Referrals"));
  g_assert_false (pochta_imap_capabilities_has (caps, "MOVE"));
  g_assert_true (pochta_imap_capabilities_has_auth (caps, "plain"));
  g_assert_true (pochta_imap_capabilities_has_auth (caps, "LOGIN"));
  g_assert_false (pochta_imap_capabilities_has_auth (caps, "XOAUTH2"));
  g_assert_true (pochta_imap_capabilities_has_flag (caps, POCHTA_IMAP_CAPABILITY_LOGINDISABLED));
  g_assert_true (pochta_imap_capabilities_has_flag (caps, POCHTA_IMAP_CAPABILITY_STARTTLS
                                                          | POCHTA_IMAP_CAPABILITY_LITERAL_PLUS
                                                          | POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE
                                                          | POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT
                                                          | POCHTA_IMAP_CAPABILITY_SPECIAL_USE
                                                          | POCHTA_IMAP_CAPABILITY_SASL_IR));
  g_assert_false (pochta_imap_capabilities_has_flag (caps, POCHTA_IMAP_CAPABILITY_CONDSTORE));
  mechanisms = pochta_imap_capabilities_get_auth_mechanisms (caps);
  g_assert_cmpstrv (mechanisms, ((const char *[]) { "PLAIN", "LOGIN", NULL }));
  limit = pochta_imap_capabilities_get_values (caps, "appendlimit");
  g_assert_cmpstrv (limit, ((const char *[]) { "35651584", NULL }));
  g_assert_cmpuint (pochta_imap_serialize_flags_from_capabilities (caps, FALSE), ==, PLUS);
  g_assert_cmpuint (pochta_imap_serialize_flags_from_capabilities (caps, TRUE), ==, PLUS | UTF8);
}

static void
test_capabilities_code (void)
{
  g_autoptr(PochtaImapResponse) response =
    imap_test_parse ("* OK [CAPABILITY IMAP4rev1 LITERAL- CONDSTORE QRESYNC UIDPLUS MOVE ESEARCH "
                     "LIST-STATUS BINARY NAMESPACE] Dovecot ready.\r\n");
  g_autoptr(PochtaImapCapabilities) caps = pochta_imap_capabilities_new_from_response (response, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (caps);
  g_assert_true (pochta_imap_capabilities_has_flag (caps, POCHTA_IMAP_CAPABILITY_CONDSTORE
                                                          | POCHTA_IMAP_CAPABILITY_QRESYNC
                                                          | POCHTA_IMAP_CAPABILITY_UIDPLUS
                                                          | POCHTA_IMAP_CAPABILITY_MOVE
                                                          | POCHTA_IMAP_CAPABILITY_ESEARCH
                                                          | POCHTA_IMAP_CAPABILITY_LIST_STATUS
                                                          | POCHTA_IMAP_CAPABILITY_BINARY
                                                          | POCHTA_IMAP_CAPABILITY_NAMESPACE
                                                          | POCHTA_IMAP_CAPABILITY_LITERAL_MINUS));
  g_assert_false (pochta_imap_capabilities_has_flag (caps, POCHTA_IMAP_CAPABILITY_IDLE));
  g_assert_cmpuint (pochta_imap_serialize_flags_from_capabilities (caps, FALSE), ==, MINUS);
  text = pochta_imap_capabilities_to_string (caps);
  g_assert_true (g_str_has_prefix (text, "IMAP4REV1 LITERAL- CONDSTORE"));
}

/* A rev2-only server (RFC 9051) has IDLE, MOVE, ... without naming them. */
static void
test_capabilities_rev2 (void)
{
  g_autoptr(PochtaImapCapabilities) rev2 = pochta_imap_capabilities_new_from_string ("IMAP4rev2 AUTH=PLAIN");
  g_autoptr(PochtaImapCapabilities) both = pochta_imap_capabilities_new_from_string ("IMAP4rev1 IMAP4rev2");

  g_assert_true (pochta_imap_capabilities_has_flag (rev2, POCHTA_IMAP_CAPABILITY_IDLE
                                                          | POCHTA_IMAP_CAPABILITY_MOVE
                                                          | POCHTA_IMAP_CAPABILITY_LITERAL_MINUS));
  g_assert_false (pochta_imap_capabilities_has (rev2, "IDLE"));
  g_assert_false (pochta_imap_capabilities_has_flag (both, POCHTA_IMAP_CAPABILITY_IDLE));
}

typedef struct
{
  const char *path;
  const char *line;
  int         code;
} BadCapsCase;

static const BadCapsCase bad_caps[] = {
  { "/core/imap/capabilities/bad/not-capability", "* 3 EXISTS\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/capabilities/bad/other-code", "* OK [UIDVALIDITY 3] x\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/capabilities/bad/list", "* CAPABILITY IMAP4rev1 (IDLE)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/capabilities/bad/nil", "* CAPABILITY IMAP4rev1 NIL\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/capabilities/bad/string", "* CAPABILITY \"IMAP4rev1\"\r\n", POCHTA_IMAP_ERROR_PARSE },
};

static void
test_capabilities_bad (gconstpointer data)
{
  const BadCapsCase *c = data;
  g_autoptr(PochtaImapResponse) response = imap_test_parse (c->line);
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapCapabilities) caps = pochta_imap_capabilities_new_from_response (response, &error);

  g_assert_null (caps);
  g_assert_error (error, POCHTA_IMAP_ERROR, c->code);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (quote_cases); i++)
    g_test_add_data_func (quote_cases[i].path, &quote_cases[i], test_quote);
  g_test_add_func ("/core/imap/command/long-string", test_long_string);
  g_test_add_func ("/core/imap/command/login", test_login);
  g_test_add_func ("/core/imap/command/uid-fetch", test_uid_fetch);
  g_test_add_func ("/core/imap/command/append", test_append);
  g_test_add_func ("/core/imap/command/binary-literal", test_binary_literal);
  g_test_add_func ("/core/imap/command/lists", test_lists);
  g_test_add_func ("/core/imap/capabilities/untagged", test_capabilities_untagged);
  g_test_add_func ("/core/imap/capabilities/code", test_capabilities_code);
  g_test_add_func ("/core/imap/capabilities/rev2", test_capabilities_rev2);
  for (guint i = 0; i < G_N_ELEMENTS (bad_caps); i++)
    g_test_add_data_func (bad_caps[i].path, &bad_caps[i], test_capabilities_bad);

  return g_test_run ();
}
