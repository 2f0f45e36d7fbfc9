/* pochta-offline-replay-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The replayer's state, shared by its loop (pochta-offline-replay.c) and
 * the commands of each kind of operation (pochta-offline-replay-ops.c).
 */

#pragma once

#include <gio/gio.h>

#include "pochta-imap-client.h"
#include "pochta-offline-private.h"
#include "pochta-offline-store-private.h"
#include "pochta-store.h"

G_BEGIN_DECLS

typedef struct
{
  PochtaImapClient      *client;
  PochtaStore           *store;
  gint64                 account_id;
  gssize                 replayed;
  gboolean               stop;          /* end the run once the outcome is written */
  /* The operation in flight: */
  PochtaPendingOp       *op;
  PochtaOfflinePayload  *payload;
  PochtaOfflineOutcome  *outcome;
  PochtaImapSequenceSet *uids;          /* its resolved source UIDs */
  guint                  step;
} ReplayData;

void      _pochta_offline_replay_data_free  (ReplayData   *data);

/* Each takes over @task (a reference to the replay's GTask). */
void      _pochta_offline_replay_op         (GTask        *task);
void      _pochta_offline_replay_confirmed  (GTask        *task);
void      _pochta_offline_replay_stale      (GTask        *task);
void      _pochta_offline_replay_drop       (GTask        *task,
                                             const char   *reason);
/* Takes @error too: a refusal is recorded or drops the operation, anything
 * else ends the replay with it. */
void      _pochta_offline_replay_failed     (GTask        *task,
                                             GError       *error);
gboolean  _pochta_offline_is_refusal        (const GError *error);

G_END_DECLS
