/* pochta-folder-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the folder sidebar: an account with its status, or a folder with its unread count.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_FOLDER_ROW (pochta_folder_row_get_type ())

G_DECLARE_FINAL_TYPE (PochtaFolderRow, pochta_folder_row, POCHTA, FOLDER_ROW, GtkWidget)

GtkWidget  *pochta_folder_row_new             (void);
void        pochta_folder_row_set_item        (PochtaFolderRow *self,
                                               GObject         *item);
GObject    *pochta_folder_row_get_item        (PochtaFolderRow *self);
const char *pochta_folder_row_get_title       (PochtaFolderRow *self);
const char *pochta_folder_row_get_count       (PochtaFolderRow *self);
const char *pochta_folder_row_get_icon_name   (PochtaFolderRow *self);
const char *pochta_folder_row_get_status_icon (PochtaFolderRow *self);

const char *pochta_folder_role_icon_name      (PochtaFolderRole  role);
char       *pochta_folder_display_name        (PochtaFolder     *folder);

G_END_DECLS
