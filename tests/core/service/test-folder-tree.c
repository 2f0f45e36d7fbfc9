/* test-folder-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder tree the sidebar shows: one object per folder across
 * refreshes, and a folder that gains its first subfolder (or loses its
 * last) is announced again in its parent's list, because GtkTreeListModel
 * decides whether a row has an expander only when it makes the row.
 */

#include "config.h"

#include "pochta-test-util.h"
#include "../store/store-test-util.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Change *change = user_data;

  change->position = position;
  change->removed = removed;
  change->added = added;
  change->count++;
}

static void
test_first_subfolder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pochta-folder-tree-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.sqlite", NULL);
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(PochtaFolderTree) tree = NULL;
  g_autoptr(PochtaFolder) projects = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *top;
  Change change = { 0, };
  gint64 account_id, projects_id, child_id;
  guint position;

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  account_id = store_test_add_account (store, "Work");
  store_test_add_folder (store, account_id, "INBOX");
  projects_id = store_test_add_subfolder (store, account_id, "Projects", "Projects", 0);

  tree = pochta_folder_tree_new (store, account_id);
  pochta_folder_tree_refresh (tree);
  top = pochta_folder_tree_get_children (tree, 0);
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 2);
  projects = g_object_ref (pochta_folder_tree_lookup (tree, projects_id));
  g_assert_true (g_list_store_find (G_LIST_STORE (top), projects, &position));
  g_assert_cmpuint (g_list_model_get_n_items (pochta_folder_tree_get_children (tree, projects_id)), ==, 0);

  g_signal_connect (top, "items-changed", G_CALLBACK (items_changed_cb), &change);

  /* Nothing changed: nothing is announced. */
  pochta_folder_tree_refresh (tree);
  g_assert_cmpuint (change.count, ==, 0);

  child_id = store_test_add_subfolder (store, account_id, "Projects/Pochta", "Pochta", projects_id);
  pochta_folder_tree_refresh (tree);
  g_assert_cmpuint (g_list_model_get_n_items (pochta_folder_tree_get_children (tree, projects_id)), ==, 1);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, position);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  /* The same object, put back in its place. */
  g_assert_true (pochta_folder_tree_lookup (tree, projects_id) == projects);
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 2);

  /* A second subfolder changes nothing for the parent's row. */
  store_test_add_subfolder (store, account_id, "Projects/Other", "Other", projects_id);
  pochta_folder_tree_refresh (tree);
  g_assert_cmpuint (change.count, ==, 1);

  /* Losing the last subfolder takes the expander away again. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    pochta_store_remove_folder_async (store, child_id, NULL, pochta_test_store_result, &result);
    pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
    pochta_store_remove_folder_finish (store, result, &error);
    g_assert_no_error (error);
  }
  pochta_folder_tree_refresh (tree);
  g_assert_cmpuint (change.count, ==, 1);
  {
    g_autoptr(PochtaFolder) other = g_list_model_get_item (pochta_folder_tree_get_children (tree, projects_id), 0);
    g_autoptr(GAsyncResult) result = NULL;

    pochta_store_remove_folder_async (store, pochta_folder_get_id (other), NULL, pochta_test_store_result, &result);
    pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
    pochta_store_remove_folder_finish (store, result, &error);
    g_assert_no_error (error);
  }
  pochta_folder_tree_refresh (tree);
  g_assert_cmpuint (g_list_model_get_n_items (pochta_folder_tree_get_children (tree, projects_id)), ==, 0);
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, position);

  g_signal_handlers_disconnect_by_data (top, &change);
  g_clear_object (&tree);
  store_test_close (store);
  pochta_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/service/folder-tree/first-subfolder", test_first_subfolder);

  return g_test_run ();
}
