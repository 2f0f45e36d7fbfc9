/* pochta-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application object: command line, app-wide actions and the main window.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-application.h"
#include "pochta-window.h"

struct _PochtaApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (PochtaApplication, pochta_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

PochtaApplication *
pochta_application_new (void)
{
  return g_object_new (POCHTA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The .Devel profile shares the resources of the
                        * default one, so the base path cannot follow the id. */
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

static gint
pochta_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return -1;
}

static void
pochta_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (pochta_window_new (POCHTA_APPLICATION (app)));

  gtk_window_present (window);
}

static void
pochta_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  GApplication *app = user_data;
  g_autoptr(GList) windows = NULL;

  /* Closing each window first lets it save its size and pane positions. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (iter->data);

  g_application_quit (app);
}

static void
pochta_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  static const char *developers[] = {
    "The Pochta developers https://github.com/pochta/pochta",
    NULL
  };
  GtkApplication *app = user_data;
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Pochta"),
                        "developer-name", _("The Pochta developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Read and send email, online and offline"),
                        "website", "https://github.com/pochta/pochta",
                        "issue-url", "https://github.com/pochta/pochta/issues",
                        "copyright", "© 2026 The Pochta developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (about);
}

static const GActionEntry app_entries[] = {
  { "quit", pochta_application_quit_action },
  { "about", pochta_application_about_action },
};

static void
pochta_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };

  G_APPLICATION_CLASS (pochta_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_entries,
                                   G_N_ELEMENTS (app_entries),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
pochta_application_class_init (PochtaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pochta_application_activate;
  app_class->startup = pochta_application_startup;
  app_class->handle_local_options = pochta_application_handle_local_options;
}

static void
pochta_application_init (PochtaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}
