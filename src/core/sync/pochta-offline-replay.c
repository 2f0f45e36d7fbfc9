/* pochta-offline-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The replayer: sends the queued operations of one account in order over a
 * logged-in PochtaImapClient and takes each off the queue only once the
 * server confirmed it.
 *
 * Outcomes, per operation:
 * - OK: what the server answered (COPYUID, APPENDUID) is written to the
 *   cache and the operation is removed, in one transaction. UIDs that no
 *   longer exist are no error: UID STORE, MOVE and COPY skip them (RFC
 *   3501 6.4.8), and a target row left without a server message is
 *   deleted (see pochta-offline-private.h), so the server's truth wins.
 * - UIDVALIDITY changed since the operation was queued: its UIDs mean
 *   nothing any more; it is dropped, and the sync rebuilds the folder.
 * - NO or BAD: the attempt and the server's words are recorded and the
 *   replay stops, so later operations that may depend on it wait. A refusal
 *   that cannot change (no such mailbox, no permission) or the last of
 *   POCHTA_OFFLINE_MAX_ATTEMPTS drops it with a warning, and the folders it
 *   touched are marked so the next sync restores the server's state.
 * - Anything else (connection lost, timeout, cancelled) stops the replay
 *   with that error; the operation and the rest stay queued.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-offline-ops.h"
#include "pochta-offline-private.h"
#include "pochta-offline-replay-private.h"
#include "pochta-offline-store-private.h"
#include "pochta-store-error.h"

static void next_op (GTask *task);

void
_pochta_offline_replay_data_free (ReplayData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->store);
  g_clear_pointer (&data->op, pochta_pending_op_free);
  g_clear_pointer (&data->payload, _pochta_offline_payload_free);
  g_clear_pointer (&data->uids, pochta_imap_sequence_set_free);
  g_clear_pointer (&data->outcome, _pochta_offline_outcome_free);
  g_free (data);
}

static void
end_op (ReplayData *data)
{
  g_clear_pointer (&data->op, pochta_pending_op_free);
  g_clear_pointer (&data->payload, _pochta_offline_payload_free);
  g_clear_pointer (&data->uids, pochta_imap_sequence_set_free);
  g_clear_pointer (&data->outcome, _pochta_offline_outcome_free);
  data->step = 0;
}

static void
outcome_written (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReplayData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pochta_store_write_finish (POCHTA_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  end_op (data);
  if (data->stop)
    {
      g_task_return_int (task, data->replayed);
      return;
    }

  next_op (g_steal_pointer (&task));
}

static void
write_outcome (GTask *task)
{
  ReplayData *data = g_task_get_task_data (task);

  /* Not cancellable: what the server confirmed must reach the cache, or
   * the operation would be sent twice. */
  pochta_store_write_async (data->store, _pochta_offline_apply_outcome, data->outcome, NULL,
                            NULL, outcome_written, task);
}

/* Every target row of the operation that a server message did not take
 * over: deleted, since nothing stands behind its placeholder. */
static void
forget_unresolved (ReplayData *data)
{
  g_autoptr(GHashTable) resolved = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (data->payload == NULL || g_str_equal (data->op->kind, POCHTA_OFFLINE_KIND_APPEND))
    return;

  for (guint i = 0; i < data->outcome->resolved->len; i++)
    g_hash_table_add (resolved, &g_array_index (data->outcome->resolved, PochtaOfflineRef, i).target);

  for (guint i = 0; i < data->payload->refs->len; i++)
    {
      const PochtaOfflineRef *ref = &g_array_index (data->payload->refs, PochtaOfflineRef, i);

      if (ref->target != 0 && !g_hash_table_contains (resolved, &ref->target))
        g_array_append_val (data->outcome->forget, ref->target);
    }
}

void
_pochta_offline_replay_confirmed (GTask *task)
{
  ReplayData *data = g_task_get_task_data (task);

  g_debug ("Replayed queued operation %" G_GINT64_FORMAT " (%s)", data->op->id, data->op->kind);
  forget_unresolved (data);
  data->replayed++;
  write_outcome (task);
}

/* Dropped without having changed the server: rows it made for the server
 * to fill go (an appended message stays, as the only copy there is), and
 * the folders it touched are read afresh by the next sync. */
void
_pochta_offline_replay_drop (GTask      *task,
                             const char *reason)
{
  ReplayData *data = g_task_get_task_data (task);
  g_autofree char *description = pochta_offline_describe_op (data->op);
  PochtaOfflinePayload *payload = data->payload;

  g_warning ("Dropping the queued operation “%s”: %s", description, reason);

  g_array_set_size (data->outcome->resolved, 0);
  forget_unresolved (data);
  if (payload != NULL && payload->folder != NULL && _pochta_offline_kind_has_refs (data->op->kind) &&
      !g_str_equal (data->op->kind, POCHTA_OFFLINE_KIND_APPEND))
    {
      gboolean gone = g_str_equal (data->op->kind, POCHTA_OFFLINE_KIND_MOVE) ||
                      g_str_equal (data->op->kind, POCHTA_OFFLINE_KIND_EXPUNGE);

      g_ptr_array_add (gone ? data->outcome->refetch : data->outcome->resync, g_strdup (payload->folder));
      if (payload->dest != NULL)
        g_ptr_array_add (data->outcome->resync, g_strdup (payload->dest));
    }

  write_outcome (task);
}

void
_pochta_offline_replay_stale (GTask *task)
{
  _pochta_offline_replay_drop (task, _("the folder’s UIDVALIDITY changed since it was queued"));
}

/* Refusals that another attempt cannot turn into a yes (RFC 5530 codes). */
static gboolean
is_permanent (const GError *error)
{
  static const char * const codes[] = {
    "TRYCREATE", "NONEXISTENT", "NOPERM", "CANNOT", "ALREADYEXISTS", "CLIENTBUG", NULL,
  };
  g_autofree char *code = pochta_imap_client_error_get_code (error);

  if (g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD) ||
      g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY))
    return TRUE;

  return code != NULL && g_strv_contains (codes, code);
}

gboolean
_pochta_offline_is_refusal (const GError *error)
{
  return g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_NO) ||
         g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BAD) ||
         g_error_matches (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY);
}

void
_pochta_offline_replay_failed (GTask  *task,
                               GError *error)
{
  ReplayData *data = g_task_get_task_data (task);

  if (!_pochta_offline_is_refusal (error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (is_permanent (error) || data->op->attempts + 1 >= POCHTA_OFFLINE_MAX_ATTEMPTS)
    _pochta_offline_replay_drop (task, error->message);
  else
    {
      g_message ("The server refused a queued operation (attempt %u of %u), retrying later: %s",
                 data->op->attempts + 1, POCHTA_OFFLINE_MAX_ATTEMPTS, error->message);
      data->outcome->fail_message = g_strdup (error->message);
      data->stop = TRUE;
      write_outcome (task);
    }

  g_error_free (error);
}

static void
next_op (GTask *task)
{
  ReplayData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  ops = pochta_store_list_pending_ops (data->store, data->account_id, &error);
  if (ops == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (ops->len == 0)
    {
      g_task_return_int (task, data->replayed);
      g_object_unref (task);
      return;
    }

  data->op = g_ptr_array_steal_index (ops, 0);
  data->outcome = _pochta_offline_outcome_new (data->op->id, data->account_id);
  data->payload = _pochta_offline_payload_parse (data->op->kind, data->op->payload, &error);
  if (data->payload == NULL)
    {
      _pochta_offline_replay_drop (task, error->message);
      return;
    }

  _pochta_offline_replay_op (task);
}

/**
 * pochta_offline_replay_async:
 * @client: logged in; it may be left with another folder selected
 *
 * See pochta-offline-replay.c for what happens to each operation.
 */
void
pochta_offline_replay_async (PochtaImapClient     *client,
                             PochtaStore          *store,
                             gint64                account_id,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  GTask *task;
  ReplayData *data;

  g_return_if_fail (POCHTA_IS_IMAP_CLIENT (client));
  g_return_if_fail (POCHTA_IS_STORE (store));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_offline_replay_async);

  data = g_new0 (ReplayData, 1);
  data->client = g_object_ref (client);
  data->store = g_object_ref (store);
  data->account_id = account_id;
  g_task_set_task_data (task, data, (GDestroyNotify) _pochta_offline_replay_data_free);

  next_op (task);
}

/**
 * pochta_offline_replay_finish:
 *
 * Returns: how many operations the server confirmed, or -1 with @error
 */
gssize
pochta_offline_replay_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pochta_offline_replay_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
