/* pochta-connection-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What pochta-connection.c and pochta-connection-tls.c share, and nothing else sees.
 */

#pragma once

#if !defined (POCHTA_CORE_COMPILATION)
# error "This header is private to src/core/net."
#endif

#include "pochta-connection.h"
#include "pochta-line-reader.h"
#include "pochta-trace.h"

G_BEGIN_DECLS

struct _PochtaConnection
{
  GObject                parent_instance;

  char                  *host;
  char                  *pinned_fingerprint;
  GTlsDatabase          *tls_database;
  PochtaCertificateInfo *peer_certificate_info;

  /* stream is the GSocketConnection, or the GTlsConnection over it once
   * TLS is up; reader is always over stream's input. */
  GSocketConnection     *socket_connection;
  GIOStream             *stream;
  /* COMPRESS=DEFLATE (pochta_connection_push_converters()): converter
   * streams over stream's, which the reader and writes then use. */
  GIOStream             *filtered;
  PochtaLineReader      *reader;
  PochtaTrace           *trace;

  gsize                  max_line_length;
  guint                  id;
  guint                  connect_timeout;
  guint                  read_timeout;
  guint                  trace_flags;
  guint16                port;
  PochtaTlsMode          tls_mode;

  guint                  connecting : 1;
};

/* A child cancellable that the caller's cancellable and a timer both
 * cancel; expired tells the two apart afterwards. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_id;
  GSource      *source;
  gboolean      expired;
} PochtaDeadline;

void     _pochta_deadline_start                (PochtaDeadline         *deadline,
                                                GCancellable           *parent,
                                                guint                   seconds);
void     _pochta_deadline_stop                 (PochtaDeadline         *deadline);

void     _pochta_connection_set_stream         (PochtaConnection       *self,
                                                GIOStream              *stream);
void     _pochta_connection_drop               (PochtaConnection       *self);
void     _pochta_connection_set_peer_info      (PochtaConnection       *self,
                                                PochtaCertificateInfo  *info);
void     _pochta_connection_handshake_async    (PochtaConnection       *self,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
gboolean _pochta_connection_handshake_finish   (PochtaConnection       *self,
                                                GAsyncResult           *result,
                                                GError                **error);

G_END_DECLS
