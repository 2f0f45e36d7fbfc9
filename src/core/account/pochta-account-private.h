/* pochta-account-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared inside src/core/account only: a{sv} helpers and the account's instance struct.
 */

#pragma once

#include <glib-object.h>

#include "pochta-account.h"

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76; this is the same, for 2.74. */
static inline gboolean
_pochta_set_str (char       **str_pointer,
                 const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static inline gboolean
_pochta_str_is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (; *str != '\0'; str++)
    {
      if (!g_ascii_isspace (*str))
        return FALSE;
    }

  return TRUE;
}

/* Every *_to_variant() writes this; *_new_from_variant() refuses newer ones. */
#define POCHTA_ACCOUNT_VARIANT_VERSION 1

/* The a{sv} readers leave *value untouched when @key is absent (so callers
 * preset defaults) and fail with POCHTA_ACCOUNT_ERROR_INVALID when it has
 * the wrong type or an unknown enum nick. */
gboolean _pochta_variant_check_dict    (GVariant          *variant,
                                        const char        *what,
                                        GError           **error);
gboolean _pochta_variant_lookup_string (GVariantDict      *dict,
                                        const char        *key,
                                        char             **value,
                                        GError           **error);
gboolean _pochta_variant_lookup_strv   (GVariantDict      *dict,
                                        const char        *key,
                                        char            ***value,
                                        GError           **error);
gboolean _pochta_variant_lookup_uint32 (GVariantDict      *dict,
                                        const char        *key,
                                        guint32           *value,
                                        GError           **error);
gboolean _pochta_variant_lookup_uint64 (GVariantDict      *dict,
                                        const char        *key,
                                        guint64           *value,
                                        GError           **error);
gboolean _pochta_variant_lookup_bool   (GVariantDict      *dict,
                                        const char        *key,
                                        gboolean          *value,
                                        GError           **error);
gboolean _pochta_variant_lookup_enum   (GVariantDict      *dict,
                                        const char        *key,
                                        GType              enum_type,
                                        int               *value,
                                        GError           **error);
gboolean _pochta_variant_check_version (GVariantDict      *dict,
                                        GError           **error);
void     _pochta_variant_add_enum      (GVariantBuilder   *builder,
                                        const char        *key,
                                        GType              enum_type,
                                        int                value);

/* The account's fields, for its sibling files (pochta-account-state.c). */
struct _PochtaAccount
{
  GObject                parent_instance;

  char                  *id;
  char                  *display_name;
  GListStore            *identities;
  PochtaServerConfig    *incoming;
  PochtaServerConfig    *outgoing;

  PochtaSyncFolders      sync_folders;
  char                 **sync_folder_list;
  guint                  poll_interval;
  guint                  body_days;
  guint64                body_size_limit;

  PochtaAccountState     state;
  char                  *state_message;
  PochtaCertificateInfo *certificate_info;
  PochtaServerConfig    *failed_server;
  guint                  sync_done;
  guint                  sync_total;

  /* Set by a failure only the person can fix (password, certificate);
   * cleared only by pochta_account_retry() and what calls it. */
  guint                  login_blocked : 1;
  guint                  updating_default : 1;
};

typedef enum
{
  POCHTA_ACCOUNT_PROP_0,
  POCHTA_ACCOUNT_PROP_ID,
  POCHTA_ACCOUNT_PROP_DISPLAY_NAME,
  POCHTA_ACCOUNT_PROP_IDENTITIES,
  POCHTA_ACCOUNT_PROP_INCOMING,
  POCHTA_ACCOUNT_PROP_OUTGOING,
  POCHTA_ACCOUNT_PROP_SYNC_FOLDERS,
  POCHTA_ACCOUNT_PROP_SYNC_FOLDER_LIST,
  POCHTA_ACCOUNT_PROP_POLL_INTERVAL,
  POCHTA_ACCOUNT_PROP_BODY_DAYS,
  POCHTA_ACCOUNT_PROP_BODY_SIZE_LIMIT,
  POCHTA_ACCOUNT_PROP_STATE,
  POCHTA_ACCOUNT_PROP_STATE_MESSAGE,
  POCHTA_ACCOUNT_PROP_CERTIFICATE_INFO,
  POCHTA_ACCOUNT_PROP_SYNC_DONE,
  POCHTA_ACCOUNT_PROP_SYNC_TOTAL,
  POCHTA_ACCOUNT_N_PROPS
} PochtaAccountProp;


void     _pochta_account_notify               (PochtaAccount     *self,
                                               PochtaAccountProp  prop_id);
void     _pochta_account_emit_retry_requested (PochtaAccount     *self);

G_END_DECLS
