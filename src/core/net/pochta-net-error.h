/* pochta-net-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the net module, whose certificate errors carry details.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_NET_ERROR (pochta_net_error_quark ())

/* Timeouts are reported as G_IO_ERROR_TIMED_OUT and refused connections as
 * G_IO_ERROR_CONNECTION_REFUSED, as GIO itself does, so that callers test
 * one code whichever layer noticed. */
typedef enum
{
  POCHTA_NET_ERROR_FAILED,
  POCHTA_NET_ERROR_CLOSED,                /* the server hung up, cleanly or not */
  POCHTA_NET_ERROR_LINE_TOO_LONG,         /* past max-line-length; the connection is closed */
  POCHTA_NET_ERROR_TLS_CERTIFICATE,       /* untrusted; carries a PochtaCertificateInfo */
  POCHTA_NET_ERROR_TLS_PIN_MISMATCH,      /* not the pinned one; carries a PochtaCertificateInfo */
  POCHTA_NET_ERROR_TLS_FAILED,            /* no TLS spoken, or the handshake broke off */
  POCHTA_NET_ERROR_STARTTLS_UNAVAILABLE,  /* for protocol clients: STARTTLS required, not offered */
  POCHTA_NET_ERROR_PROTOCOL,              /* e.g. plaintext injected after the STARTTLS go-ahead */
} PochtaNetError;

GQuark                 pochta_net_error_quark                (void);
GError                *pochta_net_error_new_for_certificate  (PochtaNetError          code,
                                                              PochtaCertificateInfo  *info,
                                                              const char             *summary);
PochtaCertificateInfo *pochta_net_error_get_certificate_info (const GError           *error);

G_END_DECLS
