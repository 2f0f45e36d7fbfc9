/* pochta-imap-response-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The arena that holds one parsed response: its struct, strings and every
 * value in a few large blocks, all released by pochta_imap_response_free().
 * A header FETCH has a hundred values; one malloc per value was a third of
 * the time a sync spent parsing.
 */

#pragma once

#include <glib.h>

#include "pochta-imap-response.h"

G_BEGIN_DECLS

typedef struct _PochtaImapArena PochtaImapArena;

struct _PochtaImapArena
{
  char  *ptr;         /* free space of the current block */
  char  *end;
  gpointer blocks;    /* chain of blocks, newest first */
  gsize  next_size;
  GSList *adopted;    /* GBytes of big literals, unreferenced with the arena */
};

PochtaImapArena *_pochta_imap_arena_new        (void);
void             _pochta_imap_arena_free       (PochtaImapArena  *arena);
gpointer         _pochta_imap_arena_alloc_slow (PochtaImapArena  *arena,
                                                gsize             size);

static inline gpointer
_pochta_imap_arena_alloc (PochtaImapArena *arena,
                          gsize            size)
{
  gpointer p;

  size = (size + 7) & ~(gsize) 7;
  if (G_UNLIKELY ((gsize) (arena->end - arena->ptr) < size))
    return _pochta_imap_arena_alloc_slow (arena, size);
  p = arena->ptr;
  arena->ptr += size;

  return p;
}

char            *_pochta_imap_arena_strndup    (PochtaImapArena  *arena,
                                                const char       *data,
                                                gsize             len);
char            *_pochta_imap_arena_strup      (PochtaImapArena  *arena,
                                                const char       *data,
                                                gsize             len);
/* ATOM, STRING or STREAMED; with @data NULL the len bytes are left for the
 * caller to fill (a literal). */
PochtaImapValue *_pochta_imap_arena_new_value  (PochtaImapArena    *arena,
                                                PochtaImapValueType type,
                                                const char         *data,
                                                gsize               len);
/* A STRING of @len bytes for the caller to fill: a big one in a GBytes of
 * its own (value->bytes), a small one in the arena. */
PochtaImapValue *_pochta_imap_arena_new_literal (PochtaImapArena   *arena,
                                                 gsize              len);
/* An empty list. The parser may point its children at a scratch array
 * (without a free func) while it fills the list; _close_list() then copies
 * them into the arena and leaves children a read-only view. */
PochtaImapValue *_pochta_imap_arena_open_list  (PochtaImapArena  *arena);
void             _pochta_imap_arena_close_list (PochtaImapArena  *arena,
                                                PochtaImapValue  *list);
/* The response struct itself, zeroed, owning @arena. */
PochtaImapResponse *_pochta_imap_arena_new_response (PochtaImapArena *arena);

G_END_DECLS
