/* pochta-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application object: command line, app-wide actions, the main window,
 * and the one account service every window shows. The service opens
 * (reading only the local cache, so it is quick with or without a
 * network) while the first window appears, and shuts down cleanly on quit.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-application.h"
#include "pochta-attachment-list.h"
#include "pochta-timing.h"
#include "pochta-window.h"

/* How long quitting waits for the service to log out and close the cache. */
#define SHUTDOWN_TIMEOUT_MS 3000

struct _PochtaApplication
{
  AdwApplication  parent_instance;

  PochtaService  *service;
  GCancellable   *cancellable;
  gboolean        opening;
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
new_mail_cb (PochtaApplication *self,
             PochtaAccount     *account,
             gint64             message_id,
             PochtaService     *service)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *sender;
  const char *subject;

  /* Someone looking at the window sees the new row; no need to interrupt. */
  if (!g_settings_get_boolean (settings, "notify-new-mail")
      || (window != NULL && gtk_window_is_active (window)))
    return;

  summary = pochta_service_get_message (service, message_id, NULL);
  if (summary == NULL)
    return;

  sender = pochta_message_summary_get_from_name (summary);
  if (sender == NULL || *sender == '\0')
    sender = pochta_message_summary_get_from_address (summary);
  subject = pochta_message_summary_get_subject (summary);

  notification = g_notification_new (sender != NULL && *sender != '\0' ? sender : _("New mail"));
  g_notification_set_body (notification, subject != NULL && *subject != '\0' ? subject : _("(No subject)"));
  g_notification_set_category (notification, "email.arrived");
  g_notification_set_default_action_and_target (notification, "app.open-message", "x", message_id);

  /* One notification per message; a later one for the same replaces it. */
  id = g_strdup_printf ("new-mail-%lld", (long long) message_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static gboolean
start_sessions_cb (gpointer user_data)
{
  PochtaApplication *self = user_data;

  if (self->service != NULL && !g_cancellable_is_cancelled (self->cancellable))
    pochta_service_start (self->service);

  return G_SOURCE_REMOVE;
}

static void
service_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PochtaApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *windows;

  self->opening = FALSE;
  g_application_release (G_APPLICATION (self));

  self->service = pochta_service_new_finish (result, &error);
  pochta_timing_mark ("cache opened");
  if (self->service == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_critical ("Cannot open the mail cache: %s", error->message);
      return;
    }

  g_signal_connect_object (self->service, "new-mail", G_CALLBACK (new_mail_cb), self, G_CONNECT_SWAPPED);

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    if (POCHTA_IS_WINDOW (iter->data) && pochta_window_get_service (iter->data) == NULL)
      pochta_window_set_service (iter->data, self->service);

  /* Sessions connect once the cached mail is on screen: the first frame
   * (drawn at a higher priority than this idle) does not wait for TLS
   * handshakes and the first sync. */
  g_idle_add_full (G_PRIORITY_LOW, start_sessions_cb, g_object_ref (self), g_object_unref);
}

static void
pochta_application_open_service (PochtaApplication *self)
{
  if (self->service != NULL || self->opening)
    return;

  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  pochta_service_new_async (NULL, self->cancellable, service_opened_cb, g_object_ref (self));
}

/* The service, once open; NULL while the cache is still opening. */
PochtaService *
pochta_application_get_service (PochtaApplication *self)
{
  g_return_val_if_fail (POCHTA_IS_APPLICATION (self), NULL);

  return self->service;
}

static void
pochta_application_activate (GApplication *app)
{
  PochtaApplication *self = POCHTA_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (pochta_window_new (self));
      if (self->service != NULL)
        pochta_window_set_service (POCHTA_WINDOW (window), self->service);
    }

  gtk_window_present (window);
  pochta_timing_mark_once ("window presented");
  pochta_application_open_service (self);
}

static void
pochta_application_open_message_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  PochtaApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (POCHTA_IS_WINDOW (window))
    pochta_window_open_message (POCHTA_WINDOW (window), g_variant_get_int64 (parameter));
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
  { "open-message", pochta_application_open_message_action, "x" },
};

static void
pruned_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (pochta_attachment_list_prune_opened_finish (result, &error) < 0)
    g_debug ("Old opened attachments not removed: %s", error->message);
}

static void
pochta_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };

  /* The cache opens on the store's thread while GTK starts here (loading
   * GL alone takes a tenth of a second), before the parent's startup. */
  pochta_application_open_service (POCHTA_APPLICATION (app));

  G_APPLICATION_CLASS (pochta_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_entries,
                                   G_N_ELEMENTS (app_entries),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  gtk_window_set_default_icon_name (APP_ID);

  pochta_attachment_list_prune_opened_async (NULL, pruned_cb, NULL);
}

static void
shutdown_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_service_shutdown_finish (POCHTA_SERVICE (object), result, &error))
    g_warning ("The mail service did not shut down cleanly: %s", error->message);

  *done = TRUE;
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
pochta_application_shutdown (GApplication *app)
{
  PochtaApplication *self = POCHTA_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  /* Log out and close the cache before the process ends: the store's
   * writer thread must finish its batch. Bounded, so quitting never hangs
   * on a server that does not answer. */
  if (self->service != NULL)
    {
      gboolean done = FALSE;
      gboolean timed_out = FALSE;
      guint timeout;

      pochta_service_shutdown_async (self->service, NULL, shutdown_done_cb, &done);
      timeout = g_timeout_add (SHUTDOWN_TIMEOUT_MS, shutdown_timeout_cb, &timed_out);
      while (!done && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (!timed_out)
        g_source_remove (timeout);
    }

  G_APPLICATION_CLASS (pochta_application_parent_class)->shutdown (app);
}

static void
pochta_application_dispose (GObject *object)
{
  PochtaApplication *self = POCHTA_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pochta_application_parent_class)->dispose (object);
}

static void
pochta_application_class_init (PochtaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pochta_application_dispose;

  app_class->activate = pochta_application_activate;
  app_class->shutdown = pochta_application_shutdown;
  app_class->startup = pochta_application_startup;
  app_class->handle_local_options = pochta_application_handle_local_options;
}

static void
pochta_application_init (PochtaApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}
