/* bench-startup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start-up benchmark of the desktop client: the built pochta program on a
 * profile with a large cached Inbox (bench-startup-profile.c), on the
 * harness's Xvfb, started R times as a new process each time with
 * POCHTA_DEBUG=timing. It prints each timing mark's median, min and max,
 * the time from spawning to the first rows as seen from outside, VmHWM
 * right after the first rows, and, in one more run that scrolls the list
 * from top to bottom (POCHTA_BENCH_SCROLL), the peak RSS; the issue's
 * targets beside them.
 *
 *   bench-startup [--runs R] [--count N] [--profile DIR] [--scroll-pages P] [--no-scroll]
 *
 * The profile (default BUILD/bench/startup) is made once and reused. The
 * account's servers are a closed port of the loopback, so the client
 * shows its cache and goes offline. A first start, not counted, warms
 * the page cache and the session services (dconf, portals, a11y bus).
 * Frames are drawn with GSK_RENDERER=cairo unless the environment names
 * another renderer: Xvfb has no GPU, and GL there is Mesa's software
 * rasterizer, which says little about a desktop. The rest of the
 * environment passes through (e.g. GTK_A11Y=none, GDK_DEBUG=gl-disable).
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bench-startup-profile.h"
#include "pochta-core.h"
#include "bench-servers.h"
#include "pochta-test-util.h"

/* The targets of the issue. */
#define TARGET_FIRST_ROWS_MS 400.0
#define TARGET_PEAK_RSS_MB   200.0

#define FIRST_ROWS_MARK   "first message rows on screen"
#define SCROLLED_MARK     "scrolled to bottom"
#define FIRST_ROWS_WAIT_S 60
#define SCROLL_WAIT_S     1800
#define EXIT_WAIT_S       15

/* Nothing listens there; the harness's servers use high ports. */
#define CLOSED_PORT 1

static int opt_runs = 5;
static int opt_count = 100000;
static int opt_scroll_pages = 4;
static char *opt_profile = NULL;
static gboolean opt_no_scroll = FALSE;

static const GOptionEntry entries[] = {
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Timed cold starts (default 5)", "R" },
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Messages in the Inbox (default 100000)", "N" },
  { "profile", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile,
    "Profile directory, made once and reused (default BUILD/bench/startup)", "DIR" },
  { "scroll-pages", 0, 0, G_OPTION_ARG_INT, &opt_scroll_pages,
    "Pages the scroll test moves a frame (default 4)", "P" },
  { "no-scroll", 0, 0, G_OPTION_ARG_NONE, &opt_no_scroll, "Skip the scroll test", NULL },
  { NULL }
};

/* One start of the program. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *stderr_lines;
  gint64            spawned;          /* monotonic µs */
  GHashTable       *marks;            /* name -> double * (ms from process start) */
  GPtrArray        *mark_order;
  char             *wanted;           /* the mark that ends the run */
  gboolean          got_wanted;
  gboolean          eof;
  gboolean          done;             /* got_wanted or eof */
  gboolean          exited;
  double            wall_ms;          /* spawn to the wanted line, as seen here */
  guint64           hwm_kb;           /* VmHWM when the wanted line came */
  double            cpu_ms;           /* CPU time of its threads by then */
  double            queued_ms;        /* time they were ready but waited for a CPU */
  char             *detail;           /* what follows the wanted mark's time */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->process);
  g_clear_object (&run->stderr_lines);
  g_clear_pointer (&run->marks, g_hash_table_unref);
  g_clear_pointer (&run->mark_order, g_ptr_array_unref);
  g_free (run->wanted);
  g_free (run->detail);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Every mark name seen, in the order of the first run that had it. */
static GPtrArray *all_marks;

static guint64
proc_status_kb (GSubprocess *process,
                const char  *field)
{
  const char *id = g_subprocess_get_identifier (process);
  g_autofree char *path = NULL;
  g_autofree char *status = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (id == NULL)
    return 0;
  path = g_strdup_printf ("/proc/%s/status", id);
  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, key)) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* On a shared machine the wall time hides how much of it went to other
 * processes: the scheduler's figures for each of the program's threads
 * (/proc/PID/task/TID/schedstat: ns on a CPU, ns waiting for one) tell. */
static void
proc_sched_ms (GSubprocess *process,
               double      *cpu_ms,
               double      *queued_ms)
{
  const char *id = g_subprocess_get_identifier (process);
  g_autofree char *tasks = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *tid;

  *cpu_ms = *queued_ms = 0;
  if (id == NULL)
    return;
  tasks = g_strdup_printf ("/proc/%s/task", id);
  if ((dir = g_dir_open (tasks, 0, NULL)) == NULL)
    return;

  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks, tid, "schedstat", NULL);
      g_autofree char *text = NULL;
      unsigned long long run_ns, wait_ns;

      if (g_file_get_contents (path, &text, NULL, NULL)
          && sscanf (text, "%llu %llu", &run_ns, &wait_ns) == 2)
        {
          *cpu_ms += run_ns / 1e6;
          *queued_ms += wait_ns / 1e6;
        }
    }
}

/* "timing: WHAT after N ms[ (DETAIL)]" */
static gboolean
parse_mark (const char  *line,
            char       **what,
            double      *ms,
            char       **detail)
{
  const char *after;
  const char *rest;
  char *end;

  if (!g_str_has_prefix (line, "timing: ") || (after = g_strrstr (line, " after ")) == NULL)
    return FALSE;

  *ms = g_ascii_strtod (after + strlen (" after "), &end);
  if (end == after + strlen (" after ") || !g_str_has_prefix (end, " ms"))
    return FALSE;

  *what = g_strndup (line + strlen ("timing: "), after - line - strlen ("timing: "));
  rest = end + strlen (" ms");
  while (*rest == ' ' || *rest == '(')
    rest++;
  *detail = g_strndup (rest, strlen (rest) - (g_str_has_suffix (rest, ")") ? 1 : 0));

  return TRUE;
}

static void read_next_line (Run *run);

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, &error);
  g_autofree char *what = NULL;
  g_autofree char *detail = NULL;
  double ms;

  if (line == NULL)
    {
      if (error != NULL)
        g_printerr ("  reading pochta's stderr: %s\n", error->message);
      run->eof = run->done = TRUE;
      return;
    }

  if (!parse_mark (line, &what, &ms, &detail))
    {
      /* Warnings of the program itself are worth seeing. */
      g_printerr ("  pochta: %s\n", line);
      read_next_line (run);
      return;
    }

  if (g_strcmp0 (what, run->wanted) == 0 && !run->got_wanted)
    {
      run->wall_ms = (g_get_monotonic_time () - run->spawned) / 1000.0;
      run->hwm_kb = proc_status_kb (run->process, "VmHWM");
      proc_sched_ms (run->process, &run->cpu_ms, &run->queued_ms);
      run->detail = g_steal_pointer (&detail);
      run->got_wanted = run->done = TRUE;
    }

  if (!g_hash_table_contains (run->marks, what))
    {
      double *value = g_new (double, 1);

      *value = ms;
      g_ptr_array_add (run->mark_order, g_strdup (what));
      g_hash_table_insert (run->marks, g_steal_pointer (&what), value);
    }

  read_next_line (run);
}

static void
read_next_line (Run *run)
{
  g_data_input_stream_read_line_async (run->stderr_lines, G_PRIORITY_DEFAULT, NULL, line_cb, run);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  run->exited = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@flag, or @seconds have gone. */
static gboolean
wait_for (gboolean *flag,
          guint     seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);

  return *flag;
}

static char **
app_environment (const char *profile,
                 guint       scroll_pages)
{
  static const char *dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autofree char *schemas = g_build_filename (BUILD_ROOT, "data", NULL);
  /* DISPLAY and DBUS_SESSION_BUS_ADDRESS (the harness's) come with the rest. */
  char **envp = g_get_environ ();

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (profile, dirs[i][1], NULL);

      envp = g_environ_setenv (envp, dirs[i][0], path, TRUE);
    }
  /* The settings backend stays the desktop's default (dconf, in the
   * profile's config dir); only the schema is not installed. */
  envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  envp = g_environ_setenv (envp, "GDK_BACKEND", "x11", TRUE);
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", FALSE);
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "POCHTA_DEBUG", "timing", TRUE);
  if (scroll_pages > 0)
    {
      g_autofree char *pages = g_strdup_printf ("%u", scroll_pages);

      envp = g_environ_setenv (envp, "POCHTA_BENCH_SCROLL", pages, TRUE);
    }
  else
    envp = g_environ_unsetenv (envp, "POCHTA_BENCH_SCROLL");

  return envp;
}

/* Asks the running program to quit the way a person would (app.quit over
 * its D-Bus interface), so that it closes its cache cleanly. */
static void
request_quit (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *path = g_strconcat ("/", APP_ID, NULL);
  g_autoptr(GVariant) reply = NULL;

  if (bus == NULL)
    return;

  g_strdelimit (path, ".", '/');
  reply = g_dbus_connection_call_sync (bus, APP_ID, path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
}

static void
end_process (Run      *run,
             gboolean  ask)
{
  if (ask && !run->exited)
    request_quit ();
  if (wait_for (&run->exited, EXIT_WAIT_S))
    return;

  g_printerr ("  pochta did not quit within %d s: killed\n", EXIT_WAIT_S);
  g_subprocess_force_exit (run->process);
  wait_for (&run->exited, EXIT_WAIT_S);
}

static Run *
run_app (const char *profile,
         guint       scroll_pages)
{
  g_autofree char *program = g_build_filename (BUILD_ROOT, "src", "app", "pochta", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_auto(GStrv) envp = app_environment (profile, scroll_pages);
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  const char *argv[] = { program, NULL };

  run->marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->mark_order = g_ptr_array_new_with_free_func (g_free);
  run->wanted = g_strdup (scroll_pages > 0 ? SCROLLED_MARK : FIRST_ROWS_MARK);

  g_subprocess_launcher_set_environ (launcher, envp);
  run->spawned = g_get_monotonic_time ();
  run->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (run->process == NULL)
    g_error ("%s: %s", program, error->message);
  run->stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (run->process));
  read_next_line (run);
  g_subprocess_wait_async (run->process, NULL, exited_cb, run);

  /* Either the line comes, or the program ends or hangs without it. */
  wait_for (&run->done, scroll_pages > 0 ? SCROLL_WAIT_S : FIRST_ROWS_WAIT_S);
  if (!run->got_wanted)
    {
      end_process (run, FALSE);
      g_printerr ("pochta never printed \"timing: %s\" (no Inbox selected, or no rows?)\n", run->wanted);
      exit (EXIT_FAILURE);
    }

  /* The scroll test quits by itself; a plain start is asked to. */
  end_process (run, scroll_pages == 0);
  if (g_subprocess_get_if_exited (run->process) && g_subprocess_get_exit_status (run->process) != 0)
    g_printerr ("  pochta exited with status %d\n", g_subprocess_get_exit_status (run->process));

  for (guint i = 0; i < run->mark_order->len; i++)
    if (!g_ptr_array_find_with_equal_func (all_marks, run->mark_order->pdata[i], g_str_equal, NULL))
      g_ptr_array_add (all_marks, g_strdup (run->mark_order->pdata[i]));

  return run;
}

/* --- figures --------------------------------------------------------------- */

typedef struct
{
  double median;
  double min;
  double max;
  guint  n;
} Stats;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Stats
stats_of (GArray *values)
{
  Stats s = { 0, 0, 0, values->len };
  double *v = (double *) values->data;

  if (values->len == 0)
    return s;

  g_array_sort (values, compare_doubles);
  s.min = v[0];
  s.max = v[values->len - 1];
  s.median = values->len % 2 == 1 ? v[values->len / 2]
                                   : (v[values->len / 2 - 1] + v[values->len / 2]) / 2;
  return s;
}

static void
print_stats (const char *what,
             GArray     *values,
             double      scale,
             const char *unit)
{
  Stats s = stats_of (values);

  if (s.n == 0)
    return;
  printf ("  %-36s median %6.0f %s (min %.0f, max %.0f)%s\n", what, s.median / scale, unit,
          s.min / scale, s.max / scale, s.n < (guint) opt_runs ? "  [not in every run]" : "");
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

static const char *
verdict (gboolean ok)
{
  return ok ? "met" : "MISSED";
}

static void
check_port_closed (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", CLOSED_PORT, NULL, &error);
  if (connection != NULL)
    {
      g_printerr ("something listens on 127.0.0.1:%d; the benchmark's account must not reach a server\n",
                  CLOSED_PORT);
      exit (EXIT_FAILURE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- start-up benchmark of the pochta client");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autoptr(Run) scroll = NULL;
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hwm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) queued = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *program = g_build_filename (BUILD_ROOT, "src", "app", "pochta", NULL);
  g_autofree char *load_start = NULL;
  g_autofree char *load_end = NULL;
  const PochtaTestServers *servers;
  gboolean reused;
  double scroll_s = 0;
  Stats first;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  opt_runs = MAX (opt_runs, 1);
  opt_count = MAX (opt_count, 1);
  opt_scroll_pages = CLAMP (opt_scroll_pages, 1, 1000);
  if (opt_profile == NULL)
    opt_profile = g_build_filename (BUILD_ROOT, "bench", "startup", NULL);
  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("%s is not built\n", program);
      return EXIT_FAILURE;
    }

  /* Xvfb and the keyring here. */
  bench_servers_prepare ();
  servers = pochta_test_servers_get ();

  check_port_closed ();
  reused = bench_startup_profile_ensure (opt_profile, (guint) opt_count, CLOSED_PORT);
  all_marks = g_ptr_array_new_with_free_func (g_free);

  g_printerr ("warm-up start (not counted)…\n");
  run_free (run_app (opt_profile, 0));
  g_ptr_array_set_size (all_marks, 0);
  g_printerr ("\n");

  load_start = load_average ();
  for (int i = 0; i < opt_runs; i++)
    {
      Run *run = run_app (opt_profile, 0);
      double *ms = g_hash_table_lookup (run->marks, FIRST_ROWS_MARK);
      double kb = run->hwm_kb;

      g_printerr ("start %d: first rows after %.0f ms (%.0f ms seen from here; %.0f ms on a CPU, "
                  "%.0f ms waiting for one), VmHWM %.0f MB\n",
                  i + 1, ms != NULL ? *ms : -1, run->wall_ms, run->cpu_ms, run->queued_ms, kb / 1024);
      g_array_append_val (wall, run->wall_ms);
      g_array_append_val (hwm, kb);
      g_array_append_val (cpu, run->cpu_ms);
      g_array_append_val (queued, run->queued_ms);
      g_ptr_array_add (runs, run);
    }

  if (!opt_no_scroll)
    {
      g_printerr ("scroll test: %d page(s) a frame to the bottom of %d rows…\n", opt_scroll_pages, opt_count);
      unsigned long long kb = 0;
      unsigned bound = 0, rows = 0;
      double *start, *end;

      scroll = run_app (opt_profile, (guint) opt_scroll_pages);
      start = g_hash_table_lookup (scroll->marks, FIRST_ROWS_MARK);
      end = g_hash_table_lookup (scroll->marks, SCROLLED_MARK);
      scroll_s = start != NULL && end != NULL ? (*end - *start) / 1000.0 : -1;

      /* The program's own VmHWM, read just before it quit. */
      if (sscanf (scroll->detail, "VmHWM %llu kB, %u of %u rows bound", &kb, &bound, &rows) == 3)
        scroll->hwm_kb = kb;
      if (bound != rows || rows != (unsigned) opt_count)
        g_printerr ("the scroll test bound %u of %u rows (%d in the Inbox): fewer --scroll-pages?\n",
                    bound, rows, opt_count);
    }
  load_end = load_average ();

  printf ("\nStart-up benchmark: %s on %d cached Inbox messages, Xvfb %s, %d cold starts "
          "(a new process each, after one not counted)\n", program, opt_count, servers->display, opt_runs);
  printf ("  profile %s (%s); %d CPUs, load average %s at the start, %s at the end\n",
          opt_profile, reused ? "reused" : "made now", (int) g_get_num_processors (), load_start, load_end);
  printf ("  GSK_RENDERER=%s", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "cairo");
  if (g_getenv ("GTK_A11Y") != NULL)
    printf (" GTK_A11Y=%s", g_getenv ("GTK_A11Y"));
  if (g_getenv ("GDK_DEBUG") != NULL)
    printf (" GDK_DEBUG=%s", g_getenv ("GDK_DEBUG"));
  printf ("\n");

  printf ("  timing marks, ms from process start:\n");
  for (guint m = 0; m < all_marks->len; m++)
    {
      const char *name = all_marks->pdata[m];
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *label = g_strdup_printf ("%s:", name);

      for (guint i = 0; i < runs->len; i++)
        {
          double *ms = g_hash_table_lookup (((Run *) runs->pdata[i])->marks, name);

          if (ms != NULL)
            g_array_append_val (values, *ms);
        }
      if (g_str_equal (name, FIRST_ROWS_MARK))
        g_array_append_vals (first_rows, values->data, values->len);
      print_stats (label, values, 1, "ms");
    }
  print_stats ("first rows, spawn to line seen here:", wall, 1, "ms");
  print_stats ("  of which its threads ran on a CPU:", cpu, 1, "ms");
  print_stats ("  and waited for a CPU (other load):", queued, 1, "ms");
  print_stats ("VmHWM right after the first rows:", hwm, 1024, "MB");
  if (scroll != NULL)
    printf ("  scroll test: %s in %.1f s (%d page(s) a frame)\n"
            "  peak RSS after scrolling to the bottom: %.0f MB (%s)\n",
            SCROLLED_MARK, scroll_s, opt_scroll_pages, scroll->hwm_kb / 1024.0, scroll->detail);

  first = stats_of (first_rows);
  printf ("  targets:\n");
  printf ("    first rows on screen (median)      %6.0f ms  (< %.0f ms)  %s\n",
          first.median, TARGET_FIRST_ROWS_MS, verdict (first.n > 0 && first.median < TARGET_FIRST_ROWS_MS));
  if (scroll != NULL)
    printf ("    peak RSS after scrolling           %6.0f MB  (< %.0f MB)  %s\n",
            scroll->hwm_kb / 1024.0, TARGET_PEAK_RSS_MB, verdict (scroll->hwm_kb / 1024.0 < TARGET_PEAK_RSS_MB));
  fflush (stdout);

  g_ptr_array_unref (all_marks);

  return EXIT_SUCCESS;
}
