/* pochta-trace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The POCHTA_DEBUG protocol trace, which never shows credentials.
 */

#define G_LOG_DOMAIN "pochta-net"

#include "config.h"

#include <string.h>

#include "pochta-debug.h"
#include "pochta-trace.h"

/* Long lines and literals are cut: a trace is for reading, and a message
 * body in it would leak more than it helps. */
#define MAX_SHOWN_LINE    512
#define MAX_SCANNED_SENT  4096
#define REDACTED          "<redacted>"

struct _PochtaTrace
{
  char     *label;
  guint     debug_flags;
  /* Set between a command that starts an authentication exchange and the
   * server's final answer: every line sent meanwhile is a credential. */
  gboolean  in_secret_exchange;
};

static PochtaTraceWriter trace_writer;
static gpointer trace_writer_data;

/**
 * pochta_trace_set_writer:
 * @writer: (nullable): where trace lines go; %NULL restores stderr
 *
 * For tests, which check what a trace would have shown. Not thread-safe:
 * set it before connections exist.
 */
void
pochta_trace_set_writer (PochtaTraceWriter writer,
                         gpointer          user_data)
{
  trace_writer = writer;
  trace_writer_data = user_data;
}

/**
 * pochta_trace_new:
 * @label: names the connection in each line, e.g. "imap#3"
 * @debug_flags: #PochtaDebugFlags that switch this trace on, besides
 *   %POCHTA_DEBUG_NET which always does
 */
PochtaTrace *
pochta_trace_new (const char *label,
                  guint       debug_flags)
{
  PochtaTrace *self;

  g_return_val_if_fail (label != NULL, NULL);

  self = g_new0 (PochtaTrace, 1);
  self->label = g_strdup (label);
  self->debug_flags = debug_flags | POCHTA_DEBUG_NET;

  return self;
}

void
pochta_trace_free (PochtaTrace *self)
{
  if (self == NULL)
    return;

  g_free (self->label);
  g_free (self);
}

gboolean
pochta_trace_is_enabled (PochtaTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return (pochta_debug_get_flags () & self->debug_flags) != 0;
}

static void
emit (PochtaTrace *self,
      const char  *text)
{
  if (trace_writer != NULL)
    trace_writer (self->label, text, trace_writer_data);
  else
    g_printerr ("pochta %s %s\n", self->label, text);
}

/* Control bytes and a cut at MAX_SHOWN_LINE keep one protocol line on one
 * terminal line, whatever the server sent. */
static void
append_escaped (GString      *out,
                const guint8 *data,
                gsize         length)
{
  gsize shown = MIN (length, MAX_SHOWN_LINE);

  for (gsize i = 0; i < shown; i++)
    {
      guint8 c = data[i];

      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\t' || (c >= 0x20 && c != 0x7f))
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "\\x%02x", c);
    }

  if (shown < length)
    g_string_append_printf (out, "… (+%" G_GSIZE_FORMAT " bytes)", length - shown);
}

static gboolean
word_is (const char *word,
         gsize       length,
         const char *keyword)
{
  return strlen (keyword) == length && g_ascii_strncasecmp (word, keyword, length) == 0;
}

/* Splits off up to max_words space-separated words; *rest points after them. */
static guint
split_words (const char  *line,
             const char **starts,
             gsize       *lengths,
             guint        max_words,
             const char **rest)
{
  const char *p = line;
  guint n = 0;

  while (n < max_words)
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      starts[n] = p;
      while (*p != '\0' && *p != ' ')
        p++;
      lengths[n] = p - starts[n];
      n++;
    }

  *rest = p;
  return n;
}

static gboolean
ends_with_literal (const char *line)
{
  gsize len = strlen (line);

  return len > 0 && line[len - 1] == '}';
}

/**
 * pochta_trace_redact_line:
 * @line: one command line a client sends, without its line ending
 * @starts_secret: (out) (optional): set when the lines that follow (SASL
 *   responses, LOGIN literals) are credentials too
 *
 * Knows the credential-carrying commands of IMAP (LOGIN, AUTHENTICATE),
 * POP3 (PASS, APOP, AUTH) and SMTP (AUTH), case-insensitively. It is the
 * second defence: callers mark credential writes as secret in the first
 * place.
 *
 * Returns: (transfer full): @line with its credentials replaced by
 *   "<redacted>"
 */
char *
pochta_trace_redact_line (const char *line,
                          gboolean   *starts_secret)
{
  const char *w[3];
  gsize wl[3];
  const char *rest;
  guint n;

  if (starts_secret != NULL)
    *starts_secret = FALSE;

  g_return_val_if_fail (line != NULL, NULL);

  n = split_words (line, w, wl, 3, &rest);

  /* POP3: PASS secret / APOP user digest */
  if (n >= 1 && word_is (w[0], wl[0], "PASS"))
    return g_strdup ("PASS " REDACTED);
  if (n >= 2 && word_is (w[0], wl[0], "APOP"))
    return g_strdup_printf ("APOP %.*s " REDACTED, (int)wl[1], w[1]);

  /* POP3/SMTP: AUTH mechanism [initial-response] */
  if (n >= 1 && word_is (w[0], wl[0], "AUTH"))
    {
      if (starts_secret != NULL)
        *starts_secret = TRUE;
      if (n == 1)
        return g_strdup (line);
      if (n == 2)
        return g_strdup_printf ("AUTH %.*s", (int)wl[1], w[1]);
      return g_strdup_printf ("AUTH %.*s " REDACTED, (int)wl[1], w[1]);
    }

  /* IMAP: tag LOGIN user pass, where either may be a literal */
  if (n >= 2 && word_is (w[1], wl[1], "LOGIN"))
    {
      if (starts_secret != NULL)
        *starts_secret = ends_with_literal (line);
      return g_strdup_printf ("%.*s LOGIN " REDACTED, (int)wl[0], w[0]);
    }

  /* IMAP: tag AUTHENTICATE mechanism [initial-response] (RFC 4959) */
  if (n >= 2 && word_is (w[1], wl[1], "AUTHENTICATE"))
    {
      if (starts_secret != NULL)
        *starts_secret = TRUE;
      if (n == 2)
        return g_strdup (line);
      if (*rest == '\0' && n == 3)
        return g_strdup_printf ("%.*s AUTHENTICATE %.*s",
                                (int)wl[0], w[0], (int)wl[2], w[2]);
      return g_strdup_printf ("%.*s AUTHENTICATE %.*s " REDACTED,
                              (int)wl[0], w[0], (int)wl[2], w[2]);
    }

  return g_strdup (line);
}

/* A continuation request ("+ ", "+" alone, SMTP "334 ") keeps an exchange
 * going; any other reply (tagged OK/NO, +OK, -ERR, 235, 535) ends it. */
static gboolean
is_continuation (const char *line,
                 gsize       length)
{
  if (length >= 1 && line[0] == '+' && (length == 1 || line[1] == ' '))
    return TRUE;
  return length >= 3 && memcmp (line, "334", 3) == 0 && (length == 3 || line[3] == ' ');
}

void
pochta_trace_received_line (PochtaTrace *self,
                            const char  *line,
                            gsize        length)
{
  g_return_if_fail (self != NULL);

  if (self->in_secret_exchange && !is_continuation (line, length))
    self->in_secret_exchange = FALSE;

  if (pochta_trace_is_enabled (self))
    {
      g_autoptr(GString) out = g_string_new ("S: ");

      append_escaped (out, (const guint8 *)line, length);
      emit (self, out->str);
    }
}

/* Literal data, or a chunk of responses read in bulk: its size and a cut,
 * never pages of message text. */
void
pochta_trace_received_bytes (PochtaTrace  *self,
                             const guint8 *data,
                             gsize         length)
{
  g_return_if_fail (self != NULL);

  /* A client that reads responses in chunks shows the end of an
   * authentication exchange only here: any reply line that is not a
   * continuation request ends it, as in pochta_trace_received_line(). */
  for (gsize pos = 0; self->in_secret_exchange && pos < length;)
    {
      const guint8 *lf = memchr (data + pos, '\n', length - pos);
      gsize end = lf != NULL ? (gsize) (lf - data) : length;
      gsize line_len = end - pos;

      if (line_len > 0 && data[pos + line_len - 1] == '\r')
        line_len--;
      if (lf != NULL && !is_continuation ((const char *) data + pos, line_len))
        self->in_secret_exchange = FALSE;
      pos = end + 1;
    }

  if (pochta_trace_is_enabled (self))
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_string_append_printf (out, "S: <%" G_GSIZE_FORMAT " bytes> ", length);
      append_escaped (out, data, MIN (length, 80));
      if (length > 80)
        g_string_append (out, "…");
      emit (self, out->str);
    }
}

/**
 * pochta_trace_sent:
 * @secret: the caller knows these bytes are a credential: only their size
 *   is shown
 *
 * Lines are shown one by one through pochta_trace_redact_line(), and every
 * line inside an authentication exchange is shown only by its size.
 */
void
pochta_trace_sent (PochtaTrace  *self,
                   const guint8 *data,
                   gsize         length,
                   gboolean      secret)
{
  gboolean enabled;
  gsize pos = 0;
  gsize scan_end;

  g_return_if_fail (self != NULL);

  enabled = pochta_trace_is_enabled (self);

  if (secret)
    {
      if (enabled)
        {
          g_autofree char *text = g_strdup_printf ("C: <redacted %" G_GSIZE_FORMAT " bytes>", length);
          emit (self, text);
        }
      return;
    }

  /* Redaction state is kept even while the trace is off, so that switching
   * it on in the middle of an AUTHENTICATE exchange cannot show a secret. */
  scan_end = MIN (length, MAX_SCANNED_SENT);
  while (pos < scan_end)
    {
      const guint8 *lf = memchr (data + pos, '\n', scan_end - pos);
      gsize end = lf ? (gsize)(lf - data) : scan_end;
      gsize line_len = end - pos;
      g_autofree char *line = NULL;
      g_autofree char *redacted = NULL;
      gboolean starts_secret = FALSE;

      if (line_len > 0 && data[end - 1] == '\r')
        line_len--;

      if (self->in_secret_exchange)
        {
          if (enabled)
            {
              g_autofree char *text = g_strdup_printf ("C: <redacted %" G_GSIZE_FORMAT " bytes>",
                                                       line_len);
              emit (self, text);
            }
        }
      else
        {
          line = g_strndup ((const char *)data + pos, line_len);
          redacted = pochta_trace_redact_line (line, &starts_secret);
          self->in_secret_exchange = starts_secret;

          if (enabled)
            {
              g_autoptr(GString) out = g_string_new ("C: ");

              append_escaped (out, (const guint8 *)redacted, strlen (redacted));
              emit (self, out->str);
            }
        }

      pos = end + 1;
    }

  if (enabled && length > scan_end)
    {
      g_autofree char *text = g_strdup_printf ("C: <%" G_GSIZE_FORMAT " more bytes>",
                                               length - scan_end);
      emit (self, text);
    }
}

void
pochta_trace_note (PochtaTrace *self,
                   const char  *format,
                   ...)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (self != NULL);

  if (!pochta_trace_is_enabled (self))
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  text = g_strconcat ("-- ", message, NULL);
  emit (self, text);
}
