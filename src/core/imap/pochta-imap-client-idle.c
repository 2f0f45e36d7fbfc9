/* pochta-imap-client-idle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IDLE (RFC 2177) with its own renewal before 29 minutes, and COMPRESS=DEFLATE (RFC 4978).
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

static void send_idle (PochtaImapClient *self);

static gboolean
on_idle_renew (gpointer user_data)
{
  PochtaImapClient *self = user_data;

  g_clear_pointer (&self->idle_renew, g_source_unref);

  /* Servers may end an IDLE after 30 minutes (RFC 2177): DONE, then a new
   * IDLE, which the caller does not see except through "idling". */
  self->idle_renewing = TRUE;
  _pochta_imap_client_pump (self);

  return G_SOURCE_REMOVE;
}

void
_pochta_imap_client_idle_continuation (PochtaImapClient         *self,
                                       ImapCommand              *command,
                                       const PochtaImapResponse *response)
{
  g_autoptr(GTask) start = g_steal_pointer (&self->idle_start_task);

  if (command->idle_accepted)
    return;

  command->idle_accepted = TRUE;
  self->idle_renewing = FALSE;

  if (self->idle_renew != NULL)
    g_source_destroy (self->idle_renew);
  g_clear_pointer (&self->idle_renew, g_source_unref);
  self->idle_renew = g_timeout_source_new_seconds (self->idle_timeout);
  g_source_set_static_name (self->idle_renew, "[pochta] imap idle renew");
  g_source_set_callback (self->idle_renew, on_idle_renew, self, NULL);
  g_source_attach (self->idle_renew, g_main_context_get_thread_default ());

  _pochta_imap_client_update_watchdog (self);
  _pochta_imap_client_notify_idling (self);

  if (start != NULL)
    g_task_return_boolean (start, TRUE);

  /* Commands queued while waiting for "+" end the IDLE straight away. */
  _pochta_imap_client_pump (self);
}

void
_pochta_imap_client_idle_ended (PochtaImapClient *self)
{
  if (self->idle_renew != NULL)
    g_source_destroy (self->idle_renew);
  g_clear_pointer (&self->idle_renew, g_source_unref);
  _pochta_imap_client_notify_idling (self);
}

static void
idle_command_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) start = NULL;
  g_autoptr(GTask) stop = NULL;

  response = _pochta_imap_client_command_finish (self, result, &error);
  start = g_steal_pointer (&self->idle_start_task);
  stop = g_steal_pointer (&self->idle_stop_task);
  self->idle_stop_requested = FALSE;

  if (start != NULL)
    {
      if (error != NULL)
        g_task_return_error (start, g_error_copy (error));
      else
        g_task_return_new_error (start, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                 _("The server ended IDLE before it started"));
    }

  if (stop != NULL)
    {
      if (error != NULL)
        g_task_return_error (stop, g_steal_pointer (&error));
      else
        g_task_return_boolean (stop, TRUE);
      return;
    }

  if (error == NULL && self->idle_renewing && start == NULL)
    send_idle (self);
  else
    self->idle_renewing = FALSE;
}

static void
send_idle (PochtaImapClient *self)
{
  ImapCommand *command;

  command = _pochta_imap_command_new (pochta_imap_command_new ("IDLE"),
                                      IMAP_COMMAND_BARRIER | IMAP_COMMAND_NO_TIMEOUT);
  command->continuation = _pochta_imap_client_idle_continuation;
  _pochta_imap_client_command_async (self, command, NULL, idle_command_cb, NULL);
}

/**
 * pochta_imap_client_idle_start_async:
 *
 * Completes once the server confirmed IDLE. Until it is stopped, the
 * mailbox's updates arrive as signals (exists, expunge, vanished,
 * flags-changed); the client renews the IDLE by itself every idle-timeout
 * seconds (29 minutes by default). Any other command ends the IDLE first
 * (and it is not resumed: call this again afterwards).
 */
void
pochta_imap_client_idle_start_async (PochtaImapClient    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_idle_start_async);

  if (self->idle != NULL && !self->idle->done_sent && self->idle_start_task == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->idle_start_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("IDLE is already being started"));
      return;
    }

  if (!pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_IDLE))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("The server does not support IDLE"));
      return;
    }

  self->idle_renewing = FALSE;
  self->idle_start_task = g_steal_pointer (&task);
  send_idle (self);
}

gboolean
pochta_imap_client_idle_start_finish (PochtaImapClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_idle_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pochta_imap_client_idle_stop_async:
 *
 * Sends DONE and completes with the server's OK for the IDLE; succeeds at
 * once when not idling.
 */
void
pochta_imap_client_idle_stop_async (PochtaImapClient    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_idle_stop_async);

  if (self->idle == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->idle_stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("IDLE is already being stopped"));
      return;
    }

  self->idle_renewing = FALSE;
  self->idle_stop_requested = TRUE;
  self->idle_stop_task = g_steal_pointer (&task);
  _pochta_imap_client_pump (self);
}

gboolean
pochta_imap_client_idle_stop_finish (PochtaImapClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_idle_stop_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
compress_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GZlibCompressor) compressor = NULL;
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);

  response = _pochta_imap_client_command_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* From the OK on, the server's bytes are deflated; any already read
   * after it would have to be inflated too, and a server has no reason to
   * send them, so they end the session instead. */
  if (_pochta_imap_client_has_pending_input (self))
    {
      error = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                   _("The server sent data right after agreeing to COMPRESS"));
      _pochta_imap_client_fail (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, -1);
  if (!pochta_connection_push_converters (self->connection, G_CONVERTER (decompressor),
                                          G_CONVERTER (compressor), &error))
    {
      _pochta_imap_client_fail (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->compressed = TRUE;
  self->reader_paused = FALSE;
  _pochta_imap_client_start_reader (self);
  _pochta_imap_client_pump (self);

  g_task_return_boolean (task, TRUE);
}

/**
 * pochta_imap_client_compress_async:
 *
 * COMPRESS DEFLATE when the server offers it; afterwards everything in
 * both directions is deflated. %POCHTA_IMAP_ERROR_CAPABILITY otherwise.
 */
void
pochta_imap_client_compress_async (PochtaImapClient    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PochtaImapCommand) builder = NULL;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_imap_client_compress_async);

  if (self->compressed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!pochta_imap_client_has_capability (self, POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                               _("The server does not support COMPRESS=DEFLATE"));
      return;
    }

  builder = pochta_imap_command_new ("COMPRESS");
  pochta_imap_command_add_atom (builder, "DEFLATE");
  _pochta_imap_client_command_async (self,
                                     _pochta_imap_command_new (g_steal_pointer (&builder),
                                                               IMAP_COMMAND_BARRIER |
                                                               IMAP_COMMAND_PAUSE_READER),
                                     cancellable, compress_cb, g_steal_pointer (&task));
}

gboolean
pochta_imap_client_compress_finish (PochtaImapClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_imap_client_compress_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
