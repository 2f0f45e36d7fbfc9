/* pochta-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reconnect delays: exponential backoff with jitter, pure and unit-tested.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-backoff.h"

struct _PochtaBackoff
{
  guint    initial_ms;
  guint    max_ms;
  guint    attempts;
  GRand   *rand;
};

/**
 * pochta_backoff_new:
 * @initial_ms: the first delay's ceiling
 * @max_ms: no delay is ever longer
 * @seed: for the jitter; tests pass a fixed one, the sync engine a random one
 *
 * "Full jitter": each delay is drawn uniformly from [ceiling/2, ceiling],
 * where the ceiling doubles per attempt up to @max_ms. The random part keeps
 * many clients (or many accounts on one server) from reconnecting in step
 * after an outage; the lower half keeps a retry from coming back at once.
 */
PochtaBackoff *
pochta_backoff_new (guint   initial_ms,
                    guint   max_ms,
                    guint32 seed)
{
  PochtaBackoff *self;

  g_return_val_if_fail (initial_ms > 0, NULL);
  g_return_val_if_fail (max_ms >= initial_ms, NULL);

  self = g_new0 (PochtaBackoff, 1);
  self->initial_ms = initial_ms;
  self->max_ms = max_ms;
  self->rand = g_rand_new_with_seed (seed);

  return self;
}

void
pochta_backoff_free (PochtaBackoff *self)
{
  if (self == NULL)
    return;

  g_rand_free (self->rand);
  g_free (self);
}

guint
pochta_backoff_next_delay (PochtaBackoff *self)
{
  guint64 ceiling;
  guint low;

  g_return_val_if_fail (self != NULL, 0);

  /* Shift in 64 bits and stop early: 2^attempts overflows long before a
   * person stops waiting. */
  ceiling = self->initial_ms;
  for (guint i = 0; i < self->attempts && ceiling < self->max_ms; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, (guint64) self->max_ms);

  if (self->attempts < G_MAXUINT)
    self->attempts++;

  low = (guint) (ceiling / 2);
  return (guint) g_rand_int_range (self->rand, (gint32) low, (gint32) MIN (ceiling + 1, G_MAXINT32));
}

/* After a successful connection the next failure starts small again. */
void
pochta_backoff_reset (PochtaBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->attempts = 0;
}

guint
pochta_backoff_get_attempts (PochtaBackoff *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->attempts;
}
