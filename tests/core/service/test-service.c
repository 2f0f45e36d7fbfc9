/* test-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaService against the harness Dovecot and gnome-keyring: an account
 * added, synced, kept up to date by IDLE, refused logins and untrusted
 * certificates shown as account states, bodies on demand.
 */

#include "service-test-util.h"

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cache.db", NULL);
}

static void
new_mail_cb (PochtaService *service,
             PochtaAccount *account,
             gint64         message_id,
             gpointer       user_data)
{
  *(gint64 *) user_data = message_id;
}

static void
test_sync_and_idle (void)
{
  const char *user = "svc-idle";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cache_path ();
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(PochtaAccount) other = NULL;
  g_autofree char *other_password = NULL;
  g_autoptr(PochtaImapClient) peer = NULL;
  g_autoptr(GHashTable) server_flags = NULL;
  g_autoptr(GHashTable) cached_flags = NULL;
  g_autoptr(PochtaMessageSummary) arrived = NULL;
  PochtaFolder *inbox;
  gint64 new_mail = 0;
  gint64 deadline;

  g_assert_true (pochta_test_servers_add_user (user, 40, &error));
  g_assert_no_error (error);
  g_assert_true (pochta_test_servers_add_user ("svc-idle-other", 1, &error));
  g_assert_no_error (error);

  service = service_test_open (path);
  account = service_test_account (user);
  service_test_add (service, account, password);
  g_assert_cmpuint (g_list_model_get_n_items (pochta_service_get_accounts (service)), ==, 1);
  /* An account the session below must leave alone. */
  other = service_test_account ("svc-idle-other");
  other_password = pochta_test_servers_password ("svc-idle-other");
  service_test_add (service, other, other_password);

  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_ONLINE);

  /* Every special folder the harness makes, with its role. */
  inbox = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_INBOX);
  g_assert_nonnull (inbox);
  for (PochtaFolderRole role = POCHTA_FOLDER_ROLE_SENT; role <= POCHTA_FOLDER_ROLE_ARCHIVE; role++)
    g_assert_nonnull (pochta_service_find_folder_by_role (service, account, role));
  g_assert_true (pochta_service_find_folder (service, account, "inbox") == inbox);
  g_assert_cmpuint (pochta_folder_get_total_count (inbox), ==, 40);

  peer = pochta_test_imap_peer (user);
  server_flags = service_test_server_flags (peer, "INBOX");
  cached_flags = service_test_cached_flags (service, inbox);
  service_test_assert_same_flags (server_flags, cached_flags);

  /* Pushed: with the session started, mail APPENDed by another client
   * is in the cache within a second or two, without a sync call. */
  g_signal_connect (service, "new-mail", G_CALLBACK (new_mail_cb), &new_mail);
  pochta_service_start_account (service, account);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (pochta_folder_get_sync_state (inbox) != POCHTA_FOLDER_SYNC_STATE_SYNCED
         || pochta_account_get_state (account) != POCHTA_ACCOUNT_STATE_ONLINE)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Let the IDLE connection settle before the peer writes. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  service_test_append (peer, "INBOX", "pushed-by-idle");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (new_mail == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  arrived = pochta_service_get_message (service, new_mail, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pochta_message_summary_get_subject (arrived), ==, "pushed-by-idle");
  g_assert_cmpuint (pochta_folder_get_total_count (inbox), ==, 41);

  /* Only that account was started: the other never connected. */
  g_assert_cmpint (pochta_account_get_state (other), !=, POCHTA_ACCOUNT_STATE_ONLINE);
  g_assert_null (pochta_service_find_folder_by_role (service, other, POCHTA_FOLDER_ROLE_INBOX));

  service_test_close (service);
}

static void
test_wrong_password (void)
{
  const char *user = "svc-wrong";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cache_path ();
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_true (pochta_test_servers_add_user (user, 5, &error));

  service = service_test_open (path);
  account = service_test_account (user);
  service_test_add (service, account, "not-the-password");

  g_assert_false (service_test_sync (service, account, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_AUTH_FAILED);
  g_assert_nonnull (pochta_account_get_state_message (account));

  /* No loop: another sync does not try to log in again. */
  g_assert_false (service_test_sync (service, account, &error));
  g_assert_error (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_LOGIN_BLOCKED);
  g_clear_error (&error);

  /* The person types the right one: the account recovers. */
  RUN (result, pochta_service_set_password_async (service, account, password, NULL,
                                                  pochta_test_store_result, &result));
  pochta_service_set_password_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_ONLINE);

  service_test_close (service);
}

static void
test_untrusted_certificate (void)
{
  const char *user = "svc-cert";
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cache_path ();
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(PochtaService) reopened = NULL;
  PochtaCertificateInfo *info;
  PochtaAccount *again;

  g_assert_true (pochta_test_servers_add_user (user, 3, &error));

  service = service_test_open (path);
  account = service_test_account (user);
  pochta_server_config_set_pinned_fingerprint (pochta_account_get_incoming (account), NULL);
  service_test_add (service, account, password);

  g_assert_false (service_test_sync (service, account, &error));
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_CERTIFICATE);
  g_clear_error (&error);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_TLS_ERROR);
  info = pochta_account_get_certificate_info (account);
  g_assert_nonnull (info);
  g_assert_cmpstr (pochta_certificate_info_get_fingerprint (info), ==, servers->cert_sha256);

  g_assert_true (pochta_service_trust_certificate (service, account));
  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);

  /* The pin was saved with the account. */
  service_test_close (service);
  g_clear_object (&service);
  reopened = service_test_open (path);
  again = pochta_service_lookup_account (reopened, user);
  g_assert_nonnull (again);
  g_assert_cmpstr (pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (again)), ==,
                   servers->cert_sha256);
  service_test_close (reopened);
}

static void
test_body_on_demand (void)
{
  const char *user = "svc-body";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cache_path ();
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaService) service = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GListModel) messages = NULL;
  g_autoptr(PochtaMessageSummary) newest = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) again = NULL;
  PochtaFolder *inbox;

  g_assert_true (pochta_test_servers_add_user (user, 10, &error));

  service = service_test_open (path);
  account = service_test_account (user);
  service_test_add (service, account, password);
  g_assert_true (service_test_sync (service, account, &error));
  g_assert_no_error (error);

  inbox = pochta_service_find_folder_by_role (service, account, POCHTA_FOLDER_ROLE_INBOX);
  messages = pochta_service_get_messages (service, pochta_folder_get_id (inbox));
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 10);
  newest = g_list_model_get_item (messages, 0);
  g_assert_cmpint (pochta_message_summary_get_body_state (newest), ==, POCHTA_BODY_STATE_NONE);

  RUN (result, pochta_service_get_body_async (service, pochta_message_summary_get_id (newest), NULL,
                                              pochta_test_store_result, &result));
  body = pochta_service_get_body_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, pochta_message_summary_get_size (newest));

  /* Now cached: it comes back with the servers out of the picture. */
  service_test_close (service);
  g_clear_object (&service);
  service = service_test_open (path);
  RUN (result, pochta_service_get_body_async (service, pochta_message_summary_get_id (newest), NULL,
                                              pochta_test_store_result, &result));
  again = pochta_service_get_body_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, again));
  service_test_close (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  pochta_test_servers_get ();

  g_test_add_func ("/service/sync-and-idle", test_sync_and_idle);
  g_test_add_func ("/service/wrong-password", test_wrong_password);
  g_test_add_func ("/service/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/service/body-on-demand", test_body_on_demand);

  return g_test_run ();
}
