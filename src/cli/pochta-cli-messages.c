/* pochta-cli-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli list, show, mark, move and delete: messages by their cache
 * ids. Actions are offline-first: done once the cache shows them and the
 * change is queued, then sent at once when the server can be reached.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "pochta-cli-private.h"

#define OFFLINE_ENTRY(flag) \
  { "offline", 0, 0, G_OPTION_ARG_NONE, (flag), \
    N_("Only change the cache and queue the change; the next sync sends it"), NULL }

/* FOLDER in @account_name, or in whichever account has it; NULL after
 * printing why not. */
static PochtaFolder *
resolve_folder (PochtaCli  *cli,
                const char *account_name,
                const char *name,
                int        *status)
{
  GListModel *accounts = pochta_service_get_accounts (cli->service);
  PochtaFolder *found = NULL;
  guint n_found = 0;
  guint n;

  if (account_name != NULL)
    {
      PochtaAccount *account = pochta_cli_find_account (cli, account_name);

      if (account == NULL)
        {
          *status = POCHTA_CLI_EXIT_FAILURE;
          return NULL;
        }
      found = pochta_service_find_folder (cli->service, account, name);
      if (found == NULL)
        *status = pochta_cli_fail (cli, _("The account “%s” has no folder “%s” (see “pochta-cli folders”)"),
                         pochta_account_get_display_name (account), name);
      return found;
    }

  n = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);
      PochtaFolder *folder = pochta_service_find_folder (cli->service, account, name);

      if (folder != NULL)
        {
          found = folder;
          n_found++;
        }
    }

  if (n_found == 1)
    return found;

  if (n_found == 0)
    *status = pochta_cli_fail (cli, _("There is no folder “%s” (see “pochta-cli folders”)"), name);
  else
    *status = pochta_cli_usage (cli, _("Several accounts have a folder “%s”: choose one with --account"), name);

  return NULL;
}

int
pochta_cli_list (PochtaCli  *cli,
                 int         argc,
                 char      **argv)
{
  static const int widths[] = { 7, 3, 16, 28, 0 };
  g_autofree char *account_name = NULL;
  g_autofree char *limit_text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean unread_only = FALSE;
  guint64 limit = 0;
  guint printed = 0;
  PochtaFolder *folder;
  GListModel *messages;
  guint n;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account of the folder"), N_("NAME") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("Only the newest N messages"), N_("N") },
    { "unread", 0, 0, G_OPTION_ARG_NONE, &unread_only, N_("Only unread messages"), NULL },
    { NULL }
  };

  if (!pochta_cli_parse_options (cli, _("FOLDER"),
                                 _("List a folder’s cached messages, newest first: id, flags (N new, * flagged, "
                                   "@ attachments), date, sender and subject."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return pochta_cli_usage (cli, "%s", argc < 2 ? _("Name the folder") : _("Too many arguments"));
  if (limit_text != NULL && !pochta_cli_parse_number (limit_text, "--limit", 1, G_MAXUINT, &limit, &error))
    return pochta_cli_fail_error (cli, error);

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;
  if ((folder = resolve_folder (cli, account_name, argv[1], &status)) == NULL)
    return status;

  messages = pochta_service_get_messages (cli->service, pochta_folder_get_id (folder));
  n = g_list_model_get_n_items (messages);
  for (guint i = 0; i < n && (limit == 0 || printed < limit); i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (messages, i);
      g_autofree char *id = NULL;
      g_autofree char *flags = NULL;
      g_autofree char *date = NULL;
      g_autofree char *from = NULL;
      const char *subject;
      gint64 when;

      if (summary == NULL || (unread_only && !pochta_message_summary_get_unread (summary)))
        continue;

      id = g_strdup_printf ("%lld", (long long) pochta_message_summary_get_id (summary));
      flags = pochta_cli_format_flags (pochta_message_summary_get_flags (summary),
                                       pochta_message_summary_get_has_attachments (summary));
      when = pochta_message_summary_get_date (summary);
      date = pochta_cli_format_time (when > 0 ? when : pochta_message_summary_get_internal_date (summary));
      from = pochta_cli_format_address (pochta_message_summary_get_from_name (summary),
                                        pochta_message_summary_get_from_address (summary));
      subject = pochta_message_summary_get_subject (summary);

      {
        const char *cells[] = { id, flags, date, from, subject != NULL ? subject : "", NULL };

        pochta_cli_print_row (cli, cells, widths);
      }
      printed++;
    }

  return POCHTA_CLI_EXIT_OK;
}

static char *
join_addresses (GPtrArray *addresses)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      g_autofree char *one = pochta_address_to_string (g_ptr_array_index (addresses, i));

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, one);
    }

  return g_string_free (text, FALSE);
}

static void
print_header (const char *name,
              const char *value)
{
  g_autofree char *clean = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  clean = pochta_cli_clean_text (value);
  printf ("%s: %s\n", name, clean);
}

int
pochta_cli_show (PochtaCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(PochtaMessageSummary) summary = NULL;
  g_autoptr(PochtaMessageParser) parser = NULL;
  g_autoptr(PochtaMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *date = NULL;
  g_autofree char *html_text = NULL;
  g_autofree char *body = NULL;
  GPtrArray *attachments;
  const char *text;
  gint64 id;
  int status;

  if (!pochta_cli_parse_options (cli, _("MESSAGE-ID"),
                                 _("Show a message’s headers and text, downloading it if it is not cached yet."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return pochta_cli_usage (cli, "%s", argc < 2 ? _("Name the message by its id") : _("Too many arguments"));
  if ((ids = pochta_cli_parse_message_ids (1, argv + 1, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);
  id = g_array_index (ids, gint64, 0);

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;

  summary = pochta_service_get_message (cli->service, id, &error);
  if (summary == NULL)
    return pochta_cli_fail (cli, _("There is no message %lld"), (long long) id);

  pochta_service_get_body_async (cli->service, id, cli->cancellable, pochta_cli_store_result, &result);
  pochta_cli_wait (cli, &result);
  raw = pochta_service_get_body_finish (cli->service, result, &error);
  if (raw == NULL)
    {
      if (g_error_matches (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_OFFLINE))
        return pochta_cli_fail (cli, _("Message %lld is not downloaded yet, and its server cannot be reached now"),
                                (long long) id);
      return pochta_cli_fail_error (cli, error);
    }

  parser = pochta_message_parser_new ();
  message = pochta_message_parser_parse_bytes (parser, raw, &error);
  if (message == NULL)
    return pochta_cli_fail_error (cli, error);

  from = join_addresses (pochta_message_get_from (message));
  to = join_addresses (pochta_message_get_to (message));
  cc = join_addresses (pochta_message_get_cc (message));
  if (pochta_message_get_date (message) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (pochta_message_get_date (message));

      date = g_date_time_format (local, "%Y-%m-%d %H:%M %z");
    }

  print_header ("From", from);
  print_header ("To", to);
  print_header ("Cc", cc);
  print_header ("Date", date);
  print_header ("Subject", pochta_message_get_subject (message));

  attachments = pochta_message_get_attachments (message);
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      PochtaMessagePart *part = g_ptr_array_index (attachments, i);
      const char *filename = pochta_message_part_get_filename (part);
      g_autofree char *size = g_format_size (pochta_message_part_get_size (part));
      g_autofree char *value = g_strdup_printf ("%s (%s, %s)", filename != NULL ? filename : "-",
                                                pochta_message_part_get_mime_type (part), size);

      print_header ("Attachment", value);
    }

  text = pochta_message_get_text_plain (message);
  if (text == NULL && pochta_message_get_text_html (message) != NULL)
    text = html_text = pochta_message_html_to_text (pochta_message_get_text_html (message), -1);

  body = pochta_cli_clean_body (text);
  printf ("\n%s", body);
  if (body[0] != '\0' && !g_str_has_suffix (body, "\n"))
    putchar ('\n');

  return POCHTA_CLI_EXIT_OK;
}

/* The accounts the messages belong to, looked up before the action
 * (a deleted message may leave the cache). NULL after an error. */
static GPtrArray *
accounts_of (PochtaCli *cli,
             GArray    *ids)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(PochtaMessageSummary) summary = pochta_service_get_message (cli->service, id, NULL);
      PochtaAccount *account;

      if (summary == NULL)
        {
          pochta_cli_fail (cli, _("There is no message %lld"), (long long) id);
          return NULL;
        }

      account = pochta_service_get_account_for_folder (cli->service,
                                                       pochta_message_summary_get_folder_id (summary));
      if (account != NULL && !g_ptr_array_find (accounts, account, NULL))
        g_ptr_array_add (accounts, account);
    }

  return g_steal_pointer (&accounts);
}

/* Waits for a queued action, then sends the queue now where the server
 * answers; where it does not, the next sync sends it. */
static int
finish_action (PochtaCli     *cli,
               GPtrArray     *accounts,
               gboolean       offline,
               GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  pochta_cli_wait (cli, result);
  if (!pochta_service_action_finish (cli->service, *result, &error))
    return pochta_cli_fail_error (cli, error);

  for (guint i = 0; !offline && i < accounts->len; i++)
    {
      PochtaAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GAsyncResult) flushed = NULL;
      g_autoptr(GError) flush_error = NULL;

      pochta_service_flush_async (cli->service, account, cli->cancellable, pochta_cli_store_result, &flushed);
      pochta_cli_wait (cli, &flushed);
      if (!pochta_service_flush_finish (cli->service, flushed, &flush_error) && cli->stderr_is_tty)
        {
          /* Not a failure: the change is made and queued. */
          fprintf (stderr, _("pochta-cli: %s: queued, not sent yet (%s)\n"),
                   pochta_account_get_display_name (account), flush_error->message);
        }
    }

  return POCHTA_CLI_EXIT_OK;
}

int
pochta_cli_mark (PochtaCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read = FALSE, unread = FALSE, flag = FALSE, unflag = FALSE, offline = FALSE;
  PochtaMessageFlags add = 0, remove = 0;
  int status;
  const GOptionEntry entries[] = {
    { "read", 0, 0, G_OPTION_ARG_NONE, &read, N_("Mark as read"), NULL },
    { "unread", 0, 0, G_OPTION_ARG_NONE, &unread, N_("Mark as unread"), NULL },
    { "flag", 0, 0, G_OPTION_ARG_NONE, &flag, N_("Flag"), NULL },
    { "unflag", 0, 0, G_OPTION_ARG_NONE, &unflag, N_("Remove the flag"), NULL },
    OFFLINE_ENTRY (&offline),
    { NULL }
  };

  if (!pochta_cli_parse_options (cli, _("MESSAGE-ID…"), _("Mark messages read or unread, flagged or not."),
                                 entries, &argc, &argv, &status))
    return status;
  if ((read && unread) || (flag && unflag))
    return pochta_cli_usage (cli, "%s", _("--read and --unread, or --flag and --unflag, contradict each other"));
  if (!read && !unread && !flag && !unflag)
    return pochta_cli_usage (cli, "%s", _("Say --read, --unread, --flag or --unflag"));
  if ((ids = pochta_cli_parse_message_ids (argc - 1, argv + 1, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);

  add |= read ? POCHTA_MESSAGE_FLAG_SEEN : 0;
  remove |= unread ? POCHTA_MESSAGE_FLAG_SEEN : 0;
  add |= flag ? POCHTA_MESSAGE_FLAG_FLAGGED : 0;
  remove |= unflag ? POCHTA_MESSAGE_FLAG_FLAGGED : 0;

  if (!pochta_cli_open_service (cli) || (accounts = accounts_of (cli, ids)) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  pochta_service_set_flags_async (cli->service, (const gint64 *) ids->data, ids->len, add, remove,
                                  cli->cancellable, pochta_cli_store_result, &result);

  return finish_action (cli, accounts, offline, &result);
}

int
pochta_cli_move (PochtaCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  gboolean offline = FALSE;
  PochtaFolder *folder;
  PochtaAccount *account;
  int status;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The folder to move them to (required)"), N_("FOLDER") },
    OFFLINE_ENTRY (&offline),
    { NULL }
  };

  if (!pochta_cli_parse_options (cli, _("MESSAGE-ID…"), _("Move messages to another folder of their account."),
                                 entries, &argc, &argv, &status))
    return status;
  if (to == NULL)
    return pochta_cli_usage (cli, "%s", _("--to is required"));
  if ((ids = pochta_cli_parse_message_ids (argc - 1, argv + 1, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);

  if (!pochta_cli_open_service (cli) || (accounts = accounts_of (cli, ids)) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;
  if (accounts->len != 1)
    return pochta_cli_fail (cli, "%s", _("Messages of different accounts cannot move to one folder"));

  account = g_ptr_array_index (accounts, 0);
  folder = pochta_service_find_folder (cli->service, account, to);
  if (folder == NULL)
    return pochta_cli_fail (cli, _("The account “%s” has no folder “%s” (see “pochta-cli folders”)"),
                            pochta_account_get_display_name (account), to);

  pochta_service_move_async (cli->service, (const gint64 *) ids->data, ids->len, pochta_folder_get_id (folder),
                             cli->cancellable, pochta_cli_store_result, &result);

  return finish_action (cli, accounts, offline, &result);
}

int
pochta_cli_delete (PochtaCli  *cli,
                   int         argc,
                   char      **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean offline = FALSE;
  int status;
  const GOptionEntry entries[] = {
    OFFLINE_ENTRY (&offline),
    { NULL }
  };

  if (!pochta_cli_parse_options (cli, _("MESSAGE-ID…"),
                                 _("Delete messages: to the Trash, or for good when they are in the Trash "
                                   "already."),
                                 entries, &argc, &argv, &status))
    return status;
  if ((ids = pochta_cli_parse_message_ids (argc - 1, argv + 1, &error)) == NULL)
    return pochta_cli_fail_error (cli, error);

  if (!pochta_cli_open_service (cli) || (accounts = accounts_of (cli, ids)) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  pochta_service_delete_async (cli->service, (const gint64 *) ids->data, ids->len,
                               cli->cancellable, pochta_cli_store_result, &result);

  return finish_action (cli, accounts, offline, &result);
}
