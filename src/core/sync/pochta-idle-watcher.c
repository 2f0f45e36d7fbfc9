/* pochta-idle-watcher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Holds IDLE on one folder over a connection of its own, so that the
 * main connection stays free for sync and the person's requests. The
 * watcher never writes to the cache: it only says "changed", and the
 * session syncs that folder on its main connection.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-backoff.h"
#include "pochta-idle-watcher.h"
#include "pochta-imap-client.h"
#include "pochta-imap-error.h"
#include "pochta-imap-open.h"
#include "pochta-secret.h"

/* Changes come in bursts (EXISTS then FETCH, or one EXPUNGE per message):
 * one "changed" per burst is enough. */
#define CHANGED_DELAY_MS 50

struct _PochtaIdleWatcher
{
  GObject             parent_instance;

  PochtaServerConfig *server;
  char               *password;
  char               *mailbox;

  PochtaImapClient   *client;
  GCancellable       *cancellable;
  PochtaBackoff      *backoff;
  guint               retry_source;
  guint               changed_source;
  guint               running : 1;
  guint               idling : 1;
};

G_DEFINE_FINAL_TYPE (PochtaIdleWatcher, pochta_idle_watcher, G_TYPE_OBJECT)

enum {
  CHANGED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (PochtaIdleWatcher *self);

static gboolean
emit_changed_cb (gpointer user_data)
{
  PochtaIdleWatcher *self = user_data;

  self->changed_source = 0;
  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
client_changed_cb (PochtaIdleWatcher *self)
{
  if (self->changed_source == 0)
    self->changed_source = g_timeout_add (CHANGED_DELAY_MS, emit_changed_cb, self);
}

static void
drop_client (PochtaIdleWatcher *self)
{
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
  self->idling = FALSE;
}

static gboolean
retry_cb (gpointer user_data)
{
  PochtaIdleWatcher *self = user_data;

  self->retry_source = 0;
  connect_now (self);

  return G_SOURCE_REMOVE;
}

static void
handle_error (PochtaIdleWatcher *self,
              GError            *error)
{
  PochtaFailureKind kind = pochta_failure_classify (error);

  drop_client (self);

  if (kind == POCHTA_FAILURE_CANCELLED || !self->running)
    return;

  if (kind != POCHTA_FAILURE_NETWORK)
    {
      self->running = FALSE;
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }

  g_debug ("IDLE on %s lost (%s); retrying", self->mailbox, error->message);
  if (self->retry_source == 0)
    self->retry_source = g_timeout_add (pochta_backoff_next_delay (self->backoff), retry_cb, self);

  /* Whatever happened while the watcher was away is only found by a sync. */
  client_changed_cb (self);
}

static void
client_disconnected_cb (PochtaIdleWatcher *self,
                        const GError      *error)
{
  g_autoptr(GError) copy = error != NULL
    ? g_error_copy (error)
    : g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED, "Connection closed");

  handle_error (self, copy);
}

static void
idle_start_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PochtaIdleWatcher) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_imap_client_idle_start_finish (POCHTA_IMAP_CLIENT (source), result, &error))
    {
      if (POCHTA_IMAP_CLIENT (source) == self->client)
        handle_error (self, error);
      return;
    }

  self->idling = TRUE;
  pochta_backoff_reset (self->backoff);
  g_debug ("IDLE on %s", self->mailbox);

  /* Mail that arrived between the last sync and this IDLE produced no
   * notice on this connection: have the folder looked at once now. */
  client_changed_cb (self);
}

static void
select_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PochtaIdleWatcher) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;

  state = pochta_imap_client_select_finish (POCHTA_IMAP_CLIENT (source), result, &error);
  if (state == NULL)
    {
      if (POCHTA_IMAP_CLIENT (source) == self->client)
        handle_error (self, error);
      return;
    }

  g_signal_connect_swapped (self->client, "exists", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (self->client, "expunge", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (self->client, "vanished", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (self->client, "flags-changed", G_CALLBACK (client_changed_cb), self);

  pochta_imap_client_idle_start_async (self->client, self->cancellable, idle_start_cb,
                                       g_object_ref (self));
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PochtaIdleWatcher) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapClient) client = NULL;

  client = pochta_imap_open_finish (result, &error);
  if (client == NULL)
    {
      handle_error (self, error);
      return;
    }

  if (!self->running)
    return;

  if (!pochta_imap_client_has_capability (client, POCHTA_IMAP_CAPABILITY_IDLE))
    {
      g_autoptr(GError) no_idle = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CAPABILITY,
                                                       "The server does not offer IDLE");
      self->running = FALSE;
      g_signal_emit (self, signals[FAILED], 0, no_idle);
      return;
    }

  self->client = g_steal_pointer (&client);
  g_signal_connect_swapped (self->client, "disconnected", G_CALLBACK (client_disconnected_cb), self);

  /* EXAMINE: the watcher must never change \Recent or anything else. */
  pochta_imap_client_select_async (self->client, self->mailbox, POCHTA_IMAP_SELECT_READ_ONLY,
                                   0, 0, NULL, self->cancellable, select_cb, g_object_ref (self));
}

static void
connect_now (PochtaIdleWatcher *self)
{
  if (!self->running || self->client != NULL)
    return;

  pochta_imap_open_async (self->server, self->password, FALSE, self->cancellable,
                          open_cb, g_object_ref (self));
}

static void
pochta_idle_watcher_dispose (GObject *object)
{
  PochtaIdleWatcher *self = (PochtaIdleWatcher *) object;

  pochta_idle_watcher_stop (self);

  G_OBJECT_CLASS (pochta_idle_watcher_parent_class)->dispose (object);
}

static void
pochta_idle_watcher_finalize (GObject *object)
{
  PochtaIdleWatcher *self = (PochtaIdleWatcher *) object;

  g_clear_object (&self->server);
  pochta_secret_string_clear (&self->password);
  g_clear_pointer (&self->mailbox, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->backoff, pochta_backoff_free);

  G_OBJECT_CLASS (pochta_idle_watcher_parent_class)->finalize (object);
}

static void
pochta_idle_watcher_class_init (PochtaIdleWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pochta_idle_watcher_dispose;
  object_class->finalize = pochta_idle_watcher_finalize;

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pochta_idle_watcher_init (PochtaIdleWatcher *self)
{
  self->backoff = pochta_backoff_new (1000, 5 * 60 * 1000, g_random_int ());
}

PochtaIdleWatcher *
pochta_idle_watcher_new (PochtaServerConfig *server,
                         const char         *password,
                         const char         *mailbox)
{
  PochtaIdleWatcher *self;

  g_return_val_if_fail (POCHTA_IS_SERVER_CONFIG (server), NULL);
  g_return_val_if_fail (mailbox != NULL, NULL);

  self = g_object_new (POCHTA_TYPE_IDLE_WATCHER, NULL);
  self->server = pochta_server_config_copy (server);
  self->password = g_strdup (password);
  self->mailbox = g_strdup (mailbox);

  return self;
}

void
pochta_idle_watcher_start (PochtaIdleWatcher *self)
{
  g_return_if_fail (POCHTA_IS_IDLE_WATCHER (self));

  if (self->running)
    return;

  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  connect_now (self);
}

void
pochta_idle_watcher_stop (PochtaIdleWatcher *self)
{
  g_return_if_fail (POCHTA_IS_IDLE_WATCHER (self));

  self->running = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->changed_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  /* Closing the socket is enough: the server ends an IDLE whose
   * connection went away, and waiting for LOGOUT would delay shutdown. */
  if (self->client != NULL)
    pochta_connection_abort (pochta_imap_client_get_connection (self->client));
  drop_client (self);
}

gboolean
pochta_idle_watcher_is_idling (PochtaIdleWatcher *self)
{
  g_return_val_if_fail (POCHTA_IS_IDLE_WATCHER (self), FALSE);

  return self->idling;
}
