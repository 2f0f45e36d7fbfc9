/* pochta-imap-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the imap module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_IMAP_ERROR (pochta_imap_error_quark ())

typedef enum
{
  POCHTA_IMAP_ERROR_PARSE,
  POCHTA_IMAP_ERROR_LIMIT,
  POCHTA_IMAP_ERROR_PROTOCOL,
  POCHTA_IMAP_ERROR_BAD,
  POCHTA_IMAP_ERROR_NO,
  POCHTA_IMAP_ERROR_BYE,
  POCHTA_IMAP_ERROR_AUTH_FAILED,
  POCHTA_IMAP_ERROR_CAPABILITY,
  POCHTA_IMAP_ERROR_CLOSED,
} PochtaImapError;

GQuark pochta_imap_error_quark (void);

G_END_DECLS
