/* test-store-migrations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema migrations: from an empty file, from every earlier version with data, and refusals.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "pochta-store-migrations-private.h"
#include "store-test-util.h"

/* Rows valid at a schema version, and a query that finds them (it must
 * return 1) after migrating to the newest. Add an entry whenever a
 * migration changes tables that hold data. */
typedef struct
{
  guint       version;
  const char *seed;
  const char *check;
} Seed;

#define BODIES_SEED \
  "INSERT INTO accounts (id, uuid, display_name) VALUES (10, '5b1c0000-0000-4000-8000-00000000000a', 'B');" \
  "INSERT INTO folders (id, account_id, name, raw_name) VALUES (30, 10, 'Inbox', 'INBOX');" \
  "INSERT INTO folders (id, account_id, name, raw_name) VALUES (31, 10, 'Archive', 'Archive');" \
  "INSERT INTO bodies (id, sha256, size, raw) VALUES (50, 'feed', 4, x'46454544');" \
  "INSERT INTO bodies (id, sha256, size, raw) VALUES (51, 'beef', 4, x'42454546');" \
  "INSERT INTO messages (id, folder_id, uid, message_id, body_id, body_state)" \
  "  VALUES (300, 30, 1, '<b@x>', 50, 2), (301, 31, 9, '<b@x>', 50, 2), (302, 30, 2, '<c@x>', 51, 2);" \
  "UPDATE folders SET total_count = 2 WHERE id = 30;" \
  "UPDATE folders SET total_count = 1 WHERE id = 31;"

static const Seed seeds[] = {
  {
    1,
    "INSERT INTO accounts (id, display_name, incoming_host, incoming_user) VALUES (7, 'Old', 'h', 'u');"
    "INSERT INTO identities (account_id, address, is_default) VALUES (7, 'old@example.org', 1);"
    "INSERT INTO folders (id, account_id, name, raw_name, uidvalidity) VALUES (3, 7, 'Inbox', 'INBOX', 42);"
    "INSERT INTO bodies (id, sha256, size, raw) VALUES (5, 'abc', 3, x'414243');"
    "INSERT INTO messages (id, folder_id, uid, subject, internal_date, body_id, body_state)"
    "  VALUES (11, 3, 100, 'Старое письмо', 1000, 5, 2);"
    /* what pochta_store_transaction_add_messages() writes with a row */
    "INSERT INTO messages_fts (rowid, subject, addresses) VALUES (11, 'Старое письмо', '');"
    "UPDATE folders SET total_count = 1, unread_count = 1 WHERE id = 3;"
    "INSERT INTO pending_ops (account_id, kind, payload) VALUES (7, 'flag', 'uid=100');",
    "SELECT (SELECT count(*) FROM accounts WHERE id = 7 AND display_name = 'Old')"
    " + (SELECT count(*) FROM folders WHERE id = 3 AND uidvalidity = 42 AND total_count = 1)"
    " + (SELECT count(*) FROM messages WHERE id = 11 AND uid = 100 AND body_id = 5)"
    " + (SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'старое')"
    " + (SELECT count(*) FROM pending_ops WHERE kind = 'flag') = 5",
  },
  {
    /* Seeded at schema 2 too, where it has no uuid: test_account_uuid()
     * checks that 0002 gives one to every older account. */
    1,
    "INSERT INTO accounts (id, display_name, incoming_host, incoming_user) VALUES (8, 'Older', 'h', 'u');"
    "INSERT INTO identities (account_id, address) VALUES (8, 'a@example.org');"
    "INSERT INTO identities (account_id, address) VALUES (8, 'b@example.org');",
    "SELECT (SELECT count(DISTINCT uuid) FROM accounts) = (SELECT count(uuid) FROM accounts)"
    " AND (SELECT count(*) FROM accounts WHERE id = 8 AND sync_folder_list IS NULL"
    "      AND smtp_allow_insecure = 0) = 1"
    " AND (SELECT group_concat (address) FROM"
    "      (SELECT address FROM identities WHERE account_id = 8 ORDER BY position))"
    "   = 'a@example.org,b@example.org'",
  },
  {
    2,
    "INSERT INTO accounts (id, uuid, display_name, sync_folder_list, smtp_allow_insecure)"
    "  VALUES (9, '5b1c0000-0000-4000-8000-000000000009', 'New', '[''INBOX'', ''Work'']', 1);"
    "INSERT INTO identities (account_id, address, position) VALUES (9, 'n@example.org', 0);",
    "SELECT count(*) FROM accounts JOIN identities ON identities.account_id = accounts.id"
    " WHERE accounts.id = 9 AND uuid = '5b1c0000-0000-4000-8000-000000000009'"
    " AND sync_folder_list = '[''INBOX'', ''Work'']' AND smtp_allow_insecure = 1",
  },
  {
    /* 0004 rebuilds bodies: its rows and the references to them survive,
     * and the hash is no longer an index. test_bodies_rebuilt() checks
     * that the triggers still free a body with its last message. */
    3,
    BODIES_SEED,
    "SELECT (SELECT count(*) FROM bodies WHERE id = 50 AND sha256 = 'feed' AND raw = x'46454544') = 1"
    " AND (SELECT count(*) FROM bodies WHERE id = 51 AND size = 4) = 1"
    " AND (SELECT count(*) FROM messages WHERE body_id = 50) = 2"
    " AND (SELECT count(*) FROM pragma_index_list ('bodies')) = 0",
  },
};

static char *
schema_of (PochtaSqlite *db)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GString *schema = g_string_new (NULL);
  int rc;

  stmt = pochta_sqlite_prepare (db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name", &error);
  g_assert_no_error (error);
  while ((rc = pochta_sqlite_step (db, stmt, &error)) == SQLITE_ROW)
    g_string_append_printf (schema, "%s %s: %s\n",
                            pochta_sqlite_column_text (stmt, 0),
                            pochta_sqlite_column_text (stmt, 1),
                            pochta_sqlite_column_text (stmt, 2));
  g_assert_no_error (error);

  return g_string_free (schema, FALSE);
}

static void
ensure_data_dir (void)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
}

static char *
fresh_schema (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "fresh.sqlite", NULL);
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;

  ensure_data_dir ();
  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  _pochta_store_migrate (db, 0, &error);
  g_assert_no_error (error);

  return schema_of (db);
}

static void
assert_integrity (PochtaSqlite *db)
{
  g_autofree char *result = store_test_query_text (db, "PRAGMA integrity_check");

  g_assert_cmpstr (result, ==, "ok");
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static void
test_resources (void)
{
  g_test_summary ("The SQL resources are numbered 1..N without gaps");

  g_assert_cmpuint (_pochta_store_migrations_get_latest (), >=, 1);
}

static void
test_from_empty (void)
{
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pochta_store_get_default_path ();
  g_autofree char *mode = NULL;
  PochtaSqlite *reader;

  g_test_summary ("A new cache gets every migration, WAL and an intact database");

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  store = store_test_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  reader = pochta_store_get_reader (store);
  g_assert_nonnull (reader);
  g_assert_cmpint (store_test_query_int (reader, "PRAGMA user_version"), ==,
                   _pochta_store_migrations_get_latest ());
  mode = store_test_query_text (reader, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (store_test_query_int (reader,
                   "SELECT count(*) FROM sqlite_master WHERE name IN ('accounts', 'identities',"
                   " 'folders', 'messages', 'bodies', 'attachments', 'pending_ops', 'outbox',"
                   " 'messages_fts', 'messages_folder_date')"), ==, 10);
  assert_integrity (reader);

  store_test_close (store);
}

/* For every version v before the newest: build a database at v (by the
 * same runner, stopping early), fill it with the rows that version can
 * hold, open it as a store, and check that the schema equals a fresh one
 * and that every row survived. */
static void
test_from_each_version (void)
{
  guint latest = _pochta_store_migrations_get_latest ();
  g_autofree char *expected_schema = fresh_schema ();

  g_test_summary ("Every earlier schema version migrates to the newest keeping its data");

  for (guint version = 0; version <= latest; version++)
    {
      g_autofree char *name = g_strdup_printf ("from-%u.sqlite", version);
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
      g_autoptr(PochtaStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *schema = NULL;
      PochtaSqlite *reader;

      g_test_message ("Migrating from schema %u", version);

      {
        g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);

        g_assert_no_error (error);
        if (version > 0)
          {
            _pochta_store_migrate (db, version, &error);
            g_assert_no_error (error);
          }
        g_assert_cmpint (store_test_query_int (db, "PRAGMA user_version"), ==, version);

        for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
          if (seeds[i].version <= version)
            {
              pochta_sqlite_exec (db, seeds[i].seed, &error);
              g_assert_no_error (error);
            }
      }

      store = store_test_open (path, &error);
      g_assert_no_error (error);
      reader = pochta_store_get_reader (store);

      g_assert_cmpint (store_test_query_int (reader, "PRAGMA user_version"), ==, latest);
      schema = schema_of (reader);
      g_assert_cmpstr (schema, ==, expected_schema);
      for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
        if (seeds[i].version <= version)
          g_assert_cmpint (store_test_query_int (reader, seeds[i].check), ==, 1);
      assert_integrity (reader);

      store_test_close (store);
    }
}

static void
test_bodies_rebuilt (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "bodies.sqlite", NULL);
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("After 0004 rebuilt bodies, a body still goes with its last message, and foreign keys hold");

  ensure_data_dir ();
  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  _pochta_store_migrate (db, 3, &error);
  g_assert_no_error (error);
  pochta_sqlite_exec (db, BODIES_SEED "PRAGMA foreign_keys = ON;", &error);
  g_assert_no_error (error);
  _pochta_store_migrate (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);

  pochta_sqlite_exec (db, "DELETE FROM messages WHERE id = 300", &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM bodies WHERE id = 50"), ==, 1);
  pochta_sqlite_exec (db, "DELETE FROM messages WHERE id = 301; UPDATE messages SET body_id = NULL WHERE id = 302",
                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM bodies"), ==, 0);

  /* The references are enforced again. */
  pochta_sqlite_exec (db, "UPDATE messages SET body_id = 999 WHERE id = 302", &error);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_SQLITE);
}

static void
test_account_uuid (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "uuid.sqlite", NULL);
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  PochtaSqlite *reader;

  g_test_summary ("After 0002 a schema-1 account reads back with a uuid, and the uuid is unique");

  ensure_data_dir ();
  {
    g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    _pochta_store_migrate (db, 1, &error);
    g_assert_no_error (error);
    pochta_sqlite_exec (db,
                        "INSERT INTO accounts (id, display_name, incoming_host, incoming_user)"
                        " VALUES (1, 'One', 'h', 'u'), (2, 'Two', 'h', 'u');", &error);
    g_assert_no_error (error);
  }

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  accounts = pochta_store_list_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  for (guint i = 0; i < accounts->len; i++)
    {
      PochtaAccountRecord *record = g_ptr_array_index (accounts, i);

      g_assert_true (g_uuid_string_is_valid (record->uuid));
      g_assert_cmpint (record->uuid[14], ==, '4');
      g_assert_nonnull (strchr ("89ab", record->uuid[19]));
      g_assert_null (record->sync_folder_list);
    }
  g_assert_cmpstr (((PochtaAccountRecord *) accounts->pdata[0])->uuid, !=,
                   ((PochtaAccountRecord *) accounts->pdata[1])->uuid);

  reader = pochta_store_get_reader (store);
  g_assert_cmpint (store_test_query_int (reader,
                   "SELECT count(*) FROM sqlite_master WHERE name = 'accounts_uuid'"), ==, 1);

  store_test_close (store);

  {
    g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_false (pochta_sqlite_exec (db, "UPDATE accounts SET uuid = (SELECT uuid FROM accounts WHERE id = 1)"
                                            " WHERE id = 2", &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
  }
}

static void
test_too_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "future.sqlite", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", _pochta_store_migrations_get_latest () + 1);
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A cache from a newer Pochta is refused with a clear error, untouched");

  ensure_data_dir ();
  {
    g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    pochta_sqlite_exec (db, "CREATE TABLE from_the_future (x); ", &error);
    g_assert_no_error (error);
    pochta_sqlite_exec (db, pragma, &error);
    g_assert_no_error (error);
  }

  store = store_test_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  {
    g_autoptr(PochtaSqlite) db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_cmpint (store_test_query_int (db, "PRAGMA user_version"), ==,
                     _pochta_store_migrations_get_latest () + 1);
    g_assert_cmpint (store_test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'"), ==, 0);
  }
}

static void
test_not_a_database (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "garbage.sqlite", NULL);
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char garbage[8192];

  g_test_summary ("A file that is not a database is reported as a damaged cache");

  ensure_data_dir ();
  memset (garbage, 'x', sizeof garbage);
  g_file_set_contents (path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);

  store = store_test_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_CORRUPT);
}

static void
test_messages_without_body (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "bodies.sqlite", NULL);
  g_autoptr(PochtaStore) store = NULL;
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  PochtaSqlite *reader;

  g_test_summary ("0003: the background body query walks only rows without a body");

  ensure_data_dir ();
  store = store_test_open (path, &error);
  g_assert_no_error (error);
  reader = pochta_store_get_reader (store);

  /* The shape of the query in pochta-body-sync.c. */
  stmt = pochta_sqlite_prepare (reader,
    "EXPLAIN QUERY PLAN SELECT id, uid FROM messages WHERE folder_id = ?1 AND body_id IS NULL"
    " AND uid < 4294967296 AND internal_date >= ?2 AND (?3 = 0 OR size <= ?3)"
    " ORDER BY internal_date DESC, id DESC LIMIT ?4", &error);
  g_assert_no_error (error);
  while (pochta_sqlite_step (reader, stmt, &error) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  g_assert_no_error (error);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "messages_without_body"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));

  pochta_sqlite_stmt_release (g_steal_pointer (&stmt));
  store_test_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/store/migrations/resources", test_resources);
  g_test_add_func ("/core/store/migrations/from-empty", test_from_empty);
  g_test_add_func ("/core/store/migrations/from-each-version", test_from_each_version);
  g_test_add_func ("/core/store/migrations/bodies-rebuilt", test_bodies_rebuilt);
  g_test_add_func ("/core/store/migrations/account-uuid", test_account_uuid);
  g_test_add_func ("/core/store/migrations/messages-without-body", test_messages_without_body);
  g_test_add_func ("/core/store/migrations/too-new", test_too_new);
  g_test_add_func ("/core/store/migrations/not-a-database", test_not_a_database);

  return g_test_run ();
}
