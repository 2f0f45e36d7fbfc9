/* pochta-test-servers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finds (or starts, once per `meson test` run) the harness servers and
 * points this test process at their D-Bus session and X display.
 */

#define G_LOG_DOMAIN "pochta-test"

#include "config.h"

#include <unistd.h>

#include "pochta-test-servers.h"

static char *
servers_script (void)
{
  const char *srcdir = g_getenv ("POCHTA_SOURCE_ROOT");

  g_assert_nonnull (srcdir);
  return g_build_filename (srcdir, "build-aux", "servers", "pochta-test-servers.py", NULL);
}

static const char *
servers_state (void)
{
  const char *state = g_getenv ("POCHTA_TEST_SERVERS_STATE");

  g_assert_nonnull (state);
  return state;
}

static guint16
get_port (GKeyFile   *keyfile,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  int port = g_key_file_get_integer (keyfile, "servers", key, &error);

  g_assert_no_error (error);
  g_assert_cmpint (port, >, 0);
  g_assert_cmpint (port, <, 65536);
  return (guint16) port;
}

static char *
get_string (GKeyFile   *keyfile,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (keyfile, "servers", key, &error);

  g_assert_no_error (error);
  return value;
}

static PochtaTestServers *
start_servers (void)
{
  g_autofree char *script = servers_script ();
  const char *owner_env = g_getenv ("POCHTA_TEST_SERVERS_OWNER");
  g_autofree char *owner = owner_env ? g_strdup (owner_env) : g_strdup_printf ("%d", (int) getppid ());
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  PochtaTestServers *servers;
  int status = 0;
  /* The owner is our parent: meson for a test run, the shell when a test is
   * run by hand (benchmarks name themselves through the environment). The
   * servers stop when every owner has gone. */
  const char *argv[] = {
    "python3", script, "ensure", "--state", servers_state (), "--owner-pid", owner, NULL
  };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Cannot run %s: %s", script, error->message);

  if (!g_spawn_check_wait_status (status, &error))
    g_error ("The test servers did not start: %s\n%s", error->message, err);

  g_strstrip (out);
  if (!g_key_file_load_from_file (keyfile, out, G_KEY_FILE_NONE, &error))
    g_error ("Cannot read %s: %s", out, error->message);

  servers = g_new0 (PochtaTestServers, 1);
  servers->host = get_string (keyfile, "host");
  servers->imap_port = get_port (keyfile, "imap-port");
  servers->imaps_port = get_port (keyfile, "imaps-port");
  servers->pop3_port = get_port (keyfile, "pop3-port");
  servers->pop3s_port = get_port (keyfile, "pop3s-port");
  servers->submission_port = get_port (keyfile, "submission-port");
  servers->submissions_port = get_port (keyfile, "submissions-port");
  servers->cert_file = get_string (keyfile, "cert-file");
  servers->cert_sha256 = get_string (keyfile, "cert-sha256");
  servers->mail_domain = get_string (keyfile, "mail-domain");
  servers->state_dir = get_string (keyfile, "state-dir");
  servers->dbus_address = get_string (keyfile, "dbus-address");
  servers->display = get_string (keyfile, "display");

  /* libsecret and GTK read these on first use, so set them before any. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", servers->dbus_address, TRUE);
  g_setenv ("DISPLAY", servers->display, TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");

  return servers;
}

/**
 * pochta_test_servers_get:
 *
 * Returns the harness servers, starting them on first use in this run.
 * A test that needs them and cannot get them fails; it never skips.
 */
const PochtaTestServers *
pochta_test_servers_get (void)
{
  static PochtaTestServers *servers;

  if (servers == NULL)
    servers = start_servers ();

  return servers;
}

char *
pochta_test_servers_password (const char *user)
{
  return g_strdup_printf ("%s-secret", user);
}

/**
 * pochta_test_servers_control:
 * @what: "stop-dovecot", "start-dovecot", "stop-postfix" or "start-postfix"
 *
 * Takes a server down or brings it back on the same ports, for offline and
 * reconnect tests. Tests that use it must not run in parallel with others.
 */
static gboolean
run_script (const char  *what,
            const char **argv,
            GError     **error)
{
  g_autofree char *err = NULL;
  int status = 0;

  pochta_test_servers_get ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: %s: ", what, err);
      return FALSE;
    }

  return TRUE;
}

gboolean
pochta_test_servers_control (const char  *what,
                             GError     **error)
{
  g_autofree char *script = servers_script ();
  const char *argv[] = { "python3", script, "control", "--state", servers_state (), what, NULL };

  return run_script (what, argv, error);
}

/**
 * pochta_test_servers_add_user:
 * @user: a name of the test's own, so tests that change a mailbox never
 *   share one
 * @count: how many generated messages its INBOX starts with (small profile)
 *
 * Creates (or recreates, empty of earlier changes) a Dovecot user whose
 * password is pochta_test_servers_password (@user), with the standard
 * special-use folders. It is removed when the servers next start.
 */
gboolean
pochta_test_servers_add_user (const char  *user,
                              guint        count,
                              GError     **error)
{
  g_autofree char *script = servers_script ();
  g_autofree char *count_str = g_strdup_printf ("%u", count);
  const char *argv[] = {
    "python3", script, "seed", "--state", servers_state (), "--user", user,
    "--count", count_str, "--profile", "small", "--fresh", NULL
  };

  return run_script ("seed", argv, error);
}
