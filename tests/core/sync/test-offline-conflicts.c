/* test-offline-conflicts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue when the world moved on: a restart between queueing
 * and replaying, messages another client expunged meanwhile, and a server
 * that refuses an operation. Against the harness's real Dovecot.
 */

#include "config.h"

#include "offline-test-fixture.h"

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
  g_assert_cmpint (pochta_folder_get_sync_state (inbox), ==, POCHTA_FOLDER_SYNC_STATE_PARTIAL);
  g_assert_cmpuint (pochta_folder_get_highestmodseq (inbox), ==, 0);

  /* No loop: nothing is left to try. */
  g_assert_cmpint (replay (fixture), ==, 0);
  g_assert_cmpuint (warnings->len, ==, 1);
}

static void
sync_folder (Fixture *fixture,
             gint64   folder_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  RUN (result, pochta_sync_folder_async (fixture->client, fixture->store, folder_id, NULL, NULL, NULL,
                                         pochta_test_store_result, &result));
  g_assert_true (pochta_sync_folder_finish (result, &error));
  g_assert_no_error (error);
}

static void
append_on_server (Fixture    *fixture,
                  const char *folder,
                  const char *message_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: Elsewhere <x@example.test>\r\nSubject: Arrived meanwhile\r\n"
                                           "Message-ID: <%s>\r\n\r\nDelivered by another client.\r\n",
                                           message_id);
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));

  RUN (result, pochta_imap_client_append_async (fixture->checker, folder, NULL, NULL, raw, NULL, 0, NULL,
                                                pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_append_finish (fixture->checker, result, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The folder sync after a replay finds the cache already right: the rows
 * that waited for UIDs keep their ids (no duplicates), a message that
 * arrived meanwhile below the new UIDs is not skipped, and a refused move
 * brings the message back where the server has it. */
static void
test_then_sync (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) ids = first_ids (fixture, fixture->inbox, 3);
  g_autoptr(GArray) moved = one_id (g_array_index (ids, gint64, 0));
  g_autoptr(GArray) refused = one_id (g_array_index (ids, gint64, 1));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autofree char *text = NULL;
  gint64 moved_id = g_array_index (moved, gint64, 0);
  gint64 appended_id;
  gint64 gone;

  create_on_server (fixture, "Gone");
  gone = add_cached_folder (fixture, "Gone", POCHTA_FOLDER_ROLE_NONE);

  OP (pochta_offline_move_async (fixture->store, fixture->account_id, moved, fixture->archive, NULL, STORE_RESULT));
  OP (pochta_offline_set_flags_async (fixture->store, fixture->account_id, moved, POCHTA_MESSAGE_FLAG_FLAGGED, 0,
                                      NULL, STORE_RESULT));
  OP (pochta_offline_move_async (fixture->store, fixture->account_id, refused, gone, NULL, STORE_RESULT));
  text = g_strdup ("From: Me <me@example.test>\r\nSubject: Draft\r\nMessage-ID: <then-sync@example.test>\r\n\r\n"
                   "Body.\r\n");
  raw = g_bytes_new (text, strlen (text));
  OP (pochta_offline_append_async (fixture->store, fixture->account_id, fixture->drafts, raw,
                                   POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DRAFT, NULL, STORE_RESULT));
  appended_id = g_array_index (fixture->seen, Seen, 0).message_id;

  /* Meanwhile on the server: mail arrives in Archive, and Gone goes. */
  append_on_server (fixture, "Archive", "arrived@example.test");
  /* Dovecot ends a session whose selected mailbox is deleted. */
  g_clear_pointer (&state, pochta_imap_mailbox_state_free);
  state = offline_test_select (fixture->checker, "INBOX", TRUE);
  RUN (result, pochta_imap_client_delete_async (fixture->checker, "Gone", NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_delete_finish (fixture->checker, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (replay (fixture), ==, 3);
  assert_queue_empty (fixture);
  g_assert_cmpuint (warnings->len, ==, 1);

  sync_folder (fixture, fixture->inbox);
  sync_folder (fixture, fixture->archive);
  sync_folder (fixture, fixture->drafts);
  assert_in_sync (fixture, "INBOX");
  assert_in_sync (fixture, "Archive");
  assert_in_sync (fixture, "Drafts");
  g_assert_cmpint (row_folder (fixture, moved_id), ==, fixture->archive);
  g_assert_cmpuint (row_flags (fixture, moved_id) & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);
  g_assert_cmpint (row_folder (fixture, appended_id), ==, fixture->drafts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  offline_fixture_init ();

  OFFLINE_TEST_ADD ("restart", "restart", test_restart);
  OFFLINE_TEST_ADD ("vanished", "vanished", test_vanished);
  OFFLINE_TEST_ADD ("refused", "refused", test_refused);
  OFFLINE_TEST_ADD ("then-sync", "thensync", test_then_sync);

  return g_test_run ();
}
