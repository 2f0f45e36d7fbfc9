/* pochta-message-part.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One node of a parsed message's MIME tree: type, parameters, disposition,
 * file name, Content-ID, decoded size, IMAP section and decoded content.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_PART (pochta_message_part_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessagePart, pochta_message_part, POCHTA, MESSAGE_PART, GObject)

const char    *pochta_message_part_get_mime_type          (PochtaMessagePart    *self);
const char    *pochta_message_part_get_parameter          (PochtaMessagePart    *self,
                                                           const char           *name);
const char    *pochta_message_part_get_disposition        (PochtaMessagePart    *self);
const char    *pochta_message_part_get_filename           (PochtaMessagePart    *self);
const char    *pochta_message_part_get_content_id         (PochtaMessagePart    *self);
const char    *pochta_message_part_get_section            (PochtaMessagePart    *self);
guint64        pochta_message_part_get_size               (PochtaMessagePart    *self);
GPtrArray     *pochta_message_part_get_children           (PochtaMessagePart    *self);
PochtaMessage *pochta_message_part_get_embedded_message   (PochtaMessagePart    *self);
gboolean       pochta_message_part_is_multipart           (PochtaMessagePart    *self);
gboolean       pochta_message_part_is_attachment          (PochtaMessagePart    *self);
gboolean       pochta_message_part_is_inline              (PochtaMessagePart    *self);
GBytes        *pochta_message_part_get_content            (PochtaMessagePart    *self,
                                                           GError              **error);
char          *pochta_message_part_get_text               (PochtaMessagePart    *self);
gboolean       pochta_message_part_write_to_stream        (PochtaMessagePart    *self,
                                                           GOutputStream        *stream,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
void           pochta_message_part_write_to_stream_async  (PochtaMessagePart    *self,
                                                           GOutputStream        *stream,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean       pochta_message_part_write_to_stream_finish (PochtaMessagePart    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
