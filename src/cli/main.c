/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli: the account service without a display, for scripts, tests and
 * benchmarks. This file finds the command, runs the main loop for it and
 * holds the helpers every command shares (errors, waiting, output).
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "pochta-cli-private.h"

typedef struct
{
  const char           *name;
  PochtaCliCommandFunc  func;
} Command;

static const Command commands[] = {
  { "account", pochta_cli_account },
  { "sync", pochta_cli_sync },
  { "folders", pochta_cli_folders },
  { "list", pochta_cli_list },
  { "show", pochta_cli_show },
  { "mark", pochta_cli_mark },
  { "move", pochta_cli_move },
  { "delete", pochta_cli_delete },
  { "pending", pochta_cli_pending },
};

/* One line per error, whatever the message holds: its lines (a
 * certificate's details, say) are joined with "; " unless they end a
 * sentence. */
static char *
join_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);
  GString *joined = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0')
        continue;
      if (joined->len > 0)
        g_string_append (joined, strchr (".:;!?", joined->str[joined->len - 1]) != NULL ? " " : "; ");
      g_string_append (joined, line);
    }

  return g_string_free (joined, FALSE);
}

static void
print_line (PochtaCli  *cli,
            const char *text)
{
  g_autofree char *one_line = join_lines (text);
  g_autofree char *clean = NULL;

  pochta_cli_clear_progress (cli);

  clean = pochta_cli_clean_text (one_line);
  fprintf (stderr, "pochta-cli: %s\n", clean);
  fflush (stderr);
}

int
pochta_cli_fail (PochtaCli  *cli,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_line (cli, message);

  return POCHTA_CLI_EXIT_FAILURE;
}

int
pochta_cli_usage (PochtaCli  *cli,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* TRANSLATORS: the first %s is an error, the second a command such as "account add" */
  line = g_strdup_printf (_("%s (see “pochta-cli %s --help”)"), message,
                          cli->command != NULL ? cli->command : "");
  print_line (cli, line);

  return POCHTA_CLI_EXIT_USAGE;
}

int
pochta_cli_fail_error (PochtaCli    *cli,
                       const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    return pochta_cli_usage (cli, "%s", error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cli->cancellable))
    return pochta_cli_fail (cli, "%s", _("Interrupted"));

  return pochta_cli_fail (cli, "%s", error->message);
}

void
pochta_cli_clear_progress (PochtaCli *cli)
{
  if (cli->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      cli->progress_shown = FALSE;
    }
}

/* Only on a terminal: a log file gets no carriage returns. */
void
pochta_cli_show_progress (PochtaCli  *cli,
                          const char *text)
{
  g_autofree char *clean = NULL;

  if (!cli->stderr_is_tty)
    return;

  clean = pochta_cli_clean_text (text);
  fprintf (stderr, "\r\033[K%s", clean);
  fflush (stderr);
  cli->progress_shown = TRUE;
}

/* On a terminal, columns padded to @widths (0: the last, unpadded);
 * otherwise the cells separated by tabs, for cut and awk. */
void
pochta_cli_print_row (PochtaCli          *cli,
                      const char * const *cells,
                      const int          *widths)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; cells[i] != NULL; i++)
    {
      g_autofree char *clean = pochta_cli_clean_text (cells[i]);

      if (i > 0)
        g_string_append (line, cli->stdout_is_tty ? "  " : "\t");

      if (cli->stdout_is_tty && widths != NULL && widths[i] > 0 && cells[i + 1] != NULL)
        {
          g_autofree char *fitted = pochta_cli_fit (clean, widths[i]);

          g_string_append (line, fitted);
        }
      else
        g_string_append (line, clean);
    }

  if (cli->stdout_is_tty)
    {
      /* Padding of empty trailing cells is noise on a terminal. */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
    }

  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stdout);
  g_string_free (line, TRUE);
}

void
pochta_cli_store_result (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);
  *slot = g_object_ref (result);
}

/* Every wait ends: the operations the commands wait for carry the
 * account's network timeouts, and SIGINT cancels them. */
void
pochta_cli_wait (PochtaCli     *cli,
                 GAsyncResult **result)
{
  (void) cli;

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * pochta_cli_parse_options:
 * @argv: (inout): the command's arguments, @argv[0] being its name; on
 *   return the arguments that are not options
 * @status: (out): the exit status when this returns %FALSE
 */
gboolean
pochta_cli_parse_options (PochtaCli            *cli,
                          const char           *parameter_string,
                          const char           *summary,
                          const GOptionEntry   *entries,
                          int                  *argc,
                          char               ***argv,
                          int                  *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("pochta-cli %s", cli->command);

  /* --help prints "Usage: pochta-cli account add [OPTION…] NAME". */
  g_set_prgname (prgname);

  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = pochta_cli_usage (cli, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
pochta_cli_open_service (PochtaCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_service_new_async (NULL, cli->cancellable, pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  cli->service = pochta_service_new_finish (result, &error);

  if (cli->service == NULL)
    {
      pochta_cli_fail_error (cli, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
close_service (PochtaCli *cli)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->service == NULL)
    return TRUE;

  /* Not cli->cancellable: after SIGINT the shutdown must still run. */
  pochta_service_shutdown_async (cli->service, NULL, pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  if (!pochta_service_shutdown_finish (cli->service, result, &error))
    {
      pochta_cli_fail_error (cli, error);
      g_clear_object (&cli->service);
      return FALSE;
    }

  g_clear_object (&cli->service);
  return TRUE;
}

/**
 * pochta_cli_find_account:
 *
 * Returns: (transfer none) (nullable): the account by id, name or address;
 *   %NULL after printing why there is none.
 */
PochtaAccount *
pochta_cli_find_account (PochtaCli  *cli,
                         const char *name)
{
  PochtaAccount *account = pochta_service_lookup_account (cli->service, name);

  if (account == NULL)
    pochta_cli_fail (cli, _("There is no account “%s” (see “pochta-cli account list”)"), name);

  return account;
}

static gboolean
on_signal (gpointer user_data)
{
  PochtaCli *cli = user_data;

  /* A second interrupt means it: leave without a clean shutdown. */
  if (g_cancellable_is_cancelled (cli->cancellable))
    {
      pochta_cli_clear_progress (cli);
      _exit (POCHTA_CLI_EXIT_FAILURE);
    }

  g_cancellable_cancel (cli->cancellable);

  return G_SOURCE_CONTINUE;
}

static char *
describe_commands (void)
{
  /* The syntax stays as typed; what each command does is translated. */
  static const struct { const char *syntax; const char *summary; } usage[] = {
    { "account add NAME --address ADDRESS --imap HOST[:PORT] …", N_("Add an account") },
    { "account list", N_("List the accounts") },
    { "account remove NAME", N_("Remove an account and its cached mail") },
    { "account password NAME", N_("Store a new password for an account") },
    { "sync [NAME] [--bodies] [--idle]", N_("Bring the cache in step with the server") },
    { "folders [NAME]", N_("List the folders with their counts") },
    { "list FOLDER [--account NAME] [--limit N] [--unread]", N_("List the messages of a folder") },
    { "show MESSAGE-ID", N_("Show a message’s headers and text") },
    { "mark MESSAGE-ID… --read|--unread|--flag|--unflag", N_("Mark messages") },
    { "move MESSAGE-ID… --to FOLDER", N_("Move messages to another folder") },
    { "delete MESSAGE-ID…", N_("Move messages to Trash, or delete them there") },
    { "pending [NAME]", N_("List the changes waiting to reach the server") },
  };
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    g_string_append_printf (text, "  %s\n      %s\n", usage[i].syntax, _(usage[i].summary));
  g_string_append_printf (text, "\n%s\n%s\n",
                          _("“pochta-cli COMMAND --help” describes each command."),
                          _("Exit status: 0 done, 1 failed, 2 wrong command line."));

  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *description = NULL;
  PochtaCli cli = { 0 };
  const Command *command = NULL;
  gboolean version = FALSE;
  guint sigint_id, sigterm_id;
  int status;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  pochta_process_init ();

  description = describe_commands ();
  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Pochta mail client, without a window"));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "pochta-cli: %s\n", error->message);
      return POCHTA_CLI_EXIT_USAGE;
    }

  if (version)
    {
      printf ("pochta-cli %s\n", PACKAGE_VERSION);
      return POCHTA_CLI_EXIT_OK;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fputs (help, stderr);
      return POCHTA_CLI_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];

  if (command == NULL)
    {
      fprintf (stderr, _("pochta-cli: unknown command “%s” (see “pochta-cli --help”)\n"), argv[1]);
      return POCHTA_CLI_EXIT_USAGE;
    }

  cancellable = g_cancellable_new ();
  cli.command = command->name;
  cli.cancellable = cancellable;
  cli.stdout_is_tty = isatty (STDOUT_FILENO);
  cli.stderr_is_tty = isatty (STDERR_FILENO);

  sigint_id = g_unix_signal_add (SIGINT, on_signal, &cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &cli);

  status = command->func (&cli, argc - 1, argv + 1);
  if (!close_service (&cli) && status == POCHTA_CLI_EXIT_OK)
    status = POCHTA_CLI_EXIT_FAILURE;

  pochta_cli_clear_progress (&cli);
  fflush (stdout);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return status;
}
