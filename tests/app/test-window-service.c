/* test-window-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window against the harness Dovecot, end to end: the folders
 * with the server's unread count, the Inbox's messages, a selected
 * message's body in the reader (marked read when opened), delete with
 * Undo leaving the message in place on the server, and mail APPENDed by
 * another client appearing in the list within 2 seconds, with no click.
 * With POCHTA_TEST_SCREENSHOTS=DIR each state is saved as a PNG.
 */

#include "config.h"

#include "pochta-message-header.h"
#include "pochta-move-popover.h"
#include "window-test-fixture.h"

static guint
count_unseen (GHashTable *mailbox)
{
  GHashTableIter iter;
  gpointer bits;
  guint unseen = 0;

  g_hash_table_iter_init (&iter, mailbox);
  while (g_hash_table_iter_next (&iter, NULL, &bits))
    if ((GPOINTER_TO_UINT (bits) & POCHTA_MESSAGE_FLAG_SEEN) == 0)
      unseen++;

  return unseen;
}

static PochtaFolderRow *
sidebar_row_for (WindowFixture *fixture,
                 GObject       *item)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  app_test_collect_widgets (GTK_WIDGET (fixture->window), POCHTA_TYPE_FOLDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (pochta_folder_row_get_item (rows->pdata[i]) == item && gtk_widget_get_mapped (rows->pdata[i]))
      return rows->pdata[i];

  return NULL;
}

static gboolean
inbox_selected (gpointer data)
{
  WindowFixture *fixture = data;
  PochtaFolder *folder = pochta_window_get_folder (fixture->window);

  return folder != NULL && pochta_folder_get_role (folder) == POCHTA_FOLDER_ROLE_INBOX;
}

static void
test_folders (WindowFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GHashTable) server_inbox = window_test_server_mailbox (fixture, "INBOX");
  PochtaFolder *inbox;
  PochtaFolderRow *row;
  g_autofree char *expected = NULL;
  static const PochtaFolderRole roles[] = {
    POCHTA_FOLDER_ROLE_DRAFTS, POCHTA_FOLDER_ROLE_SENT, POCHTA_FOLDER_ROLE_TRASH,
    POCHTA_FOLDER_ROLE_JUNK, POCHTA_FOLDER_ROLE_ARCHIVE,
  };

  g_test_summary ("The sidebar shows the account's folders, special ones with their icons, the "
                  "Inbox with the server's unread count; the Inbox opens with all its messages; a right "
                  "click on a folder opens it with its menu");

  window_test_open_window (fixture);
  app_test_wait_for (inbox_selected, fixture);
  window_test_wait_rows (fixture);

  inbox = window_test_folder (fixture, POCHTA_FOLDER_ROLE_INBOX);
  row = sidebar_row_for (fixture, G_OBJECT (inbox));
  g_assert_nonnull (row);
  g_assert_cmpstr (pochta_folder_row_get_title (row), ==, "Inbox");
  g_assert_cmpstr (pochta_folder_row_get_icon_name (row), ==, "mail-inbox-symbolic");
  expected = g_strdup_printf ("%u", count_unseen (server_inbox));
  g_assert_cmpuint (count_unseen (server_inbox), >, 0);
  g_assert_cmpstr (pochta_folder_row_get_count (row), ==, expected);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      PochtaFolder *folder = window_test_folder (fixture, roles[i]);
      PochtaFolderRow *folder_row = sidebar_row_for (fixture, G_OBJECT (folder));

      g_assert_nonnull (folder_row);
      g_assert_cmpstr (pochta_folder_row_get_icon_name (folder_row), ==,
                       pochta_folder_role_icon_name (roles[i]));
    }

  /* The account heading, then the Inbox first among its folders. */
  g_assert_nonnull (sidebar_row_for (fixture, G_OBJECT (fixture->account)));

  g_assert_cmpuint (g_list_model_get_n_items (pochta_message_list_get_model (window_test_list (fixture))), ==,
                    g_hash_table_size (server_inbox));

  app_test_screenshot (GTK_WIDGET (fixture->window), "window-inbox");

  /* A right click on a folder opens it and offers what acts on a folder. */
  {
    PochtaFolder *archive = window_test_folder (fixture, POCHTA_FOLDER_ROLE_ARCHIVE);
    GtkWidget *expander = gtk_widget_get_ancestor (GTK_WIDGET (sidebar_row_for (fixture, G_OBJECT (archive))),
                                                   GTK_TYPE_TREE_EXPANDER);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (expander);
    g_autoptr(GPtrArray) menus = g_ptr_array_new ();
    GtkGesture *click = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller) &&
            gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
          click = GTK_GESTURE (controller);
      }
    g_assert_nonnull (click);
    g_signal_emit_by_name (click, "pressed", 1, 10.0, 10.0);
    app_test_run_for (200);

    g_assert_true (pochta_folder_sidebar_get_selected_folder (window_test_sidebar (fixture)) == archive);
    app_test_collect_widgets (GTK_WIDGET (window_test_sidebar (fixture)), GTK_TYPE_POPOVER_MENU, menus);
    g_assert_cmpuint (menus->len, ==, 1);
    g_assert_true (gtk_widget_get_visible (menus->pdata[0]));
    app_test_screenshot (GTK_WIDGET (fixture->window), "window-folder-menu");
    gtk_popover_popdown (menus->pdata[0]);
  }
}

static gboolean
reader_shows_message (gpointer data)
{
  WindowFixture *fixture = data;

  return g_strcmp0 (pochta_message_view_get_state (window_test_view (fixture)), "message") == 0;
}

static gboolean
summary_is_read (gpointer data)
{
  return !pochta_message_summary_get_unread (data);
}

static PochtaMessageSummary *
first_unread (WindowFixture *fixture,
              guint         *position)
{
  GListModel *model = pochta_message_list_get_model (window_test_list (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (model, i);

      if (pochta_message_summary_get_unread (summary))
        {
          *position = i;
          return g_steal_pointer (&summary);
        }
    }

  return NULL;
}

static void
test_select_shows_body (WindowFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(PochtaMessageSummary) summary = NULL;
  PochtaMessageView *view;
  PochtaMessageHeader *header;
  guint position = 0;

  g_test_summary ("Selecting a message fetches its body into the reader and marks it read");

  g_settings_set_boolean (settings, "mark-read-on-open", TRUE);
  g_settings_set_int (settings, "mark-read-delay", 0);

  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  view = window_test_view (fixture);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "empty");

  summary = first_unread (fixture, &position);
  g_assert_nonnull (summary);
  pochta_message_list_select_position (window_test_list (fixture), position);
  app_test_wait_for (reader_shows_message, fixture);

  header = POCHTA_MESSAGE_HEADER (pochta_message_view_get_header (view));
  g_assert_cmpstr (pochta_message_header_get_field (header, "subject"), ==,
                   pochta_message_summary_get_subject (summary));
  g_assert_true (strstr (pochta_message_header_get_field (header, "from"),
                         pochta_message_summary_get_from_address (summary)) != NULL);

  /* The body is there, as HTML or as text. */
  if (!pochta_message_view_get_showing_html (view))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pochta_message_view_get_text_view (view)));

      g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >, 0);
    }

  app_test_wait_for (summary_is_read, summary);
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-reader");
}

static gboolean
id_in_model (GListModel *model,
             gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (model, i);

      if (pochta_message_summary_get_id (summary) == id)
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GListModel *model;
  gint64      id;
  gboolean    present;
} Presence;

static gboolean
presence_is (gpointer data)
{
  Presence *presence = data;

  return id_in_model (presence->model, presence->id) == presence->present;
}

static void
flush (WindowFixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_service_flush_async (fixture->service, fixture->account, NULL,
                                           pochta_test_store_result, &result));
  pochta_service_flush_finish (fixture->service, result, &error);
  g_assert_no_error (error);
}

static void
test_delete_undo (WindowFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GHashTable) inbox_after = NULL;
  g_autoptr(GHashTable) trash_after = NULL;
  PochtaMessageList *list;
  GListModel *model;
  AdwToast *toast;
  Presence presence;
  guint n_before;
  GHashTableIter iter;
  gpointer bits;

  g_test_summary ("Delete moves the message to Trash with an Undo toast; Undo brings the same row "
                  "back, and the server ends with the message in the Inbox and none in Trash");

  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  list = window_test_list (fixture);
  model = pochta_message_list_get_model (list);
  n_before = g_list_model_get_n_items (model);

  pochta_message_list_select_position (list, 2);
  summary = pochta_message_list_get_single_selected (list);
  g_assert_nonnull (summary);
  presence = (Presence) { model, pochta_message_summary_get_id (summary), FALSE };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete", NULL));
  app_test_wait_for (presence_is, &presence);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before - 1);

  toast = pochta_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo");
  /* The next message takes its place in the selection. */
  g_assert_cmpuint (pochta_message_list_get_n_selected (list), ==, 1);
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-deleted-undo");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  presence.present = TRUE;
  app_test_wait_for (presence_is, &presence);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before);

  flush (fixture);
  inbox_after = window_test_server_mailbox (fixture, "INBOX");
  trash_after = window_test_server_mailbox (fixture, "Trash");
  g_assert_cmpuint (g_hash_table_size (inbox_after), ==, n_before);
  g_hash_table_iter_init (&iter, inbox_after);
  while (g_hash_table_iter_next (&iter, NULL, &bits))
    g_assert_cmpuint (GPOINTER_TO_UINT (bits) & POCHTA_MESSAGE_FLAG_DELETED, ==, 0);
  g_hash_table_iter_init (&iter, trash_after);
  while (g_hash_table_iter_next (&iter, NULL, &bits))
    g_assert_cmpuint (GPOINTER_TO_UINT (bits) & POCHTA_MESSAGE_FLAG_DELETED, !=, 0);
}

typedef struct
{
  GListModel *model;
  guint       n_items;
} Count;

static gboolean
model_has_n (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->model) == count->n_items;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
account_online (gpointer data)
{
  return pochta_account_get_state (data) == POCHTA_ACCOUNT_STATE_ONLINE;
}

static void
test_append_appears (WindowFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(PochtaImapClient) peer = NULL;
  g_autoptr(PochtaMessageSummary) newest = NULL;
  PochtaMessageList *list;
  Count count;
  gint64 start;
  guint id;

  g_test_summary ("A message APPENDed to the Inbox by another client shows in the list within "
                  "2 seconds, with no click");

  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  list = window_test_list (fixture);
  count = (Count) { pochta_message_list_get_model (list), 0 };
  count.n_items = g_list_model_get_n_items (count.model) + 1;

  /* Connected and idling on the Inbox, as after a start. */
  app_test_wait_for (account_online, fixture->account);
  app_test_run_for (1000);

  peer = pochta_test_imap_peer (fixture->user);
  service_test_append (peer, "INBOX", "Appended while watching");
  start = g_get_monotonic_time ();

  /* The clock is the test: a tick wakes the loop to look at it. */
  id = g_timeout_add (10, keep_ticking, NULL);
  while (!model_has_n (&count) && g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_assert_cmpuint (g_list_model_get_n_items (count.model), ==, count.n_items);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  newest = g_list_model_get_item (count.model, 0);
  g_assert_cmpstr (pochta_message_summary_get_subject (newest), ==, "Appended while watching");
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-appended");
}

typedef struct
{
  PochtaWindow     *window;
  PochtaWindowPage  page;
} PageWait;

static gboolean
narrow_on_page (gpointer data)
{
  PageWait *wait = data;

  return pochta_window_get_narrow (wait->window) && pochta_window_get_page (wait->window) == wait->page;
}

static gboolean
visible_pane (WindowFixture *fixture,
              GType          type)
{
  GtkWidget *widget = window_test_find (GTK_WIDGET (fixture->window), type);

  return gtk_widget_is_drawable (widget) && gtk_widget_get_width (widget) > 0;
}

/* A mapped GtkWindow keeps its size whatever its default size says; it
 * takes a new one when shown again. */
static void
resize_window (WindowFixture *fixture,
               int            width)
{
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
test_narrow (WindowFixture *fixture,
             gconstpointer  data)
{
  PageWait wait;

  g_test_summary ("A narrow window shows one pane at a time: the list, the reader after a "
                  "selection, the folders after Back");

  window_test_open_window (fixture);
  resize_window (fixture, 480);
  wait = (PageWait) { fixture->window, POCHTA_WINDOW_PAGE_MESSAGES };
  app_test_wait_for (narrow_on_page, &wait);
  window_test_wait_rows (fixture);
  app_test_run_for (200);

  g_assert_true (visible_pane (fixture, POCHTA_TYPE_MESSAGE_LIST));
  g_assert_false (visible_pane (fixture, POCHTA_TYPE_MESSAGE_VIEW));
  g_assert_false (visible_pane (fixture, POCHTA_TYPE_FOLDER_SIDEBAR));
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-narrow-list");

  pochta_message_list_select_position (window_test_list (fixture), 0);
  wait.page = POCHTA_WINDOW_PAGE_READER;
  app_test_wait_for (narrow_on_page, &wait);
  app_test_wait_for (reader_shows_message, fixture);
  app_test_run_for (200);
  g_assert_true (visible_pane (fixture, POCHTA_TYPE_MESSAGE_VIEW));
  g_assert_false (visible_pane (fixture, POCHTA_TYPE_MESSAGE_LIST));
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-narrow-reader");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL));
  g_assert_cmpint (pochta_window_get_page (fixture->window), ==, POCHTA_WINDOW_PAGE_MESSAGES);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL));
  g_assert_cmpint (pochta_window_get_page (fixture->window), ==, POCHTA_WINDOW_PAGE_FOLDERS);
  app_test_run_for (200);
  g_assert_true (visible_pane (fixture, POCHTA_TYPE_FOLDER_SIDEBAR));
  g_assert_false (visible_pane (fixture, POCHTA_TYPE_MESSAGE_LIST));

  /* Wide again: all three side by side. */
  resize_window (fixture, 1280);
  while (pochta_window_get_narrow (fixture->window))
    app_test_run_for (50);
  app_test_run_for (200);
  g_assert_true (visible_pane (fixture, POCHTA_TYPE_FOLDER_SIDEBAR));
  g_assert_true (visible_pane (fixture, POCHTA_TYPE_MESSAGE_LIST));
  g_assert_true (visible_pane (fixture, POCHTA_TYPE_MESSAGE_VIEW));
}

static void
test_archive_and_move (WindowFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(PochtaMessageSummary) first = NULL;
  g_autoptr(PochtaMessageSummary) second = NULL;
  g_autoptr(GListModel) archive_model = NULL;
  g_autoptr(GListModel) junk_model = NULL;
  PochtaMessageList *list;
  PochtaMovePopover *popover;
  GListModel *shown;
  Presence presence;

  g_test_summary ("Archive moves the selection to the Archive folder; Move to… filters the "
                  "folders by name and moves to the one chosen");

  window_test_open_window (fixture);
  window_test_wait_rows (fixture);
  list = window_test_list (fixture);
  archive_model = pochta_service_get_messages (fixture->service,
                                               pochta_folder_get_id (window_test_folder (fixture, POCHTA_FOLDER_ROLE_ARCHIVE)));
  junk_model = pochta_service_get_messages (fixture->service,
                                            pochta_folder_get_id (window_test_folder (fixture, POCHTA_FOLDER_ROLE_JUNK)));

  pochta_message_list_select_position (list, 0);
  first = pochta_message_list_get_single_selected (list);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.archive", NULL));
  presence = (Presence) { archive_model, pochta_message_summary_get_id (first), TRUE };
  app_test_wait_for (presence_is, &presence);
  g_assert_false (id_in_model (pochta_message_list_get_model (list), pochta_message_summary_get_id (first)));

  second = pochta_message_list_get_single_selected (list);
  g_assert_nonnull (second);
  popover = window_test_find (GTK_WIDGET (fixture->window), POCHTA_TYPE_MOVE_POPOVER);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.move", NULL));
  app_test_run_for (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* The Inbox itself is not offered; the filter narrows by name. */
  shown = pochta_move_popover_get_shown (popover);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(PochtaFolder) folder = g_list_model_get_item (shown, i);

      g_assert_cmpint (pochta_folder_get_role (folder), !=, POCHTA_FOLDER_ROLE_INBOX);
    }
  pochta_move_popover_set_filter (popover, "jun");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-move-popover");

  pochta_move_popover_choose (popover, 0);
  presence = (Presence) { junk_model, pochta_message_summary_get_id (second), TRUE };
  app_test_wait_for (presence_is, &presence);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_nonnull (strstr (adw_toast_get_title (pochta_window_get_last_toast (fixture->window)), "Junk"));
}

static void
test_open_message_action (WindowFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(PochtaMessageSummary) summary = NULL;
  PochtaMessageHeader *header;

  g_test_summary ("app.open-message, what a new-mail notification activates, shows that "
                  "message in the reader");

  window_test_open_window (fixture);
  window_test_wait_rows (fixture);

  messages = pochta_service_get_messages (fixture->service,
                                          pochta_folder_get_id (window_test_folder (fixture, POCHTA_FOLDER_ROLE_INBOX)));
  summary = g_list_model_get_item (messages, 3);
  g_action_group_activate_action (G_ACTION_GROUP (window_test_app), "open-message",
                                  g_variant_new_int64 (pochta_message_summary_get_id (summary)));
  app_test_wait_for (reader_shows_message, fixture);

  header = POCHTA_MESSAGE_HEADER (pochta_message_view_get_header (window_test_view (fixture)));
  g_assert_cmpstr (pochta_message_header_get_field (header, "subject"), ==,
                   pochta_message_summary_get_subject (summary));

  /* Its row is selected too, as if it had been clicked. */
  {
    g_autoptr(PochtaMessageSummary) selected = pochta_message_list_get_single_selected (window_test_list (fixture));

    g_assert_nonnull (selected);
    g_assert_cmpint (pochta_message_summary_get_id (selected), ==, pochta_message_summary_get_id (summary));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *profile = NULL;
  int ret;

  /* Not per-test isolated dirs: the web process WebKit starts for the
   * first HTML message keeps using the directories it started with. */
  profile = app_test_init_profile (&argc, &argv);
  window_test_init_app ();

#define ADD(path, user, func) \
  g_test_add (path, WindowFixture, user, window_fixture_set_up, func, window_fixture_tear_down)

  ADD ("/app/window-service/folders", "folders", test_folders);
  ADD ("/app/window-service/select-shows-body", "select", test_select_shows_body);
  ADD ("/app/window-service/delete-undo", "delete", test_delete_undo);
  ADD ("/app/window-service/append-appears", "append", test_append_appears);
  ADD ("/app/window-service/narrow", "narrow", test_narrow);
  ADD ("/app/window-service/archive-and-move", "move", test_archive_and_move);
  ADD ("/app/window-service/open-message-action", "open", test_open_message_action);

#undef ADD

  ret = g_test_run ();

  g_clear_object (&window_test_app);
  pochta_test_remove_tree (profile);

  return ret;
}
