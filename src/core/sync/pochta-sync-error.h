/* pochta-sync-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the sync module.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define POCHTA_SYNC_ERROR (pochta_sync_error_quark ())

typedef enum
{
  POCHTA_SYNC_ERROR_UIDVALIDITY_CHANGED,
  POCHTA_SYNC_ERROR_CONFLICT,
  POCHTA_SYNC_ERROR_OFFLINE,
  /* The message is no longer on the server; its cached row was removed. */
  POCHTA_SYNC_ERROR_MESSAGE_GONE,
  /* The account needs the person (password, certificate) before it may
   * try to log in again. */
  POCHTA_SYNC_ERROR_LOGIN_BLOCKED,
} PochtaSyncError;

GQuark pochta_sync_error_quark (void);

G_END_DECLS
