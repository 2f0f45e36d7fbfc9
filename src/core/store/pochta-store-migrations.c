/* pochta-store-migrations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PRAGMA user_version migration runner of the store.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "pochta-store-error.h"
#include "pochta-store-migrations-private.h"
#include "pochta-store-resources.h"

#define SQL_PATH "/io/github/pochta/Pochta/store/sql"

/* Migration N lives in sql/NNNN-what.sql. The list comes from the
 * resource itself, so adding a file to the .gresource.xml is all it takes;
 * a gap in the numbering is a build mistake caught here (and by the tests). */
static GPtrArray *
list_migrations (void)
{
  static GPtrArray *migrations;

  if (g_once_init_enter (&migrations))
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      GPtrArray *paths;

      /* Registered by hand: a constructor in a static library's object
       * file would be dropped by the linker when nothing else uses it. */
      pochta_store_sql_register_resource ();
      names = g_resource_enumerate_children (pochta_store_sql_get_resource (), SQL_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (names == NULL)
        g_error ("The store's SQL resources are missing: %s", error->message);

      paths = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; names[i] != NULL; i++)
        {
          guint64 number = g_ascii_strtoull (names[i], NULL, 10);

          if (number == 0 || !g_str_has_suffix (names[i], ".sql"))
            continue;
          if (number > paths->len)
            g_ptr_array_set_size (paths, number);
          if (g_ptr_array_index (paths, number - 1) != NULL)
            g_error ("Two store migrations are numbered %" G_GUINT64_FORMAT, number);
          g_ptr_array_index (paths, number - 1) = g_strconcat (SQL_PATH "/", names[i], NULL);
        }

      for (guint i = 0; i < paths->len; i++)
        if (g_ptr_array_index (paths, i) == NULL)
          g_error ("Store migration %u is missing", i + 1);

      g_once_init_leave (&migrations, paths);
    }

  return migrations;
}

guint
_pochta_store_migrations_get_latest (void)
{
  return list_migrations ()->len;
}

/* Foreign keys are off while migrations run (see _pochta_store_migrate()),
 * so each one is checked here, before it commits. */
static gboolean
check_foreign_keys (PochtaSqlite  *db,
                    GError       **error)
{
  g_autoptr(PochtaSqliteStmt) stmt = pochta_sqlite_prepare (db, "PRAGMA foreign_key_check", error);

  if (stmt == NULL)
    return FALSE;

  switch (pochta_sqlite_step (db, stmt, error))
    {
    case SQLITE_DONE:
      return TRUE;
    case SQLITE_ROW:
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_MIGRATION,
                   _("A row of the table “%s” refers to a missing row of “%s”"),
                   pochta_sqlite_column_text (stmt, 0), pochta_sqlite_column_text (stmt, 2));
      return FALSE;
    default:
      return FALSE;
    }
}

static gboolean
apply_one (PochtaSqlite  *db,
           guint          version,
           const char    *path,
           GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pragma = NULL;

  bytes = g_resource_lookup_data (pochta_store_sql_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  /* Resource data is NUL terminated, but copy rather than rely on it. */
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  pragma = g_strdup_printf ("PRAGMA user_version = %u", version);

  /* The schema change and the version bump commit together, so a crash
   * mid-way leaves the previous version, whole, to migrate again. */
  if (!pochta_sqlite_begin (db, TRUE, error))
    return FALSE;

  if (!pochta_sqlite_exec (db, sql, error) ||
      !check_foreign_keys (db, error) ||
      !pochta_sqlite_exec (db, pragma, error) ||
      !pochta_sqlite_commit (db, error))
    {
      pochta_sqlite_rollback (db);
      return FALSE;
    }

  g_debug ("Migrated %s to schema %u", pochta_sqlite_get_path (db), version);

  return TRUE;
}

/* Applies migrations @first..@last, stopping at the first that fails. */
static gboolean
apply_range (PochtaSqlite  *db,
             guint          first,
             guint          last,
             GError       **error)
{
  GPtrArray *migrations = list_migrations ();

  for (guint version = first; version <= last; version++)
    {
      g_autoptr(GError) local_error = NULL;

      if (apply_one (db, version, g_ptr_array_index (migrations, version - 1), &local_error))
        continue;

      /* Keep FULL and CORRUPT as they are: they say what to do. */
      if (local_error->domain == POCHTA_STORE_ERROR &&
          (local_error->code == POCHTA_STORE_ERROR_FULL || local_error->code == POCHTA_STORE_ERROR_CORRUPT))
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Could not upgrade the mail cache to schema %u: "), version);
      else
        g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_MIGRATION,
                     _("Could not upgrade the mail cache to schema %u: %s"),
                     version, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Brings @db up to @target_version (0: the latest this build knows). */
gboolean
_pochta_store_migrate (PochtaSqlite  *db,
                       guint          target_version,
                       GError       **error)
{
  GPtrArray *migrations = list_migrations ();
  gint64 current = 0;
  gint64 foreign_keys = 0;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target_version <= migrations->len, FALSE);

  if (target_version == 0)
    target_version = migrations->len;

  if (!pochta_sqlite_query_int64 (db, "PRAGMA user_version", &current, error))
    return FALSE;

  if (current > migrations->len)
    {
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_TOO_NEW,
                   _("The mail cache “%s” was written by a newer version of Pochta "
                     "(schema %lld, this version knows up to %u). "
                     "Update Pochta, or move the file away to start a new cache."),
                   pochta_sqlite_get_path (db), (long long) current, migrations->len);
      return FALSE;
    }

  if (current >= target_version)
    return TRUE;
  if (!pochta_sqlite_query_int64 (db, "PRAGMA foreign_keys", &foreign_keys, error))
    return FALSE;

  /* SQLite's way to change a table it cannot ALTER is to build a new one
   * and drop the old, which with foreign keys on would delete, or refuse
   * to delete, the rows that refer to it. The setting cannot change inside
   * a transaction, so it is off for the whole run. */
  if (!pochta_sqlite_exec (db, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  ok = apply_range (db, current + 1, target_version, error);
  if (foreign_keys && !pochta_sqlite_exec (db, "PRAGMA foreign_keys = ON", ok ? error : NULL))
    ok = FALSE;

  return ok;
}
