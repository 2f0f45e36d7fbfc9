/* pochta-service-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the service module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_SERVICE_ERROR (pochta_service_error_quark ())

typedef enum
{
  POCHTA_SERVICE_ERROR_NOT_FOUND,
  POCHTA_SERVICE_ERROR_BUSY,
  /* Not in the cache, and the server cannot be reached now. */
  POCHTA_SERVICE_ERROR_OFFLINE,
  POCHTA_SERVICE_ERROR_INVALID,
} PochtaServiceError;

GQuark pochta_service_error_quark (void);

G_END_DECLS
