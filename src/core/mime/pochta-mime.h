/* pochta-mime.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place that initialises GMime before any part of the core uses it.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

void pochta_mime_ensure_init (void);

G_END_DECLS
