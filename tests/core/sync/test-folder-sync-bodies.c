/* test-folder-sync-bodies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bodies against the harness Dovecot: one fetched when opened (stored,
 * searchable, then served from the cache), one that is gone from the
 * server, and the background fetch of a folder's newest: in batches, with
 * a message too big for a batch and messages expunged meanwhile.
 */

#include "config.h"

#include "sync-test-util.h"

typedef struct
{
  PochtaImapClient *client;
  PochtaImapClient *checker;
  SyncTestCache     cache;
  gint64            inbox_id;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *user = data;

  sync_test_add_user (user, 20);
  fixture->checker = sync_test_connect (user, FALSE);
  fixture->client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&fixture->cache);
}

static void
fixture_sync_inbox (Fixture *fixture)
{
  g_autoptr(GPtrArray) folders = sync_test_folder_list (fixture->client, &fixture->cache,
                                                        POCHTA_SYNC_FOLDERS_SUBSCRIBED, NULL);

  fixture->inbox_id = sync_test_folder_id (&fixture->cache, "INBOX");
  sync_test_folder (fixture->client, &fixture->cache, fixture->inbox_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sync_test_cache_close (&fixture->cache);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->checker);
}

static gint64
message_id_of (Fixture *fixture,
               guint32  uid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaMessageSummary) summary = pochta_store_get_message_by_uid (fixture->cache.store,
                                                                              fixture->inbox_id, uid, &error);

  g_assert_no_error (error);
  return pochta_message_summary_get_id (summary);
}

static GBytes *
fetch_body (Fixture  *fixture,
            gint64    message_id,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  SYNC_RUN (result, pochta_sync_fetch_body_async (fixture->client, fixture->cache.store, message_id, NULL,
                                                  pochta_test_store_result, &result));
  return pochta_sync_fetch_body_finish (result, error);
}

static void
test_fetch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) message = sync_test_message ("Travel plans", "<travel@example.test>",
                                                 "We meet in zanzibarquux at noon, bring the maps.", TRUE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const char * const seen_none[] = { NULL };
  guint32 uid;
  gint64 message_id;
  guint commands;

  uid = sync_test_append (fixture->checker, "INBOX", message, seen_none);
  fixture_sync_inbox (fixture);
  message_id = message_id_of (fixture, uid);

  /* Not searchable by its body before the body is here. */
  found = pochta_store_search (fixture->cache.store, "zanzibarquux", fixture->inbox_id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  body = fetch_body (fixture, message_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, message));

  stored = pochta_store_get_body (fixture->cache.store, message_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, message));

  summary = pochta_store_get_message (fixture->cache.store, message_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_message_summary_get_body_state (summary), ==, POCHTA_BODY_STATE_COMPLETE);
  g_assert_nonnull (strstr (pochta_message_summary_get_preview (summary), "zanzibarquux"));
  /* BODY.PEEK: reading it here did not mark it read on the server. */
  g_assert_true (pochta_message_summary_get_unread (summary));

  found = pochta_store_search (fixture->cache.store, "zanzibarquux", fixture->inbox_id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (pochta_message_summary_get_id (g_ptr_array_index (found, 0)), ==, message_id);

  /* The second time it comes from the cache, with no command at all. */
  commands = pochta_imap_client_get_n_commands (fixture->client);
  again = fetch_body (fixture, message_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, message));
  g_assert_cmpuint (pochta_imap_client_get_n_commands (fixture->client), ==, commands);

  sync_test_assert_equals_server (fixture->checker, &fixture->cache, fixture->inbox_id, "INBOX");
}

static void
test_gone (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gint64 message_id;
  gint64 rows;

  fixture_sync_inbox (fixture);
  message_id = message_id_of (fixture, 5);
  rows = sync_test_count_rows (&fixture->cache, fixture->inbox_id);

  sync_test_expunge (fixture->checker, "INBOX", "5");
  /* A session learns of expunges at its next commands; here the fetch
   * has to select the Inbox again, as after a look at another folder. */
  sync_test_folder (fixture->client, &fixture->cache, sync_test_folder_id (&fixture->cache, "Sent"),
                    POCHTA_SYNC_FOLDER_FLAGS_NONE);

  body = fetch_body (fixture, message_id, &error);
  g_assert_error (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_MESSAGE_GONE);
  g_assert_null (body);
  g_clear_error (&error);

  summary = pochta_store_get_message (fixture->cache.store, message_id, &error);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_assert_null (summary);
  g_assert_cmpint (sync_test_count_rows (&fixture->cache, fixture->inbox_id), ==, rows - 1);
}

static void
test_background (Fixture       *fixture,
                 gconstpointer  data)
{
  PochtaSqlite *db;
  g_autoptr(GError) error = NULL;
  gssize stored;
  gssize total = 0;
  guint rounds = 0;

  fixture_sync_inbox (fixture);
  db = pochta_store_get_reader (fixture->cache.store);

  /* Another folder selected: the fetch selects the Inbox again itself. */
  sync_test_folder (fixture->client, &fixture->cache, sync_test_folder_id (&fixture->cache, "Sent"),
                    POCHTA_SYNC_FOLDER_FLAGS_NONE);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;

      SYNC_RUN (result, pochta_sync_fetch_bodies_async (fixture->client, fixture->cache.store, fixture->inbox_id,
                                                        0, 0, 8, NULL, pochta_test_store_result, &result));
      stored = pochta_sync_fetch_bodies_finish (result, &error);
      g_assert_no_error (error);
      g_assert_cmpint (stored, <=, 8);

      /* Newest first: no message with a body is older than one without. */
      g_assert_cmpint (store_test_query_int (db,
                         "SELECT count(*) FROM messages a JOIN messages b ON a.folder_id = b.folder_id"
                         " WHERE a.body_id IS NOT NULL AND b.body_id IS NULL"
                         " AND (a.internal_date < b.internal_date"
                         "      OR (a.internal_date = b.internal_date AND a.id < b.id))"), ==, 0);
      total += stored;
      rounds++;
    }
  while (stored > 0 && rounds < 10);

  g_assert_cmpint (total, ==, 20);
  g_assert_cmpint (rounds, ==, 4);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM messages WHERE body_id IS NULL"), ==, 0);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM messages WHERE preview IS NULL"), ==, 0);

  /* Fetched four at a time, each body still went to its own row. */
  {
    g_autoptr(PochtaSqliteStmt) stmt = pochta_sqlite_prepare (db, "SELECT id, message_id FROM messages", &error);

    g_assert_no_error (error);
    while (pochta_sqlite_step (db, stmt, &error) == SQLITE_ROW)
      {
        g_autoptr(GBytes) body = pochta_store_get_body (fixture->cache.store, sqlite3_column_int64 (stmt, 0), &error);
        g_autofree char *text = NULL;

        g_assert_no_error (error);
        text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
        g_assert_nonnull (strstr (text, pochta_sqlite_column_text (stmt, 1)));
      }
    g_assert_no_error (error);
  }
}

static void
test_background_mixed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) big_text = g_string_new (NULL);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) stored_big = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  PochtaSqlite *db;
  guint32 big_uid;
  guint commands;
  gint64 rows;
  gssize stored;

  /* Over the 4 MiB a batch holds: this one is streamed on its own. */
  while (big_text->len < 5 * 1024 * 1024)
    g_string_append (big_text, "A long line of a big message about quokkabigword and more.\r\n");
  big = sync_test_message ("Big one", "<big@example.test>", big_text->str, TRUE);
  big_uid = sync_test_append (fixture->checker, "INBOX", big, NULL);

  fixture_sync_inbox (fixture);
  db = pochta_store_get_reader (fixture->cache.store);
  rows = sync_test_count_rows (&fixture->cache, fixture->inbox_id);
  g_assert_cmpint (rows, ==, 21);

  /* Gone from the server after the cache saw them: removed on the way. */
  sync_test_expunge (fixture->checker, "INBOX", "3,7");
  sync_test_folder (fixture->client, &fixture->cache, sync_test_folder_id (&fixture->cache, "Sent"),
                    POCHTA_SYNC_FOLDER_FLAGS_NONE);

  commands = pochta_imap_client_get_n_commands (fixture->client);
  SYNC_RUN (result, pochta_sync_fetch_bodies_async (fixture->client, fixture->cache.store, fixture->inbox_id,
                                                    0, 0, 100, NULL, pochta_test_store_result, &result));
  stored = pochta_sync_fetch_bodies_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored, ==, 19);
  /* SELECT, one UID FETCH for the small ones, one for the big one. */
  g_assert_cmpuint (pochta_imap_client_get_n_commands (fixture->client) - commands, <=, 3);

  g_assert_cmpint (sync_test_count_rows (&fixture->cache, fixture->inbox_id), ==, rows - 2);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM messages WHERE body_id IS NULL"), ==, 0);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM messages WHERE preview IS NULL"), ==, 0);
  sync_test_assert_equals_server (fixture->checker, &fixture->cache, fixture->inbox_id, "INBOX");

  {
    g_autoptr(PochtaMessageSummary) summary = pochta_store_get_message_by_uid (fixture->cache.store,
                                                                                fixture->inbox_id, big_uid, &error);

    g_assert_no_error (error);
    stored_big = pochta_store_get_body (fixture->cache.store, pochta_message_summary_get_id (summary), &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (stored_big, big));
  }

  /* Stored in one job with the others, and still indexed. */
  found = pochta_store_search (fixture->cache.store, "quokkabigword", fixture->inbox_id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM messages_fts WHERE coalesce (body, '') = ''"),
                   ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/sync/bodies/fetch", Fixture, "fbodyfetch", fixture_setup, test_fetch, fixture_teardown);
  g_test_add ("/core/sync/bodies/gone", Fixture, "fbodygone", fixture_setup, test_gone, fixture_teardown);
  g_test_add ("/core/sync/bodies/background", Fixture, "fbodybg", fixture_setup, test_background,
              fixture_teardown);
  g_test_add ("/core/sync/bodies/background-mixed", Fixture, "fbodymixed", fixture_setup, test_background_mixed,
              fixture_teardown);

  return g_test_run ();
}
