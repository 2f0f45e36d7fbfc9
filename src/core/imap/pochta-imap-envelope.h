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

/* An ENVELOPE read in place, for decoders that want a few fields of many
 * messages without building a PochtaImapEnvelope: the texts as sent (RFC
 * 2047 words not decoded, maybe not UTF-8) and the address lists as
 * values, all valid as long as the response is. */
typedef struct
{
  const char            *date;
  const char            *subject;
  const char            *in_reply_to;
  const char            *message_id;
  const PochtaImapValue *from;
  const PochtaImapValue *sender;
  const PochtaImapValue *reply_to;
  const PochtaImapValue *to;
  const PochtaImapValue *cc;
  const PochtaImapValue *bcc;
} PochtaImapEnvelopeView;

/* One address of a list read in place, group syntax already followed:
 * each member carries its group's name, and mailbox and host are NULL
 * where the header lacked them. Texts as sent, like the view's. */
typedef struct
{
  const char *name;
  const char *adl;
  const char *mailbox;
  const char *host;
  const char *group;
} PochtaImapAddressView;

typedef struct
{
  const PochtaImapValue *list;
  guint                  index;
  PochtaImapAddressView  address;
} PochtaImapAddressIter;

PochtaImapAddress  *pochta_imap_address_new           (const char               *name,
                                                       const char               *mailbox,
                                                       const char               *host);
PochtaImapAddress  *pochta_imap_address_copy          (const PochtaImapAddress  *self);
void                pochta_imap_address_free          (PochtaImapAddress        *self);
char               *pochta_imap_address_get_addr_spec (const PochtaImapAddress  *self);
char               *pochta_imap_address_to_string    (const PochtaImapAddress  *self);

void                pochta_imap_append_quoted         (GString                  *out,
                                                       const char               *text);
void                pochta_imap_append_addr_spec      (GString                  *out,
                                                       const char               *mailbox,
                                                       const char               *host);

gboolean            pochta_imap_envelope_date_to_unix   (const char             *raw,
                                                         gint64                 *out);
gboolean            pochta_imap_envelope_view_init      (PochtaImapEnvelopeView *view,
                                                         const PochtaImapValue  *value,
                                                         GError                **error);
void                pochta_imap_address_iter_init       (PochtaImapAddressIter  *iter,
                                                         const PochtaImapValue  *list);
gboolean            pochta_imap_address_iter_next       (PochtaImapAddressIter        *iter,
                                                         const PochtaImapAddressView **address,
                                                         GError                      **error);

PochtaImapEnvelope *pochta_imap_envelope_new_from_value (const PochtaImapValue  *value,
                                                         GError                **error);
PochtaImapEnvelope *pochta_imap_envelope_copy           (const PochtaImapEnvelope *self);
void                pochta_imap_envelope_free           (PochtaImapEnvelope     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapAddress, pochta_imap_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapEnvelope, pochta_imap_envelope_free)

G_END_DECLS
