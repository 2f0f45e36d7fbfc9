/* pochta-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forward type declarations and enums shared across the core modules.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _PochtaAccount         PochtaAccount;
typedef struct _PochtaAddress         PochtaAddress;
typedef struct _PochtaCertificateInfo PochtaCertificateInfo;
typedef struct _PochtaConnection      PochtaConnection;
typedef struct _PochtaFolder          PochtaFolder;
typedef struct _PochtaIdentity        PochtaIdentity;
typedef struct _PochtaLineReader      PochtaLineReader;
typedef struct _PochtaMessage         PochtaMessage;
typedef struct _PochtaMessageListModel PochtaMessageListModel;
typedef struct _PochtaMessageParser   PochtaMessageParser;
typedef struct _PochtaMessagePart     PochtaMessagePart;
typedef struct _PochtaMessageSummary  PochtaMessageSummary;
typedef struct _PochtaServerConfig    PochtaServerConfig;
typedef struct _PochtaStore           PochtaStore;
typedef struct _PochtaStoreChanges    PochtaStoreChanges;
typedef struct _PochtaStoreTransaction PochtaStoreTransaction;

G_END_DECLS
