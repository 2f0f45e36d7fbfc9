/* pochta-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application object: one instance per session, owner of the windows.
 */

#pragma once

#include <adwaita.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_APPLICATION (pochta_application_get_type())

G_DECLARE_FINAL_TYPE (PochtaApplication, pochta_application, POCHTA, APPLICATION, AdwApplication)

PochtaApplication *pochta_application_new         (void);
PochtaService     *pochta_application_get_service (PochtaApplication *self);

G_END_DECLS
