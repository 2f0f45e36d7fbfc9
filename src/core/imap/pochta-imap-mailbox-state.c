/* pochta-imap-mailbox-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What SELECT/EXAMINE reported about a mailbox, kept current while it stays selected.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include "pochta-imap-mailbox-state.h"

G_DEFINE_BOXED_TYPE (PochtaImapMailboxState, pochta_imap_mailbox_state,
                     pochta_imap_mailbox_state_copy, pochta_imap_mailbox_state_free)

PochtaImapMailboxState *
pochta_imap_mailbox_state_new (const char *name)
{
  PochtaImapMailboxState *self = g_new0 (PochtaImapMailboxState, 1);

  self->name = g_strdup (name);

  return self;
}

/* The changes array is shared, not copied: nothing changes it once the
 * SELECT that filled it has finished. */
PochtaImapMailboxState *
pochta_imap_mailbox_state_copy (const PochtaImapMailboxState *self)
{
  PochtaImapMailboxState *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->flags = g_strdupv (self->flags);
  copy->permanent_flags = g_strdupv (self->permanent_flags);
  copy->vanished = self->vanished ? pochta_imap_sequence_set_copy (self->vanished) : NULL;
  copy->changes = self->changes ? g_ptr_array_ref (self->changes) : NULL;

  return copy;
}

void
pochta_imap_mailbox_state_free (PochtaImapMailboxState *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_strfreev (self->flags);
  g_strfreev (self->permanent_flags);
  g_clear_pointer (&self->vanished, pochta_imap_sequence_set_free);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_free (self);
}
