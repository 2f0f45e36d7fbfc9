/* pochta-account-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the account module.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include "pochta-account-error.h"

G_DEFINE_QUARK (pochta-account-error-quark, pochta_account_error)
