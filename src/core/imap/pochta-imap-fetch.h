/* pochta-imap-fetch.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One message's data from a "* n FETCH (...)" response, typed.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-imap-body-structure.h"
#include "pochta-imap-envelope.h"
#include "pochta-imap-response.h"

G_BEGIN_DECLS

typedef enum
{
  POCHTA_IMAP_FETCH_UID           = 1 << 0,
  POCHTA_IMAP_FETCH_FLAGS         = 1 << 1,
  POCHTA_IMAP_FETCH_MODSEQ        = 1 << 2,
  POCHTA_IMAP_FETCH_INTERNALDATE  = 1 << 3,
  POCHTA_IMAP_FETCH_RFC822_SIZE   = 1 << 4,
  POCHTA_IMAP_FETCH_ENVELOPE      = 1 << 5,
  POCHTA_IMAP_FETCH_BODYSTRUCTURE = 1 << 6,
  POCHTA_IMAP_FETCH_SECTIONS      = 1 << 7,
} PochtaImapFetchItems;

typedef struct
{
  char     *spec;      /* normalised, e.g. "BODY[HEADER.FIELDS (REFERENCES)]", "BODY[]<0>" */
  GBytes   *data;      /* NULL for NIL or a streamed literal */
  guint64   size;      /* bytes received, also when streamed */
  gboolean  streamed;  /* went to the client's sink, not held here */
} PochtaImapFetchSection;

typedef struct
{
  guint32              seq;
  guint32              uid;
  char               **flags;          /* as sent ("\\Seen", "\\Recent", "$Forwarded"), or NULL */
  guint64              modseq;
  GDateTime           *internaldate;   /* NULL if absent or unparsable */
  guint64              rfc822_size;
  PochtaImapEnvelope  *envelope;
  PochtaImapBodyPart  *body_structure;
  GPtrArray           *sections;       /* PochtaImapFetchSection; never NULL */
  PochtaImapFetchItems present;
} PochtaImapFetch;

/* One FETCH answer read in place, for callers that take a few items of
 * many messages and would only copy them again: only the numbers are
 * decoded, and every pointer is valid as long as the response is. */
typedef struct
{
  guint32                seq;
  guint32                uid;
  guint64                modseq;
  guint64                rfc822_size;
  const PochtaImapValue *flags;           /* a list of atoms, as sent */
  const char            *internaldate;    /* as sent */
  const PochtaImapValue *envelope;        /* for pochta_imap_envelope_view_init() */
  const PochtaImapValue *body_structure;
  const PochtaImapValue *header_fields;   /* BODY[HEADER.FIELDS ...]: a string or NIL */
  PochtaImapFetchItems   present;
} PochtaImapFetchView;

gboolean                      pochta_imap_fetch_view_init         (PochtaImapFetchView       *view,
                                                                   const PochtaImapResponse  *response,
                                                                   GError                   **error);

PochtaImapFetch              *pochta_imap_fetch_new_from_response (const PochtaImapResponse  *response,
                                                                   GError                   **error);
void                          pochta_imap_fetch_free              (PochtaImapFetch           *self);
gboolean                      pochta_imap_fetch_has_flag          (const PochtaImapFetch     *self,
                                                                   const char                *flag);
const PochtaImapFetchSection *pochta_imap_fetch_get_section       (const PochtaImapFetch     *self,
                                                                   const char                *spec);
GBytes                       *pochta_imap_fetch_get_section_data  (const PochtaImapFetch     *self,
                                                                   const char                *spec);
char                         *pochta_imap_fetch_normalize_section (const char                *spec);

GDateTime                    *pochta_imap_internaldate_parse      (const char                *text);
gboolean                      pochta_imap_internaldate_parse_unix (const char                *text,
                                                                   gint64                    *out);
char                         *pochta_imap_internaldate_format     (GDateTime                 *datetime);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapFetch, pochta_imap_fetch_free)

G_END_DECLS
