/* pochta-imap-client-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session steps of PochtaImapClient: greeting, STARTTLS, login, CAPABILITY, LOGOUT.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-debug.h"
#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

typedef struct
{
  char *username;
  char *password;
} ConnectOp;

static void
connect_op_free (ConnectOp *op)
{
  g_free (op->username);
  if (op->password != NULL)
    explicit_bzero (op->password, strlen (op->password));
  g_free (op->password);
  g_free (op);
}

/* Ends the session for a failure during connect or login, then reports it. */
static void
return_fatal (GTask  *task,
              GError *error)
{
  PochtaImapClient *self = g_task_get_source_object (task);

  _pochta_imap_client_fail (self, error);
  g_task_return_error (task, error);
}

static void
simple_command (PochtaImapClient    *self,
                const char          *name,
                ImapCommandFlags     flags,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  _pochta_imap_client_command_async (self,
                                     _pochta_imap_command_new (pochta_imap_command_new (name), flags),
                                     cancellable, callback, user_data);
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = _pochta_imap_client_command_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
starttls_handshake_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = g_task_get_source_object (task);
  GCancellable *cancellable;

  if (!pochta_connection_starttls_finish (POCHTA_CONNECTION (object), result, &error))
    {
      return_fatal (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 3501 6.2.1: what was said before TLS cannot be trusted, so the
   * capabilities are asked for again. */
  g_clear_pointer (&self->capabilities, pochta_imap_capabilities_free);
  _pochta_imap_client_reset_parser (self);
  self->reader_paused = FALSE;
  _pochta_imap_client_start_reader (self);

  cancellable = g_task_get_cancellable (task);
  simple_command (self, "CAPABILITY", IMAP_COMMAND_NONE, cancellable,
                  connect_done_cb, g_steal_pointer (&task));
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  GCancellable *cancellable;

  response = _pochta_imap_client_command_finish (self, result, &error);
  if (response == NULL)
    {
      g_prefix_error (&error, _("The server refused STARTTLS: "));
      return_fatal (task, g_steal_pointer (&error));
      return;
    }

  /* Bytes after the OK arrived in plaintext and could be anyone's. */
  if (_pochta_imap_client_has_pending_input (self))
    {
      return_fatal (task, g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                               _("The server sent data after agreeing to STARTTLS; "
                                                 "the connection was closed for safety")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  pochta_connection_starttls_async (self->connection, cancellable,
                                    starttls_handshake_cb, g_steal_pointer (&task));
}

static void
connect_step_tls (GTask *owned)
{
  g_autoptr(GTask) task = owned;
  PochtaImapClient *self = g_task_get_source_object (task);
  GCancellable *cancellable;

  if (pochta_connection_get_tls_mode (self->connection) != POCHTA_TLS_MODE_STARTTLS ||
      pochta_connection_is_encrypted (self->connection))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Configured STARTTLS is required: a server that stops offering it (or
   * a path that strips it) is an error, never a plaintext session. */
  if (self->state != POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED)
    {
      return_fatal (task, g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                                               _("The server logged in before TLS was set up "
                                                 "(PREAUTH), so STARTTLS is impossible")));
      return;
    }

  if (!pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_STARTTLS))
    {
      return_fatal (task, g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                                               _("The server does not offer STARTTLS, which this "
                                                 "account requires")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  simple_command (self, "STARTTLS", IMAP_COMMAND_BARRIER | IMAP_COMMAND_PAUSE_READER,
                  cancellable, starttls_cb, g_steal_pointer (&task));
}

static void
connect_capability_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = _pochta_imap_client_command_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      return_fatal (task, g_steal_pointer (&error));
      return;
    }

  connect_step_tls (g_steal_pointer (&task));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  GCancellable *cancellable;

  response = g_task_propagate_pointer (G_TASK (result), &error);
  if (response == NULL)
    {
      return_fatal (task, g_steal_pointer (&error));
      return;
    }

  g_free (self->greeting);
  self->greeting = g_strdup (response->text);

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    {
      return_fatal (task, g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE,
                                       _("The IMAP server refused the connection: %s"),
                                       response->text ? response->text : ""));
      return;
    }

  _pochta_imap_client_set_state (self, response->status == POCHTA_IMAP_STATUS_PREAUTH
                                       ? POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED
                                       : POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED);
  _pochta_imap_client_pump (self);

  if (self->capabilities != NULL)
    {
      connect_step_tls (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  simple_command (self, "CAPABILITY", IMAP_COMMAND_NONE, cancellable,
                  connect_capability_cb, g_steal_pointer (&task));
}

static void
connection_connect_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = g_task_get_source_object (task);
  GTask *greeting;
  GCancellable *cancellable;

  if (!pochta_connection_connect_finish (POCHTA_CONNECTION (object), result, &error))
    {
      return_fatal (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  /* The greeting is the first response; dispatch hands it to this task. */
  greeting = g_task_new (self, cancellable, greeting_cb, g_steal_pointer (&task));
  g_task_set_source_tag (greeting, pochta_imap_client_connect_async);
  self->greeting_task = greeting;
  _pochta_imap_client_reset_parser (self);
  _pochta_imap_client_update_watchdog (self);
  _pochta_imap_client_start_reader (self);
}

/**
 * pochta_imap_client_connect_async:
 *
 * Opens the connection, reads the greeting (OK, PREAUTH or BYE), learns
 * the capabilities and, with %POCHTA_TLS_MODE_STARTTLS, upgrades to TLS
 * and learns them again. A server that does not offer STARTTLS when it is
 * configured is %POCHTA_IMAP_ERROR_CAPABILITY, never a plaintext session.
 */
void
pochta_imap_client_connect_async (PochtaImapClient    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_connect_async);

  if (self->state != POCHTA_IMAP_CLIENT_STATE_DISCONNECTED || self->fatal_error != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("This IMAP session was already used; start a new one"));
      return;
    }

  if (pochta_debug_enabled (POCHTA_DEBUG_IMAP))
    pochta_connection_set_trace_flags (self->connection,
                                       pochta_connection_get_trace_flags (self->connection) |
                                       POCHTA_DEBUG_IMAP | POCHTA_DEBUG_NET);

  _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_CONNECTING);
  pochta_connection_connect_async (self->connection, cancellable,
                                   connection_connect_cb, g_steal_pointer (&task));
}

gboolean
pochta_imap_client_connect_finish (PochtaImapClient  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
login_capability_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = _pochta_imap_client_command_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  GCancellable *cancellable;

  response = _pochta_imap_client_command_finish (self, result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO))
        error->code = POCHTA_IMAP_ERROR_AUTH_FAILED;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _pochta_imap_client_set_state (self, POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED);

  /* Servers announce more after login; most say so in the OK itself. */
  if (g_strcmp0 (response->code, "CAPABILITY") == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  simple_command (self, "CAPABILITY", IMAP_COMMAND_NONE, cancellable,
                  login_capability_cb, g_steal_pointer (&task));
}

static char *
sasl_plain_response (const char *username,
                     const char *password)
{
  gsize ulen = strlen (username);
  gsize plen = strlen (password);
  gsize len = 1 + ulen + 1 + plen;
  g_autofree char *raw = g_malloc (len);
  char *encoded;

  /* authzid (empty) NUL authcid NUL password, RFC 4616. */
  raw[0] = '\0';
  memcpy (raw + 1, username, ulen);
  raw[1 + ulen] = '\0';
  memcpy (raw + 2 + ulen, password, plen);
  encoded = g_base64_encode ((const guchar *)raw, len);
  explicit_bzero (raw, len);

  return encoded;
}

static void
authenticate_continuation (PochtaImapClient         *self,
                           ImapCommand              *command,
                           const PochtaImapResponse *response)
{
  ConnectOp *op = command->user_data;
  g_autofree char *line = NULL;
  g_autofree char *encoded = NULL;

  /* An abandoned or second challenge is answered with "*" (RFC 3501 6.2.2). */
  if (op == NULL || op->password == NULL)
    {
      _pochta_imap_client_write_raw (self, "*\r\n", FALSE);
      return;
    }

  encoded = sasl_plain_response (op->username, op->password);
  line = g_strdup_printf ("%s\r\n", encoded);
  explicit_bzero (op->password, strlen (op->password));
  g_clear_pointer (&op->password, g_free);
  _pochta_imap_client_write_raw (self, line, TRUE);
  explicit_bzero (line, strlen (line));
  explicit_bzero (encoded, strlen (encoded));
}

/**
 * pochta_imap_client_login_async:
 *
 * AUTHENTICATE PLAIN (with the initial response in the command when the
 * server has SASL-IR), else LOGIN unless the server has LOGINDISABLED.
 * Without TLS the password is only sent when allow-plaintext-auth is set.
 * A refused login is %POCHTA_IMAP_ERROR_AUTH_FAILED with the server's text.
 * After PREAUTH there is nothing to do and this succeeds at once.
 */
void
pochta_imap_client_login_async (PochtaImapClient    *self,
                                const char          *username,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PochtaImapCommand) builder = NULL;
  ImapCommand *command;
  ConnectOp *op;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_login_async);

  if (self->state == POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED ||
      self->state == POCHTA_IMAP_CLIENT_STATE_SELECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->state != POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED)
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED,
                               _("Not connected to the IMAP server"));
      return;
    }

  if (!pochta_connection_is_encrypted (self->connection) && !self->allow_plaintext_auth)
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("Refusing to send the password over a connection without TLS"));
      return;
    }

  op = g_new0 (ConnectOp, 1);
  op->username = g_strdup (username);
  op->password = g_strdup (password);
  g_task_set_task_data (task, op, (GDestroyNotify)connect_op_free);

  if (self->capabilities != NULL && pochta_imap_capabilities_has_auth (self->capabilities, "PLAIN"))
    {
      builder = pochta_imap_command_new ("AUTHENTICATE");
      pochta_imap_command_add_atom (builder, "PLAIN");

      if (pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_SASL_IR))
        {
          g_autofree char *encoded = sasl_plain_response (username, password);

          pochta_imap_command_add_secret (builder, encoded);
          explicit_bzero (encoded, strlen (encoded));
        }

      command = _pochta_imap_command_new (g_steal_pointer (&builder), IMAP_COMMAND_BARRIER);
      command->continuation = authenticate_continuation;
      command->user_data = op;
    }
  else if (pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_LOGINDISABLED))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("The server allows neither LOGIN nor a supported "
                                 "authentication mechanism"));
      return;
    }
  else
    {
      builder = pochta_imap_command_new ("LOGIN");
      pochta_imap_command_add_secret (builder, username);
      pochta_imap_command_add_secret (builder, password);
      command = _pochta_imap_command_new (g_steal_pointer (&builder), IMAP_COMMAND_BARRIER);
    }

  _pochta_imap_client_command_async (self, command, cancellable, login_cb, g_steal_pointer (&task));
}

gboolean
pochta_imap_client_login_finish (PochtaImapClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
boolean_command_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = _pochta_imap_client_command_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pochta_imap_client_capability_async:
 *
 * Asks again; pochta_imap_client_get_capabilities() has the answer.
 */
void
pochta_imap_client_capability_async (PochtaImapClient    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_capability_async);
  simple_command (self, "CAPABILITY", IMAP_COMMAND_NONE, cancellable,
                  boolean_command_cb, g_steal_pointer (&task));
}

gboolean
pochta_imap_client_capability_finish (PochtaImapClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_capability_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
logout_close_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = g_task_get_source_object (task);

  pochta_connection_close_finish (POCHTA_CONNECTION (object), result, NULL);
  error = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED,
                               _("Logged out from the IMAP server"));
  _pochta_imap_client_fail (self, error);
  g_task_return_boolean (task, TRUE);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  GCancellable *cancellable;

  response = _pochta_imap_client_command_finish (self, result, &error);

  /* The BYE and the hang-up are what LOGOUT asked for. */
  if (response == NULL && !g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->reader_paused = TRUE;
  cancellable = g_task_get_cancellable (task);
  pochta_connection_close_async (self->connection, cancellable,
                                 logout_close_cb, g_steal_pointer (&task));
}

void
pochta_imap_client_logout_async (PochtaImapClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_logout_async);
  simple_command (self, "LOGOUT", IMAP_COMMAND_BARRIER | IMAP_COMMAND_EXPECT_BYE, cancellable,
                  logout_cb, g_steal_pointer (&task));
}

gboolean
pochta_imap_client_logout_finish (PochtaImapClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
