/* test-imap-client-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaImapClient against the scripted fake server: hostile and broken servers end in clear errors.
 */

#include "config.h"

#include <string.h>

#include "pochta-fake-server.h"
#include "pochta-imap-client.h"
#include "pochta-test-util.h"

#define WAIT_MS 10000

#define PREAUTH "* PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS] fake ready"

typedef struct
{
  PochtaFakeServer *server;
  PochtaImapClient *client;
  char             *bye;
  GError           *disconnected;
} Fixture;

static void
on_bye (PochtaImapClient *client,
        const char       *text,
        Fixture          *fixture)
{
  g_free (fixture->bye);
  fixture->bye = g_strdup (text);
}

static void
on_disconnected (PochtaImapClient *client,
                 const GError     *error,
                 Fixture          *fixture)
{
  g_assert_null (fixture->disconnected);
  fixture->disconnected = g_error_copy (error);
}

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

  if (fixture->client != NULL)
    pochta_connection_abort (pochta_imap_client_get_connection (fixture->client));
  g_clear_object (&fixture->client);

  pochta_fake_server_stop (fixture->server, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->bye, g_free);
  g_clear_error (&fixture->disconnected);
}

static gboolean
start (Fixture       *fixture,
       PochtaTlsMode  tls_mode,
       GError       **error)
{
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  guint16 port;

  port = pochta_fake_server_start (fixture->server, &local_error);
  g_assert_no_error (local_error);

  connection = pochta_connection_new ("127.0.0.1", port, tls_mode);
  pochta_connection_set_connect_timeout (connection, 5);
  fixture->client = pochta_imap_client_new (connection);
  pochta_imap_client_set_command_timeout (fixture->client, 3);
  g_signal_connect (fixture->client, "bye", G_CALLBACK (on_bye), fixture);
  g_signal_connect (fixture->client, "disconnected", G_CALLBACK (on_disconnected), fixture);

  pochta_imap_client_connect_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_imap_client_connect_finish (fixture->client, result, error);
}

static void
start_selected (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  g_assert_no_error (error);

  pochta_imap_client_select_async (fixture->client, "INBOX", POCHTA_IMAP_SELECT_NONE, 0, 0, NULL, NULL,
                                   pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  state = pochta_imap_client_select_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->exists, ==, 3);
}

static void
script_select (PochtaFakeServer *server)
{
  pochta_fake_server_send_line (server, PREAUTH);
  pochta_fake_server_expect_line (server, "^(\\S+) SELECT INBOX$");
  pochta_fake_server_send_line (server, "* 3 EXISTS");
  pochta_fake_server_send_line (server, "* OK [UIDVALIDITY 7] ok");
  pochta_fake_server_send_line (server, "$1 OK [READ-WRITE] selected");
}

static GError *
fetch_headers (Fixture *fixture)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  GError *error = NULL;

  pochta_imap_sequence_set_add_range (set, 1, G_MAXUINT32);
  pochta_imap_client_uid_fetch_async (fixture->client, set, "UID FLAGS ENVELOPE", 0, FALSE, NULL, NULL, NULL,
                                      NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  fetches = pochta_imap_client_uid_fetch_finish (fixture->client, result, NULL, &error);
  g_assert_null (fetches);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);

  return error;
}

static void
assert_session_ended (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (pochta_imap_client_get_state (fixture->client), ==, POCHTA_IMAP_CLIENT_STATE_DISCONNECTED);
  g_assert_nonnull (fixture->disconnected);

  /* Later commands fail at once with the same reason. */
  pochta_imap_client_noop_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_noop_finish (fixture->client, result, &error));
  g_assert_error (error, fixture->disconnected->domain, fixture->disconnected->code);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH 1:\\S+ \\(UID FLAGS ENVELOPE\\)$");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (UID 1))");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  error = fetch_headers (fixture);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
  assert_session_ended (fixture);
}

typedef struct
{
  guint  delivered;
  GList *uids;
} ViewLog;

/* Reads the author as the header sync does; a malformed From fails. */
static gboolean
author_view_cb (PochtaImapClient           *client,
                const PochtaImapFetchView  *view,
                gpointer                    user_data,
                GError                    **error)
{
  ViewLog *log = user_data;
  PochtaImapEnvelopeView envelope;
  PochtaImapAddressIter iter;
  const PochtaImapAddressView *address;

  if (!pochta_imap_envelope_view_init (&envelope, view->envelope, error))
    return FALSE;
  pochta_imap_address_iter_init (&iter, envelope.from);
  if (!pochta_imap_address_iter_next (&iter, &address, error))
    return FALSE;
  g_assert_nonnull (address);
  g_assert_cmpstr (address->host, ==, "x.org");
  log->delivered++;
  log->uids = g_list_append (log->uids, GUINT_TO_POINTER (view->uid));
  return TRUE;
}

/* A FETCH the parser takes but whose envelope is wrong fails the fetch
 * once it ends, with the other messages given; the session goes on. */
static void
test_view_malformed_envelope (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  g_autoptr(GError) error = NULL;
  ViewLog log = { 0, };

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH 1:\\S+ \\(UID ENVELOPE\\)$");
  pochta_fake_server_send_line (fixture->server,
                                "* 1 FETCH (UID 1 ENVELOPE (NIL NIL ((NIL NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL NIL NIL))");
  pochta_fake_server_send_line (fixture->server,
                                "* 2 FETCH (UID 2 ENVELOPE (NIL NIL (\"not an address\") NIL NIL NIL NIL NIL NIL NIL))");
  pochta_fake_server_send_line (fixture->server,
                                "* 3 FETCH (UID 3 ENVELOPE (NIL NIL ((NIL NIL \"c\" \"x.org\")) NIL NIL NIL NIL NIL NIL NIL))");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) NOOP$");
  pochta_fake_server_send_line (fixture->server, "$1 OK noop");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  pochta_imap_sequence_set_add_range (set, 1, G_MAXUINT32);
  pochta_imap_client_uid_fetch_view_async (fixture->client, set, "UID ENVELOPE", author_view_cb, &log, NULL,
                                           NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  fetches = pochta_imap_client_uid_fetch_finish (fixture->client, result, NULL, &error);
  g_assert_null (fetches);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
  g_assert_cmpuint (log.delivered, ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_list_nth_data (log.uids, 0)), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_list_nth_data (log.uids, 1)), ==, 3);
  g_list_free (log.uids);
  g_clear_error (&error);
  g_clear_object (&result);

  pochta_imap_client_noop_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_imap_client_noop_finish (fixture->client, result, &error));
  g_assert_no_error (error);
}

static void
test_literal_dropped (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char filler[100];

  memset (filler, 'x', sizeof filler);
  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH 5 \\(UID BODY.PEEK\\[\\]\\)$");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (UID 5 BODY[] {1000}");
  pochta_fake_server_send (fixture->server, filler, sizeof filler);
  pochta_fake_server_close (fixture->server);

  start_selected (fixture);
  pochta_imap_client_uid_fetch_body_async (fixture->client, 5, NULL, output, NULL,
                                           pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_uid_fetch_body_finish (fixture->client, result, &error);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED);
  /* What arrived was streamed on, nothing more. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)), ==, sizeof filler);
  assert_session_ended (fixture);
}

static void
test_literal_over_limit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (UID 1 ENVELOPE {4000000000}");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  error = fetch_headers (fixture);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  assert_session_ended (fixture);
}

static void
test_bye_mid_fetch (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (UID 1 FLAGS (\\Seen))");
  pochta_fake_server_send_line (fixture->server, "* BYE Server shutting down");
  pochta_fake_server_close (fixture->server);

  start_selected (fixture);
  error = fetch_headers (fixture);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "Server shutting down"));
  g_assert_cmpstr (fixture->bye, ==, "Server shutting down");
  assert_session_ended (fixture);
}

static void
test_unterminated_line (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH");
  pochta_fake_server_send (fixture->server, "* 1 FETCH (UID 1 FLAGS (", 24);
  pochta_fake_server_send_filler (fixture->server, 'x', 4 * 1024 * 1024);
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  error = fetch_headers (fixture);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  assert_session_ended (fixture);
}

static void
test_silence (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start_time;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH");
  pochta_fake_server_send (fixture->server, "* 1 FETCH (UID 1", 16);
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  start_time = g_get_monotonic_time ();
  error = fetch_headers (fixture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start_time, <, 6 * G_USEC_PER_SEC);
  assert_session_ended (fixture);
}

static void
test_deep_nesting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parens = g_strnfill (10000, '(');

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID FETCH");
  pochta_fake_server_send (fixture->server, "* 1 FETCH ", 10);
  pochta_fake_server_send (fixture->server, parens, 10000);
  pochta_fake_server_send_line (fixture->server, "");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  error = fetch_headers (fixture);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  assert_session_ended (fixture);
}

static void
test_starttls_missing (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The client must hang up without a word: no STARTTLS, no LOGIN. */
  pochta_fake_server_send_line (fixture->server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here");
  pochta_fake_server_stall (fixture->server);

  g_assert_false (start (fixture, POCHTA_TLS_MODE_STARTTLS, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY);
  g_assert_false (pochta_connection_is_connected (pochta_imap_client_get_connection (fixture->client)));
}

/* One write, so that the injected line arrives with the OK. */
#define INJECTED "P1 OK go\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"

static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) STARTTLS$");
  pochta_fake_server_send (fixture->server, INJECTED, strlen (INJECTED));
  pochta_fake_server_stall (fixture->server);

  g_assert_false (start (fixture, POCHTA_TLS_MODE_STARTTLS, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL);
}

static void
test_greeting_bye (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* BYE Too many connections");
  pochta_fake_server_close (fixture->server);

  g_assert_false (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "Too many connections"));
}

static void
test_pipeline_dropped (Fixture       *fixture,
                       gconstpointer  data)
{
  GAsyncResult *results[3] = { NULL, };
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, PREAUTH);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) NOOP$");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) NOOP$");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) NOOP$");
  pochta_fake_server_send_line (fixture->server, "P1 OK first");
  pochta_fake_server_close (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    pochta_imap_client_noop_async (fixture->client, NULL, pochta_test_store_result, &results[i]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      pochta_test_wait_result (&results[i], WAIT_MS);
      ok = pochta_imap_client_noop_finish (fixture->client, results[i], &local_error);
      if (i == 0)
        {
          g_assert_no_error (local_error);
          g_assert_true (ok);
        }
      else
        g_assert_error (local_error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED);
      g_clear_object (&results[i]);
    }
  assert_session_ended (fixture);
}

static void
test_tagged_no (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, PREAUTH);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) CREATE Foo$");
  pochta_fake_server_send_line (fixture->server, "$1 NO [ALREADYEXISTS] Mailbox exists");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) DELETE Foo$");
  pochta_fake_server_send_line (fixture->server, "$1 BAD Syntax error");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_create_async (fixture->client, "Foo", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_create_finish (fixture->client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO);
  g_assert_cmpstr (error->message, ==, "[ALREADYEXISTS] Mailbox exists");
  g_clear_error (&error);
  g_clear_object (&result);

  pochta_imap_client_delete_async (fixture->client, "Foo", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_delete_finish (fixture->client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD);
  g_assert_cmpstr (error->message, ==, "Syntax error");

  /* The session goes on after a refusal. */
  g_assert_cmpint (pochta_imap_client_get_state (fixture->client), ==, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);
}

static void
test_unknown_tag (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, PREAUTH);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) NOOP$");
  pochta_fake_server_send_line (fixture->server, "* XUNKNOWN data (is skipped) 1 2 3");
  pochta_fake_server_send_line (fixture->server, "* OK [XUNKNOWNCODE 1] also skipped");
  pochta_fake_server_send_line (fixture->server, "zzz9 OK never sent");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_noop_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_noop_finish (fixture->client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL);
  assert_session_ended (fixture);
}

static void
test_sync_literal (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\nhello\r\n", 21);
  guint32 uid = 0;

  /* No LITERAL+: the client waits for "+" before the message. */
  pochta_fake_server_send_line (fixture->server, PREAUTH);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) APPEND INBOX \\{21\\}$");
  pochta_fake_server_send_line (fixture->server, "+ go ahead");
  pochta_fake_server_expect_line (fixture->server, "^Subject: x$");
  pochta_fake_server_expect_line (fixture->server, "^$");
  pochta_fake_server_expect_line (fixture->server, "^hello$");
  pochta_fake_server_expect_line (fixture->server, "^$");
  pochta_fake_server_send_line (fixture->server, "P1 OK [APPENDUID 9 42] done");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_append_async (fixture->client, "INBOX", NULL, NULL, message, NULL, 0, NULL,
                                   pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_append_finish (fixture->client, result, NULL, &uid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uid, ==, 42);
}

static void
test_move_fallback (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) source = NULL;
  g_autoptr(PochtaImapSequenceSet) destination = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean uidplus = GPOINTER_TO_INT (data);
  guint32 uidvalidity = 0;

  /* No MOVE: COPY, flag \Deleted, then expunge just those (UIDPLUS) or all. */
  pochta_fake_server_send_line (fixture->server, uidplus ? "* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] hi"
                                                         : "* PREAUTH [CAPABILITY IMAP4rev1] hi");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) SELECT INBOX$");
  pochta_fake_server_send_line (fixture->server, "* 3 EXISTS");
  pochta_fake_server_send_line (fixture->server, "$1 OK [READ-WRITE] selected");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID COPY 2:3 Archive$");
  pochta_fake_server_send_line (fixture->server, uidplus ? "$1 OK [COPYUID 5 2:3 10:11] copied" : "$1 OK copied");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID STORE 2:3 \\+FLAGS.SILENT \\(\\\\Deleted\\)$");
  pochta_fake_server_send_line (fixture->server, "$1 OK stored");
  pochta_fake_server_expect_line (fixture->server, uidplus ? "^(\\S+) UID EXPUNGE 2:3$" : "^(\\S+) EXPUNGE$");
  pochta_fake_server_send_line (fixture->server, "* 2 EXPUNGE");
  pochta_fake_server_send_line (fixture->server, "* 2 EXPUNGE");
  pochta_fake_server_send_line (fixture->server, "$1 OK expunged");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  pochta_imap_sequence_set_add_range (set, 2, 3);
  pochta_imap_client_uid_move_async (fixture->client, set, "Archive", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_uid_move_finish (fixture->client, result, &uidvalidity, &source, &destination, &error);
  g_assert_no_error (error);
  if (uidplus)
    {
      g_assert_cmpuint (uidvalidity, ==, 5);
      g_assert_true (pochta_imap_sequence_set_contains (destination, 11));
    }
  else
    {
      g_assert_cmpuint (uidvalidity, ==, 0);
      g_assert_null (destination);
    }
  g_assert_cmpuint (pochta_imap_client_get_selected (fixture->client)->exists, ==, 1);
}

static void
test_authenticate (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_base64_encode ((const guchar *)"\0user\0pass word", 15);
  g_autofree char *pattern = g_strdup_printf ("^%s$", expected);

  /* AUTHENTICATE PLAIN without SASL-IR waits for "+", and learns the
   * capabilities again afterwards. */
  pochta_fake_server_send_line (fixture->server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) AUTHENTICATE PLAIN$");
  pochta_fake_server_send_line (fixture->server, "+ ");
  pochta_fake_server_expect_line (fixture->server, pattern);
  pochta_fake_server_send_line (fixture->server, "P1 OK welcome");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) CAPABILITY$");
  pochta_fake_server_send_line (fixture->server, "* CAPABILITY IMAP4rev1 IDLE MOVE");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_set_allow_plaintext_auth (fixture->client, TRUE);
  pochta_imap_client_login_async (fixture->client, "user", "pass word", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_login_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_true (pochta_imap_client_has_capability (fixture->client, POCHTA_IMAP_CAPABILITY_MOVE));
}

static void
test_login_disabled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_fake_server_send_line (fixture->server, "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_set_allow_plaintext_auth (fixture->client, TRUE);
  pochta_imap_client_login_async (fixture->client, "user", "pass", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_login_finish (fixture->client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY);
}

static void
test_login_fallback (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* No AUTH=PLAIN: LOGIN, with the password quoted as needed. */
  pochta_fake_server_send_line (fixture->server, "* OK [CAPABILITY IMAP4rev1] hi");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) LOGIN user \"pass word\"$");
  pochta_fake_server_send_line (fixture->server, "$1 NO [AUTHENTICATIONFAILED] Invalid credentials");
  pochta_fake_server_stall (fixture->server);

  g_assert_true (start (fixture, POCHTA_TLS_MODE_NONE, &error));
  pochta_imap_client_set_allow_plaintext_auth (fixture->client, TRUE);
  pochta_imap_client_login_async (fixture->client, "user", "pass word", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_imap_client_login_finish (fixture->client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_AUTH_FAILED);
  g_assert_cmpstr (error->message, ==, "[AUTHENTICATIONFAILED] Invalid credentials");
}

static void
on_flags_changed (PochtaImapClient      *client,
                  const PochtaImapFetch *fetch,
                  guint                 *count)
{
  g_assert_true (pochta_imap_fetch_has_flag (fetch, "\\Seen"));
  (*count)++;
}

static void
on_expunge (PochtaImapClient *client,
            guint             sequence,
            guint            *count)
{
  g_assert_cmpuint (sequence, ==, 2);
  (*count)++;
}

static void
on_idling (PochtaImapClient *client,
           GParamSpec       *pspec,
           guint            *idles)
{
  gboolean *renewed = g_object_get_data (G_OBJECT (client), "renewed");

  if (pochta_imap_client_is_idling (client))
    (*idles)++;
  *renewed = *idles >= 2;
}

static void
test_idle_updates (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint flags_changed = 0;
  guint expunged = 0;
  guint idles = 0;
  gboolean renewed = FALSE;

  script_select (fixture->server);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) IDLE$");
  pochta_fake_server_send_line (fixture->server, "+ idling");
  pochta_fake_server_send_line (fixture->server, "* 1 FETCH (FLAGS (\\Seen) UID 1)");
  pochta_fake_server_send_line (fixture->server, "* 2 EXPUNGE");
  pochta_fake_server_send_line (fixture->server, "* OK [ALERT] Mind the gap");
  /* The client renews the IDLE by itself after idle-timeout. */
  pochta_fake_server_expect_line (fixture->server, "^DONE$");
  pochta_fake_server_send_line (fixture->server, "P2 OK idle done");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) IDLE$");
  pochta_fake_server_send_line (fixture->server, "+ idling");
  pochta_fake_server_expect_line (fixture->server, "^DONE$");
  pochta_fake_server_send_line (fixture->server, "P3 OK idle done");
  pochta_fake_server_stall (fixture->server);

  start_selected (fixture);
  g_signal_connect (fixture->client, "flags-changed", G_CALLBACK (on_flags_changed), &flags_changed);
  g_signal_connect (fixture->client, "expunge", G_CALLBACK (on_expunge), &expunged);
  g_object_set_data (G_OBJECT (fixture->client), "renewed", &renewed);
  g_signal_connect (fixture->client, "notify::idling", G_CALLBACK (on_idling), &idles);
  pochta_imap_client_set_idle_timeout (fixture->client, 1);

  pochta_imap_client_idle_start_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_idle_start_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Past one renewal: idling again with a new IDLE. */
  pochta_test_wait_until (&renewed, 5000);
  g_assert_cmpuint (flags_changed, ==, 1);
  g_assert_cmpuint (expunged, ==, 1);
  g_assert_cmpuint (pochta_imap_client_get_selected (fixture->client)->exists, ==, 2);
  g_assert_true (pochta_imap_client_is_idling (fixture->client));

  pochta_imap_client_idle_stop_async (fixture->client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  pochta_imap_client_idle_stop_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_false (pochta_imap_client_is_idling (fixture->client));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/core/imap/client-faults/" path, Fixture, NULL, \
                                    fixture_setup, func, fixture_teardown)
  ADD ("malformed", test_malformed);
  ADD ("view-malformed-envelope", test_view_malformed_envelope);
  ADD ("literal-dropped", test_literal_dropped);
  ADD ("literal-over-limit", test_literal_over_limit);
  ADD ("bye-mid-fetch", test_bye_mid_fetch);
  ADD ("unterminated-line", test_unterminated_line);
  ADD ("silence", test_silence);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("starttls-missing", test_starttls_missing);
  ADD ("starttls-injection", test_starttls_injection);
  ADD ("greeting-bye", test_greeting_bye);
  ADD ("pipeline-dropped", test_pipeline_dropped);
  ADD ("tagged-no", test_tagged_no);
  ADD ("unknown-tag", test_unknown_tag);
  ADD ("sync-literal", test_sync_literal);
  ADD ("authenticate-continuation", test_authenticate);
  ADD ("login-disabled", test_login_disabled);
  ADD ("login-fallback", test_login_fallback);
  ADD ("idle-updates-and-renewal", test_idle_updates);
  g_test_add ("/core/imap/client-faults/move-fallback-uidplus", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_move_fallback, fixture_teardown);
  g_test_add ("/core/imap/client-faults/move-fallback-expunge", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_move_fallback, fixture_teardown);
#undef ADD

  return g_test_run ();
}
