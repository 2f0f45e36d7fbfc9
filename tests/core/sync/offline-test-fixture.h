/* offline-test-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture of the offline queue's Dovecot tests: a Dovecot user of the
 * test's own, a cache filled from it, a client that replays and another
 * that looks at the server, and what PochtaStore::folder-changed said.
 */

#pragma once

#include <glib/gstdio.h>

#include "offline-test-util.h"

#define PLACEHOLDER_BASE POCHTA_SYNC_PLACEHOLDER_UID_BASE

typedef enum
{
  SEEN_ADDED,
  SEEN_REMOVED,
  SEEN_CHANGED,
} SeenKind;

typedef struct
{
  gint64   folder_id;
  gint64   message_id;
  SeenKind kind;
} Seen;

typedef struct
{
  char             *user;
  char             *dir;
  char             *path;
  PochtaStore      *store;
  gint64            account_id;
  gint64            inbox;
  gint64            archive;
  gint64            trash;
  gint64            drafts;
  PochtaImapClient *client;    /* replays */
  PochtaImapClient *checker;   /* looks at the server on its own */
  GArray           *seen;      /* Seen, from PochtaStore::folder-changed */
  GArray           *folders_changed;
} Fixture;

/* Warnings of the sync module that a test provokes on purpose. */
static G_GNUC_UNUSED GPtrArray *warnings;

static G_GNUC_UNUSED GLogWriterOutput
capture_warnings (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) != 0 && g_strcmp0 (domain, "pochta-sync") == 0 && message != NULL)
    {
      g_ptr_array_add (warnings, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }

  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static G_GNUC_UNUSED void
on_folder_changed (PochtaStore        *store,
                   gint64              folder_id,
                   PochtaStoreChanges *changes,
                   Fixture            *fixture)
{
  const PochtaMessageKey *(*getters[]) (PochtaStoreChanges *, guint *) = {
    [SEEN_ADDED] = pochta_store_changes_get_added,
    [SEEN_REMOVED] = pochta_store_changes_get_removed,
    [SEEN_CHANGED] = pochta_store_changes_get_changed,
  };

  g_array_append_val (fixture->folders_changed, folder_id);
  for (guint kind = 0; kind < G_N_ELEMENTS (getters); kind++)
    {
      guint n = 0;
      const PochtaMessageKey *keys = getters[kind] (changes, &n);

      for (guint i = 0; i < n; i++)
        {
          Seen seen = { folder_id, keys[i].message_id, kind };

          g_array_append_val (fixture->seen, seen);
        }
    }
}

static G_GNUC_UNUSED gboolean
saw (Fixture  *fixture,
     gint64    folder_id,
     gint64    message_id,
     SeenKind  kind)
{
  for (guint i = 0; i < fixture->seen->len; i++)
    {
      const Seen *seen = &g_array_index (fixture->seen, Seen, i);

      if (seen->folder_id == folder_id && seen->message_id == message_id && seen->kind == kind)
        return TRUE;
    }

  return FALSE;
}

static G_GNUC_UNUSED gboolean
saw_folder (Fixture *fixture,
            gint64   folder_id)
{
  for (guint i = 0; i < fixture->folders_changed->len; i++)
    if (g_array_index (fixture->folders_changed, gint64, i) == folder_id)
      return TRUE;

  return FALSE;
}

static G_GNUC_UNUSED void
forget_changes (Fixture *fixture)
{
  g_array_set_size (fixture->seen, 0);
  g_array_set_size (fixture->folders_changed, 0);
}

static G_GNUC_UNUSED gint64
add_cached_folder (Fixture          *fixture,
                   const char       *name,
                   PochtaFolderRole  role)
{
  gint64 id = offline_test_add_folder (fixture->store, fixture->account_id, name, role);

  offline_test_cache_folder (fixture->store, fixture->checker, id, name);

  return id;
}

static G_GNUC_UNUSED void
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "folder-changed", G_CALLBACK (on_folder_changed), fixture);
}

static G_GNUC_UNUSED void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->user = g_strdup_printf ("offline%s", (const char *) data);
  g_assert_true (pochta_test_servers_add_user (fixture->user, 8, &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("pochta-offline-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "cache.sqlite", NULL);
  fixture->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  fixture->folders_changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  open_store (fixture);
  fixture->account_id = store_test_add_account (fixture->store, fixture->user);

  fixture->client = offline_test_login (fixture->user);
  fixture->checker = offline_test_login (fixture->user);
  fixture->inbox = add_cached_folder (fixture, "INBOX", POCHTA_FOLDER_ROLE_INBOX);
  fixture->archive = add_cached_folder (fixture, "Archive", POCHTA_FOLDER_ROLE_ARCHIVE);
  fixture->trash = add_cached_folder (fixture, "Trash", POCHTA_FOLDER_ROLE_TRASH);
  fixture->drafts = add_cached_folder (fixture, "Drafts", POCHTA_FOLDER_ROLE_DRAFTS);
  forget_changes (fixture);
}

static G_GNUC_UNUSED void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (fixture->store != NULL)
    store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->checker);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (fixture->dir);

  g_clear_pointer (&fixture->seen, g_array_unref);
  g_clear_pointer (&fixture->folders_changed, g_array_unref);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_free (fixture->user);
  g_ptr_array_set_size (warnings, 0);
}

/* Runs one pochta_offline_*_async call and checks that it succeeded. */
#define OP(call)                                                    \
  G_STMT_START {                                                    \
    g_autoptr(GAsyncResult) op_result = NULL;                       \
    g_autoptr(GError) op_error = NULL;                              \
    forget_changes (fixture);                                       \
    call;                                                           \
    pochta_test_wait_result (&op_result, OFFLINE_WAIT_MS);          \
    g_assert_true (pochta_offline_op_finish (op_result, &op_error)); \
    g_assert_no_error (op_error);                                   \
  } G_STMT_END

#define STORE_RESULT pochta_test_store_result, &op_result

static G_GNUC_UNUSED GArray *
first_ids (Fixture *fixture,
           gint64   folder_id,
           guint    n)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  PochtaSqlite *db = pochta_store_get_reader (fixture->store);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = pochta_sqlite_prepare (db, "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY uid LIMIT ?2", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_int64 (stmt, 1, folder_id);
  pochta_sqlite_bind_int64 (stmt, 2, n);
  while (pochta_sqlite_step (db, stmt, &error) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n);

  return ids;
}

static G_GNUC_UNUSED GArray *
one_id (gint64 id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, id);

  return ids;
}

static G_GNUC_UNUSED PochtaMessageSummary *
get_message (Fixture *fixture,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  PochtaMessageSummary *summary = pochta_store_get_message (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);

  return summary;
}

static G_GNUC_UNUSED gboolean
message_exists (Fixture *fixture,
                gint64   id)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = pochta_store_get_message (fixture->store, id, &error);
  if (summary == NULL)
    g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);

  return summary != NULL;
}

static G_GNUC_UNUSED gint64
row_folder (Fixture *fixture,
            gint64   id)
{
  g_autoptr(PochtaMessageSummary) summary = get_message (fixture, id);

  return pochta_message_summary_get_folder_id (summary);
}

static G_GNUC_UNUSED gint64
row_uid (Fixture *fixture,
         gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT uid FROM messages WHERE id = %" G_GINT64_FORMAT, id);

  return store_test_query_int (pochta_store_get_reader (fixture->store), sql);
}

static G_GNUC_UNUSED guint
row_flags (Fixture *fixture,
           gint64   id)
{
  g_autoptr(PochtaMessageSummary) summary = get_message (fixture, id);

  return pochta_message_summary_get_flags (summary);
}

static G_GNUC_UNUSED void
counts (Fixture *fixture,
        gint64   folder_id,
        guint   *unread,
        guint   *total)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pochta_store_get_folder_counts (fixture->store, folder_id, unread, total, &error));
  g_assert_no_error (error);
}

static G_GNUC_UNUSED GPtrArray *
pending (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = pochta_store_list_pending_ops (fixture->store, fixture->account_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ops);

  return ops;
}

static G_GNUC_UNUSED void
assert_describes (Fixture    *fixture,
                  guint       index,
                  const char *kind,
                  const char *text)
{
  g_autoptr(GPtrArray) ops = pending (fixture);
  g_autofree char *description = NULL;
  const PochtaPendingOp *op;

  g_assert_cmpuint (index, <, ops->len);
  op = g_ptr_array_index (ops, index);
  g_assert_cmpstr (op->kind, ==, kind);
  description = pochta_offline_describe_op (op);
  g_assert_cmpstr (description, ==, text);
}

static G_GNUC_UNUSED gssize
replay_with (Fixture           *fixture,
             PochtaImapClient  *client,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  RUN (result, pochta_offline_replay_async (client, fixture->store, fixture->account_id, NULL,
                                            pochta_test_store_result, &result));

  return pochta_offline_replay_finish (result, error);
}

static G_GNUC_UNUSED gssize
replay (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gssize n = replay_with (fixture, fixture->client, &error);

  g_assert_no_error (error);

  return n;
}

static G_GNUC_UNUSED void
assert_in_sync (Fixture    *fixture,
                const char *name)
{
  g_autofree char *server = offline_test_server_state (fixture->checker, name);
  g_autofree char *cache = offline_test_cache_state (fixture->store, fixture->account_id, name);

  g_test_message ("%s on the server:\n%s", name, server);
  g_assert_cmpstr (cache, ==, server);
}

static G_GNUC_UNUSED void
assert_queue_empty (Fixture *fixture)
{
  g_autoptr(GPtrArray) ops = pending (fixture);

  g_assert_cmpuint (ops->len, ==, 0);
}

static G_GNUC_UNUSED gboolean
server_has_folder (Fixture    *fixture,
                   const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PochtaImapMailboxStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;

  /* Dovecot answers STATUS on the selected mailbox from the session, even
   * once another connection deleted it. */
  state = offline_test_select (fixture->checker, "INBOX", TRUE);
  RUN (result, pochta_imap_client_status_async (fixture->checker, name, POCHTA_IMAP_STATUS_ITEM_MESSAGES, NULL,
                                                pochta_test_store_result, &result));
  status = pochta_imap_client_status_finish (fixture->checker, result, &error);
  if (status == NULL)
    g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO);

  return status != NULL;
}

static G_GNUC_UNUSED PochtaFolder *
cached_folder (Fixture    *fixture,
               const char *raw_name)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;

  folders = pochta_store_list_folders (fixture->store, fixture->account_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < folders->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (folders, i);

      if (g_strcmp0 (pochta_folder_get_raw_name (folder), raw_name) == 0)
        return g_object_ref (folder);
    }

  return NULL;
}

static G_GNUC_UNUSED void
create_on_server (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_imap_client_create_async (fixture->checker, name, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_create_finish (fixture->checker, result, &error));
  g_assert_no_error (error);
}

/* Call first in main(): starts the servers (they set up the environment)
 * and captures the warnings tests provoke on purpose. */
static G_GNUC_UNUSED void
offline_fixture_init (void)
{
  pochta_test_servers_get ();
  warnings = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_warnings, NULL, NULL);
}

#define OFFLINE_TEST_ADD(path, user, func) \
  g_test_add ("/core/sync/offline/" path, Fixture, user, fixture_setup, func, fixture_teardown)
