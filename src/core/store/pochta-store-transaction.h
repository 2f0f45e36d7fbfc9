/* pochta-store-transaction.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking writes for code that runs on the store's writer thread, inside a job's transaction.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-sqlite.h"
#include "pochta-store-records.h"
#include "pochta-types.h"

G_BEGIN_DECLS

/* A change of flags reported by the server for one UID. */
typedef struct
{
  guint32             uid;
  PochtaMessageFlags  flags;
  guint64             modseq;
  char               *keywords;
} PochtaFlagUpdate;

/* Runs on the writer thread inside a transaction (and a savepoint of its
 * own): returning FALSE with @error set undoes everything it wrote. */
typedef gboolean (*PochtaStoreWriteFunc) (PochtaStoreTransaction  *txn,
                                          gpointer                 user_data,
                                          GError                 **error);

void          pochta_flag_update_clear                       (PochtaFlagUpdate        *update);

PochtaSqlite *pochta_store_transaction_get_sqlite            (PochtaStoreTransaction  *txn);
void          pochta_store_transaction_note_folder_reset     (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id);
void          pochta_store_transaction_note_message_added    (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              gint64                   message_id,
                                                              gint64                   internal_date);
void          pochta_store_transaction_note_message_removed  (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              gint64                   message_id,
                                                              gint64                   internal_date);
void          pochta_store_transaction_note_folder_changed   (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id);
void          pochta_store_transaction_note_account_changed  (PochtaStoreTransaction  *txn,
                                                              gint64                   account_id);
gboolean      pochta_store_transaction_upsert_account        (PochtaStoreTransaction  *txn,
                                                              PochtaAccountRecord     *record,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_account        (PochtaStoreTransaction  *txn,
                                                              gint64                   account_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_upsert_identity       (PochtaStoreTransaction  *txn,
                                                              PochtaIdentityRecord    *record,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_identity       (PochtaStoreTransaction  *txn,
                                                              gint64                   identity_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_replace_identities    (PochtaStoreTransaction  *txn,
                                                              gint64                   account_id,
                                                              GPtrArray               *records,
                                                              GError                 **error);
gboolean      pochta_store_transaction_find_account          (PochtaStoreTransaction  *txn,
                                                              const char              *uuid,
                                                              gint64                  *account_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_upsert_folder         (PochtaStoreTransaction  *txn,
                                                              PochtaFolderRecord      *record,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_folder         (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_set_folder_sync_state (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              guint32                  uidvalidity,
                                                              guint32                  uidnext,
                                                              guint64                  highestmodseq,
                                                              PochtaFolderSyncState    state,
                                                              GError                 **error);
gboolean      pochta_store_transaction_drop_folder_contents  (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_add_messages          (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              GPtrArray               *records,
                                                              GError                 **error);
gboolean      pochta_store_transaction_lookup_uid            (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              guint32                  uid,
                                                              gint64                  *message_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_update_flags          (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              const PochtaFlagUpdate  *updates,
                                                              guint                    n_updates,
                                                              GError                 **error);
gboolean      pochta_store_transaction_change_flags          (PochtaStoreTransaction  *txn,
                                                              gint64                   message_id,
                                                              PochtaMessageFlags       add,
                                                              PochtaMessageFlags       remove,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_uids           (PochtaStoreTransaction  *txn,
                                                              gint64                   folder_id,
                                                              const guint32           *uids,
                                                              guint                    n_uids,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_message        (PochtaStoreTransaction  *txn,
                                                              gint64                   message_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_set_body              (PochtaStoreTransaction  *txn,
                                                              gint64                   message_id,
                                                              GBytes                  *raw,
                                                              const char              *text,
                                                              GError                 **error);
/* The same with the checksum already computed (pochta_store_body_checksum()),
 * so that the writer thread does not spend its time hashing. */
gboolean      pochta_store_transaction_set_body_with_checksum (PochtaStoreTransaction *txn,
                                                              gint64                   message_id,
                                                              GBytes                  *raw,
                                                              const char              *sha256,
                                                              const char              *text,
                                                              GError                 **error);
char         *pochta_store_body_checksum                     (GBytes                  *raw);
gboolean      pochta_store_transaction_enqueue_pending_op    (PochtaStoreTransaction  *txn,
                                                              gint64                   account_id,
                                                              const char              *kind,
                                                              const char              *payload,
                                                              gint64                  *op_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_pending_op     (PochtaStoreTransaction  *txn,
                                                              gint64                   op_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_fail_pending_op       (PochtaStoreTransaction  *txn,
                                                              gint64                   op_id,
                                                              const char              *message,
                                                              GError                 **error);
gboolean      pochta_store_transaction_add_outbox            (PochtaStoreTransaction  *txn,
                                                              gint64                   account_id,
                                                              GBytes                  *raw,
                                                              gint64                  *outbox_id,
                                                              GError                 **error);
gboolean      pochta_store_transaction_set_outbox_state      (PochtaStoreTransaction  *txn,
                                                              gint64                   outbox_id,
                                                              int                      state,
                                                              const char              *message,
                                                              GError                 **error);
gboolean      pochta_store_transaction_remove_outbox         (PochtaStoreTransaction  *txn,
                                                              gint64                   outbox_id,
                                                              GError                 **error);

G_END_DECLS
