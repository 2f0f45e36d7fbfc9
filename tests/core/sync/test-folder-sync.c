/* test-folder-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Folder sync against the harness Dovecot: a fresh sync equals the server,
 * a resync with no change sends next to nothing, changes made elsewhere
 * arrive over QRESYNC, CONDSTORE and the plain sweep alike, a new
 * UIDVALIDITY leaves no stale row, and an interrupted sync resumes.
 */

#include "config.h"

#include "sync-test-util.h"

/* --- Fresh sync ------------------------------------------------------------- */

static void
test_fresh (void)
{
  const char *user = "fsyncfresh";
  const char * const rich_flags[] = { "\\Flagged", "$Forwarded", "project-x", NULL };
  const char * const seen[] = { "\\Seen", NULL };
  const char * const answered[] = { "\\Answered", NULL };
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GBytes) rich = NULL;
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  const PochtaAttachmentRecord *attachment;
  guint32 rich_uid;
  gint64 inbox_id;

  sync_test_add_user (user, 50);

  checker = sync_test_connect (user, FALSE);
  rich = sync_test_message ("=?UTF-8?Q?Priv=C3=A9t_=E2=80=93_report?=", "<rich@example.test>",
                            "Quarterly numbers attached", TRUE);
  rich_uid = sync_test_append (checker, "INBOX", rich, rich_flags);
  sync_test_store_flags (checker, "INBOX", "1:10", POCHTA_IMAP_STORE_ADD, seen);
  sync_test_store_flags (checker, "INBOX", "3", POCHTA_IMAP_STORE_ADD, answered);
  sync_test_simple_message (checker, "Sent", "sent", 1);
  sync_test_simple_message (checker, "Archive", "archived", 1);
  sync_test_simple_message (checker, "Archive", "archived", 2);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  g_assert_cmpuint (folders->len, >=, 6);

  for (guint i = 0; i < folders->len; i++)
    {
      PochtaFolder *folder = g_ptr_array_index (folders, i);
      g_autoptr(PochtaFolder) after = NULL;

      sync_test_folder (client, &cache, pochta_folder_get_id (folder), POCHTA_SYNC_FOLDER_FLAGS_NONE);
      sync_test_assert_equals_server (checker, &cache, pochta_folder_get_id (folder), pochta_folder_get_name (folder));

      after = pochta_store_get_folder (cache.store, pochta_folder_get_id (folder), &error);
      g_assert_no_error (error);
      g_assert_cmpint (pochta_folder_get_sync_state (after), ==, POCHTA_FOLDER_SYNC_STATE_SYNCED);
      g_assert_cmpuint (pochta_folder_get_uidvalidity (after), !=, 0);
      g_assert_cmpuint (pochta_folder_get_highestmodseq (after), >, 0);
    }
  g_assert_cmpint (sync_test_count_rows (&cache, sync_test_folder_id (&cache, "INBOX")), ==, 51);
  g_assert_cmpint (sync_test_count_rows (&cache, sync_test_folder_id (&cache, "Archive")), ==, 2);

  /* The envelope, decoded, with its threading ids and the attachment the
   * body structure announced, before any body was fetched. */
  inbox_id = sync_test_folder_id (&cache, "INBOX");
  summary = pochta_store_get_message_by_uid (cache.store, inbox_id, rich_uid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pochta_message_summary_get_subject (summary), ==, "Privét – report");
  g_assert_cmpstr (pochta_message_summary_get_from_name (summary), ==, "Алиса Тестова");
  g_assert_cmpstr (pochta_message_summary_get_from_address (summary), ==, "alisa@example.test");
  g_assert_cmpstr (pochta_message_summary_get_to (summary), ==,
                   "Bob <bob@example.test>, \"Smith, John\" <john@example.test>");
  g_assert_cmpstr (pochta_message_summary_get_cc (summary), ==, "carol@example.test");
  g_assert_cmpstr (pochta_message_summary_get_message_id (summary), ==, "<rich@example.test>");
  g_assert_cmpstr (pochta_message_summary_get_in_reply_to (summary), ==, "<parent@example.test>");
  g_assert_cmpstr (pochta_message_summary_get_references (summary), ==,
                   "<root@example.test> <parent@example.test>");
  g_assert_cmpint (pochta_message_summary_get_date (summary), ==, 1696318200);
  g_assert_cmpuint (pochta_message_summary_get_flags (summary) & SYNC_TEST_FLAGS_MASK, ==,
                    POCHTA_MESSAGE_FLAG_FLAGGED | POCHTA_MESSAGE_FLAG_FORWARDED);
  g_assert_cmpstr (pochta_message_summary_get_keywords (summary), ==, "project-x");
  g_assert_true (pochta_message_summary_get_has_attachments (summary));
  g_assert_cmpint (pochta_message_summary_get_body_state (summary), ==, POCHTA_BODY_STATE_NONE);
  g_assert_cmpuint (pochta_message_summary_get_size (summary), ==, g_bytes_get_size (rich));

  attachments = pochta_store_list_attachments (cache.store, pochta_message_summary_get_id (summary), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attachments->len, ==, 1);
  attachment = g_ptr_array_index (attachments, 0);
  g_assert_cmpstr (attachment->part, ==, "2");
  g_assert_cmpstr (attachment->filename, ==, "report.pdf");
  g_assert_cmpstr (attachment->mime_type, ==, "application/pdf");
  g_assert_false (attachment->inline_);

  /* A generated message, spot-checked against the server's envelope. */
  {
    g_autoptr(PochtaMessageSummary) first = pochta_store_get_message_by_uid (cache.store, inbox_id, 1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (pochta_message_summary_get_from_address (first));
    g_assert_nonnull (pochta_message_summary_get_subject (first));
    g_assert_false (pochta_message_summary_get_unread (first));
  }

  sync_test_assert_no_duplicates (&cache);
  sync_test_cache_close (&cache);
}

/* --- A resync with no change ---------------------------------------------- */

static void
test_no_change (gconstpointer data)
{
  gboolean qresync = GPOINTER_TO_INT (data);
  const char *user = qresync ? "fsyncsameq" : "fsyncsamec";
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  gint64 inbox_id;
  guint commands;
  guint64 bytes;

  sync_test_add_user (user, 200);

  client = sync_test_connect (user, qresync);
  checker = sync_test_connect (user, FALSE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_SUBSCRIBED, NULL);
  inbox_id = sync_test_folder_id (&cache, "INBOX");
  sync_test_folder (client, &cache, inbox_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 200);

  commands = pochta_imap_client_get_n_commands (client);
  bytes = pochta_imap_client_get_bytes_read (client);

  sync_test_folder (client, &cache, inbox_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);

  /* One command (the SELECT), so no FETCH or SEARCH of anything. */
  g_test_message ("no-change resync: %u commands, %" G_GUINT64_FORMAT " bytes read",
                  pochta_imap_client_get_n_commands (client) - commands,
                  pochta_imap_client_get_bytes_read (client) - bytes);
  g_assert_cmpuint (pochta_imap_client_get_n_commands (client) - commands, ==, 1);
  g_assert_cmpuint (pochta_imap_client_get_bytes_read (client) - bytes, <, 2048);

  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  sync_test_cache_close (&cache);
}

/* --- Changes made by another connection ---------------------------------- */

typedef enum
{
  MODE_QRESYNC,
  MODE_CONDSTORE,
  MODE_SWEEP,
} SyncMode;

static void
test_changes (gconstpointer data)
{
  SyncMode mode = GPOINTER_TO_INT (data);
  const char *users[] = { "fsyncchgq", "fsyncchgc", "fsyncchgs" };
  const char *user = users[mode];
  const char * const seen[] = { "\\Seen", NULL };
  const char * const flagged[] = { "\\Flagged", "$Forwarded", NULL };
  const char * const custom[] = { "custom-kw", "$Junk", NULL };
  /* Small batches: several fetches and sweep chunks are in flight at once. */
  PochtaSyncFolderFlags flags = POCHTA_SYNC_FOLDER_FLAGS_SMALL_BATCHES |
                                (mode == MODE_SWEEP ? POCHTA_SYNC_FOLDER_FLAGS_NO_CONDSTORE
                                 : mode == MODE_CONDSTORE ? POCHTA_SYNC_FOLDER_FLAGS_NO_QRESYNC
                                 : POCHTA_SYNC_FOLDER_FLAGS_NONE);
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaMessageSummary) gone = NULL;
  SyncTestCache cache = { 0, };
  gint64 inbox_id;
  guint commands;

  sync_test_add_user (user, 30);

  /* Without ENABLE QRESYNC the session still has CONDSTORE; the sweep
   * mode is told to use neither. */
  client = sync_test_connect (user, mode == MODE_QRESYNC);
  checker = sync_test_connect (user, FALSE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_SUBSCRIBED, NULL);
  inbox_id = sync_test_folder_id (&cache, "INBOX");
  sync_test_folder (client, &cache, inbox_id, flags);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  sync_test_add_placeholder (&cache, inbox_id);

  /* Round one: flags set and cleared, keywords, expunges, new mail. */
  sync_test_store_flags (checker, "INBOX", "1:5", POCHTA_IMAP_STORE_ADD, seen);
  sync_test_store_flags (checker, "INBOX", "2", POCHTA_IMAP_STORE_REMOVE, seen);
  sync_test_store_flags (checker, "INBOX", "6", POCHTA_IMAP_STORE_ADD, flagged);
  sync_test_store_flags (checker, "INBOX", "7", POCHTA_IMAP_STORE_ADD, custom);
  sync_test_expunge (checker, "INBOX", "10:12");
  sync_test_simple_message (checker, "INBOX", "later", 1);
  sync_test_simple_message (checker, "INBOX", "later", 2);

  sync_test_folder (client, &cache, inbox_id, flags);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 29 + 1);
  gone = pochta_store_get_message_by_uid (cache.store, inbox_id, 11, &error);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* Round two: an expunge and a flag change with no new mail, the case
   * the CONDSTORE count check has to catch. */
  sync_test_expunge (checker, "INBOX", "1");
  sync_test_store_flags (checker, "INBOX", "20", POCHTA_IMAP_STORE_ADD, seen);
  commands = pochta_imap_client_get_n_commands (client);
  sync_test_folder (client, &cache, inbox_id, flags);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 28 + 1);
  if (mode == MODE_QRESYNC)
    g_assert_cmpuint (pochta_imap_client_get_n_commands (client) - commands, ==, 1);

  /* Round three: everything expunged; the row waiting for the offline
   * queue stays through all of it. */
  sync_test_expunge (checker, "INBOX", "1:*");
  sync_test_folder (client, &cache, inbox_id, flags);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 1);
  g_assert_cmpint (sync_test_count_placeholders (&cache, inbox_id), ==, 1);

  sync_test_assert_no_duplicates (&cache);
  sync_test_cache_close (&cache);
}

/* --- UIDVALIDITY ------------------------------------------------------------ */

static void
mailbox_op (PochtaImapClient *client,
            const char       *name,
            gboolean          create)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (create)
    {
      SYNC_RUN (result, pochta_imap_client_create_async (client, name, NULL, pochta_test_store_result, &result));
      pochta_imap_client_create_finish (client, result, &error);
    }
  else
    {
      SYNC_RUN (result, pochta_imap_client_delete_async (client, name, NULL, pochta_test_store_result, &result));
      pochta_imap_client_delete_finish (client, result, &error);
    }
  g_assert_no_error (error);
}

static void
test_uidvalidity (void)
{
  const char *user = "fsyncuidv";
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(PochtaFolder) before = NULL;
  g_autoptr(PochtaFolder) after = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  gint64 volatile_id;

  sync_test_add_user (user, 3);

  checker = sync_test_connect (user, FALSE);
  mailbox_op (checker, "Volatile", TRUE);
  for (guint i = 1; i <= 4; i++)
    sync_test_simple_message (checker, "Volatile", "first-life", i);

  client = sync_test_connect (user, TRUE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  volatile_id = sync_test_folder_id (&cache, "Volatile");
  sync_test_folder (client, &cache, volatile_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
  g_assert_cmpint (sync_test_count_rows (&cache, volatile_id), ==, 4);
  before = pochta_store_get_folder (cache.store, volatile_id, &error);
  g_assert_no_error (error);
  /* Leave it, so the other connection's DELETE is not under our feet. */
  sync_test_folder (client, &cache, sync_test_folder_id (&cache, "INBOX"), POCHTA_SYNC_FOLDER_FLAGS_NONE);

  sync_test_add_placeholder (&cache, volatile_id);

  /* The same name, another mailbox: its UIDs 1..3 are other messages. */
  mailbox_op (checker, "Volatile", FALSE);
  mailbox_op (checker, "Volatile", TRUE);
  for (guint i = 1; i <= 3; i++)
    sync_test_simple_message (checker, "Volatile", "second-life", i);

  again = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_ALL, NULL);
  g_assert_cmpint (sync_test_folder_id (&cache, "Volatile"), ==, volatile_id);
  sync_test_folder (client, &cache, volatile_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);

  after = pochta_store_get_folder (cache.store, volatile_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_folder_get_uidvalidity (after), !=, pochta_folder_get_uidvalidity (before));
  g_assert_cmpint (sync_test_count_rows (&cache, volatile_id), ==, 3 + 1);
  g_assert_cmpint (sync_test_count_placeholders (&cache, volatile_id), ==, 1);
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (cache.store),
                     "SELECT count(*) FROM messages WHERE message_id LIKE '<first-life-%'"), ==, 0);
  sync_test_assert_equals_server (checker, &cache, volatile_id, "Volatile");
  sync_test_cache_close (&cache);
}

/* --- Resume after an interruption ------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint         first_done;
} Interrupt;

static void
interrupt_progress (guint    done,
                    guint    total,
                    gpointer user_data)
{
  Interrupt *interrupt = user_data;

  if (interrupt->calls++ == 0)
    {
      interrupt->first_done = done;
      g_cancellable_cancel (interrupt->cancellable);
    }
}

static void
sync_interrupted (PochtaImapClient *client,
                  SyncTestCache    *cache,
                  gint64            folder_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Interrupt interrupt = { cancellable, 0, 0 };

  SYNC_RUN (result, pochta_sync_folder_async (client, cache->store, folder_id, interrupt_progress, &interrupt,
                                              cancellable, pochta_test_store_result, &result));
  g_assert_false (pochta_sync_folder_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (interrupt.first_done, >, 0);
}

typedef struct
{
  guint    pending;
  guint    failed;
  gboolean done;
} Appends;

static void
append_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Appends *appends = user_data;

  if (!pochta_imap_client_append_finish (POCHTA_IMAP_CLIENT (object), result, NULL, NULL, NULL))
    appends->failed++;
  appends->done = --appends->pending == 0;
}

static void
append_many (PochtaImapClient *client,
             const char       *mailbox,
             guint             n)
{
  Appends appends = { n, 0, FALSE };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Burst %u", i);
      g_autofree char *msg_id = g_strdup_printf ("<burst-%u@example.test>", i);
      g_autoptr(GBytes) message = sync_test_message (subject, msg_id, "A burst of mail", FALSE);

      pochta_imap_client_append_async (client, mailbox, NULL, NULL, message, NULL, 0, NULL,
                                       append_done_cb, &appends);
    }
  pochta_test_wait_until (&appends.done, 120000);
  g_assert_cmpuint (appends.failed, ==, 0);
}

/* What a run killed after its newest batches leaves: a PARTIAL folder
 * whose older new messages never landed. The cancelled run may have
 * stored more than its first batch before it stopped, so the hole is
 * made sure of by removing rows too. */
static void
punch_hole (SyncTestCache *cache,
            gint64         folder_id,
            guint32        first,
            guint32        last)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaFolder) folder = NULL;

  folder = pochta_store_get_folder (cache->store, folder_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pochta_folder_get_sync_state (folder), ==, POCHTA_FOLDER_SYNC_STATE_PARTIAL);
  g_assert_cmpuint (pochta_folder_get_uidvalidity (folder), !=, 0);

  for (guint32 uid = first; uid <= last; uid++)
    g_array_append_val (uids, uid);
  SYNC_RUN (result, pochta_store_remove_uids_async (cache->store, folder_id, uids, NULL,
                                                    pochta_test_store_result, &result));
  pochta_store_remove_uids_finish (cache->store, result, &error);
  g_assert_no_error (error);
}

static void
test_resume (void)
{
  const char *user = "fsyncresume";
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(PochtaImapClient) checker = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  SyncTestCache cache = { 0, };
  gint64 inbox_id;

  sync_test_add_user (user, 3000);

  client = sync_test_connect (user, TRUE);
  checker = sync_test_connect (user, FALSE);
  sync_test_cache_open (&cache);
  folders = sync_test_folder_list (client, &cache, POCHTA_SYNC_FOLDERS_SUBSCRIBED, NULL);
  inbox_id = sync_test_folder_id (&cache, "INBOX");

  /* A first sync stopped after its first batch: the newest are there. */
  sync_interrupted (client, &cache, inbox_id);
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), >, 0);
  g_assert_cmpint (store_test_query_int (pochta_store_get_reader (cache.store),
                     "SELECT max (uid) FROM messages"), ==, 3000);
  punch_hole (&cache, inbox_id, 1, 2000);

  sync_test_folder (client, &cache, inbox_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
  sync_test_assert_no_duplicates (&cache);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 3000);

  /* New mail in a synced folder, stopped after the newest batch: the
   * older part of it is a hole the next run must find. */
  append_many (checker, "INBOX", 600);
  sync_interrupted (client, &cache, inbox_id);
  punch_hole (&cache, inbox_id, 3001, 3300);
  sync_test_folder (client, &cache, inbox_id, POCHTA_SYNC_FOLDER_FLAGS_NONE);
  sync_test_assert_no_duplicates (&cache);
  sync_test_assert_equals_server (checker, &cache, inbox_id, "INBOX");
  g_assert_cmpint (sync_test_count_rows (&cache, inbox_id), ==, 3600);

  sync_test_cache_close (&cache);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sync/folder/fresh", test_fresh);
  g_test_add_data_func ("/core/sync/folder/no-change/qresync", GINT_TO_POINTER (TRUE), test_no_change);
  g_test_add_data_func ("/core/sync/folder/no-change/condstore", GINT_TO_POINTER (FALSE), test_no_change);
  g_test_add_data_func ("/core/sync/folder/changes/qresync", GINT_TO_POINTER (MODE_QRESYNC), test_changes);
  g_test_add_data_func ("/core/sync/folder/changes/condstore", GINT_TO_POINTER (MODE_CONDSTORE), test_changes);
  g_test_add_data_func ("/core/sync/folder/changes/sweep", GINT_TO_POINTER (MODE_SWEEP), test_changes);
  g_test_add_func ("/core/sync/folder/uidvalidity", test_uidvalidity);
  g_test_add_func ("/core/sync/folder/resume", test_resume);

  return g_test_run ();
}
