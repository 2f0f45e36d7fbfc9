/* test-message-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lazy message list over 100,000 rows: order, paging, bounded cache, incremental items-changed.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "store-test-util.h"

#define N_ROWS 100000

typedef struct
{
  PochtaStore *store;
  gint64       folder_id;
} Fixture;

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} ItemsChanged;

/* One shared cache for all tests: filling 100,000 rows once is enough. It
 * lives in a directory of its own, as each test's isolated XDG directories
 * are removed when that test ends. */
static Fixture shared;
static char *shared_dir;

/* Dates come in pairs (two messages per second) so the id tie-break is
 * exercised; ids grow with the UID, so position p holds UID N_ROWS - p. */
static void
fill (void)
{
  g_autofree char *path = g_build_filename (shared_dir, "cache.sqlite", NULL);
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GError) error = NULL;
  gint64 account_id;
  gint64 start;

  shared.store = store_test_open (path, &error);
  g_assert_no_error (error);
  account_id = store_test_add_account (shared.store, "Big");
  shared.folder_id = store_test_add_folder (shared.store, account_id, "INBOX");

  for (guint uid = 1; uid <= N_ROWS; uid++)
    {
      g_autofree char *subject = g_strdup_printf ("Subject %u", uid);

      g_ptr_array_add (records, store_test_record (uid, 1000000 + uid / 2, subject, "From", "from@example.org"));
    }

  start = g_get_monotonic_time ();
  store_test_add_records (shared.store, shared.folder_id, records, &error);
  g_assert_no_error (error);
  g_test_message ("Filled %u rows in %.0f ms", N_ROWS, (g_get_monotonic_time () - start) / 1000.0);
}

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  /* A view reads items from inside this handler; they must already be right. */
  for (guint i = position; i < position + added && i < position + 3; i++)
    {
      g_autoptr(PochtaMessageSummary) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
    }

  record->position = position;
  record->removed = removed;
  record->added = added;
  record->count++;
}

static guint32
uid_at (GListModel *model,
        guint       position)
{
  g_autoptr(PochtaMessageSummary) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);

  return pochta_message_summary_get_uid (item);
}

static void
wait_for (ItemsChanged *record,
          guint         count)
{
  gboolean done = FALSE;
  guint64 deadline = g_get_monotonic_time () + STORE_TEST_TIMEOUT_MS * 1000;

  while (record->count < count)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        pochta_test_wait_until (&done, 1);
    }
}

static void
test_order_and_paging (void)
{
  g_autoptr(PochtaMessageListModel) model = NULL;
  gint64 start;
  double elapsed;

  g_test_summary ("n_items, newest-first order at random positions, and a bounded page cache");

  start = g_get_monotonic_time ();
  model = pochta_message_list_model_new (shared.store, shared.folder_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), 0), ==, N_ROWS);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  /* Reported, never asserted: timing belongs to benchmarks. */
  g_test_message ("new + n_items + first page: %.2f ms", elapsed);

  g_assert_cmpuint (pochta_message_list_model_get_n_cached_pages (model), ==, 1);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), N_ROWS - 1), ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_ROWS));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == POCHTA_TYPE_MESSAGE_SUMMARY);

  for (guint i = 0; i < 500; i++)
    {
      guint position = g_test_rand_int_range (0, N_ROWS);

      g_assert_cmpuint (uid_at (G_LIST_MODEL (model), position), ==, N_ROWS - position);
      g_assert_cmpuint (pochta_message_list_model_get_n_cached_pages (model), <=, 8);
    }

  /* Sequential reading (keyset pages) agrees with random reading. */
  for (guint position = 0; position < 2000; position++)
    g_assert_cmpuint (uid_at (G_LIST_MODEL (model), position), ==, N_ROWS - position);

  g_test_message ("%u page loads", pochta_message_list_model_get_n_page_loads (model));
  g_assert_cmpuint (pochta_message_list_model_get_n_cached_pages (model), <=, 8);
}

static void
test_identity (void)
{
  g_autoptr(PochtaMessageListModel) model = pochta_message_list_model_new (shared.store, shared.folder_id);
  g_autoptr(PochtaMessageSummary) held = g_list_model_get_item (G_LIST_MODEL (model), 5);

  g_test_summary ("A row maps to one object while it lives, even after its page was evicted");

  for (guint i = 1; i <= 20; i++)
    {
      g_autoptr(PochtaMessageSummary) other = g_list_model_get_item (G_LIST_MODEL (model), i * 4000);

      g_assert_nonnull (other);
    }
  g_assert_cmpuint (pochta_message_list_model_get_n_cached_pages (model), <=, 8);

  {
    g_autoptr(PochtaMessageSummary) again = g_list_model_get_item (G_LIST_MODEL (model), 5);

    g_assert_true (again == held);
  }
}

static void
test_items_changed (void)
{
  g_autoptr(PochtaMessageListModel) model = pochta_message_list_model_new (shared.store, shared.folder_id);
  g_autoptr(PochtaMessageSummary) tenth = NULL;
  g_autoptr(GPtrArray) top = store_test_records_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };
  guint n = N_ROWS;
  guint notified = 0;
  guint32 uid_at_20;

  g_test_summary ("items-changed follows an insert at the top, a flag change and a removal");

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &record);

  /* Insert at the top. */
  g_ptr_array_add (top, store_test_record (N_ROWS + 1, 9000000, "Brand new", "New", "new@example.org"));
  store_test_add_records (shared.store, shared.folder_id, top, &error);
  g_assert_no_error (error);
  wait_for (&record, 1);
  g_assert_cmpuint (record.position, ==, 0);
  g_assert_cmpuint (record.removed, ==, 0);
  g_assert_cmpuint (record.added, ==, 1);
  n++;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), 0), ==, N_ROWS + 1);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), 1), ==, N_ROWS);

  /* A flag change: one row replaced, and a held object updated in place. */
  tenth = g_list_model_get_item (G_LIST_MODEL (model), 10);
  g_assert_true (pochta_message_summary_get_unread (tenth));
  g_signal_connect_swapped (tenth, "notify::unread", G_CALLBACK (g_atomic_int_inc), &notified);
  g_signal_connect_swapped (tenth, "notify::flags", G_CALLBACK (g_atomic_int_inc), &notified);
  pochta_store_change_flags_async (shared.store, pochta_message_summary_get_id (tenth),
                                   POCHTA_MESSAGE_FLAG_SEEN, 0, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
  pochta_store_change_flags_finish (shared.store, result, &error);
  g_assert_no_error (error);
  wait_for (&record, 2);
  g_assert_cmpuint (record.position, ==, 10);
  g_assert_cmpuint (record.removed, ==, 1);
  g_assert_cmpuint (record.added, ==, 1);
  g_assert_false (pochta_message_summary_get_unread (tenth));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);

  /* A removal in the middle of the first page. */
  uid_at_20 = uid_at (G_LIST_MODEL (model), 20);
  {
    g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

    g_array_append_val (uids, uid_at_20);
    g_clear_object (&result);
    pochta_store_remove_uids_async (shared.store, shared.folder_id, uids, NULL, pochta_test_store_result, &result);
    pochta_test_wait_result (&result, STORE_TEST_TIMEOUT_MS);
    pochta_store_remove_uids_finish (shared.store, result, &error);
    g_assert_no_error (error);
  }
  wait_for (&record, 3);
  g_assert_cmpuint (record.position, ==, 20);
  g_assert_cmpuint (record.removed, ==, 1);
  g_assert_cmpuint (record.added, ==, 0);
  n--;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), 20), ==, uid_at_20 - 1);
  g_assert_cmpuint (uid_at (G_LIST_MODEL (model), 19), ==, uid_at_20 + 1);

  /* Deep in the list too, where no page is cached. */
  for (guint i = 0; i < 100; i++)
    {
      guint position = g_test_rand_int_range (21, n);

      g_assert_cmpuint (uid_at (G_LIST_MODEL (model), position), ==, N_ROWS - position);
    }
}

static void
test_scattered_changes (void)
{
  g_autoptr(PochtaMessageListModel) model = pochta_message_list_model_new (shared.store, shared.folder_id);
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };
  guint before = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_test_summary ("Rows added far apart in one batch give one consistent items-changed");

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &record);

  /* Between existing pairs: dates 1000000 + k with ids larger than all. */
  g_ptr_array_add (records, store_test_record (N_ROWS + 10, 1000000 + 40000, "Middle", "M", "m@example.org"));
  g_ptr_array_add (records, store_test_record (N_ROWS + 11, 1000000 + 100, "Deep", "D", "d@example.org"));
  store_test_add_records (shared.store, shared.folder_id, records, &error);
  g_assert_no_error (error);
  wait_for (&record, 1);

  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, before + 2);
  g_assert_cmpuint (record.added, ==, record.removed + 2);

  for (guint position = record.position; position < record.position + record.added; position += 997)
    {
      g_autoptr(PochtaMessageSummary) item = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_nonnull (item);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  shared_dir = g_dir_make_tmp ("pochta-list-model-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/core/store/message-list-model/fill", fill);
  g_test_add_func ("/core/store/message-list-model/order-and-paging", test_order_and_paging);
  g_test_add_func ("/core/store/message-list-model/identity", test_identity);
  g_test_add_func ("/core/store/message-list-model/items-changed", test_items_changed);
  g_test_add_func ("/core/store/message-list-model/scattered-changes", test_scattered_changes);

  ret = g_test_run ();

  if (shared.store != NULL)
    store_test_close (shared.store);
  g_clear_object (&shared.store);

  {
    g_autoptr(GDir) dir = g_dir_open (shared_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (shared_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (shared_dir);
    g_free (shared_dir);
  }

  return ret;
}
