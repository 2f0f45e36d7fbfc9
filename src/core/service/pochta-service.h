/* pochta-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account service: what the UI and pochta-cli talk to. It owns the
 * store and the accounts, runs each account's session (sync, IDLE, the
 * offline queue) and hands out list models and async operations.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-account.h"
#include "pochta-store.h"

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  POCHTA_SYNC_NONE   = 0,
  POCHTA_SYNC_BODIES = 1 << 0, /* every body, not only the account policy's */
} PochtaSyncFlags;

#define POCHTA_TYPE_SERVICE (pochta_service_get_type ())

/* Signals:
 *   "new-mail" (PochtaAccount *account, gint64 message_id): unread mail
 *     that IDLE or polling found in an Inbox after its first sync.
 *   "pending-changed" (PochtaAccount *account, guint n_pending): the
 *     account's offline queue grew or shrank.
 */

G_DECLARE_FINAL_TYPE (PochtaService, pochta_service, POCHTA, SERVICE, GObject)

/* @path: the cache database, NULL for the profile's default. Loads the
 * accounts; sessions start only with pochta_service_start(). */
void                  pochta_service_new_async             (const char            *path,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
PochtaService        *pochta_service_new_finish            (GAsyncResult          *result,
                                                            GError               **error);
/* Logs out, stops every session and closes the store. */
void                  pochta_service_shutdown_async        (PochtaService         *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_shutdown_finish       (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

PochtaStore          *pochta_service_get_store             (PochtaService         *self);

/* Sessions: connect, replay the queue, sync, then IDLE on the Inbox and
 * poll the rest, reconnecting with backoff and following the network. */
void                  pochta_service_start                 (PochtaService         *self);
void                  pochta_service_start_account         (PochtaService         *self,
                                                            PochtaAccount         *account);
gboolean              pochta_service_get_started           (PochtaService         *self);
/* One pass for @account (NULL: all): replay the queue, folder list, every
 * folder, then bodies (all of them with POCHTA_SYNC_BODIES, else per the
 * account's policy). Fails unless the pass completed. */
void                  pochta_service_sync_async            (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            PochtaSyncFlags        flags,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_sync_finish           (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* Ask for a sync soon (a refresh button); no-op without started sessions. */
void                  pochta_service_refresh               (PochtaService         *self,
                                                            PochtaAccount         *account);

/* Accounts (PochtaAccount), in display order. */
GListModel           *pochta_service_get_accounts          (PochtaService         *self);
/* By id, or else by display name, or else by an identity's address. */
PochtaAccount        *pochta_service_lookup_account        (PochtaService         *self,
                                                            const char            *name);
PochtaAccount        *pochta_service_get_account_for_folder (PochtaService        *self,
                                                             gint64                folder_id);
gint64                pochta_service_get_account_store_id  (PochtaService         *self,
                                                            PochtaAccount         *account);
/* Saves @account (validated) and its passwords (NULL: leave as they are)
 * and, once started, begins its session. */
void                  pochta_service_add_account_async     (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            const char            *incoming_password,
                                                            const char            *outgoing_password,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_add_account_finish    (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* Connects and logs in to @account's incoming (and outgoing, if set)
 * server with these passwords without saving anything: the "Test
 * connection" button. The error says exactly what failed (DNS, refused,
 * TLS with the certificate details, login). */
void                  pochta_service_test_account_async    (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            const char            *incoming_password,
                                                            const char            *outgoing_password,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_test_account_finish   (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* Saves an edited account (a pinned certificate, a new poll interval). */
void                  pochta_service_save_account_async    (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_save_account_finish   (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* Stops its session, deletes its cache and keyring items. */
void                  pochta_service_remove_account_async  (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              pochta_service_remove_account_finish (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* A new password after "needs password"/"auth failed": stored, then the
 * session tries again at once. */
void                  pochta_service_set_password_async    (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            const char            *password,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_set_password_finish   (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);
/* Pins the certificate of the account's TLS error and tries again. */
gboolean              pochta_service_trust_certificate     (PochtaService         *self,
                                                            PochtaAccount         *account);

/* An account's folders (PochtaFolder) in tree order (parents before
 * children, Inbox and special folders first), kept up to date. */
GListModel           *pochta_service_get_folders           (PochtaService         *self,
                                                            PochtaAccount         *account);
/* The children of @parent (NULL: top level), for GtkTreeListModel. */
GListModel           *pochta_service_get_child_folders     (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            PochtaFolder          *parent);
PochtaFolder         *pochta_service_get_folder            (PochtaService         *self,
                                                            gint64                 folder_id);
/* By display path ("Archive/2024") or raw name, case-insensitive for INBOX. */
PochtaFolder         *pochta_service_find_folder           (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            const char            *name);
PochtaFolder         *pochta_service_find_folder_by_role   (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            PochtaFolderRole       role);

/* A folder's messages (PochtaMessageSummary), newest first, lazy over SQL
 * pages and updated in place as the cache changes. Transfer full (the
 * other list models are transfer none: the service keeps them). */
GListModel           *pochta_service_get_messages          (PochtaService         *self,
                                                            gint64                 folder_id);
PochtaMessageSummary *pochta_service_get_message           (PochtaService         *self,
                                                            gint64                 message_id,
                                                            GError               **error);
GPtrArray            *pochta_service_list_attachments      (PochtaService         *self,
                                                            gint64                 message_id,
                                                            GError               **error);
GPtrArray            *pochta_service_search                (PochtaService         *self,
                                                            const char            *text,
                                                            gint64                 folder_id,
                                                            guint                  limit,
                                                            GError               **error);

/* The raw message: the cached copy at once, else fetched ahead of any
 * background work; offline and not cached is POCHTA_SERVICE_ERROR_OFFLINE. */
void                  pochta_service_get_body_async        (PochtaService         *self,
                                                            gint64                 message_id,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
GBytes               *pochta_service_get_body_finish       (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* Actions: shown by the cache at once, queued, replayed when online. All
 * finish with pochta_service_action_finish(). */
void                  pochta_service_set_flags_async       (PochtaService         *self,
                                                            const gint64          *message_ids,
                                                            guint                  n_messages,
                                                            PochtaMessageFlags     add,
                                                            PochtaMessageFlags     remove,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_move_async            (PochtaService         *self,
                                                            const gint64          *message_ids,
                                                            guint                  n_messages,
                                                            gint64                 dest_folder_id,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_copy_async            (PochtaService         *self,
                                                            const gint64          *message_ids,
                                                            guint                  n_messages,
                                                            gint64                 dest_folder_id,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_delete_async          (PochtaService         *self,
                                                            const gint64          *message_ids,
                                                            guint                  n_messages,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_mark_all_read_async   (PochtaService         *self,
                                                            gint64                 folder_id,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_append_async          (PochtaService         *self,
                                                            gint64                 folder_id,
                                                            GBytes                *raw,
                                                            PochtaMessageFlags     flags,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_create_folder_async   (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            const char            *name,
                                                            PochtaFolder          *parent,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_rename_folder_async   (PochtaService         *self,
                                                            PochtaFolder          *folder,
                                                            const char            *new_name,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
void                  pochta_service_delete_folder_async   (PochtaService         *self,
                                                            PochtaFolder          *folder,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_action_finish         (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* Sends @account's offline queue now (connecting if needed); fails if
 * the server cannot be reached. */
void                  pochta_service_flush_async           (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              pochta_service_flush_finish          (PochtaService         *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* The offline queue of @account (PochtaPendingOp), oldest first. */
GPtrArray            *pochta_service_list_pending          (PochtaService         *self,
                                                            PochtaAccount         *account,
                                                            GError               **error);

G_END_DECLS
