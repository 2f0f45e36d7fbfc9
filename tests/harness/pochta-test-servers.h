/* pochta-test-servers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real servers of the test suite (Dovecot IMAP/POP3/LMTP, Postfix
 * submission, gnome-keyring in a private D-Bus session, Xvfb), started once
 * per `meson test` run on 127.0.0.1 by build-aux/servers/pochta-test-servers.py.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *host;              /* always "127.0.0.1" */
  guint16  imap_port;         /* plain, STARTTLS offered */
  guint16  imaps_port;        /* implicit TLS */
  guint16  pop3_port;         /* plain, STLS offered */
  guint16  pop3s_port;        /* implicit TLS */
  guint16  submission_port;   /* SMTP submission, STARTTLS required before AUTH */
  guint16  submissions_port;  /* SMTP submission over implicit TLS */
  char    *cert_file;         /* PEM of the self-signed server certificate */
  char    *cert_sha256;       /* "AB:CD:..." as openssl prints it */
  char    *mail_domain;       /* "example.test" */
  char    *state_dir;
  char    *dbus_address;      /* private session bus with an unlocked gnome-keyring */
  char    *display;           /* ":N" of the Xvfb server */
} PochtaTestServers;

/* Users seeded by the harness: each has a generated INBOX (and a few
 * folders); "empty" has nothing. The password of USER is "USER-secret". */
#define POCHTA_TEST_USER_ALICE "alice"
#define POCHTA_TEST_USER_BOB   "bob"
#define POCHTA_TEST_USER_CAROL "carol"
#define POCHTA_TEST_USER_EMPTY "empty"

const PochtaTestServers *pochta_test_servers_get      (void);
char                    *pochta_test_servers_password (const char *user);
gboolean                 pochta_test_servers_control  (const char  *what,
                                                       GError     **error);
gboolean                 pochta_test_servers_add_user (const char  *user,
                                                       guint        count,
                                                       GError     **error);

G_END_DECLS
