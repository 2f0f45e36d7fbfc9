/* pochta-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A parsed RFC 5322 message as Pochta shows and indexes it.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-types.h"

G_BEGIN_DECLS

/**
 * PochtaMessageProblems:
 * @POCHTA_MESSAGE_PROBLEM_NONE: nothing wrong
 * @POCHTA_MESSAGE_PROBLEM_STRUCTURE: boundaries, truncation or parts without
 *   headers; some content may be missing or recovered by guessing
 * @POCHTA_MESSAGE_PROBLEM_LIMIT: deeper nesting or more parts than the
 *   parser's limits; the rest was not shown
 * @POCHTA_MESSAGE_PROBLEM_HEADER: invalid header names, parameters,
 *   encoded words or address lists
 * @POCHTA_MESSAGE_PROBLEM_DATE: the Date header is missing or unreadable
 * @POCHTA_MESSAGE_PROBLEM_CHARSET: text or headers whose charset was wrong
 *   or missing, so it was guessed
 */
typedef enum
{
  POCHTA_MESSAGE_PROBLEM_NONE      = 0,
  POCHTA_MESSAGE_PROBLEM_STRUCTURE = 1 << 0,
  POCHTA_MESSAGE_PROBLEM_LIMIT     = 1 << 1,
  POCHTA_MESSAGE_PROBLEM_HEADER    = 1 << 2,
  POCHTA_MESSAGE_PROBLEM_DATE      = 1 << 3,
  POCHTA_MESSAGE_PROBLEM_CHARSET   = 1 << 4,
} PochtaMessageProblems;

#define POCHTA_TYPE_MESSAGE (pochta_message_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessage, pochta_message, POCHTA, MESSAGE, GObject)

const char            *pochta_message_get_subject             (PochtaMessage *self);
GPtrArray             *pochta_message_get_from                (PochtaMessage *self);
GPtrArray             *pochta_message_get_sender              (PochtaMessage *self);
GPtrArray             *pochta_message_get_reply_to            (PochtaMessage *self);
GPtrArray             *pochta_message_get_to                  (PochtaMessage *self);
GPtrArray             *pochta_message_get_cc                  (PochtaMessage *self);
GPtrArray             *pochta_message_get_bcc                 (PochtaMessage *self);
GDateTime             *pochta_message_get_date                (PochtaMessage *self);
const char            *pochta_message_get_message_id          (PochtaMessage *self);
const char * const    *pochta_message_get_in_reply_to         (PochtaMessage *self);
const char * const    *pochta_message_get_references          (PochtaMessage *self);
char                  *pochta_message_dup_header              (PochtaMessage *self,
                                                               const char    *name);
PochtaMessagePart     *pochta_message_get_body                (PochtaMessage *self);
const char            *pochta_message_get_text_plain          (PochtaMessage *self);
const char            *pochta_message_get_text_html           (PochtaMessage *self);
GPtrArray             *pochta_message_get_attachments         (PochtaMessage *self);
PochtaMessagePart     *pochta_message_lookup_cid              (PochtaMessage *self,
                                                               const char    *cid);
GHashTable            *pochta_message_get_cid_map             (PochtaMessage *self);
const char            *pochta_message_get_preview             (PochtaMessage *self);
const char            *pochta_message_get_index_text          (PochtaMessage *self);
gboolean               pochta_message_is_malformed            (PochtaMessage *self);
PochtaMessageProblems  pochta_message_get_problems            (PochtaMessage *self);
const char * const    *pochta_message_get_malformed_reasons   (PochtaMessage *self);

G_END_DECLS
