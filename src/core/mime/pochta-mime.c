/* pochta-mime.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place that initialises GMime before any part of the core uses it.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <gmime/gmime.h>

#include "pochta-mime.h"

/* g_mime_init() is not thread-safe and must run once, before the store
 * worker or the protocol decoders touch GMime; every entry point that uses
 * GMime calls this, so nobody has to remember an init order. */
void
pochta_mime_ensure_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}
