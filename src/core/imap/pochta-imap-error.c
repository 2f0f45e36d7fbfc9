/* pochta-imap-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the imap module.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include "pochta-imap-error.h"

G_DEFINE_QUARK (pochta-imap-error-quark, pochta_imap_error)
