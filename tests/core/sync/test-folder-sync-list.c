/* test-folder-sync-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder list against the harness Dovecot: roles, the tree, which
 * folders a selection syncs, and folders created, renamed and deleted by
 * another connection.
 */

#include "config.h"

#include "sync-test-util.h"

static void
mailbox_create (PochtaImapClient *client,
                const char       *name,
                gboolean          subscribe)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  SYNC_RUN (result, pochta_imap_client_create_async (client, name, NULL, pochta_test_store_result, &result));
  pochta_imap_client_create_finish (client, result, &error);
  g_assert_no_error (error);

  if (subscribe)
    {
      SYNC_RUN (result, pochta_imap_client_subscribe_async (client, name, TRUE, NULL,
                                                            pochta_test_store_result, &result));
      pochta_imap_client_subscribe_finish (client, result, &error);
      g_assert_no_error (error);
    }
}

static void
mailbox_rename (PochtaImapClient *client,
                const char       *from,
                const char       *to)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  SYNC_RUN (result, pochta_imap_client_rename_async (client, from, to, NULL, pochta_test_store_result, &result));
  pochta_imap_client_rename_finish (client, result, &error);
  g_assert_no_error (error);
}

static void
mailbox_delete (PochtaImapClient *client,
                const char       *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  SYNC_RUN (result, pochta_imap_client_delete_async (client, name, NULL, pochta_test_store_result, &result));
  pochta_imap_client_delete_finish (client, result, &error);
  g_assert_no_error (error);
}

static PochtaFolder *
cached_folder (SyncTestCache *cache,
               const char    *raw_name)
{
  g_autoptr(GPtrArray) folders = pochta_store_list_folders (cache->store, cache->account_id, NULL);
  PochtaFolder *folder = sync_test_find_folder (folders, raw_name);

  return folder != NULL ? g_object_ref (folder) : NULL;
}

static void
test_roles_and_tree (void)
{
  const char *user = "flistroles";
  struct { const char *raw_name; PochtaFolderRole role; } roles[] = {
    { "INBOX", POCHTA_FOLDER_ROLE_INBOX },
    { "Sent", POCHTA_FOLDER_ROLE_SENT },
    { "Drafts", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Trash", POCHTA_FOLDER_ROLE_TRASH },
    { "Junk", POCHTA_FOLDER_ROLE_JUNK },
    { "Archive", POCHTA_FOLDER_ROLE_ARCHIVE },
    /* Sent already has its folder by SPECIAL-USE: a name is no reason. */
    { "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", POCHTA_FOLDER_ROLE_NONE },
    { "Work", POCHTA_FOLDER_ROLE_NONE },
  };
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(PochtaFolder) work = NULL;
  g_autoptr(PochtaFolder) projects = NULL;
  g_autoptr(PochtaFolder) year = NULL;
  g_autoptr(PochtaFolder) russian = NULL;
  SyncTestCache cache = { 0, };
  PochtaFolderRole last_role = POCHTA_FOLDER_ROLE_INBOX;

  sync_test_add_user (user, 1);
  checker = sync_test_connect (user, FALSE);
  mailbox_create (checker, "Work", TRUE);
  mailbox_create (checker, "Work/Notes", TRUE);
  /* Only the leaf: the server implies Work/Projects. */
  mailbox_create (checker, "Work/Projects/2024", TRUE);
  mailbox_create (checker, "Отправленные", TRUE);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr(PochtaFolder) folder = cached_folder (&cache, roles[i].raw_name);

      g_assert_nonnull (folder);
      g_assert_cmpint (pochta_folder_get_role (folder), ==, roles[i].role);
      g_assert_cmpstr (pochta_folder_get_delimiter (folder), ==, "/");
    }

  russian = cached_folder (&cache, "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-");
  g_assert_cmpstr (pochta_folder_get_name (russian), ==, "Отправленные");

  /* The tree follows the delimiter, through the implied parent. */
  work = cached_folder (&cache, "Work");
  projects = cached_folder (&cache, "Work/Projects");
  year = cached_folder (&cache, "Work/Projects/2024");
  g_assert_nonnull (work);
  g_assert_nonnull (projects);
  g_assert_nonnull (year);
  g_assert_cmpint (pochta_folder_get_parent_id (work), ==, 0);
  g_assert_cmpint (pochta_folder_get_parent_id (projects), ==, pochta_folder_get_id (work));
  g_assert_cmpint (pochta_folder_get_parent_id (year), ==, pochta_folder_get_id (projects));
  g_assert_cmpstr (pochta_folder_get_name (year), ==, "Work/Projects/2024");

  /* The Inbox first, special folders by role, then the rest by name; never
   * a folder that cannot be selected. */
  g_assert_cmpstr (pochta_folder_get_raw_name (g_ptr_array_index (folders, 0)), ==, "INBOX");
  for (guint i = 1; i < folders->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (folders, i);
      PochtaFolderRole role = pochta_folder_get_role (folder);
      const char *attributes = pochta_folder_get_attributes (folder);
      g_autofree char *lower = g_ascii_strdown (attributes != NULL ? attributes : "", -1);

      g_assert_null (strstr (lower, "\\noselect"));
      g_assert_null (strstr (lower, "\\nonexistent"));
      if (role != POCHTA_FOLDER_ROLE_NONE)
        {
          g_assert_cmpint (role, >, last_role);
          last_role = role;
        }
      else
        {
          PochtaFolder *previous = g_ptr_array_index (folders, i - 1);

          if (pochta_folder_get_role (previous) == POCHTA_FOLDER_ROLE_NONE)
            g_assert_cmpint (g_ascii_strcasecmp (pochta_folder_get_name (previous),
                                                 pochta_folder_get_name (folder)), <, 0);
        }
    }
  g_assert_nonnull (sync_test_find_folder (folders, "Work/Projects/2024"));
  g_assert_nonnull (sync_test_find_folder (folders, "Work/Notes"));

  sync_test_cache_close (&cache);
}

static void
assert_names (GPtrArray          *folders,
              const char * const *expected)
{
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_nonnull (sync_test_find_folder (folders, expected[i]));
  g_assert_cmpuint (folders->len, ==, g_strv_length ((char **) expected));
}

static void
test_selection (void)
{
  const char *user = "flistsel";
  const char * const subscribed[] = { "INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive", "Sub", NULL };
  const char * const all[] = { "INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive", "Sub", "Unsub", NULL };
  const char * const chosen[] = { "Unsub", NULL };
  const char * const listed[] = { "INBOX", "Unsub", NULL };
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(PochtaFolder) sub = NULL;
  g_autoptr(PochtaFolder) unsub = NULL;
  SyncTestCache cache = { 0, };

  sync_test_add_user (user, 1);
  checker = sync_test_connect (user, FALSE);
  mailbox_create (checker, "Sub", TRUE);
  mailbox_create (checker, "Unsub", FALSE);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);

  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_SUBSCRIBED, NULL);
  assert_names (folders, subscribed);
  g_clear_pointer (&folders, g_ptr_array_unref);

  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  assert_names (folders, all);
  g_clear_pointer (&folders, g_ptr_array_unref);

  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_LIST, chosen);
  assert_names (folders, listed);

  /* Every folder is cached, whatever the selection. */
  sub = cached_folder (&cache, "Sub");
  unsub = cached_folder (&cache, "Unsub");
  g_assert_true (pochta_folder_get_subscribed (sub));
  g_assert_false (pochta_folder_get_subscribed (unsub));

  sync_test_cache_close (&cache);
}

static GArray *
message_ids (SyncTestCache *cache,
             gint64         folder_id)
{
  PochtaSqlite *db = pochta_store_get_reader (cache->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = pochta_sqlite_prepare (db, "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY id", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  while (pochta_sqlite_step (db, stmt, &error) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_assert_no_error (error);

  return ids;
}

static void
test_changes (void)
{
  const char *user = "flistchg";
  const char *synced[] = { "Projects", "Trashy", "Outer", "Outer/Inner" };
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GArray) projects_rows = NULL;
  g_autoptr(GArray) renamed_rows = NULL;
  g_autoptr(PochtaFolder) renamed = NULL;
  g_autoptr(PochtaFolder) outer = NULL;
  g_autoptr(PochtaFolder) inner = NULL;
  g_autoptr(PochtaFolder) new_one = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  gint64 projects_id, trashy_id, outer_id, inner_id;
  guint commands;

  sync_test_add_user (user, 1);
  checker = sync_test_connect (user, FALSE);
  mailbox_create (checker, "Projects", TRUE);
  mailbox_create (checker, "Trashy", TRUE);
  mailbox_create (checker, "Outer", TRUE);
  mailbox_create (checker, "Outer/Inner", TRUE);
  for (guint i = 1; i <= 3; i++)
    sync_test_simple_message (checker, "Projects", "project", i);
  sync_test_simple_message (checker, "Trashy", "trashy", 1);
  sync_test_simple_message (checker, "Trashy", "trashy", 2);
  sync_test_simple_message (checker, "Outer/Inner", "inner", 1);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (synced); i++)
    sync_test_folder (client, &cache, sync_test_folder_id (&cache, synced[i]), POCHTA_SYNC_FOLDER_FLAGS_NONE);
  /* Out of the way of the other connection's renames and deletes. */
  sync_test_folder (client, &cache, sync_test_folder_id (&cache, "INBOX"), POCHTA_SYNC_FOLDER_FLAGS_NONE);

  projects_id = sync_test_folder_id (&cache, "Projects");
  trashy_id = sync_test_folder_id (&cache, "Trashy");
  outer_id = sync_test_folder_id (&cache, "Outer");
  inner_id = sync_test_folder_id (&cache, "Outer/Inner");
  projects_rows = message_ids (&cache, projects_id);
  g_assert_cmpuint (projects_rows->len, ==, 3);
  g_assert_cmpint (sync_test_count_rows (&cache, trashy_id), ==, 2);

  mailbox_create (checker, "New One", TRUE);
  mailbox_rename (checker, "Projects", "Projects 2024");
  mailbox_rename (checker, "Outer", "Renamed");
  mailbox_delete (checker, "Trashy");

  again = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);

  new_one = cached_folder (&cache, "New One");
  g_assert_nonnull (new_one);
  g_assert_nonnull (sync_test_find_folder (again, "New One"));

  /* Renamed in place: the same row, the same cached messages. */
  g_assert_cmpint (sync_test_folder_id (&cache, "Projects"), ==, 0);
  renamed = cached_folder (&cache, "Projects 2024");
  g_assert_nonnull (renamed);
  g_assert_cmpint (pochta_folder_get_id (renamed), ==, projects_id);
  g_assert_cmpstr (pochta_folder_get_name (renamed), ==, "Projects 2024");
  renamed_rows = message_ids (&cache, projects_id);
  g_assert_cmpmem (renamed_rows->data, renamed_rows->len * sizeof (gint64),
                   projects_rows->data, projects_rows->len * sizeof (gint64));

  /* A renamed parent takes its children along. */
  outer = cached_folder (&cache, "Renamed");
  inner = cached_folder (&cache, "Renamed/Inner");
  g_assert_nonnull (outer);
  g_assert_nonnull (inner);
  g_assert_cmpint (pochta_folder_get_id (outer), ==, outer_id);
  g_assert_cmpint (pochta_folder_get_id (inner), ==, inner_id);
  g_assert_cmpint (pochta_folder_get_parent_id (inner), ==, outer_id);
  g_assert_cmpint (sync_test_count_rows (&cache, inner_id), ==, 1);
  g_assert_cmpint (sync_test_folder_id (&cache, "Outer"), ==, 0);
  g_assert_cmpint (sync_test_folder_id (&cache, "Outer/Inner"), ==, 0);

  /* Deleted, with its messages. */
  g_assert_cmpint (sync_test_folder_id (&cache, "Trashy"), ==, 0);
  g_assert_cmpint (sync_test_count_rows (&cache, trashy_id), ==, 0);
  g_assert_null (pochta_store_get_folder (cache.store, trashy_id, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The renamed folder's cache still holds: its sync is one SELECT. */
  commands = pochta_imap_client_get_n_commands (client);
  sync_test_folder (client, &cache, projects_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
  g_assert_cmpuint (pochta_imap_client_get_n_commands (client) - commands, ==, 1);
  sync_test_assert_equals_server (checker, &cache, projects_id, "Projects 2024");

  sync_test_cache_close (&cache);
}

static void
test_offline_queue (void)
{
  const char *user = "flistqueue";
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  gint64 gone_id, kept_id, op_id;

  sync_test_add_user (user, 1);
  checker = sync_test_connect (user, FALSE);
  mailbox_create (checker, "Gone", TRUE);
  mailbox_create (checker, "Kept", TRUE);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  gone_id = sync_test_folder_id (&cache, "Gone");
  kept_id = sync_test_folder_id (&cache, "Kept");
  sync_test_add_placeholder (&cache, kept_id);

  /* A folder operation in the queue: the server's list is the stale one. */
  SYNC_RUN (result, pochta_store_enqueue_pending_op_async (cache.store, cache.account_id, "create-folder", "{}",
                                                           NULL, pochta_test_store_result, &result));
  op_id = pochta_store_enqueue_pending_op_finish (cache.store, result, &error);
  g_assert_no_error (error);

  mailbox_delete (checker, "Gone");
  mailbox_delete (checker, "Kept");
  mailbox_create (checker, "Fresh", TRUE);
  g_clear_pointer (&folders, g_ptr_array_unref);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  g_assert_cmpint (sync_test_folder_id (&cache, "Gone"), ==, gone_id);
  g_assert_cmpint (sync_test_folder_id (&cache, "Fresh"), ==, 0);
  g_assert_null (sync_test_find_folder (folders, "Gone"));
  g_assert_nonnull (sync_test_find_folder (folders, "INBOX"));

  /* Replayed: the server's list counts again, but a folder holding rows
   * that wait for the queue is not the server's to remove. */
  SYNC_RUN (result, pochta_store_remove_pending_op_async (cache.store, op_id, NULL,
                                                          pochta_test_store_result, &result));
  pochta_store_remove_pending_op_finish (cache.store, result, &error);
  g_assert_no_error (error);
  g_clear_pointer (&folders, g_ptr_array_unref);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  g_assert_cmpint (sync_test_folder_id (&cache, "Gone"), ==, 0);
  g_assert_cmpint (sync_test_folder_id (&cache, "Kept"), ==, kept_id);
  g_assert_cmpint (sync_test_count_rows (&cache, kept_id), ==, 1);
  g_assert_cmpint (sync_test_folder_id (&cache, "Fresh"), >, 0);
  g_assert_null (sync_test_find_folder (folders, "Kept"));

  sync_test_cache_close (&cache);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sync/folder-list/roles-and-tree", test_roles_and_tree);
  g_test_add_func ("/core/sync/folder-list/selection", test_selection);
  g_test_add_func ("/core/sync/folder-list/changes", test_changes);
  g_test_add_func ("/core/sync/folder-list/offline-queue", test_offline_queue);

  return g_test_run ();
}
