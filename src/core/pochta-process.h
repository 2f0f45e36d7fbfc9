/* pochta-process.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every Pochta program sets up first in main(): locale and gettext,
 * signals, and how the C library hands memory back.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

void pochta_process_init (void);

G_END_DECLS
