/* pochta-fake-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted loopback server for the faults real servers won't produce.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define POCHTA_TYPE_FAKE_SERVER (pochta_fake_server_get_type ())

G_DECLARE_FINAL_TYPE (PochtaFakeServer, pochta_fake_server, POCHTA, FAKE_SERVER, GObject)

/* Build the script first, then start: the server listens on 127.0.0.1 on a
 * free port, accepts one connection and runs the steps in order on its own
 * thread, so the test's main loop drives only the client. */
PochtaFakeServer *pochta_fake_server_new                 (void);
GTlsCertificate  *pochta_fake_server_get_certificate     (PochtaFakeServer  *self);
void              pochta_fake_server_set_certificate     (PochtaFakeServer  *self,
                                                          GTlsCertificate   *certificate);
void              pochta_fake_server_set_implicit_tls    (PochtaFakeServer  *self,
                                                          gboolean           implicit_tls);

/* Sends line and CRLF; "$1".."$9" are replaced by the groups of the last
 * expect_line match, e.g. expect_line ("^(\\S+) NOOP$") then
 * send_line ("$1 OK done"). */
void              pochta_fake_server_send_line           (PochtaFakeServer  *self,
                                                          const char        *line);
void              pochta_fake_server_send                (PochtaFakeServer  *self,
                                                          const void        *data,
                                                          gsize              length);
/* count bytes of byte, sent in pieces: an endless line without the memory. */
void              pochta_fake_server_send_filler         (PochtaFakeServer  *self,
                                                          char               byte,
                                                          gsize              count);
/* Reads one line (without CRLF) that must match the GRegex pattern. */
void              pochta_fake_server_expect_line         (PochtaFakeServer  *self,
                                                          const char        *pattern);
void              pochta_fake_server_sleep               (PochtaFakeServer  *self,
                                                          guint              milliseconds);
/* Reads and discards until the client hangs up or the server stops. */
void              pochta_fake_server_stall               (PochtaFakeServer  *self);
void              pochta_fake_server_start_tls           (PochtaFakeServer  *self);
void              pochta_fake_server_close               (PochtaFakeServer  *self);

guint16           pochta_fake_server_start               (PochtaFakeServer  *self,
                                                          GError           **error);
guint16           pochta_fake_server_get_port            (PochtaFakeServer  *self);
gboolean          pochta_fake_server_is_finished         (PochtaFakeServer  *self);
/* Stops the thread (a step still waiting is abandoned, not failed) and
 * returns the first script failure: a line that did not match, or the
 * client hanging up while a line was expected. */
gboolean          pochta_fake_server_stop                (PochtaFakeServer  *self,
                                                          GError           **error);

G_END_DECLS
