/* pochta-message-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One message in the message list: sender, subject, date, preview and flags.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_ROW (pochta_message_row_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageRow, pochta_message_row, POCHTA, MESSAGE_ROW, GtkWidget)

GtkWidget            *pochta_message_row_new                 (void);
void                  pochta_message_row_set_summary         (PochtaMessageRow     *self,
                                                              PochtaMessageSummary *summary);
PochtaMessageSummary *pochta_message_row_get_summary         (PochtaMessageRow     *self);
void                  pochta_message_row_set_show_recipients (PochtaMessageRow     *self,
                                                              gboolean              show_recipients);
const char           *pochta_message_row_get_field           (PochtaMessageRow     *self,
                                                              const char           *field);

G_END_DECLS
