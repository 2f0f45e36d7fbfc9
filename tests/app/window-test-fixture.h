/* window-test-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window on a real account: a fresh Dovecot user of the harness,
 * a service on a cache in the test's own directory, synced and started,
 * and a PochtaWindow showing it. Shared by the window's end-to-end tests.
 */

#pragma once

#include "../core/service/service-test-util.h"
#include "app-test-util.h"
#include "pochta-folder-row.h"
#include "pochta-folder-sidebar.h"
#include "pochta-message-list.h"
#include "pochta-message-row.h"
#include "pochta-message-view.h"
#include "pochta-window.h"

#define WINDOW_TEST_MESSAGES 30

typedef struct
{
  char          *user;
  char          *path;
  PochtaService *service;
  PochtaAccount *account;
  PochtaWindow  *window;
} WindowFixture;

static PochtaApplication *window_test_app;

static G_GNUC_UNUSED void
window_test_init_app (void)
{
  g_autoptr(GError) error = NULL;

  /* Registered for its menus and actions, never activated: the tests give
   * each window a service of their own instead of the profile's. */
  window_test_app = pochta_application_new ();
  g_application_set_flags (G_APPLICATION (window_test_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (window_test_app), NULL, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED gpointer
window_test_find (GtkWidget *root,
                  GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_test_collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);

  return found->pdata[0];
}

static G_GNUC_UNUSED PochtaMessageList *
window_test_list (WindowFixture *fixture)
{
  return window_test_find (GTK_WIDGET (fixture->window), POCHTA_TYPE_MESSAGE_LIST);
}

static G_GNUC_UNUSED PochtaMessageView *
window_test_view (WindowFixture *fixture)
{
  return window_test_find (GTK_WIDGET (fixture->window), POCHTA_TYPE_MESSAGE_VIEW);
}

static G_GNUC_UNUSED PochtaFolderSidebar *
window_test_sidebar (WindowFixture *fixture)
{
  return window_test_find (GTK_WIDGET (fixture->window), POCHTA_TYPE_FOLDER_SIDEBAR);
}

static G_GNUC_UNUSED PochtaFolder *
window_test_folder (WindowFixture    *fixture,
                    PochtaFolderRole  role)
{
  PochtaFolder *folder = pochta_service_find_folder_by_role (fixture->service, fixture->account, role);

  g_assert_nonnull (folder);
  return folder;
}

static gboolean
window_shows_rows (gpointer data)
{
  WindowFixture *fixture = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GListModel *model = pochta_message_list_get_model (window_test_list (fixture));

  if (model == NULL || g_list_model_get_n_items (model) == 0)
    return FALSE;

  app_test_collect_widgets (GTK_WIDGET (fixture->window), POCHTA_TYPE_MESSAGE_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (pochta_message_row_get_summary (rows->pdata[i]) != NULL && gtk_widget_get_mapped (rows->pdata[i]))
      return TRUE;

  return FALSE;
}

static G_GNUC_UNUSED void
window_test_wait_rows (WindowFixture *fixture)
{
  app_test_wait_for (window_shows_rows, fixture);
}

/* A service on the cache at @fixture->path, and a window on it. */
static G_GNUC_UNUSED void
window_test_open_window (WindowFixture *fixture)
{
  fixture->service = service_test_open (fixture->path);
  g_set_object (&fixture->account, pochta_service_lookup_account (fixture->service, fixture->user));
  g_assert_nonnull (fixture->account);

  fixture->window = pochta_window_new (window_test_app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1290, 810);
  pochta_window_set_service (fixture->window, fixture->service);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pochta_service_start (fixture->service);
}

static G_GNUC_UNUSED void
window_test_close_window (WindowFixture *fixture)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;

  if (fixture->service != NULL)
    service_test_close (fixture->service);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->account);
}

/* @data: a short name for the test's own Dovecot user. */
static G_GNUC_UNUSED void
window_fixture_set_up (WindowFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  fixture->user = g_strdup_printf ("ui-%s", (const char *) data);
  /* One profile for the program (WebKit keeps its process state across
   * tests), one cache per test. */
  fixture->path = g_strdup_printf ("%s/%s.sqlite", g_get_user_data_dir (), fixture->user);
  g_assert_true (pochta_test_servers_add_user (fixture->user, WINDOW_TEST_MESSAGES, &error));
  g_assert_no_error (error);

  /* Each test says when opening marks read. */
  g_settings_set_boolean (settings, "mark-read-on-open", FALSE);
  g_settings_set_boolean (settings, "notify-new-mail", FALSE);

  /* The first sync happens before the window, as after an earlier run. */
  password = pochta_test_servers_password (fixture->user);
  service = service_test_open (fixture->path);
  account = service_test_account (fixture->user);
  service_test_add (service, account, password);
  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);
  service_test_close (service);
}

static G_GNUC_UNUSED void
window_fixture_tear_down (WindowFixture *fixture,
                          gconstpointer  data)
{
  window_test_close_window (fixture);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->user, g_free);
}

/* The messages of @mailbox on the server: UID → flags (see service-test-util.h). */
static G_GNUC_UNUSED GHashTable *
window_test_server_mailbox (WindowFixture *fixture,
                            const char    *mailbox)
{
  g_autoptr(PochtaImapClient) peer = pochta_test_imap_peer (fixture->user);

  return service_test_server_flags (peer, mailbox);
}
