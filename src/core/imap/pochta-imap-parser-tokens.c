/* pochta-imap-parser-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IMAP parser's value tokenizer: atoms, strings, literal headers and
 * lists, resumable at any byte, and the parser's error reporting.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-imap-parser-private.h"

/* Byte classes inside atoms. */
enum
{
  A_ATOM = 0,
  A_DELIM,          /* SP ( ) " CR LF */
  A_OPEN_BRACKET,
  A_CLOSE_BRACKET,
};

static const guint8 atom_class[256] = {
  [' '] = A_DELIM, ['('] = A_DELIM, [')'] = A_DELIM, ['"'] = A_DELIM,
  ['\r'] = A_DELIM, ['\n'] = A_DELIM,
  ['['] = A_OPEN_BRACKET, [']'] = A_CLOSE_BRACKET,
};

static const guint8 quoted_stop[256] = {
  ['"'] = 1, ['\\'] = 1, ['\n'] = 1,
};

/* A short, printable excerpt of the bytes around an error, from the start
 * of their line: enough to recognise the response, never the whole of it. */
static char *
make_excerpt (const char *buf,
              gsize       len,
              gsize       at)
{
  GString *out = g_string_sized_new (64);
  gsize start, end;

  at = MIN (at, len);
  start = at;
  while (start > 0 && at - start < 40 && buf[start - 1] != '\n')
    start--;
  end = at;
  while (end < len && end - at < 20 && buf[end] != '\n')
    end++;

  for (gsize i = start; i < end; i++)
    {
      guchar c = buf[i];

      g_string_append_c (out, c >= 0x20 && c < 0x7f ? (char) c : '?');
    }

  return g_string_free (out, FALSE);
}

Step
_pochta_imap_parser_parse_error (PochtaImapParser  *self,
             GError           **error,
             const char        *buf,
             gsize              len,
             gsize              at,
             const char        *format,
             ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *excerpt = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  excerpt = make_excerpt (buf, len, at);
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed IMAP response: %s, near “%s”"), reason, excerpt);
  self->state = STATE_ERROR;

  return STEP_ERROR;
}

Step
_pochta_imap_parser_limit_error (PochtaImapParser  *self,
             GError           **error,
             const char        *format,
             ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    {
      g_assert (*error == NULL);
      *error = g_error_new_valist (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT, format, args);
    }
  va_end (args);
  self->state = STATE_ERROR;

  return STEP_ERROR;
}

/* Makes @list (an arena list) the innermost open one: its children gather
 * in the scratch array of its depth, reused from response to response,
 * until _close_list() copies them into the arena. */
void
_pochta_imap_parser_open_list (PochtaImapParser *self,
                               PochtaImapValue  *list)
{
  guint depth = self->depth;
  Scratch *scratch;

  if (depth == self->scratch->len)
    {
      scratch = g_new0 (Scratch, 1);
      g_ptr_array_add (self->scratch, scratch);
    }
  scratch = g_ptr_array_index (self->scratch, depth);
  scratch->view.len = 0;
  list->children = &scratch->view;
  if (depth == self->stack_alloc)
    {
      self->stack_alloc = MAX (16, self->stack_alloc * 2);
      self->stack = g_renew (PochtaImapValue *, self->stack, self->stack_alloc);
    }
  self->stack[self->depth++] = list;
}

void
_pochta_imap_parser_close_list (PochtaImapParser *self)
{
  PochtaImapValue *list = self->stack[self->depth - 1];
  Scratch *scratch = (Scratch *) list->children;

  _pochta_imap_arena_close_list (self->arena, list);
  scratch->view.len = 0;
  self->depth--;
}

void
_pochta_imap_parser_append (PochtaImapParser *self,
                            PochtaImapValue  *value)
{
  PochtaImapValue *top = self->stack[self->depth - 1];
  Scratch *scratch = (Scratch *) top->children;

  if (G_UNLIKELY (scratch->view.len == scratch->alloc))
    {
      scratch->alloc = MAX (16, scratch->alloc * 2);
      scratch->view.pdata = g_renew (gpointer, scratch->view.pdata, scratch->alloc);
    }
  scratch->view.pdata[scratch->view.len++] = value;
}

gboolean
_pochta_imap_parser_add_value (PochtaImapParser  *self,
           PochtaImapValue   *value,
           GError           **error)
{
  if (G_UNLIKELY (++self->items > self->limits.max_items))
    {
      /* An arena value: it goes with the response. */
      _pochta_imap_parser_limit_error (self, error, _("IMAP response has more than %u values (the limit)"),
                   self->limits.max_items);
      return FALSE;
    }

  _pochta_imap_parser_append (self, value);

  return TRUE;
}

static PochtaImapValue *
new_quoted (PochtaImapParser *self,
            const char       *s,
            gsize             n)
{
  PochtaImapValue *value = _pochta_imap_arena_new_value (self->arena, POCHTA_IMAP_VALUE_STRING, s, n);
  const char *bs = memchr (s, '\\', n);

  /* RFC 3501 only escapes '"' and '\'; anything else after a backslash is
   * kept as sent rather than guessed at. */
  if (bs != NULL)
    {
      char *out = value->data + (bs - s);
      const char *end = s + n;

      for (const char *p = bs; p < end; p++)
        {
          if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
            p++;
          *out++ = *p;
        }
      *out = '\0';
      value->len = out - value->data;
    }

  return value;
}

static gboolean
add_atom (PochtaImapParser  *self,
          const char        *s,
          gsize              n,
          GError           **error)
{
  if (n == 3 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'i' && (s[2] | 0x20) == 'l')
    return _pochta_imap_parser_add_value (self, pochta_imap_value_new_nil (), error);

  return _pochta_imap_parser_add_value (self,
                                        _pochta_imap_arena_new_value (self->arena,
                                                                      POCHTA_IMAP_VALUE_ATOM, s, n),
                                        error);
}

/* Whether an atom that reached '[' is a fetch item whose section may hold
 * spaces and parentheses, as in BODY[HEADER.FIELDS (DATE FROM)]<0>. Other
 * atoms (a mailbox named "a[b") keep '[' as an ordinary character. */
static gboolean
is_section_prefix (PochtaImapParser *self,
                   const char       *s,
                   gsize             n)
{
  static const char * const names[] = {
    "BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE",
  };
  char name[16];
  gsize len = self->tok->len + n;

  if (len >= sizeof name)
    return FALSE;
  memcpy (name, self->tok->str, self->tok->len);
  memcpy (name + self->tok->len, s, n);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == len && g_ascii_strncasecmp (name, names[i], len) == 0)
      return TRUE;

  return FALSE;
}

/* Scans an atom from p, @start being where its bytes in this buffer begin.
 * Returns the first byte after it, or @end if it may go on. */
static const char *
scan_atom (PochtaImapParser *self,
           const char       *start,
           const char       *p,
           const char       *end)
{
  for (;;)
    {
      guint8 cls;

      if (self->tok_sub)
        {
          while (p < end && *p != ']' && *p != '\n')
            p++;
          if (p == end || *p == '\n')
            return p;
          self->tok_sub = FALSE;
          p++;
        }

      while (p < end && atom_class[(guchar) *p] == A_ATOM)
        p++;
      if (p == end)
        return end;

      cls = atom_class[(guchar) *p];
      if (cls == A_OPEN_BRACKET && !self->in_code)
        {
          self->tok_sub = is_section_prefix (self, start, p - start);
          p++;
        }
      else if (cls == A_OPEN_BRACKET || (cls == A_CLOSE_BRACKET && !self->in_code))
        {
          p++;
        }
      else
        {
          return p;
        }
    }
}

/* Scans a quoted string's body; returns the closing '"', a LF (the string
 * is unterminated) or @end. */
static const char *
scan_quoted (PochtaImapParser *self,
             const char       *p,
             const char       *end)
{
  if (self->tok_sub && p < end)
    {
      if (*p == '\n')
        return p;
      self->tok_sub = FALSE;
      p++;
    }

  while (p < end)
    {
      if (quoted_stop[(guchar) *p])
        {
          if (*p != '\\')
            return p;
          if (p + 1 == end)
            {
              self->tok_sub = TRUE;
              return end;
            }
          if (p[1] == '\n')
            return p + 1;
          p += 2;
        }
      else
        {
          p++;
        }
    }

  return end;
}

typedef enum
{
  LIT_MORE,
  LIT_DONE,
  LIT_BAD,
  LIT_OVERFLOW,
} LitScan;

/* Advances the literal header scanner over *pp; on LIT_BAD, *pp is at the
 * offending byte. */
static LitScan
scan_literal (PochtaImapParser  *self,
              const char       **pp,
              const char        *end)
{
  const char *p = *pp;
  LitScan ret = LIT_MORE;

  for (; p < end && ret == LIT_MORE; p++)
    {
      guint c = (guchar) *p;

      switch (self->tok_sub)
        {
        case LIT_TILDE:
          if (c != '{')
            ret = LIT_BAD;
          else
            self->tok_sub = LIT_OPEN;
          break;

        case LIT_OPEN:
        case LIT_DIGITS:
          if (c >= '0' && c <= '9')
            {
              if (self->literal_size > (G_MAXUINT64 - (c - '0')) / 10)
                ret = LIT_OVERFLOW;
              self->literal_size = self->literal_size * 10 + (c - '0');
              self->tok_sub = LIT_DIGITS;
            }
          else if (self->tok_sub == LIT_DIGITS && c == '+')
            self->tok_sub = LIT_PLUS;
          else if (self->tok_sub == LIT_DIGITS && c == '}')
            self->tok_sub = LIT_CLOSE;
          else
            ret = LIT_BAD;
          break;

        case LIT_PLUS:
          if (c == '}')
            self->tok_sub = LIT_CLOSE;
          else
            ret = LIT_BAD;
          break;

        case LIT_CLOSE:
        case LIT_CR:
          if (c == '\n')
            ret = LIT_DONE;
          else if (c == '\r' && self->tok_sub == LIT_CLOSE)
            self->tok_sub = LIT_CR;
          else
            ret = LIT_BAD;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (ret == LIT_BAD)
    p--;
  *pp = p;

  return ret;
}

static Step
push_list (PochtaImapParser  *self,
           const char        *buf,
           gsize              len,
           gsize              at,
           GError           **error)
{
  PochtaImapValue *list;

  if (G_UNLIKELY (self->depth > self->limits.max_depth))
    return _pochta_imap_parser_limit_error (self, error, _("IMAP response nests lists deeper than %u (the limit)"),
                        self->limits.max_depth);

  list = _pochta_imap_arena_open_list (self->arena);
  if (!_pochta_imap_parser_add_value (self, list, error))
    return STEP_ERROR;
  _pochta_imap_parser_open_list (self, list);

  return STEP_MORE;
}

/* Adds the atom [s, s+n), which ended at buf[at]. */
static gboolean
finish_atom (PochtaImapParser  *self,
             const char        *buf,
             gsize              len,
             gsize              at,
             const char        *s,
             gsize              n,
             GError           **error)
{
  if (self->tok_sub)
    {
      /* A '[' of a section never closed before the end of the line. */
      if (!self->lenient)
        {
          _pochta_imap_parser_parse_error (self, error, buf, len, at, _("unterminated section"));
          return FALSE;
        }
      self->tok_sub = FALSE;
      while (n > 0 && s[n - 1] == '\r')
        n--;
    }
  self->need_delim = TRUE;

  return add_atom (self, s, n, error);
}

/* Continues a token cut by the end of the previous feed. */
static Step
resume_token (PochtaImapParser  *self,
              const char        *buf,
              gsize              len,
              gsize             *pos,
              GError           **error)
{
  const char *p = buf + *pos;
  const char *end = buf + len;
  const char *q;
  gboolean ok;

  switch (self->tok_kind)
    {
    case TOK_ATOM:
      q = scan_atom (self, p, p, end);
      g_string_append_len (self->tok, p, q - p);
      if (q == end)
        {
          *pos = len;
          return STEP_MORE;
        }
      ok = finish_atom (self, buf, len, q - buf, self->tok->str, self->tok->len, error);
      break;

    case TOK_QUOTED:
      q = scan_quoted (self, p, end);
      g_string_append_len (self->tok, p, q - p);
      if (q == end)
        {
          *pos = len;
          return STEP_MORE;
        }
      if (*q == '\n' && !self->lenient)
        return _pochta_imap_parser_parse_error (self, error, buf, len, q - buf, _("unterminated quoted string"));
      if (*q == '"')
        q++;
      else if (self->tok->len > 1 && self->tok->str[self->tok->len - 1] == '\r')
        g_string_truncate (self->tok, self->tok->len - 1);
      self->need_delim = TRUE;
      ok = _pochta_imap_parser_add_value (self, new_quoted (self, self->tok->str + 1, self->tok->len - 1), error);
      break;

    case TOK_LITERAL:
      q = p;
      switch (scan_literal (self, &q, end))
        {
        case LIT_MORE:
          g_string_append_len (self->tok, p, q - p);
          *pos = len;
          return STEP_MORE;

        case LIT_DONE:
          self->tok_kind = TOK_NONE;
          g_string_truncate (self->tok, 0);
          *pos = q - buf;
          return STEP_LITERAL;

        case LIT_OVERFLOW:
          return _pochta_imap_parser_parse_error (self, error, buf, len, q - buf, _("literal size is too large"));

        case LIT_BAD:
        default:
          g_string_append_len (self->tok, p, q - p);
          if (self->tok_sub == LIT_TILDE || (self->lenient && self->tok_sub != LIT_CR))
            {
              /* "~foo", or "{x" in data we only keep: an atom after all. */
              self->tok_kind = TOK_ATOM;
              self->tok_sub = FALSE;
              *pos = q - buf;
              return resume_token (self, buf, len, pos, error);
            }
          return _pochta_imap_parser_parse_error (self, error, buf, len, q - buf,
                              self->tok_sub >= LIT_CLOSE ? _("a literal must end its line")
                                                         : _("literal size is not a number"));
        }

    case TOK_NONE:
    default:
      g_assert_not_reached ();
    }

  self->tok_kind = TOK_NONE;
  self->tok_sub = 0;
  g_string_truncate (self->tok, 0);
  *pos = q - buf;

  return ok ? STEP_MORE : STEP_ERROR;
}

static Step
close_list (PochtaImapParser  *self,
            const char        *buf,
            gsize              len,
            gsize              at,
            GError           **error)
{
  if (self->depth > 1)
    {
      _pochta_imap_parser_close_list (self);
      self->need_delim = TRUE;
      return STEP_MORE;
    }

  if (!self->lenient || self->in_code)
    return _pochta_imap_parser_parse_error (self, error, buf, len, at, _("unexpected “)”"));

  return add_atom (self, ")", 1, error) ? STEP_MORE : STEP_ERROR;
}

/* Parses values from buf[*pos..len) into the open list, stopping at the
 * end of the line, the end of a response code, a literal header or the end
 * of the input; a token cut by the end of input waits in self->tok. */
Step
_pochta_imap_parser_tokenize (PochtaImapParser  *self,
          const char        *buf,
          gsize              len,
          gsize             *pos,
          GError           **error)
{
  const char *p;
  const char *end = buf + len;

  if (self->tok_kind != TOK_NONE)
    {
      Step step = resume_token (self, buf, len, pos, error);

      if (step != STEP_MORE || *pos == len)
        return step;
    }

  p = buf + *pos;
  while (p < end)
    {
      guchar c = *p;
      const char *q;

      if (c == ' ' || c == '\r')
        {
          self->need_delim = FALSE;
          p++;
          continue;
        }

      if (self->need_delim)
        {
          if (c != '(' && c != ')' && c != '\n' && !(c == ']' && self->in_code) && !self->lenient)
            return _pochta_imap_parser_parse_error (self, error, buf, len, p - buf,
                                _("missing space between values"));
          self->need_delim = FALSE;
        }

      switch (c)
        {
        case '\n':
          *pos = p + 1 - buf;
          if (self->in_code)
            return _pochta_imap_parser_parse_error (self, error, buf, len, p - buf, _("missing “]”"));
          if (self->depth > 1 && !self->lenient)
            return _pochta_imap_parser_parse_error (self, error, buf, len, p - buf, _("unterminated list"));
          return STEP_EOL;

        case '(':
          if (push_list (self, buf, len, p - buf, error) != STEP_MORE)
            return STEP_ERROR;
          p++;
          break;

        case ')':
          if (close_list (self, buf, len, p - buf, error) != STEP_MORE)
            return STEP_ERROR;
          p++;
          break;

        case ']':
          if (!self->in_code)
            goto atom;
          if (self->depth > 1)
            return _pochta_imap_parser_parse_error (self, error, buf, len, p - buf, _("“]” inside a list"));
          *pos = p + 1 - buf;
          return STEP_CODE_END;

        case '"':
          self->tok_sub = FALSE;
          q = scan_quoted (self, p + 1, end);
          if (q == end)
            {
              self->tok_kind = TOK_QUOTED;
              g_string_append_len (self->tok, p, end - p);
              *pos = len;
              return STEP_MORE;
            }
          if (*q == '\n' && !self->lenient)
            return _pochta_imap_parser_parse_error (self, error, buf, len, q - buf, _("unterminated quoted string"));
          if (!_pochta_imap_parser_add_value (self, new_quoted (self, p + 1, q - p - (*q == '\n' && q[-1] == '\r' ? 2 : 1)),
                                   error))
            return STEP_ERROR;
          self->need_delim = TRUE;
          p = *q == '"' ? q + 1 : q;
          break;

        case '~':
        case '{':
          if (self->in_code)
            {
              if (c == '~')
                goto atom;
              return _pochta_imap_parser_parse_error (self, error, buf, len, p - buf,
                                  _("literal inside a response code"));
            }
          self->tok_kind = TOK_LITERAL;
          self->tok_sub = c == '~' ? LIT_TILDE : LIT_OPEN;
          self->literal_binary = c == '~';
          self->literal_size = 0;
          g_string_append_c (self->tok, c);
          *pos = p + 1 - buf;
          return _pochta_imap_parser_tokenize (self, buf, len, pos, error);

        default:
        atom:
          self->tok_sub = FALSE;
          q = scan_atom (self, p, p, end);
          if (q == end)
            {
              self->tok_kind = TOK_ATOM;
              g_string_append_len (self->tok, p, end - p);
              *pos = len;
              return STEP_MORE;
            }
          if (!finish_atom (self, buf, len, q - buf, p, q - p, error))
            return STEP_ERROR;
          p = q;
          break;
        }
    }

  *pos = len;
  return STEP_MORE;
}
