/* test-service-offline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The disconnected mode, with Dovecot really stopped: actions show in the
 * cache at once, survive a restart of the process's service, and reach
 * the server when it is back; a started session goes offline when the
 * server goes away and comes back by itself. Stops Dovecot, so it runs
 * alone (is_parallel: false).
 */

#include "service-test-util.h"

static void
control (const char *what)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pochta_test_servers_control (what, &error));
  g_assert_no_error (error);
}

static void
wait_for_state (PochtaAccount      *account,
                PochtaAccountState  state,
                guint               seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (pochta_account_get_state (account) != state)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Account state %d, waited %u s for %d", pochta_account_get_state (account), seconds, state);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
action_done (PochtaService *service,
             GAsyncResult  *result)
{
  g_autoptr(GError) error = NULL;

  pochta_service_action_finish (service, result, &error);
  g_assert_no_error (error);
}

static void
test_offline_actions_replay (void)
{
  const char *user = "svc-offline";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cache.db", NULL);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(PochtaMessageSummary) first = NULL;
  g_autoptr(PochtaMessageSummary) second = NULL;
  g_autoptr(PochtaMessageSummary) third = NULL;
  g_autoptr(PochtaMessageSummary) read_now = NULL;
  g_autoptr(PochtaImapClient) peer = NULL;
  PochtaFolder *inbox, *archive, *trash;
  PochtaAccount *again;
  gint64 ids[3];
  guint inbox_total, archive_total, trash_total;

  g_assert_true (pochta_test_servers_add_user (user, 20, &error));

  service = service_test_open (path);
  account = service_test_account (user);
  service_test_add (service, account, password);
  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);

  inbox = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_INBOX);
  archive = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_ARCHIVE);
  trash = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_TRASH);
  messages = pochta_service_get_messages (service, pochta_folder_get_id (inbox));
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 20);

  /* Three messages that are unread, to see the mark. */
  for (guint i = 0, found = 0; found < 3; i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (messages, i);

      g_assert_nonnull (summary);
      if (pochta_message_summary_get_unread (summary))
        ids[found++] = pochta_message_summary_get_id (summary);
    }

  control ("stop-dovecot");

  /* Mark one read, move one to Archive, delete one (to Trash). */
  RUN (result, pochta_service_set_flags_async (service, &ids[0], 1, POCHTA_MESSAGE_FLAG_SEEN, 0, NULL,
                                               pochta_test_store_result, &result));
  action_done (service, result);
  RUN (result, pochta_service_move_async (service, &ids[1], 1, pochta_folder_get_id (archive), NULL,
                                          pochta_test_store_result, &result));
  action_done (service, result);
  RUN (result, pochta_service_delete_async (service, &ids[2], 1, NULL, pochta_test_store_result, &result));
  action_done (service, result);

  /* The cache shows it at once. */
  read_now = pochta_service_get_message (service, ids[0], &error);
  g_assert_no_error (error);
  g_assert_false (pochta_message_summary_get_unread (read_now));
  second = pochta_service_get_message (service, ids[1], &error);
  g_assert_cmpint (pochta_message_summary_get_folder_id (second), ==, pochta_folder_get_id (archive));
  third = pochta_service_get_message (service, ids[2], &error);
  g_assert_cmpint (pochta_message_summary_get_folder_id (third), ==, pochta_folder_get_id (trash));
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 18);
  g_assert_cmpuint (pochta_folder_get_total_count (archive), ==, 1);

  pending = pochta_service_list_pending (service, account, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);
  g_clear_pointer (&pending, g_ptr_array_unref);

  /* A sync while the server is down fails and keeps the queue. */
  g_assert_false (service_test_sync (service, account, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* "Restart": a new service on the same cache still has the queue. */
  g_clear_object (&messages);
  service_test_close (service);
  g_clear_object (&service);
  service = service_test_open (path);
  again = pochta_service_lookup_account (service, user);
  g_assert_nonnull (again);
  pending = pochta_service_list_pending (service, again, &error);
  g_assert_cmpuint (pending->len, ==, 3);
  g_clear_pointer (&pending, g_ptr_array_unref);
  first = pochta_service_get_message (service, ids[0], &error);
  g_assert_false (pochta_message_summary_get_unread (first));

  control ("start-dovecot");
  g_assert_true (service_test_sync (service, again, &error));
  g_assert_no_error (error);
  pending = pochta_service_list_pending (service, again, &error);
  g_assert_cmpuint (pending->len, ==, 0);

  /* The server now equals the cache, folder by folder. */
  peer = pochta_test_imap_peer (user);
  inbox = pochta_service_find_folder_by_role (service, again, POCHTA_FOLDER_ROLE_INBOX);
  archive = pochta_service_find_folder_by_role (service, again, POCHTA_FOLDER_ROLE_ARCHIVE);
  trash = pochta_service_find_folder_by_role (service, again, POCHTA_FOLDER_ROLE_TRASH);
  inbox_total = pochta_folder_get_total_count (inbox);
  archive_total = pochta_folder_get_total_count (archive);
  trash_total = pochta_folder_get_total_count (trash);
  g_assert_cmpuint (inbox_total, ==, 18);
  g_assert_cmpuint (archive_total, ==, 1);
  g_assert_cmpuint (trash_total, ==, 1);
  {
    const char *names[] = { "INBOX", "Archive", "Trash" };
    PochtaFolder *folders[] = { inbox, archive, trash };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(GHashTable) server_flags = service_test_server_flags (peer, names[i]);
        g_autoptr(GHashTable) cached_flags = service_test_cached_flags (service, folders[i]);

        service_test_assert_same_flags (server_flags, cached_flags);
      }
  }

  service_test_close (service);
}

static void
test_server_gone_and_back (void)
{
  const char *user = "svc-gone";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cache.db", NULL);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(PochtaImapClient) peer = NULL;
  PochtaFolder *inbox;
  gint64 deadline;

  g_assert_true (pochta_test_servers_add_user (user, 10, &error));

  service = service_test_open (path);
  account = service_test_account (user);
  service_test_add (service, account, password);
  pochta_service_start (service);
  wait_for_state (account, POCHTA_ACCOUNT_STATE_ONLINE, 30);
  inbox = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_INBOX);
  g_assert_nonnull (inbox);

  control ("stop-dovecot");
  wait_for_state (account, POCHTA_ACCOUNT_STATE_OFFLINE, 30);

  /* Cached mail is still there while offline. */
  g_assert_cmpuint (pochta_folder_get_total_count (inbox), ==, 10);

  control ("start-dovecot");
  peer = pochta_test_imap_peer (user);
  service_test_append (peer, "INBOX", "while-we-were-away");

  /* Back by itself (backoff starts at a second), and in step again. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (pochta_folder_get_total_count (inbox) != 11)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  service_test_close (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  pochta_test_servers_get ();

  g_test_add_func ("/service/offline/actions-replay", test_offline_actions_replay);
  g_test_add_func ("/service/offline/server-gone-and-back", test_server_gone_and_back);

  return g_test_run ();
}
