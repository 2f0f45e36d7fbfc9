/* test-submission.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The harness's mail path end to end: a message submitted to Postfix (with
 * STARTTLS or implicit TLS, SASL through Dovecot) is delivered over LMTP and
 * read back over IMAP from the recipient's INBOX. SMTP is spoken by hand on
 * a PochtaConnection until the SMTP client exists.
 */

#include "config.h"

#include "pochta-imap-client.h"
#include "pochta-test-util.h"

#define TIMEOUT_MS 20000

static char *
read_line (PochtaConnection *conn)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  pochta_connection_read_line_async (conn, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  line = pochta_connection_read_line_finish (conn, result, NULL, &error);
  g_assert_no_error (error);
  return line;
}

/* Reads a (possibly multi-line) SMTP reply and checks its code. */
static void
expect_reply (PochtaConnection *conn,
              const char       *code)
{
  for (;;)
    {
      g_autofree char *line = read_line (conn);

      if (!g_str_has_prefix (line, code))
        g_error ("expected %s, the server said: %s", code, line);
      if (line[3] != '-')
        return;
    }
}

static void
send_text (PochtaConnection *conn,
           const char       *text,
           PochtaWriteFlags  flags)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_connection_write_async (conn, bytes, flags, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_connection_write_finish (conn, result, &error);
  g_assert_no_error (error);
}

static void
connect_pinned (PochtaConnection *conn)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_connection_set_pinned_fingerprint (conn, pochta_test_servers_get ()->cert_sha256);
  pochta_connection_connect_async (conn, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_connection_connect_finish (conn, result, &error);
  g_assert_no_error (error);
}

static void
submit (gboolean    implicit_tls,
        const char *subject)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) conn = NULL;
  g_autofree char *password = pochta_test_servers_password (POCHTA_TEST_USER_ALICE);
  g_autofree char *plain = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *message = NULL;
  GString *credentials = g_string_new (NULL);

  conn = pochta_connection_new (servers->host,
                                implicit_tls ? servers->submissions_port : servers->submission_port,
                                implicit_tls ? POCHTA_TLS_MODE_IMPLICIT : POCHTA_TLS_MODE_STARTTLS);
  connect_pinned (conn);
  expect_reply (conn, "220");
  send_text (conn, "EHLO client.example.test\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "250");

  if (!implicit_tls)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      /* Submission on 587 refuses AUTH before TLS (smtpd_tls_auth_only). */
      send_text (conn, "AUTH PLAIN AGFsaWNlAHg=\r\n", POCHTA_WRITE_FLAGS_NONE);
      expect_reply (conn, "5");

      send_text (conn, "STARTTLS\r\n", POCHTA_WRITE_FLAGS_NONE);
      expect_reply (conn, "220");
      pochta_connection_starttls_async (conn, NULL, pochta_test_store_result, &result);
      pochta_test_wait_result (&result, TIMEOUT_MS);
      pochta_connection_starttls_finish (conn, result, &error);
      g_assert_no_error (error);
      g_assert_true (pochta_connection_is_encrypted (conn));
      send_text (conn, "EHLO client.example.test\r\n", POCHTA_WRITE_FLAGS_NONE);
      expect_reply (conn, "250");
    }

  g_string_append_c (credentials, '\0');
  g_string_append (credentials, POCHTA_TEST_USER_ALICE);
  g_string_append_c (credentials, '\0');
  g_string_append (credentials, password);
  plain = g_base64_encode ((const guchar *) credentials->str, credentials->len);
  g_string_free (credentials, TRUE);
  auth = g_strdup_printf ("AUTH PLAIN %s\r\n", plain);
  send_text (conn, auth, POCHTA_WRITE_FLAGS_SECRET);
  expect_reply (conn, "235");

  send_text (conn, "MAIL FROM:<alice@example.test>\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "250");
  send_text (conn, "RCPT TO:<bob@example.test>\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "250");
  /* Outside the test domain nothing is relayed. */
  send_text (conn, "RCPT TO:<someone@example.org>\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "5");
  send_text (conn, "DATA\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "354");
  message = g_strdup_printf ("From: Alice <alice@example.test>\r\n"
                             "To: Bob <bob@example.test>\r\n"
                             "Subject: %s\r\n"
                             "Message-ID: <%s@example.test>\r\n"
                             "\r\n"
                             "Hello Bob.\r\n"
                             "..a dot-stuffed line\r\n"
                             ".\r\n", subject, subject);
  send_text (conn, message, POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "250");
  send_text (conn, "QUIT\r\n", POCHTA_WRITE_FLAGS_NONE);
  expect_reply (conn, "221");
}

static PochtaImapClient *
imap_login (const char *user)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) conn = pochta_connection_new (servers->host, servers->imaps_port,
                                                            POCHTA_TLS_MODE_IMPLICIT);
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);

  pochta_connection_set_pinned_fingerprint (conn, servers->cert_sha256);
  client = pochta_imap_client_new (conn);
  pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_imap_client_connect_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  pochta_imap_client_login_async (client, user, password, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_imap_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

/* Delivery is asynchronous (Postfix queue, then LMTP), so poll the INBOX
 * with a deadline; each round is a fresh SELECT so new mail is seen. */
static void
assert_delivered (const char *subject)
{
  g_autoptr(PochtaImapClient) client = imap_login (POCHTA_TEST_USER_BOB);
  g_autofree char *criteria = g_strdup_printf ("HEADER Message-ID \"<%s@example.test>\"", subject);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PochtaImapMailboxState) state = NULL;
      g_autoptr(PochtaImapSequenceSet) found = NULL;

      pochta_imap_client_select_async (client, "INBOX", POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                       NULL, pochta_test_store_result, &result);
      pochta_test_wait_result (&result, TIMEOUT_MS);
      state = pochta_imap_client_select_finish (client, result, &error);
      g_assert_no_error (error);
      g_clear_object (&result);

      pochta_imap_client_uid_search_async (client, criteria, NULL, pochta_test_store_result, &result);
      pochta_test_wait_result (&result, TIMEOUT_MS);
      found = pochta_imap_client_uid_search_finish (client, result, &error);
      g_assert_no_error (error);

      if (found != NULL && pochta_imap_sequence_set_count (found) == 1)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("“%s” was not delivered to bob's INBOX within 10 s", subject);
      g_usleep (100 * 1000);
    }
}

static void
test_submission_starttls (void)
{
  g_autofree char *subject = g_strdup_printf ("pochta-starttls-%" G_GINT64_FORMAT,
                                              g_get_real_time ());

  submit (FALSE, subject);
  assert_delivered (subject);
}

static void
test_submissions_implicit (void)
{
  g_autofree char *subject = g_strdup_printf ("pochta-implicit-%" G_GINT64_FORMAT,
                                              g_get_real_time ());

  submit (TRUE, subject);
  assert_delivered (subject);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pochta_test_servers_get ();

  g_test_add_func ("/harness/submission/starttls-then-imap", test_submission_starttls);
  g_test_add_func ("/harness/submission/implicit-tls-then-imap", test_submissions_implicit);

  return g_test_run ();
}
