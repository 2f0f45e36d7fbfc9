/* sync-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the folder sync tests: a cache on a temp file, logged-in
 * clients on the harness Dovecot, changes made by "another device", and
 * the comparison of a cached folder with what the server reports.
 */

#pragma once

#include <glib/gstdio.h>
#include <string.h>

#include "../store/store-test-util.h"
#include "pochta-folder-sync.h"
#include "pochta-sync-private.h"

#define SYNC_TEST_WAIT_MS 60000

#define SYNC_RUN(result, call)                         \
  G_STMT_START {                                       \
    g_clear_object (&result);                          \
    call;                                              \
    pochta_test_wait_result (&result, SYNC_TEST_WAIT_MS); \
  } G_STMT_END

typedef struct
{
  char        *dir;
  char        *path;
  PochtaStore *store;
  gint64       account_id;
} SyncTestCache;

static G_GNUC_UNUSED void
sync_test_cache_open (SyncTestCache *cache)
{
  g_autoptr(GError) error = NULL;

  cache->dir = g_dir_make_tmp ("pochta-sync-XXXXXX", &error);
  g_assert_no_error (error);
  cache->path = g_build_filename (cache->dir, "cache.sqlite", NULL);
  cache->store = store_test_open (cache->path, &error);
  g_assert_no_error (error);
  cache->account_id = store_test_add_account (cache->store, "Sync test");
}

static G_GNUC_UNUSED void
sync_test_cache_close (SyncTestCache *cache)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (cache->store != NULL)
    store_test_close (cache->store);
  g_clear_object (&cache->store);

  dir = g_dir_open (cache->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (cache->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (cache->dir);
  g_clear_pointer (&cache->dir, g_free);
  g_clear_pointer (&cache->path, g_free);
}

/* Dovecot's auth process looks at the passwd-file at most once a second,
 * so a user added right after a login of another one may not exist yet
 * for the next second. */
static G_GNUC_UNUSED void
sync_test_add_user (const char *user,
                    guint       count)
{
  g_autoptr(GError) error = NULL;

  pochta_test_servers_add_user (user, count, &error);
  g_assert_no_error (error);
  g_usleep (1100 * 1000);
}

/* A logged-in client on the plain port (TLS is not what these tests are
 * about); @qresync enables QRESYNC as the account session does. */
static G_GNUC_UNUSED PochtaImapClient *
sync_test_connect (const char *user,
                   gboolean    qresync)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = pochta_connection_new (servers->host, servers->imap_port,
                                                                  POCHTA_TLS_MODE_NONE);
  g_autoptr(PochtaImapClient) client = pochta_imap_client_new (connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);

  pochta_imap_client_set_allow_plaintext_auth (client, TRUE);
  SYNC_RUN (result, pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_connect_finish (client, result, &error);
  g_assert_no_error (error);
  SYNC_RUN (result, pochta_imap_client_login_async (client, user, password, NULL,
                                                    pochta_test_store_result, &result));
  pochta_imap_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  if (qresync)
    {
      const char * const extensions[] = { "QRESYNC", NULL };
      g_auto(GStrv) enabled = NULL;

      SYNC_RUN (result, pochta_imap_client_enable_async (client, extensions, NULL,
                                                         pochta_test_store_result, &result));
      enabled = pochta_imap_client_enable_finish (client, result, &error);
      g_assert_no_error (error);
      g_assert_true (pochta_imap_client_is_enabled (client, POCHTA_IMAP_CAPABILITY_QRESYNC));
    }

  return g_steal_pointer (&client);
}

static G_GNUC_UNUSED GPtrArray *
sync_test_folder_list (PochtaImapClient   *client,
                       SyncTestCache      *cache,
                       PochtaSyncFolders   selection,
                       const char * const *names)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *folders;

  SYNC_RUN (result, pochta_sync_folder_list_async (client, cache->store, cache->account_id, selection, names,
                                                   NULL, pochta_test_store_result, &result));
  folders = pochta_sync_folder_list_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (folders);

  return folders;
}

static G_GNUC_UNUSED PochtaFolder *
sync_test_find_folder (GPtrArray  *folders,
                       const char *raw_name)
{
  for (guint i = 0; folders != NULL && i < folders->len; i++)
    if (g_strcmp0 (pochta_folder_get_raw_name (g_ptr_array_index (folders, i)), raw_name) == 0)
      return g_ptr_array_index (folders, i);

  return NULL;
}

/* The cached folder row of @raw_name, or 0. */
static G_GNUC_UNUSED gint64
sync_test_folder_id (SyncTestCache *cache,
                     const char    *raw_name)
{
  g_autoptr(GPtrArray) folders = pochta_store_list_folders (cache->store, cache->account_id, NULL);
  PochtaFolder *folder = sync_test_find_folder (folders, raw_name);

  return folder != NULL ? pochta_folder_get_id (folder) : 0;
}

static G_GNUC_UNUSED gboolean
sync_test_folder_full (PochtaImapClient      *client,
                       SyncTestCache         *cache,
                       gint64                 folder_id,
                       PochtaSyncFolderFlags  flags,
                       GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  SYNC_RUN (result, _pochta_sync_folder_async_full (client, cache->store, folder_id, flags, NULL, NULL, NULL,
                                                    pochta_test_store_result, &result));
  return pochta_sync_folder_finish (result, error);
}

static G_GNUC_UNUSED void
sync_test_folder (PochtaImapClient      *client,
                  SyncTestCache         *cache,
                  gint64                 folder_id,
                  PochtaSyncFolderFlags  flags)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (folder_id, >, 0);
  sync_test_folder_full (client, cache, folder_id, flags, &error);
  g_assert_no_error (error);
}

/* A message like many people get: encoded names, a list with a comma in a
 * display name, threading headers, and (optionally) a PDF attached. */
static G_GNUC_UNUSED GBytes *
sync_test_message (const char *subject,
                   const char *message_id,
                   const char *body_text,
                   gboolean    attachment)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text,
    "From: =?UTF-8?B?0JDQu9C40YHQsCDQotC10YHRgtC+0LLQsA==?= <alisa@example.test>\r\n"
    "To: Bob <bob@example.test>, \"Smith, John\" <john@example.test>\r\n"
    "Cc: carol@example.test\r\n"
    "Subject: %s\r\n"
    "Message-ID: %s\r\n"
    "In-Reply-To: <parent@example.test>\r\n"
    "References: <root@example.test>\r\n <parent@example.test>\r\n"
    "Date: Tue, 3 Oct 2023 09:30:00 +0200\r\n"
    "MIME-Version: 1.0\r\n", subject, message_id);

  if (attachment)
    g_string_append_printf (text,
      "Content-Type: multipart/mixed; boundary=\"sep\"\r\n"
      "\r\n"
      "--sep\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "%s\r\n"
      "--sep\r\n"
      "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKJSVFT0YK\r\n"
      "--sep--\r\n", body_text);
  else
    g_string_append_printf (text,
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "%s\r\n", body_text);

  return g_string_free_to_bytes (text);
}

static G_GNUC_UNUSED guint32
sync_test_append (PochtaImapClient   *client,
                  const char         *mailbox,
                  GBytes             *message,
                  const char * const *flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid = 0;

  SYNC_RUN (result, pochta_imap_client_append_async (client, mailbox, flags, NULL, message, NULL, 0, NULL,
                                                     pochta_test_store_result, &result));
  pochta_imap_client_append_finish (client, result, NULL, &uid, &error);
  g_assert_no_error (error);

  return uid;
}

static G_GNUC_UNUSED void
sync_test_simple_message (PochtaImapClient *client,
                          const char       *mailbox,
                          const char       *tag,
                          guint             n)
{
  g_autofree char *subject = g_strdup_printf ("%s message %u", tag, n);
  g_autofree char *msg_id = g_strdup_printf ("<%s-%u@example.test>", tag, n);
  g_autofree char *body = g_strdup_printf ("Body of %s number %u", tag, n);
  g_autoptr(GBytes) message = sync_test_message (subject, msg_id, body, FALSE);

  sync_test_append (client, mailbox, message, NULL);
}

static G_GNUC_UNUSED void
sync_test_select (PochtaImapClient *client,
                  const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;

  SYNC_RUN (result, pochta_imap_client_select_async (client, mailbox, POCHTA_IMAP_SELECT_NONE, 0, 0, NULL, NULL,
                                                     pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (client, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED void
sync_test_store_flags (PochtaImapClient      *client,
                       const char            *mailbox,
                       const char            *uids,
                       PochtaImapStoreAction  action,
                       const char * const    *flags)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse (uids, G_MAXUINT32, 0, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = NULL;

  sync_test_select (client, mailbox);
  SYNC_RUN (result, pochta_imap_client_uid_store_async (client, set, action, flags, TRUE, 0, NULL,
                                                        pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (client, result, NULL, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED void
sync_test_expunge (PochtaImapClient *client,
                   const char       *mailbox,
                   const char       *uids)
{
  const char * const deleted[] = { "\\Deleted", NULL };
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse (uids, G_MAXUINT32, 0, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_store_flags (client, mailbox, uids, POCHTA_IMAP_STORE_ADD, deleted);
  SYNC_RUN (result, pochta_imap_client_uid_expunge_async (client, set, NULL, pochta_test_store_result, &result));
  pochta_imap_client_uid_expunge_finish (client, result, &error);
  g_assert_no_error (error);
}

/* Every message of @mailbox as a separate connection sees it (EXAMINE:
 * nothing changes by looking), by UID. */
static G_GNUC_UNUSED GPtrArray *
sync_test_server_messages (PochtaImapClient *client,
                           const char       *mailbox)
{
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  SYNC_RUN (result, pochta_imap_client_select_async (client, mailbox, POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                                     NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (client, result, &error);
  g_assert_no_error (error);
  if (state->exists == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_fetch_free);

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  SYNC_RUN (result, pochta_imap_client_uid_fetch_async (client, all, "(UID FLAGS ENVELOPE)", 0, FALSE,
                                                        NULL, NULL, NULL, NULL, pochta_test_store_result, &result));
  messages = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, state->exists);

  return messages;
}

static G_GNUC_UNUSED int
sync_test_compare_uid (gconstpointer a,
                       gconstpointer b)
{
  const PochtaImapFetch *fa = *(const PochtaImapFetch * const *) a;
  const PochtaImapFetch *fb = *(const PochtaImapFetch * const *) b;

  return fa->uid < fb->uid ? -1 : fa->uid > fb->uid;
}

/* \Recent belongs to a session, so two connections never agree on it. */
#define SYNC_TEST_FLAGS_MASK (~(guint) POCHTA_MESSAGE_FLAG_RECENT)

/* The cached folder is exactly the server's mailbox: the same UIDs, each
 * with the same flags, keywords and Message-ID, and the counts agree. */
static G_GNUC_UNUSED void
sync_test_assert_equals_server (PochtaImapClient *checker,
                                SyncTestCache    *cache,
                                gint64            folder_id,
                                const char       *mailbox)
{
  g_autoptr(GPtrArray) server = sync_test_server_messages (checker, mailbox);
  PochtaSqlite *db = pochta_store_get_reader (cache->store);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  guint unread = 0, total = 0;
  guint server_unread = 0;
  guint row = 0;
  int rc;

  stmt = pochta_sqlite_prepare (db,
    "SELECT uid, flags, keywords, message_id FROM messages WHERE folder_id = ?1 AND uid < 4294967296"
    " ORDER BY uid", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);

  g_ptr_array_sort (server, sync_test_compare_uid);
  while ((rc = pochta_sqlite_step (db, stmt, &error)) == SQLITE_ROW)
    {
      const PochtaImapFetch *fetch;
      g_autofree char *keywords = NULL;
      g_autofree char *message_id = NULL;
      PochtaMessageFlags flags;

      g_assert_cmpuint (row, <, server->len);
      fetch = g_ptr_array_index (server, row++);
      g_assert_cmpuint ((guint32) sqlite3_column_int64 (stmt, 0), ==, fetch->uid);
      flags = _pochta_sync_flags_from_imap ((const char * const *) fetch->flags, &keywords);
      g_assert_cmphex ((guint) sqlite3_column_int64 (stmt, 1) & SYNC_TEST_FLAGS_MASK, ==, flags & SYNC_TEST_FLAGS_MASK);
      g_assert_cmpstr (pochta_sqlite_column_text (stmt, 2), ==, keywords);
      message_id = _pochta_sync_normalize_msg_ids (fetch->envelope ? fetch->envelope->message_id : NULL, TRUE);
      g_assert_cmpstr (pochta_sqlite_column_text (stmt, 3), ==, message_id);
      if ((flags & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0)
        server_unread++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpuint (row, ==, server->len);

  pochta_store_get_folder_counts (cache->store, folder_id, &unread, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, server->len);
  g_assert_cmpuint (unread, ==, server_unread);
}

static G_GNUC_UNUSED void
sync_test_assert_no_duplicates (SyncTestCache *cache)
{
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (cache->store),
                     "SELECT count(*) FROM (SELECT folder_id, uid FROM messages"
                     " GROUP BY folder_id, uid HAVING count(*) > 1)"), ==, 0);
}

static G_GNUC_UNUSED gint64
sync_test_count_rows (SyncTestCache *cache,
                      gint64         folder_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages WHERE folder_id = %" G_GINT64_FORMAT,
                                          folder_id);

  return store_test_query_int (pochta_store_get_reader (cache->store), sql);
}

static G_GNUC_UNUSED gboolean
sync_test_add_placeholder_job (PochtaStoreTransaction  *txn,
                     gpointer                 user_data,
                     GError                 **error)
{
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  g_autoptr(PochtaSqliteStmt) stmt = NULL;

  /* What an offline move leaves: a row that waits for its UID. */
  stmt = pochta_sqlite_prepare (db, "INSERT INTO messages (folder_id, uid, subject) VALUES (?1, ?2, 'moved offline')",
                                error);
  if (stmt == NULL)
    return FALSE;
  pochta_sqlite_bind_int64 (stmt, 1, *(gint64 *) user_data);
  pochta_sqlite_bind_int64 (stmt, 2, POCHTA_SYNC_PLACEHOLDER_UID_BASE + 1);
  if (!pochta_sqlite_step_done (db, stmt, error))
    return FALSE;
  pochta_store_transaction_note_folder_reset (txn, *(gint64 *) user_data);

  return TRUE;
}

/* A row the way the offline queue leaves it (its own SQL, no counts):
 * sync must never compare, fetch or remove it. */
static G_GNUC_UNUSED void
sync_test_add_placeholder (SyncTestCache *cache,
                           gint64         folder_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  SYNC_RUN (result, pochta_store_write_async (cache->store, sync_test_add_placeholder_job, &folder_id, NULL, NULL,
                                              pochta_test_store_result, &result));
  pochta_store_write_finish (cache->store, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED gint64
sync_test_count_placeholders (SyncTestCache *cache,
                              gint64         folder_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages WHERE folder_id = %" G_GINT64_FORMAT
                                          " AND uid >= 4294967296", folder_id);

  return store_test_query_int (pochta_store_get_reader (cache->store), sql);
}
