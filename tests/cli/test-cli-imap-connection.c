/* test-cli-imap-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built pochta-cli and its connections: a wrong password (one login,
 * then none), a certificate that is not the pinned one, a server that is
 * not there, `sync --idle`, and the progress line on a terminal.
 */

/* posix_openpt() and friends */
#define _GNU_SOURCE

#include "config.h"

#include "cli-imap-test-util.h"

static guint
count_logins (const char *trace)
{
  g_auto(GStrv) lines = g_strsplit (trace, "\n", -1);
  guint logins = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *sent = strstr (lines[i], "C: ");
      g_auto(GStrv) words = NULL;

      if (sent == NULL)
        continue;
      words = g_strsplit (sent + 3, " ", 3);
      if (words[0] != NULL && words[1] != NULL &&
          (g_ascii_strcasecmp (words[1], "LOGIN") == 0 || g_ascii_strcasecmp (words[1], "AUTHENTICATE") == 0))
        logins++;
    }

  return logins;
}

static guint
count_error_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "pochta-cli: "))
      n++;

  return n;
}

static void
test_wrong_password (void)
{
  g_autofree char *user = fresh_user ("cliwrongpw", 2);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *pin = g_strdup (pochta_test_servers_get ()->cert_sha256);
  g_autofree char *err = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *lower = NULL;
  const char *env[] = { "POCHTA_DEBUG", "imap", NULL };

  g_test_summary ("A wrong password fails the sync with one line, after exactly one login attempt");

  g_assert_cmpint (add_account (user, "not-the-password", pin, &err), ==, 0);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "sync", user), ==, 1);
  assert_one_line (err);
  lower = g_utf8_strdown (err, -1);
  g_assert_nonnull (strstr (lower, "login failed"));
  /* The server's own words are kept. */
  g_assert_nonnull (strstr (lower, "authentication failed"));
  g_assert_nonnull (strstr (err, "pochta-cli account password"));

  g_assert_cmpint (cli_run_full (env, NULL, NULL, &trace, (const char * const []) { "sync", user, NULL }), ==, 1);
  g_assert_cmpuint (count_logins (trace), ==, 1);
  /* Among the trace lines, still one error line. */
  g_assert_cmpuint (count_error_lines (trace), ==, 1);
  /* The trace never shows the password. */
  g_assert_null (strstr (trace, "not-the-password"));

  /* The fix the message names works. */
  {
    g_autofree char *input = g_strdup_printf ("%s\n", password);

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (CLI_IN (input, NULL, &err, "account", "password", user), ==, 0);
    g_assert_cmpstr (err, ==, "");
    CLI_OK (NULL, "sync", user);
  }
}

static void
test_wrong_certificate (void)
{
  g_autofree char *user = fresh_user ("cliwrongcert", 2);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *err = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *expected = g_ascii_strup (pochta_test_servers_get ()->cert_sha256, -1);

  g_test_summary ("A pinned fingerprint that is not the server's fails the sync naming the server's");

  g_assert_cmpint (add_account (user, password, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                                &err), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "sync", user), ==, 1);
  assert_one_line (err);
  upper = g_ascii_strup (err, -1);
  g_assert_nonnull (strstr (upper, expected));
  g_assert_nonnull (strstr (err, "certificate"));
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

static void
test_show_unreachable (void)
{
  g_autofree char *user = fresh_user ("clishowoffline", 2);
  g_autofree char *path = pochta_store_get_default_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("show of a message not downloaded, with the server unreachable, says so in one line");

  add_good_account (user);
  CLI_OK (NULL, "sync", user);
  CLI_OK (&out, "list", "INBOX");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 2);

  /* The server moves away: nothing listens where the account points. */
  {
    g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    sql = g_strdup_printf ("UPDATE accounts SET incoming_port = %u", closed_port ());
    pochta_sqlite_exec (db, sql, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (CLI (NULL, &err, "show", ((char **) g_ptr_array_index (rows, 0))[0]), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "not downloaded"));
}

static gint64
inbox_total (const char *path)
{
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return -1;
  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  if (db == NULL ||
      !pochta_sqlite_query_int64 (db, "SELECT coalesce (max (total_count), -1) FROM folders WHERE role = 1",
                                  &total, NULL))
    return -1;

  return total;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_inbox_total (const char *path,
                  gint64      total)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (inbox_total (path) != total)
    {
      gboolean waited = FALSE;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_timeout_add (100, timeout_cb, &waited);
      pochta_test_wait_until (&waited, 1000);
    }
}

static void
test_idle (void)
{
  g_autofree char *user = fresh_user ("cliidle", 3);
  g_autoptr(PochtaImapClient) peer = pochta_test_imap_peer (user);
  g_autofree char *path = pochta_store_get_default_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_test_summary ("sync --idle prints a line per new message as it arrives and exits 0 on SIGTERM");

  add_good_account (user);
  process = cli_spawn (NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE, (const char * const []) { "sync", user, "--idle", NULL });
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* The first pass is over once the Inbox is in the cache. Mail that
   * arrives before IDLE is in place is found by the next sync or poll,
   * which may be minutes away; so a message goes in every few seconds
   * until one is announced, and the first line must be about one of them. */
  wait_inbox_total (path, 3);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, pochta_test_store_result, &result);
  for (guint sent = 0; result == NULL; sent++)
    {
      g_autofree char *subject = g_strdup_printf ("CLI idle news %u", sent);
      gint64 next = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_assert_cmpuint (sent, <, 20);
      peer_append (peer, "INBOX", subject);
      while (result == NULL && g_get_monotonic_time () < next)
        {
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (10000);
        }
    }

  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("idle: %s", line);

  g_assert_true (g_str_has_prefix (line, "new:\tINBOX\t"));
  g_assert_nonnull (strstr (line, "\tCLI idle news "));

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_cmpint (wait_exit (process), ==, 0);
}

typedef struct
{
  GInputStream *stream;
  GString      *text;
  gboolean      done;
} PtyReader;

static void
pty_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PtyReader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (reader->stream, result, NULL);

  /* EOF, or EIO once the last holder of the terminal's other end is gone. */
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      reader->done = TRUE;
      return;
    }

  g_string_append_len (reader->text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (reader->stream, 4096, G_PRIORITY_DEFAULT, NULL, pty_read_cb, reader);
}

static void
test_progress_on_terminal (void)
{
  g_autofree char *user = fresh_user ("cliprogress", 30);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = cli_path ();
  g_autofree char *name = NULL;
  PtyReader reader = { NULL, g_string_new (NULL), FALSE };
  int master, slave;

  g_test_summary ("On a terminal, sync shows a progress line on stderr and clears it at the end");

  add_good_account (user);

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  name = g_strdup (ptsname (master));
  slave = open (name, O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  process = g_subprocess_launcher_spawn (launcher, &error, program, "sync", user, NULL);
  g_assert_no_error (error);
  /* The child holds the only other end now. */
  g_clear_object (&launcher);

  reader.stream = g_unix_input_stream_new (master, TRUE);
  g_input_stream_read_bytes_async (reader.stream, 4096, G_PRIORITY_DEFAULT, NULL, pty_read_cb, &reader);

  g_assert_cmpint (wait_exit (process), ==, 0);
  pochta_test_wait_until (&reader.done, CLI_TIMEOUT_MS);
  g_test_message ("terminal: %s", reader.text->str);

  {
    g_autofree char *syncing = g_strdup_printf ("\r\033[KSyncing %s", user);

    g_assert_nonnull (strstr (reader.text->str, syncing));
    /* Nothing else, and the line is wiped at the end. */
    g_assert_null (strstr (reader.text->str, "pochta-cli:"));
    g_assert_true (g_str_has_suffix (reader.text->str, "\r\033[K"));
  }

  g_object_unref (reader.stream);
  g_string_free (reader.text, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/imap/wrong-password", test_wrong_password);
  g_test_add_func ("/cli/imap/wrong-certificate", test_wrong_certificate);
  g_test_add_func ("/cli/imap/show-unreachable", test_show_unreachable);
  g_test_add_func ("/cli/imap/idle", test_idle);
  g_test_add_func ("/cli/imap/progress-on-terminal", test_progress_on_terminal);

  return g_test_run ();
}
