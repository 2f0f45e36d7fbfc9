/* pochta-imap-body-structure.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MIME tree of a message from BODYSTRUCTURE (RFC 3501 7.4.2, RFC 9051),
 * with section numbers and helpers for the body text and attachments.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-imap-envelope.h"
#include "pochta-imap-response.h"

G_BEGIN_DECLS

#define POCHTA_IMAP_BODY_DEFAULT_MAX_DEPTH 32
#define POCHTA_IMAP_BODY_DEFAULT_MAX_PARTS 1000

typedef struct _PochtaImapBodyPart PochtaImapBodyPart;

struct _PochtaImapBodyPart
{
  char               *type;                /* lower-case, e.g. "text", "multipart" */
  char               *subtype;             /* lower-case, e.g. "plain", "mixed" */
  GHashTable         *params;              /* lower-case name -> UTF-8 value (RFC 2231/2047 decoded) */
  char               *id;                  /* Content-ID as sent, or NULL */
  char               *description;         /* decoded, or NULL */
  char               *encoding;            /* lower-case, e.g. "base64"; NULL for multipart */
  guint64             size;                /* encoded octets */
  guint64             lines;               /* text and message/rfc822 parts only */
  PochtaImapEnvelope *envelope;            /* message/rfc822 only */
  /* Multipart: the parts; message/rfc822: the one nested body. Never NULL. */
  GPtrArray          *children;
  PochtaImapBodyPart *parent;              /* not owned; NULL for the root */
  /* Extension data, when the server sent it (BODYSTRUCTURE, not BODY). */
  char               *md5;
  char               *disposition;         /* lower-case "inline"/"attachment", or NULL */
  GHashTable         *disposition_params;  /* like params; NULL when there are none */
  char              **language;            /* or NULL */
  char               *location;
  /* What to put inside BODY[...] for this part: "1", "2.1", "TEXT", "3.TEXT". */
  char               *section;
};

typedef struct
{
  const PochtaImapBodyPart *part;          /* borrowed from the tree */
  char                     *filename;      /* decoded, not yet sanitised; or NULL */
  char                     *content_type;  /* "image/png" */
  char                     *content_id;    /* without angle brackets, or NULL */
  char                     *section;
  guint64                   size;          /* encoded octets */
  gboolean                  is_inline;     /* shown in the body (cid: image, inline disposition) */
} PochtaImapAttachment;

PochtaImapBodyPart *pochta_imap_body_part_new_from_value      (const PochtaImapValue     *value,
                                                               GError                   **error);
PochtaImapBodyPart *pochta_imap_body_part_new_from_value_full (const PochtaImapValue     *value,
                                                               guint                      max_depth,
                                                               guint                      max_parts,
                                                               GError                   **error);
void                pochta_imap_body_part_free                (PochtaImapBodyPart        *self);
gboolean            pochta_imap_body_part_is_multipart        (const PochtaImapBodyPart  *self);
gboolean            pochta_imap_body_part_is_message          (const PochtaImapBodyPart  *self);
gboolean            pochta_imap_body_part_has_type            (const PochtaImapBodyPart  *self,
                                                               const char                *type,
                                                               const char                *subtype);
char               *pochta_imap_body_part_get_content_type    (const PochtaImapBodyPart  *self);
const char         *pochta_imap_body_part_get_param           (const PochtaImapBodyPart  *self,
                                                               const char                *name);
const char         *pochta_imap_body_part_get_filename        (const PochtaImapBodyPart  *self);
const PochtaImapBodyPart *pochta_imap_body_part_find_section  (const PochtaImapBodyPart  *self,
                                                               const char                *section);
const PochtaImapBodyPart *pochta_imap_body_part_find_text     (const PochtaImapBodyPart  *self,
                                                               const char                *subtype);
GPtrArray          *pochta_imap_body_part_list_attachments    (const PochtaImapBodyPart  *self);
gboolean            pochta_imap_body_structure_may_have_attachments (const PochtaImapValue *value);
guint               pochta_imap_body_part_count_parts         (const PochtaImapBodyPart  *self);

void                pochta_imap_attachment_free               (PochtaImapAttachment      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapBodyPart, pochta_imap_body_part_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapAttachment, pochta_imap_attachment_free)

G_END_DECLS
