/* pochta-mime-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the mime module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_MIME_ERROR (pochta_mime_error_quark ())

typedef enum
{
  POCHTA_MIME_ERROR_MALFORMED,
  POCHTA_MIME_ERROR_LIMIT,
  POCHTA_MIME_ERROR_CHARSET,
} PochtaMimeError;

GQuark pochta_mime_error_quark (void);

G_END_DECLS
