/* pochta-folder-list-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder list of an IMAP account in the cache: LIST (special-use and
 * subscription state) into folder rows, with renames detected by
 * UIDVALIDITY so a renamed folder keeps its cached messages.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <string.h>

#include "pochta-folder-sync.h"
#include "pochta-offline-private.h"
#include "pochta-store-error.h"
#include "pochta-sync-private.h"

/* One mailbox as the server has it now, or a parent it implies. */
typedef struct
{
  char             *raw_name;
  char             *name;
  char             *parent_raw;     /* NULL at the top level */
  char              delimiter;
  char             *attributes;
  PochtaFolderRole  role;
  guint             depth;
  gboolean          selectable;
  gboolean          subscribed;
  guint32           uidvalidity;    /* from STATUS, for rename detection */
  PochtaFolder     *cached;         /* the row it is (or was renamed from) */
  gboolean          renamed;
} Entry;

typedef struct
{
  gint64  folder_id;
  char   *raw_name;
  char   *name;
} Rename;

/* What the write job does, in this order: renames, upserts (parents
 * first), removals. */
typedef struct
{
  gint64      account_id;
  GPtrArray  *renames;     /* Rename */
  GPtrArray  *upserts;     /* PochtaFolderRecord */
  GPtrArray  *parents;     /* char *: the parent raw name of each upsert, or NULL */
  GArray     *removals;    /* gint64 */
} ListWrite;

typedef struct
{
  PochtaImapClient   *client;
  PochtaStore        *store;
  gint64              account_id;
  PochtaSyncFolders   selection;
  char              **folder_list;
  GPtrArray          *infos;        /* PochtaImapMailboxInfo */
  GHashTable         *lsub;         /* raw names from LSUB, or NULL when LIST said */
  GHashTable         *entries;      /* raw name -> Entry */
  GPtrArray          *cached;       /* PochtaFolder */
  GPtrArray          *vanished;     /* PochtaFolder, borrowed from cached */
  guint               pending;
  gboolean            frozen;       /* folder operations wait in the offline queue */
} ListSync;

static void
entry_free (Entry *entry)
{
  g_free (entry->raw_name);
  g_free (entry->name);
  g_free (entry->parent_raw);
  g_free (entry->attributes);
  g_free (entry);
}

static void
rename_free (Rename *rename)
{
  g_free (rename->raw_name);
  g_free (rename->name);
  g_free (rename);
}

static void
list_write_free (ListWrite *write)
{
  g_clear_pointer (&write->renames, g_ptr_array_unref);
  g_clear_pointer (&write->upserts, g_ptr_array_unref);
  g_clear_pointer (&write->parents, g_ptr_array_unref);
  g_clear_pointer (&write->removals, g_array_unref);
  g_free (write);
}

static void
list_sync_free (ListSync *sync)
{
  g_clear_object (&sync->client);
  g_clear_object (&sync->store);
  g_clear_pointer (&sync->folder_list, g_strfreev);
  g_clear_pointer (&sync->infos, g_ptr_array_unref);
  g_clear_pointer (&sync->lsub, g_hash_table_unref);
  g_clear_pointer (&sync->entries, g_hash_table_unref);
  g_clear_pointer (&sync->cached, g_ptr_array_unref);
  g_clear_pointer (&sync->vanished, g_ptr_array_unref);
  g_free (sync);
}

static const char *
leaf_name (const Entry *entry)
{
  const char *leaf;

  if (entry->delimiter == '\0')
    return entry->name;
  leaf = strrchr (entry->name, entry->delimiter);
  return leaf != NULL ? leaf + 1 : entry->name;
}

/* Depth under the Inbox counts as the top level: Courier-style servers
 * keep every folder inside it ("INBOX.Sent"). */
static guint
role_depth (const Entry *entry)
{
  if (entry->parent_raw != NULL && g_ascii_strcasecmp (entry->parent_raw, "INBOX") == 0)
    return 0;
  return entry->depth;
}

/* Roles SPECIAL-USE did not give: the shallowest folder with a well-known
 * name gets it, the likelier name breaking ties. */
static void
assign_fallback_roles (GHashTable *entries)
{
  Entry *best[POCHTA_FOLDER_ROLE_FLAGGED + 1] = { NULL, };
  guint best_rank[POCHTA_FOLDER_ROLE_FLAGGED + 1] = { 0, };
  gboolean taken[POCHTA_FOLDER_ROLE_FLAGGED + 1] = { FALSE, };
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->role <= POCHTA_FOLDER_ROLE_FLAGGED)
      taken[entry->role] = TRUE;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      PochtaFolderRole role;
      guint rank = 0;
      Entry *other;

      if (!entry->selectable || entry->role != POCHTA_FOLDER_ROLE_NONE)
        continue;
      role = _pochta_sync_role_for_name (leaf_name (entry), &rank);
      if (role == POCHTA_FOLDER_ROLE_NONE || taken[role])
        continue;

      other = best[role];
      if (other == NULL || role_depth (entry) < role_depth (other) ||
          (role_depth (entry) == role_depth (other) &&
           (rank < best_rank[role] || (rank == best_rank[role] && strcmp (entry->raw_name, other->raw_name) < 0))))
        {
          best[role] = entry;
          best_rank[role] = rank;
        }
    }

  for (guint role = 0; role < G_N_ELEMENTS (best); role++)
    if (best[role] != NULL)
      best[role]->role = role;
}

static Entry *
add_entry (ListSync   *sync,
           const char *raw_name,
           char        delimiter,
           gboolean    utf8)
{
  Entry *entry = g_new0 (Entry, 1);
  const char *p;

  entry->raw_name = g_strdup (raw_name);
  entry->name = pochta_imap_mailbox_name_decode (raw_name, utf8);
  entry->delimiter = delimiter;
  if (delimiter != '\0' && (p = strrchr (raw_name, delimiter)) != NULL && p != raw_name)
    entry->parent_raw = g_strndup (raw_name, p - raw_name);
  for (p = raw_name; delimiter != '\0' && (p = strchr (p, delimiter)) != NULL; p++)
    entry->depth++;
  g_hash_table_insert (sync->entries, entry->raw_name, entry);

  return entry;
}

/* The server's mailboxes, plus rows for parents it implies but did not
 * list, so every folder's parent_id points at a row. */
static void
build_entries (ListSync *sync)
{
  gboolean utf8 = pochta_imap_client_is_enabled (sync->client, POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT);
  g_autoptr(GPtrArray) implied = g_ptr_array_new ();

  sync->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);

  for (guint i = 0; i < sync->infos->len; i++)
    {
      const PochtaImapMailboxInfo *info = g_ptr_array_index (sync->infos, i);
      Entry *entry;

      if (info->raw_name == NULL || info->raw_name[0] == '\0' ||
          g_hash_table_contains (sync->entries, info->raw_name))
        continue;

      entry = add_entry (sync, info->raw_name, info->delimiter, utf8);
      entry->attributes = info->attributes != NULL ? g_strjoinv (" ", info->attributes) : NULL;
      entry->selectable = (info->flags & (POCHTA_IMAP_MAILBOX_NOSELECT | POCHTA_IMAP_MAILBOX_NONEXISTENT)) == 0;
      entry->role = _pochta_sync_role_from_imap (info->role);
      if (sync->lsub != NULL)
        entry->subscribed = g_hash_table_contains (sync->lsub, info->raw_name);
      else
        entry->subscribed = (info->flags & POCHTA_IMAP_MAILBOX_SUBSCRIBED) != 0;
      if (!entry->selectable && entry->role != POCHTA_FOLDER_ROLE_INBOX)
        entry->role = POCHTA_FOLDER_ROLE_NONE;
      if (entry->parent_raw != NULL)
        g_ptr_array_add (implied, entry);
    }

  for (guint i = 0; i < implied->len; i++)
    {
      Entry *child = g_ptr_array_index (implied, i);
      Entry *parent;

      if (g_hash_table_contains (sync->entries, child->parent_raw))
        continue;
      parent = add_entry (sync, child->parent_raw, child->delimiter, utf8);
      parent->attributes = g_strdup ("\\NoSelect");
      if (parent->parent_raw != NULL)
        g_ptr_array_add (implied, parent);
    }

  assign_fallback_roles (sync->entries);
}

static void finish_with_folders (GTask *task);
static void write_changes (GTask *task);

/* A folder that vanished and one that appeared with its UIDVALIDITY are
 * the same folder renamed (RFC 3501 keeps UIDVALIDITY across RENAME); a
 * UIDVALIDITY that fits several candidates proves nothing. */
static void
match_renames (ListSync *sync)
{
  for (guint i = 0; i < sync->vanished->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (sync->vanished, i);
      guint32 uidvalidity = pochta_folder_get_uidvalidity (folder);
      Entry *match = NULL;
      guint n_matches = 0;
      GHashTableIter iter;
      Entry *entry;

      if (uidvalidity == 0)
        continue;

      g_hash_table_iter_init (&iter, sync->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if (entry->cached == NULL && entry->uidvalidity == uidvalidity)
          {
            match = entry;
            n_matches++;
          }

      if (n_matches != 1)
        continue;

      g_debug ("Folder %s was renamed to %s", pochta_folder_get_raw_name (folder), match->raw_name);
      match->cached = folder;
      match->renamed = TRUE;
      g_ptr_array_remove_index (sync->vanished, i--);
    }
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapMailboxStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  ListSync *sync = g_task_get_task_data (task);

  /* A folder the server will not give a STATUS of is just no rename. */
  status = pochta_imap_client_status_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (status != NULL && (status->present & POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY))
    {
      GHashTableIter iter;
      Entry *entry;

      /* STATUS answers with the UTF-8 name; the entries are keyed raw. */
      g_hash_table_iter_init (&iter, sync->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if (g_strcmp0 (entry->name, status->mailbox) == 0 ||
            g_strcmp0 (entry->raw_name, status->raw_mailbox) == 0)
          entry->uidvalidity = status->uidvalidity;
    }

  if (--sync->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  match_renames (sync);
  write_changes (g_steal_pointer (&task));
}

/* The offline queue changes folders in the cache at once and on the
 * server when it replays: until then the server's list is the one out of
 * date, and the cache's folders must stay as they are. */
static gboolean
folder_ops_pending (ListSync  *sync,
                    GError   **error)
{
  PochtaSqlite *db = pochta_store_get_reader (sync->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (db == NULL)
    return FALSE;
  stmt = pochta_sqlite_prepare (db,
    "SELECT EXISTS (SELECT 1 FROM pending_ops WHERE account_id = ?1 AND kind IN (?2, ?3, ?4))", error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, sync->account_id);
  pochta_sqlite_bind_text (stmt, 2, POCHTA_OFFLINE_KIND_CREATE_FOLDER);
  pochta_sqlite_bind_text (stmt, 3, POCHTA_OFFLINE_KIND_RENAME_FOLDER);
  pochta_sqlite_bind_text (stmt, 4, POCHTA_OFFLINE_KIND_DELETE_FOLDER);

  return pochta_sqlite_step (db, stmt, error) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

/* Rows an offline move or append put there: the folder is not the
 * server's to take away while they wait. */
static gboolean
has_placeholders (ListSync      *sync,
                  PochtaFolder  *folder)
{
  PochtaSqlite *db = pochta_store_get_reader (sync->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  if (db == NULL)
    return TRUE;
  stmt = pochta_sqlite_prepare (db,
    "SELECT EXISTS (SELECT 1 FROM messages WHERE folder_id = ?1 AND uid >= 4294967296)", NULL);
  if (stmt == NULL)
    return TRUE;
  pochta_sqlite_bind_int64 (stmt, 1, pochta_folder_get_id (folder));

  return pochta_sqlite_step (db, stmt, NULL) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
}

static void
compare_with_cache (GTask *task)
{
  ListSync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) to_ask = g_ptr_array_new ();
  gboolean any_known_uidvalidity = FALSE;
  GHashTableIter iter;
  Entry *entry;

  sync->cached = pochta_store_list_folders (sync->store, sync->account_id, &error);
  if (sync->cached == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sync->frozen = folder_ops_pending (sync, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sync->vanished = g_ptr_array_new ();
  for (guint i = 0; i < sync->cached->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (sync->cached, i);

      entry = g_hash_table_lookup (sync->entries, pochta_folder_get_raw_name (folder));
      if (entry != NULL)
        entry->cached = folder;
      else
        {
          g_ptr_array_add (sync->vanished, folder);
          if (pochta_folder_get_uidvalidity (folder) != 0)
            any_known_uidvalidity = TRUE;
        }
    }

  if (sync->frozen)
    {
      g_debug ("Folder operations wait in the offline queue: the folder list stays as cached");
      finish_with_folders (task);
      return;
    }

  if (any_known_uidvalidity)
    {
      g_hash_table_iter_init (&iter, sync->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if (entry->cached == NULL && entry->selectable)
          g_ptr_array_add (to_ask, entry);
    }

  if (to_ask->len == 0)
    {
      write_changes (task);
      return;
    }

  sync->pending = to_ask->len;
  for (guint i = 0; i < to_ask->len; i++)
    {
      entry = g_ptr_array_index (to_ask, i);
      pochta_imap_client_status_async (sync->client, entry->name, POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY,
                                       g_task_get_cancellable (task), status_cb, g_object_ref (task));
    }
  g_object_unref (task);
}

static gboolean
entry_differs (const Entry  *entry,
               gint64        parent_id)
{
  PochtaFolder *folder = entry->cached;
  char delimiter[2] = { entry->delimiter, '\0' };

  return entry->renamed ||
         g_strcmp0 (pochta_folder_get_name (folder), entry->name) != 0 ||
         g_strcmp0 (pochta_folder_get_delimiter (folder), entry->delimiter ? delimiter : NULL) != 0 ||
         pochta_folder_get_parent_id (folder) != parent_id ||
         pochta_folder_get_role (folder) != entry->role ||
         g_strcmp0 (pochta_folder_get_attributes (folder), entry->attributes) != 0 ||
         pochta_folder_get_subscribed (folder) != entry->subscribed;
}

static int
compare_depth (gconstpointer a,
               gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  if (ea->depth != eb->depth)
    return ea->depth < eb->depth ? -1 : 1;
  return strcmp (ea->raw_name, eb->raw_name);
}

static gboolean
write_list_job (PochtaStoreTransaction  *txn,
                gpointer                 user_data,
                GError                 **error)
{
  ListWrite *write = user_data;
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Through a name no folder has, so renames that swap names or move a
   * folder onto a name another one gives up never meet the unique key. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < write->renames->len; i++)
      {
        const Rename *rename = g_ptr_array_index (write->renames, i);
        g_autoptr(PochtaSqliteStmt) stmt = NULL;
        g_autofree char *temporary = g_strdup_printf ("\x01renaming-%" G_GINT64_FORMAT, rename->folder_id);

        stmt = pochta_sqlite_prepare (db, "UPDATE folders SET raw_name = ?2, name = ?3 WHERE id = ?1", error);
        if (stmt == NULL)
          return FALSE;
        pochta_sqlite_bind_int64 (stmt, 1, rename->folder_id);
        pochta_sqlite_bind_text (stmt, 2, pass == 0 ? temporary : rename->raw_name);
        pochta_sqlite_bind_text (stmt, 3, rename->name);
        if (!pochta_sqlite_step_done (db, stmt, error))
          return FALSE;
      }

  for (guint i = 0; i < write->upserts->len; i++)
    {
      PochtaFolderRecord *record = g_ptr_array_index (write->upserts, i);
      const char *parent = g_ptr_array_index (write->parents, i);

      if (parent != NULL)
        {
          gint64 *parent_id = g_hash_table_lookup (ids, parent);

          if (parent_id != NULL)
            record->parent_id = *parent_id;
        }
      if (!pochta_store_transaction_upsert_folder (txn, record, error))
        return FALSE;
      g_hash_table_insert (ids, g_strdup (record->raw_name), g_memdup2 (&record->id, sizeof record->id));
    }

  for (guint i = 0; i < write->removals->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* A child may already have gone with its parent (ON DELETE CASCADE). */
      if (!pochta_store_transaction_remove_folder (txn, g_array_index (write->removals, gint64, i), &local_error) &&
          !g_error_matches (local_error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  finish_with_folders (g_steal_pointer (&task));
}

static void
write_changes (GTask *task)
{
  ListSync *sync = g_task_get_task_data (task);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  ListWrite *write;
  GHashTableIter iter;
  Entry *entry;

  write = g_new0 (ListWrite, 1);
  write->account_id = sync->account_id;
  write->renames = g_ptr_array_new_with_free_func ((GDestroyNotify) rename_free);
  write->upserts = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_folder_record_free);
  write->parents = g_ptr_array_new_with_free_func (g_free);
  write->removals = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_hash_table_iter_init (&iter, sync->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_ptr_array_add (sorted, entry);
  g_ptr_array_sort (sorted, compare_depth);

  for (guint i = 0; i < sorted->len; i++)
    {
      Entry *parent = NULL;
      gint64 parent_id = 0;
      PochtaFolderRecord *record;

      entry = g_ptr_array_index (sorted, i);
      if (entry->parent_raw != NULL)
        parent = g_hash_table_lookup (sync->entries, entry->parent_raw);
      if (parent != NULL && parent->cached != NULL)
        parent_id = pochta_folder_get_id (parent->cached);

      if (entry->renamed)
        {
          Rename *rename = g_new0 (Rename, 1);

          rename->folder_id = pochta_folder_get_id (entry->cached);
          rename->raw_name = g_strdup (entry->raw_name);
          rename->name = g_strdup (entry->name);
          g_ptr_array_add (write->renames, rename);
        }

      /* A parent that is new itself gets its id in the job. */
      if (entry->cached != NULL && (parent == NULL || parent->cached != NULL) &&
          !entry_differs (entry, parent_id))
        continue;

      record = pochta_folder_record_new ();
      record->account_id = sync->account_id;
      record->name = g_strdup (entry->name);
      record->raw_name = g_strdup (entry->raw_name);
      record->delimiter = entry->delimiter != '\0' ? g_strndup (&entry->delimiter, 1) : NULL;
      record->parent_id = parent_id;
      record->role = entry->role;
      record->attributes = g_strdup (entry->attributes);
      record->subscribed = entry->subscribed;
      g_ptr_array_add (write->upserts, record);
      g_ptr_array_add (write->parents, g_strdup (entry->parent_raw));
    }

  for (guint i = 0; i < sync->vanished->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (sync->vanished, i);
      gint64 id = pochta_folder_get_id (folder);

      if (has_placeholders (sync, folder))
        continue;
      g_array_append_val (write->removals, id);
    }

  if (write->renames->len == 0 && write->upserts->len == 0 && write->removals->len == 0)
    {
      list_write_free (write);
      finish_with_folders (task);
      return;
    }

  g_debug ("Folder list of account %" G_GINT64_FORMAT ": %u renamed, %u written, %u removed",
           sync->account_id, write->renames->len, write->upserts->len, write->removals->len);
  pochta_store_write_async (sync->store, write_list_job, write, (GDestroyNotify) list_write_free,
                            g_task_get_cancellable (task), write_cb, task);
}

static gboolean
wanted (ListSync     *sync,
        PochtaFolder *folder,
        const Entry  *entry)
{
  if (!entry->selectable)
    return FALSE;
  if (entry->role == POCHTA_FOLDER_ROLE_INBOX || sync->selection == POCHTA_SYNC_FOLDERS_ALL)
    return TRUE;
  if (sync->selection == POCHTA_SYNC_FOLDERS_SUBSCRIBED)
    return entry->subscribed;

  for (guint i = 0; sync->folder_list != NULL && sync->folder_list[i] != NULL; i++)
    if (g_strcmp0 (sync->folder_list[i], pochta_folder_get_name (folder)) == 0 ||
        g_strcmp0 (sync->folder_list[i], pochta_folder_get_raw_name (folder)) == 0)
      return TRUE;

  return FALSE;
}

/* The store lists the Inbox first, then special folders by role, then the
 * rest by name: the order folders should fill in. */
static void
finish_with_folders (GTask *task)
{
  ListSync *sync = g_task_get_task_data (task);
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GError) error = NULL;

  folders = pochta_store_list_folders (sync->store, sync->account_id, &error);
  if (folders == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < folders->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (folders, i);
      const Entry *entry = g_hash_table_lookup (sync->entries, pochta_folder_get_raw_name (folder));

      /* Only folders both sides have: one the server lacks would be
       * found empty, one only the server has has no row (while frozen). */
      if (entry != NULL && wanted (sync, folder, entry))
        g_ptr_array_add (result, g_object_ref (folder));
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
lsub_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ListSync *sync = g_task_get_task_data (task);
  g_autoptr(GPtrArray) subscribed = NULL;
  g_autoptr(GError) error = NULL;

  subscribed = pochta_imap_client_lsub_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (subscribed == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sync->lsub = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < subscribed->len; i++)
    {
      const PochtaImapMailboxInfo *info = g_ptr_array_index (subscribed, i);

      g_hash_table_add (sync->lsub, g_strdup (info->raw_name));
    }

  build_entries (sync);
  compare_with_cache (task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ListSync *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  sync->infos = pochta_imap_client_list_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (sync->infos == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* Without LIST-EXTENDED, LIST has no subscription state: LSUB tells. */
  if (!pochta_imap_client_has_capability (sync->client, POCHTA_IMAP_CAPABILITY_LIST_EXTENDED))
    {
      pochta_imap_client_lsub_async (sync->client, "", "*", g_task_get_cancellable (task), lsub_cb, task);
      return;
    }

  build_entries (sync);
  compare_with_cache (task);
}

/**
 * pochta_sync_folder_list_async:
 * @client: a logged-in client
 * @account_id: the account's row in @store
 * @selection: which folders the finish returns
 * @folder_list: (nullable) (array zero-terminated=1): names (UTF-8 or as
 *   the server sends them) for %POCHTA_SYNC_FOLDERS_LIST
 *
 * Folder names in the cache are the whole decoded path ("Work/Projects");
 * parent_id follows the server's delimiter, with rows for parents the
 * server implies but does not list (\NoSelect). The Inbox is always among
 * the folders returned; folders that cannot be selected never are.
 */
void
pochta_sync_folder_list_async (PochtaImapClient    *client,
                               PochtaStore         *store,
                               gint64               account_id,
                               PochtaSyncFolders    selection,
                               const char * const  *folder_list,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ListSync *sync;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (client));
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (account_id > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_sync_folder_list_async);

  sync = g_new0 (ListSync, 1);
  sync->client = g_object_ref (client);
  sync->store = g_object_ref (store);
  sync->account_id = account_id;
  sync->selection = selection;
  sync->folder_list = g_strdupv ((char **) folder_list);
  g_task_set_task_data (task, sync, (GDestroyNotify) list_sync_free);

  pochta_imap_client_list_async (client, "", "*", 0, cancellable, list_cb, task);
}

/**
 * pochta_sync_folder_list_finish:
 *
 * Returns: (transfer container) (element-type PochtaFolder): the folders
 *   to sync, in the order to sync them
 */
GPtrArray *
pochta_sync_folder_list_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_sync_folder_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
