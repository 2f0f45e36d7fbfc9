/* pochta-message-list-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder's messages, newest first, as a lazy GListModel over pages of SQL rows.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-store.h"
#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_LIST_MODEL (pochta_message_list_model_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageListModel, pochta_message_list_model, POCHTA, MESSAGE_LIST_MODEL, GObject)

PochtaMessageListModel *pochta_message_list_model_new                (PochtaStore            *store,
                                                                      gint64                  folder_id);
PochtaStore            *pochta_message_list_model_get_store          (PochtaMessageListModel *self);
gint64                  pochta_message_list_model_get_folder_id      (PochtaMessageListModel *self);
void                    pochta_message_list_model_reload             (PochtaMessageListModel *self);
void                    pochta_message_list_model_apply_changes      (PochtaMessageListModel *self,
                                                                      PochtaStoreChanges     *changes);
guint                   pochta_message_list_model_get_n_cached_pages (PochtaMessageListModel *self);
guint                   pochta_message_list_model_get_n_page_loads   (PochtaMessageListModel *self);

G_END_DECLS
