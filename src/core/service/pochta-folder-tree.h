/* pochta-folder-tree.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account's folders as list models: a flat one in tree order and one
 * per parent for GtkTreeListModel, with one object per folder for life.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-store.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_FOLDER_TREE (pochta_folder_tree_get_type ())

G_DECLARE_FINAL_TYPE (PochtaFolderTree, pochta_folder_tree, POCHTA, FOLDER_TREE, GObject)

PochtaFolderTree *pochta_folder_tree_new          (PochtaStore      *store,
                                                   gint64            account_id);
GListModel       *pochta_folder_tree_get_all      (PochtaFolderTree *self);
GListModel       *pochta_folder_tree_get_children (PochtaFolderTree *self,
                                                   gint64            parent_id);
PochtaFolder     *pochta_folder_tree_lookup       (PochtaFolderTree *self,
                                                   gint64            folder_id);
void              pochta_folder_tree_refresh      (PochtaFolderTree *self);
int               pochta_folder_role_rank         (PochtaFolderRole  role);

G_END_DECLS
