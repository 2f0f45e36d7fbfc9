/* test-account-repository.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts saved in the store and loaded back: every field, updates by id, order, removal.
 */

#include "config.h"

#include "pochta-test-util.h"

#define TIMEOUT_MS 60000

#define PIN_IN  "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
#define PIN_OUT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static PochtaStore *
open_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaStore *store;

  pochta_store_open_async (NULL, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  store = pochta_store_open_finish (result, &error);
  g_assert_no_error (error);

  return store;
}

static void
close_store (PochtaStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_store_close_async (store, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_store_close_finish (store, result, &error);
  g_assert_no_error (error);
  g_object_unref (store);
}

static gint64
save (PochtaStore   *store,
      PochtaAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  pochta_account_repository_save_async (store, account, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  id = pochta_account_repository_save_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gboolean
remove_account (PochtaStore    *store,
                PochtaAccount  *account,
                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_account_repository_remove_async (store, account, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);

  return pochta_account_repository_remove_finish (store, result, error);
}

static GPtrArray *
load (PochtaStore  *store,
      GArray      **ids)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = pochta_account_repository_load (store, ids, &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);
  if (ids != NULL)
    g_assert_cmpuint ((*ids)->len, ==, accounts->len);

  return accounts;
}

/* Every configured field, compared through the account's own a{sv} form
 * (which holds them all), so a field added later is covered too. */
static void
assert_same_account (PochtaAccount *a,
                     PochtaAccount *b)
{
  g_autoptr(GVariant) va = g_variant_ref_sink (pochta_account_to_variant (a));
  g_autoptr(GVariant) vb = g_variant_ref_sink (pochta_account_to_variant (b));
  g_autofree char *sa = g_variant_print (va, TRUE);
  g_autofree char *sb = g_variant_print (vb, TRUE);

  g_assert_cmpstr (sa, ==, sb);
  g_assert_true (g_variant_equal (va, vb));
}

static gint64
count (PochtaStore *store,
       const char  *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  pochta_sqlite_query_int64 (pochta_store_get_reader (store), sql, &value, &error);
  g_assert_no_error (error);

  return value;
}

static PochtaAccount *
make_full_account (void)
{
  static const char * const folders[] = { "INBOX", "Work/Reports", "Входящие 'в кавычках' [1]", NULL };
  g_autoptr(PochtaAccount) account = pochta_account_new ("Работа");
  g_autoptr(PochtaIdentity) first = pochta_identity_new ("Alice Liddell", "alice@example.org");
  g_autoptr(PochtaIdentity) second = pochta_identity_new ("Алиса", "alisa@example.org");
  PochtaServerConfig *in = pochta_account_get_incoming (account);
  PochtaServerConfig *out = pochta_account_get_outgoing (account);

  pochta_server_config_set_host (in, "imap.example.org");
  pochta_server_config_set_port (in, 1993);
  pochta_server_config_set_tls_mode (in, POCHTA_TLS_MODE_STARTTLS);
  pochta_server_config_set_user_name (in, "alice");
  pochta_server_config_set_auth_mechanism (in, POCHTA_AUTH_MECHANISM_PLAIN);
  pochta_server_config_set_pinned_fingerprint (in, PIN_IN);

  pochta_server_config_set_host (out, "smtp.example.org");
  pochta_server_config_set_port (out, 2525);
  pochta_server_config_set_tls_mode (out, POCHTA_TLS_MODE_NONE);
  pochta_server_config_set_user_name (out, "alice-smtp");
  pochta_server_config_set_auth_mechanism (out, POCHTA_AUTH_MECHANISM_LOGIN);
  pochta_server_config_set_pinned_fingerprint (out, PIN_OUT);
  pochta_server_config_set_allow_insecure (out, TRUE);

  pochta_account_set_sync_folders (account, POCHTA_SYNC_FOLDERS_LIST);
  pochta_account_set_sync_folder_list (account, folders);
  pochta_account_set_poll_interval (account, 120);
  pochta_account_set_body_days (account, POCHTA_ACCOUNT_BODY_DAYS_ALL);
  pochta_account_set_body_size_limit (account, G_GUINT64_CONSTANT (5) << 30);

  pochta_identity_set_reply_to (first, "replies@example.org");
  pochta_identity_set_signature (first, "-- \nAlice\nExample Org");
  pochta_identity_set_signature (second, "Алиса");
  pochta_account_add_identity (account, first);
  pochta_account_add_identity (account, second);
  pochta_identity_set_is_default (second, TRUE);

  return g_steal_pointer (&account);
}

static PochtaAccount *
make_pop3_account (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Home");
  g_autoptr(PochtaIdentity) identity = pochta_identity_new (NULL, "bob@example.net");
  PochtaServerConfig *in = pochta_account_get_incoming (account);

  pochta_server_config_set_protocol (in, POCHTA_SERVER_PROTOCOL_POP3);
  pochta_server_config_set_host (in, "pop.example.net");
  pochta_server_config_set_port (in, 995);
  pochta_server_config_set_user_name (in, "bob");
  pochta_server_config_set_auth_mechanism (in, POCHTA_AUTH_MECHANISM_APOP);
  pochta_server_config_set_allow_insecure (in, TRUE);
  pochta_account_set_sync_folders (account, POCHTA_SYNC_FOLDERS_SUBSCRIBED);
  pochta_account_set_body_days (account, POCHTA_ACCOUNT_BODY_DAYS_NONE);
  pochta_account_set_body_size_limit (account, 0);
  pochta_account_set_poll_interval (account, 0);
  pochta_account_add_identity (account, identity);

  return g_steal_pointer (&account);
}

static void
test_round_trip (void)
{
  g_autoptr(PochtaAccount) account = make_full_account ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;
  PochtaAccount *loaded;
  PochtaStore *store;
  gint64 id;

  g_test_summary ("Every configured field of an account, its identities and pins survive a new connection");

  store = open_store ();
  id = save (store, account);
  close_store (store);

  store = open_store ();
  accounts = load (store, &ids);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, id);
  loaded = g_ptr_array_index (accounts, 0);
  assert_same_account (loaded, account);

  /* The comparison above covers these; they are spelled out because they
   * are the ones a silent truncation would hit. */
  g_assert_cmpstr (pochta_account_get_id (loaded), ==, pochta_account_get_id (account));
  g_assert_cmpstr (pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (loaded)), ==,
                   pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (account)));
  g_assert_nonnull (pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (loaded)));
  g_assert_cmpuint (pochta_account_get_body_days (loaded), ==, POCHTA_ACCOUNT_BODY_DAYS_ALL);
  g_assert_cmpuint (pochta_account_get_body_size_limit (loaded), ==, G_GUINT64_CONSTANT (5) << 30);
  g_assert_cmpuint (g_list_model_get_n_items (pochta_account_get_identities (loaded)), ==, 2);
  g_assert_cmpstr (pochta_identity_get_address (pochta_account_get_default_identity (loaded)), ==,
                   "alisa@example.org");
  g_assert_cmpint (pochta_account_get_state (loaded), ==, POCHTA_ACCOUNT_STATE_OFFLINE);

  close_store (store);
}

static void
test_same_connection (void)
{
  g_autoptr(PochtaAccount) account = make_pop3_account ();
  g_autoptr(GPtrArray) accounts = NULL;
  PochtaStore *store;

  g_test_summary ("A saved account is visible to the same connection's reader once saved");

  store = open_store ();
  save (store, account);
  accounts = load (store, NULL);
  g_assert_cmpuint (accounts->len, ==, 1);
  assert_same_account (g_ptr_array_index (accounts, 0), account);
  close_store (store);
}

static void
test_update (void)
{
  g_autoptr(PochtaAccount) account = make_full_account ();
  g_autoptr(PochtaAccount) other = make_pop3_account ();
  g_autoptr(PochtaIdentity) third = pochta_identity_new ("Third", "third@example.org");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;
  PochtaIdentity *first;
  PochtaStore *store;
  gint64 id, other_id;

  g_test_summary ("Saving again updates the same row by id, replaces the identities and keeps the order");

  store = open_store ();
  id = save (store, account);
  other_id = save (store, other);
  g_assert_cmpint (other_id, !=, id);

  pochta_account_set_display_name (account, "Renamed");
  pochta_server_config_set_pinned_fingerprint (pochta_account_get_incoming (account), PIN_OUT);
  pochta_server_config_set_pinned_fingerprint (pochta_account_get_outgoing (account), NULL);
  pochta_server_config_set_host (pochta_account_get_outgoing (account), "");
  pochta_account_set_sync_folder_list (account, NULL);
  first = pochta_account_get_default_identity (account);
  pochta_account_remove_identity (account, first);
  pochta_account_add_identity (account, third);
  pochta_identity_set_is_default (third, TRUE);
  g_assert_cmpint (save (store, account), ==, id);
  close_store (store);

  store = open_store ();
  accounts = load (store, &ids);
  g_assert_cmpuint (accounts->len, ==, 2);
  /* The first saved stays first although it was saved last. */
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, id);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, other_id);
  assert_same_account (g_ptr_array_index (accounts, 0), account);
  assert_same_account (g_ptr_array_index (accounts, 1), other);
  g_assert_cmpstr (pochta_account_get_display_name (g_ptr_array_index (accounts, 0)), ==, "Renamed");
  g_assert_cmpint (count (store, "SELECT count(*) FROM accounts"), ==, 2);
  g_assert_cmpint (count (store, "SELECT count(*) FROM identities"), ==, 3);
  close_store (store);
}

static void
test_remove (void)
{
  g_autoptr(PochtaAccount) account = make_full_account ();
  g_autoptr(PochtaAccount) other = make_pop3_account ();
  g_autoptr(PochtaAccount) never_saved = pochta_account_new ("Never");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaFolderRecord *folder = pochta_folder_record_new ();
  PochtaStore *store;
  gint64 id;

  g_test_summary ("Removing an account deletes its rows and what hangs off them, and nothing else");

  store = open_store ();
  id = save (store, account);
  save (store, other);

  folder->account_id = id;
  folder->raw_name = g_strdup ("INBOX");
  folder->role = POCHTA_FOLDER_ROLE_INBOX;
  pochta_store_upsert_folder_async (store, folder, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_store_upsert_folder_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  pochta_store_enqueue_pending_op_async (store, id, "flag", "x", NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, TIMEOUT_MS);
  pochta_store_enqueue_pending_op_finish (store, result, &error);
  g_assert_no_error (error);

  g_assert_true (remove_account (store, account, &error));
  g_assert_no_error (error);

  g_assert_false (remove_account (store, never_saved, &error));
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  close_store (store);

  store = open_store ();
  accounts = load (store, NULL);
  g_assert_cmpuint (accounts->len, ==, 1);
  assert_same_account (g_ptr_array_index (accounts, 0), other);
  g_assert_cmpint (count (store, "SELECT count(*) FROM identities"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM folders"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM pending_ops"), ==, 0);

  /* Saved again after removal, it is a new row. */
  g_assert_cmpint (save (store, account), !=, id);
  close_store (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/service/account-repository/round-trip", test_round_trip);
  g_test_add_func ("/core/service/account-repository/same-connection", test_same_connection);
  g_test_add_func ("/core/service/account-repository/update", test_update);
  g_test_add_func ("/core/service/account-repository/remove", test_remove);

  return g_test_run ();
}
