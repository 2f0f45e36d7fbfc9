/* pochta-server-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to reach and log in to one mail server (IMAP, POP3 or SMTP), and whether that is safe.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-account-error.h"
#include "pochta-account-private.h"
#include "pochta-certificate-info.h"
#include "pochta-server-config.h"

struct _PochtaServerConfig
{
  GObject               parent_instance;
  char                 *host;
  char                 *user_name;
  char                 *pinned_fingerprint;
  guint                 port;
  PochtaServerProtocol  protocol;
  PochtaTlsMode         tls_mode;
  PochtaAuthMechanism   auth_mechanism;
  guint                 allow_insecure : 1;
};

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_HOST,
  PROP_PORT,
  PROP_TLS_MODE,
  PROP_USER_NAME,
  PROP_AUTH_MECHANISM,
  PROP_PINNED_FINGERPRINT,
  PROP_ALLOW_INSECURE,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (PochtaServerProtocol, pochta_server_protocol,
  G_DEFINE_ENUM_VALUE (POCHTA_SERVER_PROTOCOL_IMAP, "imap"),
  G_DEFINE_ENUM_VALUE (POCHTA_SERVER_PROTOCOL_POP3, "pop3"),
  G_DEFINE_ENUM_VALUE (POCHTA_SERVER_PROTOCOL_SMTP, "smtp"))

G_DEFINE_ENUM_TYPE (PochtaAuthMechanism, pochta_auth_mechanism,
  G_DEFINE_ENUM_VALUE (POCHTA_AUTH_MECHANISM_AUTOMATIC, "automatic"),
  G_DEFINE_ENUM_VALUE (POCHTA_AUTH_MECHANISM_PLAIN, "plain"),
  G_DEFINE_ENUM_VALUE (POCHTA_AUTH_MECHANISM_LOGIN, "login"),
  G_DEFINE_ENUM_VALUE (POCHTA_AUTH_MECHANISM_APOP, "apop"),
  G_DEFINE_ENUM_VALUE (POCHTA_AUTH_MECHANISM_NONE, "none"))

G_DEFINE_FINAL_TYPE (PochtaServerConfig, pochta_server_config, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* A DNS name is at most 253 octets; leave room for a trailing dot. */
#define MAX_HOST_LENGTH 255

/**
 * pochta_server_protocol_to_string:
 *
 * Returns: "imap", "pop3" or "smtp": the names used in the keyring and in
 *   saved accounts, so they never change.
 */
const char *
pochta_server_protocol_to_string (PochtaServerProtocol protocol)
{
  switch (protocol)
    {
    case POCHTA_SERVER_PROTOCOL_IMAP:
      return "imap";
    case POCHTA_SERVER_PROTOCOL_POP3:
      return "pop3";
    case POCHTA_SERVER_PROTOCOL_SMTP:
      return "smtp";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pochta_server_protocol_get_default_port:
 *
 * Returns: the IANA port for @protocol over @tls_mode; SMTP without
 *   implicit TLS is submission on 587 (RFC 6409), never relay port 25.
 */
guint16
pochta_server_protocol_get_default_port (PochtaServerProtocol protocol,
                                         PochtaTlsMode        tls_mode)
{
  gboolean implicit = tls_mode == POCHTA_TLS_MODE_IMPLICIT;

  switch (protocol)
    {
    case POCHTA_SERVER_PROTOCOL_IMAP:
      return implicit ? 993 : 143;
    case POCHTA_SERVER_PROTOCOL_POP3:
      return implicit ? 995 : 110;
    case POCHTA_SERVER_PROTOCOL_SMTP:
      return implicit ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}

static void
pochta_server_config_finalize (GObject *object)
{
  PochtaServerConfig *self = (PochtaServerConfig *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->pinned_fingerprint, g_free);

  G_OBJECT_CLASS (pochta_server_config_parent_class)->finalize (object);
}

static void
pochta_server_config_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PochtaServerConfig *self = POCHTA_SERVER_CONFIG (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_TLS_MODE:
      g_value_set_enum (value, self->tls_mode);
      break;

    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_enum (value, self->auth_mechanism);
      break;

    case PROP_PINNED_FINGERPRINT:
      g_value_set_string (value, self->pinned_fingerprint);
      break;

    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_server_config_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PochtaServerConfig *self = POCHTA_SERVER_CONFIG (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      pochta_server_config_set_protocol (self, g_value_get_enum (value));
      break;

    case PROP_HOST:
      pochta_server_config_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      pochta_server_config_set_port (self, g_value_get_uint (value));
      break;

    case PROP_TLS_MODE:
      pochta_server_config_set_tls_mode (self, g_value_get_enum (value));
      break;

    case PROP_USER_NAME:
      pochta_server_config_set_user_name (self, g_value_get_string (value));
      break;

    case PROP_AUTH_MECHANISM:
      pochta_server_config_set_auth_mechanism (self, g_value_get_enum (value));
      break;

    case PROP_PINNED_FINGERPRINT:
      pochta_server_config_set_pinned_fingerprint (self, g_value_get_string (value));
      break;

    case PROP_ALLOW_INSECURE:
      pochta_server_config_set_allow_insecure (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_server_config_class_init (PochtaServerConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_server_config_finalize;
  object_class->get_property = pochta_server_config_get_property;
  object_class->set_property = pochta_server_config_set_property;

  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL,
                       POCHTA_TYPE_SERVER_PROTOCOL, POCHTA_SERVER_PROTOCOL_IMAP,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Never NULL: "" until set, so entries can bind to it directly. */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Wider than a port on purpose: a typed 70000 must reach validate() and
   * come back as a message, not as a critical from GParamSpec. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT, 993,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TLS_MODE] =
    g_param_spec_enum ("tls-mode", NULL, NULL,
                       POCHTA_TYPE_TLS_MODE, POCHTA_TLS_MODE_IMPLICIT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_enum ("auth-mechanism", NULL, NULL,
                       POCHTA_TYPE_AUTH_MECHANISM, POCHTA_AUTH_MECHANISM_AUTOMATIC,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* NULL when nothing is pinned; otherwise "AB:CD:…" once it parses. */
  properties[PROP_PINNED_FINGERPRINT] =
    g_param_spec_string ("pinned-fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ALLOW_INSECURE] =
    g_param_spec_boolean ("allow-insecure", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_server_config_init (PochtaServerConfig *self)
{
  self->host = g_strdup ("");
  self->user_name = g_strdup ("");
  self->protocol = POCHTA_SERVER_PROTOCOL_IMAP;
  self->tls_mode = POCHTA_TLS_MODE_IMPLICIT;
  self->port = pochta_server_protocol_get_default_port (self->protocol, self->tls_mode);
  self->auth_mechanism = POCHTA_AUTH_MECHANISM_AUTOMATIC;
}

/**
 * pochta_server_config_new:
 *
 * Returns: (transfer full): a configuration for @protocol with the safe
 *   defaults: implicit TLS on the protocol's port, automatic login.
 */
PochtaServerConfig *
pochta_server_config_new (PochtaServerProtocol protocol)
{
  return g_object_new (POCHTA_TYPE_SERVER_CONFIG,
                       "protocol", protocol,
                       "port", (guint) pochta_server_protocol_get_default_port (protocol, POCHTA_TLS_MODE_IMPLICIT),
                       NULL);
}

/**
 * pochta_server_config_copy:
 *
 * Returns: (transfer full): an independent copy, for dialogs that edit and
 *   then apply or cancel.
 */
PochtaServerConfig *
pochta_server_config_copy (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);

  return g_object_new (POCHTA_TYPE_SERVER_CONFIG,
                       "protocol", self->protocol,
                       "host", self->host,
                       "port", self->port,
                       "tls-mode", self->tls_mode,
                       "user-name", self->user_name,
                       "auth-mechanism", self->auth_mechanism,
                       "pinned-fingerprint", self->pinned_fingerprint,
                       "allow-insecure", (gboolean) self->allow_insecure,
                       NULL);
}

PochtaServerProtocol
pochta_server_config_get_protocol (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), POCHTA_SERVER_PROTOCOL_IMAP);

  return self->protocol;
}

void
pochta_server_config_set_protocol (PochtaServerConfig   *self,
                                   PochtaServerProtocol  protocol)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));
  g_return_if_fail (protocol <= POCHTA_SERVER_PROTOCOL_SMTP);

  if (self->protocol != protocol)
    {
      self->protocol = protocol;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
    }
}

const char *
pochta_server_config_get_host (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);

  return self->host;
}

void
pochta_server_config_set_host (PochtaServerConfig *self,
                               const char         *host)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));

  if (host == NULL)
    host = "";

  if (_pochta_set_str (&self->host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

guint
pochta_server_config_get_port (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), 0);

  return self->port;
}

void
pochta_server_config_set_port (PochtaServerConfig *self,
                               guint               port)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));

  if (self->port != port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

PochtaTlsMode
pochta_server_config_get_tls_mode (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), POCHTA_TLS_MODE_IMPLICIT);

  return self->tls_mode;
}

void
pochta_server_config_set_tls_mode (PochtaServerConfig *self,
                                   PochtaTlsMode       tls_mode)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));
  g_return_if_fail (tls_mode <= POCHTA_TLS_MODE_IMPLICIT);

  if (self->tls_mode != tls_mode)
    {
      self->tls_mode = tls_mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_MODE]);
    }
}

const char *
pochta_server_config_get_user_name (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);

  return self->user_name;
}

void
pochta_server_config_set_user_name (PochtaServerConfig *self,
                                    const char         *user_name)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));

  if (user_name == NULL)
    user_name = "";

  if (_pochta_set_str (&self->user_name, user_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
}

PochtaAuthMechanism
pochta_server_config_get_auth_mechanism (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), POCHTA_AUTH_MECHANISM_AUTOMATIC);

  return self->auth_mechanism;
}

void
pochta_server_config_set_auth_mechanism (PochtaServerConfig  *self,
                                         PochtaAuthMechanism  mechanism)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));
  g_return_if_fail (mechanism <= POCHTA_AUTH_MECHANISM_NONE);

  if (self->auth_mechanism != mechanism)
    {
      self->auth_mechanism = mechanism;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_MECHANISM]);
    }
}

const char *
pochta_server_config_get_pinned_fingerprint (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);

  return self->pinned_fingerprint;
}

/**
 * pochta_server_config_set_pinned_fingerprint:
 * @fingerprint: (nullable): a SHA-256 fingerprint in any usual spelling,
 *   or %NULL or "" to trust the system's certificate authorities again
 *
 * A fingerprint that does not parse is kept as typed, so that
 * pochta_server_config_validate() can tell the person what is wrong.
 */
void
pochta_server_config_set_pinned_fingerprint (PochtaServerConfig *self,
                                             const char         *fingerprint)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));

  if (fingerprint != NULL && fingerprint[0] == '\0')
    fingerprint = NULL;

  if (fingerprint != NULL)
    {
      normalized = pochta_certificate_fingerprint_normalize (fingerprint);
      if (normalized != NULL)
        fingerprint = normalized;
    }

  if (_pochta_set_str (&self->pinned_fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_FINGERPRINT]);
}

gboolean
pochta_server_config_get_allow_insecure (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), FALSE);

  return self->allow_insecure;
}

void
pochta_server_config_set_allow_insecure (PochtaServerConfig *self,
                                         gboolean            allow_insecure)
{
  g_return_if_fail (POCHTA_IS_SERVER_CONFIG (self));

  allow_insecure = !!allow_insecure;

  if (self->allow_insecure != allow_insecure)
    {
      self->allow_insecure = allow_insecure;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE]);
    }
}

/**
 * pochta_server_config_needs_password:
 *
 * Returns: %TRUE when logging in takes a password from the keyring.
 */
gboolean
pochta_server_config_needs_password (PochtaServerConfig *self)
{
  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), FALSE);

  return self->auth_mechanism != POCHTA_AUTH_MECHANISM_NONE;
}

static gboolean
host_is_valid (const char *host)
{
  g_autofree char *ascii = NULL;

  if (strlen (host) > MAX_HOST_LENGTH)
    return FALSE;

  /* People paste URLs and addresses into this field; say so rather than
   * fail later with a DNS error. Non-ASCII is fine: GIO applies IDNA. */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p) || g_ascii_isspace (*p) || strchr ("/\\@?#[]<>,;\"'", *p) != NULL)
        return FALSE;
    }

  if (g_hostname_is_ip_address (host))
    return TRUE;

  if (host[0] == '-' || host[0] == '.' || strstr (host, "..") != NULL)
    return FALSE;

  ascii = g_hostname_to_ascii (host);
  return ascii != NULL;
}

/**
 * pochta_server_config_validate:
 *
 * Checks what a person typed before anything is saved or sent. The
 * messages of %POCHTA_ACCOUNT_ERROR_INVALID are meant for the setup UI.
 *
 * Returns: %TRUE when the configuration is complete and safe to use.
 */
gboolean
pochta_server_config_validate (PochtaServerConfig  *self,
                               GError             **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_pochta_str_is_blank (self->host))
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter the server’s host name"));
      return FALSE;
    }

  if (!host_is_valid (self->host))
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("“%s” is not a valid host name"), self->host);
      return FALSE;
    }

  if (self->port < 1 || self->port > G_MAXUINT16)
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("Port %u is out of range: use a port from 1 to 65535"), self->port);
      return FALSE;
    }

  if (self->auth_mechanism == POCHTA_AUTH_MECHANISM_APOP &&
      self->protocol != POCHTA_SERVER_PROTOCOL_POP3)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("APOP works only with POP3 servers"));
      return FALSE;
    }

  if (self->auth_mechanism == POCHTA_AUTH_MECHANISM_NONE &&
      self->protocol != POCHTA_SERVER_PROTOCOL_SMTP)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("An incoming mail server always needs a login"));
      return FALSE;
    }

  if (pochta_server_config_needs_password (self) && self->user_name[0] == '\0')
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter the user name for this server"));
      return FALSE;
    }

  if (self->pinned_fingerprint != NULL &&
      (normalized = pochta_certificate_fingerprint_normalize (self->pinned_fingerprint)) == NULL)
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("“%s” is not a SHA-256 certificate fingerprint"), self->pinned_fingerprint);
      return FALSE;
    }

  /* The design's rule: no password goes out in the clear unless the person
   * chose it. APOP is included on purpose: its MD5 digest is no protection. */
  if (pochta_server_config_needs_password (self) &&
      self->tls_mode == POCHTA_TLS_MODE_NONE &&
      !self->allow_insecure)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Without encryption the password would be readable by anyone on the "
                             "network: choose TLS or STARTTLS, or explicitly allow an insecure "
                             "connection"));
      return FALSE;
    }

  return TRUE;
}

/**
 * pochta_server_config_create_connection:
 *
 * Returns: (transfer full): an unconnected #PochtaConnection for this
 *   server, carrying its pin. Validate first: the port must fit.
 */
PochtaConnection *
pochta_server_config_create_connection (PochtaServerConfig *self)
{
  PochtaConnection *connection;

  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);
  g_return_val_if_fail (self->port >= 1 && self->port <= G_MAXUINT16, NULL);

  connection = pochta_connection_new (self->host, (guint16) self->port, self->tls_mode);
  pochta_connection_set_pinned_fingerprint (connection, self->pinned_fingerprint);

  return connection;
}

/**
 * pochta_server_config_to_variant:
 *
 * The shape (a{sv}; enums are their nicks so that reordering an enum never
 * changes a saved account):
 *
 * |[
 * { 'version': <uint32 1>, 'protocol': <'imap'>, 'host': <'imap.example.org'>,
 *   'port': <uint32 993>, 'tls-mode': <'implicit'>, 'user-name': <'alice'>,
 *   'auth-mechanism': <'automatic'>, 'allow-insecure': <false>,
 *   'pinned-fingerprint': <'AB:CD:…'> }   (the last only when pinned)
 * ]|
 *
 * Returns: (transfer floating): the configuration, without any password.
 */
GVariant *
pochta_server_config_to_variant (PochtaServerConfig *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (self), NULL);

  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_uint32 (POCHTA_ACCOUNT_VARIANT_VERSION));
  _pochta_variant_add_enum (&builder, "protocol", POCHTA_TYPE_SERVER_PROTOCOL, self->protocol);
  g_variant_builder_add (&builder, "{sv}", "host", g_variant_new_string (self->host));
  g_variant_builder_add (&builder, "{sv}", "port", g_variant_new_uint32 (self->port));
  _pochta_variant_add_enum (&builder, "tls-mode", POCHTA_TYPE_TLS_MODE, self->tls_mode);
  g_variant_builder_add (&builder, "{sv}", "user-name", g_variant_new_string (self->user_name));
  _pochta_variant_add_enum (&builder, "auth-mechanism", POCHTA_TYPE_AUTH_MECHANISM, self->auth_mechanism);
  g_variant_builder_add (&builder, "{sv}", "allow-insecure", g_variant_new_boolean (self->allow_insecure));
  if (self->pinned_fingerprint != NULL)
    g_variant_builder_add (&builder, "{sv}", "pinned-fingerprint",
                           g_variant_new_string (self->pinned_fingerprint));

  return g_variant_builder_end (&builder);
}

/**
 * pochta_server_config_new_from_variant:
 * @variant: what pochta_server_config_to_variant() returned, possibly from
 *   an older version
 *
 * Absent keys keep their defaults; unknown keys are ignored.
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL with
 *   %POCHTA_ACCOUNT_ERROR_INVALID when @variant is damaged or too new.
 */
PochtaServerConfig *
pochta_server_config_new_from_variant (GVariant  *variant,
                                       GError   **error)
{
  g_autoptr(GVariantDict) dict = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *fingerprint = NULL;
  int protocol = POCHTA_SERVER_PROTOCOL_IMAP;
  int tls_mode = POCHTA_TLS_MODE_IMPLICIT;
  int mechanism = POCHTA_AUTH_MECHANISM_AUTOMATIC;
  guint32 port = 0;
  gboolean allow_insecure = FALSE;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_pochta_variant_check_dict (variant, "server", error))
    return NULL;

  dict = g_variant_dict_new (variant);

  if (!_pochta_variant_check_version (dict, error) ||
      !_pochta_variant_lookup_enum (dict, "protocol", POCHTA_TYPE_SERVER_PROTOCOL, &protocol, error) ||
      !_pochta_variant_lookup_string (dict, "host", &host, error) ||
      !_pochta_variant_lookup_uint32 (dict, "port", &port, error) ||
      !_pochta_variant_lookup_enum (dict, "tls-mode", POCHTA_TYPE_TLS_MODE, &tls_mode, error) ||
      !_pochta_variant_lookup_string (dict, "user-name", &user_name, error) ||
      !_pochta_variant_lookup_enum (dict, "auth-mechanism", POCHTA_TYPE_AUTH_MECHANISM, &mechanism, error) ||
      !_pochta_variant_lookup_bool (dict, "allow-insecure", &allow_insecure, error) ||
      !_pochta_variant_lookup_string (dict, "pinned-fingerprint", &fingerprint, error))
    return NULL;

  if (port == 0)
    port = pochta_server_protocol_get_default_port (protocol, tls_mode);

  return g_object_new (POCHTA_TYPE_SERVER_CONFIG,
                       "protocol", protocol,
                       "host", host,
                       "port", (guint) port,
                       "tls-mode", tls_mode,
                       "user-name", user_name,
                       "auth-mechanism", mechanism,
                       "pinned-fingerprint", fingerprint,
                       "allow-insecure", allow_insecure,
                       NULL);
}
