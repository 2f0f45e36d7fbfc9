/* test-offline-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue's replayer against the scripted fake server, for what
 * Dovecot will not do on cue: a connection that drops halfway through, and
 * a refusal that may pass (NO [UNAVAILABLE]); and the descriptions of
 * queued operations.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "offline-test-util.h"
#include "pochta-fake-server.h"

#define PREAUTH "* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS MOVE] fake ready"

/* POCHTA_OFFLINE_MAX_ATTEMPTS, the bound on refusals that may pass. */
#define MAX_ATTEMPTS 3

typedef struct
{
  char             *dir;
  char             *path;
  PochtaStore      *store;
  gint64            account_id;
  gint64            inbox;
  gint64            archive;
  gint64            rows[3];   /* INBOX UIDs 1, 2, 3 */
  PochtaFakeServer *server;
  PochtaImapClient *client;
} Fixture;

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
set_sync_state (Fixture *fixture,
                gint64   folder_id,
                guint32  uidvalidity)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_store_set_folder_sync_state_async (fixture->store, folder_id, uidvalidity, 4, 99,
                                                         POCHTA_FOLDER_SYNC_STATE_SYNCED, NULL,
                                                         pochta_test_store_result, &result));
  g_assert_true (pochta_store_set_folder_sync_state_finish (fixture->store, result, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) records = store_test_records_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pochta-offline-faults-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "cache.sqlite", NULL);
  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->account_id = store_test_add_account (fixture->store, "faults");
  fixture->inbox = offline_test_add_folder (fixture->store, fixture->account_id, "INBOX", POCHTA_FOLDER_ROLE_INBOX);
  fixture->archive = offline_test_add_folder (fixture->store, fixture->account_id, "Archive",
                                              POCHTA_FOLDER_ROLE_ARCHIVE);
  set_sync_state (fixture, fixture->inbox, 7);
  set_sync_state (fixture, fixture->archive, 8);

  for (guint32 uid = 1; uid <= 3; uid++)
    g_ptr_array_add (records, store_test_record (uid, 1700000000 + uid, "Subject", "Sender", "s@example.test"));
  g_assert_true (store_test_add_records (fixture->store, fixture->inbox, records, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    fixture->rows[i] = ((PochtaMessageRecord *) g_ptr_array_index (records, i))->id;
}

static void
stop_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->client != NULL)
    pochta_connection_abort (pochta_imap_client_get_connection (fixture->client));
  g_clear_object (&fixture->client);
  if (fixture->server != NULL)
    {
      pochta_fake_server_stop (fixture->server, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&fixture->server);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  stop_server (fixture);
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_ptr_array_set_size (warnings, 0);
}

/* A new fake server, scripted from PREAUTH and SELECT INBOX on. */
static void
new_server_with (Fixture *fixture,
                 guint32  uidvalidity)
{
  g_autofree char *line = g_strdup_printf ("* OK [UIDVALIDITY %u] ok", uidvalidity);

  stop_server (fixture);
  fixture->server = pochta_fake_server_new ();
  pochta_fake_server_send_line (fixture->server, PREAUTH);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) SELECT INBOX$");
  pochta_fake_server_send_line (fixture->server, "* 3 EXISTS");
  pochta_fake_server_send_line (fixture->server, line);
  pochta_fake_server_send_line (fixture->server, "$1 OK [READ-WRITE] selected");
}

static void
new_server (Fixture *fixture)
{
  new_server_with (fixture, 7);
}

static void
start_client (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint16 port = pochta_fake_server_start (fixture->server, &error);

  g_assert_no_error (error);
  fixture->client = offline_test_connect (port, NULL, &error);
  g_assert_no_error (error);
  pochta_imap_client_set_command_timeout (fixture->client, 5);
}

static void
queue_flags (Fixture            *fixture,
             guint               row,
             PochtaMessageFlags  add,
             PochtaMessageFlags  remove)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_array_append_val (ids, fixture->rows[row]);
  RUN (result, pochta_offline_set_flags_async (fixture->store, fixture->account_id, ids, add, remove, NULL,
                                               pochta_test_store_result, &result));
  g_assert_true (pochta_offline_op_finish (result, &error));
  g_assert_no_error (error);
}

static void
queue_move (Fixture *fixture,
            guint    row,
            gint64   dest)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_array_append_val (ids, fixture->rows[row]);
  RUN (result, pochta_offline_move_async (fixture->store, fixture->account_id, ids, dest, NULL,
                                          pochta_test_store_result, &result));
  g_assert_true (pochta_offline_op_finish (result, &error));
  g_assert_no_error (error);
}

static gssize
replay (Fixture  *fixture,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  RUN (result, pochta_offline_replay_async (fixture->client, fixture->store, fixture->account_id, NULL,
                                            pochta_test_store_result, &result));

  return pochta_offline_replay_finish (result, error);
}

static GPtrArray *
pending (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = pochta_store_list_pending_ops (fixture->store, fixture->account_id, &error);

  g_assert_no_error (error);

  return ops;
}

static gint64
row_uid (Fixture *fixture,
         gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT uid FROM messages WHERE id = %" G_GINT64_FORMAT, id);

  return store_test_query_int (pochta_store_get_reader (fixture->store), sql);
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaMessageSummary) moved = NULL;
  g_autoptr(PochtaFolder) archive = NULL;
  const PochtaPendingOp *op;

  queue_flags (fixture, 0, POCHTA_MESSAGE_FLAG_SEEN, 0);
  queue_flags (fixture, 1, POCHTA_MESSAGE_FLAG_FLAGGED, 0);
  queue_move (fixture, 2, fixture->archive);
  g_assert_cmpint (row_uid (fixture, fixture->rows[2]), ==, POCHTA_SYNC_PLACEHOLDER_UID_BASE + fixture->rows[2]);

  /* The first STORE is confirmed, then the connection goes. */
  new_server (fixture);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID STORE 1 \\+FLAGS\\.SILENT \\(\\\\Seen\\)$");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID STORE 2 \\+FLAGS\\.SILENT \\(\\\\Flagged\\)$");
  pochta_fake_server_close (fixture->server);
  start_client (fixture);

  g_assert_cmpint (replay (fixture, &error), ==, -1);
  g_assert_nonnull (error);
  g_test_message ("replay: %s", error->message);
  g_assert_false (g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO));
  g_clear_error (&error);

  left = pending (fixture);
  g_assert_cmpuint (left->len, ==, 2);
  op = g_ptr_array_index (left, 0);
  g_assert_cmpstr (op->kind, ==, "flags");
  g_assert_cmpuint (op->attempts, ==, 0);
  g_assert_null (op->last_error);

  /* Back online: the rest goes, and the MOVE's COPYUID names the row. */
  new_server (fixture);
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID STORE 2 \\+FLAGS\\.SILENT \\(\\\\Flagged\\)$");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID MOVE 3 Archive$");
  pochta_fake_server_send_line (fixture->server, "* OK [COPYUID 8 3 100] moved");
  pochta_fake_server_send_line (fixture->server, "* 3 EXPUNGE");
  pochta_fake_server_send_line (fixture->server, "$1 OK done");
  start_client (fixture);

  g_assert_cmpint (replay (fixture, &error), ==, 2);
  g_assert_no_error (error);
  g_clear_pointer (&left, g_ptr_array_unref);
  left = pending (fixture);
  g_assert_cmpuint (left->len, ==, 0);

  moved = pochta_store_get_message (fixture->store, fixture->rows[2], &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_message_summary_get_folder_id (moved), ==, fixture->archive);
  g_assert_cmpint (row_uid (fixture, fixture->rows[2]), ==, 100);
  /* UIDs 4 to 99 arrived unseen: the next sync compares Archive UID by UID. */
  archive = pochta_store_get_folder (fixture->store, fixture->archive, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_folder_get_sync_state (archive), ==, POCHTA_FOLDER_SYNC_STATE_PARTIAL);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_transient_refusal (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaFolder) inbox = NULL;

  queue_flags (fixture, 0, 0, POCHTA_MESSAGE_FLAG_SEEN);

  /* Three replays on one connection, each refused. */
  new_server (fixture);
  for (guint i = 0; i < MAX_ATTEMPTS; i++)
    {
      pochta_fake_server_expect_line (fixture->server, "^(\\S+) UID STORE 1 -FLAGS\\.SILENT \\(\\\\Seen\\)$");
      pochta_fake_server_send_line (fixture->server, "$1 NO [UNAVAILABLE] Try again later");
    }
  pochta_fake_server_stall (fixture->server);
  start_client (fixture);

  for (guint attempt = 1; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GPtrArray) left = NULL;
      const PochtaPendingOp *op;

      /* Kept, with the attempt and the server's words. */
      g_assert_cmpint (replay (fixture, &error), ==, 0);
      g_assert_no_error (error);
      left = pending (fixture);
      g_assert_cmpuint (left->len, ==, 1);
      op = g_ptr_array_index (left, 0);
      g_assert_cmpuint (op->attempts, ==, attempt);
      g_assert_nonnull (op->last_error);
      g_assert_nonnull (strstr (op->last_error, "Try again later"));
      g_assert_cmpuint (warnings->len, ==, 0);
    }

  /* The last attempt drops it, and the Inbox's flags are swept next time. */
  g_assert_cmpint (replay (fixture, &error), ==, 0);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) left = pending (fixture);

    g_assert_cmpuint (left->len, ==, 0);
  }
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "Try again later"));
  inbox = pochta_store_get_folder (fixture->store, fixture->inbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_folder_get_highestmodseq (inbox), ==, 0);
  g_assert_cmpuint (pochta_folder_get_uidnext (inbox), ==, 4);
  g_assert_cmpint (pochta_folder_get_sync_state (inbox), ==, POCHTA_FOLDER_SYNC_STATE_SYNCED);

  /* Nothing left to send: no command reaches the server. */
  g_assert_cmpint (replay (fixture, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_uidvalidity_changed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;

  queue_move (fixture, 2, fixture->archive);

  /* The Inbox was recreated: UID 3 is no longer that message. Nothing is
   * sent after the SELECT: the script ends there, so a command would fail
   * the replay. */
  new_server_with (fixture, 70);
  start_client (fixture);

  g_assert_cmpint (replay (fixture, &error), ==, 0);
  g_assert_no_error (error);
  left = pending (fixture);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "UIDVALIDITY"));
  /* The row that waited for the MOVE goes; the sync rebuilds the Inbox. */
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (fixture->store),
                                         "SELECT count(*) FROM messages"), ==, 2);
}

typedef struct
{
  const char *kind;
  const char *payload;
  const char *expected;
} DescribeCase;

static const DescribeCase describe_cases[] = {
  { "flags", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'add': <uint32 1>,"
             " 'msgs': <[(uint32 1, int64 1, int64 0), (2, 2, 0), (3, 3, 0)]>}",
    "Mark 3 messages as read in INBOX" },
  { "flags", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'remove': <uint32 1>, 'msgs': <[(uint32 1, int64 1, int64 0)]>}",
    "Mark 1 message as unread in INBOX" },
  { "flags", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'remove': <uint32 4>, 'msgs': <[(uint32 1, int64 1, int64 0)]>}",
    "Remove the flag from 1 message in INBOX" },
  { "flags", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'add': <uint32 5>, 'msgs': <[(uint32 1, int64 1, int64 0)]>}",
    "Change the flags of 1 message in INBOX" },
  { "move", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'dest': <'Archive'>, 'msgs': <[(uint32 1, int64 1, int64 1)]>}",
    "Move 1 message from INBOX to Archive" },
  { "move", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'dest': <'Trash'>, 'trash': <true>,"
            " 'msgs': <[(uint32 1, int64 1, int64 1), (2, 2, 2)]>}",
    "Delete 2 messages from INBOX" },
  { "copy", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'dest': <'&BB8EMAQ,BDoEMA-'>,"
            " 'msgs': <[(uint32 1, int64 1, int64 9)]>}",
    "Copy 1 message from INBOX to Папка" },
  { "mark-all-read", "{'v': <uint32 1>, 'folder': <'INBOX'>, 'uids': <'1:40'>}",
    "Mark all messages as read in INBOX" },
  { "append", "{'v': <uint32 1>, 'folder': <'Drafts'>, 'msgs': <[(uint32 0, int64 0, int64 5)]>}",
    "Save a message to Drafts" },
  { "rename-folder", "{'v': <uint32 1>, 'folder': <'A'>, 'new': <'B'>}", "Rename the folder A to B" },
  /* From a newer Pochta, or damaged: shown, never crashing. */
  { "move", "{'v': <uint32 99>, 'folder': <'INBOX'>}", "Unreadable operation “move”" },
  { "teleport", "{'v': <uint32 1>, 'folder': <'INBOX'>}", "Unreadable operation “teleport”" },
  { "flags", "not a variant", "Unreadable operation “flags”" },
};

static void
test_describe (gconstpointer data)
{
  const DescribeCase *c = data;
  PochtaPendingOp op = { 1, 1, (char *) c->kind, (char *) c->payload, 0, 0, NULL };
  g_autofree char *text = pochta_offline_describe_op (&op);

  g_assert_cmpstr (text, ==, c->expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  warnings = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_warnings, NULL, NULL);

  g_test_add ("/core/sync/offline-faults/dropped-connection", Fixture, NULL,
              fixture_setup, test_dropped_connection, fixture_teardown);
  g_test_add ("/core/sync/offline-faults/transient-refusal", Fixture, NULL,
              fixture_setup, test_transient_refusal, fixture_teardown);
  g_test_add ("/core/sync/offline-faults/uidvalidity-changed", Fixture, NULL,
              fixture_setup, test_uidvalidity_changed, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (describe_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/sync/offline-faults/describe/%u", i);

      g_test_add_data_func (path, &describe_cases[i], test_describe);
    }

  return g_test_run ();
}
