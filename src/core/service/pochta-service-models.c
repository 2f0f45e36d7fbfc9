/* pochta-service-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The read side of PochtaService: each account's folder tree, the lazy
 * message models (one per folder while someone holds it), single
 * messages, attachments, search and the offline queue's list.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-message-list-model.h"
#include "pochta-service-error.h"
#include "pochta-service-private.h"

/* Folders */

static PochtaFolderTree *
entry_tree (PochtaService        *self,
            PochtaServiceAccount *entry)
{
  if (entry->tree == NULL)
    entry->tree = pochta_folder_tree_new (self->store, entry->store_id);

  return entry->tree;
}

GListModel *
pochta_service_get_folders (PochtaService *self,
                            PochtaAccount *account)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  entry = _pochta_service_lookup_entry (self, account);
  g_return_val_if_fail (entry != NULL, NULL);

  return pochta_folder_tree_get_all (entry_tree (self, entry));
}

GListModel *
pochta_service_get_child_folders (PochtaService *self,
                                  PochtaAccount *account,
                                  PochtaFolder  *parent)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  entry = _pochta_service_lookup_entry (self, account);
  g_return_val_if_fail (entry != NULL, NULL);

  return pochta_folder_tree_get_children (entry_tree (self, entry),
                                          parent != NULL ? pochta_folder_get_id (parent) : 0);
}

PochtaFolder *
pochta_service_get_folder (PochtaService *self,
                           gint64         folder_id)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  entry = _pochta_service_entry_for_folder (self, folder_id);
  if (entry == NULL)
    return NULL;

  return pochta_folder_tree_lookup (entry_tree (self, entry), folder_id);
}

PochtaFolder *
pochta_service_find_folder (PochtaService *self,
                            PochtaAccount *account,
                            const char    *name)
{
  GListModel *folders;
  guint n;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  folders = pochta_service_get_folders (self, account);
  n = g_list_model_get_n_items (folders);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(PochtaFolder) folder = g_list_model_get_item (folders, i);
        g_autofree char *path = NULL;
        const char *delimiter = pochta_folder_get_delimiter (folder);

        if (pass == 0)
          {
            if (g_strcmp0 (pochta_folder_get_raw_name (folder), name) == 0
                || (pochta_folder_get_role (folder) == POCHTA_FOLDER_ROLE_INBOX
                    && g_ascii_strcasecmp (name, "INBOX") == 0))
              return folder;
            continue;
          }

        /* The display path: names joined by the server's delimiter or "/". */
        path = g_strdup (pochta_folder_get_name (folder));
        for (gint64 parent_id = pochta_folder_get_parent_id (folder); parent_id != 0;)
          {
            PochtaFolder *parent = pochta_service_get_folder (self, parent_id);
            char *longer;

            if (parent == NULL || parent == folder)
              break;
            longer = g_strconcat (pochta_folder_get_name (parent),
                                  delimiter != NULL ? delimiter : "/", path, NULL);
            g_free (path);
            path = longer;
            parent_id = pochta_folder_get_parent_id (parent);
          }

        if (g_strcmp0 (path, name) == 0 || g_strcmp0 (pochta_folder_get_name (folder), name) == 0)
          return folder;
      }

  return NULL;
}

PochtaFolder *
pochta_service_find_folder_by_role (PochtaService    *self,
                                    PochtaAccount    *account,
                                    PochtaFolderRole  role)
{
  GListModel *folders;
  guint n;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  folders = pochta_service_get_folders (self, account);
  n = g_list_model_get_n_items (folders);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaFolder) folder = g_list_model_get_item (folders, i);

      if (pochta_folder_get_role (folder) == role)
        return folder;
    }

  return NULL;
}

/* Messages */

void
_pochta_service_message_model_gone (gpointer  data,
                                    GObject  *where_the_object_was)
{
  PochtaService *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->message_models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      g_hash_table_iter_remove (&iter);
}

/**
 * pochta_service_get_messages:
 *
 * Returns: (transfer full): the folder's messages; every caller asking
 *   for one folder shares one model while any of them holds it.
 */
GListModel *
pochta_service_get_messages (PochtaService *self,
                             gint64         folder_id)
{
  PochtaMessageListModel *model;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  model = g_hash_table_lookup (self->message_models, &folder_id);
  if (model != NULL)
    return g_object_ref (G_LIST_MODEL (model));

  model = pochta_message_list_model_new (self->store, folder_id);
  g_hash_table_insert (self->message_models, g_memdup2 (&folder_id, sizeof folder_id), model);
  g_object_weak_ref (G_OBJECT (model), _pochta_service_message_model_gone, self);

  return G_LIST_MODEL (model);
}

PochtaMessageSummary *
pochta_service_get_message (PochtaService  *self,
                            gint64          message_id,
                            GError        **error)
{
  PochtaMessageSummary *summary;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  summary = pochta_store_get_message (self->store, message_id, error);
  if (summary == NULL && error != NULL && *error == NULL)
    g_set_error (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                 _("There is no message %lld"), (long long) message_id);

  return summary;
}

GPtrArray *
pochta_service_list_attachments (PochtaService  *self,
                                 gint64          message_id,
                                 GError        **error)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  return pochta_store_list_attachments (self->store, message_id, error);
}

GPtrArray *
pochta_service_search (PochtaService  *self,
                       const char     *text,
                       gint64          folder_id,
                       guint           limit,
                       GError        **error)
{
  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  return pochta_store_search (self->store, text, folder_id, limit, error);
}

GPtrArray *
pochta_service_list_pending (PochtaService  *self,
                             PochtaAccount  *account,
                             GError        **error)
{
  PochtaServiceAccount *entry;

  g_return_val_if_fail (POCHTA_IS_SERVICE (self), NULL);

  entry = _pochta_service_lookup_entry (self, account);
  if (entry == NULL)
    {
      g_set_error (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_NOT_FOUND,
                   _("There is no such account"));
      return NULL;
    }

  return pochta_store_list_pending_ops (self->store, entry->store_id, error);
}
