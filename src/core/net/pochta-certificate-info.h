/* pochta-certificate-info.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person needs to judge a server certificate: names, dates, SHA-256.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_CERTIFICATE_INFO (pochta_certificate_info_get_type ())

GType                  pochta_certificate_info_get_type         (void) G_GNUC_CONST;
PochtaCertificateInfo *pochta_certificate_info_new              (GTlsCertificate       *certificate,
                                                                 GTlsCertificateFlags   errors);
PochtaCertificateInfo *pochta_certificate_info_ref              (PochtaCertificateInfo *self);
void                   pochta_certificate_info_unref            (PochtaCertificateInfo *self);
GTlsCertificate       *pochta_certificate_info_get_certificate  (PochtaCertificateInfo *self);
const char            *pochta_certificate_info_get_subject      (PochtaCertificateInfo *self);
const char            *pochta_certificate_info_get_issuer       (PochtaCertificateInfo *self);
GDateTime             *pochta_certificate_info_get_not_before   (PochtaCertificateInfo *self);
GDateTime             *pochta_certificate_info_get_not_after    (PochtaCertificateInfo *self);
const char            *pochta_certificate_info_get_fingerprint  (PochtaCertificateInfo *self);
GTlsCertificateFlags   pochta_certificate_info_get_errors       (PochtaCertificateInfo *self);
char                  *pochta_certificate_info_dup_problems     (PochtaCertificateInfo *self);
char                  *pochta_certificate_info_dup_description  (PochtaCertificateInfo *self);
gboolean               pochta_certificate_info_matches          (PochtaCertificateInfo *self,
                                                                 const char            *fingerprint);

char                  *pochta_certificate_fingerprint_sha256    (GTlsCertificate       *certificate);
char                  *pochta_certificate_fingerprint_normalize (const char            *fingerprint);
gboolean               pochta_certificate_fingerprint_equal     (const char            *a,
                                                                 const char            *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaCertificateInfo, pochta_certificate_info_unref)

G_END_DECLS
