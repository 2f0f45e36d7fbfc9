/* pochta-sync-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the sync module.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include "pochta-sync-error.h"

G_DEFINE_QUARK (pochta-sync-error-quark, pochta_sync_error)
