/* pochta-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One mail account: its identities, servers, sync policy and what state it is in.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-error.h"
#include "pochta-account-private.h"
#include "pochta-account.h"

G_DEFINE_ENUM_TYPE (PochtaAccountState, pochta_account_state,
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_ONLINE, "online"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD, "needs-password"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_AUTH_FAILED, "auth-failed"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_TLS_ERROR, "tls-error"),
  G_DEFINE_ENUM_VALUE (POCHTA_ACCOUNT_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (PochtaSyncFolders, pochta_sync_folders,
  G_DEFINE_ENUM_VALUE (POCHTA_SYNC_FOLDERS_ALL, "all"),
  G_DEFINE_ENUM_VALUE (POCHTA_SYNC_FOLDERS_SUBSCRIBED, "subscribed"),
  G_DEFINE_ENUM_VALUE (POCHTA_SYNC_FOLDERS_LIST, "list"))

G_DEFINE_FINAL_TYPE (PochtaAccount, pochta_account, G_TYPE_OBJECT)

enum {
  CHANGED,
  RETRY_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[POCHTA_ACCOUNT_N_PROPS];
static guint signals[N_SIGNALS];

#define DEFAULT_POLL_INTERVAL   300
#define MIN_POLL_INTERVAL       60
#define DEFAULT_BODY_DAYS       30
#define DEFAULT_BODY_SIZE_LIMIT (2 * 1024 * 1024)

static void
emit_changed (PochtaAccount *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_pochta_account_notify (PochtaAccount     *self,
                        PochtaAccountProp  prop_id)
{
  g_assert (prop_id > POCHTA_ACCOUNT_PROP_0 && prop_id < POCHTA_ACCOUNT_N_PROPS);

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_pochta_account_emit_retry_requested (PochtaAccount *self)
{
  g_signal_emit (self, signals[RETRY_REQUESTED], 0);
}

static void
server_notify_cb (PochtaAccount *self)
{
  emit_changed (self);
}

/* Keeps at most one default identity: the last one that was made so. */
static void
ensure_single_default (PochtaAccount  *self,
                       PochtaIdentity *identity)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->identities));

  if (self->updating_default || !pochta_identity_get_is_default (identity))
    return;

  self->updating_default = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaIdentity) other = g_list_model_get_item (G_LIST_MODEL (self->identities), i);

      if (other != identity)
        pochta_identity_set_is_default (other, FALSE);
    }
  self->updating_default = FALSE;
}

static void
identity_notify_cb (PochtaAccount  *self,
                    GParamSpec     *pspec,
                    PochtaIdentity *identity)
{
  if (g_str_equal (pspec->name, "is-default"))
    ensure_single_default (self, identity);

  emit_changed (self);
}

static void
pochta_account_dispose (GObject *object)
{
  PochtaAccount *self = (PochtaAccount *) object;

  if (self->identities != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->identities));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PochtaIdentity) identity = g_list_model_get_item (G_LIST_MODEL (self->identities), i);

          g_signal_handlers_disconnect_by_data (identity, self);
        }
    }

  if (self->incoming != NULL)
    g_signal_handlers_disconnect_by_data (self->incoming, self);
  if (self->outgoing != NULL)
    g_signal_handlers_disconnect_by_data (self->outgoing, self);

  g_clear_object (&self->identities);
  g_clear_object (&self->incoming);
  g_clear_object (&self->outgoing);
  g_clear_object (&self->failed_server);

  G_OBJECT_CLASS (pochta_account_parent_class)->dispose (object);
}

static void
pochta_account_finalize (GObject *object)
{
  PochtaAccount *self = (PochtaAccount *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->sync_folder_list, g_strfreev);
  g_clear_pointer (&self->state_message, g_free);
  g_clear_pointer (&self->certificate_info, pochta_certificate_info_unref);

  G_OBJECT_CLASS (pochta_account_parent_class)->finalize (object);
}

static void
pochta_account_constructed (GObject *object)
{
  PochtaAccount *self = (PochtaAccount *) object;

  G_OBJECT_CLASS (pochta_account_parent_class)->constructed (object);

  /* The id keys the account's rows and keyring items for its whole life,
   * so it is made once here and never derived from anything editable. */
  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
pochta_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PochtaAccount *self = POCHTA_ACCOUNT (object);

  switch (prop_id)
    {
    case POCHTA_ACCOUNT_PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case POCHTA_ACCOUNT_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case POCHTA_ACCOUNT_PROP_IDENTITIES:
      g_value_set_object (value, self->identities);
      break;

    case POCHTA_ACCOUNT_PROP_INCOMING:
      g_value_set_object (value, self->incoming);
      break;

    case POCHTA_ACCOUNT_PROP_OUTGOING:
      g_value_set_object (value, self->outgoing);
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_FOLDERS:
      g_value_set_enum (value, self->sync_folders);
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_FOLDER_LIST:
      g_value_set_boxed (value, self->sync_folder_list);
      break;

    case POCHTA_ACCOUNT_PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;

    case POCHTA_ACCOUNT_PROP_BODY_DAYS:
      g_value_set_uint (value, self->body_days);
      break;

    case POCHTA_ACCOUNT_PROP_BODY_SIZE_LIMIT:
      g_value_set_uint64 (value, self->body_size_limit);
      break;

    case POCHTA_ACCOUNT_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case POCHTA_ACCOUNT_PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;

    case POCHTA_ACCOUNT_PROP_CERTIFICATE_INFO:
      g_value_set_boxed (value, self->certificate_info);
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_DONE:
      g_value_set_uint (value, self->sync_done);
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_TOTAL:
      g_value_set_uint (value, self->sync_total);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PochtaAccount *self = POCHTA_ACCOUNT (object);

  switch (prop_id)
    {
    case POCHTA_ACCOUNT_PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      if (self->id != NULL && self->id[0] == '\0')
        g_clear_pointer (&self->id, g_free);
      break;

    case POCHTA_ACCOUNT_PROP_DISPLAY_NAME:
      pochta_account_set_display_name (self, g_value_get_string (value));
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_FOLDERS:
      pochta_account_set_sync_folders (self, g_value_get_enum (value));
      break;

    case POCHTA_ACCOUNT_PROP_SYNC_FOLDER_LIST:
      pochta_account_set_sync_folder_list (self, g_value_get_boxed (value));
      break;

    case POCHTA_ACCOUNT_PROP_POLL_INTERVAL:
      pochta_account_set_poll_interval (self, g_value_get_uint (value));
      break;

    case POCHTA_ACCOUNT_PROP_BODY_DAYS:
      pochta_account_set_body_days (self, g_value_get_uint (value));
      break;

    case POCHTA_ACCOUNT_PROP_BODY_SIZE_LIMIT:
      pochta_account_set_body_size_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_account_class_init (PochtaAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pochta_account_constructed;
  object_class->dispose = pochta_account_dispose;
  object_class->finalize = pochta_account_finalize;
  object_class->get_property = pochta_account_get_property;
  object_class->set_property = pochta_account_set_property;

  properties[POCHTA_ACCOUNT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_IDENTITIES] =
    g_param_spec_object ("identities", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_INCOMING] =
    g_param_spec_object ("incoming", NULL, NULL,
                         POCHTA_TYPE_SERVER_CONFIG,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_OUTGOING] =
    g_param_spec_object ("outgoing", NULL, NULL,
                         POCHTA_TYPE_SERVER_CONFIG,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_SYNC_FOLDERS] =
    g_param_spec_enum ("sync-folders", NULL, NULL,
                       POCHTA_TYPE_SYNC_FOLDERS, POCHTA_SYNC_FOLDERS_ALL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The folders to sync when sync-folders is "list", as the server names
   * them (decoded from modified UTF-7). */
  properties[POCHTA_ACCOUNT_PROP_SYNC_FOLDER_LIST] =
    g_param_spec_boxed ("sync-folder-list", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Seconds between checks of folders without IDLE; 0 checks only on request. */
  properties[POCHTA_ACCOUNT_PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_POLL_INTERVAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_BODY_DAYS] =
    g_param_spec_uint ("body-days", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_BODY_DAYS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Bytes; larger messages wait until opened. 0 means no limit. */
  properties[POCHTA_ACCOUNT_PROP_BODY_SIZE_LIMIT] =
    g_param_spec_uint64 ("body-size-limit", NULL, NULL,
                         0, G_MAXUINT64, DEFAULT_BODY_SIZE_LIMIT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       POCHTA_TYPE_ACCOUNT_STATE, POCHTA_ACCOUNT_STATE_OFFLINE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_STATE_MESSAGE] =
    g_param_spec_string ("state-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_CERTIFICATE_INFO] =
    g_param_spec_boxed ("certificate-info", NULL, NULL,
                        POCHTA_TYPE_CERTIFICATE_INFO,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_SYNC_DONE] =
    g_param_spec_uint ("sync-done", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[POCHTA_ACCOUNT_PROP_SYNC_TOTAL] =
    g_param_spec_uint ("sync-total", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, POCHTA_ACCOUNT_N_PROPS, properties);

  /**
   * PochtaAccount::changed:
   *
   * A saved setting changed (in the account, a server or an identity),
   * so the store should write the account again. State never emits it.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * PochtaAccount::retry-requested:
   *
   * The person acted (a new password, an accepted certificate, "try
   * again"): connect now rather than wait for the next backoff step.
   */
  signals[RETRY_REQUESTED] =
    g_signal_new ("retry-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
pochta_account_init (PochtaAccount *self)
{
  self->display_name = g_strdup ("");
  self->identities = g_list_store_new (POCHTA_TYPE_IDENTITY);
  self->incoming = pochta_server_config_new (POCHTA_SERVER_PROTOCOL_IMAP);
  self->outgoing = pochta_server_config_new (POCHTA_SERVER_PROTOCOL_SMTP);
  self->sync_folders = POCHTA_SYNC_FOLDERS_ALL;
  self->sync_folder_list = g_new0 (char *, 1);
  self->poll_interval = DEFAULT_POLL_INTERVAL;
  self->body_days = DEFAULT_BODY_DAYS;
  self->body_size_limit = DEFAULT_BODY_SIZE_LIMIT;
  self->state = POCHTA_ACCOUNT_STATE_OFFLINE;

  g_signal_connect_swapped (self->incoming, "notify", G_CALLBACK (server_notify_cb), self);
  g_signal_connect_swapped (self->outgoing, "notify", G_CALLBACK (server_notify_cb), self);
}

/**
 * pochta_account_new:
 * @display_name: (nullable): what the account is called in the sidebar
 *
 * Returns: (transfer full): a new account with a fresh random id, an IMAP
 *   and an SMTP server on implicit TLS, no identity, and the default sync
 *   policy.
 */
PochtaAccount *
pochta_account_new (const char *display_name)
{
  return g_object_new (POCHTA_TYPE_ACCOUNT,
                       "display-name", display_name,
                       NULL);
}

const char *
pochta_account_get_id (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
pochta_account_get_display_name (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

void
pochta_account_set_display_name (PochtaAccount *self,
                                 const char    *display_name)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (_pochta_set_str (&self->display_name, display_name != NULL ? display_name : ""))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_DISPLAY_NAME]);
      emit_changed (self);
    }
}

/**
 * pochta_account_get_identities:
 *
 * Returns: (transfer none): a #GListModel of #PochtaIdentity, in the order
 *   they were added.
 */
GListModel *
pochta_account_get_identities (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return G_LIST_MODEL (self->identities);
}

/**
 * pochta_account_add_identity:
 *
 * Appends @identity. If it is marked default, the others stop being so.
 */
void
pochta_account_add_identity (PochtaAccount  *self,
                             PochtaIdentity *identity)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (POCHTA_IS_IDENTITY (identity));
  g_return_if_fail (!g_list_store_find (self->identities, identity, NULL));

  g_signal_connect_swapped (identity, "notify", G_CALLBACK (identity_notify_cb), self);
  g_list_store_append (self->identities, identity);

  ensure_single_default (self, identity);
  emit_changed (self);
}

gboolean
pochta_account_remove_identity (PochtaAccount  *self,
                                PochtaIdentity *identity)
{
  guint position;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (POCHTA_IS_IDENTITY (identity), FALSE);

  if (!g_list_store_find (self->identities, identity, &position))
    return FALSE;

  g_signal_handlers_disconnect_by_data (identity, self);
  g_list_store_remove (self->identities, position);
  emit_changed (self);

  return TRUE;
}

/**
 * pochta_account_get_default_identity:
 *
 * Returns: (transfer none) (nullable): the identity marked default, else
 *   the first one, else %NULL.
 */
PochtaIdentity *
pochta_account_get_default_identity (PochtaAccount *self)
{
  GListModel *model;
  guint n;
  PochtaIdentity *first = NULL;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  model = G_LIST_MODEL (self->identities);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaIdentity) identity = g_list_model_get_item (model, i);

      if (first == NULL)
        first = identity;
      if (pochta_identity_get_is_default (identity))
        return identity;
    }

  /* The store holds a reference, so the borrowed pointer stays valid. */
  return first;
}

/**
 * pochta_account_get_incoming:
 *
 * Returns: (transfer none): the IMAP (or POP3) server; edit it in place.
 */
PochtaServerConfig *
pochta_account_get_incoming (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->incoming;
}

/**
 * pochta_account_get_outgoing:
 *
 * Returns: (transfer none): the SMTP submission server; edit it in place.
 */
PochtaServerConfig *
pochta_account_get_outgoing (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return self->outgoing;
}

PochtaSyncFolders
pochta_account_get_sync_folders (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), POCHTA_SYNC_FOLDERS_ALL);

  return self->sync_folders;
}

void
pochta_account_set_sync_folders (PochtaAccount     *self,
                                 PochtaSyncFolders  sync_folders)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));
  g_return_if_fail (sync_folders <= POCHTA_SYNC_FOLDERS_LIST);

  if (self->sync_folders != sync_folders)
    {
      self->sync_folders = sync_folders;
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_SYNC_FOLDERS]);
      emit_changed (self);
    }
}

/**
 * pochta_account_get_sync_folder_list:
 *
 * Returns: (transfer none): the folders synced in %POCHTA_SYNC_FOLDERS_LIST
 *   mode; never %NULL, possibly empty.
 */
const char * const *
pochta_account_get_sync_folder_list (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->sync_folder_list;
}

void
pochta_account_set_sync_folder_list (PochtaAccount      *self,
                                     const char * const *folders)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (folders == NULL)
    folders = empty;

  if (!g_strv_equal ((const char * const *) self->sync_folder_list, folders))
    {
      g_strfreev (self->sync_folder_list);
      self->sync_folder_list = g_strdupv ((char **) folders);
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_SYNC_FOLDER_LIST]);
      emit_changed (self);
    }
}

guint
pochta_account_get_poll_interval (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), 0);

  return self->poll_interval;
}

void
pochta_account_set_poll_interval (PochtaAccount *self,
                                  guint          seconds)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (self->poll_interval != seconds)
    {
      self->poll_interval = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_POLL_INTERVAL]);
      emit_changed (self);
    }
}

/**
 * pochta_account_get_body_days:
 *
 * Returns: how many days back bodies are fetched in the background;
 *   %POCHTA_ACCOUNT_BODY_DAYS_NONE or %POCHTA_ACCOUNT_BODY_DAYS_ALL.
 */
guint
pochta_account_get_body_days (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), 0);

  return self->body_days;
}

void
pochta_account_set_body_days (PochtaAccount *self,
                              guint          days)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (self->body_days != days)
    {
      self->body_days = days;
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_BODY_DAYS]);
      emit_changed (self);
    }
}

guint64
pochta_account_get_body_size_limit (PochtaAccount *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), 0);

  return self->body_size_limit;
}

void
pochta_account_set_body_size_limit (PochtaAccount *self,
                                    guint64        bytes)
{
  g_return_if_fail (POCHTA_IS_ACCOUNT (self));

  if (self->body_size_limit != bytes)
    {
      self->body_size_limit = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[POCHTA_ACCOUNT_PROP_BODY_SIZE_LIMIT]);
      emit_changed (self);
    }
}

/**
 * pochta_account_validate:
 *
 * Checks the whole account before it is saved. The first problem comes
 * back as %POCHTA_ACCOUNT_ERROR_INVALID, prefixed with the part it is in
 * ("Incoming server: …") so the setup UI can show it as it is.
 *
 * Returns: %TRUE when the account can be saved and used.
 */
gboolean
pochta_account_validate (PochtaAccount  *self,
                         GError        **error)
{
  GListModel *identities;
  guint n_identities;
  PochtaServerProtocol incoming_protocol;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_pochta_str_is_blank (self->display_name))
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter a name for the account"));
      return FALSE;
    }

  identities = G_LIST_MODEL (self->identities);
  n_identities = g_list_model_get_n_items (identities);
  if (n_identities == 0)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter the email address of the account"));
      return FALSE;
    }

  for (guint i = 0; i < n_identities; i++)
    {
      g_autoptr(PochtaIdentity) identity = g_list_model_get_item (identities, i);

      if (!pochta_identity_validate (identity, error))
        return FALSE;
    }

  incoming_protocol = pochta_server_config_get_protocol (self->incoming);
  if (incoming_protocol != POCHTA_SERVER_PROTOCOL_IMAP &&
      incoming_protocol != POCHTA_SERVER_PROTOCOL_POP3)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Incoming mail needs an IMAP or POP3 server"));
      return FALSE;
    }

  if (!pochta_server_config_validate (self->incoming, error))
    {
      g_prefix_error (error, _("Incoming server: "));
      return FALSE;
    }

  if (pochta_server_config_get_protocol (self->outgoing) != POCHTA_SERVER_PROTOCOL_SMTP)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Outgoing mail needs an SMTP server"));
      return FALSE;
    }

  if (!pochta_server_config_validate (self->outgoing, error))
    {
      g_prefix_error (error, _("Outgoing server: "));
      return FALSE;
    }

  if (self->sync_folders == POCHTA_SYNC_FOLDERS_LIST && self->sync_folder_list[0] == NULL)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Choose at least one folder to keep in sync"));
      return FALSE;
    }

  /* More often than this is unkind to servers and batteries alike. */
  if (self->poll_interval != 0 && self->poll_interval < MIN_POLL_INTERVAL)
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("Check for new mail at most once every %u seconds"), MIN_POLL_INTERVAL);
      return FALSE;
    }

  return TRUE;
}

