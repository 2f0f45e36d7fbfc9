/* pochta-imap-parser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pure, incremental IMAP response parser: bytes in, responses out, with
 * limits on line length, literal size, nesting and item count. No I/O: the
 * client feeds what it read and, for literals it wants to stream (message
 * bodies), moves the bytes itself and tells the parser when it is done.
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
  gsize max_line_length;      /* bytes of one response outside literals, CRLFs included
                               * (default 1 MiB) */
  gsize max_literal_size;     /* largest literal held in memory (default 8 MiB); larger
                               * ones must be streamed or are an error */
  gsize max_streamed_size;    /* largest literal streamed to a sink (default 2 GiB) */
  guint max_depth;            /* list nesting (default 64) */
  guint max_items;            /* values in one response (default 1,000,000) */
} PochtaImapLimits;

void pochta_imap_limits_init_default (PochtaImapLimits *limits);

typedef struct _PochtaImapParser PochtaImapParser;

typedef enum
{
  POCHTA_IMAP_PARSE_NEED_MORE,     /* all input consumed; feed more */
  POCHTA_IMAP_PARSE_RESPONSE,      /* a complete response is ready: pochta_imap_parser_take_response() */
  POCHTA_IMAP_PARSE_STREAM_LITERAL,/* a literal the sink asked to stream starts: the next
                                    * pochta_imap_parser_get_literal_size() bytes of input
                                    * belong to the caller; call _literal_streamed() after */
  POCHTA_IMAP_PARSE_ERROR,         /* error set (POCHTA_IMAP_ERROR_PARSE or _LIMIT); the
                                    * connection must be closed: later feeds fail too */
} PochtaImapParseResult;

/* Called when a literal starts, with the response parsed so far (kind,
 * number, keyword set; data holding the values before the literal: for a
 * FETCH, the pending item name such as "BODY[]" is the last atom of the
 * innermost open list, see pochta_imap_parser_get_open_list()).
 * Return TRUE to stream it (the parser then stops with STREAM_LITERAL),
 * FALSE to hold it in memory (within max_literal_size). */
typedef gboolean (*PochtaImapLiteralFunc) (PochtaImapParser *parser,
                                           guint64           size,
                                           gpointer          user_data);

PochtaImapParser      *pochta_imap_parser_new              (const PochtaImapLimits *limits);
void                   pochta_imap_parser_free             (PochtaImapParser       *parser);
void                   pochta_imap_parser_set_literal_func (PochtaImapParser       *parser,
                                                            PochtaImapLiteralFunc   func,
                                                            gpointer                user_data);
/* Parses from data[0..len); *consumed tells how much was used. Call again
 * with the rest after taking a response or streaming a literal. */
PochtaImapParseResult  pochta_imap_parser_feed             (PochtaImapParser       *parser,
                                                            const char             *data,
                                                            gsize                   len,
                                                            gsize                  *consumed,
                                                            GError                **error);
PochtaImapResponse    *pochta_imap_parser_take_response    (PochtaImapParser       *parser);
guint64                pochta_imap_parser_get_literal_size (PochtaImapParser       *parser);
void                   pochta_imap_parser_literal_streamed (PochtaImapParser       *parser);
/* During the literal callback: the response being built and the innermost
 * list that is open (the FETCH item list), for routing decisions. */
const PochtaImapResponse *pochta_imap_parser_get_partial     (PochtaImapParser     *parser);
const PochtaImapValue    *pochta_imap_parser_get_open_list   (PochtaImapParser     *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapParser, pochta_imap_parser_free)

G_END_DECLS
