/* test-connection-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaConnection against the scripted fake server: the faults real servers won't produce.
 */

#include "config.h"

#include "pochta-fake-server.h"
#include "pochta-test-util.h"

#define WAIT_MS 10000

/* openssl x509 -noout -fingerprint -sha256 of the fake server's certificate */
#define FAKE_SHA256 "3F:FB:9C:42:04:A8:11:A2:B1:9A:F1:95:8E:2F:5D:3A:E2:58:16:9E:DA:1A:74:B2:E4:82:DB:52:70:30:B7:42"

typedef struct
{
  PochtaFakeServer *server;
  PochtaConnection *connection;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = pochta_fake_server_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (fixture->connection != NULL)
    pochta_connection_abort (fixture->connection);
  g_clear_object (&fixture->connection);

  pochta_fake_server_stop (fixture->server, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->server);
}

static PochtaConnection *
start (Fixture       *fixture,
       PochtaTlsMode  tls_mode)
{
  g_autoptr(GError) error = NULL;
  guint16 port;

  pochta_fake_server_set_implicit_tls (fixture->server, tls_mode == POCHTA_TLS_MODE_IMPLICIT);
  port = pochta_fake_server_start (fixture->server, &error);
  g_assert_no_error (error);

  fixture->connection = pochta_connection_new ("127.0.0.1", port, tls_mode);
  pochta_connection_set_connect_timeout (fixture->connection, 5);
  pochta_connection_set_read_timeout (fixture->connection, 5);
  return fixture->connection;
}

static gboolean
connect_sync (PochtaConnection  *connection,
              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_connection_connect_async (connection, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_connection_connect_finish (connection, result, error);
}

static gboolean
starttls_sync (PochtaConnection  *connection,
               GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_connection_starttls_async (connection, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_connection_starttls_finish (connection, result, error);
}

static char *
read_line_sync (PochtaConnection  *connection,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_connection_read_line_async (connection, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_connection_read_line_finish (connection, result, NULL, error);
}

static gboolean
write_sync (PochtaConnection  *connection,
            const char        *text,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  pochta_connection_write_async (connection, bytes, POCHTA_WRITE_FLAGS_NONE, NULL,
                                 pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_connection_write_finish (connection, result, error);
}

static void
assert_line (PochtaConnection *connection,
             const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = read_line_sync (connection, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

static void
test_roundtrip (Fixture       *fixture,
                gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GBytes) literal = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  pochta_fake_server_expect_line (fixture->server, "^(a\\d+) FETCH 1 BODY\\[\\]$");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (BODY[] {10}");
  pochta_fake_server_send (fixture->server, "0123456789)\r\n", 13);
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_NONE);

  g_assert_true (connect_sync (connection, &error));
  g_assert_no_error (error);
  g_assert_true (pochta_connection_is_connected (connection));
  g_assert_false (pochta_connection_is_encrypted (connection));

  assert_line (connection, "* OK fake ready");
  g_assert_true (write_sync (connection, "a7 FETCH 1 BODY[]\r\n", &error));
  g_assert_no_error (error);
  assert_line (connection, "* 1 FETCH (BODY[] {10}");

  pochta_connection_read_bytes_async (connection, 10, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  literal = pochta_connection_read_bytes_finish (connection, result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (literal, NULL), g_bytes_get_size (literal), "0123456789", 10);

  assert_line (connection, ")");
  assert_line (connection, "a7 OK done");

  pochta_connection_close_async (connection, NULL, pochta_test_store_result, &close_result);
  g_assert_false (pochta_connection_is_connected (connection));
  pochta_test_wait_result (&close_result, WAIT_MS);
  g_assert_true (pochta_connection_close_finish (connection, close_result, &error));
  g_assert_no_error (error);
}

static void
test_line_too_long (Fixture       *fixture,
                    gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 start_time;

  g_test_summary ("10 MB without a newline and a 64 KB limit: a clear error, quickly, and the connection is closed.");

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  pochta_fake_server_send_filler (fixture->server, 'x', 10 * 1024 * 1024);
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_NONE);
  pochta_connection_set_max_line_length (connection, 64 * 1024);

  g_assert_true (connect_sync (connection, &error));
  assert_line (connection, "* OK fake ready");

  start_time = g_get_monotonic_time ();
  line = read_line_sync (connection, &error);
  g_assert_null (line);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_LINE_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "longer than the limit of 65536 bytes"));
  g_assert_cmpint (g_get_monotonic_time () - start_time, <, 2 * G_USEC_PER_SEC);
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_read_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 start_time;
  gint64 elapsed;

  pochta_fake_server_send (fixture->server, "* OK half a gree", 16);
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_NONE);
  pochta_connection_set_read_timeout (connection, 1);

  g_assert_true (connect_sync (connection, &error));

  start_time = g_get_monotonic_time ();
  line = read_line_sync (connection, &error);
  elapsed = g_get_monotonic_time () - start_time;

  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "did not respond within 1 second"));
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_closed_mid_line (Fixture       *fixture,
                      gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  pochta_fake_server_send (fixture->server, "* 1 FETCH (FLA", 14);
  pochta_fake_server_close (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_NONE);

  g_assert_true (connect_sync (connection, &error));
  assert_line (connection, "* OK fake ready");

  line = read_line_sync (connection, &error);
  g_assert_null (line);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "closed the connection"));
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_closed_between_lines (Fixture       *fixture,
                           gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *after = NULL;

  pochta_fake_server_send_line (fixture->server, "* BYE going away");
  pochta_fake_server_close (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_NONE);

  g_assert_true (connect_sync (connection, &error));
  assert_line (connection, "* BYE going away");

  line = read_line_sync (connection, &error);
  g_assert_null (line);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "The server closed the connection");
  g_clear_error (&error);

  after = read_line_sync (connection, &error);
  g_assert_null (after);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was just free and is no longer listened on refuses. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  connection = pochta_connection_new ("127.0.0.1", port, POCHTA_TLS_MODE_IMPLICIT);
  g_assert_false (connect_sync (connection, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_connect_timeout (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start_time;
  gint64 elapsed;
  gboolean ok;

  g_test_summary ("A listener whose accept queue is full drops new SYNs (Linux), so a loopback "
                  "connect hangs exactly like one to a black hole.");

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_bind (listener, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }
  g_usleep (100 * 1000);

  connection = pochta_connection_new ("127.0.0.1",
                                      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                                      POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_connect_timeout (connection, 1);

  start_time = g_get_monotonic_time ();
  ok = connect_sync (connection, &error);
  elapsed = g_get_monotonic_time () - start_time;

  if (ok || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_test_skip ("This kernel completed a connect to a full accept queue; "
                   "no loopback black hole to test the connect timeout with");
      return;
    }

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "Could not connect to “127.0.0.1”"));
  g_assert_nonnull (strstr (error->message, "within 1 second"));
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_cancel_connect (void)
{
  g_autoptr(PochtaConnection) connection = pochta_connection_new ("127.0.0.1", 9, POCHTA_TLS_MODE_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  pochta_connection_connect_async (connection, cancellable, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_connection_connect_finish (connection, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_not_connected (void)
{
  g_autoptr(PochtaConnection) connection = pochta_connection_new ("127.0.0.1", 9, POCHTA_TLS_MODE_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = read_line_sync (connection, &error);

  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  g_assert_false (write_sync (connection, "a1 NOOP\r\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
starttls_preamble (Fixture *fixture)
{
  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) STARTTLS$");
}

static void
client_starttls_command (PochtaConnection *connection)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (connect_sync (connection, &error));
  g_assert_no_error (error);
  assert_line (connection, "* OK fake ready");
  g_assert_true (write_sync (connection, "s1 STARTTLS\r\n", &error));
  g_assert_no_error (error);
}

static void
test_starttls_dropped (Fixture       *fixture,
                       gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;

  starttls_preamble (fixture);
  pochta_fake_server_send_line (fixture->server, "$1 OK Begin TLS negotiation now");
  pochta_fake_server_close (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_STARTTLS);
  pochta_connection_set_pinned_fingerprint (connection, FAKE_SHA256);

  client_starttls_command (connection);
  assert_line (connection, "s1 OK Begin TLS negotiation now");

  g_assert_false (starttls_sync (connection, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_FAILED);
  g_assert_nonnull (strstr (error->message, "“127.0.0.1” closed the connection during the TLS handshake"));
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Plaintext that follows the STARTTLS go-ahead in the same packet may be an "
                  "attacker's (CVE-2011-0411 style); the upgrade refuses it.");

  starttls_preamble (fixture);
  pochta_fake_server_send (fixture->server, "s1 OK go\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n", 45);
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_STARTTLS);

  client_starttls_command (connection);
  assert_line (connection, "s1 OK go");

  g_assert_false (starttls_sync (connection, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "unexpected data before the TLS handshake"));
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_starttls_pinned (Fixture       *fixture,
                      gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;

  starttls_preamble (fixture);
  pochta_fake_server_send_line (fixture->server, "$1 OK Begin TLS negotiation now");
  pochta_fake_server_start_tls (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) CAPABILITY$");
  pochta_fake_server_send_line (fixture->server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_STARTTLS);
  pochta_connection_set_pinned_fingerprint (connection, "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b742");

  client_starttls_command (connection);
  assert_line (connection, "s1 OK Begin TLS negotiation now");
  g_assert_true (starttls_sync (connection, &error));
  g_assert_no_error (error);
  g_assert_true (pochta_connection_is_encrypted (connection));
  g_assert_cmpstr (pochta_certificate_info_get_fingerprint (pochta_connection_get_peer_certificate_info (connection)),
                   ==, FAKE_SHA256);

  g_assert_true (write_sync (connection, "s2 CAPABILITY\r\n", &error));
  assert_line (connection, "* CAPABILITY IMAP4rev1 AUTH=PLAIN");
  assert_line (connection, "s2 OK done");
}

static void
test_implicit_tls_untrusted (Fixture       *fixture,
                             gconstpointer  data)
{
  PochtaConnection *connection;
  PochtaCertificateInfo *info;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  connection = start (fixture, POCHTA_TLS_MODE_IMPLICIT);

  g_assert_false (connect_sync (connection, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "The certificate of “127.0.0.1” is not trusted: "
                                            "it is not signed by a trusted certificate authority"));
  g_assert_nonnull (strstr (error->message, "Subject: CN=Pochta fake server"));
  g_assert_nonnull (strstr (error->message, "SHA-256 fingerprint: " FAKE_SHA256));

  info = pochta_net_error_get_certificate_info (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (pochta_certificate_info_get_fingerprint (info), ==, FAKE_SHA256);
  g_assert_true (pochta_connection_get_peer_certificate_info (connection) == info);
  g_assert_false (pochta_connection_is_connected (connection));
}

static void
test_implicit_tls_wrong_pin (Fixture       *fixture,
                             gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  connection = start (fixture, POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_pinned_fingerprint (connection, "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                                        "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

  g_assert_false (connect_sync (connection, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_PIN_MISMATCH);
  g_assert_nonnull (strstr (error->message, "not the one accepted for this account"));
  g_assert_nonnull (strstr (error->message, "SHA-256 fingerprint: " FAKE_SHA256));
  g_assert_cmpstr (pochta_certificate_info_get_fingerprint (pochta_net_error_get_certificate_info (error)),
                   ==, FAKE_SHA256);
}

static void
test_implicit_tls_pinned (Fixture       *fixture,
                          gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK fake ready");
  pochta_fake_server_stall (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_pinned_fingerprint (connection, FAKE_SHA256);

  g_assert_true (connect_sync (connection, &error));
  g_assert_no_error (error);
  g_assert_true (pochta_connection_is_encrypted (connection));
  assert_line (connection, "* OK fake ready");
}

static void
test_tls_closed_mid_line (Fixture       *fixture,
                          gconstpointer  data)
{
  PochtaConnection *connection;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  pochta_fake_server_send (fixture->server, "* OK fa", 7);
  pochta_fake_server_close (fixture->server);
  connection = start (fixture, POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_pinned_fingerprint (connection, FAKE_SHA256);

  g_assert_true (connect_sync (connection, &error));
  line = read_line_sync (connection, &error);
  g_assert_null (line);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
}

#define ADD(path, func) \
  g_test_add ("/core/net/connection/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("roundtrip", test_roundtrip);
  ADD ("line-too-long", test_line_too_long);
  ADD ("read-timeout", test_read_timeout);
  ADD ("closed-mid-line", test_closed_mid_line);
  ADD ("closed-between-lines", test_closed_between_lines);
  ADD ("starttls-dropped", test_starttls_dropped);
  ADD ("starttls-injection", test_starttls_injection);
  ADD ("starttls-pinned", test_starttls_pinned);
  ADD ("implicit-tls-untrusted", test_implicit_tls_untrusted);
  ADD ("implicit-tls-wrong-pin", test_implicit_tls_wrong_pin);
  ADD ("implicit-tls-pinned", test_implicit_tls_pinned);
  ADD ("tls-closed-mid-line", test_tls_closed_mid_line);
  g_test_add_func ("/core/net/connection/connection-refused", test_connection_refused);
  g_test_add_func ("/core/net/connection/connect-timeout", test_connect_timeout);
  g_test_add_func ("/core/net/connection/cancel-connect", test_cancel_connect);
  g_test_add_func ("/core/net/connection/not-connected", test_not_connected);

  return g_test_run ();
}
