/* pochta-debug.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POCHTA_DEBUG=net,imap,... switches on protocol traces and timing logs.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  POCHTA_DEBUG_NET    = 1 << 0,
  POCHTA_DEBUG_IMAP   = 1 << 1,
  POCHTA_DEBUG_POP3   = 1 << 2,
  POCHTA_DEBUG_SMTP   = 1 << 3,
  POCHTA_DEBUG_STORE  = 1 << 4,
  POCHTA_DEBUG_SYNC   = 1 << 5,
  POCHTA_DEBUG_TIMING = 1 << 6,
} PochtaDebugFlags;

guint    pochta_debug_get_flags (void);
gboolean pochta_debug_enabled   (PochtaDebugFlags flag);
void     pochta_debug_set_flags (guint            flags);

void     pochta_debug_print_thread_cpu (const char *thread,
                                        const char *busy);

G_END_DECLS
