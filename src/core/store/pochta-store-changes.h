/* pochta-store-changes.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What committed writes changed in one folder, as announced by PochtaStore::folder-changed.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-types.h"

G_BEGIN_DECLS

/* A message row and its place in the newest-first order of a folder. */
typedef struct
{
  gint64 message_id;
  gint64 internal_date;
} PochtaMessageKey;

#define POCHTA_TYPE_STORE_CHANGES (pochta_store_changes_get_type ())

GType                   pochta_store_changes_get_type           (void) G_GNUC_CONST;
PochtaStoreChanges     *pochta_store_changes_ref                (PochtaStoreChanges *changes);
void                    pochta_store_changes_unref              (PochtaStoreChanges *changes);
gint64                  pochta_store_changes_get_folder_id      (PochtaStoreChanges *changes);
gboolean                pochta_store_changes_get_reset          (PochtaStoreChanges *changes);
gboolean                pochta_store_changes_get_folder_changed (PochtaStoreChanges *changes);
const PochtaMessageKey *pochta_store_changes_get_added          (PochtaStoreChanges *changes,
                                                                 guint              *n_keys);
const PochtaMessageKey *pochta_store_changes_get_changed        (PochtaStoreChanges *changes,
                                                                 guint              *n_keys);
const PochtaMessageKey *pochta_store_changes_get_removed        (PochtaStoreChanges *changes,
                                                                 guint              *n_keys);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaStoreChanges, pochta_store_changes_unref)

G_END_DECLS
