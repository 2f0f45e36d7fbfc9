/* pochta-sync-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sync files share: turning IMAP FETCH data into cache records,
 * and the few queries and switches of folder sync that tests reach for.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-folder-sync.h"
#include "pochta-imap-fetch.h"
#include "pochta-message.h"
#include "pochta-store-records.h"
#include "pochta-store-transaction.h"

G_BEGIN_DECLS

/* The items of a header fetch; MODSEQ is added when the mailbox has them. */
#define POCHTA_SYNC_HEADER_ITEMS \
  "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (REFERENCES)]"

/* Every query of sync keeps to real UIDs: rows at or above
 * POCHTA_SYNC_PLACEHOLDER_UID_BASE wait for an offline operation. */
#define POCHTA_SYNC_REAL_UID "uid < 4294967296"

typedef enum
{
  POCHTA_SYNC_FOLDER_FLAGS_NONE         = 0,
  /* Act as if the session had not enabled QRESYNC. */
  POCHTA_SYNC_FOLDER_FLAGS_NO_QRESYNC   = 1 << 0,
  /* Act as if the server had neither CONDSTORE nor QRESYNC: UID FLAGS sweep. */
  POCHTA_SYNC_FOLDER_FLAGS_NO_CONDSTORE = 1 << 1,
  /* Header batches and sweep chunks of a few messages, so that tests see
   * several in flight on a small mailbox. */
  POCHTA_SYNC_FOLDER_FLAGS_SMALL_BATCHES = 1 << 2,
} PochtaSyncFolderFlags;

PochtaMessageFlags   _pochta_sync_flags_from_imap    (const char * const    *flags,
                                                      char                 **keywords);
PochtaMessageRecord *_pochta_sync_record_from_view   (const PochtaImapFetchView *view,
                                                      GError               **error);
gboolean             _pochta_sync_format_addresses   (const PochtaImapValue *list,
                                                      char                 **out,
                                                      GError               **error);
char                *_pochta_sync_normalize_msg_ids  (const char            *text,
                                                      gboolean               first_only);
char                *_pochta_sync_references_from_header (const char        *data,
                                                      gsize                  size);

/* pochta-sync-roles.c */
PochtaFolderRole     _pochta_sync_role_for_name      (const char            *leaf,
                                                      guint                 *rank);
PochtaFolderRole     _pochta_sync_role_from_imap     (PochtaImapMailboxRole  role);

/* pochta-folder-sync.c */
void                 _pochta_sync_folder_async_full  (PochtaImapClient      *client,
                                                      PochtaStore           *store,
                                                      gint64                 folder_id,
                                                      PochtaSyncFolderFlags  flags,
                                                      PochtaSyncProgressFunc progress,
                                                      gpointer               progress_data,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);

/* pochta-body-sync.c: the name the folder is selected under, checked
 * against the cache's UIDVALIDITY, for body fetches of any folder. */
gboolean             _pochta_sync_folder_is_selected (PochtaImapClient      *client,
                                                      PochtaFolder          *folder);
void                 _pochta_sync_ensure_selected    (PochtaImapClient      *client,
                                                      PochtaFolder          *folder,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean             _pochta_sync_ensure_selected_finish (GAsyncResult      *result,
                                                      GError               **error);
/* One body streamed, parsed and stored; the finish returns the raw bytes,
 * or MESSAGE_GONE once the row is removed. */
void                 _pochta_sync_body_job_run       (PochtaImapClient      *client,
                                                      PochtaStore           *store,
                                                      gint64                 message_id,
                                                      guint32                uid,
                                                      guint64                size_hint,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
GBytes              *_pochta_sync_body_job_finish    (GAsyncResult          *result,
                                                      GError               **error);
/* What the cache keeps of a parsed body besides the raw bytes: the text
 * to index and the list's preview line (both NULL if it did not parse). */
void                 _pochta_sync_body_text          (GBytes                *raw,
                                                      PochtaMessage         *message,
                                                      const GError          *error,
                                                      char                 **text,
                                                      char                 **preview);
/* @checksum: pochta_store_body_checksum() of @raw, or NULL to compute it */
gboolean             _pochta_sync_store_body         (PochtaStoreTransaction *txn,
                                                      gint64                 message_id,
                                                      GBytes                *raw,
                                                      const char            *checksum,
                                                      const char            *text,
                                                      const char            *preview,
                                                      GError               **error);

G_END_DECLS
