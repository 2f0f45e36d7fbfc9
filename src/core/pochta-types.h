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
typedef struct _PochtaCertificateInfo PochtaCertificateInfo;
typedef struct _PochtaConnection      PochtaConnection;
typedef struct _PochtaIdentity        PochtaIdentity;
typedef struct _PochtaLineReader      PochtaLineReader;
typedef struct _PochtaServerConfig    PochtaServerConfig;

G_END_DECLS
