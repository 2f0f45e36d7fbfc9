/* test-cli-disk-full.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A full disk under the cache: `pochta-cli sync --bodies` stops with one
 * clear line instead of crashing or hanging, the cache stays valid and
 * readable, and the sync completes once there is room again. The disk is
 * a small tmpfs mounted over the profile's data directory inside a mount
 * namespace of this process, so nothing outlives the test.
 */

#define _GNU_SOURCE /* unshare */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pochta-test-util.h"

#define USER            "diskfull"
#define N_MESSAGES      2000
#define DISK_SIZE       "size=64m"
/* Room left on the disk once it is "full": some bodies fit, not all. */
#define ROOM_LEFT       (1024 * 1024)
#define CLI_TIMEOUT_MS  (3 * 60 * 1000)

/* Why the test cannot run here (no mount namespace), or NULL. */
static char *no_namespace;

/* --- pochta-cli as a child ------------------------------------------------ */

static GSubprocess *
cli_spawn (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* G_TEST_OPTION_ISOLATE_DIRS moves the XDG dirs inside GLib only. The
   * messages asserted below are the untranslated ones. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "POCHTA_DEBUG");

  g_ptr_array_add (argv, g_build_filename (g_getenv ("POCHTA_BUILD_ROOT"), "src", "cli", "pochta-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

/* Runs pochta-cli to its end; returns its exit status, or minus the
 * signal that ended it. A child still running after CLI_TIMEOUT_MS is
 * killed and fails the test: "must not hang". */
static int
cli_run (const char          *input,
         char               **out,
         char               **err,
         const char * const  *args)
{
  g_autoptr(GSubprocess) process = cli_spawn (args);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args_text = g_strjoinv (" ", (char **) args);
  gint64 deadline = g_get_monotonic_time () + CLI_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  char *stdout_text = NULL;
  char *stderr_text = NULL;
  int status;

  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       pochta_test_store_result, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (result == NULL)
    {
      g_subprocess_force_exit (process);
      g_error ("pochta-cli %s still ran after %d s", args_text, CLI_TIMEOUT_MS / 1000);
    }
  g_subprocess_communicate_utf8_finish (process, result, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_subprocess_wait_async (process, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);

  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                : -g_subprocess_get_term_sig (process);
  g_test_message ("pochta-cli %s => %d\n--- stderr:\n%s", args_text, status, stderr_text);

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

#define CLI(input, out, err, ...) \
  cli_run ((input), (out), (err), (const char * const []) { __VA_ARGS__, NULL })

static void
add_account (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", USER, servers->mail_domain);
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *password = pochta_test_servers_password (USER);
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (input, NULL, &err, "account", "add", USER, "--address", address,
                        "--imap", imap, "--imap-tls", "starttls", "--user", USER,
                        "--accept-certificate", servers->cert_sha256,
                        "--body-days", "0", "--password-stdin"), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* --- the small disk ------------------------------------------------------- */

static char *
mount_disk (void)
{
  char *dir = g_strdup (g_get_user_data_dir ());

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (mount ("pochta-test-disk", dir, "tmpfs", MS_NOSUID | MS_NODEV, DISK_SIZE) != 0)
    g_error ("mount tmpfs on %s: %s", dir, g_strerror (errno));

  return dir;
}

/* Fills the disk up to ROOM_LEFT bytes with one file. */
static char *
fill_disk (const char *dir)
{
  char *filler = g_build_filename (dir, "filler", NULL);
  g_autofree char *block = g_malloc0 (64 * 1024);
  goffset size = 0;
  int fd;

  fd = g_open (filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  for (;;)
    {
      ssize_t n = write (fd, block, 64 * 1024);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_assert_cmpint (errno, ==, ENOSPC);
          break;
        }
      size += n;
    }
  g_assert_cmpint (size, >, ROOM_LEFT);
  g_assert_cmpint (ftruncate (fd, size - ROOM_LEFT), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  return filler;
}

/* --- the cache, read as SQLite ------------------------------------------- */

static sqlite3 *
cache_open (void)
{
  g_autofree char *path = pochta_store_get_default_path ();
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
assert_cache_sound (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  /* A body is there whole or not at all: a row never points at nothing. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages m WHERE body_id IS NOT NULL AND "
                                  "NOT EXISTS (SELECT 1 FROM bodies b WHERE b.id = m.body_id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages"), ==,
                   query_int (db, "SELECT count(*) FROM messages_fts"));
}

static gint64
inbox_rows (sqlite3    *db,
            const char *condition)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages m JOIN folders f ON f.id = m.folder_id "
                                          "WHERE f.role = 1 AND %s", condition);

  return query_int (db, sql);
}

/* --- the test ------------------------------------------------------------- */

static void
test_disk_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected_folder = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db;
  gint64 bodies_before;
  int status;

  g_test_summary ("A full disk stops `pochta-cli sync --bodies` with a clear error; the cache stays "
                  "valid and readable, and the next sync with room completes");

  if (no_namespace != NULL)
    {
      g_test_skip (no_namespace);
      return;
    }

  pochta_test_servers_add_user (USER, N_MESSAGES, &error);
  g_assert_no_error (error);

  dir = mount_disk ();
  add_account ();

  /* Headers fit. */
  g_assert_cmpint (CLI (NULL, NULL, &err, "sync"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&err, g_free);

  /* Bodies do not: one line on stderr that says what happened. */
  filler = fill_disk (dir);
  status = CLI (NULL, NULL, &err, "sync", "--bodies");
  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "pochta-cli: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  /* One line that says what happened and what to do, no SQLite words. */
  g_assert_cmpstr (err, ==, "pochta-cli: " USER ": The mail cache is full: no space is left on its disk. "
                            "Free some space, then synchronize again.\n");
  g_clear_pointer (&err, g_free);

  db = cache_open ();
  assert_cache_sound (db);
  g_assert_cmpint (inbox_rows (db, "1"), ==, N_MESSAGES);
  bodies_before = inbox_rows (db, "m.body_id IS NOT NULL");
  g_test_message ("%" G_GINT64_FORMAT " bodies fitted before the disk was full", bodies_before);
  g_assert_cmpint (bodies_before, >, 0);
  g_assert_cmpint (bodies_before, <, N_MESSAGES);
  sqlite3_close (db);

  /* Still full: what the cache had is listed all the same. */
  g_assert_cmpint (CLI (NULL, &out, &err, "folders"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  expected_folder = g_strdup_printf ("/%d\n", N_MESSAGES);
  g_assert_true (g_str_has_prefix (out, "INBOX\t"));
  g_assert_nonnull (strstr (out, expected_folder));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (NULL, &out, &err, "list", "INBOX", "--limit", "5"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[5], ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Room again: the same command completes. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  g_assert_cmpint (CLI (NULL, NULL, &err, "sync", "--bodies"), ==, 0);
  g_assert_cmpstr (err, ==, "");

  db = cache_open ();
  assert_cache_sound (db);
  g_assert_cmpint (inbox_rows (db, "m.body_id IS NOT NULL"), ==, N_MESSAGES);
  sqlite3_close (db);

  /* Lazily: the test's temporary dirs are removed after it. */
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The servers first, so that they do not start inside the namespace. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pochta_test_servers_get ();

  /* A mount namespace of our own (children inherit it): the tmpfs goes
   * away with this process whatever happens to the test. */
  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    no_namespace = g_strdup_printf ("Cannot simulate a full disk without a mount namespace "
                                    "(needs root): %s", g_strerror (errno));

  g_test_add_func ("/cli/disk-full/sync-bodies", test_disk_full);

  return g_test_run ();
}
