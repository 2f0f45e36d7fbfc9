/* pochta-account-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account's connection state, and the rule that a refused login is not retried by itself.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-private.h"
#include "pochta-account.h"

PochtaAccountState
pochta_account_get_state (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), POCHTA_ACCOUNT_STATE_OFFLINE);

  return self->state;
}

/**
 * pochta_account_get_state_message:
 *
 * Returns: (nullable): a sentence for the person about the current
 *   problem state, or %NULL in the untroubled states.
 */
const char *
pochta_account_get_state_message (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->state_message;
}

/**
 * pochta_account_get_certificate_info:
 *
 * Returns: (transfer none) (nullable): in %POCHTA_ACCOUNT_STATE_TLS_ERROR,
 *   the certificate the server presented, for the person to judge.
 */
PochtaCertificateInfo *
pochta_account_get_certificate_info (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->certificate_info;
}

/**
 * pochta_account_get_failed_server:
 *
 * Returns: (transfer none) (nullable): the server whose password or
 *   certificate the current problem state is about; pass it to
 *   pochta_account_set_password_async().
 */
PochtaServerConfig *
pochta_account_get_failed_server (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->failed_server;
}

guint
pochta_account_get_sync_done (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), 0);

  return self->sync_done;
}

guint
pochta_account_get_sync_total (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), 0);

  return self->sync_total;
}

static void
update_progress (PochtaAccount *self,
                 guint          done,
                 guint          total)
{
  if (self->sync_done != done)
    {
      self->sync_done = done;
      _pochta_account_notify (self, POCHTA_ACCOUNT_PROP_SYNC_DONE);
    }

  if (self->sync_total != total)
    {
      self->sync_total = total;
      _pochta_account_notify (self, POCHTA_ACCOUNT_PROP_SYNC_TOTAL);
    }
}

/* The one place state changes: everything shown with it changes together,
 * and observers see a consistent account in each notify. */
static void
transition (PochtaAccount         *self,
            PochtaAccountState     state,
            const char            *message,
            PochtaCertificateInfo *info,
            PochtaServerConfig    *failed_server)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      g_autofree char *from = g_enum_to_string (POCHTA_TYPE_ACCOUNT_STATE, self->state);
      g_autofree char *to = g_enum_to_string (POCHTA_TYPE_ACCOUNT_STATE, state);

      g_debug ("Account %s: %s → %s", self->id, from, to);
      self->state = state;
      _pochta_account_notify (self, POCHTA_ACCOUNT_PROP_STATE);
    }

  if (_pochta_set_str (&self->state_message, message))
    _pochta_account_notify (self, POCHTA_ACCOUNT_PROP_STATE_MESSAGE);

  if (self->certificate_info != info)
    {
      g_clear_pointer (&self->certificate_info, pochta_certificate_info_unref);
      if (info != NULL)
        self->certificate_info = pochta_certificate_info_ref (info);
      _pochta_account_notify (self, POCHTA_ACCOUNT_PROP_CERTIFICATE_INFO);
    }

  g_set_object (&self->failed_server, failed_server);

  if (state != POCHTA_ACCOUNT_STATE_SYNCING)
    update_progress (self, 0, 0);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pochta_account_set_state:
 * @state: %POCHTA_ACCOUNT_STATE_OFFLINE, _CONNECTING, _ONLINE or _SYNCING
 *
 * For the session's ordinary progress. Problems go through the report
 * functions instead, which say what happened.
 *
 * While logins are blocked (see pochta_account_can_attempt_login()),
 * going offline keeps the problem on show, and connecting is a bug in the
 * caller.
 */
void
pochta_account_set_state (PochtaAccount      *self,
                          PochtaAccountState  state)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (state <= POCHTA_ACCOUNT_STATE_SYNCING);
  g_return_if_fail (!self->login_blocked || state == POCHTA_ACCOUNT_STATE_OFFLINE);

  if (self->login_blocked)
    return;

  transition (self, state, NULL, NULL, NULL);
}

/**
 * pochta_account_set_sync_progress:
 *
 * Reports @done of @total steps while syncing; ignored in other states,
 * and reset to 0/0 whenever the state leaves %POCHTA_ACCOUNT_STATE_SYNCING.
 */
void
pochta_account_set_sync_progress (PochtaAccount *self,
                                  guint          done,
                                  guint          total)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (self->state != POCHTA_ACCOUNT_STATE_SYNCING)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  update_progress (self, MIN (done, total), total);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pochta_account_report_error:
 * @message: a sentence for the person, e.g. the connection error's message
 *
 * A failure that may pass by itself (network, server busy): the session
 * keeps retrying on its backoff, so logins stay allowed.
 */
void
pochta_account_report_error (PochtaAccount *self,
                             const char    *message)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  /* Whatever else went wrong, the password or certificate problem is
   * still the one the person has to fix first. */
  if (self->login_blocked)
    return;

  transition (self, POCHTA_ACCOUNT_STATE_ERROR,
              message != NULL ? message : _("Something went wrong with this account"),
              NULL, NULL);
}

static void
block (PochtaAccount         *self,
       PochtaAccountState     state,
       const char            *message,
       PochtaCertificateInfo *info,
       PochtaServerConfig    *server)
{
  g_return_if_fail (server == NULL || server == self->incoming || server == self->outgoing);

  self->login_blocked = TRUE;
  transition (self, state, message, info, server != NULL ? server : self->incoming);
}

/**
 * pochta_account_report_needs_password:
 * @server: (nullable): the server without a password; %NULL for incoming
 *
 * The keyring has no password (%POCHTA_ACCOUNT_ERROR_NO_PASSWORD). Logins
 * stop until pochta_account_set_password_async() or pochta_account_retry().
 */
void
pochta_account_report_needs_password (PochtaAccount      *self,
                                      PochtaServerConfig *server)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  block (self, POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD, _("Enter the password for this account"),
         NULL, server);
}

/**
 * pochta_account_report_auth_failure:
 * @server: (nullable): the server that said no; %NULL for incoming
 * @message: (nullable): what to show; a generic sentence when %NULL
 *
 * The server refused the credentials. Trying again with the same password
 * only gets the account locked out, so logins stop until the person acts:
 * pochta_account_set_password_async() or pochta_account_retry().
 */
void
pochta_account_report_auth_failure (PochtaAccount      *self,
                                    PochtaServerConfig *server,
                                    const char         *message)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  block (self, POCHTA_ACCOUNT_STATE_AUTH_FAILED,
         message != NULL ? message : _("The server did not accept the user name or password"),
         NULL, server);
}

/**
 * pochta_account_report_tls_error:
 * @server: (nullable): the server whose certificate failed; %NULL for incoming
 * @info: (nullable): the certificate, for the person to judge
 * @message: (nullable): what to show; a generic sentence when %NULL
 *
 * The certificate failed the checks (or its pin). Logins stop until the
 * person accepts it (pochta_account_accept_certificate()) or retries.
 */
void
pochta_account_report_tls_error (PochtaAccount         *self,
                                 PochtaServerConfig    *server,
                                 PochtaCertificateInfo *info,
                                 const char            *message)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  block (self, POCHTA_ACCOUNT_STATE_TLS_ERROR,
         message != NULL ? message : _("The server’s certificate is not trusted"),
         info, server);
}

/**
 * pochta_account_can_attempt_login:
 *
 * Sessions ask this before every login. It is %FALSE after a password or
 * certificate problem, so a reconnect loop never hammers a server with a
 * password it already refused.
 */
gboolean
pochta_account_can_attempt_login (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);

  return !self->login_blocked;
}

/**
 * pochta_account_retry:
 *
 * The person asked to try again: logins are allowed, the account goes
 * offline (ready to connect) and #PochtaAccount::retry-requested fires.
 */
void
pochta_account_retry (PochtaAccount *self)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  self->login_blocked = FALSE;
  transition (self, POCHTA_ACCOUNT_STATE_OFFLINE, NULL, NULL, NULL);
  _pochta_account_emit_retry_requested (self);
}

/**
 * pochta_account_accept_certificate:
 *
 * In %POCHTA_ACCOUNT_STATE_TLS_ERROR, pins the presented certificate's
 * SHA-256 to the server that presented it (so that exact certificate, and
 * no other, is trusted from now on) and retries.
 *
 * Returns: %TRUE if there was a certificate to accept.
 */
gboolean
pochta_account_accept_certificate (PochtaAccount *self)
{
  PochtaServerConfig *server;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);

  if (self->state != POCHTA_ACCOUNT_STATE_TLS_ERROR || self->certificate_info == NULL)
    return FALSE;

  server = self->failed_server != NULL ? self->failed_server : self->incoming;
  pochta_server_config_set_pinned_fingerprint (server,
                                               pochta_certificate_info_get_fingerprint (self->certificate_info));
  pochta_account_retry (self);

  return TRUE;
}
