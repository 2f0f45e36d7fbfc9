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

static int
run_cli_argv (const char * const  *args,
              char               **out,
              char               **err)
{
  g_autofree char *program = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));

  return WEXITSTATUS (status);
}

/* A mistake on the command line: exit status 2, nothing on stdout, one
 * line on stderr that names the problem and where the help is. */
typedef struct
{
  const char *args[12];
  const char *says;
} UsageCase;

static const UsageCase usage_cases[] = {
  { { "frobnicate", NULL }, "frobnicate" },
  { { "account", NULL }, "add, list, remove or password" },
  { { "account", "rename", "X", NULL }, "rename" },
  { { "account", "add", NULL }, "account add --help" },
  { { "account", "add", "Work", "--imap", "imap.example.org", NULL }, "--address" },
  { { "account", "add", "Work", "--address", "me@example.org", NULL }, "--imap" },
  { { "account", "add", "Work", "--address", "not-an-address", "--imap", "h", NULL }, "not-an-address" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h:99999", NULL }, "99999" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h", "--imap-tls", "ssl", NULL }, "ssl" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h", "--imap-tls", "none", NULL },
    "--insecure" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h", "--smtp-tls", "none", NULL },
    "--insecure" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h", "--accept-certificate", "abc",
      NULL }, "abc" },
  { { "account", "add", "Work", "--address", "me@example.org", "--imap", "h", "--poll", "soon", NULL }, "--poll" },
  { { "account", "add", "Work", "--bogus", NULL }, "--bogus" },
  { { "account", "remove", NULL }, "account remove --help" },
  { { "sync", "a", "b", NULL }, "sync --help" },
  { { "sync", "--frequently", NULL }, "--frequently" },
  { { "list", NULL }, "list --help" },
  { { "list", "INBOX", "--limit", "0", NULL }, "--limit" },
  { { "show", NULL }, "show --help" },
  { { "show", "twelve", NULL }, "twelve" },
  { { "mark", "1", NULL }, "--read" },
  { { "mark", "1", "--read", "--unread", NULL }, "contradict" },
  { { "mark", "--read", NULL }, "id" },
  { { "mark", "x1", "--read", NULL }, "x1" },
  { { "move", "1", NULL }, "--to" },
  { { "delete", NULL }, "id" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *profile = pochta_profile_get_data_dir ();

  g_assert_cmpint (run_cli_argv (c->args, &out, &err), ==, 2);
  g_test_message ("%s", err);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "pochta-cli: "));
  g_assert_nonnull (strstr (err, c->says));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  /* Refused before anything was opened or saved. */
  g_assert_false (g_file_test (profile, G_FILE_TEST_EXISTS));
}

static void
test_command_help (void)
{
  static const char * const commands[][3] = {
    { "account", "add", NULL }, { "account", "list", NULL }, { "account", "remove", NULL },
    { "account", "password", NULL },
    { "sync", NULL }, { "folders", NULL }, { "list", NULL }, { "show", NULL }, { "mark", NULL },
    { "move", NULL }, { "delete", NULL }, { "pending", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *usage = NULL;
      const char *args[4] = { commands[i][0], commands[i][1], NULL, NULL };

      args[commands[i][1] != NULL ? 2 : 1] = "--help";
      usage = g_strdup_printf ("pochta-cli %s%s%s", commands[i][0], commands[i][1] ? " " : "",
                               commands[i][1] ? commands[i][1] : "");
      g_assert_cmpint (run_cli_argv (args, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, usage));
      g_assert_cmpstr (err, ==, "");
    }
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
  g_test_add_func ("/cli/command-help", test_command_help);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/usage/%u", i);

      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }

  return g_test_run ();
}
