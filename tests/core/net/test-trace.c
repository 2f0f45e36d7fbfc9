/* test-trace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The protocol trace shows the conversation and never a credential.
 */

#include "config.h"

#include "pochta-test-util.h"

typedef struct
{
  const char *line;
  const char *redacted;
  gboolean    starts_secret;
} RedactCase;

static const RedactCase redact_cases[] = {
  { "a001 LOGIN alice hunter2", "a001 LOGIN <redacted>", FALSE },
  { "a001 login \"alice\" \"hunter 2\"", "a001 LOGIN <redacted>", FALSE },
  { "a001 LOGIN {5}", "a001 LOGIN <redacted>", TRUE },
  { "a2 AUTHENTICATE PLAIN", "a2 AUTHENTICATE PLAIN", TRUE },
  { "a2 AUTHENTICATE PLAIN AGFsaWNlAGh1bnRlcjI=", "a2 AUTHENTICATE PLAIN <redacted>", TRUE },
  { "a2 authenticate xoauth2 dXNlcj1h", "a2 AUTHENTICATE xoauth2 <redacted>", TRUE },
  { "PASS hunter2", "PASS <redacted>", FALSE },
  { "pass hunter2 with spaces", "PASS <redacted>", FALSE },
  { "APOP alice c4c9334bac560ecc979e58001b3e22fb", "APOP alice <redacted>", FALSE },
  { "AUTH PLAIN AGFsaWNlAGh1bnRlcjI=", "AUTH PLAIN <redacted>", TRUE },
  { "AUTH LOGIN", "AUTH LOGIN", TRUE },
  { "AUTH LOGIN YWxpY2U=", "AUTH LOGIN <redacted>", TRUE },
  { "AUTH", "AUTH", TRUE },
  { "USER alice", "USER alice", FALSE },
  { "a3 SELECT INBOX", "a3 SELECT INBOX", FALSE },
  { "EHLO client.example", "EHLO client.example", FALSE },
  { "", "", FALSE },
};

static void
test_redact_case (gconstpointer data)
{
  const RedactCase *c = data;
  gboolean starts_secret = !c->starts_secret;
  g_autofree char *redacted = pochta_trace_redact_line (c->line, &starts_secret);

  g_assert_cmpstr (redacted, ==, c->redacted);
  g_assert_cmpint (starts_secret, ==, c->starts_secret);
}

static GString *captured;

static void
capture (const char *label,
         const char *text,
         gpointer    user_data)
{
  g_string_append_printf (captured, "%s %s\n", label, text);
}

static void
setup_capture (void)
{
  if (captured == NULL)
    captured = g_string_new (NULL);
  g_string_truncate (captured, 0);
  pochta_trace_set_writer (capture, NULL);
  pochta_debug_set_flags (POCHTA_DEBUG_NET);
}

static void
sent (PochtaTrace *trace,
      const char  *text,
      gboolean     secret)
{
  pochta_trace_sent (trace, (const guint8 *)text, strlen (text), secret);
}

static void
received (PochtaTrace *trace,
          const char  *line)
{
  pochta_trace_received_line (trace, line, strlen (line));
}

static void
assert_no_secret (const char *secret)
{
  if (strstr (captured->str, secret) != NULL)
    g_error ("The trace shows the secret “%s”:\n%s", secret, captured->str);
}

static void
test_imap_authenticate (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("imap#1", POCHTA_DEBUG_IMAP);

  setup_capture ();
  sent (trace, "a1 AUTHENTICATE PLAIN\r\n", FALSE);
  received (trace, "+ ");
  sent (trace, "AGFsaWNlAGh1bnRlcjI=\r\n", FALSE);
  received (trace, "a1 OK Logged in");
  sent (trace, "a2 SELECT INBOX\r\n", FALSE);

  assert_no_secret ("AGFsaWNlAGh1bnRlcjI=");
  g_assert_nonnull (strstr (captured->str, "imap#1 C: a1 AUTHENTICATE PLAIN\n"));
  g_assert_nonnull (strstr (captured->str, "imap#1 C: <redacted 20 bytes>\n"));
  g_assert_nonnull (strstr (captured->str, "imap#1 S: a1 OK Logged in\n"));
  g_assert_nonnull (strstr (captured->str, "imap#1 C: a2 SELECT INBOX\n"));
}

static void
test_imap_login_literals (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("imap#2", 0);

  setup_capture ();
  sent (trace, "a1 LOGIN {5}\r\n", FALSE);
  received (trace, "+ Ready");
  sent (trace, "alice {7}\r\n", FALSE);
  received (trace, "+ Ready");
  sent (trace, "hunter2\r\n", FALSE);
  received (trace, "a1 OK");
  sent (trace, "a2 NOOP\r\n", FALSE);

  assert_no_secret ("hunter2");
  g_assert_nonnull (strstr (captured->str, "C: a2 NOOP"));
}

static void
test_chunked_responses_end_exchange (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("imap#5", POCHTA_DEBUG_IMAP);
  const char *chunk = "+ \r\n";
  const char *done = "* CAPABILITY IMAP4rev1\r\na1 OK Logged in\r\n";

  g_test_summary ("A client reading responses in chunks still ends the exchange on the tagged reply.");

  setup_capture ();
  sent (trace, "a1 AUTHENTICATE PLAIN\r\n", FALSE);
  pochta_trace_received_bytes (trace, (const guint8 *) chunk, strlen (chunk));
  sent (trace, "AGFsaWNlAGh1bnRlcjI=\r\n", FALSE);
  pochta_trace_received_bytes (trace, (const guint8 *) done, strlen (done));
  sent (trace, "a2 SELECT INBOX\r\n", FALSE);

  assert_no_secret ("AGFsaWNlAGh1bnRlcjI=");
  g_assert_nonnull (strstr (captured->str, "C: a2 SELECT INBOX"));
}

static void
test_literal_plus_in_one_write (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("imap#3", 0);

  setup_capture ();
  sent (trace, "a1 LOGIN {5+}\r\nalice {7+}\r\nhunter2\r\n", FALSE);
  received (trace, "a1 OK");

  assert_no_secret ("hunter2");
}

static void
test_smtp_auth_login (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("smtp#1", POCHTA_DEBUG_SMTP);

  setup_capture ();
  sent (trace, "AUTH LOGIN\r\n", FALSE);
  received (trace, "334 VXNlcm5hbWU6");
  sent (trace, "YWxpY2U=\r\n", FALSE);
  received (trace, "334 UGFzc3dvcmQ6");
  sent (trace, "aHVudGVyMg==\r\n", FALSE);
  received (trace, "235 2.7.0 Authentication successful");
  sent (trace, "MAIL FROM:<alice@example.test>\r\n", FALSE);

  assert_no_secret ("aHVudGVyMg==");
  assert_no_secret ("YWxpY2U=");
  g_assert_nonnull (strstr (captured->str, "C: MAIL FROM:<alice@example.test>"));
}

static void
test_pop3 (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("pop3#1", 0);

  setup_capture ();
  sent (trace, "USER alice\r\n", FALSE);
  received (trace, "+OK");
  sent (trace, "PASS hunter2\r\n", FALSE);
  received (trace, "+OK Logged in.");
  sent (trace, "AUTH PLAIN\r\n", FALSE);
  received (trace, "+ ");
  sent (trace, "AGFsaWNlAGh1bnRlcjI=\r\n", FALSE);
  received (trace, "+OK");
  sent (trace, "STAT\r\n", FALSE);

  assert_no_secret ("hunter2");
  assert_no_secret ("AGFsaWNlAGh1bnRlcjI=");
  g_assert_nonnull (strstr (captured->str, "C: USER alice"));
  g_assert_nonnull (strstr (captured->str, "C: STAT"));
}

static void
test_secret_write (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("net#1", 0);

  g_test_summary ("A write the caller marks secret shows only its size, whatever it contains.");

  setup_capture ();
  sent (trace, "an unusual credential format\r\n", TRUE);

  assert_no_secret ("credential");
  g_assert_cmpstr (captured->str, ==, "net#1 C: <redacted 30 bytes>\n");
}

static void
test_state_kept_while_off (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("imap#4", POCHTA_DEBUG_IMAP);

  g_test_summary ("Switching the trace on in the middle of AUTHENTICATE still hides the response.");

  setup_capture ();
  pochta_debug_set_flags (0);
  sent (trace, "a1 AUTHENTICATE PLAIN\r\n", FALSE);
  received (trace, "+ ");
  pochta_debug_set_flags (POCHTA_DEBUG_IMAP);
  sent (trace, "AGFsaWNlAGh1bnRlcjI=\r\n", FALSE);

  assert_no_secret ("AGFsaWNlAGh1bnRlcjI=");
  g_assert_nonnull (strstr (captured->str, "<redacted"));
}

static void
test_disabled_is_silent (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("net#2", 0);

  setup_capture ();
  pochta_debug_set_flags (POCHTA_DEBUG_STORE);
  sent (trace, "a1 NOOP\r\n", FALSE);
  received (trace, "a1 OK");
  pochta_trace_note (trace, "connected");

  g_assert_cmpstr (captured->str, ==, "");
}

static void
test_escaping (void)
{
  g_autoptr(PochtaTrace) trace = pochta_trace_new ("net#3", 0);
  g_autofree char *long_line = g_strnfill (2000, 'y');

  setup_capture ();
  pochta_trace_received_line (trace, "a\033[2Jb\0c", 8);
  received (trace, long_line);

  g_assert_nonnull (strstr (captured->str, "S: a\\x1b[2Jb\\x00c\n"));
  g_assert_nonnull (strstr (captured->str, "(+1488 bytes)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (redact_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/net/trace/redact/%u", i);
      g_test_add_data_func (path, &redact_cases[i], test_redact_case);
    }

  g_test_add_func ("/core/net/trace/imap-authenticate", test_imap_authenticate);
  g_test_add_func ("/core/net/trace/chunked-responses", test_chunked_responses_end_exchange);
  g_test_add_func ("/core/net/trace/imap-login-literals", test_imap_login_literals);
  g_test_add_func ("/core/net/trace/literal-plus-in-one-write", test_literal_plus_in_one_write);
  g_test_add_func ("/core/net/trace/smtp-auth-login", test_smtp_auth_login);
  g_test_add_func ("/core/net/trace/pop3", test_pop3);
  g_test_add_func ("/core/net/trace/secret-write", test_secret_write);
  g_test_add_func ("/core/net/trace/state-kept-while-off", test_state_kept_while_off);
  g_test_add_func ("/core/net/trace/disabled-is-silent", test_disabled_is_silent);
  g_test_add_func ("/core/net/trace/escaping", test_escaping);

  return g_test_run ();
}
