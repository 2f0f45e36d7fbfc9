/* pochta-imap-decode-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the typed decoders (envelope, body structure, fetch, data) share.
 */

#pragma once

#include <glib.h>

#include "pochta-imap-error.h"
#include "pochta-imap-response.h"

G_BEGIN_DECLS

static inline gboolean
_pochta_imap_value_is_nil (const PochtaImapValue *value)
{
  return value == NULL || value->type == POCHTA_IMAP_VALUE_NIL;
}

static inline gboolean
_pochta_imap_value_is_list (const PochtaImapValue *value)
{
  return value != NULL && value->type == POCHTA_IMAP_VALUE_LIST;
}

/* A string or an atom: text, where servers send either. */
static inline gboolean
_pochta_imap_value_is_text (const PochtaImapValue *value)
{
  return value != NULL && (value->type == POCHTA_IMAP_VALUE_STRING || value->type == POCHTA_IMAP_VALUE_ATOM);
}

/* NIL or text. */
static inline gboolean
_pochta_imap_value_is_nstring (const PochtaImapValue *value)
{
  return _pochta_imap_value_is_nil (value) || _pochta_imap_value_is_text (value);
}

/* nstring: NIL gives NULL; a string or atom gives its text (cut at a NUL);
 * anything else is a malformed shape and returns FALSE. */
static inline gboolean
_pochta_imap_value_dup_nstring (const PochtaImapValue  *value,
                                char                  **out)
{
  *out = NULL;
  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (!_pochta_imap_value_is_text (value))
    return FALSE;
  *out = g_strndup (value->data, value->len);
  return TRUE;
}

/* Unfolds, decodes RFC 2047 words and 8-bit text; always valid UTF-8.
 * Well-formed text is decoded directly, the rest by GMime. */
char *_pochta_imap_decode_header_text       (const char *raw);
/* The same through GMime only: the reference the direct path must match. */
char *_pochta_imap_decode_header_text_gmime (const char *raw);

/* A Date header as GMime parses it, common shapes without GMime. */
GDateTime *_pochta_imap_decode_date      (const char *text);

/* A date and time as the Date header and INTERNALDATE give it, not yet
 * checked against the calendar. */
typedef struct
{
  int year, month, day, hour, minute, second;
  int offset;  /* seconds east of UTC */
} PochtaImapDateFields;

/* g_date_time_new() in the fixed zone, or NULL for fields it refuses. */
GDateTime *_pochta_imap_date_fields_to_date_time (const PochtaImapDateFields *f);
/* The same as Unix time, without building a GDateTime; FALSE where the
 * other gives NULL. */
gboolean   _pochta_imap_date_fields_to_unix      (const PochtaImapDateFields *f,
                                                  gint64                     *out);

/* g_time_zone_new_offset (@seconds), shared. */
GTimeZone *_pochta_imap_time_zone_for_offset (int seconds);

G_END_DECLS
