/* pochta-account-repository.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts saved in and loaded from the store: PochtaAccount <-> account and identity rows.
 *
 * An account is keyed by its UUID (PochtaAccount:id), which also keys its
 * keyring items; the integer row id is the store's own business, handed
 * back so that the service can find the account's folders and queue.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-repository.h"
#include "pochta-store-error.h"

typedef struct
{
  PochtaAccountRecord *account;
  GPtrArray           *identities;  /* PochtaIdentityRecord */
  char                *uuid;
  gint64               store_id;    /* written by the writer thread */
} RepositoryOp;

static void
repository_op_free (RepositoryOp *op)
{
  g_clear_pointer (&op->account, pochta_account_record_free);
  g_clear_pointer (&op->identities, g_ptr_array_unref);
  g_clear_pointer (&op->uuid, g_free);
  g_free (op);
}

static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  /* The nicks of a static enum type outlive the class reference. */
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static int
enum_from_nick (GType       type,
                const char *nick,
                int         fallback)
{
  g_autoptr(GEnumClass) enum_class = NULL;
  GEnumValue *enum_value;

  if (nick == NULL)
    return fallback;

  enum_class = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (enum_class, nick);

  return enum_value != NULL ? enum_value->value : fallback;
}

static const char *
empty_to_null (const char *str)
{
  return str != NULL && str[0] != '\0' ? str : NULL;
}

/* Runs on the main thread: the writer thread only ever sees these plain
 * copies, never the account object the UI is bound to. */
static PochtaAccountRecord *
snapshot_account (PochtaAccount *account)
{
  PochtaAccountRecord *record = pochta_account_record_new ();
  PochtaServerConfig *in = pochta_account_get_incoming (account);
  PochtaServerConfig *out = pochta_account_get_outgoing (account);

  record->uuid = g_strdup (pochta_account_get_id (account));
  record->display_name = g_strdup (pochta_account_get_display_name (account));
  record->position = -1;

  g_free (record->incoming_protocol);
  record->incoming_protocol = g_strdup (pochta_server_protocol_to_string (pochta_server_config_get_protocol (in)));
  record->incoming_host = g_strdup (pochta_server_config_get_host (in));
  record->incoming_port = pochta_server_config_get_port (in);
  record->incoming_tls = pochta_server_config_get_tls_mode (in);
  record->incoming_user = g_strdup (pochta_server_config_get_user_name (in));
  record->incoming_auth = g_strdup (enum_to_nick (POCHTA_TYPE_AUTH_MECHANISM,
                                                  pochta_server_config_get_auth_mechanism (in)));
  record->incoming_pin = g_strdup (pochta_server_config_get_pinned_fingerprint (in));
  record->allow_insecure = pochta_server_config_get_allow_insecure (in);

  record->smtp_host = g_strdup (empty_to_null (pochta_server_config_get_host (out)));
  record->smtp_port = pochta_server_config_get_port (out);
  record->smtp_tls = pochta_server_config_get_tls_mode (out);
  record->smtp_user = g_strdup (empty_to_null (pochta_server_config_get_user_name (out)));
  record->smtp_auth = g_strdup (enum_to_nick (POCHTA_TYPE_AUTH_MECHANISM,
                                              pochta_server_config_get_auth_mechanism (out)));
  record->smtp_pin = g_strdup (pochta_server_config_get_pinned_fingerprint (out));
  record->smtp_allow_insecure = pochta_server_config_get_allow_insecure (out);

  record->poll_interval = pochta_account_get_poll_interval (account);
  record->body_days = pochta_account_get_body_days (account);
  record->body_size_limit = pochta_account_get_body_size_limit (account);
  g_free (record->folders_selection);
  record->folders_selection = g_strdup (enum_to_nick (POCHTA_TYPE_SYNC_FOLDERS,
                                                      pochta_account_get_sync_folders (account)));
  record->sync_folder_list = g_strdupv ((char **) pochta_account_get_sync_folder_list (account));

  return record;
}

static GPtrArray *
snapshot_identities (PochtaAccount *account)
{
  GListModel *identities = pochta_account_get_identities (account);
  guint n = g_list_model_get_n_items (identities);
  GPtrArray *records = g_ptr_array_new_full (n, (GDestroyNotify) pochta_identity_record_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaIdentity) identity = g_list_model_get_item (identities, i);
      PochtaIdentityRecord *record = pochta_identity_record_new ();

      record->name = g_strdup (pochta_identity_get_name (identity));
      record->address = g_strdup (pochta_identity_get_address (identity));
      record->reply_to = g_strdup (pochta_identity_get_reply_to (identity));
      record->signature = g_strdup (pochta_identity_get_signature (identity));
      record->is_default = pochta_identity_get_is_default (identity);
      record->position = i;
      g_ptr_array_add (records, record);
    }

  return records;
}

static gboolean
save_job (PochtaStoreTransaction  *txn,
          gpointer                 user_data,
          GError                 **error)
{
  RepositoryOp *op = user_data;

  /* id 0 with a uuid: the store inserts, or updates the row of that uuid. */
  op->account->id = 0;
  if (!pochta_store_transaction_upsert_account (txn, op->account, error) ||
      !pochta_store_transaction_replace_identities (txn, op->account->id, op->identities, error))
    return FALSE;

  op->store_id = op->account->id;

  return TRUE;
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  RepositoryOp *op = g_task_get_task_data (task);

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, op->store_id);
}

/**
 * pochta_account_repository_save_async:
 *
 * Saves everything @account is configured with (not its state, nor any
 * password): a new row for an account never saved, else an update of the
 * row with the same id. Its identities replace the saved ones in the same
 * transaction. What is saved is what @account holds when this is called.
 */
void
pochta_account_repository_save_async (PochtaStore         *store,
                                      PochtaAccount       *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RepositoryOp *op;

  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_account_repository_save_async);

  op = g_new0 (RepositoryOp, 1);
  op->account = snapshot_account (account);
  op->identities = snapshot_identities (account);
  g_task_set_task_data (task, op, (GDestroyNotify) repository_op_free);

  /* The task keeps @op alive until the job is done with it. */
  pochta_store_write_async (store, save_job, op, NULL, cancellable, save_cb, g_object_ref (task));
}

/**
 * pochta_account_repository_save_finish:
 *
 * Returns: the account's row id in the store, or 0 with @error set.
 */
gint64
pochta_account_repository_save_finish (PochtaStore   *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (store), 0);
  g_return_val_if_fail (g_task_is_valid (result, store), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_account_repository_save_async, 0);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
load_server (PochtaServerConfig   *server,
             PochtaServerProtocol  protocol,
             const char           *host,
             guint                 port,
             int                   tls,
             const char           *user,
             const char           *auth,
             const char           *pin,
             gboolean              allow_insecure)
{
  /* An unknown value can only come from a newer Pochta: fall back to what
   * is safe (implicit TLS, the best mechanism offered). */
  if (tls < POCHTA_TLS_MODE_NONE || tls > POCHTA_TLS_MODE_IMPLICIT)
    tls = POCHTA_TLS_MODE_IMPLICIT;

  pochta_server_config_set_protocol (server, protocol);
  pochta_server_config_set_host (server, host);
  pochta_server_config_set_port (server, port);
  pochta_server_config_set_tls_mode (server, tls);
  pochta_server_config_set_user_name (server, user);
  pochta_server_config_set_auth_mechanism (server, enum_from_nick (POCHTA_TYPE_AUTH_MECHANISM, auth,
                                                                   POCHTA_AUTH_MECHANISM_AUTOMATIC));
  pochta_server_config_set_pinned_fingerprint (server, pin);
  pochta_server_config_set_allow_insecure (server, allow_insecure);
}

static PochtaAccount *
account_from_records (PochtaAccountRecord *r,
                      GPtrArray           *identities)
{
  g_autoptr(PochtaAccount) account = NULL;
  PochtaServerProtocol protocol;

  account = g_object_new (POCHTA_TYPE_ACCOUNT,
                          "id", r->uuid,
                          "display-name", r->display_name,
                          NULL);

  protocol = g_strcmp0 (r->incoming_protocol, "pop3") == 0 ? POCHTA_SERVER_PROTOCOL_POP3
                                                           : POCHTA_SERVER_PROTOCOL_IMAP;
  load_server (pochta_account_get_incoming (account), protocol, r->incoming_host, r->incoming_port,
               r->incoming_tls, r->incoming_user, r->incoming_auth, r->incoming_pin, r->allow_insecure);
  load_server (pochta_account_get_outgoing (account), POCHTA_SERVER_PROTOCOL_SMTP, r->smtp_host,
               r->smtp_port, r->smtp_tls, r->smtp_user, r->smtp_auth, r->smtp_pin, r->smtp_allow_insecure);

  pochta_account_set_sync_folders (account, enum_from_nick (POCHTA_TYPE_SYNC_FOLDERS, r->folders_selection,
                                                            POCHTA_SYNC_FOLDERS_ALL));
  pochta_account_set_sync_folder_list (account, (const char * const *) r->sync_folder_list);
  pochta_account_set_poll_interval (account, r->poll_interval);
  pochta_account_set_body_days (account, r->body_days);
  pochta_account_set_body_size_limit (account, r->body_size_limit);

  for (guint i = 0; i < identities->len; i++)
    {
      PochtaIdentityRecord *ir = g_ptr_array_index (identities, i);
      g_autoptr(PochtaIdentity) identity = pochta_identity_new (ir->name, ir->address);

      pochta_identity_set_reply_to (identity, ir->reply_to);
      pochta_identity_set_signature (identity, ir->signature);
      pochta_identity_set_is_default (identity, ir->is_default);
      pochta_account_add_identity (account, identity);
    }

  return g_steal_pointer (&account);
}

/**
 * pochta_account_repository_load:
 * @store_ids: (out) (optional) (element-type gint64): the row id of each
 *   account, at the same index
 *
 * Reads on the main thread, from the store's current snapshot.
 *
 * Returns: (transfer container) (element-type PochtaAccount): the saved
 *   accounts in their display order, each in the offline state.
 */
GPtrArray *
pochta_account_repository_load (PochtaStore  *store,
                                GArray      **store_ids,
                                GError      **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (POCHTA_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  records = pochta_store_list_accounts (store, error);
  if (records == NULL)
    return NULL;

  accounts = g_ptr_array_new_full (records->len, g_object_unref);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), records->len);

  for (guint i = 0; i < records->len; i++)
    {
      PochtaAccountRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GPtrArray) identities = NULL;

      /* Migration 0002 and every insert give each row a uuid. */
      g_assert (record->uuid != NULL);

      identities = pochta_store_list_identities (store, record->id, error);
      if (identities == NULL)
        return NULL;

      g_ptr_array_add (accounts, account_from_records (record, identities));
      g_array_append_val (ids, record->id);
    }

  if (store_ids != NULL)
    *store_ids = g_steal_pointer (&ids);

  return g_steal_pointer (&accounts);
}

static gboolean
remove_job (PochtaStoreTransaction  *txn,
            gpointer                 user_data,
            GError                 **error)
{
  RepositoryOp *op = user_data;

  if (!pochta_store_transaction_find_account (txn, op->uuid, &op->store_id, error))
    return FALSE;

  if (op->store_id == 0)
    {
      g_set_error (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND,
                   _("The account “%s” is not in the mail cache"), op->uuid);
      return FALSE;
    }

  /* Its identities, folders, messages and queue go with it (ON DELETE CASCADE). */
  return pochta_store_transaction_remove_account (txn, op->store_id, error);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pochta_account_repository_remove_async:
 *
 * Deletes @account's rows and everything cached for it. Its keyring items
 * are the caller's to clear (pochta_account_forget_passwords_async()).
 * An account that was never saved fails with %POCHTA_STORE_ERROR_NOT_FOUND.
 */
void
pochta_account_repository_remove_async (PochtaStore         *store,
                                        PochtaAccount       *account,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RepositoryOp *op;

  g_return_if_fail (POCHTA_IS_STORE (store));
  g_return_if_fail (POCHTA_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_account_repository_remove_async);

  op = g_new0 (RepositoryOp, 1);
  op->uuid = g_strdup (pochta_account_get_id (account));
  g_task_set_task_data (task, op, (GDestroyNotify) repository_op_free);

  pochta_store_write_async (store, remove_job, op, NULL, cancellable, remove_cb, g_object_ref (task));
}

gboolean
pochta_account_repository_remove_finish (PochtaStore   *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (POCHTA_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_account_repository_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
