/* pochta-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: three panes whose layout and size follow GSettings.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-window.h"

struct _PochtaWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  GtkButton            *add_account_button;
  GtkBox               *folder_pane;
  GtkPaned             *folder_paned;
  AdwHeaderBar         *header_bar;
  GtkBox               *message_pane;
  GtkPaned             *message_paned;
  AdwStatusPage        *no_accounts_page;
  AdwStatusPage        *no_folder_page;
  AdwStatusPage        *no_message_page;
  GtkMenuButton        *primary_menu_button;
  GtkBox               *reader_pane;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (PochtaWindow, pochta_window, ADW_TYPE_APPLICATION_WINDOW)

PochtaWindow *
pochta_window_new (PochtaApplication *application)
{
  PochtaWindow *self;
  GMenuModel *menu;

  g_return_val_if_fail (POCHTA_IS_APPLICATION (application), NULL);

  self = g_object_new (POCHTA_TYPE_WINDOW,
                       "application", application,
                       NULL);

  /* GtkApplication loads gtk/menus.ui during startup, before any window. */
  menu = G_MENU_MODEL (gtk_application_get_menu_by_id (GTK_APPLICATION (application),
                                                      "primary_menu"));
  gtk_menu_button_set_menu_model (self->primary_menu_button, menu);

  return self;
}

/* A dragged pane may pass the range the schema allows; writing such a value
 * would be refused with a critical, so the binding clamps it instead. */
static GVariant *
pochta_window_clamp_to_key_range (const GValue       *value,
                                  const GVariantType *expected_type,
                                  gpointer            user_data)
{
  GSettingsSchemaKey *key = user_data;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) limits = NULL;
  const char *kind;
  int position = g_value_get_int (value);
  int lo;
  int hi;

  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(&sv)", &kind, &limits);
  if (g_strcmp0 (kind, "range") == 0)
    {
      g_variant_get (limits, "(ii)", &lo, &hi);
      position = CLAMP (position, lo, hi);
    }

  return g_variant_new_int32 (position);
}

static void
pochta_window_bind_pane (PochtaWindow *self,
                         GtkPaned     *paned,
                         const char   *key_name)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaKey *key;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, key_name);

  /* Binding applies the stored value at once, so every pane gets an explicit
   * position: an unset GtkPaned may give its end child no width at all. */
  g_settings_bind_with_mapping (self->settings, key_name,
                                paned, "position",
                                G_SETTINGS_BIND_DEFAULT,
                                NULL,
                                pochta_window_clamp_to_key_range,
                                key,
                                (GDestroyNotify) g_settings_schema_key_unref);
}

static void
pochta_window_restore_size (PochtaWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
pochta_window_save_size (PochtaWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  int width;
  int height;

  g_settings_delay (self->settings);

  /* A maximized window keeps the size it will return to, not the screen's. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  g_settings_apply (self->settings);
}

static gboolean
pochta_window_close_request (GtkWindow *window)
{
  pochta_window_save_size (POCHTA_WINDOW (window));

  return GTK_WINDOW_CLASS (pochta_window_parent_class)->close_request (window);
}

static void
pochta_window_add_account_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  GtkWidget *dialog;

  /* The interim dialog: this release has no account setup yet, and says so
   * plainly instead of offering a button that does nothing. */
  dialog = adw_message_dialog_new (GTK_WINDOW (widget),
                                   _("Account Setup Is Coming"),
                                   _("Adding an email account arrives in a coming version of "
                                     "Pochta. This version shows the main window only."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pochta_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), POCHTA_TYPE_WINDOW);

  G_OBJECT_CLASS (pochta_window_parent_class)->dispose (object);
}

static void
pochta_window_finalize (GObject *object)
{
  PochtaWindow *self = (PochtaWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pochta_window_parent_class)->finalize (object);
}

static void
pochta_window_class_init (PochtaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pochta_window_dispose;
  object_class->finalize = pochta_window_finalize;

  window_class->close_request = pochta_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, add_account_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, folder_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, folder_paned);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_paned);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, no_accounts_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, no_folder_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, no_message_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, reader_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, window_title);

  gtk_widget_class_install_action (widget_class, "win.add-account", NULL,
                                   pochta_window_add_account_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-account", NULL);
}

static void
pochta_window_init (PochtaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The .Devel profile keeps the schema id, so both profiles share settings. */
  self->settings = g_settings_new (BASE_ID);

  pochta_window_restore_size (self);
  pochta_window_bind_pane (self, self->folder_paned, "folder-pane-position");
  pochta_window_bind_pane (self, self->message_paned, "message-pane-position");

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
