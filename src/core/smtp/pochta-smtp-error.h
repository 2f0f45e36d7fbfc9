/* pochta-smtp-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the smtp module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_SMTP_ERROR (pochta_smtp_error_quark ())

typedef enum
{
  POCHTA_SMTP_ERROR_PARSE,
  POCHTA_SMTP_ERROR_LIMIT,
  POCHTA_SMTP_ERROR_PROTOCOL,
  POCHTA_SMTP_ERROR_REJECTED,
  POCHTA_SMTP_ERROR_AUTH_FAILED,
  POCHTA_SMTP_ERROR_CAPABILITY,
  POCHTA_SMTP_ERROR_MESSAGE_TOO_LARGE,
} PochtaSmtpError;

GQuark pochta_smtp_error_quark (void);

G_END_DECLS
