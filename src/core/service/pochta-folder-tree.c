/* pochta-folder-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account's folders as list models. Counts change all the time and
 * the list rarely: each folder keeps one PochtaFolder that is updated in
 * place (so a tree view keeps its expanded rows and bindings), and the
 * models are spliced only when the list itself changed.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <string.h>

#include "pochta-folder-tree.h"

struct _PochtaFolderTree
{
  GObject      parent_instance;

  PochtaStore *store;
  gint64       account_id;
  GHashTable  *folders;   /* id → PochtaFolder, the objects handed out */
  GListStore  *all;
  GHashTable  *children;  /* parent id → GListStore */
  gulong       account_handler;
  gulong       folder_handler;
};

G_DEFINE_FINAL_TYPE (PochtaFolderTree, pochta_folder_tree, G_TYPE_OBJECT)

/* The order of special folders is the one people know from other clients. */
int
pochta_folder_role_rank (PochtaFolderRole role)
{
  switch (role)
    {
    case POCHTA_FOLDER_ROLE_INBOX:   return 0;
    case POCHTA_FOLDER_ROLE_DRAFTS:  return 1;
    case POCHTA_FOLDER_ROLE_SENT:    return 2;
    case POCHTA_FOLDER_ROLE_ARCHIVE: return 3;
    case POCHTA_FOLDER_ROLE_ALL:     return 4;
    case POCHTA_FOLDER_ROLE_FLAGGED: return 5;
    case POCHTA_FOLDER_ROLE_JUNK:    return 6;
    case POCHTA_FOLDER_ROLE_TRASH:   return 7;
    case POCHTA_FOLDER_ROLE_NONE:
    default:                         return 8;
    }
}

static gint
compare_folders (gconstpointer a,
                 gconstpointer b)
{
  PochtaFolder *fa = *(PochtaFolder **) a;
  PochtaFolder *fb = *(PochtaFolder **) b;
  int ra = pochta_folder_role_rank (pochta_folder_get_role (fa));
  int rb = pochta_folder_role_rank (pochta_folder_get_role (fb));
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  if (ra != rb)
    return ra - rb;

  ka = g_utf8_collate_key (pochta_folder_get_name (fa), -1);
  kb = g_utf8_collate_key (pochta_folder_get_name (fb), -1);

  return strcmp (ka, kb);
}

static gboolean
same_items (GListStore *store,
            GPtrArray  *items)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (n != items->len)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (item != g_ptr_array_index (items, i))
        return FALSE;
    }

  return TRUE;
}

static void
set_items (GListStore *store,
           GPtrArray  *items)
{
  if (!same_items (store, items))
    g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                         items->pdata, items->len);
}

static GListStore *
children_store (PochtaFolderTree *self,
                gint64            parent_id)
{
  GListStore *store = g_hash_table_lookup (self->children, &parent_id);

  if (store == NULL)
    {
      store = g_list_store_new (POCHTA_TYPE_FOLDER);
      g_hash_table_insert (self->children, g_memdup2 (&parent_id, sizeof parent_id), store);
    }

  return store;
}

static gboolean
has_children (PochtaFolderTree *self,
              gint64            id)
{
  GListModel *store = g_hash_table_lookup (self->children, &id);

  return store != NULL && g_list_model_get_n_items (store) > 0;
}

/* GtkTreeListModel asks a row for its children once, when it makes the
 * row: a folder that gains its first subfolder, or loses its last, is put
 * in its place again so that its row is made anew, with or without an
 * expander. */
static void
renew_rows (PochtaFolderTree *self,
            GHashTable       *had_children,
            GHashTable       *parents,
            GPtrArray        *flat)
{
  for (guint i = 0; i < flat->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (flat, i);
      gint64 id = pochta_folder_get_id (folder);
      gint64 parent_id = GPOINTER_TO_SIZE (g_hash_table_lookup (parents, folder));
      GListStore *store;
      guint position;

      if (has_children (self, id) == g_hash_table_contains (had_children, &id))
        continue;

      store = g_hash_table_lookup (self->children, &parent_id);
      if (store != NULL && g_list_store_find (store, folder, &position))
        g_list_store_splice (store, position, 1, (gpointer *) &folder, 1);
    }
}

static void
append_subtree (PochtaFolderTree *self,
                GHashTable       *by_parent,
                gint64            parent_id,
                GPtrArray        *flat,
                guint             depth)
{
  GPtrArray *kids = g_hash_table_lookup (by_parent, &parent_id);

  set_items (children_store (self, parent_id), kids != NULL ? kids : &(GPtrArray) { 0, });

  /* A parent cycle in a corrupt cache must not hang the UI. */
  if (kids == NULL || depth > 64)
    return;

  for (guint i = 0; i < kids->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (kids, i);

      g_ptr_array_add (flat, folder);
      append_subtree (self, by_parent, pochta_folder_get_id (folder), flat, depth + 1);
    }
}

void
pochta_folder_tree_refresh (PochtaFolderTree *self)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GHashTable) by_parent = NULL;
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GHashTable) had_children = NULL;
  g_autoptr(GHashTable) parents = NULL;
  g_autoptr(GPtrArray) flat = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (POCHTA_IS_FOLDER_TREE (self));

  snapshot = pochta_store_list_folders (self->store, self->account_id, &error);
  if (snapshot == NULL)
    {
      g_warning ("Cannot list the folders of account %" G_GINT64_FORMAT ": %s",
                 self->account_id, error->message);
      return;
    }

  ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < snapshot->len; i++)
    {
      gint64 id = pochta_folder_get_id (g_ptr_array_index (snapshot, i));

      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }

  had_children = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_hash_table_iter_init (&iter, self->children);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_list_model_get_n_items (value) > 0)
      g_hash_table_add (had_children, key);

  parents = g_hash_table_new (NULL, NULL);
  by_parent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < snapshot->len; i++)
    {
      PochtaFolder *fresh = g_ptr_array_index (snapshot, i);
      gint64 id = pochta_folder_get_id (fresh);
      PochtaFolder *folder = g_hash_table_lookup (self->folders, &id);
      gint64 parent_id;
      GPtrArray *kids;

      if (folder == NULL)
        {
          folder = g_object_ref (fresh);
          g_hash_table_insert (self->folders, g_memdup2 (&id, sizeof id), folder);
        }
      else
        pochta_folder_update (folder, fresh);

      /* An orphan (its parent row is gone) is shown at the top level. */
      parent_id = pochta_folder_get_parent_id (folder);
      if (parent_id == id || !g_hash_table_contains (ids, &parent_id))
        parent_id = 0;
      g_hash_table_insert (parents, folder, GSIZE_TO_POINTER ((gsize) parent_id));

      kids = g_hash_table_lookup (by_parent, &parent_id);
      if (kids == NULL)
        {
          kids = g_ptr_array_new ();
          g_hash_table_insert (by_parent, g_memdup2 (&parent_id, sizeof parent_id), kids);
        }
      g_ptr_array_add (kids, folder);
    }

  g_hash_table_iter_init (&iter, by_parent);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_sort (value, compare_folders);

  flat = g_ptr_array_new ();
  append_subtree (self, by_parent, 0, flat, 0);

  /* Children lists of folders that are gone, or lost all children. */
  g_hash_table_iter_init (&iter, self->children);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key != 0 && !g_hash_table_contains (by_parent, key))
      g_list_store_remove_all (value);

  renew_rows (self, had_children, parents, flat);
  set_items (self->all, flat);

  present = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < flat->len; i++)
    g_hash_table_add (present, g_ptr_array_index (flat, i));

  g_hash_table_iter_init (&iter, self->folders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (present, value))
      g_hash_table_iter_remove (&iter);
}

static void
account_changed_cb (PochtaStore      *store,
                    gint64            account_id,
                    PochtaFolderTree *self)
{
  if (account_id == self->account_id)
    pochta_folder_tree_refresh (self);
}

static void
folder_changed_cb (PochtaStore        *store,
                   gint64              folder_id,
                   PochtaStoreChanges *changes,
                   PochtaFolderTree   *self)
{
  PochtaFolder *folder = g_hash_table_lookup (self->folders, &folder_id);
  g_autoptr(PochtaFolder) fresh = NULL;

  if (folder == NULL)
    return;

  fresh = pochta_store_get_folder (store, folder_id, NULL);
  if (fresh != NULL)
    pochta_folder_update (folder, fresh);
}

static void
pochta_folder_tree_dispose (GObject *object)
{
  PochtaFolderTree *self = (PochtaFolderTree *) object;

  g_clear_signal_handler (&self->account_handler, self->store);
  g_clear_signal_handler (&self->folder_handler, self->store);

  G_OBJECT_CLASS (pochta_folder_tree_parent_class)->dispose (object);
}

static void
pochta_folder_tree_finalize (GObject *object)
{
  PochtaFolderTree *self = (PochtaFolderTree *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->folders, g_hash_table_unref);
  g_clear_pointer (&self->children, g_hash_table_unref);
  g_clear_object (&self->all);

  G_OBJECT_CLASS (pochta_folder_tree_parent_class)->finalize (object);
}

static void
pochta_folder_tree_class_init (PochtaFolderTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_folder_tree_dispose;
  object_class->finalize = pochta_folder_tree_finalize;
}

static void
pochta_folder_tree_init (PochtaFolderTree *self)
{
  self->folders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->all = g_list_store_new (POCHTA_TYPE_FOLDER);
}

PochtaFolderTree *
pochta_folder_tree_new (PochtaStore *store,
                        gint64       account_id)
{
  PochtaFolderTree *self;

  g_return_val_if_fail (POCHTA_IS_STORE (store), NULL);

  self = g_object_new (POCHTA_TYPE_FOLDER_TREE, NULL);
  self->store = g_object_ref (store);
  self->account_id = account_id;
  self->account_handler = g_signal_connect (store, "account-changed", G_CALLBACK (account_changed_cb), self);
  self->folder_handler = g_signal_connect (store, "folder-changed", G_CALLBACK (folder_changed_cb), self);
  pochta_folder_tree_refresh (self);

  return self;
}

GListModel *
pochta_folder_tree_get_all (PochtaFolderTree *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_TREE (self), NULL);

  return G_LIST_MODEL (self->all);
}

GListModel *
pochta_folder_tree_get_children (PochtaFolderTree *self,
                                 gint64            parent_id)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_TREE (self), NULL);

  return G_LIST_MODEL (children_store (self, parent_id));
}

PochtaFolder *
pochta_folder_tree_lookup (PochtaFolderTree *self,
                           gint64            folder_id)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER_TREE (self), NULL);

  return g_hash_table_lookup (self->folders, &folder_id);
}
