/* pochta-store-records.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain records that callers fill to write into the store, and the enums stored in its columns.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* The values are stored in the database: append, never renumber. */
typedef enum
{
  POCHTA_FOLDER_ROLE_NONE,
  POCHTA_FOLDER_ROLE_INBOX,
  POCHTA_FOLDER_ROLE_SENT,
  POCHTA_FOLDER_ROLE_DRAFTS,
  POCHTA_FOLDER_ROLE_TRASH,
  POCHTA_FOLDER_ROLE_JUNK,
  POCHTA_FOLDER_ROLE_ARCHIVE,
  POCHTA_FOLDER_ROLE_ALL,
  POCHTA_FOLDER_ROLE_FLAGGED,
} PochtaFolderRole;

typedef enum /*< flags >*/
{
  POCHTA_MESSAGE_FLAG_NONE      = 0,
  POCHTA_MESSAGE_FLAG_SEEN      = 1 << 0,
  POCHTA_MESSAGE_FLAG_ANSWERED  = 1 << 1,
  POCHTA_MESSAGE_FLAG_FLAGGED   = 1 << 2,
  POCHTA_MESSAGE_FLAG_DELETED   = 1 << 3,
  POCHTA_MESSAGE_FLAG_DRAFT     = 1 << 4,
  POCHTA_MESSAGE_FLAG_RECENT    = 1 << 5,
  POCHTA_MESSAGE_FLAG_FORWARDED = 1 << 6,
  POCHTA_MESSAGE_FLAG_JUNK      = 1 << 7,
  POCHTA_MESSAGE_FLAG_NOT_JUNK  = 1 << 8,
} PochtaMessageFlags;

typedef enum
{
  POCHTA_BODY_STATE_NONE,
  POCHTA_BODY_STATE_PARTIAL,
  POCHTA_BODY_STATE_COMPLETE,
} PochtaBodyState;

typedef enum
{
  POCHTA_FOLDER_SYNC_STATE_NEVER,
  POCHTA_FOLDER_SYNC_STATE_PARTIAL,
  POCHTA_FOLDER_SYNC_STATE_SYNCED,
} PochtaFolderSyncState;

#define POCHTA_TYPE_FOLDER_ROLE   (pochta_folder_role_get_type ())
#define POCHTA_TYPE_MESSAGE_FLAGS (pochta_message_flags_get_type ())
#define POCHTA_TYPE_BODY_STATE    (pochta_body_state_get_type ())

GType pochta_folder_role_get_type   (void) G_GNUC_CONST;
GType pochta_message_flags_get_type (void) G_GNUC_CONST;
GType pochta_body_state_get_type    (void) G_GNUC_CONST;

/* An upsert with id 0 inserts, or updates the row with the same uuid. */
typedef struct
{
  gint64    id;                     /* 0: insert a new account (or match by uuid) */
  char     *display_name;
  int       position;               /* < 0: keep the row's, or append when new */
  char     *incoming_protocol;      /* "imap" or "pop3" */
  char     *incoming_host;
  guint16   incoming_port;
  int       incoming_tls;           /* PochtaTlsMode */
  char     *incoming_user;
  char     *incoming_auth;
  char     *incoming_pin;           /* pinned SHA-256 fingerprint */
  gboolean  allow_insecure;
  char     *smtp_host;
  guint16   smtp_port;
  int       smtp_tls;
  char     *smtp_user;
  char     *smtp_auth;
  char     *smtp_pin;
  guint     poll_interval;          /* seconds */
  guint     body_days;
  guint64   body_size_limit;        /* bytes */
  char     *folders_selection;
  gboolean  pop3_leave_on_server;
  guint     pop3_delete_after_days;
  int       state;
  char     *uuid;                   /* PochtaAccount:id; NULL on update: keep */
  char    **sync_folder_list;       /* NULL or empty: none */
  gboolean  smtp_allow_insecure;
} PochtaAccountRecord;

typedef struct
{
  gint64    id;                     /* 0: insert */
  gint64    account_id;
  char     *name;
  char     *address;
  char     *reply_to;
  char     *signature;
  gboolean  is_default;
  int       position;               /* order within the account */
} PochtaIdentityRecord;

/* Folders are keyed by (account_id, raw_name); an upsert leaves the sync
 * state and counts alone. */
typedef struct
{
  gint64            id;             /* filled in by the upsert */
  gint64            account_id;
  char             *name;
  char             *raw_name;
  char             *delimiter;
  gint64            parent_id;      /* 0: top level */
  PochtaFolderRole  role;
  char             *attributes;
  gboolean          subscribed;
} PochtaFolderRecord;

typedef struct
{
  char     *part;                   /* IMAP section, e.g. "2.1" */
  char     *filename;
  char     *mime_type;
  guint64   size;
  char     *content_id;
  gboolean  inline_;
} PochtaAttachmentRecord;

/* What a header fetch (or a parsed message) knows of one message. Keyed
 * by (folder, uid); an upsert keeps the row id, thread and body. */
typedef struct
{
  gint64              id;           /* filled in by the upsert */
  guint32             uid;
  PochtaMessageFlags  flags;
  char               *keywords;
  guint64             modseq;
  gint64              internal_date;
  guint64             size;
  gint64              date;
  char               *subject;
  char               *from_name;
  char               *from_addr;
  char               *to_addrs;
  char               *cc_addrs;
  char               *message_id;
  char               *in_reply_to;
  char               *references;
  gboolean            has_attachments;
  char               *preview;
  GPtrArray          *attachments;  /* PochtaAttachmentRecord, or NULL: leave as is */
} PochtaMessageRecord;

typedef struct
{
  gint64  id;
  gint64  account_id;
  char   *kind;
  char   *payload;
  gint64  created;
  guint   attempts;
  char   *last_error;
} PochtaPendingOp;

PochtaAccountRecord    *pochta_account_record_new     (void);
void                    pochta_account_record_free    (PochtaAccountRecord    *record);
PochtaIdentityRecord   *pochta_identity_record_new    (void);
void                    pochta_identity_record_free   (PochtaIdentityRecord   *record);
PochtaFolderRecord     *pochta_folder_record_new      (void);
void                    pochta_folder_record_free     (PochtaFolderRecord     *record);
PochtaAttachmentRecord *pochta_attachment_record_new  (void);
void                    pochta_attachment_record_free (PochtaAttachmentRecord *record);
PochtaMessageRecord    *pochta_message_record_new     (void);
void                    pochta_message_record_free    (PochtaMessageRecord    *record);
void                    pochta_pending_op_free        (PochtaPendingOp        *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaAccountRecord, pochta_account_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaIdentityRecord, pochta_identity_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaFolderRecord, pochta_folder_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaAttachmentRecord, pochta_attachment_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaMessageRecord, pochta_message_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaPendingOp, pochta_pending_op_free)

G_END_DECLS
