/* pochta-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: folders, the message list and the reader side by side.
 */

#pragma once

#include <adwaita.h>

#include "pochta-application.h"
#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_WINDOW (pochta_window_get_type())

G_DECLARE_FINAL_TYPE (PochtaWindow, pochta_window, POCHTA, WINDOW, AdwApplicationWindow)

typedef enum
{
  POCHTA_WINDOW_PAGE_FOLDERS,
  POCHTA_WINDOW_PAGE_MESSAGES,
  POCHTA_WINDOW_PAGE_READER,
} PochtaWindowPage;

PochtaWindow     *pochta_window_new              (PochtaApplication *application);
void              pochta_window_set_service      (PochtaWindow      *self,
                                                  PochtaService     *service);
PochtaService    *pochta_window_get_service      (PochtaWindow      *self);
PochtaFolder     *pochta_window_get_folder       (PochtaWindow      *self);
gboolean          pochta_window_select_folder    (PochtaWindow      *self,
                                                  gint64             folder_id);
void              pochta_window_open_message     (PochtaWindow      *self,
                                                  gint64             message_id);
void              pochta_window_add_toast        (PochtaWindow      *self,
                                                  AdwToast          *toast);
AdwToast         *pochta_window_get_last_toast   (PochtaWindow      *self);
gboolean          pochta_window_get_narrow       (PochtaWindow      *self);
PochtaWindowPage  pochta_window_get_page         (PochtaWindow      *self);

G_END_DECLS
