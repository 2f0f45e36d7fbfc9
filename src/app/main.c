/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry point of the pochta program: locale and gettext, then the application.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-application.h"
#include "pochta-core.h"
#include "pochta-timing.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PochtaApplication) app = NULL;

  pochta_timing_mark ("main");

  pochta_process_init ();

  g_set_prgname ("pochta");

  app = pochta_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
