/* pochta-folder-sync.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bringing the cache in step with one IMAP account over a logged-in
 * client: the folder list, one folder's messages and flags, and bodies.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-account.h"
#include "pochta-imap-client.h"
#include "pochta-store.h"

G_BEGIN_DECLS

/* Local rows that wait for the server to give them a UID (a message moved
 * or appended offline) carry uid = POCHTA_SYNC_PLACEHOLDER_UID_BASE +
 * their row id; no real IMAP UID is that large, and sync never compares or
 * removes them. */
#define POCHTA_SYNC_PLACEHOLDER_UID_BASE (G_GINT64_CONSTANT (1) << 32)

/* Called on the main thread as a folder fills: @done of @total messages. */
typedef void (*PochtaSyncProgressFunc) (guint    done,
                                        guint    total,
                                        gpointer user_data);

/* LIST (with SPECIAL-USE and subscription state) into the folders table:
 * new folders added, renamed ones renamed in place (same UIDVALIDITY),
 * vanished ones removed with their messages. Returns the PochtaFolders to
 * sync under @selection, Inbox first, then by role, then by name. */
void          pochta_sync_folder_list_async  (PochtaImapClient        *client,
                                              PochtaStore             *store,
                                              gint64                   account_id,
                                              PochtaSyncFolders        selection,
                                              const char * const      *folder_list,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
GPtrArray    *pochta_sync_folder_list_finish (GAsyncResult            *result,
                                              GError                 **error);

/* One folder: UIDVALIDITY check (changed: the cache of that folder is
 * dropped first), new headers newest first in batches, then flags and
 * expunges (QRESYNC/CONDSTORE since the stored HIGHESTMODSEQ, or a
 * UID FLAGS sweep). Leaves the folder selected. */
void          pochta_sync_folder_async       (PochtaImapClient        *client,
                                              PochtaStore             *store,
                                              gint64                   folder_id,
                                              PochtaSyncProgressFunc   progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
gboolean      pochta_sync_folder_finish      (GAsyncResult            *result,
                                              GError                 **error);

/* The whole raw message of one cached row, fetched (BODY.PEEK[]), stored
 * with its text in the FTS index, and returned. */
void          pochta_sync_fetch_body_async   (PochtaImapClient        *client,
                                              PochtaStore             *store,
                                              gint64                   message_id,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
GBytes       *pochta_sync_fetch_body_finish  (GAsyncResult            *result,
                                              GError                 **error);

/* Background bodies: up to @max_messages of the folder's newest messages
 * without a body, no older than @since (Unix time, 0: any) and no larger
 * than @size_limit (0: any). Returns how many it stored; 0 means done. */
void          pochta_sync_fetch_bodies_async (PochtaImapClient        *client,
                                              PochtaStore             *store,
                                              gint64                   folder_id,
                                              gint64                   since,
                                              guint64                  size_limit,
                                              guint                    max_messages,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
gssize        pochta_sync_fetch_bodies_finish (GAsyncResult           *result,
                                               GError                **error);

G_END_DECLS
