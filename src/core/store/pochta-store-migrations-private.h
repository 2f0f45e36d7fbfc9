/* pochta-store-migrations-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PRAGMA user_version migration runner of the store.
 */

#pragma once

#include <glib.h>

#include "pochta-sqlite.h"

G_BEGIN_DECLS

guint    _pochta_store_migrations_get_latest (void);
gboolean _pochta_store_migrate               (PochtaSqlite  *db,
                                              guint          target_version,
                                              GError       **error);

G_END_DECLS
