/* pochta-imap-mailbox-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What SELECT/EXAMINE reported about a mailbox, kept current while it stays selected.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include "pochta-imap-client-private.h"
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

static gboolean
code_number (const PochtaImapResponse *response,
             guint64                  *number)
{
  return response->code_args != NULL &&
         pochta_imap_value_get_number (pochta_imap_value_list_get (response->code_args, 0), number);
}

/* The response codes of SELECT and of later answers that describe the
 * selected mailbox. */
void
_pochta_imap_mailbox_state_apply_code (PochtaImapMailboxState   *mailbox,
                                       const PochtaImapResponse *response)
{
  const char *code = response->code;
  guint64 number = 0;

  if (code == NULL)
    return;

  if (g_str_equal (code, "UIDVALIDITY") && code_number (response, &number))
    {
      mailbox->uidvalidity = (guint32)number;
    }
  else if (g_str_equal (code, "UIDNEXT") && code_number (response, &number))
    {
      mailbox->uidnext = (guint32)number;
    }
  else if (g_str_equal (code, "UNSEEN") && code_number (response, &number))
    {
      mailbox->unseen = (guint32)number;
    }
  else if (g_str_equal (code, "HIGHESTMODSEQ") && code_number (response, &number))
    {
      mailbox->highestmodseq = number;
      mailbox->nomodseq = FALSE;
    }
  else if (g_str_equal (code, "NOMODSEQ"))
    {
      mailbox->highestmodseq = 0;
      mailbox->nomodseq = TRUE;
    }
  else if (g_str_equal (code, "PERMANENTFLAGS"))
    {
      g_strfreev (mailbox->permanent_flags);
      mailbox->permanent_flags = _pochta_imap_strv_from_list (pochta_imap_value_list_get (response->code_args, 0));
    }
  else if (g_str_equal (code, "READ-ONLY"))
    {
      mailbox->read_only = TRUE;
    }
  else if (g_str_equal (code, "READ-WRITE"))
    {
      mailbox->read_only = FALSE;
    }
}
