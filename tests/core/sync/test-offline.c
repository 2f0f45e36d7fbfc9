/* test-offline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue against the harness's real Dovecot: each action shows
 * in the cache at once and is queued; replayed, the server ends up holding
 * what the cache shows. Every test has a Dovecot user of its own.
 */

#include "config.h"

#include "offline-test-fixture.h"

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
  g_autoptr(PochtaFolder) archive = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GError) error = NULL;
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

  /* The new UIDs follow the last sync's UIDNEXT with no gap: the folder
   * stays synced, and knows its next UID. */
  archive = pochta_store_get_folder (fixture->store, fixture->archive, &error);
  g_assert_no_error (error);
  state = offline_test_select (fixture->checker, "Archive", TRUE);
  g_assert_cmpint (pochta_folder_get_sync_state (archive), ==, POCHTA_FOLDER_SYNC_STATE_SYNCED);
  g_assert_cmpuint (pochta_folder_get_uidnext (archive), ==, state->uidnext);
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
  /* Also when it was renamed before its CREATE reached the server. */
  g_clear_object (&work);
  g_clear_pointer (&state, pochta_imap_mailbox_state_free);
  work = cached_folder (fixture, "Work");
  state = offline_test_select (fixture->checker, "Work", TRUE);
  g_assert_cmpuint (pochta_folder_get_uidvalidity (work), ==, state->uidvalidity);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  offline_fixture_init ();

  OFFLINE_TEST_ADD ("flags", "flags", test_flags);
  OFFLINE_TEST_ADD ("move-copy", "move", test_move_copy);
  OFFLINE_TEST_ADD ("undo", "undo", test_undo);
  OFFLINE_TEST_ADD ("delete", "delete", test_delete);
  OFFLINE_TEST_ADD ("mark-all-read", "allread", test_mark_all_read);
  OFFLINE_TEST_ADD ("append", "append", test_append);
  OFFLINE_TEST_ADD ("folders", "folders", test_folders);

  return g_test_run ();
}
