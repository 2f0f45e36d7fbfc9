/* test-cli-imap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built pochta-cli against the harness's Dovecot and gnome-keyring,
 * run as a script would run it: XDG dirs in a temporary place, the output
 * read from its pipes, the server checked over a connection of our own.
 */

/* posix_openpt() and friends */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "pochta-test-util.h"

#define CLI_TIMEOUT_MS  120000
#define PEER_TIMEOUT_MS 60000

#define RUN(result, call) \
  G_STMT_START { g_clear_object (&(result)); call; pochta_test_wait_result (&(result), PEER_TIMEOUT_MS); } G_STMT_END

/* Another mail client, logged in to @user over STARTTLS: how the tests
 * see what reached the server. */
static PochtaImapClient *
peer_new (const char *user)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = pochta_connection_new (servers->host, servers->imap_port,
                                                                  POCHTA_TLS_MODE_STARTTLS);
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);

  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  client = pochta_imap_client_new (connection);
  RUN (result, pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_connect_finish (client, result, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_login_async (client, user, password, NULL, pochta_test_store_result, &result));
  pochta_imap_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static void
collect_flags_cb (PochtaImapClient      *client,
                  const PochtaImapFetch *fetch,
                  gpointer               user_data)
{
  guint bits = 0x10000;

  if (pochta_imap_fetch_has_flag (fetch, "\\Seen"))
    bits |= POCHTA_MESSAGE_FLAG_SEEN;
  if (pochta_imap_fetch_has_flag (fetch, "\\Flagged"))
    bits |= POCHTA_MESSAGE_FLAG_FLAGGED;
  if (pochta_imap_fetch_has_flag (fetch, "\\Deleted"))
    bits |= POCHTA_MESSAGE_FLAG_DELETED;

  g_hash_table_insert (user_data, GUINT_TO_POINTER (fetch->uid), GUINT_TO_POINTER (bits));
}

/* UID -> flags (seen, flagged, deleted; | 0x10000 so that 0 is "absent")
 * of @mailbox on the server. */
static GHashTable *
peer_flags (PochtaImapClient *peer,
            const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(GPtrArray) fetched = NULL;
  GHashTable *flags = g_hash_table_new (NULL, NULL);

  RUN (result, pochta_imap_client_select_async (peer, mailbox, POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                                NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (peer, result, &error);
  g_assert_no_error (error);
  if (state->exists == 0)
    return flags;

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  RUN (result, pochta_imap_client_uid_fetch_async (peer, all, "(UID FLAGS)", 0, FALSE, collect_flags_cb,
                                                   flags, NULL, NULL, pochta_test_store_result, &result));
  fetched = pochta_imap_client_uid_fetch_finish (peer, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (flags), ==, state->exists);

  return flags;
}

static void
peer_append (PochtaImapClient *peer,
             const char       *mailbox,
             const char       *subject)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: Peer <peer@example.test>\r\n"
                                           "To: someone@example.test\r\n"
                                           "Subject: %s\r\n"
                                           "Message-ID: <%u.%s@peer.example.test>\r\n"
                                           "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\n"
                                           "Body of %s.\r\n", subject, g_random_int (), mailbox, subject);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  RUN (result, pochta_imap_client_append_async (peer, mailbox, NULL, NULL, bytes, NULL, 0, NULL,
                                                pochta_test_store_result, &result));
  pochta_imap_client_append_finish (peer, result, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
cli_path (void)
{
  return g_build_filename (g_getenv ("POCHTA_BUILD_ROOT"), "src", "cli", "pochta-cli", NULL);
}

static GSubprocess *
cli_spawn (const char * const  *env,
           GSubprocessFlags     flags,
           const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own XDG dirs inside
   * GLib only (the environment says /dev/null), so they are passed on.
   * DBUS_SESSION_BUS_ADDRESS (the harness's gnome-keyring) is inherited;
   * POCHTA_DEBUG is only what a test asks for. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "POCHTA_DEBUG");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  g_ptr_array_add (argv, cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static int
wait_exit (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  g_subprocess_wait_finish (process, result, &error);
  g_assert_no_error (error);

  /* Killed by a signal: minus its number, which no expected status matches. */
  if (!g_subprocess_get_if_exited (process))
    return -g_subprocess_get_term_sig (process);

  return g_subprocess_get_exit_status (process);
}

/* Runs pochta-cli to the end; returns its exit status. */
static int
cli_run_full (const char * const  *env,
              const char          *input,
              char               **out,
              char               **err,
              const char * const  *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args_text = g_strjoinv (" ", (char **) args);
  char *stdout_text = NULL;
  char *stderr_text = NULL;
  int status;

  process = cli_spawn (env, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  g_subprocess_communicate_utf8_finish (process, result, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  status = wait_exit (process);

  g_test_message ("pochta-cli %s => %d\n--- stdout:\n%s--- stderr:\n%s", args_text, status,
                  stdout_text, stderr_text);

  if (out != NULL)
    *out = stdout_text;
  else
    g_free (stdout_text);
  if (err != NULL)
    *err = stderr_text;
  else
    g_free (stderr_text);

  return status;
}

#define CLI(out, err, ...) \
  cli_run_full (NULL, NULL, (out), (err), (const char * const []) { __VA_ARGS__, NULL })
#define CLI_IN(input, out, err, ...) \
  cli_run_full (NULL, (input), (out), (err), (const char * const []) { __VA_ARGS__, NULL })

/* Exit 0 and nothing on stderr. */
#define CLI_OK(out, ...) \
  G_STMT_START { \
    g_autofree char *err_ = NULL; \
    g_assert_cmpint (CLI ((out), &err_, __VA_ARGS__), ==, 0); \
    g_assert_cmpstr (err_, ==, ""); \
  } G_STMT_END

static void
assert_one_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "pochta-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static char *
address_of (const char *user)
{
  return g_strdup_printf ("%s@%s", user, pochta_test_servers_get ()->mail_domain);
}

static char *
fresh_user (const char *name,
            guint       count)
{
  g_autoptr(GError) error = NULL;

  pochta_test_servers_get ();
  pochta_test_servers_add_user (name, count, &error);
  g_assert_no_error (error);

  return g_strdup (name);
}

/* `account add` for @user over STARTTLS with the harness certificate
 * pinned; extra options after the defaults. */
static int
add_account (const char  *user,
             const char  *password,
             const char  *pin,
             char       **err)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", user, servers->mail_domain);
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *smtp = g_strdup_printf ("%s:%u", servers->host, servers->submission_port);
  g_autofree char *input = g_strdup_printf ("%s\n", password);

  return CLI_IN (input, NULL, err, "account", "add", user, "--address", address, "--name", "CLI Tester",
                 "--imap", imap, "--imap-tls", "starttls", "--user", user, "--smtp", smtp,
                 "--smtp-tls", "starttls", "--accept-certificate", pin, "--password-stdin",
                 "--body-days", "0");
}

static void
add_good_account (const char *user)
{
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *err = NULL;
  /* Lower case without colons: the CLI normalises what people paste. */
  g_autofree char *pin = g_ascii_strdown (pochta_test_servers_get ()->cert_sha256, -1);

  g_strdelimit (pin, ":", ' ');
  {
    g_auto(GStrv) parts = g_strsplit (pin, " ", -1);

    g_free (pin);
    pin = g_strjoinv ("", parts);
  }

  g_assert_cmpint (add_account (user, password, pin, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* Rows of tab-separated output (stdout is a pipe here). */
static GPtrArray *
rows_of (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));

  return rows;
}

static char **
find_row (GPtrArray  *rows,
          guint       column,
          const char *value)
{
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_strv_length (row) > column && g_strcmp0 (g_strstrip (row[column]), value) == 0)
        return row;
    }

  return NULL;
}

/* The account's id, from the cache the CLI wrote (for keyring lookups). */
static char *
account_uuid (const char *name)
{
  g_autofree char *path = pochta_store_get_default_path ();
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = pochta_sqlite_prepare (db, "SELECT uuid FROM accounts WHERE display_name = ?1", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_text (stmt, 1, name);
  if (pochta_sqlite_step (db, stmt, &error) != SQLITE_ROW)
    return NULL;

  return pochta_sqlite_column_dup_text (stmt, 0);
}

static char *
keyring_password (const char *uuid,
                  const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;
  char *copy;

  pochta_secret_lookup_async (uuid, POCHTA_SERVER_PROTOCOL_IMAP, pochta_test_servers_get ()->host, user,
                              NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, PEER_TIMEOUT_MS);
  password = pochta_secret_lookup_finish (result, &error);
  if (g_error_matches (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD))
    return NULL;
  g_assert_no_error (error);

  /* libsecret's memory is its own: copy, then free it its way. */
  copy = g_strdup (password);
  pochta_secret_password_free (password);

  return copy;
}

static void
test_account_commands (void)
{
  g_autofree char *user = fresh_user ("cliaccount", 3);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expected_server = NULL;
  g_autofree char *address = address_of (user);
  g_autoptr(GPtrArray) rows = NULL;
  char **row;

  g_test_summary ("account add saves the account and puts the password in the keyring; list shows it; "
                  "remove deletes both; a second account of the same name is refused");

  add_good_account (user);

  uuid = account_uuid (user);
  g_assert_nonnull (uuid);
  stored = keyring_password (uuid, user);
  g_assert_cmpstr (stored, ==, password);

  CLI_OK (&out, "account", "list");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 1);
  row = find_row (rows, 0, user);
  g_assert_nonnull (row);
  g_assert_cmpuint (g_strv_length (row), ==, 4);
  g_assert_cmpstr (row[1], ==, address);
  expected_server = g_strdup_printf ("%s:%u", pochta_test_servers_get ()->host, pochta_test_servers_get ()->imap_port);
  g_assert_cmpstr (row[2], ==, expected_server);
  g_assert_cmpstr (row[3], ==, "offline");

  /* The same name again: refused, and the first is untouched. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_account (user, password, pochta_test_servers_get ()->cert_sha256, &err), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "already"));

  /* By address works as well as by name. */
  CLI_OK (NULL, "account", "remove", address);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "account", "list");
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&stored, g_free);
  stored = keyring_password (uuid, user);
  g_assert_null (stored);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "account", "remove", user), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, user));
}

static void
test_insecure_refused (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_test_summary ("A password over a connection without TLS is refused unless --insecure says so");

  g_assert_cmpint (CLI_IN ("secret\n", NULL, &err, "account", "add", "Plain", "--address", "p@example.test",
                           "--imap", imap, "--imap-tls", "none", "--smtp", imap, "--smtp-tls", "starttls",
                           "--password-stdin"), ==, 2);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "--insecure"));
  g_assert_nonnull (strstr (err, "unencrypted"));

  CLI_OK (&out, "account", "list");
  g_assert_cmpstr (out, ==, "");

  g_assert_cmpint (CLI_IN ("secret\n", NULL, NULL, "account", "add", "Plain", "--address", "p@example.test",
                           "--imap", imap, "--imap-tls", "none", "--smtp", imap, "--smtp-tls", "none",
                           "--insecure", "--password-stdin"), ==, 0);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "account", "list");
  g_assert_true (g_str_has_prefix (out, "Plain\tp@example.test\t"));
}

static guint
count_unread (GHashTable *flags)
{
  GHashTableIter iter;
  gpointer bits;
  guint unread = 0;

  g_hash_table_iter_init (&iter, flags);
  while (g_hash_table_iter_next (&iter, NULL, &bits))
    if ((GPOINTER_TO_UINT (bits) & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0)
      unread++;

  return unread;
}

/* The UID of a message the CLI listed, from the cache it wrote. */
static guint32
uid_of (const char *message_id)
{
  g_autofree char *path = pochta_store_get_default_path ();
  g_autofree char *sql = g_strdup_printf ("SELECT uid FROM messages WHERE id = %s", message_id);
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 uid = 0;

  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  pochta_sqlite_query_int64 (db, sql, &uid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (uid, >, 0);

  return uid;
}

static void
test_sync_and_read (void)
{
  g_autofree char *user = fresh_user ("clisync", 5);
  g_autoptr(PochtaImapClient) peer = peer_new (user);
  g_autoptr(GHashTable) flags = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *alpha_id = NULL;
  static const char * const subjects[] = { "CLI test alpha", "CLI test beta", "CLI test gamma" };
  static const char * const special[][2] = {
    { "Drafts", "drafts" }, { "Sent", "sent" }, { "Trash", "trash" }, { "Junk", "junk" }, { "Archive", "archive" },
  };
  char **row;

  g_test_summary ("sync fills the cache; folders, list and show print what the server holds");

  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    peer_append (peer, "INBOX", subjects[i]);
  flags = peer_flags (peer, "INBOX");
  g_assert_cmpuint (g_hash_table_size (flags), ==, 8);

  add_good_account (user);
  CLI_OK (&out, "sync", user);
  /* Quiet when stdout and stderr are not a terminal. */
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "folders", user);
  rows = rows_of (out);
  row = find_row (rows, 0, "INBOX");
  g_assert_nonnull (row);
  counts = g_strdup_printf ("%u/%u", count_unread (flags), g_hash_table_size (flags));
  g_assert_cmpstr (row[1], ==, "inbox");
  g_assert_cmpstr (row[2], ==, counts);
  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    {
      row = find_row (rows, 0, special[i][0]);
      g_assert_nonnull (row);
      g_assert_cmpstr (row[1], ==, special[i][1]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 8);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    {
      row = find_row (rows, 4, subjects[i]);
      g_assert_nonnull (row);
      /* Appended without \Seen: new, not flagged, no attachment. */
      g_assert_cmpstr (row[1], ==, "N--");
      g_assert_cmpstr (row[3], ==, "Peer <peer@example.test>");
      if (i == 0)
        alpha_id = g_strdup (row[0]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Newest first: the three appended just now lead. */
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX", "--account", user, "--limit", "2");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (g_str_has_prefix (((char **) g_ptr_array_index (rows, i))[4], "CLI test "));
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX", "--unread");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, count_unread (flags));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* body-days 0: show fetches the body now. */
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "show", alpha_id);
  g_assert_nonnull (strstr (out, "From: Peer <peer@example.test>\n"));
  g_assert_nonnull (strstr (out, "Subject: CLI test alpha\n"));
  g_assert_nonnull (strstr (out, "\n\nBody of CLI test alpha.\n"));
  /* Showing is not reading. */
  g_clear_pointer (&flags, g_hash_table_unref);
  flags = peer_flags (peer, "INBOX");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (flags, GUINT_TO_POINTER (uid_of (alpha_id))))
                    & POCHTA_MESSAGE_FLAG_SEEN, ==, 0);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "show", "999999"), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "999999"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "list", "No Such Folder"), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "No Such Folder"));
}

static guint32
server_flags_of (PochtaImapClient *peer,
                 const char       *mailbox,
                 guint32           uid)
{
  g_autoptr(GHashTable) flags = peer_flags (peer, mailbox);

  return GPOINTER_TO_UINT (g_hash_table_lookup (flags, GUINT_TO_POINTER (uid)));
}

static guint
server_count (PochtaImapClient *peer,
              const char       *mailbox)
{
  g_autoptr(GHashTable) flags = peer_flags (peer, mailbox);

  return g_hash_table_size (flags);
}

static void
test_actions (void)
{
  g_autofree char *user = fresh_user ("cliactions", 6);
  g_autoptr(PochtaImapClient) peer = peer_new (user);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ids[4] = { NULL };
  guint32 uids[4];
  guint32 bits;

  g_test_summary ("mark, move and delete change the cache, queue, and reach the server; --offline only "
                  "queues, pending lists it and the next sync sends it");

  add_good_account (user);
  CLI_OK (NULL, "sync", user);
  CLI_OK (&out, "list", "INBOX");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      ids[i] = g_strdup (((char **) g_ptr_array_index (rows, i))[0]);
      uids[i] = uid_of (ids[i]);
    }

  CLI_OK (NULL, "mark", ids[0], "--read", "--flag");
  bits = server_flags_of (peer, "INBOX", uids[0]);
  g_assert_cmpuint (bits & POCHTA_MESSAGE_FLAG_SEEN, !=, 0);
  g_assert_cmpuint (bits & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);

  CLI_OK (NULL, "move", ids[1], "--to", "Archive");
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[1]), ==, 0);
  g_assert_cmpuint (server_count (peer, "Archive"), ==, 1);

  CLI_OK (NULL, "delete", ids[2]);
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[2]), ==, 0);
  g_assert_cmpuint (server_count (peer, "Trash"), ==, 1);
  g_assert_cmpuint (server_count (peer, "INBOX"), ==, 4);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending", user);
  g_assert_cmpstr (out, ==, "");

  /* Only queued: the cache shows it at once, the server not yet. */
  CLI_OK (NULL, "mark", ids[3], "--flag", "--offline");
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, user);
  g_assert_cmpuint (strlen (((char **) g_ptr_array_index (rows, 0))[2]), >, 0);
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[3]) & POCHTA_MESSAGE_FLAG_FLAGGED, ==, 0);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (out);
  g_assert_cmpstr (find_row (rows, 0, ids[3])[1] + 1, ==, "*-");

  CLI_OK (NULL, "sync", user);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending");
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[3]) & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);
}

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
  g_autoptr(PochtaImapClient) peer = peer_new (user);
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

  g_test_add_func ("/cli/imap/account-commands", test_account_commands);
  g_test_add_func ("/cli/imap/insecure-refused", test_insecure_refused);
  g_test_add_func ("/cli/imap/sync-and-read", test_sync_and_read);
  g_test_add_func ("/cli/imap/actions", test_actions);
  g_test_add_func ("/cli/imap/wrong-password", test_wrong_password);
  g_test_add_func ("/cli/imap/wrong-certificate", test_wrong_certificate);
  g_test_add_func ("/cli/imap/show-unreachable", test_show_unreachable);
  g_test_add_func ("/cli/imap/idle", test_idle);
  g_test_add_func ("/cli/imap/progress-on-terminal", test_progress_on_terminal);

  return g_test_run ();
}
