/* pochta-debug.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses POCHTA_DEBUG once, so that hot paths only test a bit.
 */

#define G_LOG_DOMAIN "pochta-debug"
#define _GNU_SOURCE /* RUSAGE_THREAD */

#include "config.h"

#include <sys/resource.h>

#include "pochta-debug.h"

static const GDebugKey debug_keys[] = {
  { "net", POCHTA_DEBUG_NET },
  { "imap", POCHTA_DEBUG_IMAP },
  { "pop3", POCHTA_DEBUG_POP3 },
  { "smtp", POCHTA_DEBUG_SMTP },
  { "store", POCHTA_DEBUG_STORE },
  { "sync", POCHTA_DEBUG_SYNC },
  { "timing", POCHTA_DEBUG_TIMING },
};

static guint debug_flags;
static gboolean debug_flags_overridden;

guint
pochta_debug_get_flags (void)
{
  static gsize parsed = 0;

  if (g_once_init_enter (&parsed))
    {
      if (!debug_flags_overridden)
        debug_flags = g_parse_debug_string (g_getenv ("POCHTA_DEBUG"),
                                            debug_keys, G_N_ELEMENTS (debug_keys));
      g_once_init_leave (&parsed, 1);
    }

  return debug_flags;
}

gboolean
pochta_debug_enabled (PochtaDebugFlags flag)
{
  return (pochta_debug_get_flags () & flag) != 0;
}

/* For tests, which switch traces on without touching the environment. */
void
pochta_debug_set_flags (guint flags)
{
  debug_flags_overridden = TRUE;
  debug_flags = flags;
}

/**
 * pochta_debug_print_thread_cpu:
 * @thread: what the calling thread is, e.g. "store writer"
 * @busy: (nullable): what it did, printed before the CPU time
 *
 * For POCHTA_DEBUG=timing: one line on stderr with the CPU time the
 * calling thread has used, user and system.
 */
void
pochta_debug_print_thread_cpu (const char *thread,
                               const char *busy)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  g_printerr ("%s: %s%scpu %.3f s user %.3f s sys\n", thread,
              busy != NULL ? busy : "", busy != NULL ? ", " : "",
              usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
              usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
}
