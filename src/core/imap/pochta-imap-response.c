/* pochta-imap-response.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The values and responses the IMAP parser builds, and their diagnostic
 * rendering.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include "pochta-imap-response-private.h"

/* Strings longer than this are cut in diagnostics: a message body in a
 * trace line helps nobody. */
#define ELIDE_ABOVE 120
#define ELIDE_KEEP  100

static inline void
value_init (PochtaImapValue     *value,
            PochtaImapValueType  type,
            char                *data,
            gsize                len,
            gboolean             in_arena)
{
  value->type = type;
  value->data = data;
  value->len = len;
  value->children = NULL;
  value->bytes = NULL;
  value->is_literal = FALSE;
  value->is_binary = FALSE;
  value->in_arena = in_arena;
}

/* Atoms and strings carry their bytes right after the struct: one
 * allocation per value instead of two matters when a sync parses millions. */
static PochtaImapValue *
value_alloc (PochtaImapValueType  type,
             const char          *data,
             gsize                len)
{
  PochtaImapValue *value;

  g_assert (len < G_MAXSIZE - sizeof (PochtaImapValue) - 1);

  value = g_malloc (sizeof (PochtaImapValue) + len + 1);
  value_init (value, type, (char *) (value + 1), len, FALSE);
  if (len > 0)
    memcpy (value->data, data, len);
  value->data[len] = '\0';

  return value;
}

/* NIL carries nothing, so every NIL is this one value: ENVELOPE and
 * BODYSTRUCTURE are full of them and each would cost an allocation. */
static const PochtaImapValue nil_value = { .type = POCHTA_IMAP_VALUE_NIL };

static inline void
value_free_one (PochtaImapValue *value)
{
  if (value == &nil_value || value->in_arena)
    return;
  if (value->data != (char *) (value + 1))
    g_free (value->data);
  g_free (value);
}

/* Small stack for walking trees without recursion: a hostile server must
 * not be able to turn nesting into stack depth, whatever the limits are. */
typedef struct
{
  PochtaImapValue **items;
  gsize             len;
  gsize             alloc;
  PochtaImapValue  *inline_items[32];
} ValueStack;

static void
value_stack_init (ValueStack *stack)
{
  stack->items = stack->inline_items;
  stack->len = 0;
  stack->alloc = G_N_ELEMENTS (stack->inline_items);
}

static void
value_stack_push (ValueStack      *stack,
                  PochtaImapValue *value)
{
  if (stack->len == stack->alloc)
    {
      stack->alloc *= 2;
      if (stack->items == stack->inline_items)
        stack->items = g_memdup2 (stack->inline_items, sizeof stack->inline_items);
      stack->items = g_renew (PochtaImapValue *, stack->items, stack->alloc);
    }
  stack->items[stack->len++] = value;
}

static void
value_stack_clear (ValueStack *stack)
{
  if (stack->items != stack->inline_items)
    g_free (stack->items);
}

void
pochta_imap_value_free (PochtaImapValue *value)
{
  ValueStack stack;

  if (value == NULL || value->in_arena)
    return;

  if (value->children == NULL)
    {
      value_free_one (value);
      return;
    }

  value_stack_init (&stack);
  value_stack_push (&stack, value);

  while (stack.len > 0)
    {
      PochtaImapValue *v = stack.items[--stack.len];

      if (v->children != NULL)
        {
          gsize n = 0;
          gpointer *items = g_ptr_array_steal (v->children, &n);

          for (gsize i = 0; i < n; i++)
            {
              PochtaImapValue *child = items[i];

              /* An arena list is its response's, not this list's. */
              if (child->children == NULL || child->in_arena)
                value_free_one (child);
              else
                value_stack_push (&stack, child);
            }
          g_free (items);
          g_ptr_array_unref (v->children);
        }
      value_free_one (v);
    }

  value_stack_clear (&stack);
}

PochtaImapValue *
pochta_imap_value_new_atom (const char *data,
                            gsize       len)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return value_alloc (POCHTA_IMAP_VALUE_ATOM, data, len);
}

PochtaImapValue *
pochta_imap_value_new_string (const char *data,
                              gsize       len)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return value_alloc (POCHTA_IMAP_VALUE_STRING, data, len);
}

PochtaImapValue *
pochta_imap_value_new_nil (void)
{
  return (PochtaImapValue *) &nil_value;
}

PochtaImapValue *
pochta_imap_value_new_list (void)
{
  PochtaImapValue *value = g_new0 (PochtaImapValue, 1);

  value->type = POCHTA_IMAP_VALUE_LIST;
  /* Most lists in FETCH data hold a few items: room for 8 up front saves
   * the 2, 4, 8 regrowth of an empty GPtrArray. */
  value->children = g_ptr_array_new_full (8, (GDestroyNotify) pochta_imap_value_free);

  return value;
}

void
pochta_imap_value_list_append (PochtaImapValue *list,
                               PochtaImapValue *child)
{
  g_return_if_fail (list != NULL);
  g_return_if_fail (list->type == POCHTA_IMAP_VALUE_LIST);
  g_return_if_fail (!list->in_arena);
  g_return_if_fail (child != NULL);

  g_ptr_array_add (list->children, child);
}

guint
pochta_imap_value_list_size (const PochtaImapValue *value)
{
  if (value == NULL || value->type != POCHTA_IMAP_VALUE_LIST)
    return 0;

  return value->children->len;
}

PochtaImapValue *
pochta_imap_value_list_get (const PochtaImapValue *value,
                            guint                  index)
{
  if (value == NULL || value->type != POCHTA_IMAP_VALUE_LIST || index >= value->children->len)
    return NULL;

  return g_ptr_array_index (value->children, index);
}

gboolean
pochta_imap_value_is_atom (const PochtaImapValue *value,
                           const char            *atom)
{
  g_return_val_if_fail (atom != NULL, FALSE);

  if (value == NULL || value->type != POCHTA_IMAP_VALUE_ATOM)
    return FALSE;

  return strlen (atom) == value->len && g_ascii_strncasecmp (value->data, atom, value->len) == 0;
}

const char *
pochta_imap_value_get_text (const PochtaImapValue *value)
{
  if (value == NULL)
    return NULL;
  if (value->type != POCHTA_IMAP_VALUE_ATOM && value->type != POCHTA_IMAP_VALUE_STRING)
    return NULL;

  return value->data;
}

gboolean
pochta_imap_value_get_number (const PochtaImapValue *value,
                              guint64               *number)
{
  guint64 n = 0;

  if (value == NULL || value->type != POCHTA_IMAP_VALUE_ATOM || value->len == 0)
    return FALSE;

  for (gsize i = 0; i < value->len; i++)
    {
      guint d = (guchar) value->data[i] - '0';

      if (d > 9 || n > (G_MAXUINT64 - d) / 10)
        return FALSE;
      n = n * 10 + d;
    }

  if (number != NULL)
    *number = n;

  return TRUE;
}

/* --- Arenas of parsed responses ---------------------------------------- */

/* A header FETCH takes 2 to 8 KiB of values: the first block holds it,
 * and each thread keeps one spare first block, so that parsing a response
 * after freeing the last one costs no malloc at all. Later blocks grow up
 * to 64 KiB so a large LIST or a big literal does not cost a malloc per
 * value either, and stay below glibc's mmap threshold. */
#define ARENA_FIRST_BLOCK (16 * 1024)
#define ARENA_MAX_BLOCK   (64 * 1024)

typedef struct _ArenaBlock ArenaBlock;

struct _ArenaBlock
{
  ArenaBlock *next;
  gsize       pad;    /* keeps the data 16-byte aligned */
};

static GPrivate spare_block = G_PRIVATE_INIT (g_free);

PochtaImapArena *
_pochta_imap_arena_new (void)
{
  ArenaBlock *block = g_private_get (&spare_block);
  PochtaImapArena *arena;

  if (block != NULL)
    g_private_set (&spare_block, NULL);
  else
    block = g_malloc (ARENA_FIRST_BLOCK);

  arena = (PochtaImapArena *) (block + 1);
  block->next = NULL;
  arena->blocks = block;
  arena->ptr = (char *) (arena + 1);
  arena->ptr += (8 - ((guintptr) arena->ptr & 7)) & 7;
  arena->end = (char *) block + ARENA_FIRST_BLOCK;
  arena->next_size = ARENA_FIRST_BLOCK * 2;
  arena->adopted = NULL;

  return arena;
}

void
_pochta_imap_arena_free (PochtaImapArena *arena)
{
  ArenaBlock *first = (ArenaBlock *) arena - 1;
  ArenaBlock *block = arena->blocks;

  g_slist_free_full (g_steal_pointer (&arena->adopted), (GDestroyNotify) g_bytes_unref);

  /* The arena itself lives in its first block: freed last, or kept. */
  while (block != NULL)
    {
      ArenaBlock *next = block->next;

      if (block == first && g_private_get (&spare_block) == NULL)
        g_private_set (&spare_block, block);
      else
        g_free (block);
      block = next;
    }
}

gpointer
_pochta_imap_arena_alloc_slow (PochtaImapArena *arena,
                               gsize            size)
{
  ArenaBlock *block;
  gsize block_size = arena->next_size;

  /* Something large (a literal) gets a block of its own, linked behind the
   * current one so that the current one's free space stays in use. */
  if (size > block_size / 4)
    {
      ArenaBlock *head = arena->blocks;

      g_assert (size < G_MAXSIZE - sizeof (ArenaBlock));
      block = g_malloc (sizeof (ArenaBlock) + size);
      block->next = head->next;
      head->next = block;
      return block + 1;
    }

  block = g_malloc (block_size);
  block->next = arena->blocks;
  arena->blocks = block;
  arena->ptr = (char *) (block + 1) + size;
  arena->end = (char *) block + block_size;
  arena->next_size = MIN (block_size * 2, ARENA_MAX_BLOCK);

  return block + 1;
}

char *
_pochta_imap_arena_strndup (PochtaImapArena *arena,
                            const char      *data,
                            gsize            len)
{
  char *s = _pochta_imap_arena_alloc (arena, len + 1);

  memcpy (s, data, len);
  s[len] = '\0';

  return s;
}

char *
_pochta_imap_arena_strup (PochtaImapArena *arena,
                          const char      *data,
                          gsize            len)
{
  char *s = _pochta_imap_arena_alloc (arena, len + 1);

  for (gsize i = 0; i < len; i++)
    s[i] = g_ascii_toupper (data[i]);
  s[len] = '\0';

  return s;
}

PochtaImapValue *
_pochta_imap_arena_new_value (PochtaImapArena     *arena,
                              PochtaImapValueType  type,
                              const char          *data,
                              gsize                len)
{
  PochtaImapValue *value;
  gsize bytes = type == POCHTA_IMAP_VALUE_STREAMED ? 0 : len + 1;

  g_assert (len < G_MAXSIZE - sizeof (PochtaImapValue) - 8);

  value = _pochta_imap_arena_alloc (arena, sizeof (PochtaImapValue) + bytes);
  value_init (value, type, bytes > 0 ? (char *) (value + 1) : NULL, len, TRUE);
  if (bytes > 0)
    {
      if (data != NULL && len > 0)
        memcpy (value->data, data, len);
      value->data[len] = '\0';
    }

  return value;
}

/* Literals from this size up (message bodies) are handed on by reference:
 * copying each out of the arena was a sixth of a full sync's main thread. */
#define ADOPTED_LITERAL_MIN (16 * 1024)

PochtaImapValue *
_pochta_imap_arena_new_literal (PochtaImapArena *arena,
                                gsize            len)
{
  PochtaImapValue *value;
  char *data;

  if (len < ADOPTED_LITERAL_MIN)
    return _pochta_imap_arena_new_value (arena, POCHTA_IMAP_VALUE_STRING, NULL, len);

  data = g_malloc (len + 1);
  data[len] = '\0';
  value = _pochta_imap_arena_alloc (arena, sizeof (PochtaImapValue));
  value_init (value, POCHTA_IMAP_VALUE_STRING, data, len, TRUE);
  /* Filled by the parser before anyone else sees the GBytes. */
  value->bytes = g_bytes_new_take (data, len);
  arena->adopted = g_slist_prepend (arena->adopted, value->bytes);

  return value;
}

/* A list and its read-only view of the children, side by side. */
typedef struct
{
  PochtaImapValue value;
  GPtrArray       view;
} ArenaList;

PochtaImapValue *
_pochta_imap_arena_open_list (PochtaImapArena *arena)
{
  ArenaList *list = _pochta_imap_arena_alloc (arena, sizeof (ArenaList));

  value_init (&list->value, POCHTA_IMAP_VALUE_LIST, NULL, 0, TRUE);
  list->view.pdata = NULL;
  list->view.len = 0;
  list->value.children = &list->view;

  return &list->value;
}

void
_pochta_imap_arena_close_list (PochtaImapArena *arena,
                               PochtaImapValue *value)
{
  ArenaList *list = (ArenaList *) value;
  GPtrArray *building = value->children;

  g_assert (value->in_arena && value->type == POCHTA_IMAP_VALUE_LIST);

  if (building == &list->view)
    return;
  if (building->len > 0)
    {
      list->view.pdata = _pochta_imap_arena_alloc (arena, building->len * sizeof (gpointer));
      memcpy (list->view.pdata, building->pdata, building->len * sizeof (gpointer));
    }
  list->view.len = building->len;
  value->children = &list->view;
}

PochtaImapResponse *
_pochta_imap_arena_new_response (PochtaImapArena *arena)
{
  PochtaImapResponse *response = _pochta_imap_arena_alloc (arena, sizeof (PochtaImapResponse));

  memset (response, 0, sizeof *response);
  response->arena = arena;

  return response;
}

/* Diagnostics end up in logs and error dialogs: control bytes and invalid
 * UTF-8 are escaped so that a hostile server cannot forge log lines. */
static void
append_escaped (GString    *out,
                const char *data,
                gsize       len,
                gboolean    quoted)
{
  gboolean utf8 = g_utf8_validate_len (data, len, NULL);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if (quoted && (c == '"' || c == '\\'))
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
}

static void
append_text (GString    *out,
             const char *data,
             gsize       len,
             gboolean    quoted)
{
  gsize keep = len;

  if (len > ELIDE_ABOVE)
    {
      keep = ELIDE_KEEP;
      while (keep > 0 && ((guchar) data[keep] & 0xc0) == 0x80)
        keep--;
    }

  if (quoted)
    g_string_append_c (out, '"');
  append_escaped (out, data, keep, quoted);
  if (keep < len)
    g_string_append (out, "…");
  if (quoted)
    g_string_append_c (out, '"');
}

static void
append_scalar (GString               *out,
               const PochtaImapValue *value)
{
  switch (value->type)
    {
    case POCHTA_IMAP_VALUE_ATOM:
      append_text (out, value->data, value->len, FALSE);
      break;

    case POCHTA_IMAP_VALUE_STRING:
      if (value->is_literal || value->is_binary)
        g_string_append_printf (out, "%s{%" G_GSIZE_FORMAT "}",
                                value->is_binary ? "~" : "", value->len);
      append_text (out, value->data, value->len, TRUE);
      break;

    case POCHTA_IMAP_VALUE_NIL:
      g_string_append (out, "NIL");
      break;

    case POCHTA_IMAP_VALUE_STREAMED:
      g_string_append_printf (out, "{%" G_GSIZE_FORMAT "}<streamed>", value->len);
      break;

    case POCHTA_IMAP_VALUE_LIST:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  const PochtaImapValue *list;
  guint                  next;
} Frame;

/* Renders the children of @list separated by spaces, without the
 * surrounding parentheses. */
static void
append_children (GString               *out,
                 const PochtaImapValue *list)
{
  g_autoptr(GArray) frames = NULL;
  Frame top = { list, 0 };

  for (;;)
    {
      if (top.next < top.list->children->len)
        {
          const PochtaImapValue *child = g_ptr_array_index (top.list->children, top.next);

          if (top.next++ > 0)
            g_string_append_c (out, ' ');

          if (child->type != POCHTA_IMAP_VALUE_LIST)
            {
              append_scalar (out, child);
              continue;
            }

          g_string_append_c (out, '(');
          if (frames == NULL)
            frames = g_array_new (FALSE, FALSE, sizeof (Frame));
          g_array_append_val (frames, top);
          top.list = child;
          top.next = 0;
        }
      else
        {
          if (frames == NULL || frames->len == 0)
            break;
          g_string_append_c (out, ')');
          top = g_array_index (frames, Frame, frames->len - 1);
          g_array_set_size (frames, frames->len - 1);
        }
    }
}

static void
append_value (GString               *out,
              const PochtaImapValue *value)
{
  if (value->type == POCHTA_IMAP_VALUE_LIST)
    {
      g_string_append_c (out, '(');
      append_children (out, value);
      g_string_append_c (out, ')');
    }
  else
    {
      append_scalar (out, value);
    }
}

char *
pochta_imap_value_to_string (const PochtaImapValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (64);
  append_value (out, value);

  return g_string_free (out, FALSE);
}

void
pochta_imap_response_free (PochtaImapResponse *response)
{
  if (response == NULL)
    return;

  /* The struct itself is in the arena too. */
  if (response->arena != NULL)
    {
      _pochta_imap_arena_free (response->arena);
      return;
    }

  g_free (response->tag);
  g_free (response->code);
  g_clear_pointer (&response->code_args, pochta_imap_value_free);
  g_free (response->text);
  g_free (response->keyword);
  g_clear_pointer (&response->data, pochta_imap_value_free);
  g_free (response);
}

static const char *
status_name (PochtaImapStatus status)
{
  switch (status)
    {
    case POCHTA_IMAP_STATUS_OK:      return "OK";
    case POCHTA_IMAP_STATUS_NO:      return "NO";
    case POCHTA_IMAP_STATUS_BAD:     return "BAD";
    case POCHTA_IMAP_STATUS_PREAUTH: return "PREAUTH";
    case POCHTA_IMAP_STATUS_BYE:     return "BYE";
    case POCHTA_IMAP_STATUS_NONE:
    default:                         return NULL;
    }
}

char *
pochta_imap_response_to_string (const PochtaImapResponse *response)
{
  GString *out;

  g_return_val_if_fail (response != NULL, NULL);

  out = g_string_sized_new (64);

  switch (response->kind)
    {
    case POCHTA_IMAP_RESPONSE_CONTINUATION:
      g_string_append_c (out, '+');
      break;

    case POCHTA_IMAP_RESPONSE_TAGGED:
      append_escaped (out, response->tag, strlen (response->tag), FALSE);
      break;

    case POCHTA_IMAP_RESPONSE_UNTAGGED:
    default:
      g_string_append_c (out, '*');
      break;
    }

  if (response->has_number)
    g_string_append_printf (out, " %" G_GUINT64_FORMAT, response->number);

  if (status_name (response->status) != NULL)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, status_name (response->status));
    }
  else if (response->keyword != NULL)
    {
      g_string_append_c (out, ' ');
      append_escaped (out, response->keyword, strlen (response->keyword), FALSE);
    }

  if (response->code != NULL)
    {
      g_string_append (out, " [");
      append_escaped (out, response->code, strlen (response->code), FALSE);
      if (response->code_args != NULL && response->code_args->children->len > 0)
        {
          g_string_append_c (out, ' ');
          append_children (out, response->code_args);
        }
      g_string_append_c (out, ']');
    }

  if (response->text != NULL && response->text[0] != '\0')
    {
      g_string_append_c (out, ' ');
      append_text (out, response->text, strlen (response->text), FALSE);
    }

  if (response->status == POCHTA_IMAP_STATUS_NONE && response->data != NULL &&
      response->data->children->len > 0)
    {
      g_string_append_c (out, ' ');
      append_children (out, response->data);
    }

  return g_string_free (out, FALSE);
}
