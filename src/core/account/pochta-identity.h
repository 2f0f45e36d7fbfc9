/* pochta-identity.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who a message is from: a name, an address, a reply-to and a signature.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_IDENTITY (pochta_identity_get_type ())

G_DECLARE_FINAL_TYPE (PochtaIdentity, pochta_identity, POCHTA, IDENTITY, GObject)

PochtaIdentity *pochta_identity_new                (const char      *name,
                                                    const char      *address);
PochtaIdentity *pochta_identity_copy               (PochtaIdentity  *self);
const char     *pochta_identity_get_name           (PochtaIdentity  *self);
void            pochta_identity_set_name           (PochtaIdentity  *self,
                                                    const char      *name);
const char     *pochta_identity_get_address        (PochtaIdentity  *self);
void            pochta_identity_set_address        (PochtaIdentity  *self,
                                                    const char      *address);
const char     *pochta_identity_get_reply_to       (PochtaIdentity  *self);
void            pochta_identity_set_reply_to       (PochtaIdentity  *self,
                                                    const char      *reply_to);
const char     *pochta_identity_get_signature      (PochtaIdentity  *self);
void            pochta_identity_set_signature      (PochtaIdentity  *self,
                                                    const char      *signature);
gboolean        pochta_identity_get_is_default     (PochtaIdentity  *self);
void            pochta_identity_set_is_default     (PochtaIdentity  *self,
                                                    gboolean         is_default);
gboolean        pochta_identity_validate           (PochtaIdentity  *self,
                                                    GError         **error);
GVariant       *pochta_identity_to_variant         (PochtaIdentity  *self);
PochtaIdentity *pochta_identity_new_from_variant   (GVariant        *variant,
                                                    GError         **error);

gboolean        pochta_address_is_valid            (const char      *address);

G_END_DECLS
