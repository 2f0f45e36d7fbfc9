/* pochta-timing.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start-up timing log of the client, behind POCHTA_DEBUG=timing.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double pochta_timing_since_start_ms    (void);
void   pochta_timing_mark              (const char *what);
void   pochta_timing_mark_once         (const char *what);
void   pochta_timing_mark_peak_rss     (const char *what,
                                        const char *detail);
guint  pochta_timing_scroll_test_pages (void);

G_END_DECLS
