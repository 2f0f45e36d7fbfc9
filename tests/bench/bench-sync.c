/* bench-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sync benchmark: the built pochta-cli against the harness Dovecot on a
 * generated mailbox, each phase with a cold cache in a fresh profile:
 * header sync, a no-change resync, and a full sync with bodies. The same
 * run times the raw header fetch (the items sync asks for, read and thrown
 * away) and mbsync's full sync into a Maildir, and prints the issue's
 * targets beside the figures.
 *
 *   bench-sync [--count N[,N…]] [--tls starttls|none] [--runs R] [--no-mbsync] [--no-bodies] [--keep]
 *
 * --runs R: the raw fetch, and the header sync with its resync (each in a
 * fresh profile), are run R times, taking turns, and the best counts; the
 * full syncs once.
 *
 * Run from the build dir as root (it starts its own servers); the users
 * "benchN" are seeded once and reused. POCHTA_TEST_SERVERS_STATE may point
 * at another build's bench/servers to reuse its seeded mailboxes.
 * POCHTA_DEBUG passes through to pochta-cli (e.g. timing,sync).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench-raw-imap.h"
#include "pochta-core.h"
#include "pochta-sync-private.h"
#include "bench-servers.h"
#include "pochta-test-util.h"

static char *opt_counts = NULL;
static char *opt_tls = NULL;
static char *opt_profile = NULL;
static int opt_runs = 2;
static gboolean opt_no_mbsync = FALSE;
static gboolean opt_no_bodies = FALSE;
static gboolean opt_keep = FALSE;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_STRING, &opt_counts,
    "Messages in the folder, a comma separated list (default 10000,100000)", "N[,N…]" },
  { "tls", 0, 0, G_OPTION_ARG_STRING, &opt_tls, "How pochta-cli, the raw fetch and mbsync connect "
    "(default starttls)", "starttls|none" },
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile, "Generator profile", "realistic|small" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Runs of the raw fetch and the header sync; the best "
    "counts (default 2)", "R" },
  { "no-mbsync", 0, 0, G_OPTION_ARG_NONE, &opt_no_mbsync, "Skip mbsync", NULL },
  { "no-bodies", 0, 0, G_OPTION_ARG_NONE, &opt_no_bodies, "Skip the full syncs (pochta-cli and mbsync)", NULL },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the temporary profiles and Maildir", NULL },
  { NULL }
};

/* The targets of issue 4. */
#define TARGET_HEADER_RATIO  1.5
#define TARGET_MBSYNC_RATIO  0.5
#define TARGET_RESYNC_S      1.0
#define TARGET_RSS_MB        100.0

typedef struct
{
  double seconds;
  double peak_rss_mb;
} ChildStats;

/* --runs at most; the median of the runs is printed beside the best */
#define MAX_RUNS 25

typedef struct
{
  guint      count;
  guint64    mailbox_bytes;
  double     raw_runs[MAX_RUNS];
  double     header_runs[MAX_RUNS];
  guint64    raw_bytes;
  double     raw_rss_mb;
  ChildStats headers;
  ChildStats resync;
  ChildStats full;
  ChildStats mbsync;
  gboolean   have_mbsync;
  guint64    headers_cache;
  guint64    resync_cache;
  guint64    full_cache;
  guint64    mbsync_bytes;
  char      *load_start;
  char      *load_end;
} Results;

static gboolean use_tls = TRUE;

static double
mb (guint64 bytes)
{
  return bytes / (1024.0 * 1024.0);
}

/* --- servers and the seeded mailbox ------------------------------------- */

static void
seed_user (const char *user,
           guint       count)
{
  g_autofree char *script = pochta_test_source_path ("build-aux", "servers",
                                                      "pochta-test-servers.py", NULL);
  g_autofree char *count_str = g_strdup_printf ("%u", count);
  g_autoptr(GError) error = NULL;
  int status;
  const char *argv[] = {
    "python3", script, "seed", "--state", g_getenv ("POCHTA_TEST_SERVERS_STATE"),
    "--user", user, "--count", count_str, "--profile", opt_profile, NULL
  };

  g_printerr ("seeding %s with %u %s messages (reused when already there)…\n", user, count, opt_profile);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("seeding failed: %s", error->message);
}

/* Reads every message file once, so that neither pochta-cli nor mbsync
 * pays for the first trip from the disk; returns their total size. */
static guint64
warm_maildir (const PochtaTestServers *servers,
              const char              *user)
{
  static const char *subdirs[] = { "cur", "new" };
  g_autofree char *buffer = g_malloc (1024 * 1024);
  guint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (servers->state_dir, "mail", user, "Maildir",
                                                subdirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir == NULL)
        continue;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          int fd = open (file, O_RDONLY | O_CLOEXEC);
          ssize_t n;

          if (fd < 0)
            continue;
          while ((n = read (fd, buffer, 1024 * 1024)) > 0)
            total += n;
          close (fd);
        }
    }

  return total;
}

/* --- the raw header fetch ------------------------------------------------ */

/* The items pochta's header sync fetches, MODSEQ included (Dovecot has
 * CONDSTORE), over one UID FETCH of the whole folder. */
static double
run_raw (const PochtaTestServers *servers,
         const char              *user,
         guint64                 *bytes)
{
  g_autoptr(PochtaConnection) conn = bench_raw_login (servers, user, use_tls);
  gint64 start = g_get_monotonic_time ();

  bench_raw_send (conn, "f UID FETCH 1:* (" POCHTA_SYNC_HEADER_ITEMS " MODSEQ)\r\n");
  *bytes = bench_raw_read_until_tagged (conn, "f");

  return (g_get_monotonic_time () - start) / 1e6;
}

/* --- child processes ------------------------------------------------------ */

/* Runs @argv to its end with @input on its stdin (NULL: none) and returns
 * its wall time and peak RSS (wait4's rusage is the child's own). Fails
 * the benchmark when the child does. */
static void
run_child (const char * const  *argv,
           char               **envp,
           const char          *input,
           ChildStats          *stats)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  struct rusage usage;
  gint64 start;
  GPid pid;
  int stdin_fd = -1;
  int status;

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &pid, input != NULL ? &stdin_fd : NULL, NULL, NULL,
                                 &error))
    g_error ("%s: %s", command, error->message);

  if (input != NULL)
    {
      gsize len = strlen (input);
      gsize done = 0;

      while (done < len)
        {
          ssize_t n = write (stdin_fd, input + done, len - done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            g_error ("%s: writing its input: %s", command, g_strerror (errno));
          done += n;
        }
      close (stdin_fd);
    }

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      g_error ("wait4: %s", g_strerror (errno));

  if (stats != NULL)
    {
      stats->seconds = (g_get_monotonic_time () - start) / 1e6;
      stats->peak_rss_mb = usage.ru_maxrss / 1024.0;
    }

  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", command, error->message);
}

/* A cold profile: fresh XDG directories under a new temporary dir. */
typedef struct
{
  char  *root;
  char **envp;
  char  *cache_path;
} Profile;

static void
profile_free (Profile *profile)
{
  if (!opt_keep)
    {
      g_autofree char *quoted = g_shell_quote (profile->root);
      g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

      if (system (command) != 0)
        g_printerr ("could not remove %s\n", profile->root);
    }
  else
    g_printerr ("kept %s\n", profile->root);
  g_free (profile->root);
  g_strfreev (profile->envp);
  g_free (profile->cache_path);
  g_free (profile);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Profile, profile_free)

static Profile *
profile_new (void)
{
  g_autoptr(GError) error = NULL;
  Profile *profile = g_new0 (Profile, 1);
  static const char *dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
  };

  profile->root = g_dir_make_tmp ("pochta-bench-sync-XXXXXX", &error);
  if (profile->root == NULL)
    g_error ("temporary dir: %s", error->message);

  /* DBUS_SESSION_BUS_ADDRESS (the harness keyring) comes with the rest. */
  profile->envp = g_get_environ ();
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (profile->root, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      profile->envp = g_environ_setenv (profile->envp, dirs[i][0], path, TRUE);
    }

  profile->cache_path = g_build_filename (profile->root, "data", "pochta" PROFILE_SUFFIX,
                                          "cache.sqlite", NULL);

  return profile;
}

static char *
cli_path (void)
{
  return g_build_filename (BUILD_ROOT, "src", "cli", "pochta-cli", NULL);
}

static void
cli_add_account (Profile                 *profile,
                 const PochtaTestServers *servers,
                 const char              *user)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *address = g_strdup_printf ("%s@%s", user, servers->mail_domain);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, "account");
  g_ptr_array_add (argv, "add");
  g_ptr_array_add (argv, "bench");
  g_ptr_array_add (argv, "--address");
  g_ptr_array_add (argv, address);
  g_ptr_array_add (argv, "--imap");
  g_ptr_array_add (argv, imap);
  g_ptr_array_add (argv, "--user");
  g_ptr_array_add (argv, (char *) user);
  /* Headers only unless asked: the account's own policy fetches nothing. */
  g_ptr_array_add (argv, "--body-days");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--poll");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--imap-tls");
  if (use_tls)
    {
      g_ptr_array_add (argv, "starttls");
      g_ptr_array_add (argv, "--accept-certificate");
      g_ptr_array_add (argv, servers->cert_sha256);
    }
  else
    {
      g_ptr_array_add (argv, "none");
      g_ptr_array_add (argv, "--insecure");
    }
  g_ptr_array_add (argv, "--password-stdin");
  g_ptr_array_add (argv, NULL);

  run_child ((const char * const *) argv->pdata, profile->envp, input, NULL);
}

static void
cli_sync (Profile    *profile,
          gboolean    bodies,
          ChildStats *stats)
{
  g_autofree char *cli = cli_path ();
  const char *argv[] = { cli, "sync", bodies ? "--bodies" : NULL, NULL };

  run_child (argv, profile->envp, NULL, stats);
}

static guint64
file_size (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* The database and its WAL (what the cache costs on the disk). */
static guint64
cache_size (Profile *profile)
{
  g_autofree char *wal = g_strconcat (profile->cache_path, "-wal", NULL);

  return file_size (profile->cache_path) + file_size (wal);
}

/* What the cache holds, read directly: the benchmark must not time a
 * sync that quietly did less than the whole folder. */
static void
check_cache (Profile *profile,
             guint    count,
             gboolean bodies)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = -1, with_body = -1;

  if (sqlite3_open_v2 (profile->cache_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT count(*), count(m.body_id) FROM messages m "
                              "JOIN folders f ON f.id = m.folder_id WHERE f.raw_name = 'INBOX'",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", profile->cache_path, sqlite3_errmsg (db));

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      rows = sqlite3_column_int64 (stmt, 0);
      with_body = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (rows != count || (bodies && with_body != count))
    g_error ("the cache holds %" G_GINT64_FORMAT " INBOX rows (%" G_GINT64_FORMAT
             " with a body), expected %u", rows, with_body, count);
}

/* --- mbsync ---------------------------------------------------------------- */

static gboolean
run_mbsync (const PochtaTestServers *servers,
            const char              *user,
            guint                    count,
            ChildStats              *stats,
            guint64                 *bytes)
{
  g_autofree char *mbsync = g_find_program_in_path ("mbsync");
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *root = NULL;
  g_autofree char *maildir = NULL;
  g_autofree char *rc = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  guint files = 0;
  static const char *subdirs[] = { "cur", "new" };

  if (mbsync == NULL)
    {
      g_printerr ("mbsync is not installed (Debian package isync): skipped\n");
      return FALSE;
    }

  root = g_dir_make_tmp ("pochta-bench-mbsync-XXXXXX", &error);
  if (root == NULL)
    g_error ("temporary dir: %s", error->message);
  maildir = g_build_filename (root, "Maildir", NULL);
  g_mkdir_with_parents (maildir, 0700);
  rc = g_build_filename (root, "mbsyncrc", NULL);

  /* isync 1.4 checks only DNS names of the certificate, and the harness
   * certificate names "localhost" (which resolves to 127.0.0.1 only). Its
   * default FSync stays on: that is how people run it. */
  config = g_strdup_printf ("IMAPAccount bench\n"
                            "Host %s\n"
                            "Port %u\n"
                            "User %s\n"
                            "Pass %s\n"
                            "SSLType %s\n"
                            "%s%s%s"
                            "\n"
                            "IMAPStore far\n"
                            "Account bench\n"
                            "\n"
                            "MaildirStore near\n"
                            "Path %s/\n"
                            "Inbox %s/INBOX\n"
                            "\n"
                            "Channel inbox\n"
                            "Far :far:INBOX\n"
                            "Near :near:INBOX\n"
                            "Sync Pull\n"
                            "Create Near\n"
                            "SyncState *\n",
                            use_tls ? "localhost" : servers->host, servers->imap_port, user, password,
                            use_tls ? "STARTTLS" : "None",
                            use_tls ? "CertificateFile " : "", use_tls ? servers->cert_file : "",
                            use_tls ? "\n" : "",
                            maildir, maildir);
  if (!g_file_set_contents (rc, config, -1, &error))
    g_error ("%s: %s", rc, error->message);

  {
    const char *argv[] = { mbsync, "-q", "-c", rc, "inbox", NULL };

    run_child (argv, envp, NULL, stats);
  }

  *bytes = 0;
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (maildir, "INBOX", subdirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);

          *bytes += file_size (file);
          files++;
        }
    }
  if (files != count)
    g_error ("mbsync stored %u messages, expected %u", files, count);

  if (!opt_keep)
    {
      g_autofree char *quoted = g_shell_quote (root);
      g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

      if (system (command) != 0)
        g_printerr ("could not remove %s\n", root);
    }
  else
    g_printerr ("kept %s\n", root);

  return TRUE;
}

/* --- one mailbox size ---------------------------------------------------- */

/* The best time of the runs so far, and the highest peak RSS. */
static void
best_of (ChildStats       *best,
         const ChildStats *run,
         int               index)
{
  if (index == 0 || run->seconds < best->seconds)
    best->seconds = run->seconds;
  best->peak_rss_mb = index == 0 ? run->peak_rss_mb : MAX (best->peak_rss_mb, run->peak_rss_mb);
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);

  return g_strv_length (fields) >= 3 ? g_strjoin (" ", fields[0], fields[1], fields[2], NULL) : g_strdup ("?");
}

static void
bench_count (const PochtaTestServers *servers,
             guint                    count,
             Results                 *r)
{
  g_autofree char *user = g_strdup_printf ("bench%u%s", count,
                                           g_str_equal (opt_profile, "small") ? "s" : "");

  memset (r, 0, sizeof *r);
  r->count = count;
  r->load_start = load_average ();

  seed_user (user, count);
  g_printerr ("warming the page cache and Dovecot's cache for %s…\n", user);
  r->mailbox_bytes = warm_maildir (servers, user);
  run_raw (servers, user, &r->raw_bytes);

  /* The raw fetch and the header sync take turns, so that both see the
   * same moments of a shared machine, whose speed drifts by a fifth. Each
   * sync is in a fresh profile: the header sync is always a cold one. */
  for (int i = 0; i < opt_runs; i++)
    {
      g_autoptr(Profile) profile = profile_new ();
      ChildStats headers, resync;
      double t;

      pochta_test_reset_peak_rss ();
      t = run_raw (servers, user, &r->raw_bytes);
      r->raw_runs[i] = t;
      r->raw_rss_mb = MAX (r->raw_rss_mb, pochta_test_get_peak_rss_kb () / 1024.0);
      g_printerr ("raw header fetch %d: %.3f s\n", i + 1, t);

      cli_add_account (profile, servers, user);
      g_printerr ("pochta-cli sync (headers, cold cache)…\n");
      cli_sync (profile, FALSE, &headers);
      check_cache (profile, count, FALSE);
      g_printerr ("  %.3f s\n", headers.seconds);

      g_printerr ("pochta-cli sync (no change)…\n");
      cli_sync (profile, FALSE, &resync);
      check_cache (profile, count, FALSE);
      g_printerr ("  %.3f s\n", resync.seconds);

      best_of (&r->headers, &headers, i);
      r->header_runs[i] = headers.seconds;
      best_of (&r->resync, &resync, i);
      r->headers_cache = r->resync_cache = cache_size (profile);
    }

  if (!opt_no_bodies)
  {
    g_autoptr(Profile) profile = profile_new ();

    cli_add_account (profile, servers, user);
    g_printerr ("pochta-cli sync --bodies (cold cache)…\n");
    cli_sync (profile, TRUE, &r->full);
    check_cache (profile, count, TRUE);
    r->full_cache = cache_size (profile);
    g_printerr ("  %.3f s\n", r->full.seconds);
  }

  if (!opt_no_mbsync && !opt_no_bodies)
    {
      g_printerr ("mbsync (full sync into a Maildir)…\n");
      r->have_mbsync = run_mbsync (servers, user, count, &r->mbsync, &r->mbsync_bytes);
      if (r->have_mbsync)
        g_printerr ("  %.3f s\n", r->mbsync.seconds);
    }
  r->load_end = load_average ();
}

static void
print_row (const char *what,
           double      seconds,
           guint       count,
           double      rss_mb,
           const char *extra)
{
  printf ("  %-30s %9.3f s %9.0f msg/s  peak RSS %6.1f MB  %s\n",
          what, seconds, count / seconds, rss_mb, extra != NULL ? extra : "");
}

static const char *
verdict (gboolean ok)
{
  return ok ? "met" : "MISSED";
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The best (@median FALSE) or the median of @n runs. */
static double
of_runs (const double *values,
         int           n,
         gboolean      median)
{
  double sorted[MAX_RUNS];

  memcpy (sorted, values, n * sizeof *values);
  qsort (sorted, n, sizeof *sorted, compare_doubles);
  if (!median)
    return sorted[0];
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void
print_results (const Results *r)
{
  g_autofree char *headers_cache = g_strdup_printf ("cache %.1f MB", mb (r->headers_cache));
  g_autofree char *resync_cache = g_strdup_printf ("cache %.1f MB", mb (r->resync_cache));
  g_autofree char *full_cache = g_strdup_printf ("cache %.1f MB", mb (r->full_cache));
  g_autofree char *raw_extra = g_strdup_printf ("%.1f MB read", mb (r->raw_bytes));
  g_autofree char *mbsync_extra = g_strdup_printf ("Maildir %.1f MB", mb (r->mbsync_bytes));
  double raw_seconds = of_runs (r->raw_runs, opt_runs, FALSE);
  double header_ratio = r->headers.seconds / raw_seconds;
  double max_rss = MAX (MAX (r->headers.peak_rss_mb, r->resync.peak_rss_mb), r->full.peak_rss_mb);

  printf ("\nSync benchmark: %u messages (%s profile, %.1f MB of mail), Dovecot on loopback, %s\n",
          r->count, opt_profile, mb (r->mailbox_bytes),
          use_tls ? "STARTTLS (pinned certificate)" : "plain IMAP");
  printf ("  %d CPUs, load average %s at the start, %s at the end; best of %d for the header sync, "
          "resync and raw fetch\n", (int) g_get_num_processors (), r->load_start, r->load_end, opt_runs);
  print_row ("pochta-cli sync, headers", r->headers.seconds, r->count, r->headers.peak_rss_mb,
             headers_cache);
  print_row ("pochta-cli sync, no change", r->resync.seconds, r->count, r->resync.peak_rss_mb,
             resync_cache);
  if (!opt_no_bodies)
    print_row ("pochta-cli sync --bodies", r->full.seconds, r->count, r->full.peak_rss_mb, full_cache);
  print_row ("raw header fetch", raw_seconds, r->count, r->raw_rss_mb, raw_extra);
  if (r->have_mbsync)
    print_row ("mbsync, full sync", r->mbsync.seconds, r->count, r->mbsync.peak_rss_mb, mbsync_extra);

  /* The no-change resync is about the fixed cost of a run (start-up,
   * keyring, TLS, login, SELECT): what remains is the fetch and the writes. */
  printf ("  header sync less the no-change resync: %.3f s, %.2fx the raw fetch\n",
          r->headers.seconds - r->resync.seconds, (r->headers.seconds - r->resync.seconds) / raw_seconds);
  /* On a shared machine the raw fetch varies more than the sync (seen:
   * 1.3 to 2.3 s for 100,000), so its best alone is an outlier. */
  if (opt_runs > 1)
    printf ("  medians of %d runs: header sync %.3f s, raw fetch %.3f s, %.2fx\n", opt_runs,
            of_runs (r->header_runs, opt_runs, TRUE), of_runs (r->raw_runs, opt_runs, TRUE),
            of_runs (r->header_runs, opt_runs, TRUE) / of_runs (r->raw_runs, opt_runs, TRUE));
  printf ("  targets:\n");
  printf ("    header sync / raw header fetch  %6.2fx  (<= %.1fx)   %s\n",
          header_ratio, TARGET_HEADER_RATIO, verdict (header_ratio <= TARGET_HEADER_RATIO));
  if (r->have_mbsync)
    {
      double full_ratio = r->full.seconds / r->mbsync.seconds;

      printf ("    full sync / mbsync              %6.2fx  (<= %.1fx)   %s\n",
              full_ratio, TARGET_MBSYNC_RATIO, verdict (full_ratio <= TARGET_MBSYNC_RATIO));
    }
  /* The issue sets the resync target for 100,000 messages; smaller
   * folders must meet it all the more. */
  printf ("    no-change resync                %6.3f s  (< %.1f s)   %s\n",
          r->resync.seconds, TARGET_RESYNC_S, verdict (r->resync.seconds < TARGET_RESYNC_S));
  printf ("    peak RSS of pochta-cli          %6.1f MB (< %.0f MB)  %s\n",
          max_rss, TARGET_RSS_MB, verdict (max_rss < TARGET_RSS_MB));
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- sync benchmark (pochta-cli, raw fetch, mbsync)");
  g_autoptr(GError) error = NULL;
  g_autofree char *cli = cli_path ();
  g_auto(GStrv) counts = NULL;
  const PochtaTestServers *servers;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_profile == NULL)
    opt_profile = g_strdup ("realistic");
  if (opt_tls != NULL && !g_str_equal (opt_tls, "starttls") && !g_str_equal (opt_tls, "none"))
    {
      g_printerr ("--tls: starttls or none\n");
      return EXIT_FAILURE;
    }
  use_tls = opt_tls == NULL || g_str_equal (opt_tls, "starttls");
  opt_runs = CLAMP (opt_runs, 1, MAX_RUNS);
  counts = g_strsplit (opt_counts != NULL ? opt_counts : "10000,100000", ",", -1);
  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("%s is not built\n", cli);
      return EXIT_FAILURE;
    }

  bench_servers_prepare ();
  servers = pochta_test_servers_get ();

  for (guint i = 0; counts[i] != NULL; i++)
    {
      guint64 count = 0;
      Results r;

      if (!g_ascii_string_to_unsigned (g_strstrip (counts[i]), 10, 1, 10000000, &count, &error))
        {
          g_printerr ("--count: %s\n", error->message);
          return EXIT_FAILURE;
        }
      bench_count (servers, count, &r);
      print_results (&r);
      g_free (r.load_start);
      g_free (r.load_end);
    }

  return EXIT_SUCCESS;
}
