/* pochta-message-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message list: a folder's messages in a list view with multi-selection.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_LIST (pochta_message_list_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageList, pochta_message_list, POCHTA, MESSAGE_LIST, GtkWidget)

GtkWidget            *pochta_message_list_new                  (void);
void                  pochta_message_list_set_model            (PochtaMessageList *self,
                                                                GListModel        *messages,
                                                                gboolean           show_recipients);
GListModel           *pochta_message_list_get_model            (PochtaMessageList *self);
GtkSelectionModel    *pochta_message_list_get_selection        (PochtaMessageList *self);
guint                 pochta_message_list_get_n_selected       (PochtaMessageList *self);
GArray               *pochta_message_list_get_selected_ids     (PochtaMessageList *self);
GPtrArray            *pochta_message_list_get_selected         (PochtaMessageList *self);
PochtaMessageSummary *pochta_message_list_get_single_selected  (PochtaMessageList *self);
void                  pochta_message_list_select_position      (PochtaMessageList *self,
                                                                guint              position);
gboolean              pochta_message_list_select_id            (PochtaMessageList *self,
                                                                gint64             id,
                                                                guint              max_rows);
GtkWidget            *pochta_message_list_get_list_view        (PochtaMessageList *self);

G_END_DECLS
