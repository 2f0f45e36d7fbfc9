/* pochta-store-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the store module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_STORE_ERROR (pochta_store_error_quark ())

typedef enum
{
  POCHTA_STORE_ERROR_SQLITE,
  POCHTA_STORE_ERROR_MIGRATION,
  POCHTA_STORE_ERROR_NOT_FOUND,
  POCHTA_STORE_ERROR_FULL,
  POCHTA_STORE_ERROR_CORRUPT,
  POCHTA_STORE_ERROR_TOO_NEW,
  POCHTA_STORE_ERROR_CLOSED,
} PochtaStoreError;

GQuark pochta_store_error_quark (void);

G_END_DECLS
