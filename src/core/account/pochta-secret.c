/* pochta-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords in the keyring (libsecret), under Pochta's own schema, and nowhere else.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pochta-account-error.h"
#include "pochta-secret.h"

/* What a keyring call was about, for messages and logs. Never the password. */
typedef struct
{
  char                 *host;
  char                 *user;
  PochtaServerProtocol  protocol;
} SecretRequest;

static void
secret_request_free (SecretRequest *request)
{
  g_clear_pointer (&request->host, g_free);
  g_clear_pointer (&request->user, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretRequest, secret_request_free)

/**
 * pochta_secret_get_schema:
 *
 * Every attribute is required when storing; lookups and clears match on
 * all four, except pochta_secret_clear_all_async() which matches the
 * account alone. The schema name is matched too (no
 * %SECRET_SCHEMA_DONT_MATCH_NAME), so other programs' items are never
 * touched.
 */
const SecretSchema *
pochta_secret_get_schema (void)
{
  static const SecretSchema schema = {
    POCHTA_SECRET_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { POCHTA_SECRET_ATTRIBUTE_ACCOUNT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { POCHTA_SECRET_ATTRIBUTE_PROTOCOL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { POCHTA_SECRET_ATTRIBUTE_HOST, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { POCHTA_SECRET_ATTRIBUTE_USER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/**
 * pochta_secret_dup_label:
 *
 * Returns: (transfer full): the label a person sees in Passwords and Keys
 *   (Seahorse), e.g. "Pochta password for alice@imap.example.org (IMAP)".
 */
char *
pochta_secret_dup_label (PochtaServerProtocol  protocol,
                         const char           *host,
                         const char           *user)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  upper = g_ascii_strup (pochta_server_protocol_to_string (protocol), -1);

  /* Translators: the first %s is a user name, the second a server host
   * name, the third a protocol such as IMAP or SMTP. */
  return g_strdup_printf (_("Pochta password for %s@%s (%s)"), user, host, upper);
}

static GHashTable *
new_attributes (const char           *account_id,
                PochtaServerProtocol  protocol,
                const char           *host,
                const char           *user)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  /* secret_password_*v() copy what they need, so borrowed values do. */
  g_hash_table_insert (attributes, (char *) POCHTA_SECRET_ATTRIBUTE_ACCOUNT, (char *) account_id);
  if (host != NULL)
    {
      g_hash_table_insert (attributes, (char *) POCHTA_SECRET_ATTRIBUTE_PROTOCOL,
                           (char *) pochta_server_protocol_to_string (protocol));
      g_hash_table_insert (attributes, (char *) POCHTA_SECRET_ATTRIBUTE_HOST, (char *) host);
      g_hash_table_insert (attributes, (char *) POCHTA_SECRET_ATTRIBUTE_USER, (char *) user);
    }

  return attributes;
}

static GTask *
new_task (gpointer              source_tag,
          PochtaServerProtocol  protocol,
          const char           *host,
          const char           *user,
          GCancellable         *cancellable,
          GAsyncReadyCallback   callback,
          gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SecretRequest *request = g_new0 (SecretRequest, 1);

  g_task_set_source_tag (task, source_tag);
  request->protocol = protocol;
  request->host = g_strdup (host);
  request->user = g_strdup (user);
  g_task_set_task_data (task, request, (GDestroyNotify) secret_request_free);

  return task;
}

/* Cancellation passes through unchanged; anything else from D-Bus or the
 * keyring becomes one code the UI can act on, with the cause kept. */
static void
return_secret_error (GTask      *task,
                     GError     *error,
                     const char *context)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_new_error (task, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_SECRET,
                           "%s: %s", context, error->message);
  g_error_free (error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_secret_error (task, error, _("Could not save the password in the keyring"));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pochta_secret_store_async:
 * @account_id: the account's stable id
 * @password: the password; it goes to the keyring and is not kept
 *
 * Stores or replaces the password for this account, protocol, host and user.
 */
void
pochta_secret_store_async (const char           *account_id,
                           PochtaServerProtocol  protocol,
                           const char           *host,
                           const char           *user,
                           const char           *password,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (account_id != NULL && account_id[0] != '\0');
  g_return_if_fail (host != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (pochta_secret_store_async, protocol, host, user, cancellable, callback, user_data);
  attributes = new_attributes (account_id, protocol, host, user);
  label = pochta_secret_dup_label (protocol, host, user);

  g_debug ("Storing the %s password of account %s for %s@%s",
           pochta_server_protocol_to_string (protocol), account_id, user, host);

  secret_password_storev (pochta_secret_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, password, cancellable, store_cb, g_steal_pointer (&task));
}

gboolean
pochta_secret_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_secret_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  char *password;

  /* Nonpageable: the password never sits in swappable memory. */
  password = secret_password_lookup_nonpageable_finish (result, &error);

  if (error != NULL)
    return_secret_error (task, error, _("Could not read the password from the keyring"));
  else if (password == NULL)
    g_task_return_new_error (task, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD,
                             _("No password is saved for %s on %s"),
                             request->user, request->host);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

/**
 * pochta_secret_lookup_async:
 *
 * Looks up the password stored by pochta_secret_store_async() with the
 * same four values.
 */
void
pochta_secret_lookup_async (const char           *account_id,
                            PochtaServerProtocol  protocol,
                            const char           *host,
                            const char           *user,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (account_id != NULL && account_id[0] != '\0');
  g_return_if_fail (host != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (pochta_secret_lookup_async, protocol, host, user, cancellable, callback, user_data);
  attributes = new_attributes (account_id, protocol, host, user);

  secret_password_lookupv (pochta_secret_get_schema (), attributes, cancellable,
                           lookup_cb, g_steal_pointer (&task));
}

/**
 * pochta_secret_lookup_finish:
 *
 * "Nothing stored" is not a keyring failure: it is
 * %POCHTA_ACCOUNT_ERROR_NO_PASSWORD, which the account shows as "needs
 * password". %POCHTA_ACCOUNT_ERROR_SECRET means the keyring itself failed.
 *
 * Returns: (transfer full) (nullable): the password; free it with
 *   pochta_secret_password_free(), which wipes it first.
 */
char *
pochta_secret_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_secret_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    return_secret_error (task, error, _("Could not remove the password from the keyring"));
  else
    g_task_return_boolean (task, removed);
}

/**
 * pochta_secret_clear_async:
 *
 * Removes the password stored for exactly these four values. Nothing
 * stored is not an error.
 */
void
pochta_secret_clear_async (const char           *account_id,
                           PochtaServerProtocol  protocol,
                           const char           *host,
                           const char           *user,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (account_id != NULL && account_id[0] != '\0');
  g_return_if_fail (host != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (pochta_secret_clear_async, protocol, host, user, cancellable, callback, user_data);
  attributes = new_attributes (account_id, protocol, host, user);

  secret_password_clearv (pochta_secret_get_schema (), attributes, cancellable,
                          clear_cb, g_steal_pointer (&task));
}

static gboolean
propagate_clear (GAsyncResult  *result,
                 gboolean      *removed,
                 GError       **error)
{
  GError *local_error = NULL;
  gboolean value;

  value = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (removed != NULL)
    *removed = value;

  return TRUE;
}

/**
 * pochta_secret_clear_finish:
 * @removed: (out) (optional): whether a password was there to remove
 *
 * Returns: %TRUE unless the keyring failed.
 */
gboolean
pochta_secret_clear_finish (GAsyncResult  *result,
                            gboolean      *removed,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_secret_clear_async, FALSE);

  return propagate_clear (result, removed, error);
}

/**
 * pochta_secret_clear_all_async:
 *
 * Removes every password of the account, whatever protocol, host or user
 * it was stored under (including those of settings changed since). For
 * removing an account.
 */
void
pochta_secret_clear_all_async (const char          *account_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (account_id != NULL && account_id[0] != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (pochta_secret_clear_all_async, POCHTA_SERVER_PROTOCOL_IMAP, NULL, NULL,
                   cancellable, callback, user_data);
  attributes = new_attributes (account_id, POCHTA_SERVER_PROTOCOL_IMAP, NULL, NULL);

  g_debug ("Removing every password of account %s", account_id);

  secret_password_clearv (pochta_secret_get_schema (), attributes, cancellable,
                          clear_cb, g_steal_pointer (&task));
}

/**
 * pochta_secret_clear_all_finish:
 * @removed: (out) (optional): whether any password was there to remove
 *
 * Returns: %TRUE unless the keyring failed.
 */
gboolean
pochta_secret_clear_all_finish (GAsyncResult  *result,
                                gboolean      *removed,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_secret_clear_all_async, FALSE);

  return propagate_clear (result, removed, error);
}

/**
 * pochta_secret_string_clear:
 * @password: (inout) (nullable): a password copied into ordinary memory
 *
 * Wipes, frees and clears a copy of a password that a connection or a
 * watcher keeps for itself (g_strdup()'d, not from the keyring).
 */
void
pochta_secret_string_clear (char **password)
{
  g_return_if_fail (password != NULL);

  if (*password != NULL)
    explicit_bzero (*password, strlen (*password));
  g_clear_pointer (password, g_free);
}

/**
 * pochta_secret_password_free:
 * @password: (nullable): what pochta_secret_lookup_finish() returned
 *
 * Wipes and frees a password.
 */
void
pochta_secret_password_free (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}
