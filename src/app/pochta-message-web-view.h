/* pochta-message-web-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An HTML message body in a sandboxed WebKitWebView (built only with -Dhtml,
 * into the pochta-web-view module: see pochta-web-view-module.h).
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_WEB_VIEW (pochta_message_web_view_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageWebView, pochta_message_web_view, POCHTA, MESSAGE_WEB_VIEW, GtkWidget)

GtkWidget          *pochta_message_web_view_new                (void);
void                pochta_message_web_view_set_message        (PochtaMessageWebView *self,
                                                                PochtaMessage        *message,
                                                                gboolean              allow_remote);
PochtaMessage      *pochta_message_web_view_get_message        (PochtaMessageWebView *self);
void                pochta_message_web_view_set_allow_remote   (PochtaMessageWebView *self,
                                                                gboolean              allow_remote);
gboolean            pochta_message_web_view_get_allow_remote   (PochtaMessageWebView *self);
gboolean            pochta_message_web_view_get_loaded         (PochtaMessageWebView *self);
const char * const *pochta_message_web_view_get_served_cids    (PochtaMessageWebView *self);
const char         *pochta_message_web_view_get_hovered_link   (PochtaMessageWebView *self);
void                pochta_message_web_view_clear              (PochtaMessageWebView *self);

G_END_DECLS
