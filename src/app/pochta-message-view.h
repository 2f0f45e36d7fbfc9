/* pochta-message-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader: one message's header, attachments and body, or why there is none.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_VIEW (pochta_message_view_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageView, pochta_message_view, POCHTA, MESSAGE_VIEW, GtkWidget)

GtkWidget     *pochta_message_view_new                  (void);
void           pochta_message_view_show_empty           (PochtaMessageView *self);
void           pochta_message_view_show_n_selected      (PochtaMessageView *self,
                                                         guint              n_selected);
void           pochta_message_view_show_loading         (PochtaMessageView *self);
void           pochta_message_view_show_offline         (PochtaMessageView *self);
void           pochta_message_view_show_error           (PochtaMessageView *self,
                                                         const GError      *error);
void           pochta_message_view_set_message          (PochtaMessageView *self,
                                                         PochtaMessage     *message);
PochtaMessage *pochta_message_view_get_message          (PochtaMessageView *self);
const char    *pochta_message_view_get_state            (PochtaMessageView *self);
gboolean       pochta_message_view_get_showing_html     (PochtaMessageView *self);
gboolean       pochta_message_view_get_remote_blocked   (PochtaMessageView *self);
void           pochta_message_view_show_remote_content  (PochtaMessageView *self,
                                                         gboolean           always_for_sender);
GtkWidget     *pochta_message_view_get_header           (PochtaMessageView *self);
GtkWidget     *pochta_message_view_get_text_view        (PochtaMessageView *self);
GtkWidget     *pochta_message_view_get_web_view         (PochtaMessageView *self);
GtkWidget     *pochta_message_view_get_attachment_list  (PochtaMessageView *self);

gboolean       pochta_error_is_offline                  (const GError      *error);

G_END_DECLS
