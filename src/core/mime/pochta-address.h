/* pochta-address.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decoded mailbox from an address header: display name and address.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_ADDRESS (pochta_address_get_type ())

/**
 * PochtaAddress:
 * @name: (nullable): the display name in UTF-8, RFC 2047 decoded
 * @address: the addr-spec ("user@example.com"), possibly empty for a
 *   malformed header, never %NULL
 *
 * A plain boxed value; the fields are read-only once created.
 */
struct _PochtaAddress
{
  char *name;
  char *address;
};

GType          pochta_address_get_type  (void) G_GNUC_CONST;
PochtaAddress *pochta_address_new       (const char          *name,
                                         const char          *address);
PochtaAddress *pochta_address_copy      (const PochtaAddress *self);
void           pochta_address_free      (PochtaAddress       *self);
char          *pochta_address_to_string (const PochtaAddress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaAddress, pochta_address_free)

G_END_DECLS
