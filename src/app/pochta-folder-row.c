/* pochta-folder-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the folder sidebar. For an account: its name and what state
 * it is in (a spinner and progress while syncing, an icon when offline,
 * when it needs a password or when its certificate is not trusted). For
 * a folder: the icon of its role, its name and its unread count. The row
 * follows its object's notifications, so counts and states stay current
 * without the list being rebuilt.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-folder-row.h"

struct _PochtaFolderRow
{
  GtkWidget       parent_instance;

  GObject        *item;
  GSignalGroup   *item_signals;

  GtkLabel       *count_label;
  GtkImage       *icon;
  GtkProgressBar *progress;
  GtkSpinner     *spinner;
  GtkImage       *status_icon;
  GtkLabel       *title_label;
};

G_DEFINE_FINAL_TYPE (PochtaFolderRow, pochta_folder_row, GTK_TYPE_WIDGET)

const char *
pochta_folder_role_icon_name (PochtaFolderRole role)
{
  switch (role)
    {
    case POCHTA_FOLDER_ROLE_INBOX:
      return "mail-inbox-symbolic";
    case POCHTA_FOLDER_ROLE_SENT:
      return "mail-send-symbolic";
    case POCHTA_FOLDER_ROLE_DRAFTS:
      return "document-edit-symbolic";
    case POCHTA_FOLDER_ROLE_TRASH:
      return "user-trash-symbolic";
    case POCHTA_FOLDER_ROLE_JUNK:
      return "mail-mark-junk-symbolic";
    case POCHTA_FOLDER_ROLE_ARCHIVE:
      return "mail-archive-symbolic";
    case POCHTA_FOLDER_ROLE_FLAGGED:
      return "starred-symbolic";
    case POCHTA_FOLDER_ROLE_ALL:
      return "mail-read-symbolic";
    case POCHTA_FOLDER_ROLE_NONE:
    default:
      return "folder-symbolic";
    }
}

/**
 * pochta_folder_display_name:
 *
 * The name a folder goes by in the sidebar: the special folders by their
 * role, in the person's language, whatever the server calls them; other
 * folders by the last part of their path.
 */
char *
pochta_folder_display_name (PochtaFolder *folder)
{
  const char *name = pochta_folder_get_name (folder);
  const char *delimiter = pochta_folder_get_delimiter (folder);
  const char *leaf;

  switch (pochta_folder_get_role (folder))
    {
    case POCHTA_FOLDER_ROLE_INBOX:
      return g_strdup (_("Inbox"));
    case POCHTA_FOLDER_ROLE_SENT:
      return g_strdup (_("Sent"));
    case POCHTA_FOLDER_ROLE_DRAFTS:
      return g_strdup (_("Drafts"));
    case POCHTA_FOLDER_ROLE_TRASH:
      return g_strdup (_("Trash"));
    case POCHTA_FOLDER_ROLE_JUNK:
      return g_strdup (_("Junk"));
    case POCHTA_FOLDER_ROLE_ARCHIVE:
      return g_strdup (C_("folder name", "Archive"));
    case POCHTA_FOLDER_ROLE_NONE:
    case POCHTA_FOLDER_ROLE_ALL:
    case POCHTA_FOLDER_ROLE_FLAGGED:
    default:
      break;
    }

  if (name == NULL)
    return g_strdup ("");

  leaf = name;
  if (delimiter != NULL && *delimiter != '\0')
    {
      const char *last = g_strrstr (name, delimiter);

      if (last != NULL && last[strlen (delimiter)] != '\0')
        leaf = last + strlen (delimiter);
    }

  return g_strdup (leaf);
}

static void
set_status (PochtaFolderRow *self,
            const char      *icon_name,
            const char      *tooltip)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon_name != NULL);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), tooltip);
}

static void
update_account (PochtaFolderRow *self,
                PochtaAccount   *account)
{
  PochtaAccountState state = pochta_account_get_state (account);
  const char *message = pochta_account_get_state_message (account);
  guint done = pochta_account_get_sync_done (account);
  guint total = pochta_account_get_sync_total (account);
  gboolean busy = state == POCHTA_ACCOUNT_STATE_CONNECTING || state == POCHTA_ACCOUNT_STATE_SYNCING;
  g_autofree char *tooltip = NULL;

  gtk_image_set_from_icon_name (self->icon, "avatar-default-symbolic");
  gtk_label_set_text (self->title_label, pochta_account_get_display_name (account));
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), state == POCHTA_ACCOUNT_STATE_SYNCING && total > 0);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress, MIN (1.0, (double) done / total));

  switch (state)
    {
    case POCHTA_ACCOUNT_STATE_OFFLINE:
      set_status (self, "network-offline-symbolic",
                  _("Offline: what you do is kept and sent when the connection is back"));
      break;

    case POCHTA_ACCOUNT_STATE_CONNECTING:
      set_status (self, NULL, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner), _("Connecting…"));
      break;

    case POCHTA_ACCOUNT_STATE_SYNCING:
      set_status (self, NULL, NULL);
      if (total > 0)
        /* Translators: sync progress of an account, in messages. */
        tooltip = g_strdup_printf (_("Updating: %u of %u"), done, total);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner), tooltip != NULL ? tooltip : _("Updating…"));
      break;

    case POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD:
      set_status (self, "dialog-password-symbolic", _("Needs a password"));
      break;

    case POCHTA_ACCOUNT_STATE_AUTH_FAILED:
      set_status (self, "dialog-password-symbolic",
                  message != NULL ? message : _("The server did not accept the password"));
      break;

    case POCHTA_ACCOUNT_STATE_TLS_ERROR:
      set_status (self, "channel-insecure-symbolic",
                  message != NULL ? message : _("The server’s certificate is not trusted"));
      break;

    case POCHTA_ACCOUNT_STATE_ERROR:
      set_status (self, "dialog-warning-symbolic", message);
      break;

    case POCHTA_ACCOUNT_STATE_ONLINE:
    default:
      set_status (self, NULL, NULL);
      break;
    }
}

static void
update_folder (PochtaFolderRow *self,
               PochtaFolder    *folder)
{
  g_autofree char *name = pochta_folder_display_name (folder);
  guint unread = pochta_folder_get_unread_count (folder);
  g_autofree char *count = g_strdup_printf ("%u", unread);

  gtk_image_set_from_icon_name (self->icon, pochta_folder_role_icon_name (pochta_folder_get_role (folder)));
  gtk_label_set_text (self->title_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), pochta_folder_get_name (folder));

  /* Unread mail in Sent, Drafts, Trash or Junk is nothing to act on. */
  switch (pochta_folder_get_role (folder))
    {
    case POCHTA_FOLDER_ROLE_SENT:
    case POCHTA_FOLDER_ROLE_DRAFTS:
    case POCHTA_FOLDER_ROLE_TRASH:
    case POCHTA_FOLDER_ROLE_JUNK:
      unread = 0;
      break;
    case POCHTA_FOLDER_ROLE_NONE:
    case POCHTA_FOLDER_ROLE_INBOX:
    case POCHTA_FOLDER_ROLE_ARCHIVE:
    case POCHTA_FOLDER_ROLE_ALL:
    case POCHTA_FOLDER_ROLE_FLAGGED:
    default:
      break;
    }

  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), unread > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  set_status (self, NULL, NULL);
}

static void
pochta_folder_row_update (PochtaFolderRow *self)
{
  if (POCHTA_IS_ACCOUNT (self->item))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "account");
      update_account (self, POCHTA_ACCOUNT (self->item));
    }
  else if (POCHTA_IS_FOLDER (self->item))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "account");
      update_folder (self, POCHTA_FOLDER (self->item));
    }
  else
    {
      gtk_label_set_text (self->title_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
      set_status (self, NULL, NULL);
    }
}

/* @item: a PochtaAccount, a PochtaFolder, or NULL */
void
pochta_folder_row_set_item (PochtaFolderRow *self,
                            GObject         *item)
{
  g_return_if_fail (POCHTA_IS_FOLDER_ROW (self));
  g_return_if_fail (item == NULL || POCHTA_IS_ACCOUNT (item) || POCHTA_IS_FOLDER (item));

  if (!g_set_object (&self->item, item))
    return;

  g_signal_group_set_target (self->item_signals, item);
  pochta_folder_row_update (self);
}

GObject *
pochta_folder_row_get_item (PochtaFolderRow *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_ROW (self), NULL);

  return self->item;
}

const char *
pochta_folder_row_get_title (PochtaFolderRow *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_ROW (self), NULL);

  return gtk_label_get_text (self->title_label);
}

/* The unread count shown, or NULL when none is. */
const char *
pochta_folder_row_get_count (PochtaFolderRow *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->count_label)))
    return NULL;

  return gtk_label_get_text (self->count_label);
}

const char *
pochta_folder_row_get_icon_name (PochtaFolderRow *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_ROW (self), NULL);

  return gtk_image_get_icon_name (self->icon);
}

/* The account's status icon, or NULL when it shows none. */
const char *
pochta_folder_row_get_status_icon (PochtaFolderRow *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_icon)))
    return NULL;

  return gtk_image_get_icon_name (self->status_icon);
}

static void
item_notify_cb (PochtaFolderRow *self,
                GParamSpec      *pspec,
                GObject         *item)
{
  pochta_folder_row_update (self);
}

static void
pochta_folder_row_dispose (GObject *object)
{
  PochtaFolderRow *self = (PochtaFolderRow *)object;
  GtkWidget *child;

  if (self->item_signals != NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->item);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_FOLDER_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pochta_folder_row_parent_class)->dispose (object);
}

static void
pochta_folder_row_class_init (PochtaFolderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_folder_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-folder-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, count_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, icon);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, progress);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PochtaFolderRow, title_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "folderrow");
}

static void
pochta_folder_row_init (PochtaFolderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Accounts and folders both; the group takes whichever the row shows. */
  self->item_signals = g_signal_group_new (G_TYPE_OBJECT);
  g_signal_group_connect_object (self->item_signals, "notify",
                                 G_CALLBACK (item_notify_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
pochta_folder_row_new (void)
{
  return g_object_new (POCHTA_TYPE_FOLDER_ROW, NULL);
}
