/* pochta-message-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder's messages, newest first, as a lazy GListModel over pages of SQL rows.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-message-list-model.h"
#include "pochta-store-private.h"

/* A page is about two screens of rows; a handful of pages covers a list
 * scrolled back and forth without holding 100,000 objects. */
#define PAGE_SIZE 256
#define MAX_PAGES 8

typedef struct
{
  guint      index;
  GPtrArray *items;
} Page;

struct _PochtaMessageListModel
{
  GObject      parent_instance;

  PochtaStore *store;
  gint64       folder_id;
  guint        n_items;
  /* Page*, most recently used first */
  GQueue       pages;
  /* id -> LiveEntry (a weak reference): every object handed out that is
   * still alive, so a row always maps to one object and updates reach it */
  GHashTable  *live;
  guint        n_page_loads;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PochtaMessageListModel, pochta_message_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_FOLDER_ID,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

typedef struct
{
  PochtaMessageListModel *model;
  PochtaMessageSummary   *item;
  gint64                  id;
} LiveEntry;

static void
live_gone_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  LiveEntry *entry = data;

  g_hash_table_remove (entry->model->live, &entry->id);
}

static PochtaSqlite *
reader (PochtaMessageListModel *self)
{
  return self->store != NULL ? pochta_store_get_reader (self->store) : NULL;
}

static void
warn_error (const GError *error)
{
  g_warning ("Reading the message list: %s", error->message);
}

static guint
count_rows (PochtaMessageListModel *self)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  PochtaSqlite *db = reader (self);

  if (db == NULL)
    return 0;

  if (!(stmt = pochta_sqlite_prepare (db, "SELECT count(*) FROM messages WHERE folder_id = ?1", &error)))
    {
      warn_error (error);
      return 0;
    }
  pochta_sqlite_bind_int64 (stmt, 1, self->folder_id);
  if (pochta_sqlite_step (db, stmt, &error) != SQLITE_ROW)
    {
      if (error != NULL)
        warn_error (error);
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/* Rows strictly before (above = TRUE) or after @key in newest-first order. */
static guint
count_beside (PochtaMessageListModel *self,
              const PochtaMessageKey *key,
              gboolean                above)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  PochtaSqlite *db = reader (self);

  if (db == NULL)
    return 0;

  stmt = pochta_sqlite_prepare (db, above
    ? "SELECT count(*) FROM messages WHERE folder_id = ?1"
      " AND (internal_date > ?2 OR (internal_date = ?2 AND id > ?3))"
    : "SELECT count(*) FROM messages WHERE folder_id = ?1"
      " AND (internal_date < ?2 OR (internal_date = ?2 AND id < ?3))", &error);
  if (stmt == NULL)
    {
      warn_error (error);
      return 0;
    }
  pochta_sqlite_bind_int64 (stmt, 1, self->folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, key->internal_date);
  pochta_sqlite_bind_int64 (stmt, 3, key->message_id);
  if (pochta_sqlite_step (db, stmt, &error) != SQLITE_ROW)
    {
      if (error != NULL)
        warn_error (error);
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static PochtaMessageSummary *
object_for_row (PochtaMessageListModel *self,
                PochtaSqliteStmt       *stmt)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  LiveEntry *entry = g_hash_table_lookup (self->live, &id);

  if (entry != NULL)
    {
      _pochta_message_summary_update_from_row (entry->item, stmt);
      return g_object_ref (entry->item);
    }

  entry = g_new0 (LiveEntry, 1);
  entry->model = self;
  entry->id = id;
  entry->item = _pochta_message_summary_new_from_row (stmt);
  g_hash_table_insert (self->live, &entry->id, entry);
  g_object_weak_ref (G_OBJECT (entry->item), live_gone_cb, entry);

  return entry->item;
}

static Page *
find_page (PochtaMessageListModel *self,
           guint                   index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        return page;
    }

  return NULL;
}

/* With the page above in the cache, continue from its last row (an index
 * seek); otherwise OFFSET, which walks the index from the top. */
static Page *
load_page (PochtaMessageListModel *self,
           guint                   index)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  Page *above = index > 0 ? find_page (self, index - 1) : NULL;
  PochtaSqlite *db = reader (self);
  Page *page;
  int rc;

  if (db == NULL)
    return NULL;

  if (above != NULL && above->items->len == PAGE_SIZE)
    {
      PochtaMessageSummary *last = g_ptr_array_index (above->items, PAGE_SIZE - 1);

      stmt = pochta_sqlite_prepare (db,
        "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages WHERE folder_id = ?1"
        " AND (internal_date < ?2 OR (internal_date = ?2 AND id < ?3))"
        " ORDER BY internal_date DESC, id DESC LIMIT ?4", &error);
      if (stmt != NULL)
        {
          pochta_sqlite_bind_int64 (stmt, 2, pochta_message_summary_get_internal_date (last));
          pochta_sqlite_bind_int64 (stmt, 3, pochta_message_summary_get_id (last));
          pochta_sqlite_bind_int64 (stmt, 4, PAGE_SIZE);
        }
    }
  else
    {
      stmt = pochta_sqlite_prepare (db,
        "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages WHERE folder_id = ?1"
        " ORDER BY internal_date DESC, id DESC LIMIT ?2 OFFSET ?3", &error);
      if (stmt != NULL)
        {
          pochta_sqlite_bind_int64 (stmt, 2, PAGE_SIZE);
          pochta_sqlite_bind_int64 (stmt, 3, (gint64) index * PAGE_SIZE);
        }
    }

  if (stmt == NULL)
    {
      warn_error (error);
      return NULL;
    }
  pochta_sqlite_bind_int64 (stmt, 1, self->folder_id);

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (PAGE_SIZE, g_object_unref);
  while ((rc = pochta_sqlite_step (db, stmt, &error)) == SQLITE_ROW)
    g_ptr_array_add (page->items, object_for_row (self, stmt));
  if (rc == 0)
    warn_error (error);

  self->n_page_loads++;
  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static void
drop_pages_from (PochtaMessageListModel *self,
                 guint                   position)
{
  GList *l = self->pages.head;

  while (l != NULL)
    {
      GList *next = l->next;
      Page *page = l->data;

      if ((page->index + 1) * PAGE_SIZE > position)
        {
          page_free (page);
          g_queue_delete_link (&self->pages, l);
        }
      l = next;
    }
}

static GType
pochta_message_list_model_get_item_type (GListModel *model)
{
  return POCHTA_TYPE_MESSAGE_SUMMARY;
}

static guint
pochta_message_list_model_get_n_items (GListModel *model)
{
  return POCHTA_MESSAGE_LIST_MODEL (model)->n_items;
}

static gpointer
pochta_message_list_model_get_item (GListModel *model,
                                    guint       position)
{
  PochtaMessageListModel *self = POCHTA_MESSAGE_LIST_MODEL (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  if ((page = find_page (self, index)) != NULL)
    {
      /* Most recently used goes first. */
      g_queue_remove (&self->pages, page);
      g_queue_push_head (&self->pages, page);
    }
  else if ((page = load_page (self, index)) == NULL)
    return NULL;

  if (position % PAGE_SIZE >= page->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pochta_message_list_model_get_item_type;
  iface->get_n_items = pochta_message_list_model_get_n_items;
  iface->get_item = pochta_message_list_model_get_item;
}

static void
set_n_items (PochtaMessageListModel *self,
             guint                   n_items)
{
  if (self->n_items == n_items)
    return;

  self->n_items = n_items;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * pochta_message_list_model_reload:
 *
 * Forgets every page and announces the whole folder as replaced.
 */
void
pochta_message_list_model_reload (PochtaMessageListModel *self)
{
  guint old_n;

  g_return_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self));

  old_n = self->n_items;
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
  self->n_items = count_rows (self);

  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
refresh_live (PochtaMessageListModel *self,
              const PochtaMessageKey *keys,
              guint                   n_keys)
{
  PochtaSqlite *db = reader (self);

  for (guint i = 0; i < n_keys && db != NULL; i++)
    {
      g_autoptr(PochtaSqliteStmt) stmt = NULL;
      LiveEntry *entry = g_hash_table_lookup (self->live, &keys[i].message_id);

      if (entry == NULL)
        continue;

      stmt = pochta_sqlite_prepare (db, "SELECT " POCHTA_MESSAGE_SUMMARY_COLUMNS " FROM messages WHERE id = ?1", NULL);
      if (stmt == NULL)
        return;
      pochta_sqlite_bind_int64 (stmt, 1, keys[i].message_id);
      if (pochta_sqlite_step (db, stmt, NULL) == SQLITE_ROW)
        _pochta_message_summary_update_from_row (entry->item, stmt);
    }
}

static const PochtaMessageKey *
newer_key (const PochtaMessageKey *a,
           const PochtaMessageKey *b)
{
  if (a == NULL)
    return b;
  if (b == NULL)
    return a;
  if (a->internal_date != b->internal_date)
    return a->internal_date > b->internal_date ? a : b;
  return a->message_id > b->message_id ? a : b;
}

/**
 * pochta_message_list_model_apply_changes:
 *
 * Follows one PochtaStore::folder-changed. The reader already shows the
 * new state, so the affected stretch is found from the newest and oldest
 * changed keys alone: rows above the newest and below the oldest are the
 * same before and after. One items-changed then replaces that stretch,
 * which keeps the model consistent even for a view that reads items from
 * inside its handler.
 */
void
pochta_message_list_model_apply_changes (PochtaMessageListModel *self,
                                         PochtaStoreChanges     *changes)
{
  const PochtaMessageKey *added, *changed, *removed;
  const PochtaMessageKey *newest = NULL, *oldest = NULL;
  guint n_added, n_changed, n_removed;
  guint old_n, new_n, first, below;

  g_return_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self));
  g_return_if_fail (changes != NULL);

  if (pochta_store_changes_get_folder_id (changes) != self->folder_id)
    return;

  if (pochta_store_changes_get_reset (changes))
    {
      pochta_message_list_model_reload (self);
      return;
    }

  added = pochta_store_changes_get_added (changes, &n_added);
  changed = pochta_store_changes_get_changed (changes, &n_changed);
  removed = pochta_store_changes_get_removed (changes, &n_removed);
  if (n_added + n_changed + n_removed == 0)
    return;

  old_n = self->n_items;
  new_n = count_rows (self);
  if (old_n + n_added < n_removed || old_n + n_added - n_removed != new_n)
    {
      g_debug ("Message list of folder %" G_GINT64_FORMAT " out of step, reloading", self->folder_id);
      pochta_message_list_model_reload (self);
      return;
    }

  /* Each array is sorted newest first. */
  if (n_added > 0)
    newest = newer_key (newest, &added[0]);
  if (n_changed > 0)
    newest = newer_key (newest, &changed[0]);
  if (n_removed > 0)
    newest = newer_key (newest, &removed[0]);
  for (guint i = 0; i < 3; i++)
    {
      const PochtaMessageKey *last = i == 0 ? (n_added ? &added[n_added - 1] : NULL) :
                                     i == 1 ? (n_changed ? &changed[n_changed - 1] : NULL) :
                                              (n_removed ? &removed[n_removed - 1] : NULL);

      if (last != NULL && (oldest == NULL || newer_key (oldest, last) == oldest))
        oldest = last;
    }

  first = count_beside (self, newest, TRUE);
  below = count_beside (self, oldest, FALSE);
  if (first + below > MIN (old_n, new_n))
    {
      pochta_message_list_model_reload (self);
      return;
    }

  if (n_added > 0 || n_removed > 0)
    drop_pages_from (self, first);
  else
    refresh_live (self, changed, n_changed);

  set_n_items (self, new_n);
  g_list_model_items_changed (G_LIST_MODEL (self), first, old_n - first - below, new_n - first - below);
}

static void
folder_changed_cb (PochtaMessageListModel *self,
                   gint64                  folder_id,
                   PochtaStoreChanges     *changes,
                   PochtaStore            *store)
{
  if (folder_id == self->folder_id)
    pochta_message_list_model_apply_changes (self, changes);
}

static void
pochta_message_list_model_constructed (GObject *object)
{
  PochtaMessageListModel *self = (PochtaMessageListModel *) object;

  G_OBJECT_CLASS (pochta_message_list_model_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "folder-changed", G_CALLBACK (folder_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->n_items = count_rows (self);
}

static void
pochta_message_list_model_dispose (GObject *object)
{
  PochtaMessageListModel *self = (PochtaMessageListModel *) object;
  GHashTableIter iter;
  gpointer value;

  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LiveEntry *entry = value;

      g_object_weak_unref (G_OBJECT (entry->item), live_gone_cb, entry);
    }
  g_hash_table_remove_all (self->live);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pochta_message_list_model_parent_class)->dispose (object);
}

static void
pochta_message_list_model_finalize (GObject *object)
{
  PochtaMessageListModel *self = (PochtaMessageListModel *) object;

  g_clear_pointer (&self->live, g_hash_table_unref);

  G_OBJECT_CLASS (pochta_message_list_model_parent_class)->finalize (object);
}

static void
pochta_message_list_model_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  PochtaMessageListModel *self = POCHTA_MESSAGE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_FOLDER_ID:
      g_value_set_int64 (value, self->folder_id);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_list_model_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  PochtaMessageListModel *self = POCHTA_MESSAGE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_FOLDER_ID:
      self->folder_id = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_list_model_class_init (PochtaMessageListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pochta_message_list_model_constructed;
  object_class->dispose = pochta_message_list_model_dispose;
  object_class->finalize = pochta_message_list_model_finalize;
  object_class->get_property = pochta_message_list_model_get_property;
  object_class->set_property = pochta_message_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, POCHTA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER_ID] =
    g_param_spec_int64 ("folder-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_message_list_model_init (PochtaMessageListModel *self)
{
  g_queue_init (&self->pages);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

PochtaMessageListModel *
pochta_message_list_model_new (PochtaStore *store,
                               gint64       folder_id)
{
  g_return_val_if_fail (POCHTA_IS_STORE (store), NULL);

  return g_object_new (POCHTA_TYPE_MESSAGE_LIST_MODEL,
                       "store", store,
                       "folder-id", folder_id,
                       NULL);
}

PochtaStore *
pochta_message_list_model_get_store (PochtaMessageListModel *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self), NULL);

  return self->store;
}

gint64
pochta_message_list_model_get_folder_id (PochtaMessageListModel *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self), 0);

  return self->folder_id;
}

/* Debugging and tests: how many pages are held right now. */
guint
pochta_message_list_model_get_n_cached_pages (PochtaMessageListModel *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self), 0);

  return self->pages.length;
}

/* Debugging and tests: how many pages were read from SQL so far. */
guint
pochta_message_list_model_get_n_page_loads (PochtaMessageListModel *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST_MODEL (self), 0);

  return self->n_page_loads;
}
