/* pochta-message-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the message parser, PochtaMessage and PochtaMessagePart share inside
 * src/core/mime: the instance structs and the header decoding helpers.
 */

#pragma once

#include <gmime/gmime.h>

#include "pochta-charset.h"
#include "pochta-message.h"
#include "pochta-message-part.h"

G_BEGIN_DECLS

/* GMime 3.2 declares no autoptr cleanups; these are its GObject types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFilter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)

struct _PochtaMessagePart
{
  GObject            parent_instance;

  /* The GMime node this part reads its content from, or NULL for a part
   * found inside text (uuencode), whose decoded bytes are in @content. */
  GMimeObject       *object;
  GBytes            *content;

  char              *mime_type;
  GHashTable        *parameters;
  char              *disposition;
  char              *filename;
  char              *content_id;
  char              *section;
  guint64            size;
  GPtrArray         *children;
  PochtaMessage     *embedded;

  guint              is_multipart : 1;
  guint              is_body : 1;
  guint              is_attachment : 1;
  guint              is_inline : 1;
};

struct _PochtaMessage
{
  GObject                parent_instance;

  GMimeHeaderList       *headers;
  GMimeParserOptions    *options;

  char                  *subject;
  GPtrArray             *from;
  GPtrArray             *sender;
  GPtrArray             *reply_to;
  GPtrArray             *to;
  GPtrArray             *cc;
  GPtrArray             *bcc;
  GDateTime             *date;
  char                  *message_id;
  GStrv                  in_reply_to;
  GStrv                  references;

  PochtaMessagePart     *body;
  char                  *text_plain;
  char                  *text_html;
  GPtrArray             *attachments;
  GHashTable            *cid_map;
  char                  *preview;
  char                  *index_text;

  PochtaMessageProblems  problems;
  GPtrArray             *reasons;
};

PochtaMessage     *_pochta_message_new            (GMimeHeaderList       *headers,
                                                   GMimeParserOptions    *options);
void               _pochta_message_add_problem    (PochtaMessage         *self,
                                                   PochtaMessageProblems  problem,
                                                   const char            *reason);
PochtaMessagePart *_pochta_message_part_new       (GMimeObject           *object,
                                                   const char            *section);
PochtaMessagePart *_pochta_message_part_new_bytes (GBytes                *content,
                                                   const char            *mime_type,
                                                   const char            *filename);
GBytes            *_pochta_message_part_read      (PochtaMessagePart     *self,
                                                   gsize                  max_bytes,
                                                   gboolean              *truncated);
char              *_pochta_message_part_decode_text (PochtaMessagePart   *self,
                                                     PochtaCharsetSource *source);

/* pochta-message-parser-tree.c: what one parse shares across the nested
 * messages it builds. */
typedef struct
{
  GMimeParserOptions *options;
  guint               max_depth;
  guint               max_parts;
  guint               max_index_bytes;
  guint               n_parts;
} PochtaParseContext;

PochtaMessage     *_pochta_message_build          (PochtaParseContext    *ctx,
                                                   GMimeMessage          *message,
                                                   const char            *prefix,
                                                   guint                  depth);

/* pochta-message-text.c */
char              *_pochta_message_extract_uuencoded (const char *text,
                                                      GPtrArray  *files,
                                                      guint       max_files);

/* pochta-message-headers.c */
char              *_pochta_mime_header_raw        (GMimeHeaderList       *headers,
                                                   const char            *name);
char              *_pochta_mime_decode_text       (GMimeParserOptions    *options,
                                                   const char            *raw,
                                                   gboolean              *guessed);
GPtrArray         *_pochta_mime_decode_addresses  (GMimeParserOptions    *options,
                                                   const char            *raw,
                                                   gboolean              *guessed);
GDateTime         *_pochta_mime_decode_date       (const char            *raw);
char              *_pochta_mime_decode_message_id (const char            *raw);
GStrv              _pochta_mime_decode_references (GMimeParserOptions    *options,
                                                   const char            *raw);

G_END_DECLS
