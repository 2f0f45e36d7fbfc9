/* pochta-account-repository.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts saved in and loaded from the store: PochtaAccount <-> account and identity rows.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-account.h"
#include "pochta-store.h"

G_BEGIN_DECLS

void       pochta_account_repository_save_async    (PochtaStore          *store,
                                                    PochtaAccount        *account,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gint64     pochta_account_repository_save_finish   (PochtaStore          *store,
                                                    GAsyncResult         *result,
                                                    GError              **error);
GPtrArray *pochta_account_repository_load          (PochtaStore          *store,
                                                    GArray              **store_ids,
                                                    GError              **error);
void       pochta_account_repository_remove_async  (PochtaStore          *store,
                                                    PochtaAccount        *account,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   pochta_account_repository_remove_finish (PochtaStore          *store,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
