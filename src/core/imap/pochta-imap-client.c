/* pochta-imap-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One IMAP session on a PochtaConnection: the object, its session state, connect and login.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"

#define DEFAULT_COMMAND_TIMEOUT 60
/* RFC 2177: servers may drop an IDLE after 30 minutes of it. */
#define DEFAULT_IDLE_TIMEOUT    (29 * 60)

G_DEFINE_FINAL_TYPE (PochtaImapClient, pochta_imap_client, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (PochtaImapClientState, pochta_imap_client_state,
                    G_DEFINE_ENUM_VALUE (POCHTA_IMAP_CLIENT_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (POCHTA_IMAP_CLIENT_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED, "not-authenticated"),
                    G_DEFINE_ENUM_VALUE (POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED, "authenticated"),
                    G_DEFINE_ENUM_VALUE (POCHTA_IMAP_CLIENT_STATE_SELECTED, "selected"))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_STATE,
  PROP_ALLOW_PLAINTEXT_AUTH,
  PROP_COMMAND_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_IDLING,
  N_PROPS
};

enum {
  EXISTS,
  EXPUNGE,
  VANISHED,
  FLAGS_CHANGED,
  ALERT,
  BYE,
  CAPABILITIES_CHANGED,
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
pochta_imap_client_dispose (GObject *object)
{
  PochtaImapClient *self = (PochtaImapClient *)object;

  /* Commands hold the client through their tasks, so none is left here;
   * only the reader's read may be pending, and it holds the client weakly. */
  if (self->reader_cancellable != NULL)
    g_cancellable_cancel (self->reader_cancellable);
  if (self->connection != NULL)
    pochta_connection_abort (self->connection);
  if (self->watchdog != NULL)
    g_source_destroy (self->watchdog);
  g_clear_pointer (&self->watchdog, g_source_unref);
  if (self->idle_renew != NULL)
    g_source_destroy (self->idle_renew);
  g_clear_pointer (&self->idle_renew, g_source_unref);
  g_clear_object (&self->connection);
  g_clear_object (&self->reader_cancellable);

  G_OBJECT_CLASS (pochta_imap_client_parent_class)->dispose (object);
}

static void
pochta_imap_client_finalize (GObject *object)
{
  PochtaImapClient *self = (PochtaImapClient *)object;

  g_clear_pointer (&self->parser, pochta_imap_parser_free);
  g_clear_pointer (&self->capabilities, pochta_imap_capabilities_free);
  g_clear_pointer (&self->selected, pochta_imap_mailbox_state_free);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->bye_text, g_free);
  g_clear_pointer (&self->input, g_bytes_unref);
  g_clear_error (&self->fatal_error);

  G_OBJECT_CLASS (pochta_imap_client_parent_class)->finalize (object);
}

static void
pochta_imap_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      g_value_set_boolean (value, self->allow_plaintext_auth);
      break;

    case PROP_COMMAND_TIMEOUT:
      g_value_set_uint (value, self->command_timeout);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    case PROP_IDLING:
      g_value_set_boolean (value, pochta_imap_client_is_idling (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_imap_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PochtaImapClient *self = POCHTA_IMAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      pochta_imap_client_set_allow_plaintext_auth (self, g_value_get_boolean (value));
      break;

    case PROP_COMMAND_TIMEOUT:
      pochta_imap_client_set_command_timeout (self, g_value_get_uint (value));
      break;

    case PROP_IDLE_TIMEOUT:
      pochta_imap_client_set_idle_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_imap_client_class_init (PochtaImapClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_imap_client_dispose;
  object_class->finalize = pochta_imap_client_finalize;
  object_class->get_property = pochta_imap_client_get_property;
  object_class->set_property = pochta_imap_client_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         POCHTA_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       POCHTA_TYPE_IMAP_CLIENT_STATE,
                       POCHTA_IMAP_CLIENT_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_PLAINTEXT_AUTH] =
    g_param_spec_boolean ("allow-plaintext-auth", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMAND_TIMEOUT] =
    g_param_spec_uint ("command-timeout", NULL, NULL,
                       0, G_MAXUINT / 1000, DEFAULT_COMMAND_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       1, DEFAULT_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLING] =
    g_param_spec_boolean ("idling", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PochtaImapClient::exists:
   * @count: the new number of messages in the selected mailbox
   */
  signals[EXISTS] =
    g_signal_new ("exists",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * PochtaImapClient::expunge:
   * @sequence: the sequence number that was expunged
   */
  signals[EXPUNGE] =
    g_signal_new ("expunge",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * PochtaImapClient::vanished:
   * @uids: (type PochtaImapSequenceSet): the UIDs that are gone
   * @earlier: whether this is VANISHED (EARLIER)
   */
  signals[VANISHED] =
    g_signal_new ("vanished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_BOOLEAN);
  /**
   * PochtaImapClient::flags-changed:
   * @fetch: (type PochtaImapFetch): the unsolicited FETCH (sequence,
   *   maybe UID, FLAGS, maybe MODSEQ)
   */
  signals[FLAGS_CHANGED] =
    g_signal_new ("flags-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[ALERT] =
    g_signal_new ("alert",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[BYE] =
    g_signal_new ("bye",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CAPABILITIES_CHANGED] =
    g_signal_new ("capabilities-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * PochtaImapClient::disconnected:
   * @error: why the session ended
   */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pochta_imap_client_init (PochtaImapClient *self)
{
  self->command_timeout = DEFAULT_COMMAND_TIMEOUT;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->reader_cancellable = g_cancellable_new ();
  pochta_imap_limits_init_default (&self->limits);
  g_queue_init (&self->queue);
  g_queue_init (&self->in_flight);
  g_queue_init (&self->raw_lines);
}

/**
 * pochta_imap_client_new:
 * @connection: a connection that is not open yet, configured (TLS mode,
 *   pinned fingerprint, trace) by the caller
 *
 * A client is one session: once it is disconnected, make a new one.
 */
PochtaImapClient *
pochta_imap_client_new (PochtaConnection *connection)
{
  g_return_val_if_fail (POCHTA_IS_CONNECTION (connection), NULL);

  return g_object_new (POCHTA_TYPE_IMAP_CLIENT, "connection", connection, NULL);
}

PochtaConnection *
pochta_imap_client_get_connection (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), NULL);

  return self->connection;
}

PochtaImapClientState
pochta_imap_client_get_state (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), POCHTA_IMAP_CLIENT_STATE_DISCONNECTED);

  return self->state;
}

const PochtaImapCapabilities *
pochta_imap_client_get_capabilities (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), NULL);

  return self->capabilities;
}

gboolean
pochta_imap_client_has_capability (PochtaImapClient          *self,
                                   PochtaImapCapabilityFlags  flag)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);

  return self->capabilities != NULL && pochta_imap_capabilities_has_flag (self->capabilities, flag);
}

/**
 * pochta_imap_client_get_selected:
 *
 * Returns: (nullable): the selected mailbox, with EXISTS, UIDNEXT and
 *   HIGHESTMODSEQ kept current by the server's updates
 */
const PochtaImapMailboxState *
pochta_imap_client_get_selected (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), NULL);

  return self->selected;
}

const char *
pochta_imap_client_get_greeting (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), NULL);

  return self->greeting;
}

gboolean
pochta_imap_client_get_allow_plaintext_auth (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);

  return self->allow_plaintext_auth;
}

/**
 * pochta_imap_client_set_allow_plaintext_auth:
 *
 * Whether login may send the password over a connection without TLS;
 * only when the person chose that for the account.
 */
void
pochta_imap_client_set_allow_plaintext_auth (PochtaImapClient *self,
                                             gboolean          allow)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  allow = !!allow;
  if (self->allow_plaintext_auth == allow)
    return;

  self->allow_plaintext_auth = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAINTEXT_AUTH]);
}

guint
pochta_imap_client_get_command_timeout (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), 0);

  return self->command_timeout;
}

/**
 * pochta_imap_client_set_command_timeout:
 * @seconds: how long the server may stay silent while a command waits
 *   for its answer; 0 never times out
 */
void
pochta_imap_client_set_command_timeout (PochtaImapClient *self,
                                        guint             seconds)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));

  if (self->command_timeout == seconds)
    return;

  self->command_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND_TIMEOUT]);
}

guint
pochta_imap_client_get_idle_timeout (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), 0);

  return self->idle_timeout;
}

/**
 * pochta_imap_client_set_idle_timeout:
 * @seconds: after this long in IDLE the client sends DONE and idles
 *   again by itself (at most 29 minutes)
 */
void
pochta_imap_client_set_idle_timeout (PochtaImapClient *self,
                                     guint             seconds)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (seconds > 0 && seconds <= DEFAULT_IDLE_TIMEOUT);

  if (self->idle_timeout == seconds)
    return;

  self->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

gboolean
pochta_imap_client_is_idling (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);

  return self->idle != NULL && self->idle->idle_accepted && !self->idle->done_sent;
}

gboolean
pochta_imap_client_is_compressed (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);

  return self->compressed;
}

/**
 * pochta_imap_client_is_enabled:
 * @flag: %POCHTA_IMAP_CAPABILITY_CONDSTORE, %POCHTA_IMAP_CAPABILITY_QRESYNC
 *   or %POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT
 *
 * Whether ENABLE turned the extension on in this session; enabling QRESYNC
 * enables CONDSTORE too. Offering it (has_capability) is not enough for a
 * QRESYNC select.
 */
gboolean
pochta_imap_client_is_enabled (PochtaImapClient          *self,
                               PochtaImapCapabilityFlags  flag)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), FALSE);

  switch (flag)
    {
    case POCHTA_IMAP_CAPABILITY_CONDSTORE:
      return self->condstore_enabled;
    case POCHTA_IMAP_CAPABILITY_QRESYNC:
      return self->qresync_enabled;
    case POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT:
      return self->utf8_enabled;
    default:
      return FALSE;
    }
}

/* Traffic counters, so sync can be held to "a resync with no change sends
 * next to nothing" in tests and benchmarks. */
guint
pochta_imap_client_get_n_commands (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), 0);

  return self->tag_counter;
}

guint64
pochta_imap_client_get_bytes_read (PochtaImapClient *self)
{
  g_return_val_if_fail (POCHTA_IS_IMAP_CLIENT (self), 0);

  return self->bytes_read;
}

/**
 * pochta_imap_client_set_limits:
 *
 * Parser limits for this session; set them before connecting.
 */
void
pochta_imap_client_set_limits (PochtaImapClient       *self,
                               const PochtaImapLimits *limits)
{
  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (self));
  g_return_if_fail (limits != NULL);
  g_return_if_fail (self->state == POCHTA_IMAP_CLIENT_STATE_DISCONNECTED);

  self->limits = *limits;
}

/**
 * pochta_imap_client_error_get_code:
 * @error: an error from a command the server refused
 *
 * The server's response code, such as "TRYCREATE" or "AUTHENTICATIONFAILED",
 * which NO and BAD errors carry in front of the server's text.
 *
 * Returns: (transfer full) (nullable): the upper-case code
 */
char *
pochta_imap_client_error_get_code (const GError *error)
{
  const char *end;

  if (error == NULL || error->domain != POCHTA_IMAP_ERROR || error->message[0] != '[')
    return NULL;

  end = strpbrk (error->message + 1, " ]");
  if (end == NULL || end == error->message + 1)
    return NULL;

  return g_ascii_strup (error->message + 1, end - error->message - 1);
}

void
_pochta_imap_client_set_state (PochtaImapClient      *self,
                               PochtaImapClientState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  if (state != POCHTA_IMAP_CLIENT_STATE_SELECTED)
    g_clear_pointer (&self->selected, pochta_imap_mailbox_state_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_pochta_imap_client_set_capabilities (PochtaImapClient       *self,
                                      PochtaImapCapabilities *capabilities)
{
  g_clear_pointer (&self->capabilities, pochta_imap_capabilities_free);
  self->capabilities = capabilities;
  g_signal_emit (self, signals[CAPABILITIES_CHANGED], 0);
}

PochtaImapSerializeFlags
_pochta_imap_client_serialize_flags (PochtaImapClient *self)
{
  return pochta_imap_serialize_flags_from_capabilities (self->capabilities, self->utf8_enabled);
}

void
_pochta_imap_client_emit_bye (PochtaImapClient *self,
                              const char       *text)
{
  g_signal_emit (self, signals[BYE], 0, text);
}

void
_pochta_imap_client_notify_idling (PochtaImapClient *self)
{
  gboolean idling = pochta_imap_client_is_idling (self);

  if (self->idling == idling)
    return;

  self->idling = idling;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLING]);
}

/* NO and BAD carry the server's own words; the code goes first in
 * brackets, as the server wrote it, so that callers can act on TRYCREATE
 * or AUTHENTICATIONFAILED (pochta_imap_client_error_get_code()). */
GError *
_pochta_imap_client_error_from_tagged (const PochtaImapResponse *response,
                                       const char               *command)
{
  g_autofree char *text = NULL;
  int code = response->status == POCHTA_IMAP_STATUS_BAD ? POCHTA_IMAP_ERROR_BAD : POCHTA_IMAP_ERROR_NO;

  if (response->code != NULL)
    text = g_strdup_printf ("[%s] %s", response->code, response->text ? response->text : "");
  else
    text = g_strdup (response->text && *response->text ? response->text : command);

  return g_error_new_literal (POCHTA_IMAP_ERROR, code, text);
}

char **
_pochta_imap_strv_from_list (const PochtaImapValue *list)
{
  guint n = list ? pochta_imap_value_list_size (list) : 0;
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; i < n; i++)
    {
      const char *text = pochta_imap_value_get_text (pochta_imap_value_list_get (list, i));

      if (text != NULL)
        g_strv_builder_add (builder, text);
    }

  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

/* Response codes that change the session, from any OK/NO/BAD/PREAUTH/BYE;
 * with global_only, those about the selected mailbox are left out. */
void
_pochta_imap_client_handle_code (PochtaImapClient         *self,
                                 const PochtaImapResponse *response,
                                 gboolean                  global_only)
{
  const char *code = response->code;

  if (code == NULL)
    return;

  if (g_str_equal (code, "CAPABILITY"))
    {
      g_autoptr(GError) error = NULL;
      PochtaImapCapabilities *capabilities;

      capabilities = pochta_imap_capabilities_new_from_response (response, &error);
      if (capabilities != NULL)
        _pochta_imap_client_set_capabilities (self, capabilities);
      else
        g_debug ("Ignoring a malformed CAPABILITY code: %s", error->message);
    }
  else if (g_str_equal (code, "ALERT"))
    {
      g_signal_emit (self, signals[ALERT], 0, response->text ? response->text : "");
    }
  else if (!global_only && self->selected != NULL)
    {
      _pochta_imap_mailbox_state_apply_code (self->selected, response);
    }
}

/* Untagged data that no command claimed: the session's own updates. */
gboolean
_pochta_imap_client_handle_unsolicited (PochtaImapClient         *self,
                                        const PochtaImapResponse *response)
{
  PochtaImapMailboxState *mailbox = self->selected;
  const char *keyword = response->keyword;

  if (keyword == NULL)
    return FALSE;

  if (g_str_equal (keyword, "CAPABILITY"))
    {
      g_autoptr(GError) error = NULL;
      PochtaImapCapabilities *capabilities;

      capabilities = pochta_imap_capabilities_new_from_response (response, &error);
      if (capabilities != NULL)
        _pochta_imap_client_set_capabilities (self, capabilities);
      return TRUE;
    }

  if (g_str_equal (keyword, "EXISTS") && response->has_number)
    {
      if (mailbox != NULL)
        mailbox->exists = (guint32)MIN (response->number, G_MAXUINT32);
      g_signal_emit (self, signals[EXISTS], 0, (guint)MIN (response->number, G_MAXUINT32));
      return TRUE;
    }

  if (g_str_equal (keyword, "RECENT") && response->has_number)
    {
      if (mailbox != NULL)
        mailbox->recent = (guint32)MIN (response->number, G_MAXUINT32);
      return TRUE;
    }

  if (g_str_equal (keyword, "EXPUNGE") && response->has_number)
    {
      if (mailbox != NULL && mailbox->exists > 0)
        mailbox->exists--;
      g_signal_emit (self, signals[EXPUNGE], 0, (guint)MIN (response->number, G_MAXUINT32));
      return TRUE;
    }

  if (g_str_equal (keyword, "FLAGS"))
    {
      if (mailbox != NULL)
        {
          g_strfreev (mailbox->flags);
          mailbox->flags = _pochta_imap_strv_from_list (pochta_imap_value_list_get (response->data, 0));
        }
      return TRUE;
    }

  if (g_str_equal (keyword, "VANISHED"))
    {
      g_autoptr(PochtaImapVanished) vanished = NULL;
      g_autoptr(GError) error = NULL;

      vanished = pochta_imap_vanished_new_from_response (response, &error);
      if (vanished == NULL)
        {
          g_debug ("Ignoring a malformed VANISHED: %s", error->message);
          return TRUE;
        }

      if (mailbox != NULL && !vanished->earlier)
        mailbox->exists -= (guint32)MIN (mailbox->exists, pochta_imap_sequence_set_count (vanished->uids));
      g_signal_emit (self, signals[VANISHED], 0, vanished->uids, vanished->earlier);
      return TRUE;
    }

  if (g_str_equal (keyword, "FETCH"))
    {
      g_autoptr(PochtaImapFetch) fetch = NULL;
      g_autoptr(GError) error = NULL;

      fetch = pochta_imap_fetch_new_from_response (response, &error);
      if (fetch == NULL)
        {
          g_debug ("Ignoring a malformed FETCH: %s", error->message);
          return TRUE;
        }

      if (mailbox != NULL && fetch->modseq > mailbox->highestmodseq)
        mailbox->highestmodseq = fetch->modseq;
      if (fetch->flags != NULL)
        g_signal_emit (self, signals[FLAGS_CHANGED], 0, fetch);
      return TRUE;
    }

  return FALSE;
}
