/* pochta-imap-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One IMAP session on a PochtaConnection: pipelined commands, typed results, IDLE.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-connection.h"
#include "pochta-imap-capabilities.h"
#include "pochta-imap-data.h"
#include "pochta-imap-fetch.h"
#include "pochta-imap-mailbox-state.h"
#include "pochta-imap-parser.h"
#include "pochta-imap-sequence-set.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_IMAP_CLIENT       (pochta_imap_client_get_type ())
#define POCHTA_TYPE_IMAP_CLIENT_STATE (pochta_imap_client_state_get_type ())

typedef enum
{
  POCHTA_IMAP_CLIENT_STATE_DISCONNECTED,
  POCHTA_IMAP_CLIENT_STATE_CONNECTING,
  POCHTA_IMAP_CLIENT_STATE_NOT_AUTHENTICATED,
  POCHTA_IMAP_CLIENT_STATE_AUTHENTICATED,
  POCHTA_IMAP_CLIENT_STATE_SELECTED,
} PochtaImapClientState;

typedef enum
{
  POCHTA_IMAP_SELECT_NONE      = 0,
  POCHTA_IMAP_SELECT_READ_ONLY = 1 << 0, /* EXAMINE */
  POCHTA_IMAP_SELECT_CONDSTORE = 1 << 1, /* (CONDSTORE): MODSEQ in answers */
} PochtaImapSelectFlags;

typedef enum
{
  POCHTA_IMAP_STORE_ADD,     /* +FLAGS */
  POCHTA_IMAP_STORE_REMOVE,  /* -FLAGS */
  POCHTA_IMAP_STORE_REPLACE, /* FLAGS */
} PochtaImapStoreAction;

GType pochta_imap_client_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PochtaImapClient, pochta_imap_client, POCHTA, IMAP_CLIENT, GObject)

/* Called once per FETCH answer of a uid_fetch, in the order they arrive;
 * the fetch is only valid during the call. */
typedef void (*PochtaImapFetchFunc) (PochtaImapClient      *client,
                                     const PochtaImapFetch *fetch,
                                     gpointer               user_data);

/* The same, for callers that read the items in place: only valid during
 * the call. An error fails the fetch once it ends (the other messages
 * are still given). */
typedef gboolean (*PochtaImapFetchViewFunc) (PochtaImapClient           *client,
                                             const PochtaImapFetchView  *view,
                                             gpointer                    user_data,
                                             GError                    **error);

PochtaImapClient             *pochta_imap_client_new                      (PochtaConnection         *connection);
PochtaConnection             *pochta_imap_client_get_connection           (PochtaImapClient         *self);
PochtaImapClientState         pochta_imap_client_get_state                (PochtaImapClient         *self);
const PochtaImapCapabilities *pochta_imap_client_get_capabilities         (PochtaImapClient         *self);
gboolean                      pochta_imap_client_has_capability           (PochtaImapClient         *self,
                                                                           PochtaImapCapabilityFlags flag);
const PochtaImapMailboxState *pochta_imap_client_get_selected             (PochtaImapClient         *self);
const char                   *pochta_imap_client_get_greeting             (PochtaImapClient         *self);
gboolean                      pochta_imap_client_get_allow_plaintext_auth (PochtaImapClient         *self);
void                          pochta_imap_client_set_allow_plaintext_auth (PochtaImapClient         *self,
                                                                           gboolean                  allow);
guint                         pochta_imap_client_get_command_timeout      (PochtaImapClient         *self);
void                          pochta_imap_client_set_command_timeout      (PochtaImapClient         *self,
                                                                           guint                     seconds);
guint                         pochta_imap_client_get_idle_timeout         (PochtaImapClient         *self);
void                          pochta_imap_client_set_idle_timeout         (PochtaImapClient         *self,
                                                                           guint                     seconds);
gboolean                      pochta_imap_client_is_idling                (PochtaImapClient         *self);
gboolean                      pochta_imap_client_is_compressed            (PochtaImapClient         *self);
gboolean                      pochta_imap_client_is_enabled               (PochtaImapClient         *self,
                                                                           PochtaImapCapabilityFlags flag);
guint                         pochta_imap_client_get_n_commands           (PochtaImapClient         *self);
guint64                       pochta_imap_client_get_bytes_read           (PochtaImapClient         *self);
void                          pochta_imap_client_set_limits               (PochtaImapClient         *self,
                                                                           const PochtaImapLimits   *limits);
char                         *pochta_imap_client_error_get_code           (const GError             *error);

/* Session: pochta-imap-client.c */
void                          pochta_imap_client_connect_async            (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_connect_finish           (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_login_async              (PochtaImapClient         *self,
                                                                           const char               *username,
                                                                           const char               *password,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_login_finish             (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_capability_async         (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_capability_finish        (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_logout_async             (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_logout_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);

/* Simple commands: pochta-imap-client-commands.c */
void                          pochta_imap_client_noop_async               (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_noop_finish              (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_id_async                 (PochtaImapClient         *self,
                                                                           GHashTable               *client_id,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
GHashTable                   *pochta_imap_client_id_finish                (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_enable_async             (PochtaImapClient         *self,
                                                                           const char * const       *extensions,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
char                        **pochta_imap_client_enable_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_namespace_async          (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
PochtaImapNamespaces         *pochta_imap_client_namespace_finish         (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_list_async               (PochtaImapClient         *self,
                                                                           const char               *reference,
                                                                           const char               *pattern,
                                                                           PochtaImapStatusItems     status_items,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
GPtrArray                    *pochta_imap_client_list_finish              (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GPtrArray               **statuses,
                                                                           GError                  **error);
void                          pochta_imap_client_lsub_async               (PochtaImapClient         *self,
                                                                           const char               *reference,
                                                                           const char               *pattern,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
GPtrArray                    *pochta_imap_client_lsub_finish              (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_status_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           PochtaImapStatusItems     items,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
PochtaImapMailboxStatus      *pochta_imap_client_status_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_create_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_create_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_delete_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_delete_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_rename_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           const char               *new_name,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_rename_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_subscribe_async          (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           gboolean                  subscribe,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_subscribe_finish         (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_select_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           PochtaImapSelectFlags     flags,
                                                                           guint32                   qresync_uidvalidity,
                                                                           guint64                   qresync_modseq,
                                                                           const PochtaImapSequenceSet *qresync_known_uids,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
PochtaImapMailboxState       *pochta_imap_client_select_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_unselect_async           (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_unselect_finish          (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);

/* Messages: pochta-imap-client-messages.c */
void                          pochta_imap_client_uid_fetch_async          (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           const char               *items,
                                                                           guint64                   changed_since,
                                                                           gboolean                  vanished,
                                                                           PochtaImapFetchFunc       func,
                                                                           gpointer                  func_data,
                                                                           GDestroyNotify            func_data_destroy,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
void                          pochta_imap_client_uid_fetch_view_async     (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           const char               *items,
                                                                           PochtaImapFetchViewFunc   func,
                                                                           gpointer                  func_data,
                                                                           GDestroyNotify            func_data_destroy,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
GPtrArray                    *pochta_imap_client_uid_fetch_finish         (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           PochtaImapSequenceSet   **vanished,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_fetch_body_async     (PochtaImapClient         *self,
                                                                           guint32                   uid,
                                                                           const char               *section,
                                                                           GOutputStream            *output,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
guint64                       pochta_imap_client_uid_fetch_body_finish    (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_search_async         (PochtaImapClient         *self,
                                                                           const char               *criteria,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
PochtaImapSequenceSet        *pochta_imap_client_uid_search_finish        (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_store_async          (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           PochtaImapStoreAction     action,
                                                                           const char * const       *flags,
                                                                           gboolean                  silent,
                                                                           guint64                   unchanged_since,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
GPtrArray                    *pochta_imap_client_uid_store_finish         (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           PochtaImapSequenceSet   **modified,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_copy_async           (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           const char               *destination,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_uid_copy_finish          (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           guint32                  *uidvalidity,
                                                                           PochtaImapSequenceSet   **source_uids,
                                                                           PochtaImapSequenceSet   **destination_uids,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_move_async           (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           const char               *destination,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_uid_move_finish          (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           guint32                  *uidvalidity,
                                                                           PochtaImapSequenceSet   **source_uids,
                                                                           PochtaImapSequenceSet   **destination_uids,
                                                                           GError                  **error);
void                          pochta_imap_client_uid_expunge_async        (PochtaImapClient         *self,
                                                                           const PochtaImapSequenceSet *uids,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_uid_expunge_finish       (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_append_async             (PochtaImapClient         *self,
                                                                           const char               *mailbox,
                                                                           const char * const       *flags,
                                                                           GDateTime                *internal_date,
                                                                           GBytes                   *message,
                                                                           GInputStream             *stream,
                                                                           guint64                   stream_size,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_append_finish            (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           guint32                  *uidvalidity,
                                                                           guint32                  *uid,
                                                                           GError                  **error);

/* IDLE and COMPRESS: pochta-imap-client-idle.c */
void                          pochta_imap_client_idle_start_async         (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_idle_start_finish        (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_idle_stop_async          (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_idle_stop_finish         (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);
void                          pochta_imap_client_compress_async           (PochtaImapClient         *self,
                                                                           GCancellable             *cancellable,
                                                                           GAsyncReadyCallback       callback,
                                                                           gpointer                  user_data);
gboolean                      pochta_imap_client_compress_finish          (PochtaImapClient         *self,
                                                                           GAsyncResult             *result,
                                                                           GError                  **error);

G_END_DECLS
