/* pochta-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: folders, the message list and the reader side by side.
 */

#pragma once

#include <adwaita.h>

#include "pochta-application.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_WINDOW (pochta_window_get_type())

G_DECLARE_FINAL_TYPE (PochtaWindow, pochta_window, POCHTA, WINDOW, AdwApplicationWindow)

PochtaWindow *pochta_window_new (PochtaApplication *application);

G_END_DECLS
