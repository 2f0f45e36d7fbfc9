/* pochta-imap-parser-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IMAP parser's state, shared by the response-level code in
 * pochta-imap-parser.c and the value tokenizer in pochta-imap-parser-tokens.c.
 */

#pragma once

#include <glib.h>

#include "pochta-imap-parser.h"
#include "pochta-imap-response-private.h"

G_BEGIN_DECLS

typedef enum
{
  STATE_HEADER,     /* start of a response, up to its data */
  STATE_DATA,       /* values of untagged data */
  STATE_LITERAL,    /* bytes of a literal held in memory */
  STATE_STREAMING,  /* the caller is moving a literal's bytes */
  STATE_READY,      /* a response waits for take_response() */
  STATE_ERROR,
} State;

typedef enum
{
  TOK_NONE,
  TOK_ATOM,
  TOK_QUOTED,
  TOK_LITERAL,      /* "{123+}\r\n" or "~{123}\r\n" */
} TokKind;

typedef enum
{
  STEP_MORE,        /* input used up */
  STEP_EOL,         /* the response is complete */
  STEP_CODE_END,    /* ']' closed a response code */
  STEP_LITERAL,     /* a literal header ended the line */
  STEP_ERROR,
} Step;

/* States of the literal header scanner. */
enum
{
  LIT_TILDE,        /* after '~', want '{' */
  LIT_OPEN,         /* after '{', want a digit */
  LIT_DIGITS,
  LIT_PLUS,         /* after '+', want '}' */
  LIT_CLOSE,        /* after '}', want CR or LF */
  LIT_CR,           /* after CR, want LF */
};

/* Buffers that grew for one huge line are not kept for the next. */
#define KEEP_BUFFER_SIZE (64 * 1024)
#define KEEP_SCRATCH_ITEMS 4096

/* The children of an open list, by depth, reused from response to
 * response. The view comes first: an open list's children points at it,
 * so readers see a GPtrArray while the parser appends without GLib calls. */
typedef struct
{
  GPtrArray view;
  guint     alloc;
} Scratch;

struct _PochtaImapParser
{
  PochtaImapLimits       limits;
  PochtaImapLiteralFunc  literal_func;
  gpointer               literal_data;

  State                  state;
  PochtaImapResponse    *response;
  PochtaImapArena       *arena;        /* the response's, while it is being built */
  PochtaImapValue      **stack;        /* open lists, [0] is the root (data or code args) */
  guint                  depth;        /* of stack */
  guint                  stack_alloc;
  GPtrArray             *scratch;      /* Scratch per depth: the children of the open list there */
  GString               *line;         /* header bytes while the header is incomplete */
  GString               *tok;          /* a token cut by the end of a feed */
  gsize                  line_bytes;   /* of this response, outside literals */
  guint                  items;

  TokKind                tok_kind;
  guint                  tok_sub;      /* atom: inside [section]; quoted: escape; literal: LIT_* */
  gboolean               header_needs_lf;
  gboolean               need_delim;   /* after ')', a string or an atom */
  gboolean               in_code;
  gboolean               lenient;      /* unknown untagged data: keep, never fail */

  PochtaImapValue       *literal;
  guint64                literal_size;
  guint64                literal_done;
  gboolean               literal_binary;
};

void     _pochta_imap_parser_open_list   (PochtaImapParser  *self,
                                          PochtaImapValue   *list);
void     _pochta_imap_parser_close_list  (PochtaImapParser  *self);
/* Appends to the innermost open list, without counting the item. */
void     _pochta_imap_parser_append      (PochtaImapParser  *self,
                                          PochtaImapValue   *value);
Step     _pochta_imap_parser_tokenize    (PochtaImapParser  *self,
                                          const char        *buf,
                                          gsize              len,
                                          gsize             *pos,
                                          GError           **error);
gboolean _pochta_imap_parser_add_value   (PochtaImapParser  *self,
                                          PochtaImapValue   *value,
                                          GError           **error);
Step     _pochta_imap_parser_parse_error (PochtaImapParser  *self,
                                          GError           **error,
                                          const char        *buf,
                                          gsize              len,
                                          gsize              at,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (6, 7);
Step     _pochta_imap_parser_limit_error (PochtaImapParser  *self,
                                          GError           **error,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
