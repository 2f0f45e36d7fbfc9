/* pochta-line-reader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bounded line and literal reads with an idle timeout over any GInputStream.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_LINE_READER (pochta_line_reader_get_type ())

G_DECLARE_FINAL_TYPE (PochtaLineReader, pochta_line_reader, POCHTA, LINE_READER, GObject)

PochtaLineReader *pochta_line_reader_new                 (GInputStream         *stream,
                                                          gsize                 max_line_length);
GInputStream     *pochta_line_reader_get_stream          (PochtaLineReader     *self);
gsize             pochta_line_reader_get_max_line_length (PochtaLineReader     *self);
void              pochta_line_reader_set_max_line_length (PochtaLineReader     *self,
                                                          gsize                 max_line_length);
guint             pochta_line_reader_get_timeout         (PochtaLineReader     *self);
void              pochta_line_reader_set_timeout         (PochtaLineReader     *self,
                                                          guint                 timeout_seconds);
gsize             pochta_line_reader_get_buffered        (PochtaLineReader     *self);
void              pochta_line_reader_read_line_async     (PochtaLineReader     *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char             *pochta_line_reader_read_line_finish    (PochtaLineReader     *self,
                                                          GAsyncResult         *result,
                                                          gsize                *length,
                                                          GError              **error);
void              pochta_line_reader_read_bytes_async    (PochtaLineReader     *self,
                                                          gsize                 count,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes           *pochta_line_reader_read_bytes_finish   (PochtaLineReader     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void              pochta_line_reader_read_chunk_async    (PochtaLineReader     *self,
                                                          gsize                 max_count,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes           *pochta_line_reader_read_chunk_finish   (PochtaLineReader     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
