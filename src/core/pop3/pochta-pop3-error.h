/* pochta-pop3-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the pop3 module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_POP3_ERROR (pochta_pop3_error_quark ())

typedef enum
{
  POCHTA_POP3_ERROR_PARSE,
  POCHTA_POP3_ERROR_LIMIT,
  POCHTA_POP3_ERROR_PROTOCOL,
  POCHTA_POP3_ERROR_ERR,
  POCHTA_POP3_ERROR_AUTH_FAILED,
  POCHTA_POP3_ERROR_CAPABILITY,
} PochtaPop3Error;

GQuark pochta_pop3_error_quark (void);

G_END_DECLS
