/* pochta-account-session-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session's lanes and jobs, shared by its two source files.
 */

#pragma once

#include "pochta-account-session.h"
#include "pochta-backoff.h"
#include "pochta-idle-watcher.h"
#include "pochta-imap-client.h"

G_BEGIN_DECLS

/* Lower runs first. */
typedef enum
{
  JOB_PRIORITY_BODY,
  JOB_PRIORITY_REPLAY,
  JOB_PRIORITY_SYNC,
  JOB_PRIORITY_BACKGROUND,
} JobPriority;

typedef enum
{
  JOB_KIND_BODY,
  JOB_KIND_REPLAY,
  JOB_KIND_SYNC,
  JOB_KIND_BACKGROUND_BODIES,
} JobKind;

typedef struct _Lane Lane;

typedef struct
{
  JobKind                 kind;
  Lane                   *lane;
  PochtaImapClient       *client;       /* held while the job runs */
  JobPriority             priority;
  gint64                  message_id;   /* BODY */
  gint64                  folder_id;    /* SYNC: one folder only, 0: a full pass */
  PochtaSessionSyncFlags  flags;        /* SYNC */
  gboolean                notify_new;   /* SYNC from IDLE/poll */
  /* Progress of a running job */
  GPtrArray              *folders;      /* PochtaFolder */
  guint                   index;
  guint                   base_done;
  guint                   base_total;
  gint64                  since;
} Job;

/* A connection and the jobs waiting for it. The main lane syncs and
 * replays; the foreground lane exists so that opening a message never
 * waits behind a long sync. */
struct _Lane
{
  PochtaAccountSession *session;
  const char           *name;
  PochtaImapClient     *client;
  GQueue                queue;        /* GTask, Job as task data */
  GTask                *current;
  GPtrArray            *waiters;      /* GTasks waiting for the connection */
  guint                 run_source;
  gboolean              is_main;
};

struct _PochtaAccountSession
{
  GObject              parent_instance;

  PochtaAccount       *account;
  PochtaStore         *store;
  gint64               account_id;
  char                *password;      /* from the keyring, for new connections */

  Lane                 main;
  Lane                 fg;

  GCancellable        *cancellable;
  PochtaBackoff       *backoff;
  PochtaIdleWatcher   *idle;
  GNetworkMonitor     *monitor;
  gulong               network_handler;
  gulong               retry_handler;
  gulong               folder_changed_handler;
  guint                reconnect_source;
  guint                poll_source;
  guint                replay_source;

  gint64               inbox_id;
  guint                started : 1;
  guint                initial_sync_done : 1;
  guint                background_done : 1;
};

Job      *session_job_new          (JobKind                kind);
void      session_job_free         (Job                   *job);
GTask    *session_job_task         (PochtaAccountSession  *self,
                                    Job                   *job,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data);
void      session_enqueue          (PochtaAccountSession  *self,
                                    Lane                  *lane,
                                    GTask                 *task);
gboolean  session_has_queued       (PochtaAccountSession  *self,
                                    JobKind                kind,
                                    gint64                 folder_id);
void      session_job_return_error (Lane                  *lane,
                                    GTask                 *task,
                                    GError                *error);
void      session_job_return       (Lane                  *lane,
                                    GTask                 *task,
                                    gpointer               result,
                                    GDestroyNotify         result_free);
void      session_run_job          (Lane                  *lane,
                                    GTask                 *task);
void      session_job_dispatch     (Lane                  *lane,
                                    GTask                 *task);
/* pochta-account-session-lanes.c */
gboolean  session_is_connection_error (const GError        *error);
void      session_lane_drop_client (Lane                  *lane);
void      session_lane_run_soon    (Lane                  *lane);
void      session_schedule_reconnect (PochtaAccountSession *self);
/* pochta-account-session.c */
void      session_kick             (PochtaAccountSession  *self);
void      session_job_finished     (PochtaAccountSession  *self,
                                    Job                   *job,
                                    const GError          *error);

G_END_DECLS
