/* pochta-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One mail account: its identities, servers, sync policy and what state it is in.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-certificate-info.h"
#include "pochta-identity.h"
#include "pochta-server-config.h"
#include "pochta-types.h"

G_BEGIN_DECLS

typedef enum
{
  POCHTA_ACCOUNT_STATE_OFFLINE,
  POCHTA_ACCOUNT_STATE_CONNECTING,
  POCHTA_ACCOUNT_STATE_ONLINE,
  POCHTA_ACCOUNT_STATE_SYNCING,
  /* NEEDS_PASSWORD, AUTH_FAILED and TLS_ERROR stop logins until the
   * person acts (see pochta_account_can_attempt_login()); ERROR does not. */
  POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD,
  POCHTA_ACCOUNT_STATE_AUTH_FAILED,
  POCHTA_ACCOUNT_STATE_TLS_ERROR,
  POCHTA_ACCOUNT_STATE_ERROR,
} PochtaAccountState;

typedef enum
{
  POCHTA_SYNC_FOLDERS_ALL,
  POCHTA_SYNC_FOLDERS_SUBSCRIBED,
  POCHTA_SYNC_FOLDERS_LIST,
} PochtaSyncFolders;

/* body-days: bodies are fetched only when a message is opened. */
#define POCHTA_ACCOUNT_BODY_DAYS_NONE 0
/* body-days: every body, however old. */
#define POCHTA_ACCOUNT_BODY_DAYS_ALL  G_MAXUINT

#define POCHTA_TYPE_ACCOUNT_STATE (pochta_account_state_get_type ())
#define POCHTA_TYPE_SYNC_FOLDERS  (pochta_sync_folders_get_type ())
#define POCHTA_TYPE_ACCOUNT       (pochta_account_get_type ())

GType pochta_account_state_get_type (void) G_GNUC_CONST;
GType pochta_sync_folders_get_type  (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PochtaAccount, pochta_account, POCHTA, ACCOUNT, GObject)

PochtaAccount         *pochta_account_new                    (const char             *display_name);
const char            *pochta_account_get_id                 (PochtaAccount          *self);
const char            *pochta_account_get_display_name       (PochtaAccount          *self);
void                   pochta_account_set_display_name       (PochtaAccount          *self,
                                                              const char             *display_name);

GListModel            *pochta_account_get_identities         (PochtaAccount          *self);
void                   pochta_account_add_identity           (PochtaAccount          *self,
                                                              PochtaIdentity         *identity);
gboolean               pochta_account_remove_identity        (PochtaAccount          *self,
                                                              PochtaIdentity         *identity);
PochtaIdentity        *pochta_account_get_default_identity   (PochtaAccount          *self);

PochtaServerConfig    *pochta_account_get_incoming           (PochtaAccount          *self);
PochtaServerConfig    *pochta_account_get_outgoing           (PochtaAccount          *self);

PochtaSyncFolders      pochta_account_get_sync_folders       (PochtaAccount          *self);
void                   pochta_account_set_sync_folders       (PochtaAccount          *self,
                                                              PochtaSyncFolders       sync_folders);
const char * const    *pochta_account_get_sync_folder_list   (PochtaAccount          *self);
void                   pochta_account_set_sync_folder_list   (PochtaAccount          *self,
                                                              const char * const     *folders);
guint                  pochta_account_get_poll_interval      (PochtaAccount          *self);
void                   pochta_account_set_poll_interval      (PochtaAccount          *self,
                                                              guint                   seconds);
guint                  pochta_account_get_body_days          (PochtaAccount          *self);
void                   pochta_account_set_body_days          (PochtaAccount          *self,
                                                              guint                   days);
guint64                pochta_account_get_body_size_limit    (PochtaAccount          *self);
void                   pochta_account_set_body_size_limit    (PochtaAccount          *self,
                                                              guint64                 bytes);

gboolean               pochta_account_validate               (PochtaAccount          *self,
                                                              GError                **error);
GVariant              *pochta_account_to_variant             (PochtaAccount          *self);
PochtaAccount         *pochta_account_new_from_variant       (GVariant               *variant,
                                                              GError                **error);

PochtaAccountState     pochta_account_get_state              (PochtaAccount          *self);
const char            *pochta_account_get_state_message      (PochtaAccount          *self);
PochtaCertificateInfo *pochta_account_get_certificate_info   (PochtaAccount          *self);
PochtaServerConfig    *pochta_account_get_failed_server      (PochtaAccount          *self);
guint                  pochta_account_get_sync_done          (PochtaAccount          *self);
guint                  pochta_account_get_sync_total         (PochtaAccount          *self);
void                   pochta_account_set_state              (PochtaAccount          *self,
                                                              PochtaAccountState      state);
void                   pochta_account_set_sync_progress      (PochtaAccount          *self,
                                                              guint                   done,
                                                              guint                   total);
void                   pochta_account_report_error           (PochtaAccount          *self,
                                                              const char             *message);
void                   pochta_account_report_needs_password  (PochtaAccount          *self,
                                                              PochtaServerConfig     *server);
void                   pochta_account_report_auth_failure    (PochtaAccount          *self,
                                                              PochtaServerConfig     *server,
                                                              const char             *message);
void                   pochta_account_report_tls_error       (PochtaAccount          *self,
                                                              PochtaServerConfig     *server,
                                                              PochtaCertificateInfo  *info,
                                                              const char             *message);
gboolean               pochta_account_can_attempt_login      (PochtaAccount          *self);
void                   pochta_account_retry                  (PochtaAccount          *self);
gboolean               pochta_account_accept_certificate     (PochtaAccount          *self);

void                   pochta_account_set_password_async     (PochtaAccount          *self,
                                                              PochtaServerConfig     *server,
                                                              const char             *password,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               pochta_account_set_password_finish    (PochtaAccount          *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void                   pochta_account_lookup_password_async  (PochtaAccount          *self,
                                                              PochtaServerConfig     *server,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
char                  *pochta_account_lookup_password_finish (PochtaAccount          *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void                   pochta_account_forget_passwords_async (PochtaAccount          *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               pochta_account_forget_passwords_finish
                                                             (PochtaAccount          *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
