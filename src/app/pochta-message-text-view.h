/* pochta-message-text-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain text message body: read-only, clickable links, coloured quote levels.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_TEXT_VIEW (pochta_message_text_view_get_type ())

/* Quote levels beyond this share the last colour. */
#define POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS 4

G_DECLARE_FINAL_TYPE (PochtaMessageTextView, pochta_message_text_view, POCHTA, MESSAGE_TEXT_VIEW, GtkTextView)

GtkWidget *pochta_message_text_view_new          (void);
void       pochta_message_text_view_set_text     (PochtaMessageTextView *self,
                                                  const char            *text);
char      *pochta_message_text_view_get_link_at  (PochtaMessageTextView *self,
                                                  const GtkTextIter     *iter);
void       pochta_message_text_view_open_link    (PochtaMessageTextView *self,
                                                  const char            *uri);

guint      pochta_text_quote_level               (const char            *line,
                                                  gssize                 length);

G_END_DECLS
