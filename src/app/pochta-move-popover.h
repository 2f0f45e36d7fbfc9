/* pochta-move-popover.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Move to…": a popover listing an account's folders, with a filter entry.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MOVE_POPOVER (pochta_move_popover_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMovePopover, pochta_move_popover, POCHTA, MOVE_POPOVER, GtkPopover)

GtkWidget  *pochta_move_popover_new          (void);
void        pochta_move_popover_set_folders  (PochtaMovePopover *self,
                                              GListModel        *folders,
                                              gint64             current_folder_id);
void        pochta_move_popover_set_filter   (PochtaMovePopover *self,
                                              const char        *text);
GListModel *pochta_move_popover_get_shown    (PochtaMovePopover *self);
void        pochta_move_popover_choose       (PochtaMovePopover *self,
                                              guint              position);

G_END_DECLS
