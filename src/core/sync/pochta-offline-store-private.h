/* pochta-offline-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline queue's own SQL, run on the store's writer thread: the cache
 * side of each action, and what a replayed operation leaves behind.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-offline-private.h"
#include "pochta-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  gint64  folder_id;
  gint64  uid;            /* the column: a real UID or a placeholder */
  guint   flags;
  gint64  internal_date;
} PochtaOfflineRow;

typedef struct
{
  gint64            id;   /* 0: no such folder */
  char             *raw_name;
  char             *delimiter;
  gint64            parent_id;
  PochtaFolderRole  role;
  guint32           uidvalidity;
  guint32           uidnext;
} PochtaOfflineFolder;

/* What one replayed (or dropped) operation changes in the cache, written
 * in the transaction that removes it from the queue. */
typedef struct
{
  gint64      op_id;
  gint64      account_id;
  char       *fail_message;     /* set: count an attempt and keep the operation */
  char       *dest;             /* raw name the resolved UIDs belong to */
  guint32     dest_uidvalidity;
  GArray     *resolved;         /* PochtaOfflineRef: real uid and its target row */
  GArray     *forget;           /* gint64 target rows no server message stands behind */
  GPtrArray  *resync;           /* raw names whose flags the next sync must sweep */
  GPtrArray  *refetch;          /* raw names whose messages it must list again */
  char       *created;          /* a folder CREATE made, and its UIDVALIDITY */
  guint32     created_uidvalidity;
} PochtaOfflineOutcome;

void                  _pochta_offline_folder_clear     (PochtaOfflineFolder        *folder);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PochtaOfflineFolder, _pochta_offline_folder_clear)

PochtaOfflineOutcome *_pochta_offline_outcome_new      (gint64                      op_id,
                                                        gint64                      account_id);
void                  _pochta_offline_outcome_free     (PochtaOfflineOutcome       *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaOfflineOutcome, _pochta_offline_outcome_free)

/* The tasks of the pochta_offline_*_async actions. */
void      _pochta_offline_queue_write     (PochtaStore                *store,
                                           PochtaStoreWriteFunc        func,
                                           gpointer                    data,
                                           GDestroyNotify              data_free,
                                           gpointer                    source_tag,
                                           GCancellable               *cancellable,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);

/* Actions: pochta-offline-store.c */
gboolean  _pochta_offline_load_rows       (PochtaStoreTransaction     *txn,
                                           gint64                      account_id,
                                           GArray                     *message_ids,
                                           GArray                     *rows,
                                           GError                    **error);
gboolean  _pochta_offline_load_unread     (PochtaStoreTransaction     *txn,
                                           gint64                      folder_id,
                                           GArray                     *rows,
                                           guint32                    *max_uid,
                                           GError                    **error);
gboolean  _pochta_offline_load_folder     (PochtaStoreTransaction     *txn,
                                           gint64                      account_id,
                                           gint64                      folder_id,
                                           PochtaOfflineFolder        *folder,
                                           GError                    **error);
gboolean  _pochta_offline_find_folder     (PochtaStoreTransaction     *txn,
                                           gint64                      account_id,
                                           const char                 *raw_name,
                                           PochtaOfflineFolder        *folder,
                                           GError                    **error);
gboolean  _pochta_offline_find_role       (PochtaStoreTransaction     *txn,
                                           gint64                      account_id,
                                           PochtaFolderRole            role,
                                           PochtaOfflineFolder        *folder,
                                           GError                    **error);
gboolean  _pochta_offline_move_row        (PochtaStoreTransaction     *txn,
                                           const PochtaOfflineRow     *row,
                                           gint64                      dest_id,
                                           GError                    **error);
gboolean  _pochta_offline_copy_row        (PochtaStoreTransaction     *txn,
                                           const PochtaOfflineRow     *row,
                                           gint64                      dest_id,
                                           gint64                     *copy_id,
                                           GError                    **error);
gboolean  _pochta_offline_insert_message  (PochtaStoreTransaction     *txn,
                                           gint64                      folder_id,
                                           PochtaMessageRecord        *record,
                                           GBytes                     *raw,
                                           const char                 *index_text,
                                           gint64                     *row_id,
                                           GError                    **error);
gboolean  _pochta_offline_enqueue         (PochtaStoreTransaction     *txn,
                                           gint64                      account_id,
                                           const PochtaOfflinePayload *payload,
                                           GError                    **error);

/* Replay: pochta-offline-outcome.c */
gboolean  _pochta_offline_apply_outcome   (PochtaStoreTransaction     *txn,
                                           gpointer                    outcome,
                                           GError                    **error);

G_END_DECLS
