/* pochta-sqlite.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin SQLite helpers: open, cached statements, binds and steps that report GError.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _PochtaSqlite PochtaSqlite;

/* A statement from pochta_sqlite_prepare(); the autoptr cleanup resets it
 * (the cache keeps owning it), so an early return never leaves it busy. */
typedef sqlite3_stmt PochtaSqliteStmt;

typedef enum
{
  POCHTA_SQLITE_OPEN_READ_WRITE = 0,
  POCHTA_SQLITE_OPEN_READ_ONLY  = 1 << 0,
  POCHTA_SQLITE_OPEN_CREATE     = 1 << 1,
} PochtaSqliteOpenFlags;

PochtaSqlite     *pochta_sqlite_open              (const char             *path,
                                                   PochtaSqliteOpenFlags   flags,
                                                   GError                **error);
void              pochta_sqlite_close             (PochtaSqlite           *db);
sqlite3          *pochta_sqlite_get_handle        (PochtaSqlite           *db);
const char       *pochta_sqlite_get_path          (PochtaSqlite           *db);
gboolean          pochta_sqlite_exec              (PochtaSqlite           *db,
                                                   const char             *sql,
                                                   GError                **error);
PochtaSqliteStmt *pochta_sqlite_prepare           (PochtaSqlite           *db,
                                                   const char             *sql,
                                                   GError                **error);
void              pochta_sqlite_stmt_release      (PochtaSqliteStmt       *stmt);
int               pochta_sqlite_step              (PochtaSqlite           *db,
                                                   PochtaSqliteStmt       *stmt,
                                                   GError                **error);
gboolean          pochta_sqlite_step_done         (PochtaSqlite           *db,
                                                   PochtaSqliteStmt       *stmt,
                                                   GError                **error);
gboolean          pochta_sqlite_query_int64       (PochtaSqlite           *db,
                                                   const char             *sql,
                                                   gint64                 *value,
                                                   GError                **error);
void              pochta_sqlite_bind_text         (PochtaSqliteStmt       *stmt,
                                                   int                     column,
                                                   const char             *text);
void              pochta_sqlite_bind_int64        (PochtaSqliteStmt       *stmt,
                                                   int                     column,
                                                   gint64                  value);
void              pochta_sqlite_bind_null         (PochtaSqliteStmt       *stmt,
                                                   int                     column);
gboolean          pochta_sqlite_bind_bytes        (PochtaSqlite           *db,
                                                   PochtaSqliteStmt       *stmt,
                                                   int                     column,
                                                   GBytes                 *bytes,
                                                   GError                **error);
const char       *pochta_sqlite_column_text       (PochtaSqliteStmt       *stmt,
                                                   int                     column);
char             *pochta_sqlite_column_dup_text   (PochtaSqliteStmt       *stmt,
                                                   int                     column);
GBytes           *pochta_sqlite_column_bytes      (PochtaSqliteStmt       *stmt,
                                                   int                     column);
gboolean          pochta_sqlite_begin             (PochtaSqlite           *db,
                                                   gboolean                immediate,
                                                   GError                **error);
gboolean          pochta_sqlite_commit            (PochtaSqlite           *db,
                                                   GError                **error);
void              pochta_sqlite_rollback          (PochtaSqlite           *db);
gboolean          pochta_sqlite_in_transaction    (PochtaSqlite           *db);
void              pochta_sqlite_set_error         (GError                **error,
                                                   PochtaSqlite           *db,
                                                   int                     rc,
                                                   const char             *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaSqlite, pochta_sqlite_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaSqliteStmt, pochta_sqlite_stmt_release)

G_END_DECLS
