/* pochta-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a profile lives: a development build (-Dprofile=development) keeps
 * its own directories so that it runs beside an installed release.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

const char *pochta_profile_get_name       (void);
char       *pochta_profile_get_data_dir   (void);
char       *pochta_profile_get_config_dir (void);
char       *pochta_profile_get_cache_dir  (void);

G_END_DECLS
