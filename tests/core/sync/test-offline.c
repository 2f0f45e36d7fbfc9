/* test-offline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue against the harness's real Dovecot: each action shows
 * in the cache at once and is queued; replayed, the server ends up holding
 * what the cache shows. Every test has a Dovecot user of its own.
 */

#include "config.h"

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
static GPtrArray *warnings;

static GLogWriterOutput
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

static void
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

static gboolean
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

static gboolean
saw_folder (Fixture *fixture,
            gint64   folder_id)
{
  for (guint i = 0; i < fixture->folders_changed->len; i++)
    if (g_array_index (fixture->folders_changed, gint64, i) == folder_id)
      return TRUE;

  return FALSE;
}

static void
forget_changes (Fixture *fixture)
{
  g_array_set_size (fixture->seen, 0);
  g_array_set_size (fixture->folders_changed, 0);
}

static gint64
add_cached_folder (Fixture          *fixture,
                   const char       *name,
                   PochtaFolderRole  role)
{
  gint64 id = offline_test_add_folder (fixture->store, fixture->account_id, name, role);

  offline_test_cache_folder (fixture->store, fixture->checker, id, name);

  return id;
}

static void
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "folder-changed", G_CALLBACK (on_folder_changed), fixture);
}

static void
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

static void
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

static GArray *
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

static GArray *
one_id (gint64 id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, id);

  return ids;
}

static PochtaMessageSummary *
get_message (Fixture *fixture,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  PochtaMessageSummary *summary = pochta_store_get_message (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);

  return summary;
}

static gboolean
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

static gint64
row_folder (Fixture *fixture,
            gint64   id)
{
  g_autoptr(PochtaMessageSummary) summary = get_message (fixture, id);

  return pochta_message_summary_get_folder_id (summary);
}

static gint64
row_uid (Fixture *fixture,
         gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT uid FROM messages WHERE id = %" G_GINT64_FORMAT, id);

  return store_test_query_int (pochta_store_get_reader (fixture->store), sql);
}

static guint
row_flags (Fixture *fixture,
           gint64   id)
{
  g_autoptr(PochtaMessageSummary) summary = get_message (fixture, id);

  return pochta_message_summary_get_flags (summary);
}

static void
counts (Fixture *fixture,
        gint64   folder_id,
        guint   *unread,
        guint   *total)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pochta_store_get_folder_counts (fixture->store, folder_id, unread, total, &error));
  g_assert_no_error (error);
}

static GPtrArray *
pending (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = pochta_store_list_pending_ops (fixture->store, fixture->account_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ops);

  return ops;
}

static void
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

static gssize
replay_with (Fixture           *fixture,
             PochtaImapClient  *client,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  RUN (result, pochta_offline_replay_async (client, fixture->store, fixture->account_id, NULL,
                                            pochta_test_store_result, &result));

  return pochta_offline_replay_finish (result, error);
}

static gssize
replay (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gssize n = replay_with (fixture, fixture->client, &error);

  g_assert_no_error (error);

  return n;
}

static void
assert_in_sync (Fixture    *fixture,
                const char *name)
{
  g_autofree char *server = offline_test_server_state (fixture->checker, name);
  g_autofree char *cache = offline_test_cache_state (fixture->store, fixture->account_id, name);

  g_test_message ("%s on the server:\n%s", name, server);
  g_assert_cmpstr (cache, ==, server);
}

static void
assert_queue_empty (Fixture *fixture)
{
  g_autoptr(GPtrArray) ops = pending (fixture);

  g_assert_cmpuint (ops->len, ==, 0);
}

static void
test_flags (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 5);
  g_autoptr(GArray) three = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) two = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint unread_before, unread, total;

  g_array_append_vals (three, ids->data, 3);
  g_array_append_vals (two, &g_array_index (ids, gint64, 3), 2);

  /* Everything unread first, so the counts below are exact. */
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, 0,
                                      POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_FLAGGED, NULL, STORE_RESULT));
  counts (fixture, fixture->inbox, &unread_before, &total);

  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, three, POCHTA_MESSAGE_FLAG_SEEN, 0,
                                      NULL, STORE_RESULT));
  counts (fixture, fixture->inbox, &unread, &total);
  g_assert_cmpuint (unread, ==, unread_before - 3);
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = g_array_index (three, gint64, i);

      g_assert_cmpuint (row_flags (fixture, id) & POCHTA_MESSAGE_FLAG_SEEN, !=, 0);
      g_assert_true (saw (fixture, fixture->inbox, id, SEEN_CHANGED));
    }

  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, two, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));
  g_assert_cmpuint (row_flags (fixture, g_array_index (two, gint64, 0)) & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);

  assert_describes (fixture, 1, "flags", "Mark 3 messages as read in INBOX");
  assert_describes (fixture, 2, "flags", "Flag 2 messages in INBOX");

  g_assert_cmpint (replay (fixture), ==, 3);
  assert_queue_empty (fixture);
  assert_in_sync (fixture, "INBOX");

  /* Nothing left: a second replay sends nothing. */
  g_assert_cmpint (replay (fixture), ==, 0);
}

static void
test_move_copy (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 3);
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) copied = one_id (g_array_index (ids, gint64, 2));
  g_autoptr(GArray) first = one_id (g_array_index (ids, gint64, 0));
  guint inbox_before, archive_before, inbox_after, archive_after, unread;
  gint64 copy_id;

  g_array_append_vals (moved, ids->data, 2);
  counts (fixture, fixture->inbox, &unread, &inbox_before);
  counts (fixture, fixture->archive, &unread, &archive_before);

  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->archive, NULL, STORE_RESULT));
  for (guint i = 0; i < moved->len; i++)
    {
      gint64 id = g_array_index (moved, gint64, i);

      g_assert_cmpint (row_folder (fixture, id), ==, fixture->archive);
      g_assert_cmpint (row_uid (fixture, id), ==, PLACEHOLDER_BASE + id);
      g_assert_true (saw (fixture, fixture->inbox, id, SEEN_REMOVED));
      g_assert_true (saw (fixture, fixture->archive, id, SEEN_ADDED));
    }

  OP (pochta_offline_copy_async (fixture->store, fixture->account_id, copied, fixture->archive, NULL, STORE_RESULT));
  g_assert_cmpint (row_folder (fixture, g_array_index (copied, gint64, 0)), ==, fixture->inbox);
  g_assert_cmpuint (fixture->seen->len, ==, 1);
  copy_id = g_array_index (fixture->seen, Seen, 0).message_id;
  g_assert_true (saw (fixture, fixture->archive, copy_id, SEEN_ADDED));
  g_assert_cmpint (row_folder (fixture, copy_id), ==, fixture->archive);

  counts (fixture, fixture->inbox, &unread, &inbox_after);
  g_assert_cmpuint (inbox_after, ==, inbox_before - 2);
  counts (fixture, fixture->archive, &unread, &archive_after);
  g_assert_cmpuint (archive_after, ==, archive_before + 3);

  /* Acted on again before the move reached the server: the flag op names
   * the row, and the replay resolves it through the MOVE's COPYUID. */
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, first, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));

  assert_describes (fixture, 0, "move", "Move 2 messages from INBOX to Archive");
  assert_describes (fixture, 1, "copy", "Copy 1 message from INBOX to Archive");

  g_assert_cmpint (replay (fixture), ==, 3);
  assert_queue_empty (fixture);
  g_assert_cmpint (row_uid (fixture, g_array_index (ids, gint64, 0)), <, PLACEHOLDER_BASE);
  g_assert_cmpint (row_uid (fixture, copy_id), <, PLACEHOLDER_BASE);
  assert_in_sync (fixture, "INBOX");
  assert_in_sync (fixture, "Archive");
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 1);
  gint64 id = g_array_index (ids, gint64, 0);

  OP (pochta_offline_move_async (fixture->store, fixture->account_id, ids, fixture->archive, NULL, STORE_RESULT));
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, ids, fixture->inbox, NULL, STORE_RESULT));
  g_assert_cmpint (row_folder (fixture, id), ==, fixture->inbox);
  g_assert_true (saw (fixture, fixture->archive, id, SEEN_REMOVED));
  g_assert_true (saw (fixture, fixture->inbox, id, SEEN_ADDED));

  g_assert_cmpint (replay (fixture), ==, 2);
  assert_queue_empty (fixture);
  /* The same row, back in the Inbox under the UID the second MOVE gave. */
  g_assert_cmpint (row_folder (fixture, id), ==, fixture->inbox);
  g_assert_cmpint (row_uid (fixture, id), <, PLACEHOLDER_BASE);
  assert_in_sync (fixture, "INBOX");
  assert_in_sync (fixture, "Archive");
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 2);
  g_autoptr(GArray) first = one_id (g_array_index (ids, gint64, 0));
  g_autoptr(GPtrArray) server_trash = NULL;
  guint unread, total;

  OP (pochta_offline_delete_async (fixture->store, fixture->account_id, ids, NULL, STORE_RESULT));
  g_assert_cmpint (row_folder (fixture, g_array_index (ids, gint64, 1)), ==, fixture->trash);
  assert_describes (fixture, 0, "move", "Delete 2 messages from INBOX");

  /* From Trash it goes for good. */
  OP (pochta_offline_delete_async (fixture->store, fixture->account_id, first, NULL, STORE_RESULT));
  g_assert_false (message_exists (fixture, g_array_index (first, gint64, 0)));
  g_assert_true (saw (fixture, fixture->trash, g_array_index (first, gint64, 0), SEEN_REMOVED));
  counts (fixture, fixture->trash, &unread, &total);
  g_assert_cmpuint (total, ==, 1);
  assert_describes (fixture, 1, "expunge", "Delete 1 message permanently from Trash");

  g_assert_cmpint (replay (fixture), ==, 2);
  assert_queue_empty (fixture);
  assert_in_sync (fixture, "INBOX");
  assert_in_sync (fixture, "Trash");
  server_trash = offline_test_fetch (fixture->checker, "Trash", NULL, NULL);
  g_assert_cmpuint (server_trash->len, ==, 1);
}

static void
test_mark_all_read (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 8);
  g_autoptr(GArray) moved = one_id (g_array_index (ids, gint64, 0));
  guint unread, total;

  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, 0, POCHTA_MESSAGE_FLAG_SEEN,
                                      NULL, STORE_RESULT));
  /* One of them moved in offline: it has no UID yet, but is read too. */
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->archive, NULL, STORE_RESULT));
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->inbox, NULL, STORE_RESULT));
  counts (fixture, fixture->inbox, &unread, &total);
  g_assert_cmpuint (unread, ==, 8);

  OP (pochta_offline_mark_all_read_async (fixture->store, fixture->account_id, fixture->inbox, NULL, STORE_RESULT));
  counts (fixture, fixture->inbox, &unread, &total);
  g_assert_cmpuint (unread, ==, 0);
  g_assert_true (saw_folder (fixture, fixture->inbox));
  assert_describes (fixture, 3, "mark-all-read", "Mark all messages as read in INBOX");

  g_assert_cmpint (replay (fixture), ==, 4);
  assert_queue_empty (fixture);
  assert_in_sync (fixture, "INBOX");
}

static GBytes *
make_message (const char *message_id,
              const char *subject)
{
  g_autofree char *text = g_strdup_printf ("From: Offline Test <offline@example.test>\r\n"
                                           "To: Someone <someone@example.test>\r\n"
                                           "Subject: %s\r\n"
                                           "Message-ID: <%s>\r\n"
                                           "Date: Mon, 2 Oct 2023 10:00:00 +0000\r\n"
                                           "MIME-Version: 1.0\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\n"
                                           "Written while offline: zanzibarquux.\r\n", subject, message_id);

  return g_bytes_new (text, strlen (text));
}

static gint64
find_by_message_id (Fixture    *fixture,
                    const char *message_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (id), 0) FROM messages WHERE message_id = '<%s>'",
                                          message_id);

  return store_test_query_int (pochta_store_get_reader (fixture->store), sql);
}

static void
test_append (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) raw = make_message ("draft-1@example.test", "A draft written offline");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  guint unread, total;
  gint64 id;

  OP (pochta_offline_append_async (fixture->store, fixture->account_id, fixture->drafts, raw,
                                   POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DRAFT, NULL, STORE_RESULT));
  id = find_by_message_id (fixture, "draft-1@example.test");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (row_folder (fixture, id), ==, fixture->drafts);
  g_assert_cmpint (row_uid (fixture, id), ==, PLACEHOLDER_BASE + id);
  g_assert_true (saw (fixture, fixture->drafts, id, SEEN_ADDED));
  counts (fixture, fixture->drafts, &unread, &total);
  g_assert_cmpuint (total, ==, 1);

  /* Readable and searchable before it ever reached the server. */
  body = pochta_store_get_body (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (body, raw));
  found = pochta_store_search (fixture->store, "zanzibarquux", 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  assert_describes (fixture, 0, "append", "Save a message to Drafts");

  ids = one_id (id);
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));

  g_assert_cmpint (replay (fixture), ==, 2);
  assert_queue_empty (fixture);
  g_assert_cmpint (row_uid (fixture, id), <, PLACEHOLDER_BASE);
  g_assert_cmpint (row_uid (fixture, id), >, 0);
  assert_in_sync (fixture, "Drafts");
}

static gboolean
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

static PochtaFolder *
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

static void
create_on_server (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_imap_client_create_async (fixture->checker, name, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_create_finish (fixture->checker, result, &error));
  g_assert_no_error (error);
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 1);
  g_autoptr(PochtaFolder) projects = NULL;
  g_autoptr(PochtaFolder) work = NULL;
  g_autoptr(PochtaFolder) child = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  gint64 id = g_array_index (ids, gint64, 0);
  gint64 old;

  /* A folder with a child, to be deleted offline. */
  create_on_server (fixture, "Old");
  create_on_server (fixture, "Old/Sub");
  old = add_cached_folder (fixture, "Old", POCHTA_FOLDER_ROLE_NONE);
  add_cached_folder (fixture, "Old/Sub", POCHTA_FOLDER_ROLE_NONE);

  OP (pochta_offline_create_folder_async (fixture->store, fixture->account_id, "Projects", 0, NULL, STORE_RESULT));
  projects = cached_folder (fixture, "Projects");
  g_assert_nonnull (projects);
  assert_describes (fixture, 0, "create-folder", "Create the folder Projects");

  OP (pochta_offline_move_async (fixture->store, fixture->account_id, ids, pochta_folder_get_id (projects), NULL,
                                 STORE_RESULT));
  OP (pochta_offline_rename_folder_async (fixture->store, fixture->account_id, pochta_folder_get_id (projects),
                                          "Work", NULL, STORE_RESULT));
  g_assert_null (cached_folder (fixture, "Projects"));
  work = cached_folder (fixture, "Work");
  g_assert_nonnull (work);
  g_assert_cmpint (pochta_folder_get_id (work), ==, pochta_folder_get_id (projects));
  g_assert_cmpint (row_folder (fixture, id), ==, pochta_folder_get_id (work));
  assert_describes (fixture, 2, "rename-folder", "Rename the folder Projects to Work");

  /* Acted on in the renamed folder, still with its placeholder. */
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));
  OP (pochta_offline_create_folder_async (fixture->store, fixture->account_id, "2024", pochta_folder_get_id (work),
                                          NULL, STORE_RESULT));
  child = cached_folder (fixture, "Work/2024");
  g_assert_nonnull (child);
  g_assert_cmpint (pochta_folder_get_parent_id (child), ==, pochta_folder_get_id (work));
  OP (pochta_offline_delete_folder_async (fixture->store, fixture->account_id, old, NULL, STORE_RESULT));
  g_assert_null (cached_folder (fixture, "Old"));
  g_assert_null (cached_folder (fixture, "Old/Sub"));
  assert_describes (fixture, 5, "delete-folder", "Delete the folder Old");

  g_assert_cmpint (replay (fixture), ==, 6);
  assert_queue_empty (fixture);
  g_assert_true (server_has_folder (fixture, "Work"));
  g_assert_true (server_has_folder (fixture, "Work/2024"));
  g_assert_false (server_has_folder (fixture, "Projects"));
  g_assert_false (server_has_folder (fixture, "Old"));
  g_assert_false (server_has_folder (fixture, "Old/Sub"));
  assert_in_sync (fixture, "Work");
  assert_in_sync (fixture, "INBOX");

  /* The created folder learned its UIDVALIDITY, so the next sync keeps it. */
  g_clear_object (&child);
  child = cached_folder (fixture, "Work/2024");
  state = offline_test_select (fixture->checker, "Work/2024", TRUE);
  g_assert_cmpuint (pochta_folder_get_uidvalidity (child), ==, state->uidvalidity);
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 3);
  g_autoptr(GArray) moved = one_id (g_array_index (ids, gint64, 2));
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing is connected while these are queued. */
  g_clear_object (&fixture->client);
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, POCHTA_MESSAGE_FLAG_SEEN, 0,
                                      NULL, STORE_RESULT));
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->archive, NULL, STORE_RESULT));
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, moved, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));
  before = pending (fixture);
  g_assert_cmpuint (before->len, ==, 3);

  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  open_store (fixture);

  after = pending (fixture);
  g_assert_cmpuint (after->len, ==, 3);
  for (guint i = 0; i < after->len; i++)
    {
      const PochtaPendingOp *a = g_ptr_array_index (before, i);
      const PochtaPendingOp *b = g_ptr_array_index (after, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->payload, ==, b->payload);
    }

  client = offline_test_login (fixture->user);
  g_assert_cmpint (replay_with (fixture, client, &error), ==, 3);
  g_assert_no_error (error);
  assert_queue_empty (fixture);
  assert_in_sync (fixture, "INBOX");
  assert_in_sync (fixture, "Archive");
}

static void
expunge_on_server (Fixture *fixture,
                   guint32  uid_a,
                   guint32  uid_b)
{
  g_autoptr(PochtaImapMailboxState) state = offline_test_select (fixture->checker, "INBOX", FALSE);
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  g_autoptr(GError) error = NULL;
  const char *deleted[] = { "\\Deleted", NULL };

  pochta_imap_sequence_set_add (set, uid_a);
  pochta_imap_sequence_set_add (set, uid_b);
  RUN (result, pochta_imap_client_uid_store_async (fixture->checker, set, POCHTA_IMAP_STORE_ADD, deleted, TRUE, 0,
                                                   NULL, pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_store_finish (fixture->checker, result, NULL, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_uid_expunge_async (fixture->checker, set, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_uid_expunge_finish (fixture->checker, result, &error));
  g_assert_no_error (error);
}

static void
test_vanished (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 2);
  g_autoptr(GArray) flagged = one_id (g_array_index (ids, gint64, 0));
  g_autoptr(GArray) moved = one_id (g_array_index (ids, gint64, 1));
  gint64 uid_a = row_uid (fixture, g_array_index (ids, gint64, 0));
  gint64 uid_b = row_uid (fixture, g_array_index (ids, gint64, 1));

  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, flagged, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->archive, NULL, STORE_RESULT));
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, moved, POCHTA_MESSAGE_FLAG_SEEN, 0,
                                      NULL, STORE_RESULT));

  /* Another client expunges both before this one is back online. */
  expunge_on_server (fixture, uid_a, uid_b);

  g_assert_cmpint (replay (fixture), ==, 3);
  assert_queue_empty (fixture);
  g_assert_cmpuint (warnings->len, ==, 0);
  /* The moved message has no server counterpart: its row is gone. The
   * flagged one's row the next sync removes. */
  g_assert_false (message_exists (fixture, g_array_index (moved, gint64, 0)));
  assert_in_sync (fixture, "Archive");

  g_assert_cmpint (replay (fixture), ==, 0);
  assert_queue_empty (fixture);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PochtaFolder) inbox = NULL;
  g_autoptr(GError) error = NULL;
  gint64 gone;

  create_on_server (fixture, "Gone");
  gone = add_cached_folder (fixture, "Gone", POCHTA_FOLDER_ROLE_NONE);

  OP (pochta_offline_move_async (fixture->store, fixture->account_id, ids, gone, NULL, STORE_RESULT));
  g_assert_cmpint (row_folder (fixture, g_array_index (ids, gint64, 0)), ==, gone);

  /* Deleted on the server meanwhile: the MOVE gets NO [TRYCREATE]. */
  RUN (result, pochta_imap_client_delete_async (fixture->checker, "Gone", NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_delete_finish (fixture->checker, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (replay (fixture), ==, 0);
  assert_queue_empty (fixture);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "Move 1 message from INBOX to Gone"));
  /* The row that waited for the server is gone, and the next sync lists
   * the Inbox afresh, where the message still is. */
  g_assert_false (message_exists (fixture, g_array_index (ids, gint64, 0)));
  inbox = pochta_store_get_folder (fixture->store, fixture->inbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_folder_get_uidnext (inbox), ==, 0);
  g_assert_cmpuint (pochta_folder_get_highestmodseq (inbox), ==, 0);

  /* No loop: nothing is left to try. */
  g_assert_cmpint (replay (fixture), ==, 0);
  g_assert_cmpuint (warnings->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Start the servers first: they set up the environment. */
  pochta_test_servers_get ();
  warnings = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_warnings, NULL, NULL);

#define ADD(path, user, func) \
  g_test_add ("/core/sync/offline/" path, Fixture, user, fixture_setup, func, fixture_teardown)

  ADD ("flags", "flags", test_flags);
  ADD ("move-copy", "move", test_move_copy);
  ADD ("undo", "undo", test_undo);
  ADD ("delete", "delete", test_delete);
  ADD ("mark-all-read", "allread", test_mark_all_read);
  ADD ("append", "append", test_append);
  ADD ("folders", "folders", test_folders);
  ADD ("restart", "restart", test_restart);
  ADD ("vanished", "vanished", test_vanished);
  ADD ("refused", "refused", test_refused);

#undef ADD

  return g_test_run ();
}
