/* pochta-imap-utf7.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Modified UTF-7 mailbox names (RFC 3501 section 5.1.3), both ways.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

char *pochta_imap_utf7_encode (const char  *utf8);
char *pochta_imap_utf7_decode (const char  *mutf7,
                               GError     **error);

G_END_DECLS
