/* pochta-imap-response.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the IMAP parser produces: a tree of values per response line
 * (atoms, strings, literals, NIL, lists) and the response around it (tagged
 * status, untagged data, continuation request, response code).
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  POCHTA_IMAP_VALUE_ATOM,     /* also numbers, flags (\Seen), section specs (BODY[1.2]<0>) */
  POCHTA_IMAP_VALUE_STRING,   /* quoted string or literal held in memory; may contain NUL */
  POCHTA_IMAP_VALUE_NIL,
  POCHTA_IMAP_VALUE_LIST,     /* ( ... ) or, for response codes, [ ... ] */
  POCHTA_IMAP_VALUE_STREAMED, /* a literal the client streamed to a sink; only its size is kept */
} PochtaImapValueType;

typedef struct _PochtaImapValue PochtaImapValue;

/* Ownership: values made by the constructors below are the caller's and
 * freed with pochta_imap_value_free(). Values of a response that the parser
 * built live in that response's arena (in_arena set): they last exactly as
 * long as the response, pochta_imap_value_free() on them does nothing, and
 * the decoders copy whatever they keep. Never keep a pointer into a
 * response after freeing it, and never append to one of its lists. */
struct _PochtaImapValue
{
  PochtaImapValueType type;
  /* ATOM, STRING: bytes with a trailing NUL not counted in len. Values made
   * by the constructors and the parser hold them in the same allocation as
   * the value, so copy them to keep them (pochta_imap_value_free() also
   * frees a data pointer of a constructed value that was replaced by a
   * g_malloc()ed one). */
  char               *data;
  gsize               len;
  /* LIST: children; STREAMED: len is the literal size. In an arena value
   * children is a read-only view: read pdata and len (or use the accessors
   * below), never pass it to g_ptr_array functions. */
  GPtrArray          *children;
  /* STRING of a big literal in a parsed response: data is this GBytes'
   * (the arena holds a reference), so a decoder can keep it without a
   * copy. NULL otherwise. */
  GBytes             *bytes;
  /* STRING: came as a literal ({n}, {n+}) or as binary (~{n}). */
  guint               is_literal : 1;
  guint               is_binary : 1;
  /* Part of a parsed response's arena (see above); set by the parser only. */
  guint               in_arena : 1;
};

void             pochta_imap_value_free        (PochtaImapValue       *value);
PochtaImapValue *pochta_imap_value_new_atom    (const char            *data,
                                                gsize                  len);
PochtaImapValue *pochta_imap_value_new_string  (const char            *data,
                                                gsize                  len);
/* NIL values are one shared, immutable value: never modify one. */
PochtaImapValue *pochta_imap_value_new_nil     (void);
PochtaImapValue *pochta_imap_value_new_list    (void);
void             pochta_imap_value_list_append (PochtaImapValue       *list,
                                                PochtaImapValue       *child);
guint            pochta_imap_value_list_size   (const PochtaImapValue *value);
PochtaImapValue *pochta_imap_value_list_get    (const PochtaImapValue *value,
                                                guint                  index);
gboolean         pochta_imap_value_is_atom     (const PochtaImapValue *value,
                                                const char            *atom);
/* ATOM or STRING as text (NULL for NIL and lists). */
const char      *pochta_imap_value_get_text    (const PochtaImapValue *value);
/* ATOM made of digits only, within 0..G_MAXUINT64. */
gboolean         pochta_imap_value_get_number  (const PochtaImapValue *value,
                                                guint64               *number);
/* Text for diagnostics, as IMAP would write it (strings quoted, long data elided). */
char            *pochta_imap_value_to_string   (const PochtaImapValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapValue, pochta_imap_value_free)

typedef enum
{
  POCHTA_IMAP_RESPONSE_TAGGED,        /* a001 OK/NO/BAD [code] text */
  POCHTA_IMAP_RESPONSE_UNTAGGED,      /* * ... */
  POCHTA_IMAP_RESPONSE_CONTINUATION,  /* + text-or-base64 */
} PochtaImapResponseKind;

typedef enum
{
  POCHTA_IMAP_STATUS_NONE,     /* untagged data such as "* 3 EXISTS" */
  POCHTA_IMAP_STATUS_OK,
  POCHTA_IMAP_STATUS_NO,
  POCHTA_IMAP_STATUS_BAD,
  POCHTA_IMAP_STATUS_PREAUTH,
  POCHTA_IMAP_STATUS_BYE,
} PochtaImapStatus;

typedef struct
{
  PochtaImapResponseKind kind;
  char                  *tag;        /* TAGGED only */
  PochtaImapStatus       status;     /* TAGGED, and untagged OK/NO/BAD/PREAUTH/BYE */
  /* Response code: [NAME args...]; name upper-cased, args as values
   * (e.g. "UIDVALIDITY" 3857529045, "CAPABILITY" IMAP4rev1 ..., "COPYUID" ...). */
  char                  *code;
  PochtaImapValue       *code_args;  /* LIST, possibly empty; NULL without a code */
  /* Human-readable text after status/code; continuation text. Never NULL
   * for TAGGED, CONTINUATION and untagged status responses (may be ""). */
  char                  *text;
  /* Untagged data: "* 12 FETCH (...)" has number 12, has_number TRUE,
   * keyword "FETCH" (upper-cased), and data holding the values after the
   * keyword ("(...)" as one LIST). "* LIST (...) "/" INBOX" has no number. */
  gboolean               has_number;
  guint64                number;
  char                  *keyword;    /* untagged OK/NO/BAD/PREAUTH/BYE: the status word */
  PochtaImapValue       *data;       /* LIST of the remaining values; never NULL for UNTAGGED */
  /* Private. Responses from the parser hold the struct, its strings and
   * values in one arena that pochta_imap_response_free() releases at once;
   * NULL in a response built by hand with g_new0(), whose fields are then
   * freed one by one. Do not replace the fields of a parsed response. */
  gpointer               arena;
} PochtaImapResponse;

void  pochta_imap_response_free      (PochtaImapResponse       *response);
/* The response as one diagnostic line, without CRLF (see _value_to_string). */
char *pochta_imap_response_to_string (const PochtaImapResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapResponse, pochta_imap_response_free)

G_END_DECLS
