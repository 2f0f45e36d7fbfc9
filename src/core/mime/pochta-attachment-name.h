/* pochta-attachment-name.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns an attachment's file name from a message into one safe to save.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Leaves room under NAME_MAX (255) for a " (2)" a save dialog may add. */
#define POCHTA_ATTACHMENT_NAME_MAX_BYTES 200

char *pochta_attachment_name_sanitize (const char *name);

G_END_DECLS
