/* bench-startup-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start-up benchmark's profile: an account on a closed port and a
 * large Inbox in the cache (bench-startup-profile.c).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BENCH_STARTUP_PASSWORD "bench-password"

gboolean bench_startup_profile_ensure (const char *dir,
                                       guint       count,
                                       guint16     port);

G_END_DECLS
