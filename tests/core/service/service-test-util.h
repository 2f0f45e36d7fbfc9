/* service-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the service tests: an account on a harness user, a
 * service on a temporary cache, and a second IMAP connection that looks
 * at the server the way another mail client would.
 */

#pragma once

#include "pochta-test-util.h"

#define SERVICE_TEST_TIMEOUT_MS 60000

#define RUN(result, call) \
  G_STMT_START { g_clear_object (&(result)); call; pochta_test_wait_result (&(result), SERVICE_TEST_TIMEOUT_MS); } G_STMT_END

/* An account on @user over STARTTLS with the harness certificate pinned. */
static G_GNUC_UNUSED PochtaAccount *
service_test_account (const char *user)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", user, servers->mail_domain);
  PochtaAccount *account = pochta_account_new (user);
  g_autoptr(PochtaIdentity) identity = pochta_identity_new (user, address);
  PochtaServerConfig *incoming = pochta_account_get_incoming (account);

  pochta_account_add_identity (account, identity);
  pochta_server_config_set_host (incoming, servers->host);
  pochta_server_config_set_port (incoming, servers->imap_port);
  pochta_server_config_set_tls_mode (incoming, POCHTA_TLS_MODE_STARTTLS);
  pochta_server_config_set_user_name (incoming, user);
  pochta_server_config_set_pinned_fingerprint (incoming, servers->cert_sha256);
  pochta_account_set_body_days (account, POCHTA_ACCOUNT_BODY_DAYS_NONE);

  if (pochta_account_get_outgoing (account) != NULL)
    {
      PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);

      pochta_server_config_set_host (outgoing, servers->host);
      pochta_server_config_set_port (outgoing, servers->submission_port);
      pochta_server_config_set_tls_mode (outgoing, POCHTA_TLS_MODE_STARTTLS);
      pochta_server_config_set_user_name (outgoing, user);
      pochta_server_config_set_pinned_fingerprint (outgoing, servers->cert_sha256);
    }

  return account;
}

static G_GNUC_UNUSED PochtaService *
service_test_open (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaService *service;

  RUN (result, pochta_service_new_async (path, NULL, pochta_test_store_result, &result));
  service = pochta_service_new_finish (result, &error);
  g_assert_no_error (error);

  return service;
}

static G_GNUC_UNUSED void
service_test_close (PochtaService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_service_shutdown_async (service, NULL, pochta_test_store_result, &result));
  pochta_service_shutdown_finish (service, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED void
service_test_add (PochtaService *service,
                  PochtaAccount *account,
                  const char    *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_service_add_account_async (service, account, password, NULL, NULL,
                                                 pochta_test_store_result, &result));
  pochta_service_add_account_finish (service, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED gboolean
service_test_sync (PochtaService  *service,
                   PochtaAccount  *account,
                   GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  RUN (result, pochta_service_sync_async (service, account, POCHTA_SYNC_NONE, NULL,
                                          pochta_test_store_result, &result));
  return pochta_service_sync_finish (service, result, error);
}

static void
collect_flags_cb (PochtaImapClient      *client,
                  const PochtaImapFetch *fetch,
                  gpointer               user_data)
{
  GHashTable *flags = user_data;
  PochtaMessageFlags bits = 0;

  if (pochta_imap_fetch_has_flag (fetch, "\\Seen"))
    bits |= POCHTA_MESSAGE_FLAG_SEEN;
  if (pochta_imap_fetch_has_flag (fetch, "\\Flagged"))
    bits |= POCHTA_MESSAGE_FLAG_FLAGGED;
  if (pochta_imap_fetch_has_flag (fetch, "\\Deleted"))
    bits |= POCHTA_MESSAGE_FLAG_DELETED;
  if (pochta_imap_fetch_has_flag (fetch, "\\Answered"))
    bits |= POCHTA_MESSAGE_FLAG_ANSWERED;

  g_hash_table_insert (flags, GUINT_TO_POINTER (fetch->uid), GUINT_TO_POINTER (bits | 0x10000));
}

/* UID → flags (seen, flagged, deleted, answered; | 0x10000 so 0 is
 * "absent") of @mailbox as the server has them. */
static G_GNUC_UNUSED GHashTable *
service_test_server_flags (PochtaImapClient *peer,
                           const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_parse ("1:*", G_MAXUINT32, 4, NULL);
  g_autoptr(GPtrArray) fetched = NULL;
  GHashTable *flags = g_hash_table_new (NULL, NULL);

  RUN (result, pochta_imap_client_select_async (peer, mailbox, POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                                NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (peer, result, &error);
  g_assert_no_error (error);
  if (state->exists == 0)
    return flags;

  RUN (result, pochta_imap_client_uid_fetch_async (peer, all, "(UID FLAGS)", 0, FALSE, collect_flags_cb,
                                                   flags, NULL, NULL, pochta_test_store_result, &result));
  fetched = pochta_imap_client_uid_fetch_finish (peer, result, NULL, &error);
  g_assert_no_error (error);

  return flags;
}

/* The same map from the cache, through the service's model. */
static G_GNUC_UNUSED GHashTable *
service_test_cached_flags (PochtaService *service,
                           PochtaFolder  *folder)
{
  g_autoptr(GListModel) messages = pochta_service_get_messages (service, pochta_folder_get_id (folder));
  GHashTable *flags = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (messages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (messages, i);
      guint bits = pochta_message_summary_get_flags (summary)
                   & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_FLAGGED
                      | POCHTA_MESSAGE_FLAG_DELETED | POCHTA_MESSAGE_FLAG_ANSWERED);

      g_hash_table_insert (flags, GUINT_TO_POINTER (pochta_message_summary_get_uid (summary)),
                           GUINT_TO_POINTER (bits | 0x10000));
    }

  return flags;
}

static G_GNUC_UNUSED void
service_test_assert_same_flags (GHashTable *server,
                                GHashTable *cached)
{
  GHashTableIter iter;
  gpointer uid, bits;

  g_hash_table_iter_init (&iter, server);
  while (g_hash_table_iter_next (&iter, &uid, &bits))
    {
      gpointer cached_bits = g_hash_table_lookup (cached, uid);

      if (cached_bits != bits)
        g_error ("UID %u: server flags %x, cache %x", GPOINTER_TO_UINT (uid),
                 GPOINTER_TO_UINT (bits), GPOINTER_TO_UINT (cached_bits));
    }
  g_assert_cmpuint (g_hash_table_size (cached), ==, g_hash_table_size (server));
}

static G_GNUC_UNUSED void
service_test_append (PochtaImapClient *peer,
                     const char       *mailbox,
                     const char       *subject)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: Peer <peer@example.test>\r\n"
                                           "To: someone@example.test\r\n"
                                           "Subject: %s\r\n"
                                           "Message-ID: <%s@peer.example.test>\r\n"
                                           "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                                           "\r\n"
                                           "Body of %s.\r\n", subject, subject, subject);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  RUN (result, pochta_imap_client_append_async (peer, mailbox, NULL, NULL, bytes, NULL, 0, NULL,
                                                pochta_test_store_result, &result));
  pochta_imap_client_append_finish (peer, result, NULL, NULL, &error);
  g_assert_no_error (error);
}
