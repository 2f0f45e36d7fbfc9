/* pochta-folder-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder sidebar: the service's accounts, each with its folder tree
 * (special folders first, as the service orders them) under a
 * GtkTreeListModel, and a quiet line saying how many changes made offline
 * wait to be sent. Accounts are headings; folders are what gets selected.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-context-menu.h"
#include "pochta-folder-row.h"
#include "pochta-folder-sidebar.h"

struct _PochtaFolderSidebar
{
  GtkWidget           parent_instance;

  PochtaService      *service;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GMenuModel         *context_menu;
  GtkWidget          *popover;
  PochtaFolder       *selected_folder;
  GHashTable         *pending;          /* PochtaAccount -> n pending */
  guint               n_pending;

  GtkListView        *list_view;
  GtkLabel           *pending_label;
  GtkRevealer        *pending_revealer;
};

G_DEFINE_FINAL_TYPE (PochtaFolderSidebar, pochta_folder_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  PochtaFolderSidebar *self = user_data;
  PochtaAccount *account;
  GListModel *children;

  if (self->service == NULL)
    return NULL;

  if (POCHTA_IS_ACCOUNT (item))
    return g_object_ref (pochta_service_get_child_folders (self->service, item, NULL));

  account = pochta_service_get_account_for_folder (self->service, pochta_folder_get_id (item));
  if (account == NULL)
    return NULL;

  /* A folder without subfolders gets no expander arrow. */
  children = pochta_service_get_child_folders (self->service, account, item);
  if (children == NULL || g_list_model_get_n_items (children) == 0)
    return NULL;

  return g_object_ref (children);
}

static gpointer
item_at (PochtaFolderSidebar *self,
         guint                position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

static void
selection_changed_cb (PochtaFolderSidebar *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr(GObject) item = NULL;
  PochtaFolder *folder = NULL;

  if (position != GTK_INVALID_LIST_POSITION)
    item = item_at (self, position);
  if (item != NULL && POCHTA_IS_FOLDER (item))
    folder = POCHTA_FOLDER (item);

  if (g_set_object (&self->selected_folder, folder))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FOLDER]);
}

/* Whether @position holds a folder; then it is selected. */
static gboolean
select_position_if (PochtaFolderSidebar *self,
                    guint                position,
                    gint64               folder_id,
                    PochtaFolderRole     role)
{
  g_autoptr(GObject) item = item_at (self, position);

  if (item == NULL || !POCHTA_IS_FOLDER (item))
    return FALSE;

  if (folder_id > 0 && pochta_folder_get_id (POCHTA_FOLDER (item)) != folder_id)
    return FALSE;
  if (folder_id <= 0 && pochta_folder_get_role (POCHTA_FOLDER (item)) != role)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

/* The folder list is small (tens of rows), so walking it is fine. */
static gboolean
select_matching (PochtaFolderSidebar *self,
                 gint64               folder_id,
                 PochtaFolderRole     role)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));

  for (guint i = 0; i < n; i++)
    if (select_position_if (self, i, folder_id, role))
      return TRUE;

  return FALSE;
}

gboolean
pochta_folder_sidebar_select_folder (PochtaFolderSidebar *self,
                                     gint64               folder_id)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_SIDEBAR (self), FALSE);

  if (self->tree == NULL)
    return FALSE;

  return select_matching (self, folder_id, POCHTA_FOLDER_ROLE_NONE);
}

static void
tree_items_changed_cb (PochtaFolderSidebar *self)
{
  /* The first Inbox is where a person starts; also after adding the
   * first account, once its folders arrive. */
  if (self->selected_folder == NULL)
    select_matching (self, 0, POCHTA_FOLDER_ROLE_INBOX);
}

static void
update_pending (PochtaFolderSidebar *self)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;
  g_autofree char *text = NULL;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);

  self->n_pending = total;
  /* At zero the old text stays while the line slides away. */
  if (total > 0)
    {
      text = g_strdup_printf (ngettext ("%u change waiting to be sent",
                                        "%u changes waiting to be sent", total),
                              total);
      gtk_label_set_text (self->pending_label, text);
    }
  gtk_revealer_set_reveal_child (self->pending_revealer, total > 0);
}

static void
pending_changed_cb (PochtaFolderSidebar *self,
                    PochtaAccount       *account,
                    guint                n_pending,
                    PochtaService       *service)
{
  g_hash_table_replace (self->pending, g_object_ref (account), GUINT_TO_POINTER (n_pending));
  update_pending (self);
}

static void
load_pending (PochtaFolderSidebar *self)
{
  GListModel *accounts = pochta_service_get_accounts (self->service);

  g_hash_table_remove_all (self->pending);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);
      g_autoptr(GPtrArray) ops = pochta_service_list_pending (self->service, account, NULL);

      g_hash_table_replace (self->pending, g_object_ref (account),
                            GUINT_TO_POINTER (ops != NULL ? ops->len : 0));
    }
  update_pending (self);
}

void
pochta_folder_sidebar_set_service (PochtaFolderSidebar *self,
                                   PochtaService       *service)
{
  GListModel *accounts;

  g_return_if_fail (POCHTA_IS_FOLDER_SIDEBAR (self));
  g_return_if_fail (service == NULL || POCHTA_IS_SERVICE (service));

  if (self->service == service)
    return;

  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  if (self->tree != NULL)
    g_signal_handlers_disconnect_by_data (self->tree, self);

  g_set_object (&self->service, service);
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->tree);
  g_hash_table_remove_all (self->pending);

  if (service != NULL)
    {
      accounts = pochta_service_get_accounts (service);
      self->tree = gtk_tree_list_model_new (g_object_ref (accounts), FALSE, TRUE,
                                            create_children, self, NULL);
      gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
      g_signal_connect_object (self->tree, "items-changed", G_CALLBACK (tree_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "pending-changed", G_CALLBACK (pending_changed_cb),
                               self, G_CONNECT_SWAPPED);
      load_pending (self);
      tree_items_changed_cb (self);
    }

  update_pending (self);
  selection_changed_cb (self);
}

PochtaFolder *
pochta_folder_sidebar_get_selected_folder (PochtaFolderSidebar *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_SIDEBAR (self), NULL);

  return self->selected_folder;
}

/* Changes made offline (every account) that the server has not confirmed. */
guint
pochta_folder_sidebar_get_n_pending (PochtaFolderSidebar *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_SIDEBAR (self), 0);

  return self->n_pending;
}

/* What the pending line says, "" when there is nothing pending. */
const char *
pochta_folder_sidebar_get_pending_text (PochtaFolderSidebar *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_SIDEBAR (self), NULL);

  return self->n_pending > 0 ? gtk_label_get_text (self->pending_label) : "";
}

/* The menu acts on the folder it was opened on, which becomes the selected
 * one, as the window's actions act on the selected folder. */
static void
row_secondary_pressed_cb (GtkGestureClick *gesture,
                          int              n_press,
                          double           x,
                          double           y,
                          GtkListItem     *item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  PochtaFolderSidebar *self = POCHTA_FOLDER_SIDEBAR (gtk_widget_get_ancestor (row, POCHTA_TYPE_FOLDER_SIDEBAR));
  guint position = gtk_list_item_get_position (item);

  if (self == NULL || position == GTK_INVALID_LIST_POSITION || !gtk_list_item_get_selectable (item))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, position);
  pochta_context_menu_popup_at (self->popover, row, x, y);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  PochtaFolderSidebar      *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), pochta_folder_row_new ());
  gtk_list_item_set_child (item, expander);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_secondary_pressed_cb), item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (click));
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 PochtaFolderSidebar      *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(GObject) object = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (expander, row);
  pochta_folder_row_set_item (POCHTA_FOLDER_ROW (gtk_tree_expander_get_child (expander)), object);

  /* Accounts are headings: activating one folds it, it is never "open". */
  gtk_list_item_set_selectable (item, POCHTA_IS_FOLDER (object));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   PochtaFolderSidebar      *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));

  gtk_tree_expander_set_list_row (expander, NULL);
  pochta_folder_row_set_item (POCHTA_FOLDER_ROW (gtk_tree_expander_get_child (expander)), NULL);
}

static void
activate_cb (PochtaFolderSidebar *self,
             guint                position,
             GtkListView         *list_view)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    {
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (POCHTA_IS_ACCOUNT (item))
        gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
    }
}

static void
pochta_folder_sidebar_dispose (GObject *object)
{
  PochtaFolderSidebar *self = (PochtaFolderSidebar *)object;
  GtkWidget *child;

  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_FOLDER_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->selected_folder);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pochta_folder_sidebar_parent_class)->dispose (object);
}

static void
pochta_folder_sidebar_finalize (GObject *object)
{
  PochtaFolderSidebar *self = (PochtaFolderSidebar *)object;

  g_clear_pointer (&self->pending, g_hash_table_unref);

  G_OBJECT_CLASS (pochta_folder_sidebar_parent_class)->finalize (object);
}

static void
pochta_folder_sidebar_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PochtaFolderSidebar *self = POCHTA_FOLDER_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FOLDER:
      g_value_set_object (value, self->selected_folder);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_folder_sidebar_class_init (PochtaFolderSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_folder_sidebar_dispose;
  object_class->finalize = pochta_folder_sidebar_finalize;
  object_class->get_property = pochta_folder_sidebar_get_property;

  properties[PROP_SELECTED_FOLDER] =
    g_param_spec_object ("selected-folder", NULL, NULL, POCHTA_TYPE_FOLDER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-folder-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderSidebar, context_menu);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderSidebar, pending_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderSidebar, pending_revealer);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "foldersidebar");
}

static void
pochta_folder_sidebar_init (PochtaFolderSidebar *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* The selected row can change place (a folder added above it). */
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (activate_cb),
                           self, G_CONNECT_SWAPPED);

  self->popover = pochta_context_menu_new (self->context_menu, GTK_WIDGET (self));
}

GtkWidget *
pochta_folder_sidebar_new (void)
{
  return g_object_new (POCHTA_TYPE_FOLDER_SIDEBAR, NULL);
}
