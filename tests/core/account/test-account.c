/* test-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts without servers: validation tables, serialisation, and the no-login-loop state machine.
 */

#include "config.h"

#include <string.h>

#include "pochta-fake-server.h"
#include "pochta-test-util.h"

#define SHA256_UPPER "3F:FB:9C:42:04:A8:11:A2:B1:9A:F1:95:8E:2F:5D:3A:E2:58:16:9E:DA:1A:74:B2:E4:82:DB:52:70:30:B7:42"
#define SHA256_LOWER "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b742"

/* Sinks floating arguments, so results of *_to_variant() go straight in. */
static void
assert_variants_equal (GVariant *a,
                       GVariant *b)
{
  g_autoptr(GVariant) owned_a = g_variant_ref_sink (a);
  g_autoptr(GVariant) owned_b = g_variant_ref_sink (b);
  g_autofree char *text_a = g_variant_print (owned_a, TRUE);
  g_autofree char *text_b = g_variant_print (owned_b, TRUE);

  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_true (g_variant_equal (owned_a, owned_b));
}

/* Server validation */

typedef struct
{
  const char           *path;
  PochtaServerProtocol  protocol;
  const char           *host;
  guint                 port;
  PochtaTlsMode         tls_mode;
  const char           *user;
  PochtaAuthMechanism   mechanism;
  const char           *fingerprint;
  gboolean              allow_insecure;
  const char           *error_part;  /* NULL: valid; else a piece of the message */
} ServerCase;

#define IMAP POCHTA_SERVER_PROTOCOL_IMAP
#define POP3 POCHTA_SERVER_PROTOCOL_POP3
#define SMTP POCHTA_SERVER_PROTOCOL_SMTP
#define TLS_NONE POCHTA_TLS_MODE_NONE
#define STARTTLS POCHTA_TLS_MODE_STARTTLS
#define IMPLICIT POCHTA_TLS_MODE_IMPLICIT
#define AUTO POCHTA_AUTH_MECHANISM_AUTOMATIC

static const ServerCase server_cases[] = {
  { "imap-implicit", IMAP, "imap.example.org", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, NULL },
  { "imap-starttls", IMAP, "imap.example.org", 143, STARTTLS, "alice", POCHTA_AUTH_MECHANISM_LOGIN, NULL, FALSE, NULL },
  { "ipv4", IMAP, "127.0.0.1", 10993, IMPLICIT, "alice", AUTO, NULL, FALSE, NULL },
  { "ipv6", IMAP, "::1", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, NULL },
  { "idn", IMAP, "почта.пример.рф", 993, IMPLICIT, "алиса", AUTO, NULL, FALSE, NULL },
  { "empty-host", IMAP, "", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "host name" },
  { "blank-host", IMAP, "  \t", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "host name" },
  { "host-with-space", IMAP, "imap example.org", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "not a valid host name" },
  { "host-url", IMAP, "imaps://imap.example.org", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "not a valid host name" },
  { "host-address", IMAP, "alice@example.org", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "not a valid host name" },
  { "host-double-dot", IMAP, "imap..example.org", 993, IMPLICIT, "alice", AUTO, NULL, FALSE, "not a valid host name" },
  { "port-zero", IMAP, "imap.example.org", 0, IMPLICIT, "alice", AUTO, NULL, FALSE, "from 1 to 65535" },
  { "port-too-big", IMAP, "imap.example.org", 65536, IMPLICIT, "alice", AUTO, NULL, FALSE, "Port 65536" },
  { "port-max", IMAP, "imap.example.org", 65535, IMPLICIT, "alice", AUTO, NULL, FALSE, NULL },
  { "no-user", IMAP, "imap.example.org", 993, IMPLICIT, "", AUTO, NULL, FALSE, "user name" },
  { "plaintext-password-refused", IMAP, "imap.example.org", 143, TLS_NONE, "alice", AUTO, NULL, FALSE, "explicitly allow" },
  { "plaintext-password-allowed", IMAP, "imap.example.org", 143, TLS_NONE, "alice", AUTO, NULL, TRUE, NULL },
  { "plaintext-apop-refused", POP3, "pop.example.org", 110, TLS_NONE, "alice", POCHTA_AUTH_MECHANISM_APOP, NULL, FALSE, "explicitly allow" },
  { "plaintext-smtp-no-login", SMTP, "relay.example.org", 587, TLS_NONE, "", POCHTA_AUTH_MECHANISM_NONE, NULL, FALSE, NULL },
  { "smtp-implicit", SMTP, "smtp.example.org", 465, IMPLICIT, "alice", POCHTA_AUTH_MECHANISM_PLAIN, NULL, FALSE, NULL },
  { "apop-pop3", POP3, "pop.example.org", 995, IMPLICIT, "alice", POCHTA_AUTH_MECHANISM_APOP, NULL, FALSE, NULL },
  { "apop-imap", IMAP, "imap.example.org", 993, IMPLICIT, "alice", POCHTA_AUTH_MECHANISM_APOP, NULL, FALSE, "APOP" },
  { "imap-without-login", IMAP, "imap.example.org", 993, IMPLICIT, "", POCHTA_AUTH_MECHANISM_NONE, NULL, FALSE, "needs a login" },
  { "pin-ok", IMAP, "imap.example.org", 993, IMPLICIT, "alice", AUTO, SHA256_LOWER, FALSE, NULL },
  { "pin-garbage", IMAP, "imap.example.org", 993, IMPLICIT, "alice", AUTO, "not-a-fingerprint", FALSE, "SHA-256" },
};

static PochtaServerConfig *
server_from_case (const ServerCase *c)
{
  PochtaServerConfig *server = pochta_server_config_new (c->protocol);

  pochta_server_config_set_host (server, c->host);
  pochta_server_config_set_port (server, c->port);
  pochta_server_config_set_tls_mode (server, c->tls_mode);
  pochta_server_config_set_user_name (server, c->user);
  pochta_server_config_set_auth_mechanism (server, c->mechanism);
  pochta_server_config_set_pinned_fingerprint (server, c->fingerprint);
  pochta_server_config_set_allow_insecure (server, c->allow_insecure);

  return server;
}

static void
test_server_case (gconstpointer data)
{
  const ServerCase *c = data;
  g_autoptr(PochtaServerConfig) server = server_from_case (c);
  g_autoptr(GError) error = NULL;
  gboolean valid = pochta_server_config_validate (server, &error);

  if (c->error_part == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (valid);
    }
  else
    {
      g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID);
      g_assert_false (valid);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, c->error_part));
    }
}

static void
test_server_defaults (void)
{
  g_autoptr(PochtaServerConfig) imap = pochta_server_config_new (IMAP);
  g_autoptr(PochtaServerConfig) smtp = pochta_server_config_new (SMTP);

  g_assert_cmpint (pochta_server_config_get_protocol (imap), ==, IMAP);
  g_assert_cmpuint (pochta_server_config_get_port (imap), ==, 993);
  g_assert_cmpint (pochta_server_config_get_tls_mode (imap), ==, IMPLICIT);
  g_assert_cmpstr (pochta_server_config_get_host (imap), ==, "");
  g_assert_cmpstr (pochta_server_config_get_user_name (imap), ==, "");
  g_assert_null (pochta_server_config_get_pinned_fingerprint (imap));
  g_assert_false (pochta_server_config_get_allow_insecure (imap));
  g_assert_true (pochta_server_config_needs_password (imap));
  g_assert_cmpuint (pochta_server_config_get_port (smtp), ==, 465);

  g_assert_cmpuint (pochta_server_protocol_get_default_port (IMAP, STARTTLS), ==, 143);
  g_assert_cmpuint (pochta_server_protocol_get_default_port (POP3, IMPLICIT), ==, 995);
  g_assert_cmpuint (pochta_server_protocol_get_default_port (POP3, TLS_NONE), ==, 110);
  g_assert_cmpuint (pochta_server_protocol_get_default_port (SMTP, STARTTLS), ==, 587);
  g_assert_cmpstr (pochta_server_protocol_to_string (POP3), ==, "pop3");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_server_notify_and_pin (void)
{
  g_autoptr(PochtaServerConfig) server = pochta_server_config_new (IMAP);
  g_autoptr(PochtaServerConfig) copy = NULL;
  g_autoptr(PochtaConnection) connection = NULL;
  guint notified = 0;

  g_signal_connect (server, "notify", G_CALLBACK (count_notify), &notified);

  pochta_server_config_set_host (server, "imap.example.org");
  pochta_server_config_set_host (server, "imap.example.org");
  g_assert_cmpuint (notified, ==, 1);

  /* Any spelling pins the canonical form; the same pin again is no change. */
  pochta_server_config_set_pinned_fingerprint (server, SHA256_LOWER);
  g_assert_cmpstr (pochta_server_config_get_pinned_fingerprint (server), ==, SHA256_UPPER);
  pochta_server_config_set_pinned_fingerprint (server, SHA256_UPPER);
  g_assert_cmpuint (notified, ==, 2);
  pochta_server_config_set_pinned_fingerprint (server, "");
  g_assert_null (pochta_server_config_get_pinned_fingerprint (server));
  g_assert_cmpuint (notified, ==, 3);

  pochta_server_config_set_port (server, 993);
  pochta_server_config_set_allow_insecure (server, FALSE);
  g_assert_cmpuint (notified, ==, 3);

  pochta_server_config_set_user_name (server, "alice");
  pochta_server_config_set_pinned_fingerprint (server, SHA256_UPPER);
  copy = pochta_server_config_copy (server);
  assert_variants_equal (pochta_server_config_to_variant (server),
                         pochta_server_config_to_variant (copy));

  connection = pochta_server_config_create_connection (server);
  g_assert_cmpstr (pochta_connection_get_host (connection), ==, "imap.example.org");
  g_assert_cmpuint (pochta_connection_get_port (connection), ==, 993);
  g_assert_cmpint (pochta_connection_get_tls_mode (connection), ==, IMPLICIT);
  g_assert_cmpstr (pochta_connection_get_pinned_fingerprint (connection), ==, SHA256_UPPER);
}

/* Identity validation */

typedef struct
{
  const char *path;
  const char *name;
  const char *address;
  const char *reply_to;
  const char *error_part;
} IdentityCase;

static const IdentityCase identity_cases[] = {
  { "plain", "Alice Liddell", "alice@example.org", NULL, NULL },
  { "no-name", "", "alice@example.org", NULL, NULL },
  { "with-reply-to", "Alice", "alice@example.org", "lists@example.org", NULL },
  { "plus-and-dots", "Alice", "alice.l+mail@mail.example.org", NULL, NULL },
  { "local-domain", "Alice", "alice@localhost", NULL, NULL },
  { "unicode", "Алиса", "алиса@почта.рф", NULL, NULL },
  { "quoted-at", "Alice", "\"a@b\"@example.org", NULL, NULL },
  { "empty", "Alice", "", NULL, "Enter an email address" },
  { "no-at", "Alice", "alice.example.org", NULL, "not an email address" },
  { "no-local", "Alice", "@example.org", NULL, "not an email address" },
  { "no-domain", "Alice", "alice@", NULL, "not an email address" },
  { "two-ats", "Alice", "alice@home@example.org", NULL, "not an email address" },
  { "display-form", "Alice", "Alice <alice@example.org>", NULL, "not an email address" },
  { "space", "Alice", "alice @example.org", NULL, "not an email address" },
  { "domain-dots", "Alice", "alice@example..org", NULL, "not an email address" },
  { "domain-trailing-dot", "Alice", "alice@example.org.", NULL, "not an email address" },
  { "bad-reply-to", "Alice", "alice@example.org", "lists", "reply-to" },
  { "header-injection", "Alice\r\nBcc: all@example.org", "alice@example.org", NULL, "line breaks" },
};

static void
test_identity_case (gconstpointer data)
{
  const IdentityCase *c = data;
  g_autoptr(PochtaIdentity) identity = pochta_identity_new (c->name, c->address);
  g_autoptr(GError) error = NULL;
  gboolean valid;

  pochta_identity_set_reply_to (identity, c->reply_to);
  valid = pochta_identity_validate (identity, &error);

  if (c->error_part == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (valid);
    }
  else
    {
      g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, c->error_part));
    }
}

/* Accounts */

static PochtaAccount *
complete_account (void)
{
  PochtaAccount *account = pochta_account_new ("Work");
  g_autoptr(PochtaIdentity) identity = pochta_identity_new ("Alice Liddell", "alice@example.org");
  PochtaServerConfig *incoming = pochta_account_get_incoming (account);
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);

  pochta_identity_set_signature (identity, "-- \nAlice");
  pochta_account_add_identity (account, identity);
  pochta_server_config_set_host (incoming, "imap.example.org");
  pochta_server_config_set_user_name (incoming, "alice");
  pochta_server_config_set_host (outgoing, "smtp.example.org");
  pochta_server_config_set_user_name (outgoing, "alice");

  return account;
}

static void
test_account_new (void)
{
  g_autoptr(PochtaAccount) a = pochta_account_new ("Home");
  g_autoptr(PochtaAccount) b = pochta_account_new (NULL);

  g_assert_true (g_uuid_string_is_valid (pochta_account_get_id (a)));
  g_assert_cmpstr (pochta_account_get_id (a), !=, pochta_account_get_id (b));
  g_assert_cmpstr (pochta_account_get_display_name (a), ==, "Home");
  g_assert_cmpstr (pochta_account_get_display_name (b), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (pochta_account_get_identities (a)), ==, 0);
  g_assert_null (pochta_account_get_default_identity (a));
  g_assert_cmpint (pochta_server_config_get_protocol (pochta_account_get_incoming (a)), ==, IMAP);
  g_assert_cmpint (pochta_server_config_get_protocol (pochta_account_get_outgoing (a)), ==, SMTP);
  g_assert_cmpint (pochta_account_get_sync_folders (a), ==, POCHTA_SYNC_FOLDERS_ALL);
  g_assert_cmpuint (pochta_account_get_poll_interval (a), ==, 300);
  g_assert_cmpint (pochta_account_get_state (a), ==, POCHTA_ACCOUNT_STATE_OFFLINE);
  g_assert_true (pochta_account_can_attempt_login (a));
}

typedef void (*BreakFunc) (PochtaAccount *account);

typedef struct
{
  const char *path;
  BreakFunc   breaker;
  const char *error_part;
} AccountCase;

static void break_nothing (PochtaAccount *a) { }
static void break_name (PochtaAccount *a) { pochta_account_set_display_name (a, " "); }
static void break_incoming_host (PochtaAccount *a) { pochta_server_config_set_host (pochta_account_get_incoming (a), ""); }
static void break_outgoing_tls (PochtaAccount *a) { pochta_server_config_set_tls_mode (pochta_account_get_outgoing (a), TLS_NONE); }
static void break_incoming_protocol (PochtaAccount *a) { pochta_server_config_set_protocol (pochta_account_get_incoming (a), SMTP); }
static void break_outgoing_protocol (PochtaAccount *a) { pochta_server_config_set_protocol (pochta_account_get_outgoing (a), IMAP); }
static void break_poll (PochtaAccount *a) { pochta_account_set_poll_interval (a, 5); }
static void break_folder_list (PochtaAccount *a) { pochta_account_set_sync_folders (a, POCHTA_SYNC_FOLDERS_LIST); }

static void
break_identity (PochtaAccount *a)
{
  g_autoptr(PochtaIdentity) identity = g_list_model_get_item (pochta_account_get_identities (a), 0);

  pochta_identity_set_address (identity, "alice");
}

static void
break_no_identity (PochtaAccount *a)
{
  g_autoptr(PochtaIdentity) identity = g_list_model_get_item (pochta_account_get_identities (a), 0);

  g_assert_true (pochta_account_remove_identity (a, identity));
}

static const AccountCase account_cases[] = {
  { "complete", break_nothing, NULL },
  { "no-name", break_name, "name for the account" },
  { "no-identity", break_no_identity, "email address of the account" },
  { "bad-identity", break_identity, "“alice” is not an email address" },
  { "incoming-host", break_incoming_host, "Incoming server: Enter the server’s host name" },
  { "outgoing-plaintext", break_outgoing_tls, "Outgoing server: Without encryption" },
  { "incoming-smtp", break_incoming_protocol, "IMAP or POP3" },
  { "outgoing-imap", break_outgoing_protocol, "SMTP server" },
  { "poll-too-often", break_poll, "60 seconds" },
  { "empty-folder-list", break_folder_list, "at least one folder" },
};

static void
test_account_case (gconstpointer data)
{
  const AccountCase *c = data;
  g_autoptr(PochtaAccount) account = complete_account ();
  g_autoptr(GError) error = NULL;

  c->breaker (account);

  if (c->error_part == NULL)
    {
      g_assert_true (pochta_account_validate (account, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (pochta_account_validate (account, &error));
      g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, c->error_part));
    }
}

static void
count_signal (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_account_identities_and_changed (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Work");
  g_autoptr(PochtaIdentity) first = pochta_identity_new ("Alice", "alice@example.org");
  g_autoptr(PochtaIdentity) second = pochta_identity_new ("Alice (lists)", "alice+lists@example.org");
  guint changed = 0;

  g_signal_connect_swapped (account, "changed", G_CALLBACK (count_signal), &changed);

  pochta_account_add_identity (account, first);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (pochta_account_get_default_identity (account) == first);

  pochta_identity_set_is_default (second, TRUE);
  pochta_account_add_identity (account, second);
  g_assert_true (pochta_account_get_default_identity (account) == second);

  /* Making one default takes the flag from the other. */
  pochta_identity_set_is_default (first, TRUE);
  g_assert_false (pochta_identity_get_is_default (second));
  g_assert_true (pochta_account_get_default_identity (account) == first);

  /* Nested edits reach the store through one signal. */
  changed = 0;
  pochta_identity_set_signature (second, "-- \nA.");
  pochta_server_config_set_port (pochta_account_get_incoming (account), 10993);
  pochta_server_config_set_host (pochta_account_get_outgoing (account), "smtp.example.org");
  pochta_account_set_body_days (account, 7);
  pochta_account_set_body_days (account, 7);
  g_assert_cmpuint (changed, ==, 4);

  /* State is not a setting. */
  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_CONNECTING);
  pochta_account_report_auth_failure (account, NULL, NULL);
  g_assert_cmpuint (changed, ==, 4);

  g_assert_true (pochta_account_remove_identity (account, first));
  g_assert_false (pochta_account_remove_identity (account, first));
  g_assert_cmpuint (changed, ==, 5);
  pochta_identity_set_name (first, "Gone");
  g_assert_cmpuint (changed, ==, 5);
  g_assert_true (pochta_account_get_default_identity (account) == second);
}

/* Serialisation */

static void
test_variant_round_trip (void)
{
  g_autoptr(PochtaAccount) account = complete_account ();
  g_autoptr(PochtaAccount) loaded = NULL;
  g_autoptr(PochtaAccount) from_bytes = NULL;
  g_autoptr(PochtaAccount) from_text = NULL;
  g_autoptr(PochtaIdentity) second = pochta_identity_new ("Алиса", "алиса@почта.рф");
  g_autoptr(PochtaIdentity) loaded_second = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) reloaded = NULL;
  g_autoptr(GVariant) parsed = NULL;
  g_autoptr(GVariant) from_bytes_variant = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PochtaServerConfig *incoming = pochta_account_get_incoming (account);
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);
  PochtaServerConfig *loaded_incoming;
  const char *folders[] = { "INBOX", "Работа", "Lists/GNOME", NULL };
  guint64 size_limit = G_GUINT64_CONSTANT (5) * 1024 * 1024 * 1024;

  pochta_identity_set_reply_to (second, "lists@example.org");
  pochta_identity_set_is_default (second, TRUE);
  pochta_account_add_identity (account, second);
  pochta_server_config_set_protocol (incoming, POP3);
  pochta_server_config_set_tls_mode (incoming, STARTTLS);
  pochta_server_config_set_port (incoming, 110);
  pochta_server_config_set_auth_mechanism (incoming, POCHTA_AUTH_MECHANISM_APOP);
  pochta_server_config_set_pinned_fingerprint (incoming, SHA256_LOWER);
  pochta_server_config_set_tls_mode (outgoing, TLS_NONE);
  pochta_server_config_set_allow_insecure (outgoing, TRUE);
  pochta_account_set_sync_folders (account, POCHTA_SYNC_FOLDERS_LIST);
  pochta_account_set_sync_folder_list (account, folders);
  pochta_account_set_poll_interval (account, 0);
  pochta_account_set_body_days (account, POCHTA_ACCOUNT_BODY_DAYS_ALL);
  pochta_account_set_body_size_limit (account, size_limit);
  pochta_account_report_auth_failure (account, NULL, "no");

  variant = g_variant_ref_sink (pochta_account_to_variant (account));
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  text = g_variant_print (variant, TRUE);
  g_test_message ("%s", text);
  g_assert_null (strstr (text, "secret"));

  loaded = pochta_account_new_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_assert_cmpstr (pochta_account_get_id (loaded), ==, pochta_account_get_id (account));
  g_assert_cmpstr (pochta_account_get_display_name (loaded), ==, "Work");
  g_assert_cmpuint (g_list_model_get_n_items (pochta_account_get_identities (loaded)), ==, 2);
  loaded_second = g_list_model_get_item (pochta_account_get_identities (loaded), 1);
  g_assert_cmpstr (pochta_identity_get_address (loaded_second), ==, "алиса@почта.рф");
  g_assert_cmpstr (pochta_identity_get_reply_to (loaded_second), ==, "lists@example.org");
  g_assert_true (pochta_account_get_default_identity (loaded) == loaded_second);

  loaded_incoming = pochta_account_get_incoming (loaded);
  g_assert_cmpint (pochta_server_config_get_protocol (loaded_incoming), ==, POP3);
  g_assert_cmpint (pochta_server_config_get_tls_mode (loaded_incoming), ==, STARTTLS);
  g_assert_cmpuint (pochta_server_config_get_port (loaded_incoming), ==, 110);
  g_assert_cmpint (pochta_server_config_get_auth_mechanism (loaded_incoming), ==, POCHTA_AUTH_MECHANISM_APOP);
  g_assert_cmpstr (pochta_server_config_get_pinned_fingerprint (loaded_incoming), ==, SHA256_UPPER);
  g_assert_true (pochta_server_config_get_allow_insecure (pochta_account_get_outgoing (loaded)));
  g_assert_cmpint (pochta_account_get_sync_folders (loaded), ==, POCHTA_SYNC_FOLDERS_LIST);
  g_assert_cmpstrv (pochta_account_get_sync_folder_list (loaded), folders);
  g_assert_cmpuint (pochta_account_get_poll_interval (loaded), ==, 0);
  g_assert_cmpuint (pochta_account_get_body_days (loaded), ==, POCHTA_ACCOUNT_BODY_DAYS_ALL);
  g_assert_cmpuint (pochta_account_get_body_size_limit (loaded), ==, size_limit);

  /* Runtime state is never saved: a loaded account starts offline. */
  g_assert_cmpint (pochta_account_get_state (loaded), ==, POCHTA_ACCOUNT_STATE_OFFLINE);
  g_assert_true (pochta_account_can_attempt_login (loaded));

  reloaded = g_variant_ref_sink (pochta_account_to_variant (loaded));
  assert_variants_equal (variant, reloaded);

  /* The one-column form the store may use: serialised bytes of a{sv}. */
  bytes = g_variant_get_data_as_bytes (variant);
  from_bytes_variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  from_bytes = pochta_account_new_from_variant (from_bytes_variant, &error);
  g_assert_no_error (error);
  assert_variants_equal (variant, pochta_account_to_variant (from_bytes));

  /* And the text form, for debugging and the CLI. */
  parsed = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  g_assert_no_error (error);
  from_text = pochta_account_new_from_variant (parsed, &error);
  g_assert_no_error (error);
  assert_variants_equal (variant, pochta_account_to_variant (from_text));
}

static void
test_variant_older (void)
{
  g_autoptr(GVariant) minimal = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  /* What an earlier version that knew fewer keys might have written. */
  minimal = g_variant_parse (NULL,
    "{'id': <'3f1d6d1e-0000-4000-8000-000000000001'>, 'display-name': <'Old'>,"
    " 'incoming': <{'host': <'imap.example.org'>, 'user-name': <'alice'>, 'tls-mode': <'starttls'>}>,"
    " 'some-future-key': <42>}",
    NULL, NULL, &error);
  g_assert_no_error (error);

  account = pochta_account_new_from_variant (minimal, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pochta_account_get_id (account), ==, "3f1d6d1e-0000-4000-8000-000000000001");
  g_assert_cmpstr (pochta_server_config_get_host (pochta_account_get_incoming (account)), ==, "imap.example.org");
  /* No port saved: the protocol's port for the saved TLS mode. */
  g_assert_cmpuint (pochta_server_config_get_port (pochta_account_get_incoming (account)), ==, 143);
  g_assert_cmpuint (pochta_account_get_poll_interval (account), ==, 300);
  g_assert_cmpint (pochta_server_config_get_protocol (pochta_account_get_outgoing (account)), ==, SMTP);
}

typedef struct
{
  const char *path;
  const char *text;
  const char *error_part;
} DamagedCase;

static const DamagedCase damaged_cases[] = {
  { "not-a-dict", "'just a string'", "not a{sv}" },
  { "no-id", "{'display-name': <'x'>}", "no id" },
  { "empty-id", "{'id': <''>}", "no id" },
  { "newer", "{'version': <uint32 99>, 'id': <'x'>}", "newer version" },
  { "wrong-type", "{'id': <'x'>, 'poll-interval': <'often'>}", "“poll-interval” is of type s, not u" },
  { "unknown-enum", "{'id': <'x'>, 'sync-folders': <'some'>}", "“some”" },
  { "bad-server", "{'id': <'x'>, 'incoming': <{'tls-mode': <'maybe'>}>}", "“maybe”" },
  { "bad-identity", "{'id': <'x'>, 'identities': <[{'address': <uint32 1>}]>}", "“address”" },
};

static void
test_variant_damaged (gconstpointer data)
{
  const DamagedCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) variant = g_variant_parse (NULL, c->text, NULL, NULL, &error);
  g_autoptr(PochtaAccount) account = NULL;

  g_assert_no_error (error);
  account = pochta_account_new_from_variant (variant, &error);
  g_assert_null (account);
  g_assert_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->error_part));
}

/* State */

static void
test_state_progress (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Work");
  guint notified = 0;

  g_signal_connect (account, "notify::sync-done", G_CALLBACK (count_notify), &notified);

  /* Progress outside a sync is meaningless and ignored. */
  pochta_account_set_sync_progress (account, 1, 2);
  g_assert_cmpuint (pochta_account_get_sync_total (account), ==, 0);

  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_CONNECTING);
  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_ONLINE);
  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_SYNCING);
  pochta_account_set_sync_progress (account, 10, 100);
  pochta_account_set_sync_progress (account, 10, 100);
  g_assert_cmpuint (notified, ==, 1);
  pochta_account_set_sync_progress (account, 200, 100);
  g_assert_cmpuint (pochta_account_get_sync_done (account), ==, 100);
  g_assert_cmpuint (pochta_account_get_sync_total (account), ==, 100);

  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_ONLINE);
  g_assert_cmpuint (pochta_account_get_sync_done (account), ==, 0);
  g_assert_cmpuint (pochta_account_get_sync_total (account), ==, 0);

  /* A passing error does not stop logins, and clears on the next attempt. */
  pochta_account_report_error (account, "Connection reset by peer");
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_ERROR);
  g_assert_cmpstr (pochta_account_get_state_message (account), ==, "Connection reset by peer");
  g_assert_true (pochta_account_can_attempt_login (account));
  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_CONNECTING);
  g_assert_null (pochta_account_get_state_message (account));
}

/* A stand-in for the session's reconnect loop: it tries whenever the
 * account allows, and the server always refuses. */
typedef struct
{
  PochtaAccount *account;
  guint          attempts;
  guint          ticks;
} LoginLoop;

static gboolean
login_loop_tick (gpointer user_data)
{
  LoginLoop *loop = user_data;

  loop->ticks++;
  if (pochta_account_can_attempt_login (loop->account))
    {
      loop->attempts++;
      pochta_account_set_state (loop->account, POCHTA_ACCOUNT_STATE_CONNECTING);
      pochta_account_report_auth_failure (loop->account, NULL,
                                          "[AUTHENTICATIONFAILED] Authentication failed.");
    }
  else
    {
      /* What a session does on a network change: harmless while blocked. */
      pochta_account_set_state (loop->account, POCHTA_ACCOUNT_STATE_OFFLINE);
      pochta_account_report_error (loop->account, "Network unreachable");
    }

  return loop->ticks < 20 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
run_login_loop (LoginLoop *loop)
{
  loop->ticks = 0;
  g_timeout_add (1, login_loop_tick, loop);
  while (loop->ticks < 20)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_state_no_login_loop (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Work");
  LoginLoop loop = { account, 0, 0 };
  guint retries = 0;

  g_signal_connect_swapped (account, "retry-requested", G_CALLBACK (count_signal), &retries);

  run_login_loop (&loop);
  g_assert_cmpuint (loop.attempts, ==, 1);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_AUTH_FAILED);
  g_assert_cmpstr (pochta_account_get_state_message (account), ==, "[AUTHENTICATIONFAILED] Authentication failed.");
  g_assert_true (pochta_account_get_failed_server (account) == pochta_account_get_incoming (account));
  g_assert_false (pochta_account_can_attempt_login (account));

  /* Connecting while blocked is the session's bug, and says so. */
  if (g_test_undefined ())
    {
      g_test_expect_message ("pochta-account", G_LOG_LEVEL_CRITICAL, "*login_blocked*");
      pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_CONNECTING);
      g_test_assert_expected_messages ();
      g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_AUTH_FAILED);
    }

  /* The person says "try again": exactly one more attempt. */
  pochta_account_retry (account);
  g_assert_cmpuint (retries, ==, 1);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_OFFLINE);
  g_assert_null (pochta_account_get_state_message (account));
  g_assert_null (pochta_account_get_failed_server (account));
  run_login_loop (&loop);
  g_assert_cmpuint (loop.attempts, ==, 2);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_AUTH_FAILED);
}

static void
test_state_needs_password (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Work");
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);

  pochta_account_report_needs_password (account, outgoing);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD);
  g_assert_nonnull (pochta_account_get_state_message (account));
  g_assert_true (pochta_account_get_failed_server (account) == outgoing);
  g_assert_false (pochta_account_can_attempt_login (account));

  /* No certificate to accept in this state. */
  g_assert_false (pochta_account_accept_certificate (account));
  g_assert_false (pochta_account_can_attempt_login (account));

  pochta_account_retry (account);
  g_assert_true (pochta_account_can_attempt_login (account));
}

static void
test_state_tls_error (void)
{
  g_autoptr(PochtaAccount) account = pochta_account_new ("Work");
  g_autoptr(PochtaFakeServer) fake = pochta_fake_server_new ();
  g_autoptr(PochtaCertificateInfo) info = NULL;
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);
  guint changed = 0;
  guint retries = 0;

  info = pochta_certificate_info_new (pochta_fake_server_get_certificate (fake), G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_signal_connect_swapped (account, "changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect_swapped (account, "retry-requested", G_CALLBACK (count_signal), &retries);

  pochta_account_set_state (account, POCHTA_ACCOUNT_STATE_CONNECTING);
  pochta_account_report_tls_error (account, outgoing, info, NULL);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_TLS_ERROR);
  g_assert_true (pochta_account_get_certificate_info (account) == info);
  g_assert_nonnull (pochta_account_get_state_message (account));
  g_assert_false (pochta_account_can_attempt_login (account));

  /* Accepting pins that certificate on the server that showed it. */
  g_assert_true (pochta_account_accept_certificate (account));
  g_assert_cmpstr (pochta_server_config_get_pinned_fingerprint (outgoing), ==, SHA256_UPPER);
  g_assert_null (pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (account)));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (retries, ==, 1);
  g_assert_true (pochta_account_can_attempt_login (account));
  g_assert_null (pochta_account_get_certificate_info (account));
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_OFFLINE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/account/server/defaults", test_server_defaults);
  g_test_add_func ("/core/account/server/notify-and-pin", test_server_notify_and_pin);
  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/account/server/validate/%s", server_cases[i].path);

      g_test_add_data_func (path, &server_cases[i], test_server_case);
    }

  for (guint i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/account/identity/validate/%s", identity_cases[i].path);

      g_test_add_data_func (path, &identity_cases[i], test_identity_case);
    }

  g_test_add_func ("/core/account/account/new", test_account_new);
  g_test_add_func ("/core/account/account/identities-and-changed", test_account_identities_and_changed);
  for (guint i = 0; i < G_N_ELEMENTS (account_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/account/account/validate/%s", account_cases[i].path);

      g_test_add_data_func (path, &account_cases[i], test_account_case);
    }

  g_test_add_func ("/core/account/variant/round-trip", test_variant_round_trip);
  g_test_add_func ("/core/account/variant/older", test_variant_older);
  for (guint i = 0; i < G_N_ELEMENTS (damaged_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/account/variant/damaged/%s", damaged_cases[i].path);

      g_test_add_data_func (path, &damaged_cases[i], test_variant_damaged);
    }

  g_test_add_func ("/core/account/state/progress", test_state_progress);
  g_test_add_func ("/core/account/state/no-login-loop", test_state_no_login_loop);
  g_test_add_func ("/core/account/state/needs-password", test_state_needs_password);
  g_test_add_func ("/core/account/state/tls-error", test_state_tls_error);

  return g_test_run ();
}
