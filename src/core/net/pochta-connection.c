/* pochta-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One TCP connection to a mail server, with TLS, pinning, bounded reads and a trace.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-connection-private.h"
#include "pochta-debug.h"
#include "pochta-net-error.h"

#define DEFAULT_CONNECT_TIMEOUT 30
#define DEFAULT_READ_TIMEOUT    60
#define DEFAULT_MAX_LINE_LENGTH (64 * 1024)

G_DEFINE_FINAL_TYPE (PochtaConnection, pochta_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_TLS_MODE,
  PROP_PINNED_FINGERPRINT,
  PROP_TLS_DATABASE,
  PROP_CONNECT_TIMEOUT,
  PROP_READ_TIMEOUT,
  PROP_MAX_LINE_LENGTH,
  PROP_TRACE_FLAGS,
  PROP_ID,
  PROP_CONNECTED,
  PROP_ENCRYPTED,
  PROP_PEER_CERTIFICATE_INFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint last_id;

GType
pochta_tls_mode_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { POCHTA_TLS_MODE_NONE, "POCHTA_TLS_MODE_NONE", "none" },
        { POCHTA_TLS_MODE_STARTTLS, "POCHTA_TLS_MODE_STARTTLS", "starttls" },
        { POCHTA_TLS_MODE_IMPLICIT, "POCHTA_TLS_MODE_IMPLICIT", "implicit" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static (g_intern_static_string ("PochtaTlsMode"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

static void
on_parent_cancelled (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_deadline_expired (gpointer user_data)
{
  PochtaDeadline *deadline = user_data;

  deadline->expired = TRUE;
  g_clear_pointer (&deadline->source, g_source_unref);
  g_cancellable_cancel (deadline->cancellable);

  return G_SOURCE_REMOVE;
}

void
_pochta_deadline_start (PochtaDeadline *deadline,
                        GCancellable   *parent,
                        guint           seconds)
{
  g_assert (deadline->cancellable == NULL);

  deadline->cancellable = g_cancellable_new ();
  deadline->expired = FALSE;

  if (parent != NULL)
    {
      deadline->parent = g_object_ref (parent);
      deadline->parent_id = g_cancellable_connect (parent, G_CALLBACK (on_parent_cancelled),
                                                   g_object_ref (deadline->cancellable),
                                                   g_object_unref);
    }

  if (seconds > 0)
    {
      deadline->source = g_timeout_source_new ((guint64)seconds * 1000);
      g_source_set_static_name (deadline->source, "[pochta] connection deadline");
      g_source_set_callback (deadline->source, on_deadline_expired, deadline, NULL);
      g_source_attach (deadline->source, g_main_context_get_thread_default ());
    }
}

/* Idempotent; keeps expired readable for the error that follows. */
void
_pochta_deadline_stop (PochtaDeadline *deadline)
{
  if (deadline->source != NULL)
    {
      g_source_destroy (deadline->source);
      g_clear_pointer (&deadline->source, g_source_unref);
    }

  if (deadline->parent_id != 0)
    {
      g_cancellable_disconnect (deadline->parent, deadline->parent_id);
      deadline->parent_id = 0;
    }

  g_clear_object (&deadline->parent);
  g_clear_object (&deadline->cancellable);
}

void
_pochta_connection_set_peer_info (PochtaConnection      *self,
                                  PochtaCertificateInfo *info)
{
  if (self->peer_certificate_info == info)
    return;

  g_clear_pointer (&self->peer_certificate_info, pochta_certificate_info_unref);
  if (info != NULL)
    self->peer_certificate_info = pochta_certificate_info_ref (info);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_CERTIFICATE_INFO]);
}

void
_pochta_connection_set_stream (PochtaConnection *self,
                               GIOStream        *stream)
{
  gboolean was_connected = pochta_connection_is_connected (self);
  gboolean was_encrypted = pochta_connection_is_encrypted (self);

  g_set_object (&self->stream, stream);
  g_clear_object (&self->filtered);
  g_clear_object (&self->reader);
  if (stream != NULL)
    self->reader = pochta_line_reader_new (g_io_stream_get_input_stream (stream),
                                           self->max_line_length);

  if (self->trace != NULL && stream != NULL && G_IS_TLS_CONNECTION (stream))
    pochta_trace_note (self->trace, "TLS established, certificate SHA-256 %s",
                       self->peer_certificate_info
                       ? pochta_certificate_info_get_fingerprint (self->peer_certificate_info)
                       : "?");

  if (was_connected != pochta_connection_is_connected (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  if (was_encrypted != pochta_connection_is_encrypted (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}

/* Closes the socket at once, without a TLS close_notify: for errors after
 * which nothing more can be said to the server. */
void
_pochta_connection_drop (PochtaConnection *self)
{
  if (self->socket_connection != NULL)
    g_socket_close (g_socket_connection_get_socket (self->socket_connection), NULL);

  g_clear_object (&self->socket_connection);
  _pochta_connection_set_stream (self, NULL);
}

static void
pochta_connection_dispose (GObject *object)
{
  PochtaConnection *self = (PochtaConnection *)object;

  if (self->socket_connection != NULL)
    g_socket_close (g_socket_connection_get_socket (self->socket_connection), NULL);
  g_clear_object (&self->reader);
  g_clear_object (&self->filtered);
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (pochta_connection_parent_class)->dispose (object);
}

static void
pochta_connection_finalize (GObject *object)
{
  PochtaConnection *self = (PochtaConnection *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->pinned_fingerprint, g_free);
  g_clear_pointer (&self->peer_certificate_info, pochta_certificate_info_unref);
  g_clear_pointer (&self->trace, pochta_trace_free);

  G_OBJECT_CLASS (pochta_connection_parent_class)->finalize (object);
}

static void
pochta_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PochtaConnection *self = POCHTA_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_TLS_MODE:
      g_value_set_enum (value, self->tls_mode);
      break;

    case PROP_PINNED_FINGERPRINT:
      g_value_set_string (value, self->pinned_fingerprint);
      break;

    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_READ_TIMEOUT:
      g_value_set_uint (value, self->read_timeout);
      break;

    case PROP_MAX_LINE_LENGTH:
      g_value_set_uint64 (value, self->max_line_length);
      break;

    case PROP_TRACE_FLAGS:
      g_value_set_uint (value, self->trace_flags);
      break;

    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, pochta_connection_is_connected (self));
      break;

    case PROP_ENCRYPTED:
      g_value_set_boolean (value, pochta_connection_is_encrypted (self));
      break;

    case PROP_PEER_CERTIFICATE_INFO:
      g_value_set_boxed (value, self->peer_certificate_info);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_connection_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PochtaConnection *self = POCHTA_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    case PROP_TLS_MODE:
      self->tls_mode = g_value_get_enum (value);
      break;

    case PROP_PINNED_FINGERPRINT:
      pochta_connection_set_pinned_fingerprint (self, g_value_get_string (value));
      break;

    case PROP_TLS_DATABASE:
      pochta_connection_set_tls_database (self, g_value_get_object (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      pochta_connection_set_connect_timeout (self, g_value_get_uint (value));
      break;

    case PROP_READ_TIMEOUT:
      pochta_connection_set_read_timeout (self, g_value_get_uint (value));
      break;

    case PROP_MAX_LINE_LENGTH:
      pochta_connection_set_max_line_length (self, g_value_get_uint64 (value));
      break;

    case PROP_TRACE_FLAGS:
      pochta_connection_set_trace_flags (self, g_value_get_uint (value));
      break;

    case PROP_ID:
    case PROP_CONNECTED:
    case PROP_ENCRYPTED:
    case PROP_PEER_CERTIFICATE_INFO:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_connection_class_init (PochtaConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_connection_dispose;
  object_class->finalize = pochta_connection_finalize;
  object_class->get_property = pochta_connection_get_property;
  object_class->set_property = pochta_connection_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TLS_MODE] =
    g_param_spec_enum ("tls-mode", NULL, NULL,
                       POCHTA_TYPE_TLS_MODE, POCHTA_TLS_MODE_IMPLICIT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PINNED_FINGERPRINT] =
    g_param_spec_string ("pinned-fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT / 1000, DEFAULT_CONNECT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_READ_TIMEOUT] =
    g_param_spec_uint ("read-timeout", NULL, NULL,
                       0, G_MAXUINT / 1000, DEFAULT_READ_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_LINE_LENGTH] =
    g_param_spec_uint64 ("max-line-length", NULL, NULL,
                         1, G_MAXSIZE, DEFAULT_MAX_LINE_LENGTH,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TRACE_FLAGS] =
    g_param_spec_uint ("trace-flags", NULL, NULL,
                       0, G_MAXUINT, POCHTA_DEBUG_NET,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ID] =
    g_param_spec_uint ("id", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PEER_CERTIFICATE_INFO] =
    g_param_spec_boxed ("peer-certificate-info", NULL, NULL,
                        POCHTA_TYPE_CERTIFICATE_INFO,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_connection_init (PochtaConnection *self)
{
  self->id = (guint)g_atomic_int_add ((gint *)&last_id, 1) + 1;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->read_timeout = DEFAULT_READ_TIMEOUT;
  self->max_line_length = DEFAULT_MAX_LINE_LENGTH;
  self->trace_flags = POCHTA_DEBUG_NET;
}

/**
 * pochta_connection_new:
 * @host: a host name or address literal; also the name the certificate must carry
 * @port: the TCP port
 * @tls_mode: implicit TLS, STARTTLS (the protocol client calls
 *   pochta_connection_starttls_async()) or none
 */
PochtaConnection *
pochta_connection_new (const char    *host,
                       guint16        port,
                       PochtaTlsMode  tls_mode)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return g_object_new (POCHTA_TYPE_CONNECTION,
                       "host", host,
                       "port", (guint)port,
                       "tls-mode", tls_mode,
                       NULL);
}

guint
pochta_connection_get_id (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->id;
}

const char *
pochta_connection_get_host (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  return self->host;
}

guint16
pochta_connection_get_port (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->port;
}

PochtaTlsMode
pochta_connection_get_tls_mode (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), POCHTA_TLS_MODE_NONE);
  return self->tls_mode;
}

const char *
pochta_connection_get_pinned_fingerprint (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  return self->pinned_fingerprint;
}

/**
 * pochta_connection_set_pinned_fingerprint:
 * @fingerprint: (nullable): the SHA-256 of the one certificate to accept,
 *   in any spelling pochta_certificate_fingerprint_normalize() reads
 *
 * Takes effect at the next handshake. A pin that is not a valid
 * fingerprint matches no certificate, so it fails closed.
 */
void
pochta_connection_set_pinned_fingerprint (PochtaConnection *self,
                                          const char       *fingerprint)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));

  if (fingerprint != NULL && *fingerprint == '\0')
    fingerprint = NULL;

  if (g_strcmp0 (self->pinned_fingerprint, fingerprint) == 0)
    return;

  g_free (self->pinned_fingerprint);
  self->pinned_fingerprint = g_strdup (fingerprint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_FINGERPRINT]);
}

GTlsDatabase *
pochta_connection_get_tls_database (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  return self->tls_database;
}

/**
 * pochta_connection_set_tls_database:
 * @database: (nullable): the trust anchors to verify against; %NULL uses
 *   the system's
 */
void
pochta_connection_set_tls_database (PochtaConnection *self,
                                    GTlsDatabase     *database)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (!database || G_IS_TLS_DATABASE (database));

  if (g_set_object (&self->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_DATABASE]);
}

guint
pochta_connection_get_connect_timeout (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->connect_timeout;
}

/* Bounds resolving plus connecting, and separately each TLS handshake. */
void
pochta_connection_set_connect_timeout (PochtaConnection *self,
                                       guint             seconds)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));

  if (self->connect_timeout == seconds)
    return;

  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
pochta_connection_get_read_timeout (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->read_timeout;
}

/**
 * pochta_connection_set_read_timeout:
 * @seconds: how long a read may wait for the next bytes, and a write for
 *   the server to take them; 0 waits for ever
 *
 * Read at the start of each operation, so IMAP can lengthen it around IDLE.
 */
void
pochta_connection_set_read_timeout (PochtaConnection *self,
                                    guint             seconds)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));

  if (self->read_timeout == seconds)
    return;

  self->read_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_TIMEOUT]);
}

gsize
pochta_connection_get_max_line_length (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->max_line_length;
}

void
pochta_connection_set_max_line_length (PochtaConnection *self,
                                       gsize             max_line_length)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));
  g_return_if_fail (max_line_length > 0);

  if (self->max_line_length == max_line_length)
    return;

  self->max_line_length = max_line_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LINE_LENGTH]);
}

guint
pochta_connection_get_trace_flags (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), 0);
  return self->trace_flags;
}

/**
 * pochta_connection_set_trace_flags:
 * @debug_flags: #PochtaDebugFlags that switch the trace on besides "net",
 *   e.g. %POCHTA_DEBUG_IMAP; taken at the next connect
 */
void
pochta_connection_set_trace_flags (PochtaConnection *self,
                                   guint             debug_flags)
{
  g_return_if_fail (POCHTA_IS_CONNECTION (self));

  if (self->trace_flags == debug_flags)
    return;

  self->trace_flags = debug_flags;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE_FLAGS]);
}

gboolean
pochta_connection_is_connected (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  return self->stream != NULL;
}

gboolean
pochta_connection_is_encrypted (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), FALSE);
  return self->stream != NULL && G_IS_TLS_CONNECTION (self->stream);
}

/**
 * pochta_connection_get_peer_certificate_info:
 *
 * Returns: (transfer none) (nullable): the certificate of the last TLS
 *   handshake, kept after a failed one too, so the UI can offer to pin it.
 */
PochtaCertificateInfo *
pochta_connection_get_peer_certificate_info (PochtaConnection *self)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (self), NULL);
  return self->peer_certificate_info;
}
