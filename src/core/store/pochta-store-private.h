/* pochta-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store's files share: row loaders, the change set builder and the job entry point.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-folder.h"
#include "pochta-message-summary.h"
#include "pochta-sqlite.h"
#include "pochta-store-body-reader-private.h"
#include "pochta-store-changes.h"
#include "pochta-store-worker-private.h"
#include "pochta-store.h"

G_BEGIN_DECLS

/* Column lists the row objects load from, in their order. */
#define POCHTA_MESSAGE_SUMMARY_COLUMNS \
  "id, folder_id, uid, flags, keywords, modseq, internal_date, size, date, subject, from_name," \
  " from_addr, to_addrs, cc_addrs, message_id, in_reply_to, refs, thread_id, has_attachments," \
  " preview, body_state"

#define POCHTA_FOLDER_COLUMNS \
  "id, account_id, name, raw_name, delimiter, parent_id, role, attributes, uidvalidity, uidnext," \
  " highestmodseq, unread_count, total_count, subscribed, sync_state, last_sync"

PochtaMessageSummary *_pochta_message_summary_new_from_row    (PochtaSqliteStmt       *stmt);
void                  _pochta_message_summary_update_from_row (PochtaMessageSummary   *self,
                                                               PochtaSqliteStmt       *stmt);
PochtaFolder         *_pochta_folder_new_from_row             (PochtaSqliteStmt       *stmt);
void                  _pochta_folder_update_from_row          (PochtaFolder           *self,
                                                               PochtaSqliteStmt       *stmt);

PochtaStoreChanges   *_pochta_store_changes_new               (gint64                  folder_id);
void                  _pochta_store_changes_add_note          (PochtaStoreChanges     *changes,
                                                               const PochtaStoreNote  *note);
void                  _pochta_store_changes_seal              (PochtaStoreChanges     *changes);

/* Queues @func on the writer; the task (source @self, tag @source_tag,
 * data @data) returns TRUE or the job's error once its batch committed. */
void                  _pochta_store_push_job                  (PochtaStore            *self,
                                                               PochtaStoreJobKind      kind,
                                                               PochtaStoreJobFunc      func,
                                                               gpointer                data,
                                                               GDestroyNotify          data_free,
                                                               gpointer                source_tag,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
gboolean              _pochta_store_finish_job                (PochtaStore            *self,
                                                               GAsyncResult           *result,
                                                               gpointer                source_tag,
                                                               GError                **error);

PochtaStoreBodyReader *_pochta_store_get_body_reader          (PochtaStore            *self);

G_END_DECLS
