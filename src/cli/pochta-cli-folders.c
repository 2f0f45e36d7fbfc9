/* pochta-cli-folders.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli folders (the folder tree of the cache) and pending (the
 * offline queue): what an account holds locally, without the network.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "pochta-cli-private.h"

/* The accounts a command with an optional NAME covers; NULL after an
 * error was printed. */
static GPtrArray *
accounts_for (PochtaCli  *cli,
              const char *name)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);

  if (name != NULL)
    {
      PochtaAccount *account = pochta_cli_find_account (cli, name);

      if (account == NULL)
        return NULL;
      g_ptr_array_add (accounts, g_object_ref (account));
    }
  else
    {
      GListModel *model = pochta_service_get_accounts (cli->service);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (accounts, g_list_model_get_item (model, i));
    }

  return g_steal_pointer (&accounts);
}

/* The folder's own name: the last part of its path. */
static const char *
leaf_name (PochtaFolder *folder)
{
  const char *name = pochta_folder_get_name (folder);
  const char *delimiter = pochta_folder_get_delimiter (folder);
  const char *leaf;

  if (pochta_folder_get_parent_id (folder) == 0 || delimiter == NULL || delimiter[0] == '\0')
    return name;

  leaf = g_strrstr (name, delimiter);

  return leaf != NULL && leaf[strlen (delimiter)] != '\0' ? leaf + strlen (delimiter) : name;
}

static void
print_folders (PochtaCli     *cli,
               PochtaAccount *account,
               guint          base_indent)
{
  static const int widths[] = { 36, 8, 0 };
  g_autoptr(GHashTable) depths = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GListModel *folders = pochta_service_get_folders (cli->service, account);
  guint n = g_list_model_get_n_items (folders);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaFolder) folder = g_list_model_get_item (folders, i);
      gint64 id = pochta_folder_get_id (folder);
      gint64 parent_id = pochta_folder_get_parent_id (folder);
      guint depth = 0;
      g_autofree char *name = NULL;
      g_autofree char *counts = NULL;
      const char *role = pochta_cli_role_name (pochta_folder_get_role (folder));
      const char *cells[4];

      /* Tree order puts parents first, so their depth is known. */
      if (parent_id != 0)
        depth = GPOINTER_TO_UINT (g_hash_table_lookup (depths, &parent_id)) + 1;
      g_hash_table_insert (depths, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (depth));

      name = g_strdup_printf ("%*s%s", (int) (2 * (depth + base_indent)), "", leaf_name (folder));
      counts = g_strdup_printf ("%u/%u", pochta_folder_get_unread_count (folder),
                                pochta_folder_get_total_count (folder));
      cells[0] = name;
      cells[1] = role != NULL ? role : "-";
      cells[2] = counts;
      cells[3] = NULL;
      pochta_cli_print_row (cli, cells, widths);
    }
}

int
pochta_cli_folders (PochtaCli  *cli,
                    int         argc,
                    char      **argv)
{
  g_autoptr(GPtrArray) accounts = NULL;
  int status;

  if (!pochta_cli_parse_options (cli, _("[NAME]"),
                                 _("Show the cached folder tree: each folder with its role and its unread and "
                                   "total messages. Without NAME, every account."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return pochta_cli_usage (cli, "%s", _("Too many arguments"));

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;
  if ((accounts = accounts_for (cli, argc == 2 ? argv[1] : NULL)) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  for (guint i = 0; i < accounts->len; i++)
    {
      PochtaAccount *account = g_ptr_array_index (accounts, i);

      /* With several accounts each tree goes under its account's name. */
      if (accounts->len > 1)
        {
          const char *cells[] = { pochta_account_get_display_name (account), NULL };

          pochta_cli_print_row (cli, cells, NULL);
        }
      print_folders (cli, account, accounts->len > 1 ? 1 : 0);
    }

  return POCHTA_CLI_EXIT_OK;
}

int
pochta_cli_pending (PochtaCli  *cli,
                    int         argc,
                    char      **argv)
{
  static const int widths[] = { 16, 6, 48, 0 };
  g_autoptr(GPtrArray) accounts = NULL;
  int status;

  if (!pochta_cli_parse_options (cli, _("[NAME]"),
                                 _("List the changes made offline that are not on the server yet, oldest "
                                   "first. Without NAME, every account."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return pochta_cli_usage (cli, "%s", _("Too many arguments"));

  if (!pochta_cli_open_service (cli))
    return POCHTA_CLI_EXIT_FAILURE;
  if ((accounts = accounts_for (cli, argc == 2 ? argv[1] : NULL)) == NULL)
    return POCHTA_CLI_EXIT_FAILURE;

  for (guint i = 0; i < accounts->len; i++)
    {
      PochtaAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GPtrArray) ops = NULL;
      g_autoptr(GError) error = NULL;

      ops = pochta_service_list_pending (cli->service, account, &error);
      if (ops == NULL)
        return pochta_cli_fail_error (cli, error);

      for (guint j = 0; j < ops->len; j++)
        {
          PochtaPendingOp *op = g_ptr_array_index (ops, j);
          g_autofree char *id = g_strdup_printf ("%lld", (long long) op->id);
          g_autofree char *description = pochta_offline_describe_op (op);
          const char *cells[] = {
            pochta_account_get_display_name (account),
            id,
            description,
            op->last_error != NULL ? op->last_error : "",
            NULL
          };

          pochta_cli_print_row (cli, cells, widths);
        }
    }

  return POCHTA_CLI_EXIT_OK;
}
