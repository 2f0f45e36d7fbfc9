/* pochta-cli-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli account add|list|remove.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "pochta-cli-private.h"

typedef struct
{
  char     *address;
  char     *identity_name;
  char     *imap;
  char     *imap_tls;
  char     *user;
  char     *smtp;
  char     *smtp_tls;
  char     *smtp_user;
  char     *pin;
  char     *smtp_pin;
  char     *poll;
  char     *body_days;
  gboolean  insecure;
  gboolean  password_stdin;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_free (options->address);
  g_free (options->identity_name);
  g_free (options->imap);
  g_free (options->imap_tls);
  g_free (options->user);
  g_free (options->smtp);
  g_free (options->smtp_tls);
  g_free (options->smtp_user);
  g_free (options->pin);
  g_free (options->smtp_pin);
  g_free (options->poll);
  g_free (options->body_days);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* The password, wiped from memory when freed. */
typedef char Password;

static void
password_free (Password *password)
{
  if (password != NULL)
    {
      memset (password, 0, strlen (password));
      g_free (password);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Password, password_free)

/* One server from its options; errors are usage errors. */
static gboolean
configure_server (PochtaServerConfig  *server,
                  const char          *option,
                  const char          *host_port,
                  const char          *tls,
                  PochtaTlsMode        default_tls,
                  const char          *user,
                  const char          *pin,
                  gboolean             insecure,
                  GError             **error)
{
  g_autofree char *host = NULL;
  g_autofree char *normalized = NULL;
  PochtaTlsMode mode = default_tls;
  guint port = 0;

  if (!pochta_cli_parse_server (host_port, &host, &port, error))
    return FALSE;
  if (tls != NULL && !pochta_cli_parse_tls_mode (tls, &mode, error))
    return FALSE;

  if (mode == POCHTA_TLS_MODE_NONE && !insecure)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s without TLS would send the password unencrypted: choose implicit or "
                     "starttls, or add --insecure if you really mean it"), option);
      return FALSE;
    }

  if (pin != NULL)
    {
      normalized = pochta_certificate_fingerprint_normalize (pin);
      if (normalized == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a SHA-256 certificate fingerprint (64 hexadecimal digits, "
                         "colons optional)"), pin);
          return FALSE;
        }
    }

  if (port == 0)
    port = pochta_server_protocol_get_default_port (pochta_server_config_get_protocol (server), mode);

  pochta_server_config_set_host (server, host);
  pochta_server_config_set_port (server, port);
  pochta_server_config_set_tls_mode (server, mode);
  pochta_server_config_set_user_name (server, user);
  pochta_server_config_set_pinned_fingerprint (server, normalized);
  pochta_server_config_set_allow_insecure (server, mode == POCHTA_TLS_MODE_NONE && insecure);

  return TRUE;
}

static PochtaAccount *
build_account (const char  *name,
               AddOptions  *o,
               GError     **error)
{
  g_autoptr(PochtaAccount) account = pochta_account_new (name);
  g_autoptr(PochtaIdentity) identity = NULL;
  g_autofree char *smtp_host = NULL;
  PochtaTlsMode imap_tls = POCHTA_TLS_MODE_IMPLICIT;
  const char *user = o->user != NULL ? o->user : o->address;
  guint64 number;

  if (!pochta_address_is_valid (o->address))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an email address"), o->address);
      return NULL;
    }

  identity = pochta_identity_new (o->identity_name, o->address);
  pochta_identity_set_is_default (identity, TRUE);
  pochta_account_add_identity (account, identity);

  if (!configure_server (pochta_account_get_incoming (account), "--imap", o->imap, o->imap_tls,
                         POCHTA_TLS_MODE_IMPLICIT, user, o->pin, o->insecure, error))
    return NULL;

  /* Without --smtp, the IMAP host in the same kind of TLS, as most
   * providers do; its certificate pin applies there too. */
  imap_tls = pochta_server_config_get_tls_mode (pochta_account_get_incoming (account));
  if (o->smtp == NULL)
    smtp_host = g_strdup (pochta_server_config_get_host (pochta_account_get_incoming (account)));
  if (!configure_server (pochta_account_get_outgoing (account), "--smtp",
                         o->smtp != NULL ? o->smtp : smtp_host, o->smtp_tls, imap_tls,
                         o->smtp_user != NULL ? o->smtp_user : user,
                         o->smtp_pin != NULL ? o->smtp_pin : o->pin, o->insecure, error))
    return NULL;

  if (o->poll != NULL)
    {
      if (!pochta_cli_parse_number (o->poll, "--poll", 0, 24 * 60 * 60, &number, error))
        return NULL;
      pochta_account_set_poll_interval (account, number);
    }

  if (o->body_days != NULL)
    {
      if (g_ascii_strcasecmp (o->body_days, "all") == 0)
        pochta_account_set_body_days (account, POCHTA_ACCOUNT_BODY_DAYS_ALL);
      else if (pochta_cli_parse_number (o->body_days, "--body-days", 0, 100 * 366, &number, error))
        pochta_account_set_body_days (account, number);
      else
        return NULL;
    }

  /* What the setup dialog would refuse, refused here with its words. */
  if (!pochta_account_validate (account, error))
    {
      g_autofree char *message = g_strdup ((*error)->message);

      g_clear_error (error);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
      return NULL;
    }

  return g_steal_pointer (&account);
}

static char *
read_password (PochtaCli  *cli,
               GError    **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  char *password;

  /* Typed at a terminal: prompt, and do not echo it. */
  if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
      if (cli->stderr_is_tty)
        {
          fputs (_("Password: "), stderr);
          fflush (stderr);
        }
    }

  password = pochta_cli_read_password (in, cli->cancellable, error);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      if (cli->stderr_is_tty)
        fputc ('\n', stderr);
    }

  return password;
}

static int
account_add (PochtaCli  *cli,
             int         argc,
             char      **argv)
{
  g_auto(AddOptions) o = { 0 };
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Password) password = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &o.address, N_("The email address (required)"), N_("ADDRESS") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.identity_name, N_("Your name on messages you send"), N_("NAME") },
    { "imap", 0, 0, G_OPTION_ARG_STRING, &o.imap, N_("The IMAP server (required)"), N_("HOST[:PORT]") },
    { "imap-tls", 0, 0, G_OPTION_ARG_STRING, &o.imap_tls, N_("implicit (default), starttls or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o.user, N_("The login name (default: the address)"), N_("USER") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &o.smtp, N_("The SMTP submission server (default: the IMAP host)"),
      N_("HOST[:PORT]") },
    { "smtp-tls", 0, 0, G_OPTION_ARG_STRING, &o.smtp_tls, N_("implicit, starttls or none (default: as IMAP)"),
      N_("MODE") },
    { "smtp-user", 0, 0, G_OPTION_ARG_STRING, &o.smtp_user, N_("The SMTP login name (default: as IMAP)"),
      N_("USER") },
    { "accept-certificate", 0, 0, G_OPTION_ARG_STRING, &o.pin,
      N_("Trust the server certificate with this SHA-256 fingerprint"), N_("SHA256") },
    { "smtp-accept-certificate", 0, 0, G_OPTION_ARG_STRING, &o.smtp_pin,
      N_("The same for the SMTP server (default: as IMAP)"), N_("SHA256") },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &o.insecure, N_("Allow sending the password without TLS"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o.password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "poll", 0, 0, G_OPTION_ARG_STRING, &o.poll, N_("Check for new mail every SECONDS (0: only on request)"),
      N_("SECONDS") },
    { "body-days", 0, 0, G_OPTION_ARG_STRING, &o.body_days,
      N_("Download the bodies of the last N days (0: when opened; all)"), N_("N") },
    { NULL }
  };

  cli->command = "account add";
  if (!pochta_cli_parse_options (cli, _("NAME"), _("Add an IMAP account. The password is kept in the keyring."),
                                 entries, &argc, &argv, &status))
    return status;

  if (argc != 2)
    return pochta_cli_usage (cli, "%s", argc < 2 ? _("Name the account") : _("Too many arguments"));
  if (o.address == NULL)
    return pochta_cli_usage (cli, "%s", _("--address is required"));
  if (o.imap == NULL)
    return pochta_cli_usage (cli, "%s", _("--imap is required"));

  account = build_account (argv[1], &o, &error);
  if (account == NULL)
    return pochta_cli_fail_error (cli, error);

  if (o.password_stdin && (password = read_password (cli, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;

  {
    PochtaAccount *existing = pochta_service_lookup_account (cli->service, argv[1]);

    if (existing != NULL && g_strcmp0 (pochta_account_get_display_name (existing), argv[1]) == 0)
      return pochta_cli_fail (cli, _("There is already an account “%s”"), argv[1]);
  }

  /* The same password for both servers: that is what --password-stdin
   * reads, and what nearly every provider wants. */
  pochta_service_add_account_async (cli->service, account, password, password,
                                    cli->cancellable, pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  if (!pochta_service_add_account_finish (cli->service, result, &error))
    return pochta_cli_fail_error (cli, error);

  return POCHTA_CLI_EXIT_OK;
}

static int
account_list (PochtaCli  *cli,
              int         argc,
              char      **argv)
{
  static const int widths[] = { 20, 32, 28, 0 };
  GListModel *accounts;
  guint n;
  int status;

  cli->command = "account list";
  if (!pochta_cli_parse_options (cli, NULL, _("List the accounts: name, address, IMAP server and state."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return pochta_cli_usage (cli, "%s", _("Too many arguments"));

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;

  accounts = pochta_service_get_accounts (cli->service);
  n = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);
      PochtaIdentity *identity = pochta_account_get_default_identity (account);
      PochtaServerConfig *in = pochta_account_get_incoming (account);
      g_autofree char *server = g_strdup_printf ("%s:%u", pochta_server_config_get_host (in),
                                                 pochta_server_config_get_port (in));
      const char *cells[] = {
        pochta_account_get_display_name (account),
        identity != NULL ? pochta_identity_get_address (identity) : "-",
        server,
        pochta_cli_state_name (pochta_account_get_state (account)),
        NULL
      };

      pochta_cli_print_row (cli, cells, widths);
    }

  return POCHTA_CLI_EXIT_OK;
}

static int
account_remove (PochtaCli  *cli,
                int         argc,
                char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaAccount *account;
  int status;

  cli->command = "account remove";
  if (!pochta_cli_parse_options (cli, _("NAME"),
                                 _("Remove an account: its cached mail, its queue of changes not yet sent, "
                                   "and its passwords."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return pochta_cli_usage (cli, "%s", argc < 2 ? _("Name the account") : _("Too many arguments"));

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;
  if ((account = pochta_cli_find_account (cli, argv[1])) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  pochta_service_remove_account_async (cli->service, account, cli->cancellable,
                                       pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  if (!pochta_service_remove_account_finish (cli->service, result, &error))
    return pochta_cli_fail_error (cli, error);

  return POCHTA_CLI_EXIT_OK;
}

static int
account_password (PochtaCli  *cli,
                  int         argc,
                  char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Password) password = NULL;
  PochtaAccount *account;
  int status;

  cli->command = "account password";
  if (!pochta_cli_parse_options (cli, _("NAME"),
                                 _("Replace the account’s password in the keyring with the first line of "
                                   "standard input."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return pochta_cli_usage (cli, "%s", argc < 2 ? _("Name the account") : _("Too many arguments"));

  if ((password = read_password (cli, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;
  if ((account = pochta_cli_find_account (cli, argv[1])) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  pochta_service_set_password_async (cli->service, account, password, cli->cancellable,
                                     pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  if (!pochta_service_set_password_finish (cli->service, result, &error))
    return pochta_cli_fail_error (cli, error);

  return POCHTA_CLI_EXIT_OK;
}

int
pochta_cli_account (PochtaCli  *cli,
                    int         argc,
                    char      **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return account_add (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return account_list (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return account_remove (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "password"))
    return account_password (cli, argc - 1, argv + 1);

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n  pochta-cli account add NAME --address ADDRESS --imap HOST[:PORT] [OPTION…]\n"
              "  pochta-cli account list\n  pochta-cli account remove NAME\n"
              "  pochta-cli account password NAME < FILE\n", _("Usage:"));
      return POCHTA_CLI_EXIT_OK;
    }

  if (argc < 2)
    return pochta_cli_usage (cli, "%s", _("Say add, list, remove or password"));

  return pochta_cli_usage (cli, _("Unknown account command “%s”: say add, list, remove or password"), argv[1]);
}
