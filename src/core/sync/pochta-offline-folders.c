/* pochta-offline-folders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder actions of the offline queue: create, rename and delete, each
 * applied to the cache's folder list and queued in one transaction.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-utf7.h"
#include "pochta-offline-ops.h"
#include "pochta-offline-private.h"
#include "pochta-offline-store-private.h"

#define return_if_no_stmt(stmt) G_STMT_START { if ((stmt) == NULL) return FALSE; } G_STMT_END

typedef struct
{
  gint64  account_id;
  gint64  folder_id;
  gint64  parent_id;
  char   *name;
} FolderData;

static void
folder_data_free (FolderData *data)
{
  g_free (data->name);
  g_free (data);
}

static FolderData *
folder_data_new (gint64      account_id,
                 gint64      folder_id,
                 gint64      parent_id,
                 const char *name)
{
  FolderData *data = g_new0 (FolderData, 1);

  data->account_id = account_id;
  data->folder_id = folder_id;
  data->parent_id = parent_id;
  data->name = g_strdup (name);

  return data;
}

static gboolean
check_name (const char  *name,
            const char  *delimiter,
            GError     **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      (delimiter != NULL && *delimiter != '\0' && strstr (name, delimiter) != NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("“%s” cannot be the name of a folder"), name != NULL ? name : "");
      return FALSE;
    }

  return TRUE;
}

/* The raw name of @name under @parent (or at the top), in the server's
 * modified UTF-7. */
static char *
child_raw_name (const PochtaOfflineFolder *parent,
                const char                *name)
{
  g_autofree char *encoded = pochta_imap_utf7_encode (name);

  if (parent == NULL || parent->id == 0)
    return g_steal_pointer (&encoded);

  return g_strconcat (parent->raw_name, parent->delimiter != NULL ? parent->delimiter : "", encoded, NULL);
}

static gboolean
check_free (PochtaStoreTransaction  *txn,
            gint64                   account_id,
            const char              *raw_name,
            GError                 **error)
{
  g_auto(PochtaOfflineFolder) existing = { 0, };
  g_autofree char *name = NULL;

  if (!_pochta_offline_find_folder (txn, account_id, raw_name, &existing, error))
    return FALSE;
  if (existing.id == 0)
    return TRUE;

  name = _pochta_offline_mailbox_name (raw_name);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("There is already a folder “%s”"), name);

  return FALSE;
}

/* Any folder of the account tells the server's hierarchy delimiter. */
static char *
account_delimiter (PochtaStoreTransaction *txn,
                   gint64                  account_id)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  stmt = pochta_sqlite_prepare (pochta_store_transaction_get_sqlite (txn),
    "SELECT delimiter FROM folders WHERE account_id = ?1 AND delimiter IS NOT NULL"
    " AND delimiter != '' ORDER BY id LIMIT 1", NULL);
  if (stmt == NULL)
    return g_strdup ("/");
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  if (pochta_sqlite_step (pochta_store_transaction_get_sqlite (txn), stmt, NULL) != SQLITE_ROW)
    return g_strdup ("/");

  return pochta_sqlite_column_dup_text (stmt, 0);
}

static gboolean
create_write (PochtaStoreTransaction  *txn,
              gpointer                 user_data,
              GError                 **error)
{
  FolderData *data = user_data;
  g_auto(PochtaOfflineFolder) parent = { 0, };
  g_autoptr(PochtaFolderRecord) record = pochta_folder_record_new ();
  g_autoptr(PochtaOfflinePayload) payload = NULL;

  if (data->parent_id > 0 &&
      !_pochta_offline_load_folder (txn, data->account_id, data->parent_id, &parent, error))
    return FALSE;

  record->account_id = data->account_id;
  record->delimiter = parent.id != 0 && parent.delimiter != NULL ? g_strdup (parent.delimiter)
                                                                  : account_delimiter (txn, data->account_id);
  if (!check_name (data->name, record->delimiter, error))
    return FALSE;
  record->raw_name = child_raw_name (&parent, data->name);
  record->name = _pochta_offline_mailbox_name (record->raw_name);
  record->parent_id = parent.id;
  record->subscribed = TRUE;
  if (!check_free (txn, data->account_id, record->raw_name, error) ||
      !pochta_store_transaction_upsert_folder (txn, record, error))
    return FALSE;

  payload = _pochta_offline_payload_new (POCHTA_OFFLINE_KIND_CREATE_FOLDER);
  payload->folder = g_strdup (record->raw_name);

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

/**
 * pochta_offline_create_folder_async:
 * @name: the new folder's name in UTF-8, without the hierarchy delimiter
 * @parent_id: the folder to create it in, or 0 for the top level
 */
void
pochta_offline_create_folder_async (PochtaStore         *store,
                                    gint64               account_id,
                                    const char          *name,
                                    gint64               parent_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (name != NULL);

  _pochta_offline_queue_write (store, create_write, folder_data_new (account_id, 0, parent_id, name),
                               (GDestroyNotify) folder_data_free, pochta_offline_create_folder_async,
                               cancellable, callback, user_data);
}

static gboolean
refuse_inbox (const PochtaOfflineFolder  *folder,
              GError                    **error)
{
  if (folder->role != POCHTA_FOLDER_ROLE_INBOX && g_ascii_strcasecmp (folder->raw_name, "INBOX") != 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("The Inbox cannot be renamed or deleted"));

  return FALSE;
}

/* The folder and everything under it, children before their parents. */
static GPtrArray *
list_subtree (PochtaStoreTransaction     *txn,
              gint64                      account_id,
              const PochtaOfflineFolder  *folder,
              GArray                     *ids,
              GError                    **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = g_strconcat (folder->raw_name,
                                         folder->delimiter != NULL ? folder->delimiter : "", NULL);
  int rc;

  stmt = pochta_sqlite_prepare (pochta_store_transaction_get_sqlite (txn),
    "SELECT id, raw_name FROM folders WHERE account_id = ?1"
    " AND (id = ?2 OR (?3 != ?4 AND substr (raw_name, 1, length (?3)) = ?3))"
    " ORDER BY length (raw_name) DESC, raw_name", error);
  if (stmt == NULL)
    return NULL;
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  pochta_sqlite_bind_int64 (stmt, 2, folder->id);
  pochta_sqlite_bind_text (stmt, 3, prefix);
  pochta_sqlite_bind_text (stmt, 4, folder->raw_name);
  while ((rc = pochta_sqlite_step (pochta_store_transaction_get_sqlite (txn), stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (names, pochta_sqlite_column_dup_text (stmt, 1));
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&names) : NULL;
}

static gboolean
rename_one (PochtaStoreTransaction  *txn,
            gint64                   folder_id,
            const char              *raw_name,
            GError                 **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autofree char *name = _pochta_offline_mailbox_name (raw_name);

  stmt = pochta_sqlite_prepare (pochta_store_transaction_get_sqlite (txn),
    "UPDATE folders SET raw_name = ?2, name = ?3 WHERE id = ?1", error);
  return_if_no_stmt (stmt);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_text (stmt, 2, raw_name);
  pochta_sqlite_bind_text (stmt, 3, name);
  if (!pochta_sqlite_step_done (pochta_store_transaction_get_sqlite (txn), stmt, error))
    return FALSE;

  pochta_store_transaction_note_folder_changed (txn, folder_id);

  return TRUE;
}

static gboolean
rename_write (PochtaStoreTransaction  *txn,
              gpointer                 user_data,
              GError                 **error)
{
  FolderData *data = user_data;
  g_auto(PochtaOfflineFolder) folder = { 0, };
  g_auto(PochtaOfflineFolder) parent = { 0, };
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *new_raw = NULL;
  gsize old_len;

  if (!_pochta_offline_load_folder (txn, data->account_id, data->folder_id, &folder, error) ||
      !refuse_inbox (&folder, error) ||
      !check_name (data->name, folder.delimiter, error) ||
      (folder.parent_id > 0 &&
       !_pochta_offline_load_folder (txn, data->account_id, folder.parent_id, &parent, error)))
    return FALSE;

  new_raw = child_raw_name (&parent, data->name);
  if (g_strcmp0 (new_raw, folder.raw_name) == 0)
    return TRUE;
  if (!check_free (txn, data->account_id, new_raw, error) ||
      !(names = list_subtree (txn, data->account_id, &folder, ids, error)))
    return FALSE;

  /* Children keep their place under the renamed folder: only the prefix
   * of their raw names changes. */
  old_len = strlen (folder.raw_name);
  for (guint i = 0; i < names->len; i++)
    {
      const char *old = g_ptr_array_index (names, i);
      g_autofree char *renamed = g_strconcat (new_raw, old + old_len, NULL);

      if (!rename_one (txn, g_array_index (ids, gint64, i), renamed, error))
        return FALSE;
    }
  pochta_store_transaction_note_account_changed (txn, data->account_id);

  payload = _pochta_offline_payload_new (POCHTA_OFFLINE_KIND_RENAME_FOLDER);
  payload->folder = g_strdup (folder.raw_name);
  payload->new_name = g_steal_pointer (&new_raw);

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

/**
 * pochta_offline_rename_folder_async:
 * @new_name: the folder's new name in UTF-8, within the same parent
 *
 * Renames the folder and, with it, the names of the folders under it.
 */
void
pochta_offline_rename_folder_async (PochtaStore         *store,
                                    gint64               account_id,
                                    gint64               folder_id,
                                    const char          *new_name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (new_name != NULL);

  _pochta_offline_queue_write (store, rename_write, folder_data_new (account_id, folder_id, 0, new_name),
                               (GDestroyNotify) folder_data_free, pochta_offline_rename_folder_async,
                               cancellable, callback, user_data);
}

static gboolean
delete_write (PochtaStoreTransaction  *txn,
              gpointer                 user_data,
              GError                 **error)
{
  FolderData *data = user_data;
  g_auto(PochtaOfflineFolder) folder = { 0, };
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = NULL;

  if (!_pochta_offline_load_folder (txn, data->account_id, data->folder_id, &folder, error) ||
      !refuse_inbox (&folder, error) ||
      !(names = list_subtree (txn, data->account_id, &folder, ids, error)))
    return FALSE;

  /* One by one, children first, so each announces its own reset. */
  for (guint i = 0; i < ids->len; i++)
    if (!pochta_store_transaction_remove_folder (txn, g_array_index (ids, gint64, i), error))
      return FALSE;

  payload = _pochta_offline_payload_new (POCHTA_OFFLINE_KIND_DELETE_FOLDER);
  payload->folder = g_strdup (folder.raw_name);
  g_ptr_array_add (names, NULL);
  payload->folders = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);

  return _pochta_offline_enqueue (txn, data->account_id, payload, error);
}

/**
 * pochta_offline_delete_folder_async:
 *
 * Deletes the folder, the folders under it and all their messages.
 */
void
pochta_offline_delete_folder_async (PochtaStore         *store,
                                    gint64               account_id,
                                    gint64               folder_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (POCHTA_IS_STORE (store));

  _pochta_offline_queue_write (store, delete_write, folder_data_new (account_id, folder_id, 0, NULL),
                               (GDestroyNotify) folder_data_free, pochta_offline_delete_folder_async,
                               cancellable, callback, user_data);
}
