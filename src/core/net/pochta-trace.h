/* pochta-trace.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The POCHTA_DEBUG protocol trace, which never shows credentials.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-types.h"

G_BEGIN_DECLS

typedef struct _PochtaTrace PochtaTrace;

/* Receives each finished trace line, e.g. label "net#3", text "C: a1 NOOP". */
typedef void (*PochtaTraceWriter) (const char *label,
                                   const char *text,
                                   gpointer    user_data);

PochtaTrace *pochta_trace_new            (const char        *label,
                                          guint              debug_flags);
void         pochta_trace_free           (PochtaTrace       *self);
gboolean     pochta_trace_is_enabled     (PochtaTrace       *self);
void         pochta_trace_received_line  (PochtaTrace       *self,
                                          const char        *line,
                                          gsize              length);
void         pochta_trace_received_bytes (PochtaTrace       *self,
                                          const guint8      *data,
                                          gsize              length);
void         pochta_trace_sent           (PochtaTrace       *self,
                                          const guint8      *data,
                                          gsize              length,
                                          gboolean           secret);
void         pochta_trace_note           (PochtaTrace       *self,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (2, 3);
char        *pochta_trace_redact_line    (const char        *line,
                                          gboolean          *starts_secret);
void         pochta_trace_set_writer     (PochtaTraceWriter  writer,
                                          gpointer           user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaTrace, pochta_trace_free)

G_END_DECLS
