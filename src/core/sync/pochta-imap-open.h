/* pochta-imap-open.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a logged-in IMAP session for an account's server, and telling
 * which failures are the network's and which need the person.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-imap-client.h"
#include "pochta-server-config.h"

G_BEGIN_DECLS

typedef enum
{
  POCHTA_FAILURE_NETWORK,     /* the connection is gone or unusable: try again later, with backoff */
  POCHTA_FAILURE_AUTH,        /* the server refused the password */
  POCHTA_FAILURE_TLS,         /* certificate not trusted or not the pinned one */
  POCHTA_FAILURE_CONFIG,      /* e.g. STARTTLS not offered, clear-text login refused */
  POCHTA_FAILURE_CANCELLED,
  POCHTA_FAILURE_REFUSED,     /* the server said NO or BAD to one command; the connection is fine */
  POCHTA_FAILURE_OTHER,       /* not the connection's doing (the cache, a vanished message) */
} PochtaFailureKind;

/* Connects (TLS as configured, the pin honoured), logs in and enables
 * QRESYNC (or CONDSTORE) when offered. @compress asks for COMPRESS=DEFLATE
 * when the server has it. */
void               pochta_imap_open_async      (PochtaServerConfig  *server,
                                                const char          *password,
                                                gboolean             compress,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
PochtaImapClient  *pochta_imap_open_finish     (GAsyncResult        *result,
                                                GError             **error);

PochtaFailureKind  pochta_failure_classify     (const GError        *error);

G_END_DECLS
