/* pochta-imap-sequence-set.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IMAP sequence sets ("1:3,5,7:*"): parse, build from UIDs, print compressed.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Ranges a parsed set may hold when the caller passes 0 as the limit. */
#define POCHTA_IMAP_SEQUENCE_SET_DEFAULT_MAX_RANGES 100000

typedef struct _PochtaImapSequenceSet PochtaImapSequenceSet;

typedef struct
{
  /*< private >*/
  const PochtaImapSequenceSet *set;
  guint                        range;
  guint32                      next;
  gboolean                     done;
} PochtaImapSequenceSetIter;

PochtaImapSequenceSet *pochta_imap_sequence_set_new            (void);
PochtaImapSequenceSet *pochta_imap_sequence_set_new_from_uids  (const guint32               *uids,
                                                                gsize                        n_uids);
PochtaImapSequenceSet *pochta_imap_sequence_set_parse          (const char                  *text,
                                                                guint32                      star,
                                                                guint                        max_ranges,
                                                                GError                     **error);
PochtaImapSequenceSet *pochta_imap_sequence_set_copy           (const PochtaImapSequenceSet *self);
void                   pochta_imap_sequence_set_free           (PochtaImapSequenceSet       *self);
void                   pochta_imap_sequence_set_add            (PochtaImapSequenceSet       *self,
                                                                guint32                      uid);
void                   pochta_imap_sequence_set_add_range      (PochtaImapSequenceSet       *self,
                                                                guint32                      first,
                                                                guint32                      last);
void                   pochta_imap_sequence_set_normalize      (PochtaImapSequenceSet       *self);
gboolean               pochta_imap_sequence_set_is_empty       (const PochtaImapSequenceSet *self);
guint64                pochta_imap_sequence_set_count          (const PochtaImapSequenceSet *self);
gboolean               pochta_imap_sequence_set_contains       (const PochtaImapSequenceSet *self,
                                                                guint32                      uid);
guint32                pochta_imap_sequence_set_get_min        (const PochtaImapSequenceSet *self);
guint32                pochta_imap_sequence_set_get_max        (const PochtaImapSequenceSet *self);
guint                  pochta_imap_sequence_set_get_n_ranges   (const PochtaImapSequenceSet *self);
void                   pochta_imap_sequence_set_get_range      (const PochtaImapSequenceSet *self,
                                                                guint                        index,
                                                                guint32                     *first,
                                                                guint32                     *last);
GArray                *pochta_imap_sequence_set_to_array       (const PochtaImapSequenceSet *self,
                                                                gsize                        max_count,
                                                                GError                     **error);
char                  *pochta_imap_sequence_set_to_string      (const PochtaImapSequenceSet *self);
char                 **pochta_imap_sequence_set_to_strings     (const PochtaImapSequenceSet *self,
                                                                gsize                        max_length);
char                  *pochta_imap_sequence_set_compress       (const guint32               *uids,
                                                                gsize                        n_uids);

void                   pochta_imap_sequence_set_iter_init      (PochtaImapSequenceSetIter   *iter,
                                                                const PochtaImapSequenceSet *self);
gboolean               pochta_imap_sequence_set_iter_next      (PochtaImapSequenceSetIter   *iter,
                                                                guint32                     *uid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapSequenceSet, pochta_imap_sequence_set_free)

G_END_DECLS
