/* pochta-store-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the store module.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-error.h"

G_DEFINE_QUARK (pochta-store-error-quark, pochta_store_error)
