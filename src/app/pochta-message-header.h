/* pochta-message-header.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader's header block: subject, From, To, Cc and Date.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_HEADER (pochta_message_header_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageHeader, pochta_message_header, POCHTA, MESSAGE_HEADER, GtkWidget)

GtkWidget  *pochta_message_header_new          (void);
void        pochta_message_header_set_message  (PochtaMessageHeader *self,
                                                PochtaMessage       *message);
const char *pochta_message_header_get_field    (PochtaMessageHeader *self,
                                                const char          *field);

G_END_DECLS
