/* test-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords against the harness's real gnome-keyring, checked from outside with secret-tool.
 */

#include "config.h"

#include <string.h>

#include "pochta-test-util.h"

#define WAIT_MS 15000

/* Every log line of the run, to prove no password ever reaches one. */
static GString *log_text;

static GLogWriterOutput
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static const char *
host (void)
{
  return pochta_test_servers_get ()->host;
}

static void
store_sync (const char           *account_id,
            PochtaServerProtocol  protocol,
            const char           *server_host,
            const char           *user,
            const char           *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_secret_store_async (account_id, protocol, server_host, user, password, NULL,
                             pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_secret_store_finish (result, &error));
  g_assert_no_error (error);
}

static char *
lookup_sync (const char            *account_id,
             PochtaServerProtocol   protocol,
             const char            *server_host,
             const char            *user,
             GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_secret_lookup_async (account_id, protocol, server_host, user, NULL,
                              pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_secret_lookup_finish (result, error);
}

static void
assert_password (const char           *account_id,
                 PochtaServerProtocol  protocol,
                 const char           *server_host,
                 const char           *user,
                 const char           *expected)
{
  g_autoptr(GError) error = NULL;
  char *password = lookup_sync (account_id, protocol, server_host, user, &error);

  if (expected == NULL)
    {
      g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD);
      g_assert_null (password);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpstr (password, ==, expected);
    }

  pochta_secret_password_free (password);
}

static gboolean
clear_sync (const char           *account_id,
            PochtaServerProtocol  protocol,
            const char           *server_host,
            const char           *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;

  pochta_secret_clear_async (account_id, protocol, server_host, user, NULL,
                             pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_secret_clear_finish (result, &removed, &error));
  g_assert_no_error (error);

  return removed;
}

static gboolean
clear_all_sync (const char *account_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;

  pochta_secret_clear_all_async (account_id, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_secret_clear_all_finish (result, &removed, &error));
  g_assert_no_error (error);

  return removed;
}

static void
test_round_trip (void)
{
  g_autofree char *id = g_uuid_string_random ();

  store_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "first-Secret");
  assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "first-Secret");

  /* Storing again replaces; it never adds a second item. */
  store_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "second-Secret");
  assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "second-Secret");

  g_assert_true (clear_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice"));
  assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", NULL);

  /* Clearing what is not there is not an error. */
  g_assert_false (clear_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice"));

  g_assert_null (strstr (log_text->str, "first-Secret"));
  g_assert_null (strstr (log_text->str, "second-Secret"));
}

static void
test_missing (void)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  char *password;

  password = lookup_sync (id, POCHTA_SERVER_PROTOCOL_SMTP, "smtp.example.org", "nobody", &error);
  g_assert_null (password);
  g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_assert_nonnull (strstr (error->message, "smtp.example.org"));
}

static void
test_kept_apart (void)
{
  g_autofree char *id_a = g_uuid_string_random ();
  g_autofree char *id_b = g_uuid_string_random ();

  /* Same host and user in two accounts (say, two profiles of one server),
   * and one account's IMAP and SMTP passwords. */
  store_sync (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "a-imap");
  store_sync (id_b, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "b-imap");
  store_sync (id_a, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", "a-smtp");

  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "a-imap");
  assert_password (id_b, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "b-imap");
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", "a-smtp");
  assert_password (id_b, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", NULL);
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "bob", NULL);
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, "localhost", "alice", NULL);

  g_assert_true (clear_sync (id_b, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice"));
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "a-imap");

  clear_all_sync (id_a);
}

static void
test_clear_all (void)
{
  g_autofree char *id_a = g_uuid_string_random ();
  g_autofree char *id_b = g_uuid_string_random ();

  store_sync (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "1");
  store_sync (id_a, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", "2");
  /* Left behind by an earlier host name: removal must catch it too. */
  store_sync (id_a, POCHTA_SERVER_PROTOCOL_IMAP, "old.example.org", "alice", "3");
  store_sync (id_b, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "4");

  g_assert_true (clear_all_sync (id_a));

  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", NULL);
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", NULL);
  assert_password (id_a, POCHTA_SERVER_PROTOCOL_IMAP, "old.example.org", "alice", NULL);
  assert_password (id_b, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "4");

  g_assert_false (clear_all_sync (id_a));
  g_assert_true (clear_all_sync (id_b));
}

static void
test_unicode (void)
{
  static const char *passwords[] = {
    "пароль-Ёж",
    "contraseña ñ 密码 🔑",
    "quotes \" ' \\ and spaces  ",
    "=?utf-8?q?not-a-header?=",
  };
  g_autofree char *id = g_uuid_string_random ();

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      store_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, "почта.рф", "алиса", passwords[i]);
      assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, "почта.рф", "алиса", passwords[i]);
    }

  clear_all_sync (id);
}

static void
test_secret_tool_sees_schema (void)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected_label = NULL;
  g_autofree char *expected_id = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = {
    "secret-tool", "search", "--all", POCHTA_SECRET_ATTRIBUTE_ACCOUNT, id, NULL
  };

  store_sync (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "tool-Secret");

  /* The child inherits DBUS_SESSION_BUS_ADDRESS of the harness's keyring. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  g_test_message ("secret-tool stdout:\n%s\nstderr:\n%s", out, err);

  /* secret-tool prints attributes on stderr and the rest on stdout; what
   * matters is that an outside tool sees our schema and attributes. */
  {
    g_autofree char *all = g_strconcat (out, "\n", err, NULL);

    expected_label = g_strdup_printf ("label = Pochta password for alice@%s (IMAP)", host ());
    expected_id = g_strdup_printf ("attribute.account-id = %s", id);

    g_assert_nonnull (strstr (all, expected_label));
    g_assert_nonnull (strstr (all, "schema = " POCHTA_SECRET_SCHEMA_NAME));
    g_assert_nonnull (strstr (all, expected_id));
    g_assert_nonnull (strstr (all, "attribute.protocol = imap"));
    g_assert_nonnull (strstr (all, "attribute.user = alice"));
    g_assert_nonnull (strstr (all, "secret = tool-Secret"));
  }

  {
    g_autofree char *attr_host = g_strdup_printf ("attribute.host = %s", host ());
    g_autofree char *all = g_strconcat (out, "\n", err, NULL);

    g_assert_nonnull (strstr (all, attr_host));
  }

  clear_all_sync (id);
}

static void
test_cancelled (void)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  pochta_secret_lookup_async (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", cancellable,
                              pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_null (pochta_secret_lookup_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
count_signal (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_account_passwords (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Harness");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaServerConfig *incoming = pochta_account_get_incoming (account);
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);
  const char *id = pochta_account_get_id (account);
  guint retries = 0;
  char *password;

  pochta_server_config_set_host (incoming, host ());
  pochta_server_config_set_user_name (incoming, "alice");
  pochta_server_config_set_host (outgoing, host ());
  pochta_server_config_set_user_name (outgoing, "alice");
  g_signal_connect_swapped (account, "retry-requested", G_CALLBACK (count_signal), &retries);

  /* No password yet: the session shows "needs password" instead of failing. */
  pochta_account_lookup_password_async (account, NULL, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  password = pochta_account_lookup_password_finish (account, result, &error);
  g_assert_null (password);
  g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD);
  g_clear_error (&error);
  g_clear_object (&result);
  pochta_account_report_needs_password (account, NULL);
  g_assert_false (pochta_account_can_attempt_login (account));

  /* One password for both servers, as a setup dialog asks for it. */
  pochta_account_set_password_async (account, NULL, "both-Secret", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_account_set_password_finish (account, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (pochta_account_can_attempt_login (account));
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_OFFLINE);
  g_assert_cmpuint (retries, ==, 1);
  assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", "both-Secret");
  assert_password (id, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", "both-Secret");

  /* The server says no; a new SMTP password alone lifts the block. */
  pochta_account_report_auth_failure (account, outgoing, NULL);
  pochta_account_set_password_async (account, pochta_account_get_failed_server (account), "smtp-Secret",
                                     NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_account_set_password_finish (account, result, &error));
  g_clear_object (&result);
  g_assert_true (pochta_account_can_attempt_login (account));
  g_assert_cmpuint (retries, ==, 2);

  pochta_account_lookup_password_async (account, outgoing, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  password = pochta_account_lookup_password_finish (account, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "smtp-Secret");
  pochta_secret_password_free (password);
  g_clear_object (&result);

  /* A password while healthy is saved without disturbing the state. */
  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_ONLINE);
  pochta_account_set_password_async (account, incoming, "new-Secret", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_account_set_password_finish (account, result, &error));
  g_clear_object (&result);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_ONLINE);
  g_assert_cmpuint (retries, ==, 2);

  /* Removing the account forgets everything it stored. */
  pochta_account_forget_passwords_async (account, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_true (pochta_account_forget_passwords_finish (account, result, &error));
  g_assert_no_error (error);
  assert_password (id, POCHTA_SERVER_PROTOCOL_IMAP, host (), "alice", NULL);
  assert_password (id, POCHTA_SERVER_PROTOCOL_SMTP, host (), "alice", NULL);

  g_assert_null (strstr (log_text->str, "both-Secret"));
  g_assert_null (strstr (log_text->str, "smtp-Secret"));
  g_assert_null (strstr (log_text->str, "new-Secret"));
}

static void
test_account_password_needs_server (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Unfinished");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_account_set_password_async (account, NULL, "x", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  g_assert_false (pochta_account_set_password_finish (account, result, &error));
  g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: it points DBUS_SESSION_BUS_ADDRESS at the harness's keyring
   * before libsecret connects to anything. */
  pochta_test_servers_get ();

  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  /* Debug lines on stdout would be read as broken TAP. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_test_add_func ("/core/account/secret/round-trip", test_round_trip);
  g_test_add_func ("/core/account/secret/missing", test_missing);
  g_test_add_func ("/core/account/secret/kept-apart", test_kept_apart);
  g_test_add_func ("/core/account/secret/clear-all", test_clear_all);
  g_test_add_func ("/core/account/secret/unicode", test_unicode);
  g_test_add_func ("/core/account/secret/secret-tool", test_secret_tool_sees_schema);
  g_test_add_func ("/core/account/secret/cancelled", test_cancelled);
  g_test_add_func ("/core/account/secret/account-passwords", test_account_passwords);
  g_test_add_func ("/core/account/secret/account-password-needs-server", test_account_password_needs_server);

  return g_test_run ();
}
