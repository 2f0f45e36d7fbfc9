/* pochta-store-records.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain records that callers fill to write into the store, and the enums stored in its columns.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-records.h"

G_DEFINE_ENUM_TYPE (PochtaFolderRole, pochta_folder_role,
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_INBOX, "inbox"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_SENT, "sent"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_DRAFTS, "drafts"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_TRASH, "trash"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_JUNK, "junk"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_ARCHIVE, "archive"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_ALL, "all"),
  G_DEFINE_ENUM_VALUE (POCHTA_FOLDER_ROLE_FLAGGED, "flagged"))

G_DEFINE_FLAGS_TYPE (PochtaMessageFlags, pochta_message_flags,
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_NONE, "none"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_SEEN, "seen"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_ANSWERED, "answered"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_FLAGGED, "flagged"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_DELETED, "deleted"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_RECENT, "recent"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_FORWARDED, "forwarded"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_JUNK, "junk"),
  G_DEFINE_ENUM_VALUE (POCHTA_MESSAGE_FLAG_NOT_JUNK, "not-junk"))

G_DEFINE_ENUM_TYPE (PochtaBodyState, pochta_body_state,
  G_DEFINE_ENUM_VALUE (POCHTA_BODY_STATE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (POCHTA_BODY_STATE_PARTIAL, "partial"),
  G_DEFINE_ENUM_VALUE (POCHTA_BODY_STATE_COMPLETE, "complete"))

/* The defaults mirror the column defaults of sql/0001-initial.sql. */
PochtaAccountRecord *
pochta_account_record_new (void)
{
  PochtaAccountRecord *record = g_new0 (PochtaAccountRecord, 1);

  record->incoming_protocol = g_strdup ("imap");
  record->incoming_port = 993;
  record->incoming_tls = 2;
  record->smtp_port = 465;
  record->smtp_tls = 2;
  record->poll_interval = 300;
  record->body_days = 30;
  record->body_size_limit = 1024 * 1024;
  record->folders_selection = g_strdup ("subscribed");
  record->pop3_leave_on_server = TRUE;

  return record;
}

void
pochta_account_record_free (PochtaAccountRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->display_name);
  g_free (record->incoming_protocol);
  g_free (record->incoming_host);
  g_free (record->incoming_user);
  g_free (record->incoming_auth);
  g_free (record->incoming_pin);
  g_free (record->smtp_host);
  g_free (record->smtp_user);
  g_free (record->smtp_auth);
  g_free (record->smtp_pin);
  g_free (record->folders_selection);
  g_free (record->uuid);
  g_strfreev (record->sync_folder_list);
  g_free (record);
}

PochtaIdentityRecord *
pochta_identity_record_new (void)
{
  return g_new0 (PochtaIdentityRecord, 1);
}

void
pochta_identity_record_free (PochtaIdentityRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_free (record->address);
  g_free (record->reply_to);
  g_free (record->signature);
  g_free (record);
}

PochtaFolderRecord *
pochta_folder_record_new (void)
{
  PochtaFolderRecord *record = g_new0 (PochtaFolderRecord, 1);

  record->subscribed = TRUE;

  return record;
}

void
pochta_folder_record_free (PochtaFolderRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_free (record->raw_name);
  g_free (record->delimiter);
  g_free (record->attributes);
  g_free (record);
}

PochtaAttachmentRecord *
pochta_attachment_record_new (void)
{
  return g_new0 (PochtaAttachmentRecord, 1);
}

void
pochta_attachment_record_free (PochtaAttachmentRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->part);
  g_free (record->filename);
  g_free (record->mime_type);
  g_free (record->content_id);
  g_free (record);
}

PochtaMessageRecord *
pochta_message_record_new (void)
{
  return g_new0 (PochtaMessageRecord, 1);
}

void
pochta_message_record_free (PochtaMessageRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->keywords);
  g_free (record->subject);
  g_free (record->from_name);
  g_free (record->from_addr);
  g_free (record->to_addrs);
  g_free (record->cc_addrs);
  g_free (record->message_id);
  g_free (record->in_reply_to);
  g_free (record->references);
  g_free (record->preview);
  g_clear_pointer (&record->attachments, g_ptr_array_unref);
  g_free (record);
}

void
pochta_pending_op_free (PochtaPendingOp *op)
{
  if (op == NULL)
    return;

  g_free (op->kind);
  g_free (op->payload);
  g_free (op->last_error);
  g_free (op);
}
