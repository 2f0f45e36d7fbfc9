/* test-message-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message list over a real cache: a store with a few thousand
 * messages, its lazy list model, and the list widget in a window. Only
 * the rows on screen are bound and only their pages loaded; rows show
 * sender (or recipients), subject, date, unread, star and attachment;
 * a flag change in the store reaches the row without a reload; several
 * rows can be selected.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "../core/store/store-test-util.h"
#include "app-test-util.h"
#include "pochta-format.h"
#include "pochta-message-list.h"
#include "pochta-message-row.h"

#define N_MESSAGES 3000

typedef struct
{
  PochtaStore   *store;
  gint64         folder_id;
  GListModel    *model;
  GtkWindow     *window;
  GtkWidget     *list;
  gint64         now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "list-test.db", NULL);
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = NULL;
  gint64 account_id;

  g_remove (path);
  fixture->store = store_test_open (path, &error);
  g_assert_no_error (error);
  account_id = store_test_add_account (fixture->store, "Test");
  fixture->folder_id = store_test_add_folder (fixture->store, account_id, "INBOX");

  /* Noon today keeps "today" stable whenever the test runs, except for
   * the minutes around midnight. */
  noon = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now), 12, 0, 0);
  fixture->now = g_date_time_to_unix (noon);

  for (guint uid = 1; uid <= N_MESSAGES; uid++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", uid);
      g_autofree char *name = g_strdup_printf ("Sender %u", uid);
      g_autofree char *address = g_strdup_printf ("sender%u@example.org", uid);
      PochtaMessageRecord *record;

      /* The newest is today; the rest go back an hour each. */
      record = store_test_record (uid, fixture->now - (gint64) (N_MESSAGES - uid) * 3600,
                                  subject, name, address);
      record->flags = uid % 2 == 0 ? POCHTA_MESSAGE_FLAG_SEEN : POCHTA_MESSAGE_FLAG_NONE;
      if (uid == N_MESSAGES)
        {
          record->flags |= POCHTA_MESSAGE_FLAG_FLAGGED;
          record->has_attachments = TRUE;
          g_free (record->from_name);
          record->from_name = g_strdup ("Newest Sender");
          g_free (record->to_addrs);
          record->to_addrs = g_strdup ("\"Doe, Jane\" <jane@example.org>, bob@example.org");
        }
      g_ptr_array_add (records, record);
    }
  store_test_add_records (fixture->store, fixture->folder_id, records, &error);
  g_assert_no_error (error);

  fixture->model = G_LIST_MODEL (pochta_message_list_model_new (fixture->store, fixture->folder_id));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 420, 600);
  fixture->list = pochta_message_list_new ();
  gtk_window_set_child (fixture->window, fixture->list);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->model);
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
}

static void
collect_bound_rows (Fixture   *fixture,
                    GPtrArray *rows)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  app_test_collect_widgets (fixture->list, POCHTA_TYPE_MESSAGE_ROW, all);
  for (guint i = 0; i < all->len; i++)
    if (pochta_message_row_get_summary (all->pdata[i]) != NULL)
      g_ptr_array_add (rows, all->pdata[i]);
}

static gboolean
rows_shown (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_bound_rows (fixture, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]))
      return TRUE;

  return FALSE;
}

static PochtaMessageRow *
row_for_uid (Fixture *fixture,
             guint32  uid)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_bound_rows (fixture, rows);
  for (guint i = 0; i < rows->len; i++)
    if (pochta_message_summary_get_uid (pochta_message_row_get_summary (rows->pdata[i])) == uid)
      return rows->pdata[i];

  return NULL;
}

static void
test_lazy_rows (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  PochtaMessageListModel *model = POCHTA_MESSAGE_LIST_MODEL (fixture->model);

  g_test_summary ("A folder of thousands shows its first rows and loads only the pages on screen");

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), fixture->model, FALSE);
  app_test_wait_for (rows_shown, fixture);

  collect_bound_rows (fixture, rows);
  g_assert_cmpuint (rows->len, >, 3);
  /* GtkListView keeps up to ~200 rows around the visible ones, never all. */
  g_assert_cmpuint (rows->len, <=, 256);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->model), ==, N_MESSAGES);
  g_assert_cmpuint (pochta_message_list_model_get_n_page_loads (model), <=, 2);
}

static guint
view_n_items (Fixture *fixture)
{
  GtkWidget *view = pochta_message_list_get_list_view (POCHTA_MESSAGE_LIST (fixture->list));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view))));
}

static gboolean
view_has_all_rows (gpointer data)
{
  Fixture *fixture = data;

  return view_n_items (fixture) == N_MESSAGES;
}

static void
test_first_frame (Fixture       *fixture,
                  gconstpointer  data)
{
  PochtaMessageList *list = POCHTA_MESSAGE_LIST (fixture->list);
  g_autoptr(PochtaMessageSummary) last = NULL;

  g_test_summary ("The first frame of a folder makes only the rows a screen can show; "
                  "every row is there from the next frame on");

  pochta_message_list_set_model (list, fixture->model, FALSE);
  g_assert_cmpuint (view_n_items (fixture), >, 0);
  g_assert_cmpuint (view_n_items (fixture), <, 100);

  app_test_wait_for (rows_shown, fixture);
  app_test_wait_for (view_has_all_rows, fixture);
  g_assert_cmpuint (view_n_items (fixture), ==, N_MESSAGES);

  pochta_message_list_select_position (list, N_MESSAGES - 1);
  last = pochta_message_list_get_single_selected (list);
  g_assert_nonnull (last);
  g_assert_cmpuint (pochta_message_summary_get_uid (last), ==, 1);
}

static void
test_row_contents (Fixture       *fixture,
                   gconstpointer  data)
{
  PochtaMessageRow *newest;
  PochtaMessageRow *read;
  PochtaMessageRow *unread;
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (fixture->now);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected_date = pochta_format_list_date (date, now);

  g_test_summary ("Rows show sender, subject, date, preview; unread in bold, a star, a paper clip");

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), fixture->model, FALSE);
  app_test_wait_for (rows_shown, fixture);

  newest = row_for_uid (fixture, N_MESSAGES);
  g_assert_nonnull (newest);
  g_assert_cmpstr (pochta_message_row_get_field (newest, "sender"), ==, "Newest Sender");
  g_assert_cmpstr (pochta_message_row_get_field (newest, "subject"), ==, "Message 3000");
  g_assert_cmpstr (pochta_message_row_get_field (newest, "date"), ==, expected_date);
  g_assert_cmpstr (pochta_message_row_get_field (newest, "preview"), ==, "A line of preview text");

  /* Even uids are read. */
  read = row_for_uid (fixture, N_MESSAGES - 2);
  unread = row_for_uid (fixture, N_MESSAGES - 1);
  g_assert_nonnull (read);
  g_assert_nonnull (unread);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (read), "unread"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (unread), "unread"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (newest), "unread") == FALSE);

  {
    g_autoptr(GPtrArray) images = g_ptr_array_new ();
    guint visible_star = 0;
    guint visible_clip = 0;

    app_test_collect_widgets (GTK_WIDGET (newest), GTK_TYPE_IMAGE, images);
    for (guint i = 0; i < images->len; i++)
      {
        const char *icon = gtk_image_get_icon_name (images->pdata[i]);

        if (!gtk_widget_get_visible (images->pdata[i]))
          continue;
        if (g_strcmp0 (icon, "starred-symbolic") == 0)
          visible_star++;
        else if (g_strcmp0 (icon, "mail-attachment-symbolic") == 0)
          visible_clip++;
      }
    g_assert_cmpuint (visible_star, ==, 1);
    g_assert_cmpuint (visible_clip, ==, 1);
    g_ptr_array_set_size (images, 0);

    visible_star = 0;
    app_test_collect_widgets (GTK_WIDGET (read), GTK_TYPE_IMAGE, images);
    for (guint i = 0; i < images->len; i++)
      if (gtk_widget_get_visible (images->pdata[i])
          && g_strcmp0 (gtk_image_get_icon_name (images->pdata[i]), "starred-symbolic") == 0)
        visible_star++;
    g_assert_cmpuint (visible_star, ==, 0);
  }
}

static gboolean
row_is_read (gpointer data)
{
  return !gtk_widget_has_css_class (data, "unread");
}

static void
test_row_follows_store (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaMessageListModel *model = POCHTA_MESSAGE_LIST_MODEL (fixture->model);
  PochtaMessageRow *unread;
  guint loads;

  g_test_summary ("Marking a message read in the cache updates its row in place");

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), fixture->model, FALSE);
  app_test_wait_for (rows_shown, fixture);

  unread = row_for_uid (fixture, N_MESSAGES - 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (unread), "unread"));
  loads = pochta_message_list_model_get_n_page_loads (model);

  pochta_store_change_flags_async (fixture->store,
                                   pochta_message_summary_get_id (pochta_message_row_get_summary (unread)),
                                   POCHTA_MESSAGE_FLAG_SEEN, 0, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, APP_TEST_WAIT_MS);
  g_assert_true (pochta_store_change_flags_finish (fixture->store, result, &error));
  g_assert_no_error (error);

  app_test_wait_for (row_is_read, unread);
  g_assert_true (row_for_uid (fixture, N_MESSAGES - 1) == unread);
  g_assert_cmpuint (pochta_message_list_model_get_n_page_loads (model), <=, loads + 1);
}

static void
test_recipients (Fixture       *fixture,
                 gconstpointer  data)
{
  PochtaMessageRow *newest;

  g_test_summary ("In Sent and Drafts the row names the recipients");

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), fixture->model, TRUE);
  app_test_wait_for (rows_shown, fixture);

  newest = row_for_uid (fixture, N_MESSAGES);
  g_assert_cmpstr (pochta_message_row_get_field (newest, "sender"), ==, "To: Doe, Jane, bob@example.org");
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
test_multi_select (Fixture       *fixture,
                   gconstpointer  data)
{
  PochtaMessageList *list = POCHTA_MESSAGE_LIST (fixture->list);
  GtkSelectionModel *selection;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(PochtaMessageSummary) single = NULL;
  guint changes = 0;

  g_test_summary ("Several rows can be selected; their ids come from the selected rows only");

  pochta_message_list_set_model (list, fixture->model, FALSE);
  app_test_wait_for (rows_shown, fixture);
  g_signal_connect (list, "selection-changed", G_CALLBACK (count_signal), &changes);

  selection = pochta_message_list_get_selection (list);
  g_assert_true (GTK_IS_MULTI_SELECTION (selection));
  g_assert_cmpuint (pochta_message_list_get_n_selected (list), ==, 0);
  g_assert_null (pochta_message_list_get_single_selected (list));

  pochta_message_list_select_position (list, 1);
  g_assert_cmpuint (changes, >, 0);
  single = pochta_message_list_get_single_selected (list);
  g_assert_nonnull (single);
  g_assert_cmpuint (pochta_message_summary_get_uid (single), ==, N_MESSAGES - 1);

  /* Shift-click extends; Ctrl-click adds: what GtkMultiSelection does for them. */
  gtk_selection_model_select_range (selection, 0, 3, FALSE);
  gtk_selection_model_select_item (selection, 10, FALSE);
  g_assert_cmpuint (pochta_message_list_get_n_selected (list), ==, 4);
  g_assert_null (pochta_message_list_get_single_selected (list));

  ids = pochta_message_list_get_selected_ids (list);
  g_assert_cmpuint (ids->len, ==, 4);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), >, 0);
}

static void
test_empty_states (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GListStore) empty = g_list_store_new (POCHTA_TYPE_MESSAGE_SUMMARY);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  guint shown = 0;

  g_test_summary ("No folder and an empty folder each say so");

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), NULL, FALSE);
  app_test_collect_widgets (fixture->list, ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_child_visible (pages->pdata[i])
        && g_strcmp0 (adw_status_page_get_title (pages->pdata[i]), "No folder selected") == 0)
      shown++;
  g_assert_cmpuint (shown, ==, 1);

  pochta_message_list_set_model (POCHTA_MESSAGE_LIST (fixture->list), G_LIST_MODEL (empty), FALSE);
  shown = 0;
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_child_visible (pages->pdata[i])
        && g_strcmp0 (adw_status_page_get_title (pages->pdata[i]), "No messages") == 0)
      shown++;
  g_assert_cmpuint (shown, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/app/message-list/lazy-rows", test_lazy_rows);
  ADD ("/app/message-list/first-frame", test_first_frame);
  ADD ("/app/message-list/row-contents", test_row_contents);
  ADD ("/app/message-list/row-follows-store", test_row_follows_store);
  ADD ("/app/message-list/recipients", test_recipients);
  ADD ("/app/message-list/multi-select", test_multi_select);
  ADD ("/app/message-list/empty-states", test_empty_states);

#undef ADD

  return g_test_run ();
}
