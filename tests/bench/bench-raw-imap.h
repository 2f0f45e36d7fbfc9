/* bench-raw-imap.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bare IMAP connection for benchmarks: commands out, answers read and
 * thrown away. Every failure ends the benchmark.
 */

#pragma once

#include "pochta-test-util.h"

G_BEGIN_DECLS

PochtaConnection *bench_raw_login             (const PochtaTestServers *servers,
                                               const char              *user,
                                               gboolean                 starttls);
void              bench_raw_send              (PochtaConnection        *conn,
                                               const char              *line);
guint64           bench_raw_read_until_tagged (PochtaConnection        *conn,
                                               const char              *tag);

G_END_DECLS
