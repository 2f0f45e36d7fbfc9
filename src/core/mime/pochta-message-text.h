/* pochta-message-text.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain text from message bodies: HTML to text, and the one-line preview
 * that the message list shows.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_MESSAGE_PREVIEW_LENGTH 200

char *pochta_message_html_to_text (const char *html,
                                   gssize      len);
char *pochta_message_make_preview (const char *text,
                                   guint       max_chars);

G_END_DECLS
