/* pochta-imap-envelope.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ENVELOPE of a message (RFC 3501 section 7.4.2), decoded into UTF-8.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-imap-response.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;     /* display name, RFC 2047 decoded, or NULL */
  char *adl;      /* source route, almost always NULL */
  char *mailbox;  /* local part, or NULL when the header lacked it */
  char *host;     /* domain, or NULL when the header lacked it */
  char *group;    /* the RFC 5322 group this address is in, or NULL */
} PochtaImapAddress;

typedef struct
{
  char      *date_raw;     /* the Date header as sent, or NULL */
  GDateTime *date;         /* parsed, or NULL when absent or unparsable */
  char      *subject;      /* decoded UTF-8, or NULL */
  char      *subject_raw;  /* as sent (maybe RFC 2047 encoded), or NULL */
  /* Arrays of PochtaImapAddress, never NULL, possibly empty. Members of an
   * empty group ("undisclosed-recipients:;") leave no entry. */
  GPtrArray *from;
  GPtrArray *sender;
  GPtrArray *reply_to;
  GPtrArray *to;
  GPtrArray *cc;
  GPtrArray *bcc;
  char      *in_reply_to;  /* raw, e.g. "<a@b> <c@d>", or NULL */
  char      *message_id;   /* raw, e.g. "<a@b>", or NULL */
} PochtaImapEnvelope;

PochtaImapAddress  *pochta_imap_address_new           (const char               *name,
                                                       const char               *mailbox,
                                                       const char               *host);
PochtaImapAddress  *pochta_imap_address_copy          (const PochtaImapAddress  *self);
void                pochta_imap_address_free          (PochtaImapAddress        *self);
char               *pochta_imap_address_get_addr_spec (const PochtaImapAddress  *self);
char               *pochta_imap_address_to_string    (const PochtaImapAddress  *self);

PochtaImapEnvelope *pochta_imap_envelope_new_from_value (const PochtaImapValue  *value,
                                                         GError                **error);
PochtaImapEnvelope *pochta_imap_envelope_copy           (const PochtaImapEnvelope *self);
void                pochta_imap_envelope_free           (PochtaImapEnvelope     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapAddress, pochta_imap_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapEnvelope, pochta_imap_envelope_free)

G_END_DECLS
