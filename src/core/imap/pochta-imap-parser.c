/* pochta-imap-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incremental IMAP response parser: turns bytes, split anywhere, into
 * PochtaImapResponse trees within the configured limits.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-imap-parser.h"

/* Input is scanned with loops over byte classes and memchr; tokens that
 * complete inside the caller's buffer are copied straight into their value,
 * and only a token cut by the end of a feed goes through self->tok. The
 * response header (tag, status, keyword) is parsed from whole words, and
 * status lines from the whole line, buffered in self->line if need be. */

typedef enum
{
  STATE_HEADER,     /* start of a response, up to its data */
  STATE_DATA,       /* values of untagged data */
  STATE_LITERAL,    /* bytes of a literal held in memory */
  STATE_STREAMING,  /* the caller is moving a literal's bytes */
  STATE_READY,      /* a response waits for take_response() */
  STATE_ERROR,
} State;

typedef enum
{
  TOK_NONE,
  TOK_ATOM,
  TOK_QUOTED,
  TOK_LITERAL,      /* "{123+}\r\n" or "~{123}\r\n" */
} TokKind;

typedef enum
{
  STEP_MORE,        /* input used up */
  STEP_EOL,         /* the response is complete */
  STEP_CODE_END,    /* ']' closed a response code */
  STEP_LITERAL,     /* a literal header ended the line */
  STEP_ERROR,
} Step;

/* States of the literal header scanner. */
enum
{
  LIT_TILDE,        /* after '~', want '{' */
  LIT_OPEN,         /* after '{', want a digit */
  LIT_DIGITS,
  LIT_PLUS,         /* after '+', want '}' */
  LIT_CLOSE,        /* after '}', want CR or LF */
  LIT_CR,           /* after CR, want LF */
};

/* Literal sizes beyond 20 digits overflow a guint64 anyway. */
#define MAX_LITERAL_HEADER 32

/* Buffers that grew for one huge line are not kept for the next. */
#define KEEP_BUFFER_SIZE (64 * 1024)

struct _PochtaImapParser
{
  PochtaImapLimits       limits;
  PochtaImapLiteralFunc  literal_func;
  gpointer               literal_data;

  State                  state;
  PochtaImapResponse    *response;
  GPtrArray             *stack;        /* open lists, [0] is the root (data or code args) */
  GString               *line;         /* header bytes while the header is incomplete */
  GString               *tok;          /* a token cut by the end of a feed */
  gsize                  line_bytes;   /* of this response, outside literals */
  guint                  items;

  TokKind                tok_kind;
  guint                  tok_sub;      /* atom: inside [section]; quoted: escape; literal: LIT_* */
  gboolean               header_needs_lf;
  gboolean               need_delim;   /* after ')', a string or an atom */
  gboolean               in_code;
  gboolean               lenient;      /* unknown untagged data: keep, never fail */

  PochtaImapValue       *literal;
  guint64                literal_size;
  guint64                literal_done;
  gboolean               literal_binary;
};

/* Byte classes inside atoms. */
enum
{
  A_ATOM = 0,
  A_DELIM,          /* SP ( ) " CR LF */
  A_OPEN_BRACKET,
  A_CLOSE_BRACKET,
};

static guint8 atom_class[256];
static guint8 quoted_stop[256];
static guint8 tag_ok[256];

static void
init_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < 256; c++)
        tag_ok[c] = c > 0x20 && c < 0x7f && strchr ("(){%*\"\\+", c) == NULL;
      atom_class[' '] = A_DELIM;
      atom_class['('] = A_DELIM;
      atom_class[')'] = A_DELIM;
      atom_class['"'] = A_DELIM;
      atom_class['\r'] = A_DELIM;
      atom_class['\n'] = A_DELIM;
      atom_class['['] = A_OPEN_BRACKET;
      atom_class[']'] = A_CLOSE_BRACKET;
      quoted_stop['"'] = 1;
      quoted_stop['\\'] = 1;
      quoted_stop['\n'] = 1;
      g_once_init_leave (&initialized, 1);
    }
}

void
pochta_imap_limits_init_default (PochtaImapLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_line_length = 1024 * 1024;
  limits->max_literal_size = 8 * 1024 * 1024;
  limits->max_streamed_size = (gsize) 2 * 1024 * 1024 * 1024;
  limits->max_depth = 64;
  limits->max_items = 1000000;
}

PochtaImapParser *
pochta_imap_parser_new (const PochtaImapLimits *limits)
{
  PochtaImapParser *self;

  init_tables ();

  self = g_new0 (PochtaImapParser, 1);
  if (limits != NULL)
    self->limits = *limits;
  else
    pochta_imap_limits_init_default (&self->limits);
  self->stack = g_ptr_array_sized_new (16);
  self->line = g_string_sized_new (1024);
  self->tok = g_string_sized_new (256);
  self->state = STATE_HEADER;

  return self;
}

static void
reset_response (PochtaImapParser *self)
{
  g_clear_pointer (&self->response, pochta_imap_response_free);
  g_clear_pointer (&self->literal, pochta_imap_value_free);
  g_ptr_array_set_size (self->stack, 0);

  if (self->line->allocated_len > KEEP_BUFFER_SIZE)
    {
      g_string_free (self->line, TRUE);
      self->line = g_string_sized_new (1024);
    }
  if (self->tok->allocated_len > KEEP_BUFFER_SIZE)
    {
      g_string_free (self->tok, TRUE);
      self->tok = g_string_sized_new (256);
    }
  g_string_truncate (self->line, 0);
  g_string_truncate (self->tok, 0);

  self->line_bytes = 0;
  self->items = 0;
  self->tok_kind = TOK_NONE;
  self->tok_sub = 0;
  self->header_needs_lf = FALSE;
  self->need_delim = FALSE;
  self->in_code = FALSE;
  self->lenient = FALSE;
}

void
pochta_imap_parser_free (PochtaImapParser *parser)
{
  if (parser == NULL)
    return;

  reset_response (parser);
  g_ptr_array_unref (parser->stack);
  g_string_free (parser->line, TRUE);
  g_string_free (parser->tok, TRUE);
  g_free (parser);
}

void
pochta_imap_parser_set_literal_func (PochtaImapParser      *parser,
                                     PochtaImapLiteralFunc  func,
                                     gpointer               user_data)
{
  g_return_if_fail (parser != NULL);

  parser->literal_func = func;
  parser->literal_data = user_data;
}

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

static Step G_GNUC_PRINTF (6, 7)
parse_error (PochtaImapParser  *self,
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

static Step G_GNUC_PRINTF (3, 4)
limit_error (PochtaImapParser  *self,
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

static gboolean
add_value (PochtaImapParser  *self,
           PochtaImapValue   *value,
           GError           **error)
{
  PochtaImapValue *top = g_ptr_array_index (self->stack, self->stack->len - 1);

  if (G_UNLIKELY (++self->items > self->limits.max_items))
    {
      pochta_imap_value_free (value);
      limit_error (self, error, _("IMAP response has more than %u values (the limit)"),
                   self->limits.max_items);
      return FALSE;
    }

  g_ptr_array_add (top->children, value);

  return TRUE;
}

static PochtaImapValue *
new_quoted (const char *s,
            gsize       n)
{
  PochtaImapValue *value = pochta_imap_value_new_string (s, n);
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
  if (n == 3 && g_ascii_strncasecmp (s, "NIL", 3) == 0)
    return add_value (self, pochta_imap_value_new_nil (), error);

  return add_value (self, pochta_imap_value_new_atom (s, n), error);
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

  if (G_UNLIKELY (self->stack->len > self->limits.max_depth))
    return limit_error (self, error, _("IMAP response nests lists deeper than %u (the limit)"),
                        self->limits.max_depth);

  list = pochta_imap_value_new_list ();
  if (!add_value (self, list, error))
    return STEP_ERROR;
  g_ptr_array_add (self->stack, list);

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
          parse_error (self, error, buf, len, at, _("unterminated section"));
          return FALSE;
        }
      self->tok_sub = FALSE;
      while (n > 0 && s[n - 1] == '\r')
        n--;
    }
  self->need_delim = TRUE;

  return add_atom (self, s, n, error);
}

static Step tokenize (PochtaImapParser  *self,
                      const char        *buf,
                      gsize              len,
                      gsize             *pos,
                      GError           **error);

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
        return parse_error (self, error, buf, len, q - buf, _("unterminated quoted string"));
      if (*q == '"')
        q++;
      self->need_delim = TRUE;
      ok = add_value (self, new_quoted (self->tok->str + 1, self->tok->len - 1), error);
      break;

    case TOK_LITERAL:
      q = p;
      switch (scan_literal (self, &q, end))
        {
        case LIT_MORE:
          g_string_append_len (self->tok, p, q - p);
          if (self->tok->len > MAX_LITERAL_HEADER)
            return parse_error (self, error, buf, len, q - buf, _("literal size is not a number"));
          *pos = len;
          return STEP_MORE;

        case LIT_DONE:
          self->tok_kind = TOK_NONE;
          g_string_truncate (self->tok, 0);
          *pos = q - buf;
          return STEP_LITERAL;

        case LIT_OVERFLOW:
          return parse_error (self, error, buf, len, q - buf, _("literal size is too large"));

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
          return parse_error (self, error, buf, len, q - buf,
                              _("literal size is not a number"));
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
  if (self->stack->len > 1)
    {
      g_ptr_array_set_size (self->stack, self->stack->len - 1);
      self->need_delim = TRUE;
      return STEP_MORE;
    }

  if (!self->lenient || self->in_code)
    return parse_error (self, error, buf, len, at, _("unexpected “)”"));

  return add_atom (self, ")", 1, error) ? STEP_MORE : STEP_ERROR;
}

/* Parses values from buf[*pos..len) into the open list, stopping at the
 * end of the line, the end of a response code, a literal header or the end
 * of the input; a token cut by the end of input waits in self->tok. */
static Step
tokenize (PochtaImapParser  *self,
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
            return parse_error (self, error, buf, len, p - buf,
                                _("missing space between values"));
          self->need_delim = FALSE;
        }

      switch (c)
        {
        case '\n':
          *pos = p + 1 - buf;
          if (self->in_code)
            return parse_error (self, error, buf, len, p - buf, _("missing “]”"));
          if (self->stack->len > 1 && !self->lenient)
            return parse_error (self, error, buf, len, p - buf, _("unterminated list"));
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
          if (self->stack->len > 1)
            return parse_error (self, error, buf, len, p - buf, _("“]” inside a list"));
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
            return parse_error (self, error, buf, len, q - buf, _("unterminated quoted string"));
          if (!add_value (self, new_quoted (p + 1, q - p - 1), error))
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
              return parse_error (self, error, buf, len, p - buf,
                                  _("literal inside a response code"));
            }
          self->tok_kind = TOK_LITERAL;
          self->tok_sub = c == '~' ? LIT_TILDE : LIT_OPEN;
          self->literal_binary = c == '~';
          self->literal_size = 0;
          g_string_append_c (self->tok, c);
          *pos = p + 1 - buf;
          return tokenize (self, buf, len, pos, error);

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

typedef enum
{
  HDR_INCOMPLETE,   /* the words that decide the kind of response are not all here */
  HDR_NEED_LF,      /* a status line: wait for the whole line */
  HDR_DONE,
  HDR_DATA,         /* untagged data: values start at *data_start */
  HDR_ERROR,
} Header;

/* Untagged responses whose data we know: malformed data there is an error.
 * Anything else is kept leniently, since the client only skips it. */
static const char * const strict_keywords[] = {
  "ACL", "CAPABILITY", "ENABLED", "ESEARCH", "EXISTS", "EXPUNGE", "FETCH", "FLAGS", "ID",
  "LIST", "LISTRIGHTS", "LSUB", "METADATA", "MYRIGHTS", "NAMESPACE", "QUOTA", "QUOTAROOT",
  "RECENT", "SEARCH", "SORT", "STATUS", "THREAD", "VANISHED",
};

/* Response codes we know; unknown ones whose arguments do not parse are
 * kept as one atom of raw text. */
static const char * const strict_codes[] = {
  "ALERT", "APPENDUID", "BADCHARSET", "CAPABILITY", "CLOSED", "COPYUID", "HIGHESTMODSEQ",
  "MODIFIED", "NOMODSEQ", "PARSE", "PERMANENTFLAGS", "READ-ONLY", "READ-WRITE", "TRYCREATE",
  "UIDNEXT", "UIDNOTSTICKY", "UIDVALIDITY", "UNSEEN",
};

static gboolean
in_table (const char * const *table,
          guint               n,
          const char         *word)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (table[i], word) == 0)
      return TRUE;

  return FALSE;
}

static PochtaImapStatus
match_status (const char *s,
              gsize       n)
{
  static const struct {
    const char       *name;
    PochtaImapStatus  status;
  } statuses[] = {
    { "OK", POCHTA_IMAP_STATUS_OK },
    { "NO", POCHTA_IMAP_STATUS_NO },
    { "BAD", POCHTA_IMAP_STATUS_BAD },
    { "PREAUTH", POCHTA_IMAP_STATUS_PREAUTH },
    { "BYE", POCHTA_IMAP_STATUS_BYE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (strlen (statuses[i].name) == n && g_ascii_strncasecmp (s, statuses[i].name, n) == 0)
      return statuses[i].status;

  return POCHTA_IMAP_STATUS_NONE;
}

static gsize
word_end (const char *buf,
          gsize       i,
          gsize       end)
{
  const char *sp = memchr (buf + i, ' ', end - i);

  return sp != NULL ? (gsize) (sp - buf) : end;
}

static PochtaImapResponse *
new_response (PochtaImapParser       *self,
              PochtaImapResponseKind  kind)
{
  g_assert (self->response == NULL);

  self->response = g_new0 (PochtaImapResponse, 1);
  self->response->kind = kind;
  if (kind == POCHTA_IMAP_RESPONSE_UNTAGGED)
    self->response->data = pochta_imap_value_new_list ();

  return self->response;
}

/* resp-text: an optional [CODE args] and human-readable text, from buf[i]
 * to the end of the line content at @end (buf[len - 1] is the LF). */
static gboolean
parse_resp_text (PochtaImapParser  *self,
                 const char        *buf,
                 gsize              len,
                 gsize              i,
                 gsize              end,
                 GError           **error)
{
  PochtaImapResponse *response = self->response;
  gboolean continuation = response->kind == POCHTA_IMAP_RESPONSE_CONTINUATION;
  gsize ns, ne, k;

  if (i >= end || buf[i] != '[')
    goto text;

  ns = i + 1;
  ne = ns;
  while (ne < end && buf[ne] != ' ' && buf[ne] != ']')
    ne++;
  if (ne == ns || ne == end)
    {
      /* "+ [" could start base64-less text; in a status line it is broken. */
      if (continuation)
        goto text;
      parse_error (self, error, buf, len, ne, ne == ns ? _("empty response code") : _("missing “]”"));
      return FALSE;
    }

  response->code = g_ascii_strup (buf + ns, ne - ns);
  response->code_args = pochta_imap_value_new_list ();
  k = ne + 1;

  if (buf[ne] == ' ')
    {
      g_autoptr(GError) local_error = NULL;
      Step step;

      g_ptr_array_add (self->stack, response->code_args);
      self->in_code = TRUE;
      step = tokenize (self, buf, len, &k, &local_error);
      self->in_code = FALSE;
      self->need_delim = FALSE;
      g_ptr_array_set_size (self->stack, 0);

      if (step != STEP_CODE_END)
        {
          const char *close;

          g_assert (step == STEP_ERROR);
          if (local_error->code == POCHTA_IMAP_ERROR_LIMIT ||
              (!continuation && in_table (strict_codes, G_N_ELEMENTS (strict_codes), response->code)))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }

          self->state = STATE_HEADER;
          g_clear_pointer (&response->code, g_free);
          g_clear_pointer (&response->code_args, pochta_imap_value_free);
          close = memchr (buf + ns, ']', end - ns);
          if (continuation || close == NULL)
            {
              if (continuation)
                goto text;
              parse_error (self, error, buf, len, end, _("missing “]”"));
              return FALSE;
            }

          response->code = g_ascii_strup (buf + ns, ne - ns);
          response->code_args = pochta_imap_value_new_list ();
          pochta_imap_value_list_append (response->code_args,
                                         pochta_imap_value_new_atom (buf + ne + 1,
                                                                     close - buf - ne - 1));
          k = close - buf + 1;
        }
    }

  if (k < end && buf[k] == ' ')
    k++;
  i = MIN (k, end);

text:
  response->text = g_strndup (buf + i, end - i);

  return TRUE;
}

static Header
header_error (PochtaImapParser  *self,
              GError           **error,
              const char        *buf,
              gsize              len,
              gsize              at,
              const char        *reason)
{
  parse_error (self, error, buf, len, at, "%s", reason);

  return HDR_ERROR;
}

/* Decides the kind of response from its first words. With @complete,
 * buf[len - 1] is the LF ending the line (or the line's first part, before
 * a literal); without, buf is a prefix and the decision may have to wait. */
static Header
parse_header (PochtaImapParser  *self,
              const char        *buf,
              gsize              len,
              gboolean           complete,
              gsize             *data_start,
              GError           **error)
{
  PochtaImapResponse *response;
  PochtaImapStatus status;
  gsize end = len;
  gsize i, we;

  if (complete)
    {
      end = len - 1;
      if (end > 0 && buf[end - 1] == '\r')
        end--;
    }

  if (end == 0)
    return complete ? header_error (self, error, buf, len, 0, _("empty line")) : HDR_INCOMPLETE;

  if (buf[0] == '+')
    {
      if (!complete)
        return HDR_NEED_LF;
      new_response (self, POCHTA_IMAP_RESPONSE_CONTINUATION);
      i = end > 1 && buf[1] == ' ' ? 2 : 1;
      return parse_resp_text (self, buf, len, i, end, error) ? HDR_DONE : HDR_ERROR;
    }

  if (buf[0] == '*')
    {
      gboolean has_number = FALSE;
      guint64 number = 0;

      if (end < 2)
        return complete ? header_error (self, error, buf, len, 1, _("missing keyword")) : HDR_INCOMPLETE;
      if (buf[1] != ' ')
        return header_error (self, error, buf, len, 1, _("missing space after “*”"));

      i = 2;
      we = word_end (buf, i, end);
      if (we == end && !complete)
        return HDR_INCOMPLETE;
      if (we == i)
        return header_error (self, error, buf, len, i, _("missing keyword"));

      if (buf[i] >= '0' && buf[i] <= '9')
        {
          for (gsize j = i; j < we; j++)
            {
              guint d = (guchar) buf[j] - '0';

              if (d > 9)
                return header_error (self, error, buf, len, j, _("invalid message number"));
              if (number > (G_MAXUINT64 - d) / 10)
                return header_error (self, error, buf, len, j, _("message number is too large"));
              number = number * 10 + d;
            }
          has_number = TRUE;

          if (we == end)
            return header_error (self, error, buf, len, we, _("missing keyword"));
          i = we + 1;
          we = word_end (buf, i, end);
          if (we == end && !complete)
            return HDR_INCOMPLETE;
          if (we == i)
            return header_error (self, error, buf, len, i, _("missing keyword"));
        }
      else if ((status = match_status (buf + i, we - i)) != POCHTA_IMAP_STATUS_NONE)
        {
          if (!complete)
            return HDR_NEED_LF;
          response = new_response (self, POCHTA_IMAP_RESPONSE_UNTAGGED);
          response->status = status;
          response->keyword = g_ascii_strup (buf + i, we - i);
          i = we < end ? we + 1 : end;
          return parse_resp_text (self, buf, len, i, end, error) ? HDR_DONE : HDR_ERROR;
        }

      response = new_response (self, POCHTA_IMAP_RESPONSE_UNTAGGED);
      response->has_number = has_number;
      response->number = number;
      response->keyword = g_ascii_strup (buf + i, we - i);
      self->lenient = !in_table (strict_keywords, G_N_ELEMENTS (strict_keywords),
                                 response->keyword);
      g_ptr_array_add (self->stack, response->data);
      *data_start = we;
      return HDR_DATA;
    }

  we = word_end (buf, 0, end);
  if (we == end && !complete)
    return HDR_INCOMPLETE;
  if (we == 0)
    return header_error (self, error, buf, len, 0, _("missing tag"));
  for (i = 0; i < we; i++)
    if (!tag_ok[(guchar) buf[i]])
      return header_error (self, error, buf, len, i, _("invalid tag"));
  if (!complete)
    return HDR_NEED_LF;
  if (we == end)
    return header_error (self, error, buf, len, we, _("missing status after the tag"));

  i = we + 1;
  we = word_end (buf, i, end);
  status = match_status (buf + i, we - i);
  if (status != POCHTA_IMAP_STATUS_OK && status != POCHTA_IMAP_STATUS_NO &&
      status != POCHTA_IMAP_STATUS_BAD)
    return header_error (self, error, buf, len, i, _("a tagged response must be OK, NO or BAD"));

  response = new_response (self, POCHTA_IMAP_RESPONSE_TAGGED);
  response->tag = g_strndup (buf, i - 1);
  response->status = status;
  i = we < end ? we + 1 : end;

  return parse_resp_text (self, buf, len, i, end, error) ? HDR_DONE : HDR_ERROR;
}

static Step
step_header (PochtaImapParser  *self,
             const char        *data,
             gsize              wend,
             gsize             *pos,
             GError           **error)
{
  const char *chunk = data + *pos;
  gsize avail = wend - *pos;
  const char *lf = memchr (chunk, '\n', avail);
  const char *buf;
  gsize blen;
  gsize data_start = 0;
  Step step;

  if (lf == NULL)
    {
      /* Re-read the prefix only when a new word may have completed, so a
       * long line trickling in byte by byte costs no more than once. */
      gboolean retry = !self->header_needs_lf && memchr (chunk, ' ', avail) != NULL;

      g_string_append_len (self->line, chunk, avail);
      *pos = wend;
      if (!retry)
        return STEP_MORE;
      buf = self->line->str;
      blen = self->line->len;
    }
  else
    {
      gsize n = lf + 1 - chunk;

      if (self->line->len > 0)
        {
          g_string_append_len (self->line, chunk, n);
          buf = self->line->str;
          blen = self->line->len;
        }
      else
        {
          buf = chunk;
          blen = n;
        }
      *pos += n;
    }

  switch (parse_header (self, buf, blen, lf != NULL, &data_start, error))
    {
    case HDR_INCOMPLETE:
      return STEP_MORE;

    case HDR_NEED_LF:
      self->header_needs_lf = TRUE;
      return STEP_MORE;

    case HDR_DONE:
      g_string_truncate (self->line, 0);
      return STEP_EOL;

    case HDR_DATA:
      self->state = STATE_DATA;
      step = tokenize (self, buf, blen, &data_start, error);
      g_string_truncate (self->line, 0);
      return step;

    case HDR_ERROR:
    default:
      return STEP_ERROR;
    }
}

static PochtaImapParseResult
start_literal (PochtaImapParser  *self,
               GError           **error)
{
  guint64 size = self->literal_size;
  gboolean stream = FALSE;

  if (size > MAX (self->limits.max_literal_size, self->limits.max_streamed_size))
    {
      limit_error (self, error,
                   _("IMAP literal of %" G_GUINT64_FORMAT " bytes is larger than the "
                     "%" G_GSIZE_FORMAT " bytes allowed"),
                   size, MAX (self->limits.max_literal_size, self->limits.max_streamed_size));
      return POCHTA_IMAP_PARSE_ERROR;
    }
  if (self->items >= self->limits.max_items)
    {
      limit_error (self, error, _("IMAP response has more than %u values (the limit)"),
                   self->limits.max_items);
      return POCHTA_IMAP_PARSE_ERROR;
    }

  if (self->literal_func != NULL)
    stream = self->literal_func (self, size, self->literal_data);

  if (stream)
    {
      if (size > self->limits.max_streamed_size)
        {
          limit_error (self, error,
                       _("IMAP literal of %" G_GUINT64_FORMAT " bytes is larger than the "
                         "%" G_GSIZE_FORMAT " bytes allowed for streaming"),
                       size, self->limits.max_streamed_size);
          return POCHTA_IMAP_PARSE_ERROR;
        }
      self->state = STATE_STREAMING;
      return POCHTA_IMAP_PARSE_STREAM_LITERAL;
    }

  if (size > self->limits.max_literal_size)
    {
      limit_error (self, error,
                   _("IMAP literal of %" G_GUINT64_FORMAT " bytes is larger than the "
                     "%" G_GSIZE_FORMAT " bytes allowed in memory"),
                   size, self->limits.max_literal_size);
      return POCHTA_IMAP_PARSE_ERROR;
    }

  /* The whole size is known up front: one allocation, no regrowth. */
  self->literal = pochta_imap_value_new_string (NULL, 0);
  self->literal->data = g_malloc (size + 1);
  self->literal->data[size] = '\0';
  self->literal->len = size;
  self->literal->is_literal = TRUE;
  self->literal->is_binary = self->literal_binary;
  self->literal_done = 0;
  self->state = STATE_LITERAL;

  return POCHTA_IMAP_PARSE_NEED_MORE;
}

static gboolean
end_literal (PochtaImapParser  *self,
             GError           **error)
{
  self->state = STATE_DATA;
  self->need_delim = TRUE;

  return add_value (self, g_steal_pointer (&self->literal), error);
}

PochtaImapParseResult
pochta_imap_parser_feed (PochtaImapParser  *parser,
                         const char        *data,
                         gsize              len,
                         gsize             *consumed,
                         GError           **error)
{
  PochtaImapParser *self = parser;
  gsize pos = 0;

  g_return_val_if_fail (self != NULL, POCHTA_IMAP_PARSE_ERROR);
  g_return_val_if_fail (data != NULL || len == 0, POCHTA_IMAP_PARSE_ERROR);
  g_return_val_if_fail (consumed != NULL, POCHTA_IMAP_PARSE_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, POCHTA_IMAP_PARSE_ERROR);

  *consumed = 0;

  switch (self->state)
    {
    case STATE_READY:
      return POCHTA_IMAP_PARSE_RESPONSE;

    case STATE_STREAMING:
      return POCHTA_IMAP_PARSE_STREAM_LITERAL;

    case STATE_ERROR:
      g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
                           _("The IMAP parser already failed on earlier input"));
      return POCHTA_IMAP_PARSE_ERROR;

    case STATE_HEADER:
    case STATE_DATA:
    case STATE_LITERAL:
    default:
      break;
    }

  while (pos < len)
    {
      gsize start = pos;
      gsize wend;
      Step step;

      if (self->state == STATE_LITERAL)
        {
          gsize n = MIN (len - pos, self->literal_size - self->literal_done);

          memcpy (self->literal->data + self->literal_done, data + pos, n);
          self->literal_done += n;
          pos += n;
          if (self->literal_done == self->literal_size && !end_literal (self, error))
            break;
          continue;
        }

      if (self->line_bytes >= self->limits.max_line_length)
        {
          limit_error (self, error,
                       _("IMAP response line is longer than %" G_GSIZE_FORMAT " bytes (the limit)"),
                       self->limits.max_line_length);
          break;
        }

      wend = pos + MIN (len - pos, self->limits.max_line_length - self->line_bytes);
      if (self->state == STATE_HEADER)
        step = step_header (self, data, wend, &pos, error);
      else
        step = tokenize (self, data, wend, &pos, error);
      self->line_bytes += pos - start;

      if (step == STEP_EOL)
        {
          self->state = STATE_READY;
          *consumed = pos;
          return POCHTA_IMAP_PARSE_RESPONSE;
        }
      else if (step == STEP_LITERAL)
        {
          PochtaImapParseResult result = start_literal (self, error);

          if (result != POCHTA_IMAP_PARSE_NEED_MORE)
            {
              *consumed = pos;
              return result;
            }
          if (self->literal_size == 0 && !end_literal (self, error))
            break;
        }
      else if (step == STEP_ERROR)
        {
          break;
        }
      g_assert (step != STEP_CODE_END);
    }

  *consumed = pos;

  return self->state == STATE_ERROR ? POCHTA_IMAP_PARSE_ERROR : POCHTA_IMAP_PARSE_NEED_MORE;
}

PochtaImapResponse *
pochta_imap_parser_take_response (PochtaImapParser *parser)
{
  PochtaImapResponse *response;

  g_return_val_if_fail (parser != NULL, NULL);

  if (parser->state != STATE_READY)
    return NULL;

  response = g_steal_pointer (&parser->response);
  reset_response (parser);
  parser->state = STATE_HEADER;

  return response;
}

guint64
pochta_imap_parser_get_literal_size (PochtaImapParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);

  return parser->literal_size;
}

void
pochta_imap_parser_literal_streamed (PochtaImapParser *parser)
{
  PochtaImapValue *value;
  PochtaImapValue *top;

  g_return_if_fail (parser != NULL);
  g_return_if_fail (parser->state == STATE_STREAMING);

  value = g_new0 (PochtaImapValue, 1);
  value->type = POCHTA_IMAP_VALUE_STREAMED;
  value->len = parser->literal_size;
  value->is_literal = TRUE;
  value->is_binary = parser->literal_binary;

  /* start_literal() already checked the item limit for this value. */
  top = g_ptr_array_index (parser->stack, parser->stack->len - 1);
  g_ptr_array_add (top->children, value);
  parser->items++;
  parser->state = STATE_DATA;
  parser->need_delim = TRUE;
}

const PochtaImapResponse *
pochta_imap_parser_get_partial (PochtaImapParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);

  return parser->response;
}

const PochtaImapValue *
pochta_imap_parser_get_open_list (PochtaImapParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);

  if (parser->stack->len == 0)
    return NULL;

  return g_ptr_array_index (parser->stack, parser->stack->len - 1);
}
