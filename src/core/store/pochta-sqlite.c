/* pochta-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin SQLite helpers: open, cached statements, binds and steps that report GError.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-sqlite.h"
#include "pochta-store-error.h"

/* How long a connection waits on another's lock before SQLITE_BUSY. Only
 * the migration step and checkpoints can meet a lock in WAL mode. */
#define BUSY_TIMEOUT_MS 5000

struct _PochtaSqlite
{
  sqlite3    *handle;
  char       *path;
  /* SQL text -> sqlite3_stmt*, prepared once with SQLITE_PREPARE_PERSISTENT */
  GHashTable *statements;
  /* the address of the SQL text a caller passed -> the same statements;
   * see pochta_sqlite_prepare() */
  GHashTable *by_address;
};

void
pochta_sqlite_set_error (GError       **error,
                         PochtaSqlite  *db,
                         int            rc,
                         const char    *context)
{
  const char *message;
  int code;

  message = db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = POCHTA_STORE_ERROR_FULL;
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = POCHTA_STORE_ERROR_CORRUPT;
      break;

    default:
      code = POCHTA_STORE_ERROR_SQLITE;
      break;
    }

  /* The person can act on a full disk; SQLite's words add nothing. */
  if (code == POCHTA_STORE_ERROR_FULL)
    g_set_error_literal (error, POCHTA_STORE_ERROR, code,
                         _("The mail cache is full: no space is left on its disk. "
                           "Free some space, then synchronize again."));
  else if (code == POCHTA_STORE_ERROR_CORRUPT)
    g_set_error (error, POCHTA_STORE_ERROR, code,
                 _("The mail cache is damaged: %s: %s (SQLite error %d)"),
                 context, message, rc);
  else
    g_set_error (error, POCHTA_STORE_ERROR, code,
                 _("Mail cache error: %s: %s (SQLite error %d)"),
                 context, message, rc);
}

static void
stmt_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

/* Each connection is used by one thread at a time (NOMUTEX), so the one
 * global lock left is SQLite's count of the memory it holds, taken on every
 * allocation: a few percent of a writer's time, for a figure nobody reads.
 * This has to come before SQLite initialises itself. */
static void
configure_once (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
}

PochtaSqlite *
pochta_sqlite_open (const char             *path,
                    PochtaSqliteOpenFlags   flags,
                    GError                **error)
{
  g_autoptr(PochtaSqlite) db = NULL;
  int open_flags = SQLITE_OPEN_NOMUTEX;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  configure_once ();
  if (flags & POCHTA_SQLITE_OPEN_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE;
  if (flags & POCHTA_SQLITE_OPEN_CREATE)
    open_flags |= SQLITE_OPEN_CREATE;

  db = g_new0 (PochtaSqlite, 1);
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  db->by_address = g_hash_table_new (NULL, NULL);

  rc = sqlite3_open_v2 (path, &db->handle, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *context = g_strdup_printf (_("Could not open “%s”"), path);

      pochta_sqlite_set_error (error, db, rc, context);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, TRUE);
  sqlite3_busy_timeout (db->handle, BUSY_TIMEOUT_MS);

  return g_steal_pointer (&db);
}

void
pochta_sqlite_close (PochtaSqlite *db)
{
  if (db == NULL)
    return;

  /* Statements first: sqlite3_close() refuses while any is alive. */
  g_clear_pointer (&db->by_address, g_hash_table_unref);
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    {
      int rc = sqlite3_close (db->handle);

      if (rc != SQLITE_OK)
        g_warning ("Closing %s: %s", db->path, sqlite3_errstr (rc));
    }
  g_free (db->path);
  g_free (db);
}

sqlite3 *
pochta_sqlite_get_handle (PochtaSqlite *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return db->handle;
}

const char *
pochta_sqlite_get_path (PochtaSqlite *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return db->path;
}

gboolean
pochta_sqlite_exec (PochtaSqlite  *db,
                    const char    *sql,
                    GError       **error)
{
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      pochta_sqlite_set_error (error, db, rc, _("Could not run a statement"));
      return FALSE;
    }

  return TRUE;
}

PochtaSqliteStmt *
pochta_sqlite_prepare (PochtaSqlite  *db,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  /* Callers pass string literals, so the same address comes back each
   * time: finding the statement by it and comparing the text (the address
   * may since hold other SQL) costs a fraction of hashing the text, which
   * was a twentieth of the writer's time in a header sync. */
  stmt = g_hash_table_lookup (db->by_address, sql);
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      stmt = g_hash_table_lookup (db->statements, sql);
      if (stmt != NULL)
        g_hash_table_insert (db->by_address, (gpointer) sql, stmt);
    }
  if (stmt != NULL)
    {
      /* A busy statement here means a caller still steps it further up
       * the stack; resetting it would corrupt that loop. */
      g_return_val_if_fail (!sqlite3_stmt_busy (stmt), NULL);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      pochta_sqlite_set_error (error, db, rc, _("Could not prepare a statement"));
      return NULL;
    }

  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  g_hash_table_insert (db->by_address, (gpointer) sql, stmt);

  return stmt;
}

void
pochta_sqlite_stmt_release (PochtaSqliteStmt *stmt)
{
  if (stmt == NULL)
    return;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Returns SQLITE_ROW or SQLITE_DONE, or 0 (which sqlite3_step never
 * returns) with @error set. */
int
pochta_sqlite_step (PochtaSqlite      *db,
                    PochtaSqliteStmt  *stmt,
                    GError           **error)
{
  int rc;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (stmt != NULL, 0);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  pochta_sqlite_set_error (error, db, rc, _("Could not run a statement"));
  /* The error is reported; reset so the cached statement is usable again. */
  sqlite3_reset (stmt);

  return 0;
}

gboolean
pochta_sqlite_step_done (PochtaSqlite      *db,
                         PochtaSqliteStmt  *stmt,
                         GError           **error)
{
  int rc = pochta_sqlite_step (db, stmt, error);

  if (rc == 0)
    return FALSE;

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
pochta_sqlite_query_int64 (PochtaSqlite  *db,
                           const char    *sql,
                           gint64        *value,
                           GError       **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  int rc;

  if (!(stmt = pochta_sqlite_prepare (db, sql, error)))
    return FALSE;

  rc = pochta_sqlite_step (db, stmt, error);
  if (rc == 0)
    return FALSE;

  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;

  return TRUE;
}

/* Binds only fail on a wrong index (a programmer error) or when out of
 * memory, which GLib treats as fatal anyway; text bigger than SQLite's
 * limit cannot come from a header. Raw bodies can, so bytes report it. */
void
pochta_sqlite_bind_text (PochtaSqliteStmt *stmt,
                         int               column,
                         const char       *text)
{
  int rc;

  if (text == NULL)
    rc = sqlite3_bind_null (stmt, column);
  else
    rc = sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);

  if (rc != SQLITE_OK)
    g_critical ("Binding text to parameter %d: %s", column, sqlite3_errstr (rc));
}

void
pochta_sqlite_bind_int64 (PochtaSqliteStmt *stmt,
                          int               column,
                          gint64            value)
{
  int rc = sqlite3_bind_int64 (stmt, column, value);

  if (rc != SQLITE_OK)
    g_critical ("Binding an integer to parameter %d: %s", column, sqlite3_errstr (rc));
}

void
pochta_sqlite_bind_null (PochtaSqliteStmt *stmt,
                         int               column)
{
  int rc = sqlite3_bind_null (stmt, column);

  if (rc != SQLITE_OK)
    g_critical ("Binding NULL to parameter %d: %s", column, sqlite3_errstr (rc));
}

gboolean
pochta_sqlite_bind_bytes (PochtaSqlite      *db,
                          PochtaSqliteStmt  *stmt,
                          int                column,
                          GBytes            *bytes,
                          GError           **error)
{
  gsize size = 0;
  gconstpointer data;
  int rc;

  if (bytes == NULL)
    {
      pochta_sqlite_bind_null (stmt, column);
      return TRUE;
    }

  data = g_bytes_get_data (bytes, &size);
  /* The statement only lives until the caller steps and resets it, and the
   * caller holds @bytes for that long, so SQLite need not copy. */
  rc = sqlite3_bind_blob64 (stmt, column, data != NULL ? data : "", size, SQLITE_STATIC);
  if (rc != SQLITE_OK)
    {
      pochta_sqlite_set_error (error, db, rc, _("Could not store a message body"));
      return FALSE;
    }

  return TRUE;
}

const char *
pochta_sqlite_column_text (PochtaSqliteStmt *stmt,
                           int               column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

char *
pochta_sqlite_column_dup_text (PochtaSqliteStmt *stmt,
                               int               column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GBytes *
pochta_sqlite_column_bytes (PochtaSqliteStmt *stmt,
                            int               column)
{
  gconstpointer data;
  int size;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  data = sqlite3_column_blob (stmt, column);
  size = sqlite3_column_bytes (stmt, column);

  return g_bytes_new (data, size);
}

gboolean
pochta_sqlite_begin (PochtaSqlite  *db,
                     gboolean       immediate,
                     GError       **error)
{
  /* IMMEDIATE takes the write lock at once, so a writer never has to
   * upgrade a read transaction and meet SQLITE_BUSY half way through. */
  return pochta_sqlite_exec (db, immediate ? "BEGIN IMMEDIATE" : "BEGIN", error);
}

gboolean
pochta_sqlite_commit (PochtaSqlite  *db,
                      GError       **error)
{
  return pochta_sqlite_exec (db, "COMMIT", error);
}

void
pochta_sqlite_rollback (PochtaSqlite *db)
{
  g_autoptr(GError) error = NULL;

  /* SQLite may already have rolled back by itself (SQLITE_FULL, IOERR). */
  if (sqlite3_get_autocommit (db->handle))
    return;

  if (!pochta_sqlite_exec (db, "ROLLBACK", &error))
    g_warning ("%s", error->message);
}

gboolean
pochta_sqlite_in_transaction (PochtaSqlite *db)
{
  g_return_val_if_fail (db != NULL, FALSE);

  return !sqlite3_get_autocommit (db->handle);
}
