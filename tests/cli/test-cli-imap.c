/* test-cli-imap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built pochta-cli against the harness's Dovecot and gnome-keyring,
 * run as a script would run it: accounts, sync, reading and actions. What
 * it does with a bad password, certificate or server, IDLE and progress
 * on a terminal are in test-cli-imap-connection.c.
 */

/* posix_openpt() and friends */
#define _GNU_SOURCE

#include "config.h"

#include "cli-imap-test-util.h"

static void
test_account_commands (void)
{
  g_autofree char *user = fresh_user ("cliaccount", 3);
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expected_server = NULL;
  g_autofree char *address = address_of (user);
  g_autoptr(GPtrArray) rows = NULL;
  char **row;

  g_test_summary ("account add saves the account and puts the password in the keyring; list shows it; "
                  "remove deletes both; a second account of the same name is refused");

  add_good_account (user);

  uuid = account_uuid (user);
  g_assert_nonnull (uuid);
  stored = keyring_password (uuid, user);
  g_assert_cmpstr (stored, ==, password);

  CLI_OK (&out, "account", "list");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 1);
  row = find_row (rows, 0, user);
  g_assert_nonnull (row);
  g_assert_cmpuint (g_strv_length (row), ==, 4);
  g_assert_cmpstr (row[1], ==, address);
  expected_server = g_strdup_printf ("%s:%u", pochta_test_servers_get ()->host, pochta_test_servers_get ()->imap_port);
  g_assert_cmpstr (row[2], ==, expected_server);
  g_assert_cmpstr (row[3], ==, "offline");

  /* The same name again: refused, and the first is untouched. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_account (user, password, pochta_test_servers_get ()->cert_sha256, &err), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "already"));

  /* By address works as well as by name. */
  CLI_OK (NULL, "account", "remove", address);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "account", "list");
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&stored, g_free);
  stored = keyring_password (uuid, user);
  g_assert_null (stored);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "account", "remove", user), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, user));
}

static void
test_insecure_refused (void)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_test_summary ("A password over a connection without TLS is refused unless --insecure says so");

  g_assert_cmpint (CLI_IN ("secret\n", NULL, &err, "account", "add", "Plain", "--address", "p@example.test",
                           "--imap", imap, "--imap-tls", "none", "--smtp", imap, "--smtp-tls", "starttls",
                           "--password-stdin"), ==, 2);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "--insecure"));
  g_assert_nonnull (strstr (err, "unencrypted"));

  CLI_OK (&out, "account", "list");
  g_assert_cmpstr (out, ==, "");

  g_assert_cmpint (CLI_IN ("secret\n", NULL, NULL, "account", "add", "Plain", "--address", "p@example.test",
                           "--imap", imap, "--imap-tls", "none", "--smtp", imap, "--smtp-tls", "none",
                           "--insecure", "--password-stdin"), ==, 0);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "account", "list");
  g_assert_true (g_str_has_prefix (out, "Plain\tp@example.test\t"));
}

static guint
count_unread (GHashTable *flags)
{
  GHashTableIter iter;
  gpointer bits;
  guint unread = 0;

  g_hash_table_iter_init (&iter, flags);
  while (g_hash_table_iter_next (&iter, NULL, &bits))
    if ((GPOINTER_TO_UINT (bits) & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0)
      unread++;

  return unread;
}

/* The UID of a message the CLI listed, from the cache it wrote. */
static guint32
uid_of (const char *message_id)
{
  g_autofree char *path = pochta_store_get_default_path ();
  g_autofree char *sql = g_strdup_printf ("SELECT uid FROM messages WHERE id = %s", message_id);
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 uid = 0;

  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  pochta_sqlite_query_int64 (db, sql, &uid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (uid, >, 0);

  return uid;
}

static void
test_sync_and_read (void)
{
  g_autofree char *user = fresh_user ("clisync", 5);
  g_autoptr(PochtaImapClient) peer = pochta_test_imap_peer (user);
  g_autoptr(GHashTable) flags = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *alpha_id = NULL;
  static const char * const subjects[] = { "CLI test alpha", "CLI test beta", "CLI test gamma" };
  static const char * const special[][2] = {
    { "Drafts", "drafts" }, { "Sent", "sent" }, { "Trash", "trash" }, { "Junk", "junk" }, { "Archive", "archive" },
  };
  char **row;

  g_test_summary ("sync fills the cache; folders, list and show print what the server holds");

  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    peer_append (peer, "INBOX", subjects[i]);
  flags = peer_flags (peer, "INBOX");
  g_assert_cmpuint (g_hash_table_size (flags), ==, 8);

  add_good_account (user);
  CLI_OK (&out, "sync", user);
  /* Quiet when stdout and stderr are not a terminal. */
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "folders", user);
  rows = rows_of (out);
  row = find_row (rows, 0, "INBOX");
  g_assert_nonnull (row);
  counts = g_strdup_printf ("%u/%u", count_unread (flags), g_hash_table_size (flags));
  g_assert_cmpstr (row[1], ==, "inbox");
  g_assert_cmpstr (row[2], ==, counts);
  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    {
      row = find_row (rows, 0, special[i][0]);
      g_assert_nonnull (row);
      g_assert_cmpstr (row[1], ==, special[i][1]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 8);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    {
      row = find_row (rows, 4, subjects[i]);
      g_assert_nonnull (row);
      /* Appended without \Seen: new, not flagged, no attachment. */
      g_assert_cmpstr (row[1], ==, "N--");
      g_assert_cmpstr (row[3], ==, "Peer <peer@example.test>");
      if (i == 0)
        alpha_id = g_strdup (row[0]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Newest first: the three appended just now lead. */
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX", "--account", user, "--limit", "2");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (g_str_has_prefix (((char **) g_ptr_array_index (rows, i))[4], "CLI test "));
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX", "--unread");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, count_unread (flags));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* body-days 0: show fetches the body now. */
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "show", alpha_id);
  g_assert_nonnull (strstr (out, "From: Peer <peer@example.test>\n"));
  g_assert_nonnull (strstr (out, "Subject: CLI test alpha\n"));
  g_assert_nonnull (strstr (out, "\n\nBody of CLI test alpha.\n"));
  /* Showing is not reading. */
  g_clear_pointer (&flags, g_hash_table_unref);
  flags = peer_flags (peer, "INBOX");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (flags, GUINT_TO_POINTER (uid_of (alpha_id))))
                    & POCHTA_MESSAGE_FLAG_SEEN, ==, 0);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "show", "999999"), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "999999"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "list", "No Such Folder"), ==, 1);
  assert_one_line (err);
  g_assert_nonnull (strstr (err, "No Such Folder"));
}

static guint32
server_flags_of (PochtaImapClient *peer,
                 const char       *mailbox,
                 guint32           uid)
{
  g_autoptr(GHashTable) flags = peer_flags (peer, mailbox);

  return GPOINTER_TO_UINT (g_hash_table_lookup (flags, GUINT_TO_POINTER (uid)));
}

static guint
server_count (PochtaImapClient *peer,
              const char       *mailbox)
{
  g_autoptr(GHashTable) flags = peer_flags (peer, mailbox);

  return g_hash_table_size (flags);
}

static void
test_actions (void)
{
  g_autofree char *user = fresh_user ("cliactions", 6);
  g_autoptr(PochtaImapClient) peer = pochta_test_imap_peer (user);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ids[4] = { NULL };
  guint32 uids[4];
  guint32 bits;

  g_test_summary ("mark, move and delete change the cache, queue, and reach the server; --offline only "
                  "queues, pending lists it and the next sync sends it");

  add_good_account (user);
  CLI_OK (NULL, "sync", user);
  CLI_OK (&out, "list", "INBOX");
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      ids[i] = g_strdup (((char **) g_ptr_array_index (rows, i))[0]);
      uids[i] = uid_of (ids[i]);
    }

  CLI_OK (NULL, "mark", ids[0], "--read", "--flag");
  bits = server_flags_of (peer, "INBOX", uids[0]);
  g_assert_cmpuint (bits & POCHTA_MESSAGE_FLAG_SEEN, !=, 0);
  g_assert_cmpuint (bits & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);

  CLI_OK (NULL, "move", ids[1], "--to", "Archive");
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[1]), ==, 0);
  g_assert_cmpuint (server_count (peer, "Archive"), ==, 1);

  CLI_OK (NULL, "delete", ids[2]);
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[2]), ==, 0);
  g_assert_cmpuint (server_count (peer, "Trash"), ==, 1);
  g_assert_cmpuint (server_count (peer, "INBOX"), ==, 4);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending", user);
  g_assert_cmpstr (out, ==, "");

  /* Only queued: the cache shows it at once, the server not yet. */
  CLI_OK (NULL, "mark", ids[3], "--flag", "--offline");
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (out);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, user);
  g_assert_cmpuint (strlen (((char **) g_ptr_array_index (rows, 0))[2]), >, 0);
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[3]) & POCHTA_MESSAGE_FLAG_FLAGGED, ==, 0);

  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "list", "INBOX");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (out);
  g_assert_cmpstr (find_row (rows, 0, ids[3])[1] + 1, ==, "*-");

  CLI_OK (NULL, "sync", user);
  g_clear_pointer (&out, g_free);
  CLI_OK (&out, "pending");
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (server_flags_of (peer, "INBOX", uids[3]) & POCHTA_MESSAGE_FLAG_FLAGGED, !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/imap/account-commands", test_account_commands);
  g_test_add_func ("/cli/imap/insecure-refused", test_insecure_refused);
  g_test_add_func ("/cli/imap/sync-and-read", test_sync_and_read);
  g_test_add_func ("/cli/imap/actions", test_actions);

  return g_test_run ();
}
