/* imap-client-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the PochtaImapClient tests share: a logged-in client on the harness
 * Dovecot, a fixture with a folder of the test's own, and small helpers.
 */

#pragma once

#include <string.h>

#include "pochta-imap-client.h"
#include "pochta-test-util.h"

#define WAIT_MS 20000

typedef struct
{
  PochtaImapClient *client;
  char             *folder;   /* unique per test, created in setup */
} Fixture;

/* Runs one async call to completion within WAIT_MS. */
#define RUN(result, call)                              \
  G_STMT_START {                                       \
    g_clear_object (&result);                          \
    call;                                              \
    pochta_test_wait_result (&result, WAIT_MS);        \
  } G_STMT_END

static G_GNUC_UNUSED char *
unique_name (const char *prefix)
{
  static guint counter;

  return g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%u", prefix, g_get_monotonic_time (), ++counter);
}

static G_GNUC_UNUSED PochtaImapClient *
open_client (PochtaTlsMode  mode,
             const char    *user,
             GError       **error)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *password = NULL;
  guint16 port = mode == POCHTA_TLS_MODE_IMPLICIT ? servers->imaps_port : servers->imap_port;

  connection = pochta_connection_new (servers->host, port, mode);
  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  client = pochta_imap_client_new (connection);

  RUN (result, pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result));
  if (!pochta_imap_client_connect_finish (client, result, error))
    return NULL;

  if (user == NULL)
    return g_steal_pointer (&client);

  password = pochta_test_servers_password (user);
  RUN (result, pochta_imap_client_login_async (client, user, password, NULL,
                                               pochta_test_store_result, &result));
  if (!pochta_imap_client_login_finish (client, result, error))
    return NULL;

  return g_steal_pointer (&client);
}

static G_GNUC_UNUSED PochtaImapClient *
open_logged_in (const char *user)
{
  g_autoptr(GError) error = NULL;
  PochtaImapClient *client = open_client (POCHTA_TLS_MODE_STARTTLS, user, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static G_GNUC_UNUSED void
create_folder (PochtaImapClient *client,
               const char       *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_imap_client_create_async (client, name, NULL, pochta_test_store_result, &result));
  pochta_imap_client_create_finish (client, result, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED void
delete_folder (PochtaImapClient *client,
               const char       *name)
{
  g_autoptr(GAsyncResult) result = NULL;

  RUN (result, pochta_imap_client_delete_async (client, name, NULL, pochta_test_store_result, &result));
  pochta_imap_client_delete_finish (client, result, NULL);
}

static G_GNUC_UNUSED PochtaImapMailboxState *
select_folder (PochtaImapClient      *client,
               const char            *name,
               PochtaImapSelectFlags  flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapMailboxState *state;

  RUN (result, pochta_imap_client_select_async (client, name, flags, 0, 0, NULL, NULL,
                                                pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
  return state;
}

static G_GNUC_UNUSED GBytes *
make_message (const char *subject,
              gsize       body_size)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text,
                          "From: Test <test@example.test>\r\n"
                          "To: Bob <bob@example.test>\r\n"
                          "Subject: %s\r\n"
                          "Message-ID: <%s@example.test>\r\n"
                          "Date: Mon, 2 Oct 2023 10:00:00 +0000\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n", subject, subject);
  for (gsize i = 0; text->len < body_size; i++)
    g_string_append_printf (text, "Line %" G_GSIZE_FORMAT " of the body, with some words.\r\n", i);

  return g_string_free_to_bytes (text);
}

static G_GNUC_UNUSED guint32
append_message (PochtaImapClient *client,
                const char       *folder,
                GBytes           *message)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uidvalidity = 0;
  guint32 uid = 0;

  RUN (result, pochta_imap_client_append_async (client, folder, NULL, NULL, message, NULL, 0, NULL,
                                                pochta_test_store_result, &result));
  pochta_imap_client_append_finish (client, result, &uidvalidity, &uid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, >, 0);
  g_assert_cmpuint (uid, >, 0);
  return uid;
}

static G_GNUC_UNUSED void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->client = open_logged_in (POCHTA_TEST_USER_BOB);
  fixture->folder = unique_name ("test");
  create_folder (fixture->client, fixture->folder);
}

static G_GNUC_UNUSED void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (pochta_imap_client_get_state (fixture->client) != POCHTA_IMAP_CLIENT_STATE_DISCONNECTED)
    {
      RUN (result, pochta_imap_client_unselect_async (fixture->client, NULL, pochta_test_store_result, &result));
      delete_folder (fixture->client, fixture->folder);
      RUN (result, pochta_imap_client_logout_async (fixture->client, NULL, pochta_test_store_result, &result));
      g_assert_true (pochta_imap_client_logout_finish (fixture->client, result, NULL));
    }

  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->folder, g_free);
}

static G_GNUC_UNUSED guint32
status_messages (PochtaImapClient *client,
                 const char       *folder)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxStatus) status = NULL;

  RUN (result, pochta_imap_client_status_async (client, folder,
                                                POCHTA_IMAP_STATUS_ITEM_MESSAGES |
                                                POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY,
                                                NULL, pochta_test_store_result, &result));
  status = pochta_imap_client_status_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (status->present & POCHTA_IMAP_STATUS_ITEM_MESSAGES);
  g_assert_cmpuint (status->uidvalidity, >, 0);
  return status->messages;
}
