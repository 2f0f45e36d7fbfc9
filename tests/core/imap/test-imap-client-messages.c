/* test-imap-client-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaImapClient's message commands against the harness's real Dovecot:
 * flags, copy and move, append and body fetches, CONDSTORE, QRESYNC, IDLE.
 */

#include "config.h"

#include "imap-client-test-util.h"

static char **
fetch_flags (PochtaImapClient *client,
             guint32           uid)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fetches = NULL;
  const PochtaImapFetch *fetch;

  pochta_imap_sequence_set_add (set, uid);
  RUN (result, pochta_imap_client_uid_fetch_async (client, set, "FLAGS", 0, FALSE, NULL, NULL, NULL,
                                                   NULL, pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetches->len, ==, 1);
  fetch = g_ptr_array_index (fetches, 0);
  g_assert_cmpuint (fetch->uid, ==, uid);
  return g_strdupv (fetch->flags);
}

static void
test_flags (Fixture       *fixture,
            gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autoptr(GBytes) message = make_message ("flags", 500);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_auto(GStrv) flags = NULL;
  const char *flagged[] = { "\\Flagged", "$Important", NULL };
  guint32 uid;

  uid = append_message (client, fixture->folder, message);
  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  pochta_imap_sequence_set_add (set, uid);

  RUN (result, pochta_imap_client_uid_store_async (client, set, POCHTA_IMAP_STORE_ADD, flagged, FALSE, 0,
                                                   NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->len, ==, 1);
  flags = fetch_flags (client, uid);
  g_assert_true (g_strv_contains ((const char * const *)flags, "\\Flagged"));
  g_assert_true (g_strv_contains ((const char * const *)flags, "$Important"));
  g_clear_pointer (&flags, g_strfreev);
  g_clear_pointer (&answers, g_ptr_array_unref);

  RUN (result, pochta_imap_client_uid_store_async (client, set, POCHTA_IMAP_STORE_REMOVE, flagged, TRUE, 0,
                                                   NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  flags = fetch_flags (client, uid);
  g_assert_false (g_strv_contains ((const char * const *)flags, "\\Flagged"));
  g_assert_false (g_strv_contains ((const char * const *)flags, "$Important"));
}

static void
test_copy_move (Fixture       *fixture,
                gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autofree char *target = unique_name ("target");
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) source = NULL;
  g_autoptr(PochtaImapSequenceSet) destination = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uids[3];
  guint32 uidvalidity = 0;

  create_folder (client, target);
  for (guint i = 0; i < G_N_ELEMENTS (uids); i++)
    {
      g_autofree char *subject = g_strdup_printf ("copy-%u", i);
      g_autoptr(GBytes) message = make_message (subject, 300);

      uids[i] = append_message (client, fixture->folder, message);
    }
  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  g_assert_cmpuint (state->exists, ==, 3);

  pochta_imap_sequence_set_add (set, uids[0]);
  pochta_imap_sequence_set_add (set, uids[1]);
  RUN (result, pochta_imap_client_uid_copy_async (client, set, target, NULL, pochta_test_store_result, &result));
  pochta_imap_client_uid_copy_finish (client, result, &uidvalidity, &source, &destination, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, >, 0);
  g_assert_cmpuint (pochta_imap_sequence_set_count (source), ==, 2);
  g_assert_cmpuint (pochta_imap_sequence_set_count (destination), ==, 2);
  g_assert_cmpuint (status_messages (client, target), ==, 2);
  g_clear_pointer (&source, pochta_imap_sequence_set_free);
  g_clear_pointer (&destination, pochta_imap_sequence_set_free);

  /* A missing destination says TRYCREATE. */
  {
    g_autofree char *missing = unique_name ("missing");
    g_autofree char *code = NULL;

    RUN (result, pochta_imap_client_uid_copy_async (client, set, missing, NULL,
                                                    pochta_test_store_result, &result));
    g_assert_false (pochta_imap_client_uid_copy_finish (client, result, NULL, NULL, NULL, &error));
    g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO);
    code = pochta_imap_client_error_get_code (error);
    g_assert_cmpstr (code, ==, "TRYCREATE");
    g_clear_error (&error);
  }

  pochta_imap_sequence_set_free (set);
  set = pochta_imap_sequence_set_new ();
  pochta_imap_sequence_set_add (set, uids[2]);
  RUN (result, pochta_imap_client_uid_move_async (client, set, target, NULL, pochta_test_store_result, &result));
  pochta_imap_client_uid_move_finish (client, result, &uidvalidity, &source, &destination, &error);
  g_assert_no_error (error);
  g_assert_true (pochta_imap_sequence_set_contains (source, uids[2]));
  g_assert_cmpuint (pochta_imap_sequence_set_count (destination), ==, 1);
  g_assert_cmpuint (pochta_imap_client_get_selected (client)->exists, ==, 2);
  g_assert_cmpuint (status_messages (client, target), ==, 3);

  RUN (result, pochta_imap_client_unselect_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_unselect_finish (client, result, NULL));
  delete_folder (client, target);
}

static void
test_append_fetch_body (Fixture       *fixture,
                        gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autoptr(GBytes) message = make_message ("roundtrip", 200 * 1024);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *flags[] = { "\\Seen", NULL };
  g_autoptr(GDateTime) date = g_date_time_new_utc (2021, 3, 4, 5, 6, 7);
  guint32 uid = 0;
  guint64 size;

  RUN (result, pochta_imap_client_append_async (client, fixture->folder, flags, date, message, NULL, 0,
                                                NULL, pochta_test_store_result, &result));
  pochta_imap_client_append_finish (client, result, NULL, &uid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uid, >, 0);

  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  RUN (result, pochta_imap_client_uid_fetch_body_async (client, uid, NULL, output, NULL,
                                                        pochta_test_store_result, &result));
  size = pochta_imap_client_uid_fetch_body_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, g_bytes_get_size (message));
  g_output_stream_close (output, NULL, NULL);
  fetched = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  g_assert_true (g_bytes_equal (fetched, message));

  /* A UID that is not there. */
  g_clear_object (&output);
  output = g_memory_output_stream_new_resizable ();
  RUN (result, pochta_imap_client_uid_fetch_body_async (client, uid + 100, NULL, output, NULL,
                                                        pochta_test_store_result, &result));
  pochta_imap_client_uid_fetch_body_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* APPEND to a mailbox that does not exist says TRYCREATE. */
  {
    g_autofree char *missing = unique_name ("missing");
    g_autofree char *code = NULL;

    RUN (result, pochta_imap_client_append_async (client, missing, NULL, NULL, message, NULL, 0,
                                                  NULL, pochta_test_store_result, &result));
    g_assert_false (pochta_imap_client_append_finish (client, result, NULL, NULL, &error));
    code = pochta_imap_client_error_get_code (error);
    g_assert_cmpstr (code, ==, "TRYCREATE");
  }
}

static guint64
fetch_modseq (PochtaImapClient *client,
              guint32           uid)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fetches = NULL;

  pochta_imap_sequence_set_add (set, uid);
  RUN (result, pochta_imap_client_uid_fetch_async (client, set, "FLAGS MODSEQ", 0, FALSE, NULL, NULL, NULL,
                                                   NULL, pochta_test_store_result, &result));
  fetches = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetches->len, ==, 1);
  return ((PochtaImapFetch *)g_ptr_array_index (fetches, 0))->modseq;
}

static void
test_condstore (Fixture       *fixture,
                gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autoptr(PochtaImapClient) other = open_logged_in (POCHTA_TEST_USER_BOB);
  g_autoptr(GBytes) message = make_message ("condstore", 300);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapMailboxState) other_state = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) modified = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  const char *flagged[] = { "\\Flagged", NULL };
  guint64 before, after;
  guint32 uid;

  uid = append_message (client, fixture->folder, message);
  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_CONDSTORE);
  g_assert_cmpuint (state->highestmodseq, >, 0);
  before = fetch_modseq (client, uid);
  g_assert_cmpuint (before, >, 0);

  other_state = select_folder (other, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  pochta_imap_sequence_set_add (set, uid);
  RUN (result, pochta_imap_client_uid_store_async (other, set, POCHTA_IMAP_STORE_ADD, flagged, TRUE, 0,
                                                   NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (other, result, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&answers, g_ptr_array_unref);

  after = fetch_modseq (client, uid);
  g_assert_cmpuint (after, >, before);

  /* CHANGEDSINCE sees it; UNCHANGEDSINCE with the old modseq refuses it. */
  RUN (result, pochta_imap_client_uid_fetch_async (client, set, "FLAGS", before, FALSE, NULL, NULL, NULL,
                                                   NULL, pochta_test_store_result, &result));
  changed = pochta_imap_client_uid_fetch_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 1);

  RUN (result, pochta_imap_client_uid_store_async (client, set, POCHTA_IMAP_STORE_REMOVE, flagged, TRUE,
                                                   before, NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (client, result, &modified, &error);
  g_assert_no_error (error);
  g_assert_nonnull (modified);
  g_assert_true (pochta_imap_sequence_set_contains (modified, uid));

  RUN (result, pochta_imap_client_logout_async (other, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_logout_finish (other, result, NULL));
}

static void
on_vanished (PochtaImapClient            *client,
             const PochtaImapSequenceSet *uids,
             gboolean                     earlier,
             guint32                     *vanished_uid)
{
  g_assert_false (earlier);
  g_assert_cmpuint (pochta_imap_sequence_set_count (uids), ==, 1);
  *vanished_uid = pochta_imap_sequence_set_get_min (uids);
}

static void
test_qresync (Fixture       *fixture,
              gconstpointer  data)
{
  guint32 vanished_uid = 0;
  PochtaImapClient *client = fixture->client;
  g_autoptr(PochtaImapClient) other = open_logged_in (POCHTA_TEST_USER_BOB);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapMailboxState) other_state = NULL;
  g_autoptr(PochtaImapMailboxState) resynced = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) known = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  g_auto(GStrv) enabled = NULL;
  const char *extensions[] = { "QRESYNC", NULL };
  const char *deleted[] = { "\\Deleted", NULL };
  guint32 uids[3];

  for (guint i = 0; i < G_N_ELEMENTS (uids); i++)
    {
      g_autoptr(GBytes) message = make_message ("qresync", 300);

      uids[i] = append_message (client, fixture->folder, message);
      pochta_imap_sequence_set_add (known, uids[i]);
    }

  RUN (result, pochta_imap_client_enable_async (client, extensions, NULL, pochta_test_store_result, &result));
  enabled = pochta_imap_client_enable_finish (client, result, &error);
  g_assert_no_error (error);

  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_CONDSTORE);
  RUN (result, pochta_imap_client_unselect_async (client, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_unselect_finish (client, result, NULL));

  /* Someone else expunges the middle message. */
  other_state = select_folder (other, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  pochta_imap_sequence_set_add (set, uids[1]);
  RUN (result, pochta_imap_client_uid_store_async (other, set, POCHTA_IMAP_STORE_ADD, deleted, TRUE, 0,
                                                   NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (other, result, NULL, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_uid_expunge_async (other, set, NULL, pochta_test_store_result, &result));
  pochta_imap_client_uid_expunge_finish (other, result, &error);
  g_assert_no_error (error);

  RUN (result, pochta_imap_client_select_async (client, fixture->folder, POCHTA_IMAP_SELECT_NONE,
                                                state->uidvalidity, state->highestmodseq, known, NULL,
                                                pochta_test_store_result, &result));
  resynced = pochta_imap_client_select_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (resynced->vanished);
  g_assert_true (pochta_imap_sequence_set_contains (resynced->vanished, uids[1]));
  g_assert_false (pochta_imap_sequence_set_contains (resynced->vanished, uids[0]));
  g_assert_cmpuint (resynced->exists, ==, 2);
  g_assert_cmpuint (resynced->highestmodseq, >, state->highestmodseq);

  /* With QRESYNC on, news of an expunge comes as VANISHED, by UID. */
  g_signal_connect (client, "vanished", G_CALLBACK (on_vanished), &vanished_uid);
  pochta_imap_sequence_set_free (set);
  set = pochta_imap_sequence_set_new ();
  pochta_imap_sequence_set_add (set, uids[2]);
  g_clear_pointer (&answers, g_ptr_array_unref);
  RUN (result, pochta_imap_client_uid_store_async (other, set, POCHTA_IMAP_STORE_ADD, deleted, TRUE, 0,
                                                   NULL, pochta_test_store_result, &result));
  answers = pochta_imap_client_uid_store_finish (other, result, NULL, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_uid_expunge_async (other, set, NULL, pochta_test_store_result, &result));
  pochta_imap_client_uid_expunge_finish (other, result, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_noop_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vanished_uid, ==, uids[2]);
  g_assert_cmpuint (pochta_imap_client_get_selected (client)->exists, ==, 1);
  g_signal_handlers_disconnect_by_func (client, on_vanished, &vanished_uid);

  RUN (result, pochta_imap_client_logout_async (other, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_logout_finish (other, result, NULL));
}

static void
on_exists (PochtaImapClient *client,
           guint             count,
           gpointer          user_data)
{
  guint *seen = user_data;

  *seen = count;
}

static void
test_idle (Fixture       *fixture,
           gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autoptr(PochtaImapClient) other = open_logged_in (POCHTA_TEST_USER_BOB);
  g_autoptr(GBytes) message = make_message ("idle", 300);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;
  gint64 appended;
  gboolean arrived = FALSE;

  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  g_assert_cmpuint (state->exists, ==, 0);
  g_signal_connect (client, "exists", G_CALLBACK (on_exists), &seen);

  RUN (result, pochta_imap_client_idle_start_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_idle_start_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (pochta_imap_client_is_idling (client));

  append_message (other, fixture->folder, message);
  appended = g_get_monotonic_time ();

  /* Dovecot checks the mailbox every second while idling. */
  while (seen == 0 && g_get_monotonic_time () - appended < 3 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  arrived = seen == 1;
  g_assert_true (arrived);
  g_test_message ("EXISTS arrived %" G_GINT64_FORMAT " ms after the APPEND",
                  (g_get_monotonic_time () - appended) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - appended, <, 1500 * 1000);

  /* Another command ends the IDLE first, then runs. */
  RUN (result, pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_noop_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_false (pochta_imap_client_is_idling (client));

  RUN (result, pochta_imap_client_idle_start_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_idle_start_finish (client, result, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_idle_stop_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_idle_stop_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_false (pochta_imap_client_is_idling (client));

  g_signal_handlers_disconnect_by_func (client, on_exists, &seen);
  RUN (result, pochta_imap_client_logout_async (other, NULL, pochta_test_store_result, &result));
  g_assert_true (pochta_imap_client_logout_finish (other, result, NULL));
}

static void
test_large_body (Fixture       *fixture,
                 gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  const gsize target = 25 * 1024 * 1024;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GFileIOStream) copy_io = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) sent_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) got_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) header = make_message ("large", 0);
  g_autofree char *line = NULL;
  GOutputStream *out;
  gsize written = 0;
  gsize hwm_before, hwm_after;
  guint32 uid = 0;
  guint64 size;

  /* Written to a file in small pieces, so the test itself stays small. */
  file = g_file_new_tmp ("pochta-large-XXXXXX.eml", &io, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (io));
  g_output_stream_write_all (out, g_bytes_get_data (header, NULL), g_bytes_get_size (header), NULL, NULL, &error);
  g_checksum_update (sent_sum, g_bytes_get_data (header, NULL), g_bytes_get_size (header));
  written = g_bytes_get_size (header);
  for (guint i = 0; written < target; i++)
    {
      line = g_strdup_printf ("%08u The quick brown fox jumps over the lazy dog, again and again.\r\n", i);
      g_output_stream_write_all (out, line, strlen (line), NULL, NULL, &error);
      g_assert_no_error (error);
      g_checksum_update (sent_sum, (const guchar *)line, strlen (line));
      written += strlen (line);
      g_clear_pointer (&line, g_free);
    }
  g_io_stream_close (G_IO_STREAM (io), NULL, &error);
  g_assert_no_error (error);

  hwm_before = pochta_test_get_peak_rss_kb ();

  input = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  RUN (result, pochta_imap_client_append_async (client, fixture->folder, NULL, NULL, NULL,
                                                G_INPUT_STREAM (input), written,
                                                NULL, pochta_test_store_result, &result));
  pochta_imap_client_append_finish (client, result, NULL, &uid, &error);
  g_assert_no_error (error);

  copy = g_file_new_tmp ("pochta-large-copy-XXXXXX.eml", &copy_io, &error);
  g_assert_no_error (error);
  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);
  RUN (result, pochta_imap_client_uid_fetch_body_async (client, uid, NULL,
                                                        g_io_stream_get_output_stream (G_IO_STREAM (copy_io)),
                                                        NULL, pochta_test_store_result, &result));
  size = pochta_imap_client_uid_fetch_body_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, written);
  g_io_stream_close (G_IO_STREAM (copy_io), NULL, NULL);

  hwm_after = pochta_test_get_peak_rss_kb ();
  g_test_message ("peak RSS grew by %" G_GSIZE_FORMAT " kB for a %" G_GSIZE_FORMAT " kB message",
                  hwm_after - hwm_before, written / 1024);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpuint (hwm_after - hwm_before, <, 6 * 1024);
#else
  /* AddressSanitizer's quarantine keeps freed chunks resident, so RSS says
   * nothing about what the client holds; the sanitizer run checks memory
   * errors instead. */
#endif

  {
    g_autoptr(GFileInputStream) check = g_file_read (copy, NULL, &error);
    guint8 buffer[65536];
    gssize n;

    g_assert_no_error (error);
    while ((n = g_input_stream_read (G_INPUT_STREAM (check), buffer, sizeof buffer, NULL, &error)) > 0)
      g_checksum_update (got_sum, buffer, n);
    g_assert_cmpstr (g_checksum_get_string (got_sum), ==, g_checksum_get_string (sent_sum));
  }

  g_file_delete (file, NULL, NULL);
  g_file_delete (copy, NULL, NULL);
}


static gboolean
cancel_when_started (gpointer user_data)
{
  GCancellable *cancellable = user_data;
  GMemoryOutputStream *output = g_object_get_data (G_OBJECT (cancellable), "output");

  if (g_memory_output_stream_get_data_size (output) > 0)
    g_cancellable_cancel (cancellable);

  return G_SOURCE_CONTINUE;
}

static void
test_cancel_body (Fixture       *fixture,
                  gconstpointer  data)
{
  PochtaImapClient *client = fixture->client;
  g_autoptr(GBytes) message = make_message ("cancel", 8 * 1024 * 1024);
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid;
  guint id;

  uid = append_message (client, fixture->folder, message);
  state = select_folder (client, fixture->folder, POCHTA_IMAP_SELECT_NONE);

  /* Cancelled once the body is flowing: the caller hears at once, and the
   * rest of the literal is drained so the session stays usable. */
  g_object_set_data (G_OBJECT (cancellable), "output", output);
  id = g_timeout_add (2, cancel_when_started, cancellable);
  RUN (result, pochta_imap_client_uid_fetch_body_async (client, uid, NULL, output, cancellable,
                                                        pochta_test_store_result, &result));
  g_clear_handle_id (&id, g_source_remove);
  pochta_imap_client_uid_fetch_body_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)), <,
                    g_bytes_get_size (message));

  RUN (result, pochta_imap_client_noop_async (client, NULL, pochta_test_store_result, &result));
  pochta_imap_client_noop_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_imap_client_get_state (client), ==, POCHTA_IMAP_CLIENT_STATE_SELECTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/imap/client/flags", Fixture, NULL, fixture_setup, test_flags, fixture_teardown);
  g_test_add ("/core/imap/client/copy-move", Fixture, NULL, fixture_setup, test_copy_move, fixture_teardown);
  g_test_add ("/core/imap/client/append-fetch-body", Fixture, NULL, fixture_setup, test_append_fetch_body,
              fixture_teardown);
  g_test_add ("/core/imap/client/condstore", Fixture, NULL, fixture_setup, test_condstore, fixture_teardown);
  g_test_add ("/core/imap/client/qresync", Fixture, NULL, fixture_setup, test_qresync, fixture_teardown);
  g_test_add ("/core/imap/client/idle", Fixture, NULL, fixture_setup, test_idle, fixture_teardown);
  g_test_add ("/core/imap/client/large-body", Fixture, NULL, fixture_setup, test_large_body, fixture_teardown);
  g_test_add ("/core/imap/client/cancel-body", Fixture, NULL, fixture_setup, test_cancel_body, fixture_teardown);

  return g_test_run ();
}
