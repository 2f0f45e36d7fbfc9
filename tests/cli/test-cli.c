/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli as a script sees it: its output and exit status, and the
 * profile directories it would use.
 */

#include "config.h"

#include "pochta-test-util.h"

static char *
cli_path (void)
{
  return g_build_filename (g_getenv ("POCHTA_BUILD_ROOT"), "src", "cli", "pochta-cli", NULL);
}

static void
run_cli (const char  *arg,
         char       **out,
         char       **err,
         int         *status)
{
  g_autofree char *program = cli_path ();
  g_autoptr(GError) error = NULL;
  char *argv[] = { program, (char *) arg, NULL };

  g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, status, &error);
  g_assert_no_error (error);
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  run_cli ("--version", &out, &err, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "pochta-cli " PACKAGE_VERSION "\n");
}

static void
test_unknown_command (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  run_cli ("frobnicate", &out, &err, &status);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  /* One clear line on stderr naming what was wrong. */
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_profile_dirs (void)
{
  g_autofree char *data = pochta_profile_get_data_dir ();
  g_autofree char *config = pochta_profile_get_config_dir ();
  g_autofree char *expected_data = NULL;
  g_autofree char *expected_config = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS pointed the XDG dirs at a temporary place. */
  expected_data = g_build_filename (g_get_user_data_dir (), DEVELOPMENT_BUILD ? "pochta-devel" : "pochta",
                                    NULL);
  expected_config = g_build_filename (g_get_user_config_dir (), DEVELOPMENT_BUILD ? "pochta-devel" : "pochta", NULL);
  g_assert_cmpstr (data, ==, expected_data);
  g_assert_cmpstr (config, ==, expected_config);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/unknown-command", test_unknown_command);
  g_test_add_func ("/cli/profile-dirs", test_profile_dirs);

  return g_test_run ();
}
