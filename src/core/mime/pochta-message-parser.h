/* pochta-message-parser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns raw RFC 5322 bytes into a PochtaMessage, within configurable limits.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_MESSAGE_PARSER_DEFAULT_MAX_DEPTH        32
#define POCHTA_MESSAGE_PARSER_DEFAULT_MAX_PARTS        512
#define POCHTA_MESSAGE_PARSER_DEFAULT_MAX_INDEX_BYTES  (256 * 1024)
#define POCHTA_MESSAGE_PARSER_DEFAULT_MAX_MESSAGE_SIZE (G_GUINT64_CONSTANT (512) * 1024 * 1024)

#define POCHTA_TYPE_MESSAGE_PARSER (pochta_message_parser_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageParser, pochta_message_parser, POCHTA, MESSAGE_PARSER, GObject)

PochtaMessageParser *pochta_message_parser_new                  (void);
guint                pochta_message_parser_get_max_depth        (PochtaMessageParser  *self);
void                 pochta_message_parser_set_max_depth        (PochtaMessageParser  *self,
                                                                 guint                 max_depth);
guint                pochta_message_parser_get_max_parts        (PochtaMessageParser  *self);
void                 pochta_message_parser_set_max_parts        (PochtaMessageParser  *self,
                                                                 guint                 max_parts);
guint                pochta_message_parser_get_max_index_bytes  (PochtaMessageParser  *self);
void                 pochta_message_parser_set_max_index_bytes  (PochtaMessageParser  *self,
                                                                 guint                 max_bytes);
guint64              pochta_message_parser_get_max_message_size (PochtaMessageParser  *self);
void                 pochta_message_parser_set_max_message_size (PochtaMessageParser  *self,
                                                                 guint64               max_size);
PochtaMessage       *pochta_message_parser_parse_bytes          (PochtaMessageParser  *self,
                                                                 GBytes               *bytes,
                                                                 GError              **error);
PochtaMessage       *pochta_message_parser_parse_stream         (PochtaMessageParser  *self,
                                                                 GInputStream         *stream,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                 pochta_message_parser_parse_bytes_async    (PochtaMessageParser  *self,
                                                                 GBytes               *bytes,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
PochtaMessage       *pochta_message_parser_parse_bytes_finish   (PochtaMessageParser  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
