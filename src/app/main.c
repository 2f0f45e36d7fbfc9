/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry point of the pochta program: locale and gettext, then the application.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib/gi18n.h>

#include "pochta-application.h"
#include "pochta-timing.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PochtaApplication) app = NULL;

  pochta_timing_mark ("main");

  /* A server that closes its socket while we write must give us EPIPE, not
   * kill the whole client. */
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("pochta");

  app = pochta_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
