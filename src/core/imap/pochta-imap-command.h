/* pochta-imap-command.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds IMAP commands and serialises them into chunks split at literals.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "pochta-imap-capabilities.h"
#include "pochta-imap-sequence-set.h"

G_BEGIN_DECLS

/* Longest string sent quoted; longer ones go as literals. */
#define POCHTA_IMAP_COMMAND_MAX_QUOTED 1024
/* LITERAL- (RFC 7888) allows non-synchronizing literals up to this size. */
#define POCHTA_IMAP_LITERAL_MINUS_MAX  4096

typedef enum
{
  POCHTA_IMAP_SERIALIZE_DEFAULT       = 0,
  POCHTA_IMAP_SERIALIZE_LITERAL_PLUS  = 1 << 0, /* any literal may be {n+} */
  POCHTA_IMAP_SERIALIZE_LITERAL_MINUS = 1 << 1, /* literals up to 4096 bytes may be {n+} */
  POCHTA_IMAP_SERIALIZE_UTF8          = 1 << 2, /* UTF8=ACCEPT is enabled: names and strings in UTF-8 */
} PochtaImapSerializeFlags;

typedef struct
{
  GBytes   *data;
  gboolean  secret;            /* a credential: traces show its size only */
  gboolean  wait_continuation; /* announces a synchronizing literal: wait for "+" before the next chunk */
} PochtaImapCommandChunk;

typedef struct _PochtaImapCommand PochtaImapCommand;

PochtaImapSerializeFlags  pochta_imap_serialize_flags_from_capabilities (const PochtaImapCapabilities *capabilities,
                                                                         gboolean                      utf8_enabled);

void                      pochta_imap_command_chunk_free     (PochtaImapCommandChunk    *chunk);

PochtaImapCommand        *pochta_imap_command_new            (const char                *name);
void                      pochta_imap_command_free           (PochtaImapCommand         *self);
const char               *pochta_imap_command_get_name       (const PochtaImapCommand   *self);
const char               *pochta_imap_command_get_tag        (const PochtaImapCommand   *self);
void                      pochta_imap_command_set_tag        (PochtaImapCommand         *self,
                                                              const char                *tag);
void                      pochta_imap_command_add_atom       (PochtaImapCommand         *self,
                                                              const char                *atom);
void                      pochta_imap_command_add_astring    (PochtaImapCommand         *self,
                                                              const char                *text);
void                      pochta_imap_command_add_string     (PochtaImapCommand         *self,
                                                              const char                *text);
void                      pochta_imap_command_add_secret     (PochtaImapCommand         *self,
                                                              const char                *text);
void                      pochta_imap_command_add_nil        (PochtaImapCommand         *self);
void                      pochta_imap_command_add_mailbox    (PochtaImapCommand         *self,
                                                              const char                *name);
void                      pochta_imap_command_add_number     (PochtaImapCommand         *self,
                                                              guint64                    number);
void                      pochta_imap_command_add_sequence_set (PochtaImapCommand           *self,
                                                                const PochtaImapSequenceSet *set);
void                      pochta_imap_command_add_raw        (PochtaImapCommand         *self,
                                                              const char                *text);
void                      pochta_imap_command_add_literal    (PochtaImapCommand         *self,
                                                              GBytes                    *data);
void                      pochta_imap_command_add_literal8   (PochtaImapCommand         *self,
                                                              GBytes                    *data);
void                      pochta_imap_command_begin_list     (PochtaImapCommand         *self);
void                      pochta_imap_command_end_list       (PochtaImapCommand         *self);
GPtrArray                *pochta_imap_command_serialize      (const PochtaImapCommand   *self,
                                                              PochtaImapSerializeFlags   flags,
                                                              GError                   **error);

gboolean                  pochta_imap_is_atom_char           (guchar                     c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapCommandChunk, pochta_imap_command_chunk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PochtaImapCommand, pochta_imap_command_free)

G_END_DECLS
