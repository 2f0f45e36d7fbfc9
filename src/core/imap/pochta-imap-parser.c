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
#include "pochta-imap-parser-private.h"

/* Input is scanned with loops over byte classes and memchr; tokens that
 * complete inside the caller's buffer are copied straight into their value,
 * and only a token cut by the end of a feed goes through self->tok. The
 * response header (tag, status, keyword) is parsed from whole words, and
 * status lines from the whole line, buffered in self->line if need be. */

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

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  g_free (scratch->view.pdata);
  g_free (scratch);
}

PochtaImapParser *
pochta_imap_parser_new (const PochtaImapLimits *limits)
{
  PochtaImapParser *self;

  self = g_new0 (PochtaImapParser, 1);
  if (limits != NULL)
    self->limits = *limits;
  else
    pochta_imap_limits_init_default (&self->limits);
  self->scratch = g_ptr_array_new_with_free_func (scratch_free);
  self->line = g_string_sized_new (1024);
  self->tok = g_string_sized_new (256);
  self->state = STATE_HEADER;

  return self;
}

static void
reset_response (PochtaImapParser *self)
{
  /* The literal and the lists are in the response's arena. */
  g_clear_pointer (&self->response, pochta_imap_response_free);
  self->arena = NULL;
  self->literal = NULL;
  self->depth = 0;
  /* Scratch arrays that grew for a huge list are not kept either. */
  if (self->items > KEEP_SCRATCH_ITEMS)
    g_ptr_array_set_size (self->scratch, 0);

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
  g_free (parser->stack);
  g_ptr_array_unref (parser->scratch);
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

  self->arena = _pochta_imap_arena_new ();
  self->response = _pochta_imap_arena_new_response (self->arena);
  self->response->kind = kind;
  if (kind == POCHTA_IMAP_RESPONSE_UNTAGGED)
    self->response->data = _pochta_imap_arena_open_list (self->arena);

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
      _pochta_imap_parser_parse_error (self, error, buf, len, ne, ne == ns ? _("empty response code") : _("missing “]”"));
      return FALSE;
    }

  response->code = _pochta_imap_arena_strup (self->arena, buf + ns, ne - ns);
  response->code_args = _pochta_imap_arena_open_list (self->arena);
  k = ne + 1;

  if (buf[ne] == ' ')
    {
      g_autoptr(GError) local_error = NULL;
      Step step;

      _pochta_imap_parser_open_list (self, response->code_args);
      self->in_code = TRUE;
      step = _pochta_imap_parser_tokenize (self, buf, len, &k, &local_error);
      self->in_code = FALSE;
      self->need_delim = FALSE;
      if (step == STEP_CODE_END)
        _pochta_imap_parser_close_list (self);
      self->depth = 0;

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

          /* What the failed attempt left in the arena just waits for the
           * response to go. */
          self->state = STATE_HEADER;
          response->code = NULL;
          response->code_args = NULL;
          close = memchr (buf + ns, ']', end - ns);
          if (continuation || close == NULL)
            {
              if (continuation)
                goto text;
              _pochta_imap_parser_parse_error (self, error, buf, len, end, _("missing “]”"));
              return FALSE;
            }

          response->code = _pochta_imap_arena_strup (self->arena, buf + ns, ne - ns);
          response->code_args = _pochta_imap_arena_open_list (self->arena);
          _pochta_imap_parser_open_list (self, response->code_args);
          _pochta_imap_parser_append (self,
                                      _pochta_imap_arena_new_value (self->arena, POCHTA_IMAP_VALUE_ATOM,
                                                                    buf + ne + 1, close - buf - ne - 1));
          _pochta_imap_parser_close_list (self);
          k = close - buf + 1;
        }
    }

  if (k < end && buf[k] == ' ')
    k++;
  i = MIN (k, end);

text:
  response->text = _pochta_imap_arena_strndup (self->arena, buf + i, end - i);

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
  _pochta_imap_parser_parse_error (self, error, buf, len, at, "%s", reason);

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
          response->keyword = _pochta_imap_arena_strup (self->arena, buf + i, we - i);
          i = we < end ? we + 1 : end;
          return parse_resp_text (self, buf, len, i, end, error) ? HDR_DONE : HDR_ERROR;
        }

      response = new_response (self, POCHTA_IMAP_RESPONSE_UNTAGGED);
      response->has_number = has_number;
      response->number = number;
      response->keyword = _pochta_imap_arena_strup (self->arena, buf + i, we - i);
      self->lenient = !in_table (strict_keywords, G_N_ELEMENTS (strict_keywords),
                                 response->keyword);
      _pochta_imap_parser_open_list (self, response->data);
      *data_start = we;
      return HDR_DATA;
    }

  we = word_end (buf, 0, end);
  if (we == end && !complete)
    return HDR_INCOMPLETE;
  if (we == 0)
    return header_error (self, error, buf, len, 0, _("missing tag"));
  for (i = 0; i < we; i++)
    {
      guchar c = buf[i];

      /* tag = 1*<ASTRING-CHAR except "+"> */
      if (c <= 0x20 || c >= 0x7f || strchr ("(){%*\"\\+", c) != NULL)
        return header_error (self, error, buf, len, i, _("invalid tag"));
    }
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
  response->tag = _pochta_imap_arena_strndup (self->arena, buf, i - 1);
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
      step = _pochta_imap_parser_tokenize (self, buf, blen, &data_start, error);
      g_string_truncate (self->line, 0);
      return step;

    case HDR_ERROR:
    default:
      return STEP_ERROR;
    }
}

typedef enum
{
  LITERAL_LIMIT_ANY,
  LITERAL_LIMIT_STREAMED,
  LITERAL_LIMIT_MEMORY,
} LiteralLimit;

/* Sizes are formatted apart: xgettext cannot see through G_GUINT64_FORMAT. */
static PochtaImapParseResult
literal_limit_error (PochtaImapParser  *self,
                     GError           **error,
                     LiteralLimit       which,
                     gsize              limit)
{
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, self->literal_size);
  g_autofree char *max = g_strdup_printf ("%" G_GSIZE_FORMAT, limit);

  switch (which)
    {
    case LITERAL_LIMIT_STREAMED:
      _pochta_imap_parser_limit_error (self, error,
                                       _("IMAP literal of %s bytes is larger than the %s bytes "
                                         "allowed for streaming"), size, max);
      break;

    case LITERAL_LIMIT_MEMORY:
      _pochta_imap_parser_limit_error (self, error,
                                       _("IMAP literal of %s bytes is larger than the %s bytes "
                                         "allowed in memory"), size, max);
      break;

    case LITERAL_LIMIT_ANY:
    default:
      _pochta_imap_parser_limit_error (self, error,
                                       _("IMAP literal of %s bytes is larger than the %s bytes "
                                         "allowed"), size, max);
      break;
    }

  return POCHTA_IMAP_PARSE_ERROR;
}

static PochtaImapParseResult
start_literal (PochtaImapParser  *self,
               GError           **error)
{
  guint64 size = self->literal_size;
  gsize max = MAX (self->limits.max_literal_size, self->limits.max_streamed_size);
  gboolean stream = FALSE;

  if (size > max)
    return literal_limit_error (self, error, LITERAL_LIMIT_ANY, max);
  if (self->items >= self->limits.max_items)
    {
      _pochta_imap_parser_limit_error (self, error,
                                       _("IMAP response has more than %u values (the limit)"),
                                       self->limits.max_items);
      return POCHTA_IMAP_PARSE_ERROR;
    }

  if (self->literal_func != NULL)
    stream = self->literal_func (self, size, self->literal_data);

  if (stream)
    {
      if (size > self->limits.max_streamed_size)
        return literal_limit_error (self, error, LITERAL_LIMIT_STREAMED,
                                    self->limits.max_streamed_size);
      self->state = STATE_STREAMING;
      return POCHTA_IMAP_PARSE_STREAM_LITERAL;
    }

  if (size > self->limits.max_literal_size)
    return literal_limit_error (self, error, LITERAL_LIMIT_MEMORY,
                                self->limits.max_literal_size);

  /* The whole size is known up front: one allocation, no regrowth. */
  self->literal = _pochta_imap_arena_new_literal (self->arena, size);
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

  return _pochta_imap_parser_add_value (self, g_steal_pointer (&self->literal), error);
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
          g_autofree char *max = g_strdup_printf ("%" G_GSIZE_FORMAT,
                                                  self->limits.max_line_length);

          _pochta_imap_parser_limit_error (self, error,
                                           _("IMAP response line is longer than %s bytes (the limit)"),
                                           max);
          break;
        }

      wend = pos + MIN (len - pos, self->limits.max_line_length - self->line_bytes);
      if (self->state == STATE_HEADER)
        step = step_header (self, data, wend, &pos, error);
      else
        step = _pochta_imap_parser_tokenize (self, data, wend, &pos, error);
      self->line_bytes += pos - start;

      if (step == STEP_EOL)
        {
          /* Lenient data may end with lists still open. */
          while (self->depth > 0)
            _pochta_imap_parser_close_list (self);
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

  g_return_if_fail (parser != NULL);
  g_return_if_fail (parser->state == STATE_STREAMING);

  value = _pochta_imap_arena_new_value (parser->arena, POCHTA_IMAP_VALUE_STREAMED, NULL,
                                        parser->literal_size);
  value->is_literal = TRUE;
  value->is_binary = parser->literal_binary;

  /* start_literal() already checked the item limit for this value. */
  _pochta_imap_parser_append (parser, value);
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

  if (parser->depth == 0)
    return NULL;

  return parser->stack[parser->depth - 1];
}
