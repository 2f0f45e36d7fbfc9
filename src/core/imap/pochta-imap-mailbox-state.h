/* pochta-imap-mailbox-state.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What SELECT/EXAMINE reported about a mailbox, kept current while it stays selected.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-imap-sequence-set.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_IMAP_MAILBOX_STATE (pochta_imap_mailbox_state_get_type ())

typedef struct
{
  char                  *name;             /* UTF-8 */
  guint32                exists;
  guint32                recent;
  guint32                unseen;           /* first unseen sequence number, 0 if not told */
  guint32                uidvalidity;
  guint32                uidnext;
  guint64                highestmodseq;    /* 0 with NOMODSEQ or without CONDSTORE */
  gboolean               nomodseq;
  gboolean               read_only;
  char                 **flags;
  char                 **permanent_flags;  /* may contain "\*" */
  /* QRESYNC select only: UIDs expunged since the known modseq
   * (VANISHED (EARLIER)), and the FETCH changes reported (PochtaImapFetch). */
  PochtaImapSequenceSet *vanished;
  GPtrArray             *changes;
} PochtaImapMailboxState;

GType                   pochta_imap_mailbox_state_get_type (void) G_GNUC_CONST;
PochtaImapMailboxState *pochta_imap_mailbox_state_new      (const char                   *name);
PochtaImapMailboxState *pochta_imap_mailbox_state_copy     (const PochtaImapMailboxState *self);
void                    pochta_imap_mailbox_state_free     (PochtaImapMailboxState       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapMailboxState, pochta_imap_mailbox_state_free)

G_END_DECLS
