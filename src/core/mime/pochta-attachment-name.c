/* pochta-attachment-name.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns an attachment's file name from a message into one safe to save.
 */

#define G_LOG_DOMAIN "pochta-mime"

#include "config.h"

#include <string.h>

#include "pochta-attachment-name.h"
#include "pochta-charset.h"

#define MAX_EXTENSION_BYTES 16

/* Bidi overrides make "invoice<U+202E>fdp.exe" look like "invoiceexe.pdf";
 * zero-width and other format characters hide things the same way. */
static gboolean
is_invisible (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_FORMAT || c == 0xFFFD;
}

/* Characters that Windows, FAT and SMB refuse; saved files travel. */
static gboolean
is_forbidden (gunichar c)
{
  return c == '/' || c == '\\' || c == '<' || c == '>' || c == ':' || c == '"'
         || c == '|' || c == '?' || c == '*';
}

/* CON, PRN, AUX, NUL, COM1-9 and LPT1-9 name devices on Windows, with any
 * extension ("con.txt" too). */
static gboolean
is_reserved (const char *name)
{
  static const char * const reserved[] = { "con", "prn", "aux", "nul" };
  gsize stem = strcspn (name, ".");

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (stem == 3 && g_ascii_strncasecmp (name, reserved[i], 3) == 0)
      return TRUE;
  if (stem == 4
      && (g_ascii_strncasecmp (name, "com", 3) == 0 || g_ascii_strncasecmp (name, "lpt", 3) == 0)
      && name[3] >= '1' && name[3] <= '9')
    return TRUE;
  return FALSE;
}

/* Cuts @s to at most @max bytes without splitting a character. */
static void
utf8_truncate (GString *s,
               gsize    max)
{
  const char *end;

  if (s->len <= max)
    return;
  end = g_utf8_find_prev_char (s->str, s->str + max + 1);
  g_string_truncate (s, end != NULL ? (gsize) (end - s->str) : 0);
}

static char *
bound_length (const char *name)
{
  const char *dot = strrchr (name, '.');
  gsize ext_len = dot != NULL ? strlen (dot) : 0;
  g_autoptr(GString) stem = NULL;

  if (strlen (name) <= POCHTA_ATTACHMENT_NAME_MAX_BYTES)
    return g_strdup (name);

  /* Keep the extension, which is what opens the file; a "dot" far from
   * the end is part of the name, not an extension. */
  if (dot == NULL || dot == name || ext_len > MAX_EXTENSION_BYTES || strchr (dot, ' ') != NULL)
    ext_len = 0;
  stem = g_string_new_len (name, strlen (name) - ext_len);
  utf8_truncate (stem, POCHTA_ATTACHMENT_NAME_MAX_BYTES - ext_len);
  while (stem->len > 0 && (stem->str[stem->len - 1] == ' ' || stem->str[stem->len - 1] == '.'))
    g_string_truncate (stem, stem->len - 1);
  g_string_append_len (stem, name + strlen (name) - ext_len, ext_len);
  return g_string_free (g_steal_pointer (&stem), FALSE);
}

/**
 * pochta_attachment_name_sanitize:
 * @name: (nullable): the file name a message suggests, in UTF-8 or not
 *
 * Makes a file name safe to create in a directory the person chose: only
 * the last path component is kept, control, invisible and
 * Windows-forbidden characters are removed or replaced, leading dots and
 * trailing dots or spaces go, device names get a "_" in front, and the
 * result is at most %POCHTA_ATTACHMENT_NAME_MAX_BYTES bytes with its
 * extension kept.  Nothing is left → "attachment".
 *
 * Returns: (transfer full): a non-empty UTF-8 file name
 */
char *
pochta_attachment_name_sanitize (const char *name)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfc = NULL;
  g_autoptr(GString) out = NULL;
  const char *base;
  const char *start;
  gsize len;

  if (name == NULL || *name == '\0')
    return g_strdup ("attachment");

  /* Raw 8-bit names get the same charset fallback as message text. */
  valid = pochta_charset_to_utf8 (name, -1, NULL, NULL, NULL);
  nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return g_strdup ("attachment");

  /* A name like "../../.bashrc" or "C:\Users\x\report.pdf" means its last
   * component; "dir/" means "dir". */
  len = strlen (nfc);
  while (len > 0 && (nfc[len - 1] == '/' || nfc[len - 1] == '\\'))
    nfc[--len] = '\0';
  base = nfc;
  for (const char *p = nfc; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;

  out = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_invisible (c))
        continue;
      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        c = ' ';
      else if (is_forbidden (c))
        c = '_';
      /* Runs of blanks (from folded headers) collapse to one. */
      if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
        continue;
      g_string_append_unichar (out, c);
    }

  start = out->str;
  while (*start == '.' || *start == ' ')
    start++;
  len = strlen (start);
  while (len > 0 && (start[len - 1] == '.' || start[len - 1] == ' '))
    len--;
  g_string_erase (out, 0, start - out->str);
  g_string_truncate (out, len);

  if (out->len == 0)
    return g_strdup ("attachment");
  if (is_reserved (out->str))
    g_string_prepend_c (out, '_');

  return bound_length (out->str);
}
