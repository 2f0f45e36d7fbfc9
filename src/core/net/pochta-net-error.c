/* pochta-net-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the net module, whose certificate errors carry details.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include "pochta-certificate-info.h"
#include "pochta-net-error.h"

/* An extended error domain lets a certificate failure travel as an ordinary
 * GError through GTask, g_prefix_error and g_error_copy while still carrying
 * the certificate that the UI shows and that "accept" pins. */
typedef struct
{
  PochtaCertificateInfo *certificate_info;
} PochtaNetErrorPrivate;

static void
pochta_net_error_private_init (PochtaNetErrorPrivate *priv)
{
  priv->certificate_info = NULL;
}

static void
pochta_net_error_private_copy (const PochtaNetErrorPrivate *src,
                               PochtaNetErrorPrivate       *dest)
{
  dest->certificate_info = src->certificate_info
                           ? pochta_certificate_info_ref (src->certificate_info)
                           : NULL;
}

static void
pochta_net_error_private_clear (PochtaNetErrorPrivate *priv)
{
  g_clear_pointer (&priv->certificate_info, pochta_certificate_info_unref);
}

G_DEFINE_EXTENDED_ERROR (PochtaNetError, pochta_net_error)

/**
 * pochta_net_error_new_for_certificate:
 * @code: usually %POCHTA_NET_ERROR_TLS_CERTIFICATE or %POCHTA_NET_ERROR_TLS_PIN_MISMATCH
 * @info: the certificate the server presented
 * @summary: one translated sentence saying what went wrong
 *
 * Returns: (transfer full): an error whose message is @summary followed by
 *   the certificate's subject, issuer, dates and fingerprint, and from which
 *   pochta_net_error_get_certificate_info() returns @info.
 */
GError *
pochta_net_error_new_for_certificate (PochtaNetError         code,
                                      PochtaCertificateInfo *info,
                                      const char            *summary)
{
  g_autofree char *description = NULL;
  GError *error;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (summary != NULL, NULL);

  description = pochta_certificate_info_dup_description (info);
  error = g_error_new (POCHTA_NET_ERROR, code, "%s\n\n%s", summary, description);
  pochta_net_error_get_private (error)->certificate_info = pochta_certificate_info_ref (info);

  return error;
}

/**
 * pochta_net_error_get_certificate_info:
 * @error: any error
 *
 * Returns: (transfer none) (nullable): the certificate a TLS error was
 *   about, or %NULL when @error carries none.
 */
PochtaCertificateInfo *
pochta_net_error_get_certificate_info (const GError *error)
{
  if (error == NULL || error->domain != POCHTA_NET_ERROR)
    return NULL;

  return pochta_net_error_get_private (error)->certificate_info;
}
