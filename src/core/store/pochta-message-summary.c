/* pochta-message-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cached message's list-level data (envelope, flags, preview), as handed to the service and UI.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-message-summary.h"
#include "pochta-store-private.h"

struct _PochtaMessageSummary
{
  GObject             parent_instance;

  gint64              id;
  gint64              folder_id;
  gint64              internal_date;
  gint64              date;
  gint64              thread_id;
  guint64             modseq;
  guint64             size;
  char               *keywords;
  char               *subject;
  char               *from_name;
  char               *from_addr;
  char               *to;
  char               *cc;
  char               *message_id;
  char               *in_reply_to;
  char               *references;
  char               *preview;
  guint32             uid;
  PochtaMessageFlags  flags;
  PochtaBodyState     body_state;
  guint               has_attachments : 1;
};

G_DEFINE_FINAL_TYPE (PochtaMessageSummary, pochta_message_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FOLDER_ID,
  PROP_UID,
  PROP_FLAGS,
  PROP_KEYWORDS,
  PROP_MODSEQ,
  PROP_INTERNAL_DATE,
  PROP_SIZE,
  PROP_DATE,
  PROP_SUBJECT,
  PROP_FROM_NAME,
  PROP_FROM_ADDRESS,
  PROP_TO,
  PROP_CC,
  PROP_MESSAGE_ID,
  PROP_IN_REPLY_TO,
  PROP_REFERENCES,
  PROP_THREAD_ID,
  PROP_HAS_ATTACHMENTS,
  PROP_PREVIEW,
  PROP_BODY_STATE,
  PROP_UNREAD,
  PROP_FLAGGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pochta_message_summary_finalize (GObject *object)
{
  PochtaMessageSummary *self = (PochtaMessageSummary *) object;

  g_clear_pointer (&self->keywords, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->from_addr, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->cc, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->in_reply_to, g_free);
  g_clear_pointer (&self->references, g_free);
  g_clear_pointer (&self->preview, g_free);

  G_OBJECT_CLASS (pochta_message_summary_parent_class)->finalize (object);
}

static void
pochta_message_summary_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PochtaMessageSummary *self = POCHTA_MESSAGE_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_FOLDER_ID:
      g_value_set_int64 (value, self->folder_id);
      break;

    case PROP_UID:
      g_value_set_uint (value, self->uid);
      break;

    case PROP_FLAGS:
      g_value_set_flags (value, self->flags);
      break;

    case PROP_KEYWORDS:
      g_value_set_string (value, self->keywords);
      break;

    case PROP_MODSEQ:
      g_value_set_uint64 (value, self->modseq);
      break;

    case PROP_INTERNAL_DATE:
      g_value_set_int64 (value, self->internal_date);
      break;

    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;

    case PROP_DATE:
      g_value_set_int64 (value, self->date);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    case PROP_FROM_NAME:
      g_value_set_string (value, self->from_name);
      break;

    case PROP_FROM_ADDRESS:
      g_value_set_string (value, self->from_addr);
      break;

    case PROP_TO:
      g_value_set_string (value, self->to);
      break;

    case PROP_CC:
      g_value_set_string (value, self->cc);
      break;

    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;

    case PROP_IN_REPLY_TO:
      g_value_set_string (value, self->in_reply_to);
      break;

    case PROP_REFERENCES:
      g_value_set_string (value, self->references);
      break;

    case PROP_THREAD_ID:
      g_value_set_int64 (value, pochta_message_summary_get_thread_id (self));
      break;

    case PROP_HAS_ATTACHMENTS:
      g_value_set_boolean (value, self->has_attachments);
      break;

    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;

    case PROP_BODY_STATE:
      g_value_set_enum (value, self->body_state);
      break;

    case PROP_UNREAD:
      g_value_set_boolean (value, pochta_message_summary_get_unread (self));
      break;

    case PROP_FLAGGED:
      g_value_set_boolean (value, pochta_message_summary_get_flagged (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
uint64_pspec (const char *name)
{
  return g_param_spec_uint64 (name, NULL, NULL, 0, G_MAXUINT64, 0,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
boolean_pspec (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/* Read-only: the store owns the truth and updates live objects in place
 * (so bound widgets follow) when a write commits. */
static void
pochta_message_summary_class_init (PochtaMessageSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_message_summary_finalize;
  object_class->get_property = pochta_message_summary_get_property;

  properties[PROP_ID] = int64_pspec ("id");
  properties[PROP_FOLDER_ID] = int64_pspec ("folder-id");
  properties[PROP_UID] =
    g_param_spec_uint ("uid", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, NULL, POCHTA_TYPE_MESSAGE_FLAGS, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYWORDS] = string_pspec ("keywords");
  properties[PROP_MODSEQ] = uint64_pspec ("modseq");
  properties[PROP_INTERNAL_DATE] = int64_pspec ("internal-date");
  properties[PROP_SIZE] = uint64_pspec ("size");
  properties[PROP_DATE] = int64_pspec ("date");
  properties[PROP_SUBJECT] = string_pspec ("subject");
  properties[PROP_FROM_NAME] = string_pspec ("from-name");
  properties[PROP_FROM_ADDRESS] = string_pspec ("from-address");
  properties[PROP_TO] = string_pspec ("to");
  properties[PROP_CC] = string_pspec ("cc");
  properties[PROP_MESSAGE_ID] = string_pspec ("message-id");
  properties[PROP_IN_REPLY_TO] = string_pspec ("in-reply-to");
  properties[PROP_REFERENCES] = string_pspec ("references");
  properties[PROP_THREAD_ID] = int64_pspec ("thread-id");
  properties[PROP_HAS_ATTACHMENTS] = boolean_pspec ("has-attachments");
  properties[PROP_PREVIEW] = string_pspec ("preview");
  properties[PROP_BODY_STATE] =
    g_param_spec_enum ("body-state", NULL, NULL, POCHTA_TYPE_BODY_STATE, POCHTA_BODY_STATE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD] = boolean_pspec ("unread");
  properties[PROP_FLAGGED] = boolean_pspec ("flagged");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_message_summary_init (PochtaMessageSummary *self)
{
}

static void
set_string (PochtaMessageSummary *self,
            char                **field,
            PochtaSqliteStmt     *stmt,
            int                   column,
            guint                 prop_id)
{
  const char *value = pochta_sqlite_column_text (stmt, column);

  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

#define SET_NUMBER(self, field, value, prop_id) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]); \
      } \
  } G_STMT_END

/* @stmt is at a row selected with POCHTA_MESSAGE_SUMMARY_COLUMNS. */
void
_pochta_message_summary_update_from_row (PochtaMessageSummary *self,
                                         PochtaSqliteStmt     *stmt)
{
  gboolean was_unread = pochta_message_summary_get_unread (self);
  gboolean was_flagged = pochta_message_summary_get_flagged (self);

  g_object_freeze_notify (G_OBJECT (self));

  SET_NUMBER (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  SET_NUMBER (self, folder_id, sqlite3_column_int64 (stmt, 1), PROP_FOLDER_ID);
  SET_NUMBER (self, uid, (guint32) sqlite3_column_int64 (stmt, 2), PROP_UID);
  SET_NUMBER (self, flags, (PochtaMessageFlags) sqlite3_column_int64 (stmt, 3), PROP_FLAGS);
  set_string (self, &self->keywords, stmt, 4, PROP_KEYWORDS);
  SET_NUMBER (self, modseq, (guint64) sqlite3_column_int64 (stmt, 5), PROP_MODSEQ);
  SET_NUMBER (self, internal_date, sqlite3_column_int64 (stmt, 6), PROP_INTERNAL_DATE);
  SET_NUMBER (self, size, (guint64) sqlite3_column_int64 (stmt, 7), PROP_SIZE);
  SET_NUMBER (self, date, sqlite3_column_int64 (stmt, 8), PROP_DATE);
  set_string (self, &self->subject, stmt, 9, PROP_SUBJECT);
  set_string (self, &self->from_name, stmt, 10, PROP_FROM_NAME);
  set_string (self, &self->from_addr, stmt, 11, PROP_FROM_ADDRESS);
  set_string (self, &self->to, stmt, 12, PROP_TO);
  set_string (self, &self->cc, stmt, 13, PROP_CC);
  set_string (self, &self->message_id, stmt, 14, PROP_MESSAGE_ID);
  set_string (self, &self->in_reply_to, stmt, 15, PROP_IN_REPLY_TO);
  set_string (self, &self->references, stmt, 16, PROP_REFERENCES);
  SET_NUMBER (self, thread_id, sqlite3_column_int64 (stmt, 17), PROP_THREAD_ID);
  SET_NUMBER (self, has_attachments, sqlite3_column_int (stmt, 18) != 0, PROP_HAS_ATTACHMENTS);
  set_string (self, &self->preview, stmt, 19, PROP_PREVIEW);
  SET_NUMBER (self, body_state, (PochtaBodyState) sqlite3_column_int (stmt, 20), PROP_BODY_STATE);

  if (was_unread != pochta_message_summary_get_unread (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
  if (was_flagged != pochta_message_summary_get_flagged (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGGED]);

  g_object_thaw_notify (G_OBJECT (self));
}

PochtaMessageSummary *
_pochta_message_summary_new_from_row (PochtaSqliteStmt *stmt)
{
  PochtaMessageSummary *self = g_object_new (POCHTA_TYPE_MESSAGE_SUMMARY, NULL);

  _pochta_message_summary_update_from_row (self, stmt);

  return self;
}

gint64
pochta_message_summary_get_id (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->id;
}

gint64
pochta_message_summary_get_folder_id (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->folder_id;
}

guint32
pochta_message_summary_get_uid (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->uid;
}

PochtaMessageFlags
pochta_message_summary_get_flags (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->flags;
}

const char *
pochta_message_summary_get_keywords (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->keywords;
}

guint64
pochta_message_summary_get_modseq (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->modseq;
}

gint64
pochta_message_summary_get_internal_date (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->internal_date;
}

guint64
pochta_message_summary_get_size (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->size;
}

gint64
pochta_message_summary_get_date (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->date;
}

const char *
pochta_message_summary_get_subject (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->subject;
}

const char *
pochta_message_summary_get_from_name (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->from_name;
}

const char *
pochta_message_summary_get_from_address (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->from_addr;
}

const char *
pochta_message_summary_get_to (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->to;
}

const char *
pochta_message_summary_get_cc (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->cc;
}

const char *
pochta_message_summary_get_message_id (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->message_id;
}

const char *
pochta_message_summary_get_in_reply_to (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->in_reply_to;
}

const char *
pochta_message_summary_get_references (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->references;
}

/* A message that starts its own thread has no stored thread id; its own
 * id names the thread. */
gint64
pochta_message_summary_get_thread_id (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), 0);
  return self->thread_id != 0 ? self->thread_id : self->id;
}

gboolean
pochta_message_summary_get_has_attachments (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), FALSE);
  return self->has_attachments;
}

const char *
pochta_message_summary_get_preview (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), NULL);
  return self->preview;
}

PochtaBodyState
pochta_message_summary_get_body_state (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), POCHTA_BODY_STATE_NONE);
  return self->body_state;
}

/* The same rule as the unread_count triggers of the schema. */
gboolean
pochta_message_summary_get_unread (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), FALSE);
  return (self->flags & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0;
}

gboolean
pochta_message_summary_get_flagged (PochtaMessageSummary *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_SUMMARY (self), FALSE);
  return (self->flags & POCHTA_MESSAGE_FLAG_FLAGGED) != 0;
}
