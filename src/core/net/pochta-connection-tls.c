/* pochta-connection-tls.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TLS handshake of a PochtaConnection and the trust decision it makes.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-connection-private.h"
#include "pochta-net-error.h"

typedef struct
{
  PochtaConnection     *self;     /* owned by the task */
  PochtaDeadline        deadline;
  GTlsClientConnection *tls;
  GTlsCertificate      *presented;
  GTlsCertificateFlags  presented_errors;
  gulong                accept_id;
  gboolean              without_ca;   /* pinned: the system's CAs not loaded */
} HandshakeOp;

static void
handshake_op_free (HandshakeOp *op)
{
  _pochta_deadline_stop (&op->deadline);
  g_clear_signal_handler (&op->accept_id, op->tls);
  g_clear_object (&op->tls);
  g_clear_object (&op->presented);
  g_free (op);
}

/* GIO asks only when its own verification failed. With a pin, the pinned
 * certificate replaces the CA check and its name and date rules: the person
 * has already looked at this exact certificate and accepted it. */
static gboolean
on_accept_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  HandshakeOp *op = user_data;
  g_autofree char *fingerprint = NULL;

  g_set_object (&op->presented, certificate);
  op->presented_errors = errors;

  if (op->self->pinned_fingerprint == NULL)
    return FALSE;

  fingerprint = pochta_certificate_fingerprint_sha256 (certificate);
  return pochta_certificate_fingerprint_equal (fingerprint, op->self->pinned_fingerprint);
}

static GError *
certificate_error (PochtaConnection      *self,
                   PochtaCertificateInfo *info)
{
  g_autofree char *summary = NULL;

  if (self->pinned_fingerprint != NULL)
    {
      g_autofree char *pin = pochta_certificate_fingerprint_normalize (self->pinned_fingerprint);

      summary = g_strdup_printf (_("The certificate of “%s” is not the one accepted for this account (SHA-256 %s)."),
                                 self->host, pin ? pin : self->pinned_fingerprint);
      return pochta_net_error_new_for_certificate (POCHTA_NET_ERROR_TLS_PIN_MISMATCH, info, summary);
    }
  else
    {
      g_autofree char *problems = pochta_certificate_info_dup_problems (info);

      summary = g_strdup_printf (_("The certificate of “%s” is not trusted: %s."),
                                 self->host, problems ? problems : _("it could not be verified"));
      return pochta_net_error_new_for_certificate (POCHTA_NET_ERROR_TLS_CERTIFICATE, info, summary);
    }
}

/* What the system's CAs say of a certificate that was checked against a
 * pin only: shown when the pin no longer matches, as a renewed certificate
 * a CA vouches for deserves different words than an unknown one. */
static GTlsCertificateFlags
verify_with_system_ca (PochtaConnection *self,
                       GTlsCertificate  *certificate)
{
  GTlsDatabase *database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  GTlsCertificateFlags errors;

  if (database == NULL)
    return G_TLS_CERTIFICATE_UNKNOWN_CA;
  errors = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                        identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_object_unref (database);

  return errors;
}

static gboolean
is_peer_gone (const GError *error)
{
  return g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaCertificateInfo) info = NULL;
  HandshakeOp *op = g_task_get_task_data (task);
  PochtaConnection *self = op->self;
  GTlsCertificate *certificate;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error);
  _pochta_deadline_stop (&op->deadline);
  g_clear_signal_handler (&op->accept_id, op->tls);

  if (error != NULL)
    {
      if (op->presented != NULL && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          if (op->without_ca)
            op->presented_errors = verify_with_system_ca (self, op->presented);
          info = pochta_certificate_info_new (op->presented, op->presented_errors);
          _pochta_connection_set_peer_info (self, info);
          g_task_return_error (task, certificate_error (self, info));
        }
      else if (op->deadline.expired)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 ngettext ("The TLS handshake with “%s” did not finish within %u second",
                                           "The TLS handshake with “%s” did not finish within %u seconds",
                                           self->connect_timeout),
                                 self->host, self->connect_timeout);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (is_peer_gone (error))
        g_task_return_new_error (task, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED,
                                 _("“%s” closed the connection during the TLS handshake"),
                                 self->host);
      /* GnuTLS cannot tell a server that hung up before its first TLS
       * record from one that answered in plaintext. */
      else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
        g_task_return_new_error (task, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_FAILED,
                                 _("“%s” closed the connection during the TLS handshake, "
                                   "or does not offer TLS on port %u"),
                                 self->host, self->port);
      else
        {
          g_prefix_error (&error, _("The TLS handshake with “%s” failed: "), self->host);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }

  certificate = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (op->tls));
  if (certificate == NULL)
    {
      g_task_return_new_error (task, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_FAILED,
                               _("“%s” presented no certificate"), self->host);
      return;
    }

  info = pochta_certificate_info_new (certificate,
                                      g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (op->tls)));
  _pochta_connection_set_peer_info (self, info);

  /* A certificate that a CA vouches for is still refused when the account
   * pins another one: the pin is the person's decision, not a fallback. */
  if (self->pinned_fingerprint != NULL &&
      !pochta_certificate_info_matches (info, self->pinned_fingerprint))
    {
      g_task_return_error (task, certificate_error (self, info));
      return;
    }

  _pochta_connection_set_stream (self, G_IO_STREAM (op->tls));
  g_task_return_boolean (task, TRUE);
}

/* Wraps the plain socket in TLS and, on success, makes it the stream that
 * reads and writes go through. The caller closes the connection on error. */
void
_pochta_connection_handshake_async (PochtaConnection    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;
  HandshakeOp *op;

  g_assert (POCHTA_IS_CONNECTION (self));
  g_assert (self->socket_connection != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _pochta_connection_handshake_async);

  /* The identity is what RFC 6125 name checks compare against: the host
   * the account names, never what the resolver returned. */
  identity = g_network_address_new (self->host, self->port);
  if (self->pinned_fingerprint != NULL && self->tls_database == NULL)
    /* With a pin no CA decides anything (see handshake_cb), and not
     * loading the system's CA list saves a tenth of a second per process. */
    tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                          NULL, &error,
                          "base-io-stream", self->socket_connection,
                          "server-identity", identity,
                          "database", NULL,
                          NULL);
  else
    tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op = g_new0 (HandshakeOp, 1);
  op->self = self;
  op->tls = G_TLS_CLIENT_CONNECTION (tls);
  op->without_ca = self->pinned_fingerprint != NULL && self->tls_database == NULL;
  g_task_set_task_data (task, op, (GDestroyNotify)handshake_op_free);

  /* Mail protocols end their own conversations (LOGOUT, QUIT), so a
   * missing close_notify truncates nothing, and many servers omit it. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  if (self->tls_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->tls_database);

  op->accept_id = g_signal_connect (tls, "accept-certificate",
                                    G_CALLBACK (on_accept_certificate), op);

  _pochta_deadline_start (&op->deadline, cancellable, self->connect_timeout);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls),
                                    G_PRIORITY_DEFAULT,
                                    op->deadline.cancellable,
                                    handshake_cb,
                                    g_steal_pointer (&task));
}

gboolean
_pochta_connection_handshake_finish (PochtaConnection  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == _pochta_connection_handshake_async);

  return g_task_propagate_boolean (G_TASK (result), error);
}
