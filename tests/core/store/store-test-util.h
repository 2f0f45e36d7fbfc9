/* store-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the store tests: open a cache, make an account and a folder, fill records.
 */

#pragma once

#include "pochta-test-util.h"

/* Every wait in these tests ends within this, or the test fails. */
#define STORE_TEST_TIMEOUT_MS 60000

static G_GNUC_UNUSED PochtaStore *
store_test_open (const char  *path,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_store_open_async (path, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);

  return pochta_store_open_finish (result, error);
}

static G_GNUC_UNUSED void
store_test_close (PochtaStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_store_close_async (store, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_close_finish (store, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED gint64
store_test_add_account (PochtaStore *store,
                        const char  *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaAccountRecord *record = pochta_account_record_new ();
  gint64 id;

  record->display_name = g_strdup (name);
  record->incoming_host = g_strdup ("imap.example.org");
  record->incoming_user = g_strdup ("user");
  pochta_store_upsert_account_async (store, record, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  id = pochta_store_upsert_account_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

/* @parent_id: 0 for a top-level folder */
static G_GNUC_UNUSED gint64
store_test_add_subfolder (PochtaStore *store,
                          gint64       account_id,
                          const char  *raw_name,
                          const char  *name,
                          gint64       parent_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaFolderRecord *record = pochta_folder_record_new ();
  gint64 id;

  record->account_id = account_id;
  record->raw_name = g_strdup (raw_name);
  record->name = g_strdup (name);
  record->delimiter = g_strdup ("/");
  record->parent_id = parent_id;
  record->role = g_str_equal (raw_name, "INBOX") ? POCHTA_FOLDER_ROLE_INBOX : POCHTA_FOLDER_ROLE_NONE;
  pochta_store_upsert_folder_async (store, record, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  id = pochta_store_upsert_folder_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static G_GNUC_UNUSED gint64
store_test_add_folder (PochtaStore *store,
                       gint64       account_id,
                       const char  *raw_name)
{
  return store_test_add_subfolder (store, account_id, raw_name, raw_name, 0);
}

static G_GNUC_UNUSED PochtaMessageRecord *
store_test_record (guint32     uid,
                   gint64      internal_date,
                   const char *subject,
                   const char *from_name,
                   const char *from_addr)
{
  PochtaMessageRecord *record = pochta_message_record_new ();

  record->uid = uid;
  record->internal_date = internal_date;
  record->date = internal_date;
  record->size = 1000 + uid;
  record->subject = g_strdup (subject);
  record->from_name = g_strdup (from_name);
  record->from_addr = g_strdup (from_addr);
  record->to_addrs = g_strdup ("Me <me@example.org>");
  record->message_id = g_strdup_printf ("<%u.%" G_GINT64_FORMAT "@example.org>", uid, internal_date);
  record->preview = g_strdup ("A line of preview text");

  return record;
}

static G_GNUC_UNUSED GPtrArray *
store_test_records_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_message_record_free);
}

static G_GNUC_UNUSED gboolean
store_test_add_records (PochtaStore  *store,
                        gint64        folder_id,
                        GPtrArray    *records,
                        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_store_add_message_summaries_async (store, folder_id, records, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);

  return pochta_store_add_message_summaries_finish (store, result, error);
}

static G_GNUC_UNUSED gint64
store_test_query_int (PochtaSqlite *db,
                      const char   *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  pochta_sqlite_query_int64 (db, sql, &value, &error);
  g_assert_no_error (error);

  return value;
}

static G_GNUC_UNUSED char *
store_test_query_text (PochtaSqlite *db,
                       const char   *sql)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = pochta_sqlite_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_sqlite_step (db, stmt, &error), ==, SQLITE_ROW);

  return pochta_sqlite_column_dup_text (stmt, 0);
}
