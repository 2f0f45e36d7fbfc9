/* test-cli-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crash safety: `pochta-cli sync` killed with SIGKILL in the middle of a
 * 10,000-message sync leaves a sound cache, and the next run completes it
 * so that the cache equals the server.
 */

#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include <glib/gstdio.h>

#include "pochta-test-util.h"

#define USER            "crash10k"
#define N_MESSAGES      10000
/* "Some thousands" of rows in, but not all of them. */
#define KILL_AT_ROWS    3000
#define MAX_ATTEMPTS    5
#define CLI_TIMEOUT_MS  (5 * 60 * 1000)
#define PEER_TIMEOUT_MS 60000

/* --- pochta-cli as a child ------------------------------------------------ */

static GSubprocess *
cli_spawn (GSubprocessFlags    flags,
           const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* G_TEST_OPTION_ISOLATE_DIRS moves the XDG dirs inside GLib only, so
   * they are passed on; DBUS_SESSION_BUS_ADDRESS (the harness keyring)
   * is inherited. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "POCHTA_DEBUG");

  g_ptr_array_add (argv, g_build_filename (g_getenv ("POCHTA_BUILD_ROOT"), "src", "cli", "pochta-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

/* Exit status, or minus the signal that ended it. */
static int
exit_status (GSubprocess *process)
{
  if (!g_subprocess_get_if_exited (process))
    return -g_subprocess_get_term_sig (process);

  return g_subprocess_get_exit_status (process);
}

static int
cli_run (const char          *input,
         char               **err,
         const char * const  *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args_text = g_strjoinv (" ", (char **) args);
  g_autofree char *stdout_text = NULL;
  char *stderr_text = NULL;
  int status;

  process = cli_spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                       G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  g_subprocess_communicate_utf8_finish (process, result, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_subprocess_wait_async (process, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  status = exit_status (process);

  g_test_message ("pochta-cli %s => %d\n--- stderr:\n%s", args_text, status, stderr_text);
  if (err != NULL)
    *err = stderr_text;
  else
    g_free (stderr_text);

  return status;
}

#define CLI(input, err, ...) cli_run ((input), (err), (const char * const []) { __VA_ARGS__, NULL })

static void
add_account (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", USER, servers->mail_domain);
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *password = pochta_test_servers_password (USER);
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (input, &err, "account", "add", USER, "--address", address,
                        "--imap", imap, "--imap-tls", "starttls", "--user", USER,
                        "--accept-certificate", servers->cert_sha256,
                        "--body-days", "0", "--password-stdin"), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* A fresh profile for another attempt: the cache and the config go. */
static void
reset_profile (void)
{
  g_autofree char *data = pochta_profile_get_data_dir ();
  g_autofree char *config = pochta_profile_get_config_dir ();
  const char *dirs[] = { data, config };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dirs[i], name, NULL);

          g_assert_cmpint (g_remove (path), ==, 0);
        }
    }
}

/* --- the cache, read as SQLite ------------------------------------------- */

static sqlite3 *
cache_open (int flags)
{
  g_autofree char *path = pochta_store_get_default_path ();
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  return db;
}

/* The first column of the first row of @sql as an integer, or -1 when
 * the statement fails (no table yet while the child creates the cache). */
static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gint64
count_rows_now (void)
{
  sqlite3 *db = cache_open (SQLITE_OPEN_READONLY);
  gint64 rows;

  if (db == NULL)
    return -1;
  rows = query_int (db, "SELECT count(*) FROM messages");
  sqlite3_close (db);

  return rows;
}

/* What every state of the cache must satisfy, crash or not. */
static void
assert_cache_sound (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT folder_id, uid FROM messages "
                                  "GROUP BY folder_id, uid HAVING count(*) > 1)"), ==, 0);
  /* The counters kept by triggers agree with the rows. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM folders f WHERE total_count != "
                                  "(SELECT count(*) FROM messages m WHERE m.folder_id = f.id)"), ==, 0);
  /* The FTS index is in step with what it indexes. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages"), ==,
                   query_int (db, "SELECT count(*) FROM messages_fts"));
}

/* --- the server, seen by another client ----------------------------------- */

#define RUN(result, call) \
  G_STMT_START { g_clear_object (&(result)); call; pochta_test_wait_result (&(result), PEER_TIMEOUT_MS); } G_STMT_END

static PochtaImapSequenceSet *
peer_uids (PochtaImapClient *peer,
           const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  PochtaImapSequenceSet *uids;

  RUN (result, pochta_imap_client_select_async (peer, mailbox, POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                                NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (peer, result, &error);
  g_assert_no_error (error);

  RUN (result, pochta_imap_client_uid_search_async (peer, "ALL", NULL, pochta_test_store_result, &result));
  uids = pochta_imap_client_uid_search_finish (peer, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uids);

  return uids;
}

static guint32
peer_status_messages (PochtaImapClient *peer,
                      const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapMailboxStatus *status;
  guint32 messages;

  RUN (result, pochta_imap_client_status_async (peer, mailbox, POCHTA_IMAP_STATUS_ITEM_MESSAGES, NULL,
                                                pochta_test_store_result, &result));
  status = pochta_imap_client_status_finish (peer, result, &error);
  g_assert_no_error (error);
  g_assert_true (status->present & POCHTA_IMAP_STATUS_ITEM_MESSAGES);
  messages = status->messages;
  pochta_imap_mailbox_status_free (status);

  return messages;
}

/* --- the test ------------------------------------------------------------- */

/* Starts a sync and kills it once KILL_AT_ROWS rows are in. Returns the
 * rows the cache held just after the kill, or -1 when the sync ended on
 * its own before that (then the caller tries again). */
static gint64
sync_and_kill (void)
{
  g_autoptr(GSubprocess) process = cli_spawn (G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                              (const char * const []) { "sync", NULL });
  g_autoptr(GAsyncResult) exited = NULL;
  gint64 deadline = g_get_monotonic_time () + CLI_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  gint64 rows = -1;

  g_subprocess_wait_async (process, NULL, pochta_test_store_result, &exited);

  /* Polling a reader while the child writes is itself part of the test:
   * WAL readers never block it. */
  while (exited == NULL)
    {
      rows = count_rows_now ();
      if (rows >= KILL_AT_ROWS)
        {
          g_subprocess_force_exit (process);
          break;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  pochta_test_wait_result (&exited, CLI_TIMEOUT_MS);
  if (exit_status (process) != -SIGKILL)
    {
      g_test_message ("The sync ended (status %d) with %" G_GINT64_FORMAT " rows before the kill",
                      exit_status (process), rows);
      g_assert_cmpint (exit_status (process), ==, 0);
      return -1;
    }

  rows = count_rows_now ();
  g_test_message ("Killed pochta-cli sync with %" G_GINT64_FORMAT " rows in the cache", rows);
  if (rows >= N_MESSAGES)
    return -1;

  return rows;
}

static void
test_kill_mid_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapClient) peer = NULL;
  g_autoptr(PochtaImapSequenceSet) server_uids = NULL;
  g_autofree char *err = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = -1;
  guint folders = 0;

  g_test_summary ("kill -9 of pochta-cli sync half way through 10,000 messages leaves a sound "
                  "cache, and the next sync completes it to equal the server");

  pochta_test_servers_get ();
  pochta_test_servers_add_user (USER, N_MESSAGES, &error);
  g_assert_no_error (error);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS && rows < 0; attempt++)
    {
      reset_profile ();
      add_account ();
      rows = sync_and_kill ();
    }
  g_assert_cmpint (rows, >=, KILL_AT_ROWS);
  g_assert_cmpint (rows, <, N_MESSAGES);

  /* Right after the crash, opened as the next process would open it. */
  db = cache_open (SQLITE_OPEN_READWRITE);
  g_assert_nonnull (db);
  assert_cache_sound (db);
  sqlite3_close (db);

  g_assert_cmpint (CLI (NULL, &err, "sync"), ==, 0);
  g_assert_cmpstr (err, ==, "");

  db = cache_open (SQLITE_OPEN_READONLY);
  g_assert_nonnull (db);
  assert_cache_sound (db);

  /* INBOX holds exactly the server's UIDs. */
  peer = pochta_test_imap_peer (USER);
  server_uids = peer_uids (peer, "INBOX");
  g_assert_cmpuint (pochta_imap_sequence_set_count (server_uids), ==, N_MESSAGES);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages m JOIN folders f ON f.id = m.folder_id "
                                  "WHERE f.role = 1"), ==, N_MESSAGES);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT m.uid FROM messages m JOIN folders f ON f.id = m.folder_id "
                                           "WHERE f.role = 1", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 uid = sqlite3_column_int64 (stmt, 0);

      g_assert_cmpint (uid, >, 0);
      g_assert_cmpint (uid, <=, G_MAXUINT32);
      g_assert_true (pochta_imap_sequence_set_contains (server_uids, (guint32) uid));
    }
  sqlite3_finalize (stmt);

  /* Every folder: synced, and as many messages as the server says. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT raw_name, total_count, sync_state FROM folders", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      g_test_message ("%s: %lld messages, sync state %d", name, (long long) sqlite3_column_int64 (stmt, 1),
                      sqlite3_column_int (stmt, 2));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, peer_status_messages (peer, name));
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 2);
      folders++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (folders, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/crash/kill-mid-sync", test_kill_mid_sync);

  return g_test_run ();
}
