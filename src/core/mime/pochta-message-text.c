/* pochta-message-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain text from message bodies: HTML to text, the one-line preview that
 * the message list shows, and uuencoded files hidden in plain text.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "pochta-message-private.h"
#include "pochta-message-text.h"

typedef struct
{
  GString *out;
  guint    quote_depth;
  guint    pre_depth;
  gboolean pending_space;
  guint    newlines;
} TextWriter;

static void
writer_newline (TextWriter *w,
                guint       max_newlines)
{
  while (w->out->len > 0 && w->out->str[w->out->len - 1] == ' ')
    g_string_truncate (w->out, w->out->len - 1);
  w->pending_space = FALSE;
  if (w->out->len == 0)
    return;
  while (w->newlines < max_newlines)
    {
      g_string_append_c (w->out, '\n');
      w->newlines++;
    }
}

static void
writer_char (TextWriter *w,
             gunichar    c)
{
  if (w->newlines > 0 || w->out->len == 0)
    {
      for (guint i = 0; i < w->quote_depth; i++)
        g_string_append (w->out, "> ");
      w->pending_space = FALSE;
    }
  else if (w->pending_space)
    g_string_append_c (w->out, ' ');
  w->pending_space = FALSE;
  w->newlines = 0;
  g_string_append_unichar (w->out, c);
}

static void
writer_text (TextWriter *w,
             gunichar    c)
{
  if (w->pre_depth > 0 && c == '\n')
    writer_newline (w, w->newlines + 1);
  else if (w->pre_depth > 0 && (c == ' ' || c == '\t'))
    writer_char (w, c);
  else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0)
    w->pending_space = w->pre_depth > 0 || (w->newlines == 0 && w->out->len > 0);
  else
    writer_char (w, c);
}

static const struct
{
  const char *name;
  gunichar    c;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
  { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 }, { "laquo", 0xAB },
  { "raquo", 0xBB }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
  { "rdquo", 0x201D }, { "bdquo", 0x201E }, { "euro", 0x20AC }, { "pound", 0xA3 },
  { "yen", 0xA5 }, { "cent", 0xA2 }, { "sect", 0xA7 }, { "deg", 0xB0 }, { "middot", 0xB7 },
  { "bull", 0x2022 }, { "times", 0xD7 }, { "shy", 0 }, { "zwnj", 0 }, { "zwj", 0 },
  { "auml", 0xE4 }, { "ouml", 0xF6 }, { "uuml", 0xFC }, { "Auml", 0xC4 }, { "Ouml", 0xD6 },
  { "Uuml", 0xDC }, { "szlig", 0xDF }, { "eacute", 0xE9 }, { "egrave", 0xE8 },
  { "agrave", 0xE0 }, { "ccedil", 0xE7 }, { "oslash", 0xF8 }, { "aring", 0xE5 },
};

/* Decodes the entity at @p (just after '&'); returns the bytes consumed,
 * 0 if it is not one (then the '&' is literal text). */
static gsize
decode_entity (const char *p,
               const char *end,
               gunichar   *c)
{
  const char *semi = memchr (p, ';', MIN (end - p, 12));
  gsize len;

  if (semi == NULL)
    return 0;
  len = semi - p;
  if (len >= 2 && p[0] == '#')
    {
      g_autofree char *num = g_strndup (p + 1, len - 1);
      guint64 v;

      if (num[0] == 'x' || num[0] == 'X')
        v = g_ascii_strtoull (num + 1, NULL, 16);
      else
        v = g_ascii_strtoull (num, NULL, 10);
      *c = v > 0 && v <= 0x10FFFF && g_unichar_validate ((gunichar) v) ? (gunichar) v : 0xFFFD;
      return len + 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == len && strncmp (p, entities[i].name, len) == 0)
      {
        *c = entities[i].c;
        return len + 1;
      }
  return 0;
}

static gboolean
tag_is (const char *name,
        const char *const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Finds "</name" case-insensitively, for the content of script and style
 * that is not HTML. */
static const char *
find_close_tag (const char *p,
                const char *end,
                const char *name)
{
  gsize n = strlen (name);

  for (; p + n + 2 <= end; p++)
    if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, n) == 0)
      return p;
  return end;
}

static const char *
skip_tag (const char *p,
          const char *end)
{
  char quote = 0;

  for (; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }
  return end;
}

/**
 * pochta_message_html_to_text:
 * @html: HTML in UTF-8
 * @len: length of @html, or -1 if NUL-terminated
 *
 * Converts HTML to readable plain text for the preview and the index:
 * no tags, styles, scripts or comments; entities decoded; block elements
 * on their own lines; blockquotes as "> " quotes.  Not a renderer.
 *
 * Returns: (transfer full): the text
 */
char *
pochta_message_html_to_text (const char *html,
                             gssize      len)
{
  static const char * const skipped[] = { "script", "style", "title", "template", "xml", NULL };
  static const char * const blocks[] = {
    "p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre",
    "dl", "dd", "dt", "section", "article", "header", "footer", "center", "address",
    "blockquote", "body", "form", "fieldset", NULL,
  };
  TextWriter w = { 0 };
  const char *p;
  const char *end;

  g_return_val_if_fail (html != NULL || len == 0, NULL);

  if (html == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (html);
  p = html;
  end = html + len;
  w.out = g_string_sized_new (len / 2 + 1);

  while (p < end)
    {
      if (*p == '<')
        {
          char name[16] = { 0 };
          gboolean closing = FALSE;
          const char *q = p + 1;
          gsize n = 0;

          if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
            {
              const char *close = g_strstr_len (p + 4, end - p - 4, "-->");

              p = close != NULL ? close + 3 : end;
              continue;
            }
          if (q < end && *q == '/')
            {
              closing = TRUE;
              q++;
            }
          while (q < end && g_ascii_isalnum (*q) && n < sizeof name - 1)
            name[n++] = *q++;
          if (n == 0)
            {
              /* "<!DOCTYPE", "<?xml", or a bare "<" in sloppy HTML. */
              if (q < end && (*q == '!' || *q == '?'))
                p = skip_tag (q, end);
              else
                {
                  writer_char (&w, '<');
                  p++;
                }
              continue;
            }
          p = skip_tag (q, end);

          if (!closing && tag_is (name, skipped))
            p = skip_tag (find_close_tag (p, end, name), end);
          else if (g_ascii_strcasecmp (name, "br") == 0)
            writer_newline (&w, w.newlines + 1);
          else if (g_ascii_strcasecmp (name, "li") == 0 && !closing)
            {
              writer_newline (&w, 1);
              writer_char (&w, 0x2022);
              w.pending_space = TRUE;
            }
          else if (g_ascii_strcasecmp (name, "td") == 0 || g_ascii_strcasecmp (name, "th") == 0)
            w.pending_space = w.newlines == 0 && w.out->len > 0;
          else if (tag_is (name, blocks))
            {
              gboolean paragraph = g_ascii_strcasecmp (name, "p") == 0
                                   || g_ascii_strcasecmp (name, "blockquote") == 0
                                   || (name[0] == 'h' && g_ascii_isdigit (name[1]));

              writer_newline (&w, paragraph ? 2 : 1);
              if (g_ascii_strcasecmp (name, "blockquote") == 0)
                w.quote_depth = closing ? (w.quote_depth > 0 ? w.quote_depth - 1 : 0)
                                        : MIN (w.quote_depth + 1, 8);
              else if (g_ascii_strcasecmp (name, "pre") == 0)
                w.pre_depth = closing ? (w.pre_depth > 0 ? w.pre_depth - 1 : 0) : w.pre_depth + 1;
            }
          continue;
        }

      if (*p == '&')
        {
          gunichar c = 0;
          gsize used = decode_entity (p + 1, end, &c);

          if (used > 0)
            {
              if (c != 0)
                writer_text (&w, c);
              p += used + 1;
              continue;
            }
        }

      {
        gunichar c = g_utf8_get_char_validated (p, end - p);

        if (c == (gunichar) -1 || c == (gunichar) -2)
          {
            p++;
            continue;
          }
        writer_text (&w, c);
        p = g_utf8_next_char (p);
      }
    }

  writer_newline (&w, 0);
  g_strstrip (w.out->str);
  return g_string_free (w.out, FALSE);
}

static gboolean
is_quote (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '>';
}

/* Where the sender's own words end: the RFC 3676 signature separator, and
 * the separators Outlook puts above a quoted message. */
static gboolean
is_cut_line (const char *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line));

  return strcmp (line, "-- ") == 0 || strcmp (trimmed, "--") == 0
         || g_str_has_prefix (trimmed, "-----Original Message-----")
         || g_str_has_prefix (trimmed, "________________________________");
}

static gboolean
is_attribution (const char *line,
                const char *next)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line));

  return next != NULL && is_quote (next)
         && (g_str_has_suffix (trimmed, ":") || g_str_has_suffix (trimmed, "\xef\xbc\x9a"));
}

/* CJK text wraps without spaces, so a line break inside it joins with
 * nothing rather than a space. */
static gboolean
is_cjk (gunichar c)
{
  return g_unichar_iswide (c) && !g_unichar_isspace (c);
}

static void
append_collapsed (GString    *out,
                  const char *line)
{
  gboolean space = out->len > 0;
  gboolean line_break = space;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xA0 || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          line_break = FALSE;
          continue;
        }
      if (space)
        {
          const char *last = g_utf8_find_prev_char (out->str, out->str + out->len);

          if (!(line_break && last != NULL && is_cjk (g_utf8_get_char (last)) && is_cjk (c)))
            g_string_append_c (out, ' ');
        }
      space = line_break = FALSE;
      g_string_append_unichar (out, c);
    }
}

static char *
preview_pass (char  **lines,
              guint   max_chars,
              gboolean skip_quotes)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (is_cut_line (lines[i]))
        break;
      if (skip_quotes && (is_quote (lines[i]) || is_attribution (lines[i], lines[i + 1])))
        continue;
      append_collapsed (out, lines[i]);
      /* Enough to fill the line; the rest is never shown. */
      if (out->len > (gsize) max_chars * 4 + 8)
        break;
    }

  g_strchomp (out->str);
  out->len = strlen (out->str);
  if (g_utf8_strlen (out->str, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (out->str, 0, max_chars);

      g_string_assign (out, g_strchomp (cut));
    }
  return g_string_free (out, FALSE);
}

/**
 * pochta_message_make_preview:
 * @text: the plain text of a body (UTF-8)
 * @max_chars: the length of the preview in characters
 *
 * The words a message list shows under the subject: quoted lines, the
 * "... wrote:" line above them and the signature are skipped, whitespace
 * is collapsed into single spaces.  A message that is nothing but a
 * quote previews its quote rather than nothing.
 *
 * Returns: (transfer full): the preview, possibly empty
 */
char *
pochta_message_make_preview (const char *text,
                             guint       max_chars)
{
  g_auto(GStrv) lines = NULL;
  char *preview;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  preview = preview_pass (lines, max_chars, TRUE);
  if (*preview == '\0')
    {
      g_free (preview);
      preview = preview_pass (lines, max_chars, FALSE);
    }
  return preview;
}

/* One line of uuencode: a length character, then four characters per
 * three bytes, each character 0x20 + six bits ('`' for zero). */
static gboolean
uudecode_line (const char *line,
               GByteArray *out)
{
  gsize line_len = strlen (line);
  guint n;

  if (line_len == 0)
    return TRUE;
  n = (line[0] - 0x20) & 0x3F;
  if (line[0] < 0x20 || line[0] > 0x60 || (n + 2) / 3 * 4 > line_len + 2)
    return FALSE;

  for (guint i = 0; i < n; i += 3)
    {
      guint8 v[4];
      guint8 bytes[3];

      for (guint k = 0; k < 4; k++)
        {
          gsize at = 1 + i / 3 * 4 + k;
          char c = at < line_len ? line[at] : ' ';

          if (c < 0x20 || c > 0x60)
            return FALSE;
          v[k] = (c - 0x20) & 0x3F;
        }
      bytes[0] = (v[0] << 2) | (v[1] >> 4);
      bytes[1] = (v[1] << 4) | (v[2] >> 2);
      bytes[2] = (v[2] << 6) | v[3];
      g_byte_array_append (out, bytes, MIN (3, n - i));
    }
  return TRUE;
}

/* "begin 644 name": three or four octal digits, then the file name. */
static const char *
uu_begin_name (const char *line)
{
  const char *p = line + strlen ("begin ");
  guint digits = 0;

  if (!g_str_has_prefix (line, "begin "))
    return NULL;
  while (*p >= '0' && *p <= '7')
    p++, digits++;
  if (digits < 3 || digits > 4 || *p != ' ' || p[1] == '\0')
    return NULL;
  return p + 1;
}

/**
 * _pochta_message_extract_uuencoded:
 * @text: plain text that may carry "begin ... end" blocks
 * @files: (element-type PochtaMessagePart): where found files are added
 * @max_files: how many files to take at most
 *
 * Old mailers and Usenet gateways put files in the text itself.  Complete,
 * valid blocks become attachments and leave the text; anything doubtful
 * stays text.
 *
 * Returns: (transfer full) (nullable): the text without the blocks, or
 *   %NULL when there were none
 */
char *
_pochta_message_extract_uuencoded (const char *text,
                                   GPtrArray  *files,
                                   guint       max_files)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *rest = g_string_new (NULL);
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *name = found < max_files ? uu_begin_name (lines[i]) : NULL;
      g_autoptr(GByteArray) data = NULL;
      guint j;

      if (name != NULL)
        {
          data = g_byte_array_new ();
          for (j = i + 1; lines[j] != NULL; j++)
            {
              g_strchomp (lines[j]);
              if (strcmp (lines[j], "end") == 0 || !uudecode_line (lines[j], data))
                break;
            }
          if (lines[j] != NULL && strcmp (lines[j], "end") == 0)
            {
              g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
              g_autofree char *type = NULL;
              g_autofree char *mime_type = NULL;
              g_autofree char *clean_name = g_utf8_make_valid (name, -1);

              type = g_content_type_guess (clean_name, g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes), NULL);
              mime_type = g_content_type_get_mime_type (type);
              g_ptr_array_add (files,
                               _pochta_message_part_new_bytes (bytes,
                                                               mime_type != NULL
                                                               ? mime_type
                                                               : "application/octet-stream",
                                                               g_strchomp (clean_name)));
              found++;
              i = j;
              continue;
            }
        }
      if (rest->len > 0 || i > 0)
        g_string_append_c (rest, '\n');
      g_string_append (rest, lines[i]);
    }

  if (found == 0)
    {
      g_string_free (rest, TRUE);
      return NULL;
    }
  return g_string_free (rest, FALSE);
}
