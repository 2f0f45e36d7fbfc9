/* pochta-folder-sidebar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder sidebar: every account with its folder tree, and what waits to be sent.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_FOLDER_SIDEBAR (pochta_folder_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (PochtaFolderSidebar, pochta_folder_sidebar, POCHTA, FOLDER_SIDEBAR, GtkWidget)

GtkWidget     *pochta_folder_sidebar_new                 (void);
void           pochta_folder_sidebar_set_service         (PochtaFolderSidebar *self,
                                                          PochtaService       *service);
PochtaFolder  *pochta_folder_sidebar_get_selected_folder (PochtaFolderSidebar *self);
gboolean       pochta_folder_sidebar_select_folder       (PochtaFolderSidebar *self,
                                                          gint64               folder_id);
guint          pochta_folder_sidebar_get_n_pending       (PochtaFolderSidebar *self);
const char    *pochta_folder_sidebar_get_pending_text    (PochtaFolderSidebar *self);

G_END_DECLS
