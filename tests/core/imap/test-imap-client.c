/* test-imap-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaImapClient against the harness's real Dovecot: connecting, logging in,
 * the session and mailbox commands, pipelining, cancelling and COMPRESS.
 * The message commands are in test-imap-client-messages.c.
 */

#include "config.h"

#include "imap-client-test-util.h"

static void
test_connect_starttls (void)
{
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = open_client (POCHTA_TLS_MODE_STARTTLS, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pochta_connection_is_encrypted (pochta_imap_client_get_connection (client)));
  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED);
  g_assert_true (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_IMAP4REV1));
  /* Asked again after TLS: STARTTLS is no longer offered. */
  g_assert_false (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_STARTTLS));
  g_assert_nonnull (pochta_imap_client_get_greeting (client));
}

static void
test_connect_implicit_tls (void)
{
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = open_client (POCHTA_TLS_MODE_IMPLICIT, POCHTA_TEST_USER_CAROL, &error);
  g_assert_no_error (error);
  g_assert_true (pochta_connection_is_encrypted (pochta_imap_client_get_connection (client)));
  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);
}

static void
test_login_plain (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_CAROL);

  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);
  /* Refreshed after login: Dovecot announces its extensions only now. */
  g_assert_true (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_IDLE));
  g_assert_true (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_MOVE));
}

static void
test_login_wrong_password (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  connection = pochta_connection_new (servers->host, servers->imaps_port, POCHTA_TLS_MODE_IMPLICIT);
  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  client = pochta_imap_client_new (connection);
  RUN (result, pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_connect_finish (client, result, NULL));

  RUN (result, pochta_imap_client_login_async (client, "carol", "wrong", NULL,
                                               pochta_test_store_result, &result));
  g_assert_false (pochta_imap_client_login_finish (client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_AUTH_FAILED);
  code = pochta_imap_client_error_get_code (error);
  g_assert_cmpstr (code, ==, "AUTHENTICATIONFAILED");
  g_test_message ("server said: %s", error->message);
  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED);
}

static void
test_login_refuses_plaintext (void)
{
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client = open_client (POCHTA_TLS_MODE_NONE, NULL, &error);
  g_assert_no_error (error);

  RUN (result, pochta_imap_client_login_async (client, "carol", "carol-secret", NULL,
                                               pochta_test_store_result, &result));
  g_assert_false (pochta_imap_client_login_finish (client, result, &error));
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY);
  g_clear_error (&error);

  /* Told it may, it sends LOGIN in clear (Dovecot trusts loopback). */
  pochta_imap_client_set_allow_plaintext_auth (client, TRUE);
  RUN (result, pochta_imap_client_login_async (client, "carol", "carol-secret", NULL,
                                               pochta_test_store_result, &result));
  pochta_imap_client_login_finish (client, result, &error);
  g_assert_no_error (error);
}

static void
test_session_commands (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_CAROL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ours = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) theirs = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(PochtaImapNamespaces) namespaces = NULL;
  const char *extensions[] = { "CONDSTORE", "QRESYNC", NULL };

  RUN (result, pochta_imap_client_capability_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_capability_finish (client, result, &error));
  g_assert_true (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_ENABLE));

  g_hash_table_insert (ours, "name", "Pochta");
  g_hash_table_insert (ours, "version", "test");
  RUN (result, pochta_imap_client_id_async (client, ours, NULL, pochta_test_store_result, &result));
  theirs = pochta_imap_client_id_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (theirs, "name"), ==, "Dovecot");

  RUN (result, pochta_imap_client_enable_async (client, extensions, NULL, pochta_test_store_result, &result));
  enabled = pochta_imap_client_enable_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *)enabled, "QRESYNC"));

  RUN (result, pochta_imap_client_namespace_async (client, NULL, pochta_test_store_result, &result));
  namespaces = pochta_imap_client_namespace_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (namespaces->personal->len, ==, 1);
  g_assert_cmpint (((PochtaImapNamespace *)g_ptr_array_index (namespaces->personal, 0))->delimiter, ==, '/');

  RUN (result, pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_noop_finish (client, result, &error));
}

static const PochtaImapMailboxInfo *
find_mailbox (GPtrArray  *list,
              const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      const PochtaImapMailboxInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }

  return NULL;
}

static GPtrArray *
list_all (PochtaImapClient  *client,
          GPtrArray        **statuses)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  RUN (result, pochta_imap_client_list_async (client, "", "*",
                                              POCHTA_IMAP_STATUS_ITEM_MESSAGES | POCHTA_IMAP_STATUS_ITEM_UIDNEXT,
                                              NULL, pochta_test_store_result, &result));
  list = pochta_imap_client_list_finish (client, result, statuses, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
test_list_special_use (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_CAROL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  struct { const char *name; PochtaImapMailboxRole role; } expected[] = {
    { "INBOX", POCHTA_IMAP_MAILBOX_ROLE_INBOX },
    { "Drafts", POCHTA_IMAP_MAILBOX_ROLE_DRAFTS },
    { "Sent", POCHTA_IMAP_MAILBOX_ROLE_SENT },
    { "Trash", POCHTA_IMAP_MAILBOX_ROLE_TRASH },
    { "Junk", POCHTA_IMAP_MAILBOX_ROLE_JUNK },
    { "Archive", POCHTA_IMAP_MAILBOX_ROLE_ARCHIVE },
  };

  list = list_all (client, &statuses);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const PochtaImapMailboxInfo *info = find_mailbox (list, expected[i].name);

      g_assert_nonnull (info);
      g_assert_cmpint (info->role, ==, expected[i].role);
      g_assert_cmpint (info->delimiter, ==, '/');
    }

  /* Dovecot has LIST-STATUS: each mailbox came with its counts. */
  g_assert_nonnull (statuses);
  g_assert_cmpuint (statuses->len, >=, G_N_ELEMENTS (expected));
}

static void
test_folders_i18n (Fixture       *fixture,
                   gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autofree char *stamp = unique_name ("");
  g_autofree char *cyrillic = g_strconcat ("Папка", stamp, NULL);
  g_autofree char *japanese = g_strconcat ("フォルダ", stamp, NULL);
  g_autofree char *renamed = g_strconcat ("Переименовано 日本", stamp, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  create_folder (client, cyrillic);
  create_folder (client, japanese);
  list = list_all (client, NULL);
  g_assert_nonnull (find_mailbox (list, cyrillic));
  g_assert_nonnull (find_mailbox (list, japanese));
  g_clear_pointer (&list, g_ptr_array_unref);

  RUN (result, pochta_imap_client_rename_async (client, cyrillic, renamed, NULL,
                                                pochta_test_store_result, &result));
  pochta_imap_client_rename_finish (client, result, &error);
  g_assert_no_error (error);

  RUN (result, pochta_imap_client_subscribe_async (client, renamed, TRUE, NULL,
                                                   pochta_test_store_result, &result));
  pochta_imap_client_subscribe_finish (client, result, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_subscribe_async (client, renamed, FALSE, NULL,
                                                   pochta_test_store_result, &result));
  pochta_imap_client_subscribe_finish (client, result, &error);
  g_assert_no_error (error);

  list = list_all (client, NULL);
  g_assert_null (find_mailbox (list, cyrillic));
  g_assert_nonnull (find_mailbox (list, renamed));
  g_clear_pointer (&list, g_ptr_array_unref);

  delete_folder (client, renamed);
  delete_folder (client, japanese);
  list = list_all (client, NULL);
  g_assert_null (find_mailbox (list, renamed));
  g_assert_null (find_mailbox (list, japanese));
}


static void
count_fetch (PochtaImapClient      *client,
             const PochtaImapFetch *fetch,
             gpointer               user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (fetch->uid, >, 0);
  (*count)++;
}

static void
test_select_fetch_headers (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_ALICE);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapMailboxState) examined = NULL;
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  guint32 messages;
  guint counted = 0;
  guint subjects = 0;

  messages = status_messages (client, "INBOX");
  g_assert_cmpuint (messages, >=, 100);

  examined = select_folder (client, "INBOX", POCHTA_IMAP_SELECT_READ_ONLY);
  g_assert_true (examined->read_only);
  state = select_folder (client, "INBOX", POCHTA_IMAP_SELECT_CONDSTORE);
  g_assert_false (state->read_only);
  g_assert_cmpuint (state->exists, ==, messages);
  g_assert_cmpuint (state->uidvalidity, >, 0);
  g_assert_cmpuint (state->uidnext, >, messages);
  g_assert_cmpuint (state->highestmodseq, >, 0);
  g_assert_nonnull (state->flags);
  g_assert_true (g_strv_contains ((const char * const *)state->permanent_flags, "\\Seen"));
  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_SELECTED);

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  RUN (result, pochta_imap_client_uid_fetch_async (client, all,
                                                   "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE",
                                                   0, FALSE, NULL, NULL, NULL, NULL,
                                                   pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetches->len, ==, messages);
  for (guint i = 0; i < fetches->len; i++)
    {
      const PochtaImapFetch *fetch = g_ptr_array_index (fetches, i);

      g_assert_nonnull (fetch->envelope);
      g_assert_nonnull (fetch->body_structure);
      g_assert_cmpuint (fetch->rfc822_size, >, 0);
      if (fetch->envelope->subject != NULL && g_utf8_validate (fetch->envelope->subject, -1, NULL) &&
          strstr (fetch->envelope->subject, "=?") == NULL)
        subjects++;
    }
  g_assert_cmpuint (subjects, ==, messages);

  /* The same, one message at a time, as the sync engine batches them. */
  RUN (result, pochta_imap_client_uid_fetch_async (client, all, "UID FLAGS", 0, FALSE,
                                                   count_fetch, &counted, NULL, NULL,
                                                   pochta_test_store_result, &result));
  g_clear_pointer (&fetches, g_ptr_array_unref);
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetches->len, ==, 0);
  g_assert_cmpuint (counted, ==, messages);

  RUN (result, pochta_imap_client_uid_search_async (client, "ALL", NULL, pochta_test_store_result, &result));
  found = pochta_imap_client_uid_search_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_imap_sequence_set_count (found), ==, messages);
}

static void
test_pipelining (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_CAROL);
  GAsyncResult *results[20] = { NULL, };
  const char *folders[] = { "INBOX", "Drafts", "Sent", "Trash", "Junk" };

  /* All in flight at once, each with its own tag and answer. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    pochta_imap_client_status_async (client, folders[i % G_N_ELEMENTS (folders)],
                                     POCHTA_IMAP_STATUS_ITEM_MESSAGES, NULL,
                                     pochta_test_store_result, &results[i]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(PochtaImapMailboxStatus) status = NULL;
      g_autoptr(GError) error = NULL;

      pochta_test_wait_result (&results[i], WAIT_MS);
      status = pochta_imap_client_status_finish (client, results[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (status->mailbox, ==, folders[i % G_N_ELEMENTS (folders)]);
      g_clear_object (&results[i]);
    }
}

static void
test_compress (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_ALICE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(GPtrArray) fetches = NULL;

  g_assert_true (pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE));
  RUN (result, pochta_imap_client_compress_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_compress_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (pochta_imap_client_is_compressed (client));

  list = list_all (client, NULL);
  g_assert_nonnull (find_mailbox (list, "INBOX"));
  state = select_folder (client, "INBOX", POCHTA_IMAP_SELECT_READ_ONLY);
  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  RUN (result, pochta_imap_client_uid_fetch_async (client, all, "UID ENVELOPE", 0, FALSE, NULL, NULL, NULL,
                                                   NULL, pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetches->len, ==, state->exists);
}

static void
test_cancel_queued (void)
{
  g_autoptr(PochtaImapClient) client = open_logged_in (POCHTA_TEST_USER_CAROL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;

  pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &first);
  pochta_imap_client_noop_async (client, cancellable, pochta_test_store_result, &second);
  g_cancellable_cancel (cancellable);
  pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &third);

  pochta_test_wait_result (&second, WAIT_MS);
  g_assert_false (pochta_imap_client_noop_finish (client, second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  pochta_test_wait_result (&first, WAIT_MS);
  pochta_test_wait_result (&third, WAIT_MS);
  g_assert_true (pochta_imap_client_noop_finish (client, first, NULL));
  g_assert_true (pochta_imap_client_noop_finish (client, third, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/imap/client/connect-starttls", test_connect_starttls);
  g_test_add_func ("/core/imap/client/connect-implicit-tls", test_connect_implicit_tls);
  g_test_add_func ("/core/imap/client/login-plain", test_login_plain);
  g_test_add_func ("/core/imap/client/login-wrong-password", test_login_wrong_password);
  g_test_add_func ("/core/imap/client/login-refuses-plaintext", test_login_refuses_plaintext);
  g_test_add_func ("/core/imap/client/session-commands", test_session_commands);
  g_test_add_func ("/core/imap/client/list-special-use", test_list_special_use);
  g_test_add_func ("/core/imap/client/select-fetch-headers", test_select_fetch_headers);
  g_test_add_func ("/core/imap/client/pipelining", test_pipelining);
  g_test_add_func ("/core/imap/client/cancel-queued", test_cancel_queued);
  g_test_add_func ("/core/imap/client/compress", test_compress);
  g_test_add ("/core/imap/client/folders-i18n", Fixture, NULL, fixture_setup, test_folders_i18n, fixture_teardown);

  return g_test_run ();
}
