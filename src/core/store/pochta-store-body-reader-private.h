/* pochta-store-body-reader-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only connection of the store's for reading bodies off the main thread.
 */

#pragma once

#include "pochta-sqlite.h"

G_BEGIN_DECLS

typedef struct _PochtaStoreBodyReader PochtaStoreBodyReader;

PochtaStoreBodyReader *_pochta_store_body_reader_new   (const char             *path);
PochtaSqlite          *_pochta_store_body_reader_lock  (PochtaStoreBodyReader  *self,
                                                        GError                **error);
void                   _pochta_store_body_reader_unlock (PochtaStoreBodyReader *self);
void                   _pochta_store_body_reader_close (PochtaStoreBodyReader  *self);
void                   _pochta_store_body_reader_free  (PochtaStoreBodyReader  *self);

G_END_DECLS
