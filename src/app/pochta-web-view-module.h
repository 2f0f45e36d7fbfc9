/* pochta-web-view-module.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTML reader (PochtaMessageWebView) lives in a module of its own,
 * pochta-web-view.so, so that the program does not link WebKitGTK and its
 * hundred libraries: it is loaded the first time an HTML message is shown.
 * The module calls the core (pochta_message_*) through the program's
 * exported symbols; the program calls the module through this table.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

/* Raised whenever the table changes, so that a stale module is refused. */
#define POCHTA_WEB_VIEW_MODULE_VERSION 1

/* The one symbol the module exports. */
#define POCHTA_WEB_VIEW_MODULE_ENTRY "pochta_web_view_module_get"

typedef struct
{
  guint        version;
  GtkWidget *(*new_view)         (void);
  void       (*set_message)      (GtkWidget     *view,
                                  PochtaMessage *message,
                                  gboolean       allow_remote);
  void       (*set_allow_remote) (GtkWidget     *view,
                                  gboolean       allow_remote);
  void       (*clear)            (GtkWidget     *view);
} PochtaWebViewModule;

typedef const PochtaWebViewModule *(*PochtaWebViewModuleEntry) (void);

const PochtaWebViewModule *pochta_web_view_module_load (void);

gboolean                   pochta_html_has_remote_content (const char *html);

G_END_DECLS
