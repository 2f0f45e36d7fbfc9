/* pochta-service-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the service module.
 */

#define G_LOG_DOMAIN "pochta-service"

#include "config.h"

#include "pochta-service-error.h"

G_DEFINE_QUARK (pochta-service-error-quark, pochta_service_error)
