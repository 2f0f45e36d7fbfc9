/* pochta-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What pochta-window.c and pochta-window-actions.c share.
 */

#pragma once

#include "pochta-folder-sidebar.h"
#include "pochta-message-list.h"
#include "pochta-message-view.h"
#include "pochta-move-popover.h"
#include "pochta-window.h"

G_BEGIN_DECLS

/* What the last toast's Undo puts back. */
typedef struct
{
  GArray *ids;                 /* gint64 message ids; they keep their id across moves */
  gint64  source_folder_id;
} PochtaWindowUndo;

struct _PochtaWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  PochtaService        *service;
  PochtaFolder         *folder;
  PochtaAccount        *folder_account;
  GListModel           *messages;

  GCancellable         *body_cancellable;
  gint64                shown_message_id;
  guint                 mark_read_source;
  guint                 layout_source;

  gboolean              narrow;
  PochtaWindowPage      page;

  PochtaWindowUndo     *undo;
  AdwToast             *last_toast;
  guint                 reselect_position;

  GtkButton            *add_account_button;
  GtkButton            *archive_button;
  GtkButton            *back_button;
  GtkBox               *banners_box;
  GtkButton            *delete_button;
  GtkBox               *folder_pane;
  GtkPaned             *folder_paned;
  PochtaFolderSidebar  *folder_sidebar;
  AdwHeaderBar         *header_bar;
  GtkBox               *message_actions;
  PochtaMessageList    *message_list;
  GtkBox               *message_pane;
  GtkPaned             *message_paned;
  PochtaMessageView    *message_view;
  GtkMenuButton        *move_button;
  PochtaMovePopover    *move_popover;
  AdwStatusPage        *no_accounts_page;
  GtkMenuButton        *primary_menu_button;
  GtkButton            *read_button;
  GtkBox               *reader_pane;
  GtkButton            *refresh_button;
  GtkButton            *star_button;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
};

void  _pochta_window_class_init_actions (GtkWidgetClass *widget_class);
void  _pochta_window_init_actions       (PochtaWindow   *self);
void  _pochta_window_update_actions     (PochtaWindow   *self);
void  _pochta_window_undo_free          (PochtaWindowUndo *undo);
void  _pochta_window_set_page           (PochtaWindow   *self,
                                         PochtaWindowPage page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaWindowUndo, _pochta_window_undo_free)

G_END_DECLS
