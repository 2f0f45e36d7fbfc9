/* test-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reconnect delays: they grow, stay within their window, never pass the
 * cap, spread out between clients, and start small again after a reset.
 */

#include "config.h"

#include "pochta-test-util.h"

static void
test_growth_and_window (void)
{
  g_autoptr(PochtaBackoff) backoff = pochta_backoff_new (1000, 60000, 42);
  guint64 ceiling = 1000;

  for (guint i = 0; i < 40; i++)
    {
      guint delay = pochta_backoff_next_delay (backoff);

      g_assert_cmpuint (delay, >=, ceiling / 2);
      g_assert_cmpuint (delay, <=, ceiling);
      ceiling = MIN (ceiling * 2, 60000);
    }
  g_assert_cmpuint (pochta_backoff_get_attempts (backoff), ==, 40);
}

static void
test_cap_after_many_attempts (void)
{
  g_autoptr(PochtaBackoff) backoff = pochta_backoff_new (500, 300000, 1);

  /* Far past where 2^n would overflow 32 bits. */
  for (guint i = 0; i < 200; i++)
    pochta_backoff_next_delay (backoff);

  for (guint i = 0; i < 100; i++)
    {
      guint delay = pochta_backoff_next_delay (backoff);

      g_assert_cmpuint (delay, >=, 150000);
      g_assert_cmpuint (delay, <=, 300000);
    }
}

static void
test_reset (void)
{
  g_autoptr(PochtaBackoff) backoff = pochta_backoff_new (1000, 60000, 7);

  for (guint i = 0; i < 10; i++)
    pochta_backoff_next_delay (backoff);
  g_assert_cmpuint (pochta_backoff_next_delay (backoff), >=, 30000);

  pochta_backoff_reset (backoff);
  g_assert_cmpuint (pochta_backoff_get_attempts (backoff), ==, 0);
  g_assert_cmpuint (pochta_backoff_next_delay (backoff), <=, 1000);
}

static void
test_jitter_spreads_clients (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  /* Twenty clients failing at the same moment must not all come back at
   * the same moment. */
  for (guint32 seed = 1; seed <= 20; seed++)
    {
      g_autoptr(PochtaBackoff) backoff = pochta_backoff_new (1000, 60000, seed);

      for (guint i = 0; i < 4; i++)
        pochta_backoff_next_delay (backoff);
      g_hash_table_add (seen, GUINT_TO_POINTER (pochta_backoff_next_delay (backoff)));
    }
  g_assert_cmpuint (g_hash_table_size (seen), >=, 15);
}

static void
test_deterministic_for_a_seed (void)
{
  g_autoptr(PochtaBackoff) a = pochta_backoff_new (1000, 60000, 99);
  g_autoptr(PochtaBackoff) b = pochta_backoff_new (1000, 60000, 99);

  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (pochta_backoff_next_delay (a), ==, pochta_backoff_next_delay (b));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sync/backoff/growth-and-window", test_growth_and_window);
  g_test_add_func ("/core/sync/backoff/cap", test_cap_after_many_attempts);
  g_test_add_func ("/core/sync/backoff/reset", test_reset);
  g_test_add_func ("/core/sync/backoff/jitter", test_jitter_spreads_clients);
  g_test_add_func ("/core/sync/backoff/deterministic", test_deterministic_for_a_seed);

  return g_test_run ();
}
