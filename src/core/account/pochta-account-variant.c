/* pochta-account-variant.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts to and from a GVariant dictionary, the form the store saves.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-error.h"
#include "pochta-account-private.h"
#include "pochta-account.h"

static void
set_damaged (GError     **error,
             const char  *detail)
{
  /* The detail is technical and stays untranslated; it is for bug reports. */
  g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
               _("The saved account settings are damaged (%s)"), detail);
}

gboolean
_pochta_variant_check_dict (GVariant    *variant,
                            const char  *what,
                            GError     **error)
{
  g_autofree char *detail = NULL;

  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return TRUE;

  detail = g_strdup_printf ("%s is of type %s, not a{sv}", what, g_variant_get_type_string (variant));
  set_damaged (error, detail);
  return FALSE;
}

static gboolean
lookup_typed (GVariantDict        *dict,
              const char          *key,
              const GVariantType  *type,
              GVariant           **value,
              GError             **error)
{
  g_autoptr(GVariant) found = g_variant_dict_lookup_value (dict, key, NULL);

  *value = NULL;

  if (found == NULL)
    return TRUE;

  if (!g_variant_is_of_type (found, type))
    {
      g_autofree char *detail = g_strdup_printf ("“%s” is of type %s, not %s", key,
                                                 g_variant_get_type_string (found),
                                                 g_variant_type_peek_string (type));

      set_damaged (error, detail);
      return FALSE;
    }

  *value = g_steal_pointer (&found);
  return TRUE;
}

gboolean
_pochta_variant_lookup_string (GVariantDict  *dict,
                               const char    *key,
                               char         **value,
                               GError       **error)
{
  g_autoptr(GVariant) found = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_STRING, &found, error))
    return FALSE;

  if (found != NULL)
    {
      g_free (*value);
      *value = g_variant_dup_string (found, NULL);
    }

  return TRUE;
}

gboolean
_pochta_variant_lookup_strv (GVariantDict   *dict,
                             const char     *key,
                             char         ***value,
                             GError        **error)
{
  g_autoptr(GVariant) found = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_STRING_ARRAY, &found, error))
    return FALSE;

  if (found != NULL)
    {
      g_strfreev (*value);
      *value = g_variant_dup_strv (found, NULL);
    }

  return TRUE;
}

gboolean
_pochta_variant_lookup_uint32 (GVariantDict  *dict,
                               const char    *key,
                               guint32       *value,
                               GError       **error)
{
  g_autoptr(GVariant) found = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_UINT32, &found, error))
    return FALSE;

  if (found != NULL)
    *value = g_variant_get_uint32 (found);

  return TRUE;
}

gboolean
_pochta_variant_lookup_uint64 (GVariantDict  *dict,
                               const char    *key,
                               guint64       *value,
                               GError       **error)
{
  g_autoptr(GVariant) found = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_UINT64, &found, error))
    return FALSE;

  if (found != NULL)
    *value = g_variant_get_uint64 (found);

  return TRUE;
}

gboolean
_pochta_variant_lookup_bool (GVariantDict  *dict,
                             const char    *key,
                             gboolean      *value,
                             GError       **error)
{
  g_autoptr(GVariant) found = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_BOOLEAN, &found, error))
    return FALSE;

  if (found != NULL)
    *value = g_variant_get_boolean (found);

  return TRUE;
}

gboolean
_pochta_variant_lookup_enum (GVariantDict  *dict,
                             const char    *key,
                             GType          enum_type,
                             int           *value,
                             GError       **error)
{
  g_autoptr(GEnumClass) enum_class = NULL;
  g_autoptr(GVariant) found = NULL;
  const char *nick;
  GEnumValue *enum_value;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_STRING, &found, error))
    return FALSE;

  if (found == NULL)
    return TRUE;

  nick = g_variant_get_string (found, NULL);
  enum_class = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value_by_nick (enum_class, nick);

  if (enum_value == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("“%s” is “%s”, not a %s", key, nick,
                                                 g_type_name (enum_type));

      set_damaged (error, detail);
      return FALSE;
    }

  *value = enum_value->value;
  return TRUE;
}

gboolean
_pochta_variant_check_version (GVariantDict  *dict,
                               GError       **error)
{
  guint32 version = POCHTA_ACCOUNT_VARIANT_VERSION;

  if (!_pochta_variant_lookup_uint32 (dict, "version", &version, error))
    return FALSE;

  /* Older shapes are read with defaults for what they lack; a newer one may
   * mean something we would silently lose by saving it back. */
  if (version > POCHTA_ACCOUNT_VARIANT_VERSION)
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("These account settings were saved by a newer version of Pochta (format %u)"),
                   version);
      return FALSE;
    }

  return TRUE;
}

void
_pochta_variant_add_enum (GVariantBuilder *builder,
                          const char      *key,
                          GType            enum_type,
                          int              value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  g_assert (enum_value != NULL);

  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (enum_value->value_nick));
}

/**
 * pochta_account_to_variant:
 *
 * Everything the person configured, and nothing of the current state or
 * any password. The keys are the property names, so the store may keep
 * the whole dictionary in one column (g_variant_get_data_as_bytes() of
 * type a{sv}) or spread the top-level keys over columns:
 *
 * |[
 * { 'version':          <uint32 1>,
 *   'id':               <'5b1c…'>,            (stable, from g_uuid_string_random())
 *   'display-name':     <'Work'>,
 *   'identities':       <[{…}, …]>,           (aa{sv}, see pochta_identity_to_variant())
 *   'incoming':         <{…}>,                (a{sv}, see pochta_server_config_to_variant())
 *   'outgoing':         <{…}>,
 *   'sync-folders':     <'all'>,              ('all', 'subscribed' or 'list')
 *   'sync-folder-list': <['INBOX', 'Work']>,
 *   'poll-interval':    <uint32 300>,         (seconds; 0 = only on request)
 *   'body-days':        <uint32 30>,          (0 = on open only; 4294967295 = all)
 *   'body-size-limit':  <uint64 2097152> }    (bytes; 0 = no limit)
 * ]|
 *
 * Returns: (transfer floating): the account as a dictionary.
 */
GVariant *
pochta_account_to_variant (PochtaAccount *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) identities = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  guint n;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->identities));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaIdentity) identity = g_list_model_get_item (G_LIST_MODEL (self->identities), i);

      g_variant_builder_add_value (&identities, pochta_identity_to_variant (identity));
    }

  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_uint32 (POCHTA_ACCOUNT_VARIANT_VERSION));
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (self->id));
  g_variant_builder_add (&builder, "{sv}", "display-name", g_variant_new_string (self->display_name));
  g_variant_builder_add (&builder, "{sv}", "identities", g_variant_builder_end (&identities));
  g_variant_builder_add (&builder, "{sv}", "incoming", pochta_server_config_to_variant (self->incoming));
  g_variant_builder_add (&builder, "{sv}", "outgoing", pochta_server_config_to_variant (self->outgoing));
  _pochta_variant_add_enum (&builder, "sync-folders", POCHTA_TYPE_SYNC_FOLDERS, self->sync_folders);
  g_variant_builder_add (&builder, "{sv}", "sync-folder-list",
                         g_variant_new_strv ((const char * const *) self->sync_folder_list, -1));
  g_variant_builder_add (&builder, "{sv}", "poll-interval", g_variant_new_uint32 (self->poll_interval));
  g_variant_builder_add (&builder, "{sv}", "body-days", g_variant_new_uint32 (self->body_days));
  g_variant_builder_add (&builder, "{sv}", "body-size-limit", g_variant_new_uint64 (self->body_size_limit));

  return g_variant_builder_end (&builder);
}

/* The account owns its server objects (the UI binds to them), so a saved
 * configuration is copied into them rather than swapped in. */
static gboolean
load_server (GVariantDict        *dict,
             const char          *key,
             PochtaServerConfig  *server,
             GError             **error)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(PochtaServerConfig) saved = NULL;

  if (!lookup_typed (dict, key, G_VARIANT_TYPE_VARDICT, &value, error))
    return FALSE;

  if (value == NULL)
    return TRUE;

  saved = pochta_server_config_new_from_variant (value, error);
  if (saved == NULL)
    return FALSE;

  pochta_server_config_set_protocol (server, pochta_server_config_get_protocol (saved));
  pochta_server_config_set_host (server, pochta_server_config_get_host (saved));
  pochta_server_config_set_port (server, pochta_server_config_get_port (saved));
  pochta_server_config_set_tls_mode (server, pochta_server_config_get_tls_mode (saved));
  pochta_server_config_set_user_name (server, pochta_server_config_get_user_name (saved));
  pochta_server_config_set_auth_mechanism (server, pochta_server_config_get_auth_mechanism (saved));
  pochta_server_config_set_pinned_fingerprint (server, pochta_server_config_get_pinned_fingerprint (saved));
  pochta_server_config_set_allow_insecure (server, pochta_server_config_get_allow_insecure (saved));

  return TRUE;
}

static gboolean
load_identities (GVariantDict   *dict,
                 PochtaAccount  *account,
                 GError        **error)
{
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  GVariant *child;

  if (!lookup_typed (dict, "identities", G_VARIANT_TYPE ("aa{sv}"), &value, error))
    return FALSE;

  if (value == NULL)
    return TRUE;

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(PochtaIdentity) identity = pochta_identity_new_from_variant (owned, error);

      if (identity == NULL)
        return FALSE;

      pochta_account_add_identity (account, identity);
    }

  return TRUE;
}

/**
 * pochta_account_new_from_variant:
 * @variant: what pochta_account_to_variant() returned, possibly from an
 *   older version of Pochta
 *
 * Absent keys keep their defaults and unknown keys are ignored; a wrong
 * type, an unknown enum value, a missing id or a newer version is an
 * error, so a damaged row never becomes a half-empty account.
 *
 * Returns: (transfer full) (nullable): the account, in the offline state,
 *   or %NULL with %POCHTA_ACCOUNT_ERROR_INVALID.
 */
PochtaAccount *
pochta_account_new_from_variant (GVariant  *variant,
                                 GError   **error)
{
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(PochtaAccount) account = NULL;
  g_autofree char *id = NULL;
  g_autofree char *display_name = NULL;
  g_auto(GStrv) folder_list = NULL;
  int sync_folders = POCHTA_SYNC_FOLDERS_ALL;
  guint32 poll_interval;
  guint32 body_days;
  guint64 body_size_limit;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_pochta_variant_check_dict (variant, "account", error))
    return NULL;

  dict = g_variant_dict_new (variant);

  if (!_pochta_variant_check_version (dict, error) ||
      !_pochta_variant_lookup_string (dict, "id", &id, error))
    return NULL;

  if (id == NULL || id[0] == '\0')
    {
      set_damaged (error, "no id");
      return NULL;
    }

  account = g_object_new (POCHTA_TYPE_ACCOUNT, "id", id, NULL);
  poll_interval = account->poll_interval;
  body_days = account->body_days;
  body_size_limit = account->body_size_limit;

  if (!_pochta_variant_lookup_string (dict, "display-name", &display_name, error) ||
      !_pochta_variant_lookup_enum (dict, "sync-folders", POCHTA_TYPE_SYNC_FOLDERS, &sync_folders, error) ||
      !_pochta_variant_lookup_strv (dict, "sync-folder-list", &folder_list, error) ||
      !_pochta_variant_lookup_uint32 (dict, "poll-interval", &poll_interval, error) ||
      !_pochta_variant_lookup_uint32 (dict, "body-days", &body_days, error) ||
      !_pochta_variant_lookup_uint64 (dict, "body-size-limit", &body_size_limit, error) ||
      !load_server (dict, "incoming", account->incoming, error) ||
      !load_server (dict, "outgoing", account->outgoing, error) ||
      !load_identities (dict, account, error))
    return NULL;

  pochta_account_set_display_name (account, display_name);
  pochta_account_set_sync_folders (account, sync_folders);
  pochta_account_set_sync_folder_list (account, (const char * const *) folder_list);
  pochta_account_set_poll_interval (account, poll_interval);
  pochta_account_set_body_days (account, body_days);
  pochta_account_set_body_size_limit (account, body_size_limit);

  return g_steal_pointer (&account);
}
