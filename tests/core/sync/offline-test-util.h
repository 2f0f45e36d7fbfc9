/* offline-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the offline queue's tests: a cache filled from a real Dovecot
 * user with a separate IMAP fetch, clients on the plain port, and what the
 * server and the cache hold, printed the same way so they can be compared.
 */

#pragma once

#include <string.h>

#include "../store/store-test-util.h"
#include "pochta-test-util.h"

#define OFFLINE_WAIT_MS 30000

/* Runs one async call to completion. */
#define RUN(result, call)                                  \
  G_STMT_START {                                           \
    g_clear_object (&result);                              \
    call;                                                  \
    pochta_test_wait_result (&result, OFFLINE_WAIT_MS);    \
  } G_STMT_END

/* The flags both sides keep; \Recent and keywords are the server's own. */
#define OFFLINE_TEST_FLAGS (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_ANSWERED | \
                            POCHTA_MESSAGE_FLAG_FLAGGED | POCHTA_MESSAGE_FLAG_DELETED | \
                            POCHTA_MESSAGE_FLAG_DRAFT)

static G_GNUC_UNUSED int
offline_test_compare_lines (gconstpointer a,
                            gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static G_GNUC_UNUSED PochtaImapClient *
offline_test_connect (guint16      port,
                      const char  *user,
                      GError     **error)
{
  g_autoptr(PochtaConnection) connection = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *password = NULL;

  connection = pochta_connection_new ("127.0.0.1", port, POCHTA_TLS_MODE_NONE);
  pochta_connection_set_connect_timeout (connection, 10);
  client = pochta_imap_client_new (connection);
  pochta_imap_client_set_allow_plaintext_auth (client, TRUE);
  pochta_imap_client_set_command_timeout (client, 20);

  RUN (result, pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result));
  if (!pochta_imap_client_connect_finish (client, result, error))
    return NULL;
  if (user == NULL)
    return g_steal_pointer (&client);

  password = pochta_test_servers_password (user);
  RUN (result, pochta_imap_client_login_async (client, user, password, NULL, pochta_test_store_result, &result));
  if (!pochta_imap_client_login_finish (client, result, error))
    return NULL;

  return g_steal_pointer (&client);
}

/* Dovecot looks at its passwd-file at most once a second, so a user that
 * another test process added in the same second may not be known yet. */
static G_GNUC_UNUSED PochtaImapClient *
offline_test_login (const char *user)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) error = NULL;
      PochtaImapClient *client = offline_test_connect (pochta_test_servers_get ()->imap_port, user, &error);

      if (attempt < 5 && g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_AUTH_FAILED))
        {
          g_test_message ("Login as %s refused, trying again: %s", user, error->message);
          g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
          continue;
        }
      g_assert_no_error (error);
      g_assert_nonnull (client);

      return client;
    }
}

static G_GNUC_UNUSED PochtaImapMailboxState *
offline_test_select (PochtaImapClient *client,
                     const char       *name,
                     gboolean          read_only)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapMailboxState *state;

  RUN (result, pochta_imap_client_select_async (client, name, read_only ? POCHTA_IMAP_SELECT_READ_ONLY : 0,
                                                0, 0, NULL, NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);

  return state;
}

static G_GNUC_UNUSED PochtaMessageFlags
offline_test_flags (const PochtaImapFetch *fetch)
{
  static const struct { const char *name; PochtaMessageFlags flag; } names[] = {
    { "\\Seen", POCHTA_MESSAGE_FLAG_SEEN },
    { "\\Answered", POCHTA_MESSAGE_FLAG_ANSWERED },
    { "\\Flagged", POCHTA_MESSAGE_FLAG_FLAGGED },
    { "\\Deleted", POCHTA_MESSAGE_FLAG_DELETED },
    { "\\Draft", POCHTA_MESSAGE_FLAG_DRAFT },
  };
  PochtaMessageFlags flags = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (pochta_imap_fetch_has_flag (fetch, names[i].name))
      flags |= names[i].flag;

  return flags;
}

/* All messages of @name, as the server has them. */
static G_GNUC_UNUSED GPtrArray *
offline_test_fetch (PochtaImapClient *client,
                    const char       *name,
                    guint32          *uidvalidity,
                    guint32          *uidnext)
{
  g_autoptr(PochtaImapMailboxState) state = offline_test_select (client, name, TRUE);
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fetches;

  if (uidvalidity != NULL)
    *uidvalidity = state->uidvalidity;
  if (uidnext != NULL)
    *uidnext = state->uidnext;
  if (state->exists == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_fetch_free);

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  RUN (result, pochta_imap_client_uid_fetch_async (client, all, "UID FLAGS ENVELOPE INTERNALDATE RFC822.SIZE",
                                                   0, FALSE, NULL, NULL, NULL, NULL,
                                                   pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);

  return fetches;
}

/* "<message-id> uid flags" per message, sorted: the server side. */
static G_GNUC_UNUSED char *
offline_test_server_state (PochtaImapClient *client,
                           const char       *name)
{
  g_autoptr(GPtrArray) fetches = offline_test_fetch (client, name, NULL, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fetches->len; i++)
    {
      const PochtaImapFetch *fetch = g_ptr_array_index (fetches, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s %u %u",
                                               fetch->envelope != NULL ? fetch->envelope->message_id : "-",
                                               fetch->uid, offline_test_flags (fetch)));
    }
  g_ptr_array_sort (lines, offline_test_compare_lines);
  g_ptr_array_add (lines, NULL);

  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* The same for the cache's rows of the folder called @raw_name. */
static G_GNUC_UNUSED char *
offline_test_cache_state (PochtaStore *store,
                          gint64       account_id,
                          const char  *raw_name)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  PochtaSqlite *db = pochta_store_get_reader (store);

  stmt = pochta_sqlite_prepare (db,
    "SELECT m.message_id, m.uid, m.flags FROM messages m JOIN folders f ON f.id = m.folder_id"
    " WHERE f.account_id = ?1 AND f.raw_name = ?2", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_int64 (stmt, 1, account_id);
  pochta_sqlite_bind_text (stmt, 2, raw_name);
  while (pochta_sqlite_step (db, stmt, &error) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT " %u",
                                             pochta_sqlite_column_text (stmt, 0),
                                             (gint64) sqlite3_column_int64 (stmt, 1),
                                             (guint) sqlite3_column_int64 (stmt, 2) & OFFLINE_TEST_FLAGS));
  g_assert_no_error (error);
  g_ptr_array_sort (lines, offline_test_compare_lines);
  g_ptr_array_add (lines, NULL);

  return g_strjoinv ("\n", (char **) lines->pdata);
}

static G_GNUC_UNUSED gint64
offline_test_add_folder (PochtaStore      *store,
                         gint64            account_id,
                         const char       *raw_name,
                         PochtaFolderRole  role)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaFolderRecord *record = pochta_folder_record_new ();
  gint64 id;

  record->account_id = account_id;
  record->raw_name = g_strdup (raw_name);
  record->name = g_strdup (raw_name);
  record->delimiter = g_strdup ("/");
  record->role = role;
  record->subscribed = TRUE;
  pochta_store_upsert_folder_async (store, record, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, OFFLINE_WAIT_MS);
  id = pochta_store_upsert_folder_finish (store, result, &error);
  g_assert_no_error (error);

  return id;
}

/* What a header sync would write: the folder's rows and its UIDVALIDITY. */
static G_GNUC_UNUSED void
offline_test_cache_folder (PochtaStore      *store,
                           PochtaImapClient *client,
                           gint64            folder_id,
                           const char       *name)
{
  g_autoptr(GPtrArray) fetches = NULL;
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uidvalidity, uidnext;

  fetches = offline_test_fetch (client, name, &uidvalidity, &uidnext);
  for (guint i = 0; i < fetches->len; i++)
    {
      const PochtaImapFetch *fetch = g_ptr_array_index (fetches, i);
      PochtaMessageRecord *record = pochta_message_record_new ();

      record->uid = fetch->uid;
      record->flags = offline_test_flags (fetch);
      record->internal_date = fetch->internaldate != NULL ? g_date_time_to_unix (fetch->internaldate) : 0;
      record->size = fetch->rfc822_size;
      if (fetch->envelope != NULL)
        {
          record->subject = g_strdup (fetch->envelope->subject);
          record->message_id = g_strdup (fetch->envelope->message_id);
        }
      g_ptr_array_add (records, record);
    }

  if (records->len > 0)
    {
      g_assert_true (store_test_add_records (store, folder_id, records, &error));
      g_assert_no_error (error);
    }

  RUN (result, pochta_store_set_folder_sync_state_async (store, folder_id, uidvalidity, uidnext, 0,
                                                         POCHTA_FOLDER_SYNC_STATE_SYNCED, NULL,
                                                         pochta_test_store_result, &result));
  g_assert_true (pochta_store_set_folder_sync_state_finish (store, result, &error));
  g_assert_no_error (error);
}
