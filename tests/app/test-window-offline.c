/* test-window-offline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window with Dovecot really stopped: it opens at once on the cached
 * mail, says quietly that the account is offline, shows cached bodies and
 * "not downloaded" for the others, keeps a mark-read visibly pending, and
 * that change reaches the server once Dovecot is back. Stops Dovecot, so
 * it runs alone (is_parallel: false).
 */

#include "config.h"

#include "window-test-fixture.h"

/* Reconnecting waits out the session's backoff. */
#define RECONNECT_WAIT_MS 90000

static void
control (const char *what)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pochta_test_servers_control (what, &error));
  g_assert_no_error (error);
}

static const char *
reader_state (WindowFixture *fixture)
{
  return pochta_message_view_get_state (window_test_view (fixture));
}

static gboolean
reader_settled (gpointer data)
{
  const char *state = reader_state (data);

  return g_strcmp0 (state, "message") == 0 || g_strcmp0 (state, "offline") == 0
         || g_strcmp0 (state, "error") == 0;
}

static gboolean
account_offline (gpointer data)
{
  return pochta_account_get_state (data) == POCHTA_ACCOUNT_STATE_OFFLINE;
}

static gboolean
pending_shown (gpointer data)
{
  WindowFixture *fixture = data;

  return pochta_folder_sidebar_get_n_pending (window_test_sidebar (fixture)) > 0;
}

static gboolean
nothing_pending (gpointer data)
{
  WindowFixture *fixture = data;

  return pochta_folder_sidebar_get_n_pending (window_test_sidebar (fixture)) == 0;
}

static void
wait_long (AppTestCondition condition,
           gpointer         data,
           guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u ms in vain", timeout_ms);
      app_test_run_for (100);
    }
}

static PochtaMessageSummary *
summary_at (WindowFixture *fixture,
            guint          position)
{
  return g_list_model_get_item (pochta_message_list_get_model (window_test_list (fixture)), position);
}

static void
test_offline_window (WindowFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(PochtaMessageSummary) cached = NULL;
  g_autoptr(PochtaMessageSummary) unread = NULL;
  g_autoptr(GHashTable) server = NULL;
  PochtaMessageList *list;
  GListModel *model;
  guint32 unread_uid = 0;
  guint unread_position = 0;
  gint64 start;
  gint64 elapsed;
  const char *subtitle;

  g_test_summary ("With Dovecot stopped the window opens at once on the cache, shows cached "
                  "bodies and 'not downloaded' for the rest; a mark-read stays pending and "
                  "reaches the server when Dovecot is back");

  /* Online first: open the newest message so its body is cached. */
  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  pochta_message_list_select_position (window_test_list (fixture), 0);
  app_test_wait_for (reader_settled, fixture);
  g_assert_cmpstr (reader_state (fixture), ==, "message");
  window_test_close_window (fixture);

  control ("stop-dovecot");

  start = g_get_monotonic_time ();
  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("Rows on screen %lld ms after opening, offline", (long long) (elapsed / 1000));
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);

  list = window_test_list (fixture);
  model = pochta_message_list_get_model (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, WINDOW_TEST_MESSAGES);

  /* Offline is said quietly: in the title, never in a dialog. */
  app_test_wait_for (account_offline, fixture->account);
  app_test_run_for (200);
  subtitle = adw_window_title_get_subtitle (window_test_find (GTK_WIDGET (fixture->window),
                                                              ADW_TYPE_WINDOW_TITLE));
  g_assert_nonnull (strstr (subtitle, "offline"));
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      g_assert_false (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)));
    }

  /* The cached body shows; one never fetched says it will come later. */
  cached = summary_at (fixture, 0);
  pochta_message_list_select_position (list, 0);
  app_test_wait_for (reader_settled, fixture);
  g_assert_cmpstr (reader_state (fixture), ==, "message");
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-offline");

  pochta_message_list_select_position (list, WINDOW_TEST_MESSAGES - 1);
  app_test_wait_for (reader_settled, fixture);
  g_assert_cmpstr (reader_state (fixture), ==, "offline");
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-offline-not-downloaded");

  /* Marked read offline: at once in the list, pending in the sidebar. */
  for (guint i = 0; i < g_list_model_get_n_items (model) && unread == NULL; i++)
    {
      g_autoptr(PochtaMessageSummary) summary = summary_at (fixture, i);

      if (pochta_message_summary_get_unread (summary))
        {
          unread = g_steal_pointer (&summary);
          unread_position = i;
        }
    }
  g_assert_nonnull (unread);
  unread_uid = pochta_message_summary_get_uid (unread);
  pochta_message_list_select_position (list, unread_position);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.mark-read", NULL));
  app_test_wait_for (pending_shown, fixture);
  g_assert_false (pochta_message_summary_get_unread (unread));
  g_assert_nonnull (strstr (pochta_folder_sidebar_get_pending_text (window_test_sidebar (fixture)),
                            "waiting to be sent"));
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-offline-pending");

  control ("start-dovecot");
  pochta_service_refresh (fixture->service, NULL);
  wait_long (nothing_pending, fixture, RECONNECT_WAIT_MS);

  server = window_test_server_mailbox (fixture, "INBOX");
  g_assert_true (g_hash_table_contains (server, GUINT_TO_POINTER (unread_uid)));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (server, GUINT_TO_POINTER (unread_uid)))
                    & POCHTA_MESSAGE_FLAG_SEEN, !=, 0);
}

static void
fixture_tear_down (WindowFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Whatever failed above, the next test program finds Dovecot running. */
  pochta_test_servers_control ("start-dovecot", &error);
  window_fixture_tear_down (fixture, data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *profile = NULL;
  int ret;

  profile = app_test_init_profile (&argc, &argv);
  window_test_init_app ();

  g_test_add ("/app/window-offline/start-read-replay", WindowFixture, "offline",
              window_fixture_set_up, test_offline_window, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&window_test_app);
  pochta_test_remove_tree (profile);

  return ret;
}
