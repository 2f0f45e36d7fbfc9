/* pochta-offline-replay-ops.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IMAP commands that replay each kind of queued operation: SELECT and
 * a UIDVALIDITY check, then UID STORE, MOVE, COPY, EXPUNGE, or APPEND,
 * CREATE, RENAME, DELETE.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-offline-replay-private.h"
#include "pochta-store-error.h"

static ReplayData *
data_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static char *
mailbox (const char *raw_name)
{
  return _pochta_offline_mailbox_name (raw_name);
}

/* Whether @error is the server refusing with one of @codes (e.g. a CREATE
 * of a folder that is there already, which is what was wanted). */
static gboolean
refused_with (const GError *error,
              const char   *code)
{
  g_autofree char *got = NULL;

  if (!_pochta_offline_is_refusal (error))
    return FALSE;
  got = pochta_imap_client_error_get_code (error);

  return g_strcmp0 (got, code) == 0;
}

/* Message operations. */

static void message_step (GTask *task);

static void
store_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GPtrArray) fetches = NULL;
  GError *error = NULL;

  fetches = pochta_imap_client_uid_store_finish (POCHTA_IMAP_CLIENT (object), result, NULL, &error);
  if (fetches == NULL)
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }

  message_step (task);
}

static void
store_flags (GTask                 *task,
             PochtaImapStoreAction  action,
             PochtaMessageFlags     flags)
{
  ReplayData *data = data_of (task);
  g_auto(GStrv) names = _pochta_offline_flags_to_imap (flags);

  if (names[0] == NULL)
    {
      message_step (task);
      return;
    }

  pochta_imap_client_uid_store_async (data->client, data->uids, action, (const char * const *) names, TRUE, 0,
                                      g_task_get_cancellable (task), store_done, task);
}

/* [COPYUID] pairs source and new UIDs in order; each source UID leads
 * back to the reference, and so to the row, it came from. */
static void
take_copyuid (ReplayData            *data,
              guint32                uidvalidity,
              PochtaImapSequenceSet *source,
              PochtaImapSequenceSet *destination)
{
  g_autoptr(GHashTable) targets = g_hash_table_new (NULL, NULL);
  PochtaImapSequenceSetIter source_iter, destination_iter;
  guint32 from, to;

  if (source == NULL || destination == NULL ||
      pochta_imap_sequence_set_count (source) != pochta_imap_sequence_set_count (destination))
    return;
  if (data->payload->dest_uidvalidity != 0 && uidvalidity != data->payload->dest_uidvalidity)
    return;

  for (guint i = 0; i < data->payload->refs->len; i++)
    {
      PochtaOfflineRef *ref = &g_array_index (data->payload->refs, PochtaOfflineRef, i);

      if (ref->uid != 0 && ref->target != 0)
        g_hash_table_insert (targets, GUINT_TO_POINTER (ref->uid), ref);
    }

  data->outcome->dest = g_strdup (data->payload->dest);
  data->outcome->dest_uidvalidity = uidvalidity;
  pochta_imap_sequence_set_iter_init (&source_iter, source);
  pochta_imap_sequence_set_iter_init (&destination_iter, destination);
  while (pochta_imap_sequence_set_iter_next (&source_iter, &from) &&
         pochta_imap_sequence_set_iter_next (&destination_iter, &to))
    {
      const PochtaOfflineRef *ref = g_hash_table_lookup (targets, GUINT_TO_POINTER (from));
      PochtaOfflineRef resolved = { to, 0, 0 };

      if (ref == NULL)
        continue;
      resolved.target = ref->target;
      g_array_append_val (data->outcome->resolved, resolved);
    }
}

static void
copy_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  ReplayData *data = data_of (task);
  g_autoptr(PochtaImapSequenceSet) source = NULL;
  g_autoptr(PochtaImapSequenceSet) destination = NULL;
  GError *error = NULL;
  guint32 uidvalidity = 0;
  gboolean ok;

  if (g_str_equal (data->op->kind, POCHTA_OFFLINE_KIND_MOVE))
    ok = pochta_imap_client_uid_move_finish (data->client, result, &uidvalidity, &source, &destination,
                                             &error);
  else
    ok = pochta_imap_client_uid_copy_finish (data->client, result, &uidvalidity, &source, &destination,
                                             &error);
  if (!ok)
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }

  take_copyuid (data, uidvalidity, source, destination);
  message_step (task);
}

static void
expunge_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* Without UIDPLUS a plain EXPUNGE could take others' \Deleted messages
   * too; these stay flagged \Deleted, which hides them just as well. */
  if (!pochta_imap_client_uid_expunge_finish (POCHTA_IMAP_CLIENT (object), result, &error) &&
      !g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY))
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }
  g_clear_error (&error);

  message_step (task);
}

/* One command per step, in the order each kind needs them. */
static void
message_step (GTask *task)
{
  ReplayData *data = data_of (task);
  const char *kind = data->op->kind;
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint step = data->step++;

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_FLAGS) && step == 0)
    store_flags (task, POCHTA_IMAP_STORE_ADD, data->payload->add);
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_FLAGS) && step == 1)
    store_flags (task, POCHTA_IMAP_STORE_REMOVE, data->payload->remove);
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MARK_ALL_READ) && step == 0)
    store_flags (task, POCHTA_IMAP_STORE_ADD, POCHTA_MESSAGE_FLAG_SEEN);
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_EXPUNGE) && step == 0)
    store_flags (task, POCHTA_IMAP_STORE_ADD, POCHTA_MESSAGE_FLAG_DELETED);
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_EXPUNGE) && step == 1)
    pochta_imap_client_uid_expunge_async (data->client, data->uids, cancellable, expunge_done, task);
  else if ((g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE) || g_str_equal (kind, POCHTA_OFFLINE_KIND_COPY)) &&
           step == 0)
    {
      g_autofree char *dest = mailbox (data->payload->dest);

      if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE))
        pochta_imap_client_uid_move_async (data->client, data->uids, dest, cancellable, copy_done, task);
      else
        pochta_imap_client_uid_copy_async (data->client, data->uids, dest, cancellable, copy_done, task);
    }
  else
    _pochta_offline_replay_confirmed (task);
}

/* References still at uid 0 name messages the server never gave a UID for
 * (pochta-offline-private.h): they are skipped. */
static void
selected (GTask   *task,
          guint32  uidvalidity)
{
  ReplayData *data = data_of (task);
  PochtaOfflinePayload *payload = data->payload;

  if (payload->uidvalidity != 0 && uidvalidity != payload->uidvalidity)
    {
      _pochta_offline_replay_stale (task);
      return;
    }

  data->uids = pochta_imap_sequence_set_new ();
  for (guint i = 0; i < payload->refs->len; i++)
    {
      guint32 uid = g_array_index (payload->refs, PochtaOfflineRef, i).uid;

      if (uid != 0)
        pochta_imap_sequence_set_add (data->uids, uid);
    }
  if (payload->uids != NULL)
    {
      g_autoptr(PochtaImapSequenceSet) range = pochta_imap_sequence_set_parse (payload->uids, 0, 0, NULL);

      for (guint i = 0; range != NULL && i < pochta_imap_sequence_set_get_n_ranges (range); i++)
        {
          guint32 first, last;

          pochta_imap_sequence_set_get_range (range, i, &first, &last);
          pochta_imap_sequence_set_add_range (data->uids, first, last);
        }
    }
  pochta_imap_sequence_set_normalize (data->uids);

  if (pochta_imap_sequence_set_is_empty (data->uids))
    {
      _pochta_offline_replay_confirmed (task);
      return;
    }

  message_step (task);
}

static void
select_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  GError *error = NULL;

  state = pochta_imap_client_select_finish (POCHTA_IMAP_CLIENT (object), result, &error);
  if (state == NULL)
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }

  selected (task, state->uidvalidity);
}

static void
replay_messages (GTask *task)
{
  ReplayData *data = data_of (task);
  const PochtaImapMailboxState *current = pochta_imap_client_get_selected (data->client);
  g_autofree char *name = mailbox (data->payload->folder);

  /* Consecutive operations on one folder need one SELECT. */
  if (pochta_imap_client_get_state (data->client) == POCHTA_IMAP_CLIENT_STATE_SELECTED &&
      current != NULL && !current->read_only && current->uidvalidity != 0 &&
      g_strcmp0 (current->name, name) == 0)
    {
      selected (task, current->uidvalidity);
      return;
    }

  pochta_imap_client_select_async (data->client, name, POCHTA_IMAP_SELECT_NONE, 0, 0, NULL,
                                   g_task_get_cancellable (task), select_done, task);
}

/* APPEND. */

static void
append_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ReplayData *data = data_of (task);
  const PochtaOfflineRef *ref = &g_array_index (data->payload->refs, PochtaOfflineRef, 0);
  GError *error = NULL;
  guint32 uidvalidity = 0;
  guint32 uid = 0;

  if (!pochta_imap_client_append_finish (POCHTA_IMAP_CLIENT (object), result, &uidvalidity, &uid, &error))
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }

  /* Without APPENDUID the row cannot be tied to the server's message: it
   * goes, and the next sync lists the message under its real UID. */
  if (uid != 0 && (data->payload->uidvalidity == 0 || uidvalidity == data->payload->uidvalidity))
    {
      PochtaOfflineRef resolved = { uid, 0, ref->target };

      data->outcome->dest = g_strdup (data->payload->folder);
      data->outcome->dest_uidvalidity = uidvalidity;
      g_array_append_val (data->outcome->resolved, resolved);
    }
  else
    g_array_append_val (data->outcome->forget, ref->target);

  _pochta_offline_replay_confirmed (task);
}

static void
append_body_read (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ReplayData *data = data_of (task);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) flags = NULL;

  raw = pochta_store_get_body_finish (POCHTA_STORE (object), result, &error);
  if (raw == NULL)
    {
      /* Deleted again before it reached the server: nothing to save. */
      if (!g_error_matches (error, POCHTA_STORE_ERROR, POCHTA_STORE_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      _pochta_offline_replay_confirmed (task);
      return;
    }

  name = mailbox (data->payload->folder);
  flags = _pochta_offline_flags_to_imap (data->payload->add);
  if (data->payload->date > 0)
    date = g_date_time_new_from_unix_utc (data->payload->date);
  pochta_imap_client_append_async (data->client, name, (const char * const *) flags, date, raw, NULL, 0,
                                   g_task_get_cancellable (task), append_done, task);
}

static void
replay_append (GTask *task)
{
  ReplayData *data = data_of (task);

  if (data->payload->refs->len != 1)
    {
      _pochta_offline_replay_drop (task, _("the message to save is missing"));
      return;
    }

  pochta_store_get_body_async (data->store, g_array_index (data->payload->refs, PochtaOfflineRef, 0).target,
                               g_task_get_cancellable (task), append_body_read, task);
}

/* Folders. */

static void folder_step (GTask *task);

static void
folder_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ReplayData *data = data_of (task);
  PochtaImapClient *client = POCHTA_IMAP_CLIENT (object);
  g_autoptr(PochtaImapMailboxStatus) status = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));
  GError *error = NULL;
  gboolean ok;

  if (tag == pochta_imap_client_create_async)
    ok = pochta_imap_client_create_finish (client, result, &error) || refused_with (error, "ALREADYEXISTS");
  else if (tag == pochta_imap_client_delete_async)
    ok = pochta_imap_client_delete_finish (client, result, &error) || refused_with (error, "NONEXISTENT");
  else if (tag == pochta_imap_client_rename_async)
    ok = pochta_imap_client_rename_finish (client, result, &error);
  else if (tag == pochta_imap_client_unselect_async)
    ok = pochta_imap_client_unselect_finish (client, result, &error);
  else if (tag == pochta_imap_client_subscribe_async)
    /* Subscriptions only steer which folders are shown: not worth failing for. */
    ok = pochta_imap_client_subscribe_finish (client, result, &error) || _pochta_offline_is_refusal (error);
  else
    {
      g_assert (tag == pochta_imap_client_status_async);
      status = pochta_imap_client_status_finish (client, result, &error);
      ok = status != NULL || _pochta_offline_is_refusal (error);
      if (status != NULL)
        {
          data->outcome->created = g_strdup (data->payload->folder);
          data->outcome->created_uidvalidity = status->uidvalidity;
        }
    }

  if (!ok)
    {
      _pochta_offline_replay_failed (task, error);
      return;
    }
  g_clear_error (&error);

  folder_step (task);
}

static gboolean
is_selected (ReplayData *data,
             const char *name)
{
  const PochtaImapMailboxState *current = pochta_imap_client_get_selected (data->client);

  return pochta_imap_client_get_state (data->client) == POCHTA_IMAP_CLIENT_STATE_SELECTED &&
         current != NULL && g_strcmp0 (current->name, name) == 0;
}

static void
folder_step (GTask *task)
{
  ReplayData *data = data_of (task);
  PochtaOfflinePayload *payload = data->payload;
  PochtaImapClient *client = data->client;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *kind = data->op->kind;
  g_autofree char *name = mailbox (payload->folder);
  guint step = data->step++;

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_CREATE_FOLDER))
    {
      if (step == 0)
        pochta_imap_client_create_async (client, name, cancellable, folder_done, task);
      else if (step == 1)
        pochta_imap_client_subscribe_async (client, name, TRUE, cancellable, folder_done, task);
      else if (step == 2)
        pochta_imap_client_status_async (client, name, POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY, cancellable,
                                         folder_done, task);
      else
        _pochta_offline_replay_confirmed (task);
    }
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_RENAME_FOLDER))
    {
      g_autofree char *new_name = mailbox (payload->new_name);

      if (step == 0 && is_selected (data, name))
        pochta_imap_client_unselect_async (client, cancellable, folder_done, task);
      else if (step <= 1)
        {
          data->step = 2;
          pochta_imap_client_rename_async (client, name, new_name, cancellable, folder_done, task);
        }
      else if (step == 2)
        pochta_imap_client_subscribe_async (client, new_name, TRUE, cancellable, folder_done, task);
      else
        _pochta_offline_replay_confirmed (task);
    }
  else
    {
      /* delete-folder: UNSELECT if needed, DELETE, UNSUBSCRIBE, per folder,
       * children first. */
      const char *only[] = { payload->folder, NULL };
      const char * const *raw_names = payload->folders != NULL ? (const char * const *) payload->folders : only;
      guint index = step / 3;
      g_autofree char *current = NULL;

      if (index >= g_strv_length ((char **) raw_names))
        {
          _pochta_offline_replay_confirmed (task);
          return;
        }

      current = mailbox (raw_names[index]);
      switch (step % 3)
        {
        case 0:
          if (is_selected (data, current))
            {
              pochta_imap_client_unselect_async (client, cancellable, folder_done, task);
              break;
            }
          data->step++;
          G_GNUC_FALLTHROUGH;
        case 1:
          pochta_imap_client_delete_async (client, current, cancellable, folder_done, task);
          break;
        default:
          pochta_imap_client_subscribe_async (client, current, FALSE, cancellable, folder_done, task);
          break;
        }
    }
}

void
_pochta_offline_replay_op (GTask *task)
{
  ReplayData *data = data_of (task);
  const char *kind = data->op->kind;

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_APPEND))
    replay_append (task);
  else if (_pochta_offline_kind_has_refs (kind))
    replay_messages (task);
  else if (g_str_equal (kind, POCHTA_OFFLINE_KIND_CREATE_FOLDER) ||
           g_str_equal (kind, POCHTA_OFFLINE_KIND_RENAME_FOLDER) ||
           g_str_equal (kind, POCHTA_OFFLINE_KIND_DELETE_FOLDER))
    folder_step (task);
  else
    _pochta_offline_replay_drop (task, _("this version does not know how to send it"));
}
