/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli: the account service without a display, for scripts, tests and
 * benchmarks. Subcommands arrive with the account service.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "pochta-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Pochta mail client, without a window"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pochta-cli: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (version)
    {
      g_print ("pochta-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return EXIT_FAILURE;
    }

  g_printerr (_("pochta-cli: unknown command “%s”\n"), argv[1]);
  return EXIT_FAILURE;
}
