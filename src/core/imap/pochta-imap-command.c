/* pochta-imap-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds IMAP commands and serialises them into chunks split at literals.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-command.h"
#include "pochta-imap-error.h"
#include "pochta-imap-utf7.h"

typedef enum
{
  ARG_ATOM,      /* written as is: atoms, numbers, flags, fetch items, raw text */
  ARG_ASTRING,   /* atom when safe, else quoted, else literal */
  ARG_STRING,    /* quoted or literal, never an atom */
  ARG_MAILBOX,   /* UTF-8 name, encoded at serialisation time */
  ARG_LITERAL,
  ARG_LITERAL8,
  ARG_LIST_BEGIN,
  ARG_LIST_END,
} ArgKind;

typedef struct
{
  ArgKind   kind;
  gboolean  secret;
  char     *text;
  GBytes   *bytes;
} Arg;

struct _PochtaImapCommand
{
  char   *name;
  char   *tag;
  GArray *args;
  guint   depth;
};

static void
arg_clear (gpointer data)
{
  Arg *arg = data;

  g_clear_pointer (&arg->text, g_free);
  g_clear_pointer (&arg->bytes, g_bytes_unref);
}

void
pochta_imap_command_chunk_free (PochtaImapCommandChunk *chunk)
{
  if (chunk == NULL)
    return;
  g_clear_pointer (&chunk->data, g_bytes_unref);
  g_free (chunk);
}

/* ATOM-CHAR of RFC 3501 section 9: any CHAR except atom-specials. */
gboolean
pochta_imap_is_atom_char (guchar c)
{
  if (c <= 0x1f || c >= 0x7f)
    return FALSE;
  return strchr ("(){ %*\"\\]", c) == NULL;
}

PochtaImapSerializeFlags
pochta_imap_serialize_flags_from_capabilities (const PochtaImapCapabilities *capabilities,
                                               gboolean                      utf8_enabled)
{
  PochtaImapSerializeFlags flags = POCHTA_IMAP_SERIALIZE_DEFAULT;

  if (capabilities != NULL)
    {
      if (pochta_imap_capabilities_has_flag (capabilities, POCHTA_IMAP_CAPABILITY_LITERAL_PLUS))
        flags |= POCHTA_IMAP_SERIALIZE_LITERAL_PLUS;
      if (pochta_imap_capabilities_has_flag (capabilities, POCHTA_IMAP_CAPABILITY_LITERAL_MINUS))
        flags |= POCHTA_IMAP_SERIALIZE_LITERAL_MINUS;
    }
  /* UTF8=ACCEPT only counts once ENABLEd (RFC 6855 section 3). */
  if (utf8_enabled)
    flags |= POCHTA_IMAP_SERIALIZE_UTF8;
  return flags;
}

/**
 * pochta_imap_command_new:
 * @name: the command, possibly several atoms ("UID FETCH")
 *
 * Returns: (transfer full): a command without a tag yet
 */
PochtaImapCommand *
pochta_imap_command_new (const char *name)
{
  PochtaImapCommand *self;

  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  self = g_new0 (PochtaImapCommand, 1);
  self->name = g_strdup (name);
  self->args = g_array_new (FALSE, TRUE, sizeof (Arg));
  g_array_set_clear_func (self->args, arg_clear);
  return self;
}

void
pochta_imap_command_free (PochtaImapCommand *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->args, g_array_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_free (self);
}

const char *
pochta_imap_command_get_name (const PochtaImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
pochta_imap_command_get_tag (const PochtaImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->tag;
}

static gboolean
is_valid_tag (const char *tag)
{
  if (tag[0] == '\0')
    return FALSE;
  for (const char *p = tag; *p != '\0'; p++)
    if (!pochta_imap_is_atom_char ((guchar) *p) || *p == '+')
      return FALSE;
  return TRUE;
}

void
pochta_imap_command_set_tag (PochtaImapCommand *self,
                             const char        *tag)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (tag != NULL && is_valid_tag (tag));

  g_free (self->tag);
  self->tag = g_strdup (tag);
}

static void
add_arg (PochtaImapCommand *self,
         ArgKind            kind,
         char              *text,
         GBytes            *bytes,
         gboolean           secret)
{
  Arg arg = { kind, secret, text, bytes };

  g_array_append_val (self->args, arg);
}

/* Atoms here are the command's own syntax (fetch items such as
 * "BODY.PEEK[HEADER.FIELDS (REFERENCES)]" go through add_raw), so only
 * what would break the line or the list structure is refused. */
static gboolean
is_valid_atom (const char *atom)
{
  if (atom[0] == '\0')
    return FALSE;
  for (const char *p = atom; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || strchr ("(){\"", *p) != NULL)
      return FALSE;
  return TRUE;
}

void
pochta_imap_command_add_atom (PochtaImapCommand *self,
                              const char        *atom)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (atom != NULL && is_valid_atom (atom));

  add_arg (self, ARG_ATOM, g_strdup (atom), NULL, FALSE);
}

void
pochta_imap_command_add_raw (PochtaImapCommand *self,
                             const char        *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL && strpbrk (text, "\r\n") == NULL);

  add_arg (self, ARG_ATOM, g_strdup (text), NULL, FALSE);
}

void
pochta_imap_command_add_astring (PochtaImapCommand *self,
                                 const char        *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  add_arg (self, ARG_ASTRING, g_strdup (text), NULL, FALSE);
}

void
pochta_imap_command_add_string (PochtaImapCommand *self,
                                const char        *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  add_arg (self, ARG_STRING, g_strdup (text), NULL, FALSE);
}

/* An astring the trace must never show (a password). */
void
pochta_imap_command_add_secret (PochtaImapCommand *self,
                                const char        *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  add_arg (self, ARG_ASTRING, g_strdup (text), NULL, TRUE);
}

void
pochta_imap_command_add_nil (PochtaImapCommand *self)
{
  g_return_if_fail (self != NULL);

  add_arg (self, ARG_ATOM, g_strdup ("NIL"), NULL, FALSE);
}

/* @name is UTF-8; it is sent in modified UTF-7 unless UTF8=ACCEPT is enabled. */
void
pochta_imap_command_add_mailbox (PochtaImapCommand *self,
                                 const char        *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && g_utf8_validate (name, -1, NULL));

  add_arg (self, ARG_MAILBOX, g_strdup (name), NULL, FALSE);
}

void
pochta_imap_command_add_number (PochtaImapCommand *self,
                                guint64            number)
{
  g_return_if_fail (self != NULL);

  add_arg (self, ARG_ATOM, g_strdup_printf ("%" G_GUINT64_FORMAT, number), NULL, FALSE);
}

void
pochta_imap_command_add_sequence_set (PochtaImapCommand           *self,
                                      const PochtaImapSequenceSet *set)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (set != NULL && !pochta_imap_sequence_set_is_empty (set));

  add_arg (self, ARG_ATOM, pochta_imap_sequence_set_to_string (set), NULL, FALSE);
}

void
pochta_imap_command_add_literal (PochtaImapCommand *self,
                                 GBytes            *data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  add_arg (self, ARG_LITERAL, NULL, g_bytes_ref (data), FALSE);
}

/* A binary literal ~{n} (RFC 3516), for APPEND of 8-bit or NUL-bearing data. */
void
pochta_imap_command_add_literal8 (PochtaImapCommand *self,
                                  GBytes            *data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  add_arg (self, ARG_LITERAL8, NULL, g_bytes_ref (data), FALSE);
}

void
pochta_imap_command_begin_list (PochtaImapCommand *self)
{
  g_return_if_fail (self != NULL);

  self->depth++;
  add_arg (self, ARG_LIST_BEGIN, NULL, NULL, FALSE);
}

void
pochta_imap_command_end_list (PochtaImapCommand *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->depth > 0);

  self->depth--;
  add_arg (self, ARG_LIST_END, NULL, NULL, FALSE);
}

typedef struct
{
  GPtrArray                *chunks;
  GByteArray               *current;
  PochtaImapSerializeFlags  flags;
} Writer;

static void
writer_flush (Writer   *w,
              gboolean  secret,
              gboolean  wait_continuation)
{
  PochtaImapCommandChunk *chunk;

  if (w->current->len == 0)
    return;

  chunk = g_new0 (PochtaImapCommandChunk, 1);
  chunk->data = g_byte_array_free_to_bytes (w->current);
  chunk->secret = secret;
  chunk->wait_continuation = wait_continuation;
  g_ptr_array_add (w->chunks, chunk);
  w->current = g_byte_array_new ();
}

static void
writer_append (Writer     *w,
               const void *data,
               gsize       len)
{
  g_byte_array_append (w->current, data, (guint) len);
}

static void
writer_append_str (Writer     *w,
                   const char *text)
{
  writer_append (w, text, strlen (text));
}

static void
writer_add_chunk (Writer   *w,
                  GBytes   *bytes,
                  gboolean  secret)
{
  PochtaImapCommandChunk *chunk = g_new0 (PochtaImapCommandChunk, 1);

  chunk->data = g_bytes_ref (bytes);
  chunk->secret = secret;
  g_ptr_array_add (w->chunks, chunk);
}

static void
write_literal (Writer   *w,
               GBytes   *bytes,
               gboolean  binary,
               gboolean  secret)
{
  gsize size = g_bytes_get_size (bytes);
  gboolean non_sync;
  char header[48];

  non_sync = (w->flags & POCHTA_IMAP_SERIALIZE_LITERAL_PLUS) != 0
             || ((w->flags & POCHTA_IMAP_SERIALIZE_LITERAL_MINUS) != 0
                 && size <= POCHTA_IMAP_LITERAL_MINUS_MAX);

  g_snprintf (header, sizeof header, "%s{%" G_GSIZE_FORMAT "%s}\r\n",
              binary ? "~" : "", size, non_sync ? "+" : "");
  writer_append_str (w, header);
  writer_flush (w, FALSE, !non_sync);
  if (size > 0)
    writer_add_chunk (w, bytes, secret);
}

typedef enum
{
  FORM_ATOM,
  FORM_QUOTED,
  FORM_LITERAL,
} StringForm;

static StringForm
choose_form (const char *text,
             gsize       len,
             gboolean    allow_atom,
             gboolean    utf8)
{
  gboolean atom_ok = allow_atom && len > 0;
  gboolean eight_bit = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '\0' || c == '\r' || c == '\n')
        return FORM_LITERAL;
      if (c >= 0x80)
        eight_bit = TRUE;
      /* astring also allows "]" (ASTRING-CHAR = ATOM-CHAR / resp-specials). */
      if (!pochta_imap_is_atom_char (c) && c != ']')
        atom_ok = FALSE;
    }

  /* A bare NIL would read as the NIL value, not the string "NIL". */
  if (atom_ok && g_ascii_strcasecmp (text, "NIL") != 0)
    return FORM_ATOM;
  if (len > POCHTA_IMAP_COMMAND_MAX_QUOTED)
    return FORM_LITERAL;
  /* RFC 6855 lets quoted strings carry UTF-8 once UTF8=ACCEPT is enabled. */
  if (eight_bit && !(utf8 && g_utf8_validate (text, len, NULL)))
    return FORM_LITERAL;
  return FORM_QUOTED;
}

static void
write_string (Writer     *w,
              const char *text,
              gboolean    allow_atom,
              gboolean    secret)
{
  gsize len = strlen (text);
  StringForm form = choose_form (text, len, allow_atom, (w->flags & POCHTA_IMAP_SERIALIZE_UTF8) != 0);

  if (form == FORM_LITERAL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (text, len);

      write_literal (w, bytes, FALSE, secret);
      return;
    }

  /* A secret gets a chunk of its own, so the trace can hide just it. */
  if (secret)
    writer_flush (w, FALSE, FALSE);

  if (form == FORM_ATOM)
    writer_append (w, text, len);
  else
    {
      writer_append_str (w, "\"");
      for (gsize i = 0; i < len; i++)
        {
          if (text[i] == '"' || text[i] == '\\')
            writer_append_str (w, "\\");
          writer_append (w, &text[i], 1);
        }
      writer_append_str (w, "\"");
    }

  if (secret)
    writer_flush (w, TRUE, FALSE);
}

static gboolean
has_nul (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return size > 0 && memchr (data, '\0', size) != NULL;
}

/**
 * pochta_imap_command_serialize:
 * @self: a command with its tag set
 * @flags: what the session allows (see pochta_imap_serialize_flags_from_capabilities())
 * @error: set when an argument cannot be sent (a NUL byte outside a binary literal)
 *
 * The client writes the chunks in order; after one with wait_continuation
 * it waits for the server's "+" before writing the next.
 *
 * Returns: (transfer full) (element-type PochtaImapCommandChunk) (nullable): the chunks
 */
GPtrArray *
pochta_imap_command_serialize (const PochtaImapCommand   *self,
                               PochtaImapSerializeFlags   flags,
                               GError                   **error)
{
  g_autoptr(GPtrArray) chunks = NULL;
  gboolean space = TRUE;
  Writer w;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->tag != NULL, NULL);
  g_return_val_if_fail (self->depth == 0, NULL);

  chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_command_chunk_free);
  w.chunks = chunks;
  w.current = g_byte_array_new ();
  w.flags = flags;

  writer_append_str (&w, self->tag);
  writer_append_str (&w, " ");
  writer_append_str (&w, self->name);

  for (guint i = 0; i < self->args->len; i++)
    {
      const Arg *arg = &g_array_index (self->args, Arg, i);
      gboolean ok = TRUE;

      if (space && arg->kind != ARG_LIST_END)
        writer_append_str (&w, " ");
      space = arg->kind != ARG_LIST_BEGIN;

      switch (arg->kind)
        {
        case ARG_ATOM:
          writer_append_str (&w, arg->text);
          break;

        case ARG_ASTRING:
        case ARG_STRING:
          write_string (&w, arg->text, arg->kind == ARG_ASTRING, arg->secret);
          break;

        case ARG_MAILBOX:
          if ((flags & POCHTA_IMAP_SERIALIZE_UTF8) != 0)
            write_string (&w, arg->text, TRUE, FALSE);
          else
            {
              g_autofree char *encoded = pochta_imap_utf7_encode (arg->text);

              write_string (&w, encoded, TRUE, FALSE);
            }
          break;

        case ARG_LITERAL:
          if (has_nul (arg->bytes))
            {
              g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                   _("A NUL byte can only be sent in a binary literal"));
              ok = FALSE;
            }
          else
            write_literal (&w, arg->bytes, FALSE, arg->secret);
          break;

        case ARG_LITERAL8:
          write_literal (&w, arg->bytes, TRUE, arg->secret);
          break;

        case ARG_LIST_BEGIN:
          writer_append_str (&w, "(");
          break;

        case ARG_LIST_END:
          writer_append_str (&w, ")");
          break;

        default:
          g_assert_not_reached ();
        }

      if (!ok)
        {
          g_byte_array_unref (w.current);
          return NULL;
        }
    }

  writer_append_str (&w, "\r\n");
  writer_flush (&w, FALSE, FALSE);
  g_byte_array_unref (w.current);
  return g_steal_pointer (&chunks);
}
