/* pochta-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: folders | messages | reader in panes whose widths
 * follow GSettings, one pane at a time with a back button when the window
 * is narrow. It connects the sidebar's folder to the list's model, the
 * list's selection to the reader (fetching and parsing the body), and
 * shows each account's trouble above the list. The actions on messages
 * are in pochta-window-actions.c.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-banner.h"
#include "pochta-folder-row.h"
#include "pochta-window-private.h"

/* Below this width the window shows one pane at a time. */
#define NARROW_WIDTH 720

/* One page of the message list model: looking there costs nothing more. */
#define OPEN_MESSAGE_SCAN_ROWS 256

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

/* ----- panes and size ----- */

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

static void
pochta_window_apply_layout (PochtaWindow *self)
{
  gboolean narrow = self->narrow;
  PochtaWindowPage page = self->page;

  /* A GtkPaned with one child hidden gives the other all the room: narrow
   * mode is the same panes with all but one hidden. */
  gtk_widget_set_visible (GTK_WIDGET (self->folder_pane), !narrow || page == POCHTA_WINDOW_PAGE_FOLDERS);
  gtk_widget_set_visible (GTK_WIDGET (self->message_paned), !narrow || page != POCHTA_WINDOW_PAGE_FOLDERS);
  gtk_widget_set_visible (GTK_WIDGET (self->message_pane), !narrow || page == POCHTA_WINDOW_PAGE_MESSAGES);
  gtk_widget_set_visible (GTK_WIDGET (self->reader_pane), !narrow || page == POCHTA_WINDOW_PAGE_READER);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), narrow && page != POCHTA_WINDOW_PAGE_FOLDERS);
  gtk_widget_set_visible (GTK_WIDGET (self->message_actions), !narrow || page != POCHTA_WINDOW_PAGE_FOLDERS);

  if (narrow)
    gtk_widget_add_css_class (GTK_WIDGET (self), "narrow");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "narrow");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", narrow && page != POCHTA_WINDOW_PAGE_FOLDERS);
}

void
_pochta_window_set_page (PochtaWindow     *self,
                         PochtaWindowPage  page)
{
  if (self->page == page)
    return;

  self->page = page;
  pochta_window_apply_layout (self);
}

static gboolean
layout_idle_cb (gpointer user_data)
{
  PochtaWindow *self = user_data;
  gboolean narrow = gtk_widget_get_width (GTK_WIDGET (self)) < NARROW_WIDTH;

  self->layout_source = 0;

  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      /* Going narrow shows what was last looked at. */
      if (narrow && self->page == POCHTA_WINDOW_PAGE_FOLDERS && self->folder != NULL)
        self->page = self->shown_message_id > 0 ? POCHTA_WINDOW_PAGE_READER : POCHTA_WINDOW_PAGE_MESSAGES;
      pochta_window_apply_layout (self);
    }

  return G_SOURCE_REMOVE;
}

static void
pochta_window_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (pochta_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Changing which panes are visible inside an allocation would resize
   * again from within it; the switch waits for the next idle. */
  if (narrow != self->narrow && self->layout_source == 0)
    self->layout_source = g_idle_add (layout_idle_cb, self);
}

static gboolean
pochta_window_close_request (GtkWindow *window)
{
  pochta_window_save_size (POCHTA_WINDOW (window));

  return GTK_WINDOW_CLASS (pochta_window_parent_class)->close_request (window);
}

/* ----- the reader ----- */

static void
cancel_reader_work (PochtaWindow *self)
{
  g_cancellable_cancel (self->body_cancellable);
  g_clear_object (&self->body_cancellable);
  g_clear_handle_id (&self->mark_read_source, g_source_remove);
}

typedef struct
{
  PochtaWindow *window;
  gint64        message_id;
} MarkRead;

static void
marked_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PochtaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_service_action_finish (POCHTA_SERVICE (object), result, &error))
    g_warning ("Cannot mark a message read: %s", error->message);
  else if (self->message_list != NULL)
    _pochta_window_update_actions (self);
}

static gboolean
mark_read_cb (gpointer user_data)
{
  MarkRead *data = user_data;
  PochtaWindow *self = data->window;

  self->mark_read_source = 0;
  if (self->service != NULL && self->shown_message_id == data->message_id)
    pochta_service_set_flags_async (self->service, &data->message_id, 1,
                                    POCHTA_MESSAGE_FLAG_SEEN, 0, NULL, marked_read_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule_mark_read (PochtaWindow *self,
                    gint64        message_id)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;
  MarkRead *data;
  int delay;

  g_clear_handle_id (&self->mark_read_source, g_source_remove);

  if (!g_settings_get_boolean (self->settings, "mark-read-on-open"))
    return;

  summary = pochta_service_get_message (self->service, message_id, NULL);
  if (summary == NULL || !pochta_message_summary_get_unread (summary))
    return;

  data = g_new0 (MarkRead, 1);
  data->window = self;
  data->message_id = message_id;

  /* A delay, so that passing over messages with the arrow keys leaves
   * them unread; the source dies with the window (see dispose). */
  delay = g_settings_get_int (self->settings, "mark-read-delay");
  self->mark_read_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) delay * 1000,
                                               mark_read_cb, data, g_free);
}

typedef struct
{
  PochtaWindow *window;
  GCancellable *cancellable;
  gint64        message_id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
message_parsed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  PochtaWindow *self = data->window;
  g_autoptr(PochtaMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = pochta_message_parser_parse_bytes_finish (POCHTA_MESSAGE_PARSER (object), result, &error);
  /* Another message was chosen meanwhile, or the window closed. */
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  if (message == NULL)
    {
      pochta_message_view_show_error (self->message_view, error);
      return;
    }

  pochta_message_view_set_message (self->message_view, message);
  schedule_mark_read (self, data->message_id);
}

static void
body_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  PochtaWindow *self = data->window;
  g_autoptr(PochtaMessageParser) parser = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  body = pochta_service_get_body_finish (POCHTA_SERVICE (object), result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  if (body == NULL)
    {
      pochta_message_view_show_error (self->message_view, error);
      return;
    }

  /* Large messages parse off the main thread. */
  parser = pochta_message_parser_new ();
  cancellable = data->cancellable;
  pochta_message_parser_parse_bytes_async (parser, body, cancellable,
                                           message_parsed_cb, g_steal_pointer (&data));
}

static void
pochta_window_show_message (PochtaWindow *self,
                            gint64        message_id)
{
  LoadData *data;

  if (self->shown_message_id == message_id && message_id > 0)
    return;

  cancel_reader_work (self);
  self->shown_message_id = message_id;

  if (message_id <= 0 || self->service == NULL)
    {
      pochta_message_view_show_empty (self->message_view);
      return;
    }

  self->body_cancellable = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->window = g_object_ref (self);
  data->cancellable = g_object_ref (self->body_cancellable);
  data->message_id = message_id;

  pochta_message_view_show_loading (self->message_view);
  pochta_service_get_body_async (self->service, message_id, self->body_cancellable,
                                 body_loaded_cb, data);
}

/* Shows @message_id in the reader, e.g. from a notification: its folder
 * is selected, the message is not looked for in the list. */
void
pochta_window_open_message (PochtaWindow *self,
                            gint64        message_id)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;

  g_return_if_fail (POCHTA_IS_WINDOW (self));

  if (self->service == NULL)
    return;

  summary = pochta_service_get_message (self->service, message_id, NULL);
  if (summary == NULL)
    return;

  pochta_window_select_folder (self, pochta_message_summary_get_folder_id (summary));

  /* New mail is near the top: select its row there, as a click would. */
  if (pochta_message_list_select_id (self->message_list, message_id, OPEN_MESSAGE_SCAN_ROWS))
    return;

  self->shown_message_id = 0;
  pochta_window_show_message (self, message_id);
  _pochta_window_set_page (self, POCHTA_WINDOW_PAGE_READER);
}

static void
list_selection_changed_cb (PochtaWindow *self)
{
  g_autoptr(PochtaMessageSummary) summary = pochta_message_list_get_single_selected (self->message_list);

  _pochta_window_update_actions (self);

  if (summary != NULL)
    {
      pochta_window_show_message (self, pochta_message_summary_get_id (summary));
      _pochta_window_set_page (self, POCHTA_WINDOW_PAGE_READER);
    }
  else
    {
      pochta_window_show_message (self, 0);
      pochta_message_view_show_n_selected (self->message_view,
                                           pochta_message_list_get_n_selected (self->message_list));
    }
}

/* ----- folders and accounts ----- */

static void
pochta_window_update_title (PochtaWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (self->folder == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Pochta"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  title = pochta_folder_display_name (self->folder);
  if (self->folder_account != NULL)
    {
      const char *name = pochta_account_get_display_name (self->folder_account);

      /* Offline is said quietly, where the folder's name is. */
      if (pochta_account_get_state (self->folder_account) == POCHTA_ACCOUNT_STATE_OFFLINE)
        /* Translators: the window's subtitle; %s is the account's name. */
        subtitle = g_strdup_printf (_("%s — offline"), name);
      else
        subtitle = g_strdup (name);
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static gboolean
folder_shows_recipients (PochtaFolder *folder)
{
  PochtaFolderRole role = pochta_folder_get_role (folder);

  return role == POCHTA_FOLDER_ROLE_SENT || role == POCHTA_FOLDER_ROLE_DRAFTS;
}

static void
selected_folder_changed_cb (PochtaWindow *self)
{
  PochtaFolder *folder = pochta_folder_sidebar_get_selected_folder (self->folder_sidebar);
  g_autoptr(GListModel) messages = NULL;
  PochtaAccount *account = NULL;

  if (folder == self->folder)
    return;

  if (self->folder_account != NULL)
    g_signal_handlers_disconnect_by_data (self->folder_account, self);

  g_set_object (&self->folder, folder);
  g_clear_object (&self->folder_account);
  g_clear_object (&self->messages);

  if (folder != NULL && self->service != NULL)
    {
      messages = pochta_service_get_messages (self->service, pochta_folder_get_id (folder));
      account = pochta_service_get_account_for_folder (self->service, pochta_folder_get_id (folder));
      self->messages = g_object_ref (messages);
    }

  if (account != NULL)
    {
      self->folder_account = g_object_ref (account);
      g_signal_connect_object (account, "notify::state", G_CALLBACK (pochta_window_update_title),
                               self, G_CONNECT_SWAPPED);
      pochta_move_popover_set_folders (self->move_popover,
                                       pochta_service_get_folders (self->service, account),
                                       pochta_folder_get_id (folder));
    }
  else
    pochta_move_popover_set_folders (self->move_popover, NULL, 0);

  pochta_message_list_set_model (self->message_list, messages,
                                 folder != NULL && folder_shows_recipients (folder));
  pochta_window_update_title (self);
  _pochta_window_update_actions (self);

  if (folder != NULL)
    _pochta_window_set_page (self, POCHTA_WINDOW_PAGE_MESSAGES);
}

gboolean
pochta_window_select_folder (PochtaWindow *self,
                             gint64        folder_id)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), FALSE);

  return pochta_folder_sidebar_select_folder (self->folder_sidebar, folder_id);
}

static void
accounts_changed_cb (PochtaWindow *self)
{
  GListModel *accounts = pochta_service_get_accounts (self->service);
  guint n = g_list_model_get_n_items (accounts);
  GtkWidget *child;

  gtk_widget_set_visible (GTK_WIDGET (self->no_accounts_page), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->folder_sidebar), n > 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->banners_box))) != NULL)
    gtk_box_remove (self->banners_box, child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);

      gtk_box_append (self->banners_box, pochta_account_banner_new (self->service, account));
    }
}

void
pochta_window_set_service (PochtaWindow  *self,
                           PochtaService *service)
{
  g_return_if_fail (POCHTA_IS_WINDOW (self));
  g_return_if_fail (POCHTA_IS_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);

  g_signal_connect_object (pochta_service_get_accounts (service), "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  accounts_changed_cb (self);

  pochta_folder_sidebar_set_service (self->folder_sidebar, service);
  _pochta_window_update_actions (self);
}

PochtaService *
pochta_window_get_service (PochtaWindow *self)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), NULL);

  return self->service;
}

PochtaFolder *
pochta_window_get_folder (PochtaWindow *self)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), NULL);

  return self->folder;
}

/* @toast: (transfer none), unlike adw_toast_overlay_add_toast() */
void
pochta_window_add_toast (PochtaWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (POCHTA_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_set_object (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

/* The toast added last, for tests: AdwToastOverlay does not list them. */
AdwToast *
pochta_window_get_last_toast (PochtaWindow *self)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), NULL);

  return self->last_toast;
}

gboolean
pochta_window_get_narrow (PochtaWindow *self)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), FALSE);

  return self->narrow;
}

PochtaWindowPage
pochta_window_get_page (PochtaWindow *self)
{
  g_return_val_if_fail (POCHTA_IS_WINDOW (self), POCHTA_WINDOW_PAGE_FOLDERS);

  return self->page;
}

/* ----- GObject ----- */

static void
pochta_window_dispose (GObject *object)
{
  PochtaWindow *self = (PochtaWindow *)object;

  cancel_reader_work (self);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  if (self->folder_account != NULL)
    g_signal_handlers_disconnect_by_data (self->folder_account, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_WINDOW);

  g_clear_object (&self->last_toast);
  g_clear_pointer (&self->undo, _pochta_window_undo_free);
  g_clear_object (&self->messages);
  g_clear_object (&self->folder_account);
  g_clear_object (&self->folder);
  g_clear_object (&self->service);

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

  widget_class->size_allocate = pochta_window_size_allocate;

  window_class->close_request = pochta_window_close_request;

  g_type_ensure (POCHTA_TYPE_FOLDER_SIDEBAR);
  g_type_ensure (POCHTA_TYPE_MESSAGE_LIST);
  g_type_ensure (POCHTA_TYPE_MESSAGE_VIEW);
  g_type_ensure (POCHTA_TYPE_MOVE_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, add_account_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, archive_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, banners_box);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, folder_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, folder_paned);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, folder_sidebar);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_actions);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_list);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_paned);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, move_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, move_popover);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, no_accounts_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, read_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, reader_pane);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, star_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PochtaWindow, window_title);

  _pochta_window_class_init_actions (widget_class);
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

  g_signal_connect_object (self->folder_sidebar, "notify::selected-folder",
                           G_CALLBACK (selected_folder_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_list, "selection-changed",
                           G_CALLBACK (list_selection_changed_cb), self, G_CONNECT_SWAPPED);

  _pochta_window_init_actions (self);

  self->page = POCHTA_WINDOW_PAGE_FOLDERS;
  pochta_window_apply_layout (self);
  _pochta_window_update_actions (self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
