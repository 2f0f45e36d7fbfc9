/* pochta-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers every test links: the core headers, a main loop with a deadline,
 * and the real servers of the harness.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-core.h"
#include "pochta-test-servers.h"

G_BEGIN_DECLS

/* Runs the default main context until *done is TRUE; fails the test (never
 * hangs) when timeout_ms passes first. */
void  pochta_test_wait_until   (gboolean    *done,
                                guint        timeout_ms);

/* GAsyncReadyCallback that stores the result in *(GAsyncResult **)user_data. */
void  pochta_test_store_result (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

/* Waits until *result is set (see pochta_test_store_result). */
void  pochta_test_wait_result  (GAsyncResult **result,
                                guint          timeout_ms);

/* Peak resident memory of this process in kB (VmHWM), and a reset of that
 * peak so a benchmark can measure one phase at a time. */
/* Another mail client, logged in to @user over STARTTLS with the harness
 * certificate pinned: how tests see what reached the server. Fails the
 * test if it cannot log in. */
PochtaImapClient *pochta_test_imap_peer (const char *user);
/* Removes @path and everything below it (a test's temporary profile). */
void  pochta_test_remove_tree  (const char *path);
gsize pochta_test_get_peak_rss_kb (void);
void  pochta_test_reset_peak_rss  (void);

char *pochta_test_source_path  (const char *first,
                                ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
