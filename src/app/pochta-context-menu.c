/* pochta-context-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row's menu, opened where the pointer is.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include "pochta-context-menu.h"

/* Returns: (transfer none): a menu owned by @parent, which must unparent
 * it when disposed, as it does its other children. */
GtkWidget *
pochta_context_menu_new (GMenuModel *model,
                         GtkWidget  *parent)
{
  GtkWidget *menu = gtk_popover_menu_new_from_model (model);

  gtk_popover_set_has_arrow (GTK_POPOVER (menu), FALSE);
  gtk_widget_set_halign (menu, GTK_ALIGN_START);
  gtk_widget_set_parent (menu, parent);

  return menu;
}

/* Opens @menu at (@x, @y) of @from, a widget inside the menu's parent. */
void
pochta_context_menu_popup_at (GtkWidget *menu,
                              GtkWidget *from,
                              double     x,
                              double     y)
{
  graphene_point_t point;

  g_return_if_fail (GTK_IS_POPOVER (menu));

  if (!gtk_widget_compute_point (from, gtk_widget_get_parent (menu), &GRAPHENE_POINT_INIT (x, y), &point))
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (menu), &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (menu));
}
