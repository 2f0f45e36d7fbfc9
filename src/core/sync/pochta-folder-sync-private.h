/* pochta-folder-sync-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of one folder's sync, shared by pochta-folder-sync.c (select,
 * writes, the end), pochta-folder-sync-headers.c (new headers) and
 * pochta-folder-sync-flags.c (flags and expunges).
 */

#pragma once

#include <gio/gio.h>

#include "pochta-sync-private.h"

G_BEGIN_DECLS

typedef struct _FolderSync FolderSync;
typedef void (*FolderSyncStep) (FolderSync *sync);

/* One write job of a sync; its parts run in the order of the fields. */
typedef struct
{
  gint64                 folder_id;
  gboolean               drop;        /* drop_folder_contents first */
  gboolean               set_state;
  guint32                uidvalidity;
  guint32                uidnext;
  guint64                modseq;
  PochtaFolderSyncState  state;
  GArray                *removed;     /* guint32 UIDs */
  GArray                *updates;     /* PochtaFlagUpdate */
  GPtrArray             *records;     /* PochtaMessageRecord */
} SyncWrite;

struct _FolderSync
{
  GTask                  *task;         /* held until nothing is in flight */
  PochtaImapClient       *client;
  PochtaStore            *store;
  gint64                  folder_id;
  PochtaSyncFolderFlags   flags;
  PochtaSyncProgressFunc  progress;
  gpointer                progress_data;
  char                   *mailbox;      /* UTF-8 name, as select takes it */

  /* The cache when the sync started (after a UIDVALIDITY reset, empty). */
  guint32                 cached_uidvalidity;
  guint32                 cached_uidnext;
  guint64                 cached_modseq;  /* valid for CHANGEDSINCE when > 0 */
  PochtaFolderSyncState   cached_state;
  guint                   cached_count;
  guint32                 cached_max;     /* highest real UID cached */

  /* The server at SELECT. */
  guint32                 uidvalidity;
  guint32                 uidnext;
  guint64                 highestmodseq;  /* 0 without CONDSTORE */
  gboolean                condstore;
  gboolean                qresync;        /* the select reported the changes */
  gboolean                expunges_done;  /* a full UID diff already removed them */

  /* New headers: missing UIDs ascending, fetched from the top down. */
  GArray                 *missing;
  guint                   remaining;      /* missing[0..remaining) still to fetch */
  guint                   batch_size;
  guint                   done;
  guint                   total;

  /* Flags sweep: the cached rows it checks, in UID order. */
  GArray                 *sweep_uids;
  GArray                 *sweep_flags;
  GPtrArray              *sweep_keywords;
  guint8                 *sweep_seen;     /* per row: the server answered for it */
  guint                   sweep_next;

  guint                   fetches;        /* UID FETCH commands in flight */
  guint                   writes;         /* store jobs in flight */
  FolderSyncStep          after_writes;   /* runs once writes reaches 0 */
  GError                 *error;          /* the first error; ends the sync */
  gint64                  started;        /* monotonic, for the debug log */
};

SyncWrite *_folder_sync_write_new      (FolderSync   *sync);
void       _folder_sync_submit         (FolderSync   *sync,
                                        SyncWrite    *write);
void       _folder_sync_when_written   (FolderSync   *sync,
                                        FolderSyncStep next);
gboolean   _folder_sync_take_error     (FolderSync   *sync,
                                        GError       *error);
gboolean   _folder_sync_check_failed   (FolderSync   *sync);
GArray    *_folder_sync_read_uids      (FolderSync   *sync,
                                        guint32       max_uid,
                                        GError      **error);
void       _folder_sync_finish         (FolderSync   *sync);

/* pochta-folder-sync-headers.c */
void       _folder_sync_plan_new       (FolderSync   *sync);
void       _folder_sync_pump_fetches   (FolderSync   *sync);

/* pochta-folder-sync-flags.c */
void       _folder_sync_flags          (FolderSync   *sync);
void       _folder_sync_apply_qresync  (FolderSync                   *sync,
                                        const PochtaImapMailboxState *state);

G_END_DECLS
