/* pochta-imap-data.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed untagged data: LIST/LSUB, STATUS, SEARCH, ESEARCH, VANISHED,
 * NAMESPACE, ENABLED and ID.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

#include "pochta-imap-response.h"
#include "pochta-imap-sequence-set.h"

G_BEGIN_DECLS

/* What a mailbox is for (RFC 6154 special-use, plus the Inbox). */
typedef enum
{
  POCHTA_IMAP_MAILBOX_ROLE_NONE,
  POCHTA_IMAP_MAILBOX_ROLE_INBOX,
  POCHTA_IMAP_MAILBOX_ROLE_ALL,
  POCHTA_IMAP_MAILBOX_ROLE_ARCHIVE,
  POCHTA_IMAP_MAILBOX_ROLE_DRAFTS,
  POCHTA_IMAP_MAILBOX_ROLE_FLAGGED,
  POCHTA_IMAP_MAILBOX_ROLE_JUNK,
  POCHTA_IMAP_MAILBOX_ROLE_SENT,
  POCHTA_IMAP_MAILBOX_ROLE_TRASH,
  POCHTA_IMAP_MAILBOX_ROLE_IMPORTANT,
} PochtaImapMailboxRole;

typedef enum
{
  POCHTA_IMAP_MAILBOX_NOSELECT        = 1 << 0,
  POCHTA_IMAP_MAILBOX_NONEXISTENT     = 1 << 1,
  POCHTA_IMAP_MAILBOX_NOINFERIORS     = 1 << 2,
  POCHTA_IMAP_MAILBOX_HAS_CHILDREN    = 1 << 3,
  POCHTA_IMAP_MAILBOX_HAS_NO_CHILDREN = 1 << 4,
  POCHTA_IMAP_MAILBOX_MARKED          = 1 << 5,
  POCHTA_IMAP_MAILBOX_UNMARKED        = 1 << 6,
  POCHTA_IMAP_MAILBOX_SUBSCRIBED      = 1 << 7,
  POCHTA_IMAP_MAILBOX_REMOTE          = 1 << 8,
} PochtaImapMailboxFlags;

typedef struct
{
  char                   *name;        /* UTF-8 for display; "INBOX" whatever its case */
  char                   *raw_name;    /* as sent: use it (add_astring) to address the mailbox */
  char                    delimiter;   /* '\0' when NIL (a flat namespace) */
  char                  **attributes;  /* as sent, e.g. "\\HasChildren" */
  PochtaImapMailboxFlags  flags;
  PochtaImapMailboxRole   role;
} PochtaImapMailboxInfo;

typedef enum
{
  POCHTA_IMAP_STATUS_ITEM_MESSAGES      = 1 << 0,
  POCHTA_IMAP_STATUS_ITEM_RECENT        = 1 << 1,
  POCHTA_IMAP_STATUS_ITEM_UIDNEXT       = 1 << 2,
  POCHTA_IMAP_STATUS_ITEM_UIDVALIDITY   = 1 << 3,
  POCHTA_IMAP_STATUS_ITEM_UNSEEN        = 1 << 4,
  POCHTA_IMAP_STATUS_ITEM_HIGHESTMODSEQ = 1 << 5,
  POCHTA_IMAP_STATUS_ITEM_SIZE          = 1 << 6,
} PochtaImapStatusItems;

typedef struct
{
  char                  *mailbox;      /* UTF-8 */
  char                  *raw_mailbox;
  PochtaImapStatusItems  present;
  guint32                messages;
  guint32                recent;
  guint32                uidnext;
  guint32                uidvalidity;
  guint32                unseen;
  guint64                highestmodseq;
  guint64                size;
} PochtaImapMailboxStatus;

typedef enum
{
  POCHTA_IMAP_ESEARCH_MIN    = 1 << 0,
  POCHTA_IMAP_ESEARCH_MAX    = 1 << 1,
  POCHTA_IMAP_ESEARCH_COUNT  = 1 << 2,
  POCHTA_IMAP_ESEARCH_ALL    = 1 << 3,
  POCHTA_IMAP_ESEARCH_MODSEQ = 1 << 4,
} PochtaImapEsearchItems;

typedef struct
{
  char                   *tag;     /* the command's tag, or NULL */
  gboolean                uid;     /* results are UIDs, not sequence numbers */
  PochtaImapEsearchItems  present;
  guint32                 min;
  guint32                 max;
  guint32                 count;
  PochtaImapSequenceSet  *all;     /* NULL unless ALL was returned */
  guint64                 modseq;
} PochtaImapEsearch;

typedef struct
{
  gboolean               earlier;  /* answers a QRESYNC SELECT or UID FETCH ... VANISHED */
  PochtaImapSequenceSet *uids;
} PochtaImapVanished;

typedef struct
{
  char *prefix;     /* UTF-8 */
  char  delimiter;  /* '\0' when NIL */
} PochtaImapNamespace;

typedef struct
{
  GPtrArray *personal;  /* PochtaImapNamespace; never NULL */
  GPtrArray *other;
  GPtrArray *shared;
} PochtaImapNamespaces;

PochtaImapMailboxInfo   *pochta_imap_mailbox_info_new_from_response   (const PochtaImapResponse  *response,
                                                                       gboolean                   utf8,
                                                                       GError                   **error);
void                     pochta_imap_mailbox_info_free                (PochtaImapMailboxInfo     *self);
PochtaImapMailboxStatus *pochta_imap_mailbox_status_new_from_response (const PochtaImapResponse  *response,
                                                                       gboolean                   utf8,
                                                                       GError                   **error);
void                     pochta_imap_mailbox_status_free              (PochtaImapMailboxStatus   *self);
GArray                  *pochta_imap_search_parse                     (const PochtaImapResponse  *response,
                                                                       guint64                   *modseq,
                                                                       GError                   **error);
PochtaImapEsearch       *pochta_imap_esearch_new_from_response        (const PochtaImapResponse  *response,
                                                                       GError                   **error);
void                     pochta_imap_esearch_free                     (PochtaImapEsearch         *self);
PochtaImapVanished      *pochta_imap_vanished_new_from_response       (const PochtaImapResponse  *response,
                                                                       GError                   **error);
void                     pochta_imap_vanished_free                    (PochtaImapVanished        *self);
PochtaImapNamespaces    *pochta_imap_namespaces_new_from_response     (const PochtaImapResponse  *response,
                                                                       gboolean                   utf8,
                                                                       GError                   **error);
void                     pochta_imap_namespaces_free                  (PochtaImapNamespaces      *self);
char                   **pochta_imap_enabled_parse                    (const PochtaImapResponse  *response,
                                                                       GError                   **error);
GHashTable              *pochta_imap_id_parse                         (const PochtaImapResponse  *response,
                                                                       GError                   **error);
char                    *pochta_imap_mailbox_name_decode              (const char                *raw,
                                                                       gboolean                   utf8);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapMailboxInfo, pochta_imap_mailbox_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapMailboxStatus, pochta_imap_mailbox_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapEsearch, pochta_imap_esearch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapVanished, pochta_imap_vanished_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapNamespaces, pochta_imap_namespaces_free)

G_END_DECLS
