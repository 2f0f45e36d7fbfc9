/* bench-servers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The environment the test harness expects, for a benchmark started from
 * the build directory without meson's test environment.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void bench_servers_prepare (void);

G_END_DECLS
