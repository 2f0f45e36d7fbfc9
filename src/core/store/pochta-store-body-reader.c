/* pochta-store-body-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bodies are read in a worker thread, through a read-only connection of
 * their own: the main thread's reader is for list pages, and a body of
 * several megabytes read there (from disk, on a cold cache) would hold
 * up frames. One thread at a time holds the connection; it opens with the
 * first body asked for.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-body-reader-private.h"
#include "pochta-store-worker-private.h"

struct _PochtaStoreBodyReader
{
  GMutex        mutex;
  char         *path;
  PochtaSqlite *db;
  gboolean      closed;
};

PochtaStoreBodyReader *
_pochta_store_body_reader_new (const char *path)
{
  PochtaStoreBodyReader *self = g_new0 (PochtaStoreBodyReader, 1);

  g_mutex_init (&self->mutex);
  self->path = g_strdup (path);

  return self;
}

/* Any thread. On success the connection is the caller's until
 * _pochta_store_body_reader_unlock(). */
PochtaSqlite *
_pochta_store_body_reader_lock (PochtaStoreBodyReader  *self,
                                GError                **error)
{
  PochtaSqlite *db;

  g_mutex_lock (&self->mutex);
  if (self->closed)
    g_propagate_error (error, _pochta_store_closed_error ());
  else if (self->db == NULL)
    self->db = pochta_sqlite_open (self->path, POCHTA_SQLITE_OPEN_READ_ONLY, error);

  /* Closing drops the connection, so there is none once closed. */
  db = self->db;
  if (db == NULL)
    g_mutex_unlock (&self->mutex);

  return db;
}

void
_pochta_store_body_reader_unlock (PochtaStoreBodyReader *self)
{
  g_mutex_unlock (&self->mutex);
}

/* Waits for a read under way; later ones fail as closed. */
void
_pochta_store_body_reader_close (PochtaStoreBodyReader *self)
{
  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  g_clear_pointer (&self->db, pochta_sqlite_close);
  g_mutex_unlock (&self->mutex);
}

void
_pochta_store_body_reader_free (PochtaStoreBodyReader *self)
{
  if (self == NULL)
    return;

  _pochta_store_body_reader_close (self);
  g_mutex_clear (&self->mutex);
  g_free (self->path);
  g_free (self);
}
