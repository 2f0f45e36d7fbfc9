/* pochta-certificate-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person needs to judge a server certificate: names, dates, SHA-256.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-certificate-info.h"

struct _PochtaCertificateInfo
{
  gatomicrefcount       ref_count;
  GTlsCertificate      *certificate;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *fingerprint;
  GTlsCertificateFlags  errors;
};

G_DEFINE_BOXED_TYPE (PochtaCertificateInfo, pochta_certificate_info,
                     pochta_certificate_info_ref, pochta_certificate_info_unref)

#define SHA256_HEX_LEN 64

static char *
format_fingerprint (const char *hex)
{
  GString *out = g_string_sized_new (SHA256_HEX_LEN * 3 / 2);

  for (guint i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }

  return g_string_free (out, FALSE);
}

/**
 * pochta_certificate_fingerprint_sha256:
 * @certificate: a certificate
 *
 * Returns: (transfer full) (nullable): the SHA-256 of the DER encoding as
 *   "AB:CD:…", which is how openssl and browsers print it.
 */
char *
pochta_certificate_fingerprint_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return format_fingerprint (hex);
}

/**
 * pochta_certificate_fingerprint_normalize:
 * @fingerprint: a SHA-256 fingerprint typed or pasted by a person
 *
 * Accepts any case, with or without colons or spaces between the bytes.
 *
 * Returns: (transfer full) (nullable): the canonical "AB:CD:…" form, or
 *   %NULL when @fingerprint is not 32 bytes of hex.
 */
char *
pochta_certificate_fingerprint_normalize (const char *fingerprint)
{
  char hex[SHA256_HEX_LEN + 1];
  guint n = 0;

  if (fingerprint == NULL)
    return NULL;

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '\t')
        continue;
      if (!g_ascii_isxdigit (*p) || n == SHA256_HEX_LEN)
        return NULL;
      hex[n++] = *p;
    }

  if (n != SHA256_HEX_LEN)
    return NULL;
  hex[n] = '\0';

  return format_fingerprint (hex);
}

/**
 * pochta_certificate_fingerprint_equal:
 *
 * Returns: %TRUE when both are valid SHA-256 fingerprints of the same bytes,
 *   whatever their spelling; an invalid one never equals anything.
 */
gboolean
pochta_certificate_fingerprint_equal (const char *a,
                                      const char *b)
{
  g_autofree char *na = pochta_certificate_fingerprint_normalize (a);
  g_autofree char *nb = pochta_certificate_fingerprint_normalize (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

/**
 * pochta_certificate_info_new:
 * @certificate: the certificate a server presented
 * @errors: what GIO's verification found wrong with it (0 when trusted)
 *
 * Returns: (transfer full): a new #PochtaCertificateInfo
 */
PochtaCertificateInfo *
pochta_certificate_info_new (GTlsCertificate      *certificate,
                             GTlsCertificateFlags  errors)
{
  PochtaCertificateInfo *self;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_new0 (PochtaCertificateInfo, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->certificate = g_object_ref (certificate);
  self->subject = g_tls_certificate_get_subject_name (certificate);
  self->issuer = g_tls_certificate_get_issuer_name (certificate);
  self->not_before = g_tls_certificate_get_not_valid_before (certificate);
  self->not_after = g_tls_certificate_get_not_valid_after (certificate);
  self->fingerprint = pochta_certificate_fingerprint_sha256 (certificate);
  self->errors = errors;

  if (self->fingerprint == NULL)
    self->fingerprint = g_strdup ("");

  return self;
}

PochtaCertificateInfo *
pochta_certificate_info_ref (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pochta_certificate_info_unref (PochtaCertificateInfo *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_free (self);
}

GTlsCertificate *
pochta_certificate_info_get_certificate (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->certificate;
}

/* Returns: (nullable): the subject DN, NULL when the backend cannot tell. */
const char *
pochta_certificate_info_get_subject (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject;
}

const char *
pochta_certificate_info_get_issuer (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->issuer;
}

GDateTime *
pochta_certificate_info_get_not_before (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->not_before;
}

GDateTime *
pochta_certificate_info_get_not_after (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->not_after;
}

/* Returns: the canonical "AB:CD:…" SHA-256, the value to pin. */
const char *
pochta_certificate_info_get_fingerprint (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fingerprint;
}

GTlsCertificateFlags
pochta_certificate_info_get_errors (PochtaCertificateInfo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->errors;
}

gboolean
pochta_certificate_info_matches (PochtaCertificateInfo *self,
                                 const char            *fingerprint)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return pochta_certificate_fingerprint_equal (self->fingerprint, fingerprint);
}

/**
 * pochta_certificate_info_dup_problems:
 *
 * Returns: (transfer full) (nullable): why the certificate is not trusted,
 *   as translated clauses joined by "; ", or %NULL when nothing is wrong.
 */
char *
pochta_certificate_info_dup_problems (PochtaCertificateInfo *self)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } problems[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a trusted certificate authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was issued for a different server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("it could not be verified") },
  };
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->errors == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      if ((self->errors & problems[i].flag) == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, _(problems[i].text));
    }

  return g_string_free (out, FALSE);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = NULL;

  if (date == NULL)
    return g_strdup (_("unknown"));

  utc = g_date_time_to_utc (date);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");
}

/**
 * pochta_certificate_info_dup_description:
 *
 * Returns: (transfer full): several translated "Label: value" lines, the
 *   details shown when a certificate is questioned.
 */
char *
pochta_certificate_info_dup_description (PochtaCertificateInfo *self)
{
  g_autofree char *problems = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  problems = pochta_certificate_info_dup_problems (self);
  not_before = format_date (self->not_before);
  not_after = format_date (self->not_after);

  out = g_string_new (NULL);
  g_string_append_printf (out, _("Subject: %s"), self->subject ? self->subject : _("unknown"));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Issuer: %s"), self->issuer ? self->issuer : _("unknown"));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Valid from: %s"), not_before);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Valid until: %s"), not_after);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("SHA-256 fingerprint: %s"), self->fingerprint);
  if (problems != NULL)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, _("Problems: %s"), problems);
    }

  return g_string_free (out, FALSE);
}
