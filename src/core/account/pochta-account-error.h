/* pochta-account-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the account module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_ACCOUNT_ERROR (pochta_account_error_quark ())

typedef enum
{
  POCHTA_ACCOUNT_ERROR_INVALID,
  POCHTA_ACCOUNT_ERROR_NO_PASSWORD,
  POCHTA_ACCOUNT_ERROR_SECRET,
} PochtaAccountError;

GQuark pochta_account_error_quark (void);

G_END_DECLS
