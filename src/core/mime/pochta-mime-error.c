/* pochta-mime-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the mime module.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include "pochta-mime-error.h"

G_DEFINE_QUARK (pochta-mime-error-quark, pochta_mime_error)
