/* pochta-server-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to reach and log in to one mail server (IMAP, POP3 or SMTP), and whether that is safe.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-connection.h"
#include "pochta-types.h"

G_BEGIN_DECLS

typedef enum
{
  POCHTA_SERVER_PROTOCOL_IMAP,
  POCHTA_SERVER_PROTOCOL_POP3,
  POCHTA_SERVER_PROTOCOL_SMTP,
} PochtaServerProtocol;

typedef enum
{
  /* The best password mechanism the server offers (PLAIN, then LOGIN). */
  POCHTA_AUTH_MECHANISM_AUTOMATIC,
  /* SASL PLAIN (RFC 4616). */
  POCHTA_AUTH_MECHANISM_PLAIN,
  /* The protocol's own login: IMAP LOGIN, POP3 USER/PASS, SMTP AUTH LOGIN. */
  POCHTA_AUTH_MECHANISM_LOGIN,
  /* POP3 APOP (RFC 1939). */
  POCHTA_AUTH_MECHANISM_APOP,
  /* No login at all: only for SMTP relays that trust the network. */
  POCHTA_AUTH_MECHANISM_NONE,
} PochtaAuthMechanism;

#define POCHTA_TYPE_SERVER_PROTOCOL (pochta_server_protocol_get_type ())
#define POCHTA_TYPE_AUTH_MECHANISM  (pochta_auth_mechanism_get_type ())
#define POCHTA_TYPE_SERVER_CONFIG   (pochta_server_config_get_type ())

GType        pochta_server_protocol_get_type         (void) G_GNUC_CONST;
GType        pochta_auth_mechanism_get_type          (void) G_GNUC_CONST;
const char  *pochta_server_protocol_to_string        (PochtaServerProtocol  protocol);
guint16      pochta_server_protocol_get_default_port (PochtaServerProtocol  protocol,
                                                      PochtaTlsMode         tls_mode);

G_DECLARE_FINAL_TYPE (PochtaServerConfig, pochta_server_config, POCHTA, SERVER_CONFIG, GObject)

PochtaServerConfig   *pochta_server_config_new                    (PochtaServerProtocol   protocol);
PochtaServerConfig   *pochta_server_config_copy                   (PochtaServerConfig    *self);
PochtaServerProtocol  pochta_server_config_get_protocol           (PochtaServerConfig    *self);
void                  pochta_server_config_set_protocol           (PochtaServerConfig    *self,
                                                                   PochtaServerProtocol   protocol);
const char           *pochta_server_config_get_host               (PochtaServerConfig    *self);
void                  pochta_server_config_set_host               (PochtaServerConfig    *self,
                                                                   const char            *host);
guint                 pochta_server_config_get_port               (PochtaServerConfig    *self);
void                  pochta_server_config_set_port               (PochtaServerConfig    *self,
                                                                   guint                  port);
PochtaTlsMode         pochta_server_config_get_tls_mode           (PochtaServerConfig    *self);
void                  pochta_server_config_set_tls_mode           (PochtaServerConfig    *self,
                                                                   PochtaTlsMode          tls_mode);
const char           *pochta_server_config_get_user_name          (PochtaServerConfig    *self);
void                  pochta_server_config_set_user_name          (PochtaServerConfig    *self,
                                                                   const char            *user_name);
PochtaAuthMechanism   pochta_server_config_get_auth_mechanism     (PochtaServerConfig    *self);
void                  pochta_server_config_set_auth_mechanism     (PochtaServerConfig    *self,
                                                                   PochtaAuthMechanism    mechanism);
const char           *pochta_server_config_get_pinned_fingerprint (PochtaServerConfig    *self);
void                  pochta_server_config_set_pinned_fingerprint (PochtaServerConfig    *self,
                                                                   const char            *fingerprint);
gboolean              pochta_server_config_get_allow_insecure     (PochtaServerConfig    *self);
void                  pochta_server_config_set_allow_insecure     (PochtaServerConfig    *self,
                                                                   gboolean               allow_insecure);
gboolean              pochta_server_config_needs_password         (PochtaServerConfig    *self);
gboolean              pochta_server_config_validate               (PochtaServerConfig    *self,
                                                                   GError               **error);
PochtaConnection     *pochta_server_config_create_connection      (PochtaServerConfig    *self);
GVariant             *pochta_server_config_to_variant             (PochtaServerConfig    *self);
PochtaServerConfig   *pochta_server_config_new_from_variant       (GVariant              *variant,
                                                                   GError               **error);

G_END_DECLS
