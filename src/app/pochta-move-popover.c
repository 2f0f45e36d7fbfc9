/* pochta-move-popover.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Move to…": the account's folders (but the one the messages are in), a
 * filter entry that matches the shown name or the full path, Enter takes
 * the first match. Emits ::folder-chosen and closes.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-folder-row.h"
#include "pochta-move-popover.h"

struct _PochtaMovePopover
{
  GtkPopover          parent_instance;

  GtkFilterListModel *filtered;
  GtkStringFilter    *string_filter;
  GtkCustomFilter    *exclude_filter;
  GtkNoSelection     *selection;
  gint64              current_folder_id;

  GtkSearchEntry     *filter_entry;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (PochtaMovePopover, pochta_move_popover, GTK_TYPE_POPOVER)

enum {
  FOLDER_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
folder_search_text (PochtaFolder *folder)
{
  g_autofree char *display = NULL;

  if (folder == NULL)
    return NULL;

  display = pochta_folder_display_name (folder);
  return g_strconcat (display, "\n", pochta_folder_get_name (folder), NULL);
}

static gboolean
not_current_folder (gpointer item,
                    gpointer user_data)
{
  PochtaMovePopover *self = user_data;

  return pochta_folder_get_id (item) != self->current_folder_id;
}

/* @folders: PochtaFolder items of one account, e.g. pochta_service_get_folders() */
void
pochta_move_popover_set_folders (PochtaMovePopover *self,
                                 GListModel        *folders,
                                 gint64             current_folder_id)
{
  g_return_if_fail (POCHTA_IS_MOVE_POPOVER (self));
  g_return_if_fail (folders == NULL || G_IS_LIST_MODEL (folders));

  self->current_folder_id = current_folder_id;
  gtk_filter_list_model_set_model (self->filtered, folders);
  gtk_filter_changed (GTK_FILTER (self->exclude_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
pochta_move_popover_set_filter (PochtaMovePopover *self,
                                const char        *text)
{
  g_return_if_fail (POCHTA_IS_MOVE_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
  gtk_string_filter_set_search (self->string_filter, text);
}

/* The folders the list shows now, after the filter. */
GListModel *
pochta_move_popover_get_shown (PochtaMovePopover *self)
{
  g_return_val_if_fail (POCHTA_IS_MOVE_POPOVER (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

void
pochta_move_popover_choose (PochtaMovePopover *self,
                            guint              position)
{
  g_autoptr(PochtaFolder) folder = NULL;

  g_return_if_fail (POCHTA_IS_MOVE_POPOVER (self));

  folder = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  if (folder == NULL)
    return;

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[FOLDER_CHOSEN], 0, folder);
}

static void
search_changed_cb (PochtaMovePopover *self,
                   GtkSearchEntry    *entry)
{
  gtk_string_filter_set_search (self->string_filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
entry_activate_cb (PochtaMovePopover *self,
                   GtkSearchEntry    *entry)
{
  pochta_move_popover_choose (self, 0);
}

static void
list_activate_cb (PochtaMovePopover *self,
                  guint              position,
                  GtkListView       *list_view)
{
  pochta_move_popover_choose (self, position);
}

static void
popover_show_cb (PochtaMovePopover *self)
{
  pochta_move_popover_set_filter (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (item, pochta_folder_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  PochtaFolderRow *row = POCHTA_FOLDER_ROW (gtk_list_item_get_child (item));

  pochta_folder_row_set_item (row, gtk_list_item_get_item (item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  pochta_folder_row_set_item (POCHTA_FOLDER_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
pochta_move_popover_dispose (GObject *object)
{
  PochtaMovePopover *self = (PochtaMovePopover *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_MOVE_POPOVER);

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);

  G_OBJECT_CLASS (pochta_move_popover_parent_class)->dispose (object);
}

static void
pochta_move_popover_class_init (PochtaMovePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_move_popover_dispose;

  /**
   * PochtaMovePopover::folder-chosen:
   * @folder: the PochtaFolder to move to
   */
  signals[FOLDER_CHOSEN] =
    g_signal_new ("folder-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, POCHTA_TYPE_FOLDER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-move-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaMovePopover, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, PochtaMovePopover, list_view);
}

static void
pochta_move_popover_init (PochtaMovePopover *self)
{
  GtkListItemFactory *factory;
  GtkExpression *expression;
  GtkEveryFilter *filter;

  gtk_widget_init_template (GTK_WIDGET (self));

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (folder_search_text), NULL, NULL);
  self->string_filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->string_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->string_filter, TRUE);
  self->exclude_filter = gtk_custom_filter_new (not_current_folder, self, NULL);

  filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->exclude_filter));
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), GTK_FILTER (self->string_filter));
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (filter));
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->filter_entry, "search-changed", G_CALLBACK (search_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_entry, "activate", G_CALLBACK (entry_activate_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (list_activate_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "show", G_CALLBACK (popover_show_cb), NULL);
}

GtkWidget *
pochta_move_popover_new (void)
{
  return g_object_new (POCHTA_TYPE_MOVE_POPOVER, NULL);
}
