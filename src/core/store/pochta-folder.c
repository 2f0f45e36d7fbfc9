/* pochta-folder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cached folder (name, role, sync state, counts), as handed to the service and UI.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-folder.h"
#include "pochta-store-private.h"

struct _PochtaFolder
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 account_id;
  gint64                 parent_id;
  gint64                 last_sync;
  guint64                highestmodseq;
  char                  *name;
  char                  *raw_name;
  char                  *delimiter;
  char                  *attributes;
  guint32                uidvalidity;
  guint32                uidnext;
  guint                  unread_count;
  guint                  total_count;
  PochtaFolderRole       role;
  PochtaFolderSyncState  sync_state;
  guint                  subscribed : 1;
};

G_DEFINE_FINAL_TYPE (PochtaFolder, pochta_folder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_NAME,
  PROP_RAW_NAME,
  PROP_DELIMITER,
  PROP_PARENT_ID,
  PROP_ROLE,
  PROP_ATTRIBUTES,
  PROP_UIDVALIDITY,
  PROP_UIDNEXT,
  PROP_HIGHESTMODSEQ,
  PROP_UNREAD_COUNT,
  PROP_TOTAL_COUNT,
  PROP_SUBSCRIBED,
  PROP_SYNC_STATE,
  PROP_LAST_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pochta_folder_finalize (GObject *object)
{
  PochtaFolder *self = (PochtaFolder *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->raw_name, g_free);
  g_clear_pointer (&self->delimiter, g_free);
  g_clear_pointer (&self->attributes, g_free);

  G_OBJECT_CLASS (pochta_folder_parent_class)->finalize (object);
}

static void
pochta_folder_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PochtaFolder *self = POCHTA_FOLDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_RAW_NAME:
      g_value_set_string (value, self->raw_name);
      break;

    case PROP_DELIMITER:
      g_value_set_string (value, self->delimiter);
      break;

    case PROP_PARENT_ID:
      g_value_set_int64 (value, self->parent_id);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_ATTRIBUTES:
      g_value_set_string (value, self->attributes);
      break;

    case PROP_UIDVALIDITY:
      g_value_set_uint (value, self->uidvalidity);
      break;

    case PROP_UIDNEXT:
      g_value_set_uint (value, self->uidnext);
      break;

    case PROP_HIGHESTMODSEQ:
      g_value_set_uint64 (value, self->highestmodseq);
      break;

    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;

    case PROP_TOTAL_COUNT:
      g_value_set_uint (value, self->total_count);
      break;

    case PROP_SUBSCRIBED:
      g_value_set_boolean (value, self->subscribed);
      break;

    case PROP_SYNC_STATE:
      g_value_set_uint (value, self->sync_state);
      break;

    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READ_FLAGS (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

/* Read-only like PochtaMessageSummary: writes go through the store. */
static void
pochta_folder_class_init (PochtaFolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_folder_finalize;
  object_class->get_property = pochta_folder_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);
  properties[PROP_ACCOUNT_ID] = g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, READ_FLAGS);
  properties[PROP_RAW_NAME] = g_param_spec_string ("raw-name", NULL, NULL, NULL, READ_FLAGS);
  properties[PROP_DELIMITER] = g_param_spec_string ("delimiter", NULL, NULL, NULL, READ_FLAGS);
  properties[PROP_PARENT_ID] = g_param_spec_int64 ("parent-id", NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);
  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL, POCHTA_TYPE_FOLDER_ROLE,
                                             POCHTA_FOLDER_ROLE_NONE, READ_FLAGS);
  properties[PROP_ATTRIBUTES] = g_param_spec_string ("attributes", NULL, NULL, NULL, READ_FLAGS);
  properties[PROP_UIDVALIDITY] = g_param_spec_uint ("uidvalidity", NULL, NULL, 0, G_MAXUINT32, 0, READ_FLAGS);
  properties[PROP_UIDNEXT] = g_param_spec_uint ("uidnext", NULL, NULL, 0, G_MAXUINT32, 0, READ_FLAGS);
  properties[PROP_HIGHESTMODSEQ] = g_param_spec_uint64 ("highestmodseq", NULL, NULL, 0, G_MAXUINT64, 0, READ_FLAGS);
  properties[PROP_UNREAD_COUNT] = g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, READ_FLAGS);
  properties[PROP_TOTAL_COUNT] = g_param_spec_uint ("total-count", NULL, NULL, 0, G_MAXUINT, 0, READ_FLAGS);
  properties[PROP_SUBSCRIBED] = g_param_spec_boolean ("subscribed", NULL, NULL, FALSE, READ_FLAGS);
  properties[PROP_SYNC_STATE] = g_param_spec_uint ("sync-state", NULL, NULL, 0, G_MAXUINT, 0, READ_FLAGS);
  properties[PROP_LAST_SYNC] = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_folder_init (PochtaFolder *self)
{
}

static void
set_string (PochtaFolder      *self,
            char             **field,
            PochtaSqliteStmt  *stmt,
            int                column,
            guint              prop_id)
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

/* @stmt is at a row selected with POCHTA_FOLDER_COLUMNS. */
void
_pochta_folder_update_from_row (PochtaFolder     *self,
                                PochtaSqliteStmt *stmt)
{
  g_object_freeze_notify (G_OBJECT (self));

  SET_NUMBER (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  SET_NUMBER (self, account_id, sqlite3_column_int64 (stmt, 1), PROP_ACCOUNT_ID);
  set_string (self, &self->name, stmt, 2, PROP_NAME);
  set_string (self, &self->raw_name, stmt, 3, PROP_RAW_NAME);
  set_string (self, &self->delimiter, stmt, 4, PROP_DELIMITER);
  SET_NUMBER (self, parent_id, sqlite3_column_int64 (stmt, 5), PROP_PARENT_ID);
  SET_NUMBER (self, role, (PochtaFolderRole) sqlite3_column_int (stmt, 6), PROP_ROLE);
  set_string (self, &self->attributes, stmt, 7, PROP_ATTRIBUTES);
  SET_NUMBER (self, uidvalidity, (guint32) sqlite3_column_int64 (stmt, 8), PROP_UIDVALIDITY);
  SET_NUMBER (self, uidnext, (guint32) sqlite3_column_int64 (stmt, 9), PROP_UIDNEXT);
  SET_NUMBER (self, highestmodseq, (guint64) sqlite3_column_int64 (stmt, 10), PROP_HIGHESTMODSEQ);
  SET_NUMBER (self, unread_count, (guint) sqlite3_column_int64 (stmt, 11), PROP_UNREAD_COUNT);
  SET_NUMBER (self, total_count, (guint) sqlite3_column_int64 (stmt, 12), PROP_TOTAL_COUNT);
  SET_NUMBER (self, subscribed, sqlite3_column_int (stmt, 13) != 0, PROP_SUBSCRIBED);
  SET_NUMBER (self, sync_state, (PochtaFolderSyncState) sqlite3_column_int (stmt, 14), PROP_SYNC_STATE);
  SET_NUMBER (self, last_sync, sqlite3_column_int64 (stmt, 15), PROP_LAST_SYNC);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
copy_string (PochtaFolder  *self,
             char         **field,
             const char    *value,
             guint          prop_id)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

/**
 * pochta_folder_update:
 * @other: a newer snapshot of the same row
 *
 * Copies @other into @self, notifying what changed, so that a model can
 * keep one object per folder (and a tree view its expanded rows) while
 * the counts move.
 */
void
pochta_folder_update (PochtaFolder *self,
                      PochtaFolder *other)
{
  g_return_if_fail (POCHTA_IS_FOLDER (self));
  g_return_if_fail (POCHTA_IS_FOLDER (other));

  g_object_freeze_notify (G_OBJECT (self));

  SET_NUMBER (self, id, other->id, PROP_ID);
  SET_NUMBER (self, account_id, other->account_id, PROP_ACCOUNT_ID);
  copy_string (self, &self->name, other->name, PROP_NAME);
  copy_string (self, &self->raw_name, other->raw_name, PROP_RAW_NAME);
  copy_string (self, &self->delimiter, other->delimiter, PROP_DELIMITER);
  SET_NUMBER (self, parent_id, other->parent_id, PROP_PARENT_ID);
  SET_NUMBER (self, role, other->role, PROP_ROLE);
  copy_string (self, &self->attributes, other->attributes, PROP_ATTRIBUTES);
  SET_NUMBER (self, uidvalidity, other->uidvalidity, PROP_UIDVALIDITY);
  SET_NUMBER (self, uidnext, other->uidnext, PROP_UIDNEXT);
  SET_NUMBER (self, highestmodseq, other->highestmodseq, PROP_HIGHESTMODSEQ);
  SET_NUMBER (self, unread_count, other->unread_count, PROP_UNREAD_COUNT);
  SET_NUMBER (self, total_count, other->total_count, PROP_TOTAL_COUNT);
  SET_NUMBER (self, subscribed, other->subscribed, PROP_SUBSCRIBED);
  SET_NUMBER (self, sync_state, other->sync_state, PROP_SYNC_STATE);
  SET_NUMBER (self, last_sync, other->last_sync, PROP_LAST_SYNC);

  g_object_thaw_notify (G_OBJECT (self));
}

PochtaFolder *
_pochta_folder_new_from_row (PochtaSqliteStmt *stmt)
{
  PochtaFolder *self = g_object_new (POCHTA_TYPE_FOLDER, NULL);

  _pochta_folder_update_from_row (self, stmt);

  return self;
}

gint64
pochta_folder_get_id (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->id;
}

gint64
pochta_folder_get_account_id (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->account_id;
}

const char *
pochta_folder_get_name (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), NULL);
  return self->name;
}

const char *
pochta_folder_get_raw_name (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), NULL);
  return self->raw_name;
}

const char *
pochta_folder_get_delimiter (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), NULL);
  return self->delimiter;
}

gint64
pochta_folder_get_parent_id (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->parent_id;
}

PochtaFolderRole
pochta_folder_get_role (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), POCHTA_FOLDER_ROLE_NONE);
  return self->role;
}

const char *
pochta_folder_get_attributes (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), NULL);
  return self->attributes;
}

guint32
pochta_folder_get_uidvalidity (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->uidvalidity;
}

guint32
pochta_folder_get_uidnext (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->uidnext;
}

guint64
pochta_folder_get_highestmodseq (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->highestmodseq;
}

guint
pochta_folder_get_unread_count (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->unread_count;
}

guint
pochta_folder_get_total_count (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->total_count;
}

gboolean
pochta_folder_get_subscribed (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), FALSE);
  return self->subscribed;
}

PochtaFolderSyncState
pochta_folder_get_sync_state (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), POCHTA_FOLDER_SYNC_STATE_NEVER);
  return self->sync_state;
}

gint64
pochta_folder_get_last_sync (PochtaFolder *self)
{
  g_return_val_if_fail (POCHTA_IS_FOLDER (self), 0);
  return self->last_sync;
}
