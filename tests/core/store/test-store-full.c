/* test-store-full.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A full disk (simulated with PRAGMA max_page_count): a clear error and a cache that stays valid.
 */

#include "config.h"

#include "store-test-util.h"

static gboolean
limit_pages (PochtaStoreTransaction  *txn,
             gpointer                 user_data,
             GError                 **error)
{
  PochtaSqlite *db = pochta_store_transaction_get_sqlite (txn);
  gint64 extra = GPOINTER_TO_INT (user_data);
  g_autofree char *sql = NULL;
  gint64 pages = 0;

  if (!pochta_sqlite_query_int64 (db, "PRAGMA page_count", &pages, error))
    return FALSE;

  /* max_page_count is a setting of the writer connection, which is
   * exactly what a disk that stops growing looks like to it. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, extra > 0 ? pages + extra : 1073741823);

  return pochta_sqlite_exec (db, sql, error);
}

static void
run_write (PochtaStore          *store,
           PochtaStoreWriteFunc  func,
           gpointer              data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_store_write_async (store, func, data, NULL, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_write_finish (store, result, &error);
  g_assert_no_error (error);
}

static GPtrArray *
many_records (guint first_uid,
              guint n)
{
  GPtrArray *records = store_test_records_new ();

  for (guint uid = first_uid; uid < first_uid + n; uid++)
    {
      g_autofree char *subject = g_strdup_printf ("A rather long subject line so pages fill up, number %u", uid);

      g_ptr_array_add (records, store_test_record (uid, uid, subject, "Sender Name", "sender@example.org"));
    }

  return records;
}

static void
assert_valid (const char *path)
{
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;

  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  check = store_test_query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  /* The FTS index agrees with its rows. */
  pochta_sqlite_exec (db, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'subject'", &error);
  g_assert_no_error (error);
}

static void
test_disk_full (void)
{
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GPtrArray) first = many_records (1, 100);
  g_autoptr(GPtrArray) too_many = many_records (1000, 10000);
  g_autoptr(GPtrArray) later = many_records (50000, 100);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pochta_store_get_default_path ();
  PochtaSqlite *reader;
  gint64 account_id, folder_id;
  guint unread = 0, total = 0;

  g_test_summary ("A write that runs out of space fails with FULL and leaves the cache valid");

  store = store_test_open (NULL, &error);
  g_assert_no_error (error);
  account_id = store_test_add_account (store, "Full");
  folder_id = store_test_add_folder (store, account_id, "INBOX");
  store_test_add_records (store, folder_id, first, &error);
  g_assert_no_error (error);

  run_write (store, limit_pages, GINT_TO_POINTER (8));

  g_assert_false (store_test_add_records (store, folder_id, too_many, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);

  /* Nothing of the failed batch is visible, everything before it is. */
  reader = pochta_store_get_reader (store);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM messages"), ==, 100);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM messages_fts"), ==, 100);
  pochta_store_get_folder_counts (store, folder_id, &unread, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 100);
  assert_valid (path);

  /* Space comes back: the store carries on. */
  run_write (store, limit_pages, GINT_TO_POINTER (0));
  store_test_add_records (store, folder_id, later, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (store), "SELECT count(*) FROM messages"), ==, 200);

  store_test_close (store);
  assert_valid (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/store/full/disk-full", test_disk_full);

  return g_test_run ();
}
