/* pochta-smtp-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the smtp module.
 */

#define G_LOG_DOMAIN "pochta-smtp"

#include "config.h"

#include "pochta-smtp-error.h"

G_DEFINE_QUARK (pochta-smtp-error-quark, pochta_smtp_error)
