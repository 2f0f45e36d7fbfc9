/* pochta-address.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decoded mailbox from an address header: display name and address.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include "pochta-address.h"

G_DEFINE_BOXED_TYPE (PochtaAddress, pochta_address, pochta_address_copy, pochta_address_free)

/**
 * pochta_address_new:
 * @name: (nullable): the display name; an empty one is stored as %NULL
 * @address: (nullable): the address
 *
 * Returns: (transfer full): a new #PochtaAddress
 */
PochtaAddress *
pochta_address_new (const char *name,
                    const char *address)
{
  PochtaAddress *self = g_new0 (PochtaAddress, 1);

  self->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  self->address = g_strdup (address != NULL ? address : "");
  return self;
}

PochtaAddress *
pochta_address_copy (const PochtaAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return pochta_address_new (self->name, self->address);
}

void
pochta_address_free (PochtaAddress *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_free (self);
}

/**
 * pochta_address_to_string:
 * @self: a #PochtaAddress
 *
 * Formats the address for display ("Name <user@example.com>"), not for a
 * header: nothing is quoted or encoded.
 *
 * Returns: (transfer full): the display form
 */
char *
pochta_address_to_string (const PochtaAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->name == NULL)
    return g_strdup (self->address);
  if (*self->address == '\0')
    return g_strdup (self->name);
  return g_strdup_printf ("%s <%s>", self->name, self->address);
}
