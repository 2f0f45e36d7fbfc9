/* pochta-folder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cached folder (name, role, sync state, counts), as handed to the service and UI.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-store-records.h"
#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_FOLDER (pochta_folder_get_type ())

G_DECLARE_FINAL_TYPE (PochtaFolder, pochta_folder, POCHTA, FOLDER, GObject)

gint64                 pochta_folder_get_id            (PochtaFolder *self);
gint64                 pochta_folder_get_account_id    (PochtaFolder *self);
const char            *pochta_folder_get_name          (PochtaFolder *self);
const char            *pochta_folder_get_raw_name      (PochtaFolder *self);
const char            *pochta_folder_get_delimiter     (PochtaFolder *self);
gint64                 pochta_folder_get_parent_id     (PochtaFolder *self);
PochtaFolderRole       pochta_folder_get_role          (PochtaFolder *self);
const char            *pochta_folder_get_attributes    (PochtaFolder *self);
guint32                pochta_folder_get_uidvalidity   (PochtaFolder *self);
guint32                pochta_folder_get_uidnext       (PochtaFolder *self);
guint64                pochta_folder_get_highestmodseq (PochtaFolder *self);
guint                  pochta_folder_get_unread_count  (PochtaFolder *self);
guint                  pochta_folder_get_total_count   (PochtaFolder *self);
gboolean               pochta_folder_get_subscribed    (PochtaFolder *self);
PochtaFolderSyncState  pochta_folder_get_sync_state    (PochtaFolder *self);
gint64                 pochta_folder_get_last_sync     (PochtaFolder *self);
void                   pochta_folder_update            (PochtaFolder *self,
                                                        PochtaFolder *other);

G_END_DECLS
