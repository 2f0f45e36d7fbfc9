/* pochta-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window's actions and their shortcuts: on the selected messages
 * (read, unread, star, delete, archive, move), on the folder (mark all
 * read, refresh), and navigation. Every change goes through the service,
 * which shows it in the cache at once and sends it when online; moves get
 * an Undo toast that moves the same messages (same ids) back.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-dialog.h"
#include "pochta-folder-row.h"
#include "pochta-window-private.h"

static const char * const message_actions[] = {
  "win.mark-read", "win.mark-unread", "win.toggle-read", "win.toggle-star",
  "win.delete", "win.archive", "win.move",
};

void
_pochta_window_undo_free (PochtaWindowUndo *undo)
{
  g_clear_pointer (&undo->ids, g_array_unref);
  g_free (undo);
}

static PochtaFolder *
archive_folder (PochtaWindow *self)
{
  if (self->service == NULL || self->folder_account == NULL)
    return NULL;

  return pochta_service_find_folder_by_role (self->service, self->folder_account,
                                             POCHTA_FOLDER_ROLE_ARCHIVE);
}

static gboolean any_selected (PochtaWindow *self,
                              gboolean      flagged);

void
_pochta_window_update_actions (PochtaWindow *self)
{
  gboolean have_folder = self->service != NULL && self->folder != NULL;
  gboolean selected = have_folder && pochta_message_list_get_n_selected (self->message_list) > 0;
  PochtaFolder *archive = archive_folder (self);

  for (guint i = 0; i < G_N_ELEMENTS (message_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), message_actions[i], selected);

  /* Archiving from the Archive would do nothing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.archive",
                                 selected && archive != NULL && archive != self->folder);
  gtk_widget_set_sensitive (GTK_WIDGET (self->move_button), selected);

  /* The buttons say what a click will do to this selection. */
  if (selected && !any_selected (self, FALSE))
    {
      gtk_button_set_icon_name (self->read_button, "mail-unread-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->read_button), _("Mark as Unread"));
    }
  else
    {
      gtk_button_set_icon_name (self->read_button, "mail-read-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->read_button), _("Mark as Read"));
    }
  if (selected && !any_selected (self, TRUE))
    {
      gtk_button_set_icon_name (self->star_button, "starred-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->star_button), _("Unstar"));
    }
  else
    {
      gtk_button_set_icon_name (self->star_button, "non-starred-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->star_button), _("Star"));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.mark-all-read", have_folder);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->service != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", self->undo != NULL);
}

/* Takes @text. Errors stay until dismissed: they are not to be missed. */
static void
show_error_toast (PochtaWindow *self,
                  char         *text)
{
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  g_free (text);

  adw_toast_set_timeout (toast, 0);
  pochta_window_add_toast (self, toast);
}

/* ----- flags ----- */

static void
action_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PochtaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_service_action_finish (POCHTA_SERVICE (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: %s is the reason. */
    show_error_toast (self, g_strdup_printf (_("The change could not be made: %s"), error->message));

  /* Read and star buttons follow the flags the change set. */
  _pochta_window_update_actions (self);
}

static void
set_flags (PochtaWindow       *self,
           PochtaMessageFlags  add,
           PochtaMessageFlags  remove)
{
  g_autoptr(GArray) ids = pochta_message_list_get_selected_ids (self->message_list);

  if (ids->len == 0 || self->service == NULL)
    return;

  pochta_service_set_flags_async (self->service, (const gint64 *) ids->data, ids->len, add, remove,
                                  NULL, action_done_cb, g_object_ref (self));
}

/* Whether any selected message lacks (or, with @unread, has not seen) the flag. */
static gboolean
any_selected (PochtaWindow *self,
              gboolean      flagged)
{
  g_autoptr(GPtrArray) selected = pochta_message_list_get_selected (self->message_list);

  for (guint i = 0; i < selected->len; i++)
    {
      PochtaMessageSummary *summary = selected->pdata[i];

      if (flagged ? !pochta_message_summary_get_flagged (summary)
                  : pochta_message_summary_get_unread (summary))
        return TRUE;
    }

  return FALSE;
}

static void
mark_read_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  set_flags (POCHTA_WINDOW (widget), POCHTA_MESSAGE_FLAG_SEEN, 0);
}

static void
mark_unread_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  /* Marked unread on purpose: opening it must not mark it read again. */
  g_clear_handle_id (&self->mark_read_source, g_source_remove);
  set_flags (self, 0, POCHTA_MESSAGE_FLAG_SEEN);
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  if (any_selected (self, FALSE))
    mark_read_action (widget, NULL, NULL);
  else
    mark_unread_action (widget, NULL, NULL);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  if (any_selected (self, TRUE))
    set_flags (self, POCHTA_MESSAGE_FLAG_FLAGGED, 0);
  else
    set_flags (self, 0, POCHTA_MESSAGE_FLAG_FLAGGED);
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  if (self->service == NULL || self->folder == NULL)
    return;

  pochta_service_mark_all_read_async (self->service, pochta_folder_get_id (self->folder), NULL,
                                      action_done_cb, g_object_ref (self));
}

/* ----- moves with Undo ----- */

typedef struct
{
  PochtaWindow *window;
  char         *done_text;      /* the toast's text */
  gboolean      undoable;
} MoveData;

static void
move_data_free (MoveData *data)
{
  g_clear_object (&data->window);
  g_free (data->done_text);
  g_free (data);
}

static guint
first_selected_position (PochtaWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (pochta_message_list_get_selection (self->message_list));

  return gtk_bitset_is_empty (selected) ? 0 : gtk_bitset_get_minimum (selected);
}

static void
toast_dismissed_cb (AdwToast     *toast,
                    PochtaWindow *self)
{
  /* Once its toast is gone, an undo has nothing left to offer. */
  if (self->last_toast == toast)
    {
      g_clear_pointer (&self->undo, _pochta_window_undo_free);
      _pochta_window_update_actions (self);
    }
}

static void
move_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MoveData *data = user_data;
  PochtaWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = NULL;

  if (!pochta_service_action_finish (POCHTA_SERVICE (object), result, &error))
    {
      g_clear_pointer (&self->undo, _pochta_window_undo_free);
      _pochta_window_update_actions (self);
      show_error_toast (self, g_strdup_printf (_("The messages could not be moved: %s"), error->message));
      move_data_free (data);
      return;
    }

  /* The next message takes the place of the ones that left. */
  if (pochta_message_list_get_n_selected (self->message_list) == 0)
    pochta_message_list_select_position (self->message_list, self->reselect_position);

  toast = adw_toast_new (data->done_text);
  if (data->undoable && self->undo != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo");
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
    }
  pochta_window_add_toast (self, toast);
  _pochta_window_update_actions (self);

  move_data_free (data);
}

/* Moves the selection to @dest (or to Trash when @dest is 0: delete). */
static void
move_selection (PochtaWindow *self,
                gint64        dest_folder_id,
                char         *done_text,
                gboolean      undoable)
{
  g_autoptr(GArray) ids = pochta_message_list_get_selected_ids (self->message_list);
  MoveData *data;

  if (ids->len == 0 || self->service == NULL || self->folder == NULL)
    {
      g_free (done_text);
      return;
    }

  g_clear_pointer (&self->undo, _pochta_window_undo_free);
  if (undoable)
    {
      self->undo = g_new0 (PochtaWindowUndo, 1);
      self->undo->ids = g_array_ref (ids);
      self->undo->source_folder_id = pochta_folder_get_id (self->folder);
    }
  self->reselect_position = first_selected_position (self);

  data = g_new0 (MoveData, 1);
  data->window = g_object_ref (self);
  data->done_text = done_text;
  data->undoable = undoable;

  if (dest_folder_id > 0)
    pochta_service_move_async (self->service, (const gint64 *) ids->data, ids->len, dest_folder_id,
                               NULL, move_done_cb, data);
  else
    pochta_service_delete_async (self->service, (const gint64 *) ids->data, ids->len,
                                 NULL, move_done_cb, data);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PochtaWindow     *self)
{
  guint n = pochta_message_list_get_n_selected (self->message_list);

  if (g_strcmp0 (response, "delete") == 0)
    move_selection (self, 0,
                    g_strdup_printf (ngettext ("%u message deleted", "%u messages deleted", n), n),
                    FALSE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);
  guint n = pochta_message_list_get_n_selected (self->message_list);
  PochtaFolder *trash;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (n == 0 || self->folder == NULL || self->folder_account == NULL)
    return;

  trash = pochta_service_find_folder_by_role (self->service, self->folder_account, POCHTA_FOLDER_ROLE_TRASH);
  if (trash != NULL && trash != self->folder)
    {
      move_selection (self, 0,
                      g_strdup_printf (ngettext ("%u message moved to Trash",
                                                 "%u messages moved to Trash", n), n),
                      TRUE);
      return;
    }

  /* In the Trash itself (or with none) deleting is for good: ask first. */
  heading = g_strdup_printf (ngettext ("Delete %u Message Permanently?",
                                       "Delete %u Messages Permanently?", n), n);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Deleted messages cannot be brought back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);
  PochtaFolder *archive = archive_folder (self);
  guint n = pochta_message_list_get_n_selected (self->message_list);

  if (archive == NULL || archive == self->folder)
    return;

  move_selection (self, pochta_folder_get_id (archive),
                  g_strdup_printf (ngettext ("%u message archived", "%u messages archived", n), n),
                  TRUE);
}

static void
move_folder_chosen_cb (PochtaWindow      *self,
                       PochtaFolder      *folder,
                       PochtaMovePopover *popover)
{
  guint n = pochta_message_list_get_n_selected (self->message_list);
  g_autofree char *name = pochta_folder_display_name (folder);

  /* Translators: %u is a number of messages, %s a folder's name. */
  move_selection (self, pochta_folder_get_id (folder),
                  g_strdup_printf (ngettext ("%u message moved to %s", "%u messages moved to %s", n), n, name),
                  TRUE);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  gtk_menu_button_popup (self->move_button);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);
  g_autoptr(PochtaWindowUndo) undo = g_steal_pointer (&self->undo);

  if (undo == NULL || self->service == NULL)
    return;

  /* The toast is not dismissed from here: its own Undo button already
   * does that, and libadwaita 1.2 can free a toast twice when it is
   * dismissed while its hide animation is skipped. */
  /* Ids survive moves, so the same ids go back where they came from. */
  pochta_service_move_async (self->service, (const gint64 *) undo->ids->data, undo->ids->len,
                             undo->source_folder_id, NULL, action_done_cb, g_object_ref (self));
  _pochta_window_update_actions (self);
}

/* ----- folder, navigation, accounts ----- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  if (self->service != NULL)
    pochta_service_refresh (self->service, NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);

  if (self->page == POCHTA_WINDOW_PAGE_READER)
    _pochta_window_set_page (self, POCHTA_WINDOW_PAGE_MESSAGES);
  else
    _pochta_window_set_page (self, POCHTA_WINDOW_PAGE_FOLDERS);
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PochtaWindow *self = POCHTA_WINDOW (widget);
  GtkWindow *dialog;

  dialog = GTK_WINDOW (pochta_account_dialog_new (GTK_WINDOW (self), self->service));
  gtk_window_present (dialog);
}

void
_pochta_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.mark-read", NULL, mark_read_action);
  gtk_widget_class_install_action (widget_class, "win.mark-unread", NULL, mark_unread_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "win.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "win.move", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-account", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.mark-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.mark-unread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.toggle-star", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.mark-all-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.archive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.move", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
}

/* Called from pochta_window_init once the template is built. */
void
_pochta_window_init_actions (PochtaWindow *self)
{
  g_signal_connect_object (self->move_popover, "folder-chosen", G_CALLBACK (move_folder_chosen_cb),
                           self, G_CONNECT_SWAPPED);
}
