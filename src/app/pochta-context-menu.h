/* pochta-context-menu.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row's menu, opened where the pointer is: the message list's and the
 * folder sidebar's.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *pochta_context_menu_new      (GMenuModel *model,
                                         GtkWidget  *parent);
void       pochta_context_menu_popup_at (GtkWidget  *menu,
                                         GtkWidget  *from,
                                         double      x,
                                         double      y);

G_END_DECLS
