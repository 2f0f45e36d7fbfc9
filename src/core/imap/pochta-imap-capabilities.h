/* pochta-imap-capabilities.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The set of capabilities an IMAP server announced, looked up case-insensitively.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-imap-response.h"

G_BEGIN_DECLS

/* The capabilities the client acts on, as bits for quick checks. */
typedef enum
{
  POCHTA_IMAP_CAPABILITY_IMAP4REV1       = 1 << 0,
  POCHTA_IMAP_CAPABILITY_IMAP4REV2       = 1 << 1,
  POCHTA_IMAP_CAPABILITY_STARTTLS        = 1 << 2,
  POCHTA_IMAP_CAPABILITY_LOGINDISABLED   = 1 << 3,
  POCHTA_IMAP_CAPABILITY_IDLE            = 1 << 4,
  POCHTA_IMAP_CAPABILITY_CONDSTORE       = 1 << 5,
  POCHTA_IMAP_CAPABILITY_QRESYNC         = 1 << 6,
  POCHTA_IMAP_CAPABILITY_UIDPLUS         = 1 << 7,
  POCHTA_IMAP_CAPABILITY_MOVE            = 1 << 8,
  POCHTA_IMAP_CAPABILITY_SPECIAL_USE     = 1 << 9,
  POCHTA_IMAP_CAPABILITY_LIST_STATUS     = 1 << 10,
  POCHTA_IMAP_CAPABILITY_ESEARCH         = 1 << 11,
  POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE = 1 << 12,
  POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT     = 1 << 13,
  POCHTA_IMAP_CAPABILITY_LITERAL_PLUS    = 1 << 14,
  POCHTA_IMAP_CAPABILITY_LITERAL_MINUS   = 1 << 15,
  POCHTA_IMAP_CAPABILITY_SASL_IR         = 1 << 16,
  POCHTA_IMAP_CAPABILITY_ENABLE          = 1 << 17,
  POCHTA_IMAP_CAPABILITY_ID              = 1 << 18,
  POCHTA_IMAP_CAPABILITY_NAMESPACE       = 1 << 19,
  POCHTA_IMAP_CAPABILITY_BINARY          = 1 << 20,
  POCHTA_IMAP_CAPABILITY_LIST_EXTENDED   = 1 << 21,
  POCHTA_IMAP_CAPABILITY_UNSELECT        = 1 << 22,
  POCHTA_IMAP_CAPABILITY_CHILDREN        = 1 << 23,
} PochtaImapCapabilityFlags;

typedef struct _PochtaImapCapabilities PochtaImapCapabilities;

PochtaImapCapabilities    *pochta_imap_capabilities_new                 (void);
PochtaImapCapabilities    *pochta_imap_capabilities_new_from_response   (const PochtaImapResponse     *response,
                                                                         GError                      **error);
PochtaImapCapabilities    *pochta_imap_capabilities_new_from_string     (const char                   *text);
PochtaImapCapabilities    *pochta_imap_capabilities_copy                (const PochtaImapCapabilities *self);
void                       pochta_imap_capabilities_free                (PochtaImapCapabilities       *self);
void                       pochta_imap_capabilities_add                 (PochtaImapCapabilities       *self,
                                                                         const char                   *name);
gboolean                   pochta_imap_capabilities_has                 (const PochtaImapCapabilities *self,
                                                                         const char                   *name);
gboolean                   pochta_imap_capabilities_has_auth            (const PochtaImapCapabilities *self,
                                                                         const char                   *mechanism);
PochtaImapCapabilityFlags  pochta_imap_capabilities_get_flags           (const PochtaImapCapabilities *self);
gboolean                   pochta_imap_capabilities_has_flag            (const PochtaImapCapabilities *self,
                                                                         PochtaImapCapabilityFlags     flag);
char                     **pochta_imap_capabilities_get_values          (const PochtaImapCapabilities *self,
                                                                         const char                   *prefix);
char                     **pochta_imap_capabilities_get_auth_mechanisms (const PochtaImapCapabilities *self);
guint                      pochta_imap_capabilities_get_size            (const PochtaImapCapabilities *self);
char                      *pochta_imap_capabilities_to_string           (const PochtaImapCapabilities *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapCapabilities, pochta_imap_capabilities_free)

G_END_DECLS
