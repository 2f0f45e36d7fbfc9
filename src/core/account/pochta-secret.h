/* pochta-secret.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords in the keyring (libsecret), under Pochta's own schema, and nowhere else.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "pochta-server-config.h"

G_BEGIN_DECLS

/* The schema's name and attributes; they are on disk in people's keyrings,
 * so they never change. */
#define POCHTA_SECRET_SCHEMA_NAME         "io.github.pochta.Password"
#define POCHTA_SECRET_ATTRIBUTE_ACCOUNT   "account-id"
#define POCHTA_SECRET_ATTRIBUTE_PROTOCOL  "protocol"
#define POCHTA_SECRET_ATTRIBUTE_HOST      "host"
#define POCHTA_SECRET_ATTRIBUTE_USER      "user"

const SecretSchema *pochta_secret_get_schema      (void) G_GNUC_CONST;
char               *pochta_secret_dup_label       (PochtaServerProtocol   protocol,
                                                   const char            *host,
                                                   const char            *user);

void                pochta_secret_store_async     (const char            *account_id,
                                                   PochtaServerProtocol   protocol,
                                                   const char            *host,
                                                   const char            *user,
                                                   const char            *password,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean            pochta_secret_store_finish    (GAsyncResult          *result,
                                                   GError               **error);
void                pochta_secret_lookup_async    (const char            *account_id,
                                                   PochtaServerProtocol   protocol,
                                                   const char            *host,
                                                   const char            *user,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
char               *pochta_secret_lookup_finish   (GAsyncResult          *result,
                                                   GError               **error);
void                pochta_secret_clear_async     (const char            *account_id,
                                                   PochtaServerProtocol   protocol,
                                                   const char            *host,
                                                   const char            *user,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean            pochta_secret_clear_finish    (GAsyncResult          *result,
                                                   gboolean              *removed,
                                                   GError               **error);
void                pochta_secret_clear_all_async (const char            *account_id,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean            pochta_secret_clear_all_finish (GAsyncResult         *result,
                                                   gboolean              *removed,
                                                   GError               **error);
void                pochta_secret_password_free   (char                  *password);
void                pochta_secret_string_clear    (char                 **password);

G_END_DECLS
