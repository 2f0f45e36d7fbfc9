/* pochta-connection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One TCP connection to a mail server, with TLS, pinning, bounded reads and a trace.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-certificate-info.h"
#include "pochta-types.h"

G_BEGIN_DECLS

typedef enum
{
  POCHTA_TLS_MODE_NONE,
  POCHTA_TLS_MODE_STARTTLS,
  POCHTA_TLS_MODE_IMPLICIT,
} PochtaTlsMode;

typedef enum
{
  POCHTA_WRITE_FLAGS_NONE   = 0,
  POCHTA_WRITE_FLAGS_SECRET = 1 << 0,
} PochtaWriteFlags;

#define POCHTA_TYPE_TLS_MODE   (pochta_tls_mode_get_type ())
#define POCHTA_TYPE_CONNECTION (pochta_connection_get_type ())

GType pochta_tls_mode_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PochtaConnection, pochta_connection, POCHTA, CONNECTION, GObject)

PochtaConnection      *pochta_connection_new                        (const char           *host,
                                                                     guint16               port,
                                                                     PochtaTlsMode         tls_mode);
guint                  pochta_connection_get_id                     (PochtaConnection     *self);
const char            *pochta_connection_get_host                   (PochtaConnection     *self);
guint16                pochta_connection_get_port                   (PochtaConnection     *self);
PochtaTlsMode          pochta_connection_get_tls_mode               (PochtaConnection     *self);
const char            *pochta_connection_get_pinned_fingerprint     (PochtaConnection     *self);
void                   pochta_connection_set_pinned_fingerprint     (PochtaConnection     *self,
                                                                     const char           *fingerprint);
GTlsDatabase          *pochta_connection_get_tls_database           (PochtaConnection     *self);
void                   pochta_connection_set_tls_database           (PochtaConnection     *self,
                                                                     GTlsDatabase         *database);
guint                  pochta_connection_get_connect_timeout        (PochtaConnection     *self);
void                   pochta_connection_set_connect_timeout        (PochtaConnection     *self,
                                                                     guint                 seconds);
guint                  pochta_connection_get_read_timeout           (PochtaConnection     *self);
void                   pochta_connection_set_read_timeout           (PochtaConnection     *self,
                                                                     guint                 seconds);
gsize                  pochta_connection_get_max_line_length        (PochtaConnection     *self);
void                   pochta_connection_set_max_line_length        (PochtaConnection     *self,
                                                                     gsize                 max_line_length);
guint                  pochta_connection_get_trace_flags            (PochtaConnection     *self);
void                   pochta_connection_set_trace_flags            (PochtaConnection     *self,
                                                                     guint                 debug_flags);
gboolean               pochta_connection_is_connected               (PochtaConnection     *self);
gboolean               pochta_connection_is_encrypted               (PochtaConnection     *self);
PochtaCertificateInfo *pochta_connection_get_peer_certificate_info  (PochtaConnection     *self);

void                   pochta_connection_connect_async              (PochtaConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean               pochta_connection_connect_finish             (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_starttls_async             (PochtaConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean               pochta_connection_starttls_finish            (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_read_line_async            (PochtaConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
char                  *pochta_connection_read_line_finish           (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     gsize                *length,
                                                                     GError              **error);
void                   pochta_connection_read_bytes_async           (PochtaConnection     *self,
                                                                     gsize                 count,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
GBytes                *pochta_connection_read_bytes_finish          (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_read_chunk_async           (PochtaConnection     *self,
                                                                     gsize                 max_count,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
GBytes                *pochta_connection_read_chunk_finish          (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_write_async                (PochtaConnection     *self,
                                                                     GBytes               *bytes,
                                                                     PochtaWriteFlags      flags,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean               pochta_connection_write_finish               (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_close_async                (PochtaConnection     *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean               pochta_connection_close_finish               (PochtaConnection     *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
void                   pochta_connection_abort                      (PochtaConnection     *self);
gboolean               pochta_connection_push_converters            (PochtaConnection     *self,
                                                                     GConverter           *input,
                                                                     GConverter           *output,
                                                                     GError              **error);

G_END_DECLS
