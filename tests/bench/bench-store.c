/* bench-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inserts 100,000 message summaries through the store's writer thread and
 * prints rows/s, the cache's size on disk and the peak RSS.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "pochta-core.h"
#include "pochta-test-util.h"

#define N_MESSAGES 100000
#define BATCH      1000

static const char *words[] = {
  "report", "meeting", "invoice", "holiday", "build", "release", "review", "patch",
  "отчёт", "встреча", "счёт", "отпуск", "сборка", "выпуск", "обзор", "письмо",
  "quarterly", "budget", "lunch", "server", "outage", "schedule", "draft", "minutes",
};

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static char *
make_subject (GRand *rand)
{
  GString *subject = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 3, 9);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (subject, ' ');
      g_string_append (subject, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }

  return g_string_free (subject, FALSE);
}

static GPtrArray *
make_batch (GRand *rand,
            guint  first_uid)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_message_record_free);

  for (guint uid = first_uid; uid < first_uid + BATCH; uid++)
    {
      PochtaMessageRecord *r = pochta_message_record_new ();
      guint sender = g_rand_int_range (rand, 0, 500);

      r->uid = uid;
      r->flags = g_rand_boolean (rand) ? POCHTA_MESSAGE_FLAG_SEEN : 0;
      r->internal_date = 1600000000 + uid * 60 + g_rand_int_range (rand, 0, 60);
      r->date = r->internal_date - 30;
      r->size = g_rand_int_range (rand, 2000, 200000);
      r->subject = make_subject (rand);
      r->from_name = g_strdup_printf ("Sender Number %u", sender);
      r->from_addr = g_strdup_printf ("sender%u@example%u.org", sender, sender % 17);
      r->to_addrs = g_strdup ("Me Myself <me@example.org>, Team <team@example.org>");
      r->message_id = g_strdup_printf ("<%08x%08x.%u@mail.example.org>", g_rand_int (rand), g_rand_int (rand), uid);
      if (uid > 1 && g_rand_int_range (rand, 0, 4) == 0)
        r->in_reply_to = g_strdup_printf ("<%08x%08x.%u@mail.example.org>", g_rand_int (rand), g_rand_int (rand), uid - 1);
      r->has_attachments = g_rand_int_range (rand, 0, 5) == 0;
      r->preview = g_strdup ("Hello, here is the text that the list shows under the subject of the message");
      g_ptr_array_add (records, r);
    }

  return records;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(PochtaMessageListModel) model = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  PochtaAccountRecord *account;
  PochtaFolderRecord *folder;
  gint64 account_id, folder_id;
  gint64 start, elapsed;
  guint64 size, wal_size;

  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.sqlite", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  pochta_store_open_async (path, NULL, store_result, &result);
  store = pochta_store_open_finish (wait (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  account = pochta_account_record_new ();
  account->display_name = g_strdup ("Bench");
  pochta_store_upsert_account_async (store, account, NULL, store_result, &result);
  account_id = pochta_store_upsert_account_finish (store, wait (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  folder = pochta_folder_record_new ();
  folder->account_id = account_id;
  folder->raw_name = g_strdup ("INBOX");
  pochta_store_upsert_folder_async (store, folder, NULL, store_result, &result);
  folder_id = pochta_store_upsert_folder_finish (store, wait (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Batches of 1,000 as a header sync delivers them, queued all at once so
   * the writer may batch them further; time counts from the first push. */
  {
    g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
    GAsyncResult **results = g_new0 (GAsyncResult *, N_MESSAGES / BATCH);

    for (guint i = 0; i < N_MESSAGES / BATCH; i++)
      g_ptr_array_add (batches, make_batch (rand, 1 + i * BATCH));

    start = g_get_monotonic_time ();
    for (guint i = 0; i < batches->len; i++)
      pochta_store_add_message_summaries_async (store, folder_id, g_ptr_array_index (batches, i),
                                                NULL, store_result, &results[i]);
    for (guint i = 0; i < batches->len; i++)
      {
        pochta_store_add_message_summaries_finish (store, wait (&results[i]), &error);
        g_assert_no_error (error);
        g_clear_object (&results[i]);
      }
    elapsed = g_get_monotonic_time () - start;
    g_free (results);
  }

  size = file_size (path);
  wal_size = file_size (wal);
  g_print ("inserted %u summaries in %.2f s: %.0f rows/s\n",
           N_MESSAGES, elapsed / 1e6, N_MESSAGES / (elapsed / 1e6));
  g_print ("cache: %.1f MB database + %.1f MB WAL\n", size / 1048576.0, wal_size / 1048576.0);

  start = g_get_monotonic_time ();
  model = pochta_message_list_model_new (store, folder_id);
  {
    g_autoptr(GObject) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(GObject) deep = NULL;

    g_print ("list model: %u items, first page in %.2f ms\n",
             g_list_model_get_n_items (G_LIST_MODEL (model)), (g_get_monotonic_time () - start) / 1e3);
    start = g_get_monotonic_time ();
    deep = g_list_model_get_item (G_LIST_MODEL (model), N_MESSAGES - 1);
    g_print ("list model: last page (OFFSET %u) in %.2f ms\n", N_MESSAGES - 1,
             (g_get_monotonic_time () - start) / 1e3);
  }

  start = g_get_monotonic_time ();
  found = pochta_store_search (store, "отчёт budget", 0, 50, &error);
  g_assert_no_error (error);
  g_print ("search \"отчёт budget\": %u hits (limit 50) in %.2f ms\n", found->len,
           (g_get_monotonic_time () - start) / 1e3);

  g_clear_object (&model);
  start = g_get_monotonic_time ();
  pochta_store_close_async (store, NULL, store_result, &result);
  pochta_store_close_finish (store, wait (&result), &error);
  g_assert_no_error (error);
  g_print ("close (final checkpoint): %.2f s; database now %.1f MB\n",
           (g_get_monotonic_time () - start) / 1e6, file_size (path) / 1048576.0);

  g_print ("peak RSS (VmHWM): %" G_GSIZE_FORMAT " kB\n", pochta_test_get_peak_rss_kb ());

  g_unlink (path);
  g_unlink (wal);
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (shm);
  }
  g_rmdir (dir);

  return 0;
}
