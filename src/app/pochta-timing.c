/* pochta-timing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start-up timing log of the client, behind POCHTA_DEBUG=timing: "timing:
 * WHAT after N ms" on stderr, N counted from the process's start as the
 * kernel recorded it, so loading libraries before main() counts too. The
 * start-up benchmark reads these lines. With POCHTA_BENCH_SCROLL=N beside
 * it, the message list scrolls itself to the bottom after its first rows,
 * N pages a frame, and the program quits (the benchmark's peak RSS).
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "pochta-core.h"
#include "pochta-timing.h"

/* Milliseconds between boot and this process's start (/proc/self/stat,
 * field 22, in clock ticks), and between boot and the monotonic clock's
 * reading taken at the same moment; -1 where /proc cannot tell. */
static double
process_start_offset_ms (void)
{
  g_autofree char *stat = NULL;
  g_autofree char *uptime = NULL;
  const char *fields;
  unsigned long long start_ticks = 0;
  double up_seconds = 0;
  long ticks_per_second = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
      || !g_file_get_contents ("/proc/uptime", &uptime, NULL, NULL)
      || ticks_per_second <= 0)
    return -1;

  /* The command name may hold spaces; the fields after it do not. */
  fields = strrchr (stat, ')');
  if (fields == NULL
      || sscanf (fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                 &start_ticks) != 1
      || sscanf (uptime, "%lf", &up_seconds) != 1)
    return -1;

  return up_seconds * 1000.0 - (double) start_ticks * 1000.0 / ticks_per_second;
}

/* How long the process has been running, in milliseconds. */
double
pochta_timing_since_start_ms (void)
{
  static double base_ms = -2;
  static gint64 base_monotonic;

  /* /proc has a coarse clock: read it once, then count on the monotonic one. */
  if (base_ms == -2)
    {
      base_ms = process_start_offset_ms ();
      base_monotonic = g_get_monotonic_time ();
      if (base_ms < 0)
        base_ms = 0;
    }

  return base_ms + (g_get_monotonic_time () - base_monotonic) / 1000.0;
}

void
pochta_timing_mark (const char *what)
{
  if (!pochta_debug_enabled (POCHTA_DEBUG_TIMING))
    return;

  g_printerr ("timing: %s after %.1f ms\n", what, pochta_timing_since_start_ms ());
}

/* The same, only the first time for each @what (a static string). */
void
pochta_timing_mark_once (const char *what)
{
  static GHashTable *seen;

  if (!pochta_debug_enabled (POCHTA_DEBUG_TIMING))
    return;

  if (seen == NULL)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  if (!g_hash_table_add (seen, (gpointer) what))
    return;

  pochta_timing_mark (what);
}

/* Whether the message list is to run the scroll test (POCHTA_BENCH_SCROLL,
 * only together with POCHTA_DEBUG=timing), and how many pages a frame. */
guint
pochta_timing_scroll_test_pages (void)
{
  static gsize pages;

  if (g_once_init_enter (&pages))
    {
      const char *value = g_getenv ("POCHTA_BENCH_SCROLL");
      guint64 n = 0;

      if (value == NULL || !pochta_debug_enabled (POCHTA_DEBUG_TIMING)
          || !g_ascii_string_to_unsigned (value, 10, 1, 1000, &n, NULL))
        n = 0;
      /* g_once_init_leave() takes no 0: one above the page count. */
      g_once_init_leave (&pages, n + 1);
    }

  return pages - 1;
}

/* The same line as pochta_timing_mark(), with the process's peak RSS
 * (VmHWM) and @detail in brackets after it. */
void
pochta_timing_mark_peak_rss (const char *what,
                             const char *detail)
{
  g_autofree char *status = NULL;
  const char *hwm = NULL;
  guint64 kb = 0;

  if (!pochta_debug_enabled (POCHTA_DEBUG_TIMING))
    return;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (hwm = strstr (status, "\nVmHWM:")) != NULL)
    kb = g_ascii_strtoull (hwm + strlen ("\nVmHWM:"), NULL, 10);

  g_printerr ("timing: %s after %.1f ms (VmHWM %llu kB%s%s)\n", what, pochta_timing_since_start_ms (),
              (unsigned long long) kb, detail != NULL ? ", " : "", detail != NULL ? detail : "");
}
