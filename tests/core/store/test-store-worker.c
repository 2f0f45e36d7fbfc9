/* test-store-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writer thread and the reader: batching, upserts, FTS, body dedup, atomic jobs, change signals.
 */

#include "config.h"

#include "store-test-util.h"

typedef struct
{
  PochtaStore *store;
  gint64       account_id;
  gint64       inbox_id;
  gint64       archive_id;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = store_test_open (NULL, &error);
  g_assert_no_error (error);
  fixture->account_id = store_test_add_account (fixture->store, "Test");
  fixture->inbox_id = store_test_add_folder (fixture->store, fixture->account_id, "INBOX");
  fixture->archive_id = store_test_add_folder (fixture->store, fixture->account_id, "Archive");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
}

static gint64
count_messages (Fixture *fixture,
                gint64   folder_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages WHERE folder_id = %" G_GINT64_FORMAT,
                                          folder_id);

  return store_test_query_int (pochta_store_get_reader (fixture->store), sql);
}

static void
test_write_while_reading (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint unread = 0, total = 0;

  g_test_summary ("Writes go through the worker while the main thread reads its snapshot");

  for (guint uid = 1; uid <= 3; uid++)
    g_ptr_array_add (records, store_test_record (uid, 1000 + uid, "Hello", "Ann", "ann@example.org"));
  ((PochtaMessageRecord *) g_ptr_array_index (records, 0))->flags = POCHTA_MESSAGE_FLAG_SEEN;

  pochta_store_add_message_summaries_async (fixture->store, fixture->inbox_id, records, NULL,
                                            pochta_test_store_result, &result);
  /* The reader answers at once, from the state before the write. */
  g_assert_cmpint (count_messages (fixture, fixture->inbox_id), ==, 0);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_add_message_summaries_finish (fixture->store, result, &error);
  g_assert_no_error (error);

  g_assert_cmpint (count_messages (fixture, fixture->inbox_id), ==, 3);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpint (((PochtaMessageRecord *) g_ptr_array_index (records, i))->id, >, 0);

  pochta_store_get_folder_counts (fixture->store, fixture->inbox_id, &unread, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unread, ==, 2);
  g_assert_cmpuint (total, ==, 3);
}

static void
test_batch_10000 (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaFolder) folder = NULL;
  gint64 start;

  g_test_summary ("10,000 summaries commit in one job");

  for (guint uid = 1; uid <= 10000; uid++)
    {
      g_autofree char *subject = g_strdup_printf ("Message number %u", uid);

      g_ptr_array_add (records, store_test_record (uid, 100000 + uid, subject, "Bob", "bob@example.org"));
    }

  start = g_get_monotonic_time ();
  store_test_add_records (fixture->store, fixture->inbox_id, records, &error);
  g_assert_no_error (error);
  g_test_message ("10,000 summaries in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  g_assert_cmpint (count_messages (fixture, fixture->inbox_id), ==, 10000);
  folder = pochta_store_get_folder (fixture->store, fixture->inbox_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_folder_get_total_count (folder), ==, 10000);
  g_assert_cmpuint (pochta_folder_get_unread_count (folder), ==, 10000);
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (fixture->store),
                                         "SELECT count(*) FROM messages_fts"), ==, 10000);
}

static void
set_body (Fixture    *fixture,
          gint64      message_id,
          const char *raw,
          const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_store_set_body_async (fixture->store, message_id, bytes, text, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_set_body_finish (fixture->store, result, &error);
  g_assert_no_error (error);
}

static guint
search_count (Fixture    *fixture,
              const char *text)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = pochta_store_search (fixture->store, text, 0, 100, &error);
  g_assert_no_error (error);

  return found->len;
}

static void
remove_uid (Fixture *fixture,
            gint64   folder_id,
            guint32  uid)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_array_append_val (uids, uid);
  pochta_store_remove_uids_async (fixture->store, folder_id, uids, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_remove_uids_finish (fixture->store, result, &error);
  g_assert_no_error (error);
}

static void
test_fts (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Full-text search by subject, address and body, Cyrillic included");

  g_ptr_array_add (records, store_test_record (1, 10, "Quarterly report", "Alice", "alice@example.org"));
  g_ptr_array_add (records, store_test_record (2, 20, "Отчёт за квартал", "Иван Петров", "ivan@example.ru"));
  g_ptr_array_add (records, store_test_record (3, 30, "Lunch?", "Carol", "carol@example.net"));
  store_test_add_records (fixture->store, fixture->inbox_id, records, &error);
  g_assert_no_error (error);
  set_body (fixture, ((PochtaMessageRecord *) g_ptr_array_index (records, 1))->id,
            "Subject: x\r\n\r\nbody\r\n", "Встреча в пятницу в офисе, приносите ЧАЙ");

  g_assert_cmpuint (search_count (fixture, "quarterly"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "отчёт"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "ОТЧЁТ"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "Петров"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "ivan@example.ru"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "carol"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "пятниц"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "чай"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "example"), ==, 3);
  g_assert_cmpuint (search_count (fixture, "\"quoted\" AND OR NEAR("), ==, 0);
  g_assert_cmpuint (search_count (fixture, "   "), ==, 0);
  g_assert_cmpuint (search_count (fixture, "nothing-like-this"), ==, 0);

  found = pochta_store_search (fixture->store, "example", fixture->archive_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* The index follows removals in the same transaction. */
  remove_uid (fixture, fixture->inbox_id, 2);
  g_assert_cmpuint (search_count (fixture, "пятниц"), ==, 0);
  g_assert_cmpuint (search_count (fixture, "отчёт"), ==, 0);
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (fixture->store),
                                         "SELECT count(*) FROM messages_fts"), ==, 2);
}

/* One message filed in two folders: the same Message-ID, a UID in each.
 * Returns the ids of its rows in the Inbox and the Archive. */
static void
add_in_two_folders (Fixture *fixture,
                    guint32  inbox_uid,
                    guint32  archive_uid,
                    gint64   internal_date,
                    gint64  *in_inbox,
                    gint64  *in_archive)
{
  const struct { gint64 folder_id; guint32 uid; gint64 *id; } copies[] = {
    { fixture->inbox_id, inbox_uid, in_inbox },
    { fixture->archive_id, archive_uid, in_archive },
  };

  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      g_autoptr(GPtrArray) records = store_test_records_new ();
      g_autoptr(GError) error = NULL;
      PochtaMessageRecord *record = store_test_record (copies[i].uid, internal_date, "Same", "A", "a@example.org");

      g_free (record->message_id);
      record->message_id = g_strdup ("<same@example.org>");
      g_ptr_array_add (records, record);
      store_test_add_records (fixture->store, copies[i].folder_id, records, &error);
      g_assert_no_error (error);
      *copies[i].id = record->id;
    }
}

static void
test_body_dedup (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *raw = "From: a@example.org\r\nSubject: Same\r\n\r\nThe very same bytes\r\n";
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) raw_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_sha = NULL;
  g_autofree char *computed_sha = NULL;
  g_autofree char *query = NULL;
  PochtaSqlite *reader;
  gint64 in_inbox, in_archive;

  g_test_summary ("The same message in two folders has its body stored once, freed with the last copy");

  add_in_two_folders (fixture, 1, 77, 10, &in_inbox, &in_archive);

  set_body (fixture, in_inbox, raw, "The very same bytes");
  set_body (fixture, in_archive, raw, "The very same bytes");

  reader = pochta_store_get_reader (fixture->store);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM bodies"), ==, 1);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(DISTINCT body_id) FROM messages"), ==, 1);
  /* The hash is the body's SHA-256 in lower-case hex, as caches made by
   * earlier builds (GLib's GChecksum) have it, so they still dedup. */
  expected_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, raw, -1);
  raw_bytes = g_bytes_new_static (raw, strlen (raw));
  computed_sha = pochta_store_body_checksum (raw_bytes);
  g_assert_cmpstr (computed_sha, ==, expected_sha);
  query = g_strdup_printf ("SELECT count(*) FROM bodies WHERE sha256 = '%s'", expected_sha);
  g_assert_cmpint (store_test_query_int (reader, query), ==, 1);

  body = pochta_store_get_body (fixture->store, in_archive, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), raw, strlen (raw));

  remove_uid (fixture, fixture->inbox_id, 1);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM bodies"), ==, 1);
  remove_uid (fixture, fixture->archive_id, 77);
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM bodies"), ==, 0);

  g_clear_pointer (&body, g_bytes_unref);
  body = pochta_store_get_body (fixture->store, in_archive, &error);
  g_assert_null (body);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The hash decides: the same Message-ID with other bytes (a copy the
   * sender edited and sent again) keeps a body of its own. */
  add_in_two_folders (fixture, 2, 78, 20, &in_inbox, &in_archive);
  set_body (fixture, in_inbox, raw, "The very same bytes");
  set_body (fixture, in_archive,
            "From: a@example.org\r\nSubject: Same\r\n\r\nEdited bytes\r\n", "Edited bytes");
  g_assert_cmpint (store_test_query_int (reader, "SELECT count(*) FROM bodies"), ==, 2);
}

static GBytes *
read_body_cancellable (PochtaStore   *store,
                       gint64         message_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_store_get_body_async (store, message_id, cancellable, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  return pochta_store_get_body_finish (store, result, error);
}

static GBytes *
read_body_async (PochtaStore  *store,
                 gint64        message_id,
                 GError      **error)
{
  return read_body_cancellable (store, message_id, NULL, error);
}

static void
test_body_async (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GString) raw = g_string_new ("From: a@example.org\r\nSubject: Big\r\n\r\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 with_body, without_body;

  g_test_summary ("A cached body is read in a thread, whole; a missing one and a cancelled read say so");

  g_ptr_array_add (records, store_test_record (1, 10, "Big", "A", "a@example.org"));
  g_ptr_array_add (records, store_test_record (2, 20, "Headers only", "A", "a@example.org"));
  store_test_add_records (fixture->store, fixture->inbox_id, records, &error);
  g_assert_no_error (error);
  with_body = ((PochtaMessageRecord *) g_ptr_array_index (records, 0))->id;
  without_body = ((PochtaMessageRecord *) g_ptr_array_index (records, 1))->id;
  /* Several megabytes: what the main thread must not read itself. */
  while (raw->len < 3 * 1024 * 1024)
    g_string_append (raw, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
  set_body (fixture, with_body, raw->str, "Big");

  body = read_body_async (fixture->store, with_body, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), raw->str, raw->len);

  g_clear_pointer (&body, g_bytes_unref);
  body = read_body_async (fixture->store, without_body, &error);
  g_assert_null (body);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  body = read_body_cancellable (fixture->store, with_body, cancellable, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

static gboolean
insert_duplicate_uid (PochtaStoreTransaction  *txn,
                      gpointer                 user_data,
                      GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO messages (folder_id, uid) VALUES (%" G_GINT64_FORMAT ", 5)",
                                          *(gint64 *) user_data);

  return pochta_sqlite_exec (pochta_store_transaction_get_sqlite (txn), sql, error);
}

static void
test_upsert (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GPtrArray) first = store_test_records_new ();
  g_autoptr(GPtrArray) second = store_test_records_new ();
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(PochtaFolder) folder = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaMessageRecord *again;

  g_test_summary ("(folder, uid) is unique: adding it again updates the row in place");

  g_ptr_array_add (first, store_test_record (5, 50, "First subject", "A", "a@example.org"));
  store_test_add_records (fixture->store, fixture->inbox_id, first, &error);
  g_assert_no_error (error);

  again = store_test_record (5, 50, "Second subject", "A", "a@example.org");
  again->flags = POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_FLAGGED;
  g_ptr_array_add (second, again);
  store_test_add_records (fixture->store, fixture->inbox_id, second, &error);
  g_assert_no_error (error);

  g_assert_cmpint (again->id, ==, ((PochtaMessageRecord *) g_ptr_array_index (first, 0))->id);
  g_assert_cmpint (count_messages (fixture, fixture->inbox_id), ==, 1);
  /* Counted once, and read now: the second add was no new message. */
  folder = pochta_store_get_folder (fixture->store, fixture->inbox_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_folder_get_total_count (folder), ==, 1);
  g_assert_cmpuint (pochta_folder_get_unread_count (folder), ==, 0);
  summary = pochta_store_get_message_by_uid (fixture->store, fixture->inbox_id, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pochta_message_summary_get_subject (summary), ==, "Second subject");
  g_assert_false (pochta_message_summary_get_unread (summary));
  g_assert_true (pochta_message_summary_get_flagged (summary));
  g_assert_cmpuint (search_count (fixture, "second"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "first"), ==, 0);

  /* The constraint itself holds against raw SQL too. */
  pochta_store_write_async (fixture->store, insert_duplicate_uid, &fixture->inbox_id, NULL, NULL,
                            pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  g_assert_false (pochta_store_write_finish (fixture->store, result, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "UNIQUE"));
}

typedef struct
{
  gint64   account_id;
  gint64   message_id;
  gboolean fail;
} MarkRead;

/* What the offline queue does for "mark as read": queue the operation and
 * show it in the cache, in one transaction. */
static gboolean
mark_read_job (PochtaStoreTransaction  *txn,
               gpointer                 user_data,
               GError                 **error)
{
  MarkRead *mark = user_data;
  g_autofree char *payload = g_strdup_printf ("message=%" G_GINT64_FORMAT, mark->message_id);

  if (!pochta_store_transaction_enqueue_pending_op (txn, mark->account_id, "mark-read", payload, NULL, error) ||
      !pochta_store_transaction_change_flags (txn, mark->message_id, POCHTA_MESSAGE_FLAG_SEEN, 0, error))
    return FALSE;

  if (mark->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Failing on purpose");
      return FALSE;
    }

  return TRUE;
}

static void
test_pending_op_atomic (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GAsyncResult) good_result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  MarkRead good = { 0 }, bad = { 0 };
  guint unread = 0;

  g_test_summary ("A pending operation and its cache change commit or roll back together");

  g_ptr_array_add (records, store_test_record (1, 10, "One", "A", "a@example.org"));
  g_ptr_array_add (records, store_test_record (2, 20, "Two", "A", "a@example.org"));
  store_test_add_records (fixture->store, fixture->inbox_id, records, &error);
  g_assert_no_error (error);

  good.account_id = bad.account_id = fixture->account_id;
  good.message_id = ((PochtaMessageRecord *) g_ptr_array_index (records, 0))->id;
  bad.message_id = ((PochtaMessageRecord *) g_ptr_array_index (records, 1))->id;
  bad.fail = TRUE;

  /* Queued back to back so they share one batch transaction: the failure
   * must undo only its own job. */
  pochta_store_write_async (fixture->store, mark_read_job, &bad, NULL, NULL, pochta_test_store_result, &bad_result);
  pochta_store_write_async (fixture->store, mark_read_job, &good, NULL, NULL, pochta_test_store_result, &good_result);
  pochta_test_wait_result (&bad_result, STORE_TEST_TIMEOUT_MS);
  pochta_test_wait_result (&good_result, STORE_TEST_TIMEOUT_MS);

  g_assert_false (pochta_store_write_finish (fixture->store, bad_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (pochta_store_write_finish (fixture->store, good_result, &error));
  g_assert_no_error (error);

  ops = pochta_store_list_pending_ops (fixture->store, fixture->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpstr (((PochtaPendingOp *) g_ptr_array_index (ops, 0))->kind, ==, "mark-read");

  {
    g_autoptr(PochtaMessageSummary) read = pochta_store_get_message (fixture->store, good.message_id, &error);
    g_autoptr(PochtaMessageSummary) still_unread = pochta_store_get_message (fixture->store, bad.message_id, &error);

    g_assert_false (pochta_message_summary_get_unread (read));
    g_assert_true (pochta_message_summary_get_unread (still_unread));
  }

  pochta_store_get_folder_counts (fixture->store, fixture->inbox_id, &unread, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unread, ==, 1);
}

typedef struct
{
  guint               emissions;
  PochtaStoreChanges *changes;
  gboolean            callback_ran;
} Heard;

static void
folder_changed_cb (PochtaStore        *store,
                   gint64              folder_id,
                   PochtaStoreChanges *changes,
                   gpointer            user_data)
{
  Heard *heard = user_data;

  /* Announced before the job's own callback, and readable already. */
  if (heard->emissions == 0)
    g_assert_false (heard->callback_ran);
  heard->emissions++;
  g_clear_pointer (&heard->changes, pochta_store_changes_unref);
  heard->changes = pochta_store_changes_ref (changes);
}

static void
add_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Heard *heard = user_data;
  g_autoptr(GError) error = NULL;

  pochta_store_add_message_summaries_finish (POCHTA_STORE (source), result, &error);
  g_assert_no_error (error);
  heard->callback_ran = TRUE;
}

static void
test_folder_changed (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const PochtaMessageKey *keys;
  Heard heard = { 0 };
  gulong handler;
  guint n;

  g_test_summary ("folder-changed announces added, changed and removed rows after commit");

  handler = g_signal_connect (fixture->store, "folder-changed", G_CALLBACK (folder_changed_cb), &heard);

  g_ptr_array_add (records, store_test_record (1, 10, "One", "A", "a@example.org"));
  g_ptr_array_add (records, store_test_record (2, 20, "Two", "A", "a@example.org"));
  pochta_store_add_message_summaries_async (fixture->store, fixture->inbox_id, records, NULL, add_done_cb, &heard);
  pochta_test_wait_until (&heard.callback_ran, STORE_TEST_TIMEOUT_MS);

  g_assert_cmpuint (heard.emissions, ==, 1);
  g_assert_cmpint (pochta_store_changes_get_folder_id (heard.changes), ==, fixture->inbox_id);
  g_assert_false (pochta_store_changes_get_reset (heard.changes));
  keys = pochta_store_changes_get_added (heard.changes, &n);
  g_assert_cmpuint (n, ==, 2);
  /* Newest first. */
  g_assert_cmpint (keys[0].internal_date, ==, 20);
  g_assert_cmpint (keys[1].internal_date, ==, 10);

  pochta_store_change_flags_async (fixture->store, keys[0].message_id, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                   NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_change_flags_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.emissions, ==, 2);
  pochta_store_changes_get_changed (heard.changes, &n);
  g_assert_cmpuint (n, ==, 1);

  remove_uid (fixture, fixture->inbox_id, 1);
  g_assert_cmpuint (heard.emissions, ==, 3);
  keys = pochta_store_changes_get_removed (heard.changes, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (keys[0].internal_date, ==, 10);

  g_clear_object (&result);
  pochta_store_drop_folder_contents_async (fixture->store, fixture->inbox_id, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_drop_folder_contents_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.emissions, ==, 4);
  g_assert_true (pochta_store_changes_get_reset (heard.changes));
  g_assert_cmpint (count_messages (fixture, fixture->inbox_id), ==, 0);

  g_signal_handler_disconnect (fixture->store, handler);
  g_clear_pointer (&heard.changes, pochta_store_changes_unref);
}

static void
test_flags_and_removal (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GArray) updates = g_array_new (FALSE, TRUE, sizeof (PochtaFlagUpdate));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaFlagUpdate update = { 0 };
  guint unread = 0, total = 0;

  g_test_summary ("Flags by UID batch (unknown UIDs ignored) and removal by UID keep counts right");

  g_array_set_clear_func (updates, (GDestroyNotify) pochta_flag_update_clear);
  for (guint uid = 1; uid <= 10; uid++)
    g_ptr_array_add (records, store_test_record (uid, uid * 10, "Msg", "A", "a@example.org"));
  store_test_add_records (fixture->store, fixture->inbox_id, records, &error);
  g_assert_no_error (error);

  for (guint uid = 1; uid <= 12; uid += 2)
    {
      update.uid = uid;
      update.flags = POCHTA_MESSAGE_FLAG_SEEN;
      update.modseq = 100 + uid;
      update.keywords = g_strdup ("$label1");
      g_array_append_val (updates, update);
    }
  pochta_store_update_flags_async (fixture->store, fixture->inbox_id, updates, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_update_flags_finish (fixture->store, result, &error);
  g_assert_no_error (error);

  pochta_store_get_folder_counts (fixture->store, fixture->inbox_id, &unread, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unread, ==, 5);
  g_assert_cmpuint (total, ==, 10);

  remove_uid (fixture, fixture->inbox_id, 2);
  remove_uid (fixture, fixture->inbox_id, 3);
  pochta_store_get_folder_counts (fixture->store, fixture->inbox_id, &unread, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unread, ==, 4);
  g_assert_cmpuint (total, ==, 8);
}

static void
test_closed (void)
{
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pochta_store_get_default_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_test_summary ("Closing drains the queue, folds the WAL back, and refuses later work");

  store = store_test_open (NULL, &error);
  g_assert_no_error (error);
  store_test_add_account (store, "One");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  /* The body reader's connection is open too, and must not keep the WAL. */
  read_body_async (store, 1, &error);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  store_test_close (store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_null (pochta_store_get_reader (store));
  g_assert_null (read_body_async (store, 1, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_CLOSED);
  g_clear_error (&error);

  pochta_store_remove_account_async (store, 1, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  g_assert_false (pochta_store_remove_account_finish (store, result, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&store);

  /* And the data is there on the next open. */
  store = store_test_open (NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) accounts = pochta_store_list_accounts (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (accounts->len, ==, 1);
    g_assert_cmpstr (((PochtaAccountRecord *) g_ptr_array_index (accounts, 0))->display_name, ==, "One");
  }
  /* Dropped without closing: dispose stops the worker by itself. */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/core/store/worker/write-while-reading", test_write_while_reading);
  ADD ("/core/store/worker/batch-10000", test_batch_10000);
  ADD ("/core/store/worker/fts", test_fts);
  ADD ("/core/store/worker/body-dedup", test_body_dedup);
  ADD ("/core/store/worker/body-async", test_body_async);
  ADD ("/core/store/worker/upsert", test_upsert);
  ADD ("/core/store/worker/pending-op-atomic", test_pending_op_atomic);
  ADD ("/core/store/worker/folder-changed", test_folder_changed);
  ADD ("/core/store/worker/flags-and-removal", test_flags_and_removal);
#undef ADD
  g_test_add_func ("/core/store/worker/closed", test_closed);

  return g_test_run ();
}
