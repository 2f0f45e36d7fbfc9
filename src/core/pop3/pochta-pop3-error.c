/* pochta-pop3-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the pop3 module.
 */

#define G_LOG_DOMAIN "pochta-pop3"

#include "config.h"

#include "pochta-pop3-error.h"

G_DEFINE_QUARK (pochta-pop3-error-quark, pochta_pop3_error)
