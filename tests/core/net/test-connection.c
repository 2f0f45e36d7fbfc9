/* test-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaConnection against the harness's real Dovecot: certificate checks, pins, STARTTLS.
 */

#include "config.h"

#include "pochta-test-util.h"

#define WAIT_MS 15000

/* A pin that matches no real certificate. */
#define OTHER_SHA256 "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
                     "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

typedef enum
{
  TRUST_NONE,       /* system anchors only: the harness certificate is unknown */
  TRUST_PIN,        /* pinned to the harness certificate */
  TRUST_WRONG_PIN,  /* pinned to another certificate */
  TRUST_CA,         /* the harness certificate as an anchor */
  TRUST_CA_WRONG_PIN,
} Trust;

typedef struct
{
  const char    *path;
  PochtaTlsMode  tls_mode;
  Trust          trust;
  int            expected_code;  /* in POCHTA_NET_ERROR; -1 for success */
} ConnectCase;

static const ConnectCase connect_cases[] = {
  { "implicit-tls-untrusted", POCHTA_TLS_MODE_IMPLICIT, TRUST_NONE, POCHTA_NET_ERROR_TLS_CERTIFICATE },
  { "starttls-untrusted", POCHTA_TLS_MODE_STARTTLS, TRUST_NONE, POCHTA_NET_ERROR_TLS_CERTIFICATE },
  { "implicit-tls-pinned", POCHTA_TLS_MODE_IMPLICIT, TRUST_PIN, -1 },
  { "starttls-pinned", POCHTA_TLS_MODE_STARTTLS, TRUST_PIN, -1 },
  { "implicit-tls-wrong-pin", POCHTA_TLS_MODE_IMPLICIT, TRUST_WRONG_PIN, POCHTA_NET_ERROR_TLS_PIN_MISMATCH },
  { "starttls-wrong-pin", POCHTA_TLS_MODE_STARTTLS, TRUST_WRONG_PIN, POCHTA_NET_ERROR_TLS_PIN_MISMATCH },
  { "implicit-tls-ca", POCHTA_TLS_MODE_IMPLICIT, TRUST_CA, -1 },
  { "starttls-ca", POCHTA_TLS_MODE_STARTTLS, TRUST_CA, -1 },
  { "implicit-tls-ca-wrong-pin", POCHTA_TLS_MODE_IMPLICIT, TRUST_CA_WRONG_PIN, POCHTA_NET_ERROR_TLS_PIN_MISMATCH },
  { "starttls-ca-wrong-pin", POCHTA_TLS_MODE_STARTTLS, TRUST_CA_WRONG_PIN, POCHTA_NET_ERROR_TLS_PIN_MISMATCH },
};

static char *
read_line_sync (PochtaConnection  *connection,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_connection_read_line_async (connection, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_connection_read_line_finish (connection, result, NULL, error);
}

static void
write_sync (PochtaConnection *connection,
            const char       *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  pochta_connection_write_async (connection, bytes, POCHTA_WRITE_FLAGS_NONE, NULL,
                                 pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_connection_write_finish (connection, result, &error);
  g_assert_no_error (error);
}

static void
assert_line_prefix (PochtaConnection *connection,
                    const char       *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = read_line_sync (connection, &error);

  g_assert_no_error (error);
  if (!g_str_has_prefix (line, prefix))
    g_error ("Expected a line starting with “%s”, got “%s”", prefix, line);
}

/* Connects, and for STARTTLS reads the plaintext greeting, asks for TLS
 * and upgrades, as the IMAP client will. */
static gboolean
open_connection (PochtaConnection  *connection,
                 GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) tls_result = NULL;

  pochta_connection_connect_async (connection, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  if (!pochta_connection_connect_finish (connection, result, error))
    return FALSE;

  if (pochta_connection_get_tls_mode (connection) != POCHTA_TLS_MODE_STARTTLS)
    return TRUE;

  g_assert_false (pochta_connection_is_encrypted (connection));
  assert_line_prefix (connection, "* OK");
  write_sync (connection, "a STARTTLS\r\n");
  assert_line_prefix (connection, "a OK");

  pochta_connection_starttls_async (connection, NULL, pochta_test_store_result, &tls_result);
  pochta_test_wait_result (&tls_result, WAIT_MS);
  return pochta_connection_starttls_finish (connection, tls_result, error);
}

static void
assert_certificate_error (const GError            *error,
                          const ConnectCase       *c,
                          const PochtaTestServers *servers,
                          PochtaConnection        *connection)
{
  PochtaCertificateInfo *info;
  g_autofree char *fingerprint = g_strdup_printf ("SHA-256 fingerprint: %s", servers->cert_sha256);

  g_assert_error (error, POCHTA_NET_ERROR, c->expected_code);
  g_test_message ("%s", error->message);

  /* What a person reads in the dialog. */
  if (c->expected_code == POCHTA_NET_ERROR_TLS_CERTIFICATE)
    g_assert_nonnull (strstr (error->message, "The certificate of “127.0.0.1” is not trusted"));
  else
    g_assert_nonnull (strstr (error->message, "is not the one accepted for this account (SHA-256 " OTHER_SHA256 ")"));
  g_assert_nonnull (strstr (error->message, fingerprint));
  g_assert_nonnull (strstr (error->message, "Subject: "));
  g_assert_nonnull (strstr (error->message, "Issuer: "));
  g_assert_nonnull (strstr (error->message, "Valid from: "));
  g_assert_nonnull (strstr (error->message, "Valid until: "));

  /* What the UI pins when the person accepts. */
  info = pochta_net_error_get_certificate_info (error);
  g_assert_nonnull (info);
  g_assert_true (pochta_certificate_fingerprint_equal (pochta_certificate_info_get_fingerprint (info),
                                                       servers->cert_sha256));
  g_assert_nonnull (pochta_certificate_info_get_subject (info));
  g_assert_nonnull (strstr (error->message, pochta_certificate_info_get_subject (info)));
  g_assert_nonnull (pochta_certificate_info_get_issuer (info));
  g_assert_nonnull (strstr (error->message, pochta_certificate_info_get_issuer (info)));
  g_assert_nonnull (pochta_certificate_info_get_not_before (info));
  g_assert_nonnull (pochta_certificate_info_get_not_after (info));
  if (c->trust == TRUST_NONE)
    g_assert_true (pochta_certificate_info_get_errors (info) & G_TLS_CERTIFICATE_UNKNOWN_CA);

  g_assert_true (pochta_connection_get_peer_certificate_info (connection) == info);
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_connect_case (gconstpointer data)
{
  const ConnectCase *c = data;
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = c->tls_mode == POCHTA_TLS_MODE_IMPLICIT ? servers->imaps_port : servers->imap_port;
  connection = pochta_connection_new (servers->host, port, c->tls_mode);
  pochta_connection_set_connect_timeout (connection, 10);
  pochta_connection_set_read_timeout (connection, 10);

  switch (c->trust)
    {
    case TRUST_NONE:
      break;

    case TRUST_PIN:
      pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
      break;

    case TRUST_WRONG_PIN:
      pochta_connection_set_pinned_fingerprint (connection, OTHER_SHA256);
      break;

    case TRUST_CA:
    case TRUST_CA_WRONG_PIN:
      {
        g_autoptr(GTlsDatabase) database = g_tls_file_database_new (servers->cert_file, &error);

        g_assert_no_error (error);
        pochta_connection_set_tls_database (connection, database);
        if (c->trust == TRUST_CA_WRONG_PIN)
          pochta_connection_set_pinned_fingerprint (connection, OTHER_SHA256);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!open_connection (connection, &error))
    {
      g_assert_cmpint (c->expected_code, !=, -1);
      assert_certificate_error (error, c, servers, connection);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpint (c->expected_code, ==, -1);
  g_assert_true (pochta_connection_is_encrypted (connection));
  g_assert_true (pochta_certificate_fingerprint_equal (
                   pochta_certificate_info_get_fingerprint (pochta_connection_get_peer_certificate_info (connection)),
                   servers->cert_sha256));

  /* The stream works: implicit TLS greets, and both answer CAPABILITY. */
  if (c->tls_mode == POCHTA_TLS_MODE_IMPLICIT)
    assert_line_prefix (connection, "* OK");
  write_sync (connection, "b CAPABILITY\r\n");
  assert_line_prefix (connection, "* CAPABILITY IMAP4rev1");
  assert_line_prefix (connection, "b OK");

  {
    g_autoptr(GAsyncResult) result = NULL;

    write_sync (connection, "c LOGOUT\r\n");
    pochta_connection_close_async (connection, NULL, pochta_test_store_result, &result);
    pochta_test_wait_result (&result, WAIT_MS);
    g_assert_true (pochta_connection_close_finish (connection, result, &error));
    g_assert_no_error (error);
  }
}

static void
test_pop3s_untrusted (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The same checks hold on the POP3 port, whatever the protocol.");

  connection = pochta_connection_new (servers->host, servers->pop3s_port, POCHTA_TLS_MODE_IMPLICIT);
  g_assert_false (open_connection (connection, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_CERTIFICATE);

  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  g_clear_error (&error);
  g_assert_true (open_connection (connection, &error));
  g_assert_no_error (error);
  assert_line_prefix (connection, "+OK");
}

static void
capture_trace (const char *label,
               const char *text,
               gpointer    user_data)
{
  g_string_append_printf (user_data, "%s %s\n", label, text);
}

static void
test_trace_redacts_login (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (POCHTA_TEST_USER_ALICE);
  g_autofree char *login = NULL;
  g_autoptr(GString) trace = g_string_new (NULL);

  g_test_summary ("A real LOGIN over the connection: the trace shows the exchange, never the password.");

  pochta_trace_set_writer (capture_trace, trace);
  pochta_debug_set_flags (POCHTA_DEBUG_NET);

  connection = pochta_connection_new (servers->host, servers->imaps_port, POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  g_assert_true (open_connection (connection, &error));
  g_assert_no_error (error);
  assert_line_prefix (connection, "* OK");

  login = g_strdup_printf ("l LOGIN %s %s\r\n", POCHTA_TEST_USER_ALICE, password);
  write_sync (connection, login);
  assert_line_prefix (connection, "l OK");

  pochta_trace_set_writer (NULL, NULL);
  pochta_debug_set_flags (0);

  g_assert_nonnull (strstr (trace->str, "C: l LOGIN <redacted>"));
  g_assert_nonnull (strstr (trace->str, "S: l OK"));
  g_assert_nonnull (strstr (trace->str, "-- TLS established"));
  if (strstr (trace->str, password) != NULL)
    g_error ("The trace shows the password:\n%s", trace->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (connect_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/net/connection/%s", connect_cases[i].path);
      g_test_add_data_func (path, &connect_cases[i], test_connect_case);
    }

  g_test_add_func ("/core/net/connection/pop3s-untrusted", test_pop3s_untrusted);
  g_test_add_func ("/core/net/connection/trace-redacts-login", test_trace_redacts_login);

  return g_test_run ();
}
