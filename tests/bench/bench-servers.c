/* bench-servers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The environment the test harness expects, for a benchmark started from
 * the build directory.
 */

#include "config.h"

#include <unistd.h>

#include "bench-servers.h"

/* Servers started after this keep their state (and seeded mailboxes)
 * under BUILD/bench/servers unless POCHTA_TEST_SERVERS_STATE says
 * otherwise, and live as long as this process. */
void
bench_servers_prepare (void)
{
  g_autofree char *state = g_build_filename (BUILD_ROOT, "bench", "servers", NULL);
  g_autofree char *self_pid = g_strdup_printf ("%d", (int) getpid ());

  if (g_getenv ("POCHTA_SOURCE_ROOT") == NULL)
    g_setenv ("POCHTA_SOURCE_ROOT", SOURCE_ROOT, TRUE);
  if (g_getenv ("POCHTA_TEST_SERVERS_STATE") == NULL)
    g_setenv ("POCHTA_TEST_SERVERS_STATE", state, TRUE);
  g_setenv ("POCHTA_TEST_SERVERS_OWNER", self_pid, TRUE);
}
