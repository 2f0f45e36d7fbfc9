/* pochta-cli-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli sync: one pass over the accounts with a progress line on a
 * terminal, then with --idle the live sessions until SIGINT or SIGTERM.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "pochta-cli-private.h"

typedef struct
{
  PochtaCli     *cli;
  GPtrArray     *accounts;  /* PochtaAccount, the ones followed */
  PochtaAccount *only;      /* (nullable): the one named */
} Watch;

static void
watch_progress (Watch *watch)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < watch->accounts->len; i++)
    {
      PochtaAccount *account = g_ptr_array_index (watch->accounts, i);
      const char *name = pochta_account_get_display_name (account);
      guint done = pochta_account_get_sync_done (account);
      guint total = pochta_account_get_sync_total (account);
      g_autofree char *part = NULL;

      switch (pochta_account_get_state (account))
        {
        case POCHTA_ACCOUNT_STATE_CONNECTING:
          part = g_strdup_printf (_("Connecting to %s…"), name);
          break;
        case POCHTA_ACCOUNT_STATE_SYNCING:
          if (total > 0)
            part = g_strdup_printf (_("Syncing %s: %u/%u"), name, MIN (done, total), total);
          else
            part = g_strdup_printf (_("Syncing %s…"), name);
          break;
        default:
          break;
        }

      if (part != NULL)
        {
          if (text->len > 0)
            g_string_append (text, "; ");
          g_string_append (text, part);
        }
    }

  if (text->len > 0)
    pochta_cli_show_progress (watch->cli, text->str);
  else
    pochta_cli_clear_progress (watch->cli);
}

static void
on_new_mail (PochtaService *service,
             PochtaAccount *account,
             gint64         message_id,
             Watch         *watch)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autofree char *uid = NULL;
  PochtaFolder *folder;
  const char *cells[5] = { "new:", NULL, NULL, NULL, NULL };

  if (watch->only != NULL && account != watch->only)
    return;

  summary = pochta_service_get_message (service, message_id, NULL);
  if (summary == NULL)
    return;

  folder = pochta_service_get_folder (service, pochta_message_summary_get_folder_id (summary));
  uid = g_strdup_printf ("%u", pochta_message_summary_get_uid (summary));
  cells[1] = folder != NULL ? pochta_folder_get_name (folder) : "?";
  cells[2] = uid;
  cells[3] = pochta_message_summary_get_subject (summary) != NULL ? pochta_message_summary_get_subject (summary)
                                                                  : "";

  pochta_cli_clear_progress (watch->cli);
  pochta_cli_print_row (watch->cli, cells, NULL);
  /* A script reading a pipe wants each line as it happens. */
  fflush (stdout);
  watch_progress (watch);
}

static void
watch_start (Watch         *watch,
             PochtaCli     *cli,
             PochtaAccount *only)
{
  GListModel *accounts = pochta_service_get_accounts (cli->service);
  guint n = g_list_model_get_n_items (accounts);

  watch->cli = cli;
  watch->only = only;
  watch->accounts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);

      if (only != NULL && account != only)
        continue;

      g_signal_connect_swapped (account, "notify::state", G_CALLBACK (watch_progress), watch);
      g_signal_connect_swapped (account, "notify::sync-done", G_CALLBACK (watch_progress), watch);
      g_signal_connect_swapped (account, "notify::sync-total", G_CALLBACK (watch_progress), watch);
      g_ptr_array_add (watch->accounts, g_steal_pointer (&account));
    }
}

static void
watch_stop (Watch *watch)
{
  for (guint i = 0; i < watch->accounts->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (watch->accounts, i), watch);
  if (watch->cli->service != NULL)
    g_signal_handlers_disconnect_by_data (watch->cli->service, watch);
  g_clear_pointer (&watch->accounts, g_ptr_array_unref);
  pochta_cli_clear_progress (watch->cli);
}

/* A refused certificate: say which one the server showed, so that the
 * person can compare it with the one they meant to accept. */
static int
fail_sync (PochtaCli    *cli,
           Watch        *watch,
           const GError *error)
{
  g_autoptr(GString) message = g_string_new (error->message);

  for (guint i = 0; i < watch->accounts->len; i++)
    {
      PochtaAccount *account = g_ptr_array_index (watch->accounts, i);
      PochtaCertificateInfo *info = pochta_account_get_certificate_info (account);
      const char *name = pochta_account_get_display_name (account);
      const char *fingerprint;

      /* A refused password says so in words a script's log reader knows,
       * and how to fix it; the service's error has the server's own. */
      if (pochta_account_get_state (account) == POCHTA_ACCOUNT_STATE_AUTH_FAILED ||
          pochta_account_get_state (account) == POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD)
        {
          g_autofree char *detail = g_strdup (pochta_account_get_state_message (account) != NULL
                                              ? pochta_account_get_state_message (account)
                                              : error->message);

          /* "Authentication failed." ends a sentence of its own. */
          g_strchomp (detail);
          if (g_str_has_suffix (detail, "."))
            detail[strlen (detail) - 1] = '\0';
          g_string_printf (message, _("%s: login failed: %s. Store the right password with "
                                      "“pochta-cli account password %s”."),
                           name, detail, name);
          break;
        }

      if (pochta_account_get_state (account) != POCHTA_ACCOUNT_STATE_TLS_ERROR || info == NULL)
        continue;

      fingerprint = pochta_certificate_info_get_fingerprint (info);
      if (fingerprint != NULL && strstr (message->str, fingerprint) == NULL)
        {
          g_string_append_c (message, ' ');
          g_string_append_printf (message, _("The server presented the certificate with SHA-256 %s."),
                                  fingerprint);
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return pochta_cli_fail_error (cli, error);

  return pochta_cli_fail (cli, "%s", message->str);
}

int
pochta_cli_sync (PochtaCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaAccount *account = NULL;
  gboolean bodies = FALSE;
  gboolean idle = FALSE;
  Watch watch = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "bodies", 0, 0, G_OPTION_ARG_NONE, &bodies, N_("Download every message body, not only recent ones"), NULL },
    { "idle", 0, 0, G_OPTION_ARG_NONE, &idle,
      N_("Then stay connected and print a line per new message until interrupted"), NULL },
    { NULL }
  };

  if (!pochta_cli_parse_options (cli, _("[NAME]"),
                                 _("Bring the cache up to date with the server, sending queued changes first. "
                                   "Without NAME, every account."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return pochta_cli_usage (cli, "%s", _("Too many arguments"));

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;

  if (argc == 2 && (account = pochta_cli_find_account (cli, argv[1])) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;
  if (g_list_model_get_n_items (pochta_service_get_accounts (cli->service)) == 0)
    return pochta_cli_fail (cli, "%s", _("There are no accounts: add one with “pochta-cli account add”"));

  watch_start (&watch, cli, account);
  watch_progress (&watch);

  pochta_service_sync_async (cli->service, account, bodies ? POCHTA_SYNC_BODIES : POCHTA_SYNC_NONE,
                             cli->cancellable, pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  if (pochta_debug_enabled (POCHTA_DEBUG_TIMING))
    pochta_debug_print_thread_cpu ("main thread", NULL);
  if (!pochta_service_sync_finish (cli->service, result, &error))
    {
      status = fail_sync (cli, &watch, error);
      watch_stop (&watch);
      return status;
    }

  if (idle && !g_cancellable_is_cancelled (cli->cancellable))
    {
      g_signal_connect (cli->service, "new-mail", G_CALLBACK (on_new_mail), &watch);
      if (account != NULL)
        pochta_service_start_account (cli->service, account);
      else
        pochta_service_start (cli->service);

      /* SIGINT and SIGTERM cancel; main() then shuts the service down. */
      while (!g_cancellable_is_cancelled (cli->cancellable))
        g_main_context_iteration (NULL, TRUE);
    }

  watch_stop (&watch);

  return POCHTA_CLI_EXIT_OK;
}
