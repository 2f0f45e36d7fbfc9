/* pochta-offline-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the offline queue's files share: the payload of a pending operation
 * and the rules that tie it to cache rows.
 *
 * A payload is a GVariant dictionary (a{sv}) in g_variant_print() text,
 * with "v" (u) its version; a reader ignores keys it does not know, and a
 * version above POCHTA_OFFLINE_PAYLOAD_VERSION is dropped unread. Messages
 * are named the way the server knows them: "folder" (s, the raw name),
 * "uidvalidity" (u, 0 when the folder never synced) and "msgs", a list of
 * references (uid, row, target) of type a(uxx):
 *
 * - uid: the message's UID in "folder", or 0 when its row had only a
 *   placeholder UID (POCHTA_SYNC_PLACEHOLDER_UID_BASE + row id) when the
 *   operation was queued: it was moved, copied or appended offline and that
 *   earlier operation has not replayed yet;
 * - row: the messages row id the reference was made from;
 * - target: for a move the same row (it keeps its id, so an Undo is a move
 *   back), for a copy the new row in "dest", otherwise 0.
 *
 * The placeholder rule. When a MOVE, COPY or APPEND replays and the server
 * names the new UIDs (COPYUID or APPENDUID, RFC 4315), then in the one
 * transaction that removes the operation:
 *  1. every target row still sitting in the destination with its
 *     placeholder gets its real UID (and the folder's UIDNEXT moves past
 *     it, or, when the new UIDs leap over ones the cache never saw, the
 *     folder is marked PARTIAL so the next sync compares UID by UID);
 *  2. every later queued operation whose "folder" is that destination
 *     (following later renames of it) has its (0, target) references
 *     rewritten to (real UID, target), and a "uidvalidity" of 0 filled in.
 * So "move A to B, then flag it in B" replays as UID MOVE, then UID STORE
 * on the UID the MOVE produced. A reference still at uid 0 when its own
 * operation replays cannot be resolved (the server gave no UID, or the
 * message vanished): it is skipped, and a target row of it that still has
 * its placeholder is deleted, because no server message stands behind it;
 * the next sync brings the server's truth. Sync itself never touches
 * placeholder rows.
 */

#pragma once

#include <gio/gio.h>

#include "pochta-store.h"

G_BEGIN_DECLS

#define POCHTA_OFFLINE_PAYLOAD_VERSION 1

/* A NO is recorded and retried on later replays; at this many attempts
 * (or at once for a refusal that cannot change) the operation is dropped. */
#define POCHTA_OFFLINE_MAX_ATTEMPTS 3

#define POCHTA_OFFLINE_KIND_FLAGS         "flags"
#define POCHTA_OFFLINE_KIND_MARK_ALL_READ "mark-all-read"
#define POCHTA_OFFLINE_KIND_MOVE          "move"
#define POCHTA_OFFLINE_KIND_COPY          "copy"
#define POCHTA_OFFLINE_KIND_EXPUNGE       "expunge"
#define POCHTA_OFFLINE_KIND_APPEND        "append"
#define POCHTA_OFFLINE_KIND_CREATE_FOLDER "create-folder"
#define POCHTA_OFFLINE_KIND_RENAME_FOLDER "rename-folder"
#define POCHTA_OFFLINE_KIND_DELETE_FOLDER "delete-folder"

typedef struct
{
  guint32 uid;
  gint64  row;
  gint64  target;
} PochtaOfflineRef;

typedef struct
{
  char               *kind;
  guint32             version;
  char               *folder;           /* raw name of the folder acted on (source) */
  guint32             uidvalidity;
  GArray             *refs;             /* PochtaOfflineRef */
  char               *uids;             /* mark-all-read: "1:N", the UIDs the cache knew */
  char               *dest;             /* move, copy: raw name */
  guint32             dest_uidvalidity;
  PochtaMessageFlags  add;              /* flags; append: the new message's flags */
  PochtaMessageFlags  remove;
  gboolean            to_trash;         /* a move that was a delete */
  gint64              date;             /* append: INTERNALDATE, Unix time */
  char               *new_name;         /* rename: the new raw name */
  GStrv               folders;          /* delete-folder: raw names, children first */
} PochtaOfflinePayload;

PochtaOfflinePayload *_pochta_offline_payload_new          (const char                 *kind);
void                  _pochta_offline_payload_free         (PochtaOfflinePayload       *payload);
char                 *_pochta_offline_payload_print        (const PochtaOfflinePayload *payload);
PochtaOfflinePayload *_pochta_offline_payload_parse        (const char                 *kind,
                                                            const char                 *text,
                                                            GError                    **error);
void                  _pochta_offline_payload_add_ref      (PochtaOfflinePayload       *payload,
                                                            guint32                     uid,
                                                            gint64                      row,
                                                            gint64                      target);
gboolean              _pochta_offline_kind_has_refs        (const char                 *kind);

/* The placeholder UID of a row, and the IMAP UID a row's uid column stands
 * for (0 for a placeholder). */
gint64                _pochta_offline_placeholder_uid      (gint64                      row);
guint32               _pochta_offline_real_uid             (gint64                      uid_column);

/* "\\Seen" and friends for STORE and APPEND; \Recent cannot be set. */
GStrv                 _pochta_offline_flags_to_imap        (PochtaMessageFlags          flags);
/* The UTF-8 name PochtaImapClient takes for a raw (modified UTF-7) name. */
char                 *_pochta_offline_mailbox_name         (const char                 *raw_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaOfflinePayload, _pochta_offline_payload_free)

G_END_DECLS
