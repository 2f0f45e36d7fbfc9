/* pochta-imap-utf7.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Modified UTF-7 mailbox names (RFC 3501 section 5.1.3), both ways.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-imap-utf7.h"

/* RFC 3501 uses the base64 alphabet with "," in place of "/", no padding. */
static const char mbase64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static inline gboolean
is_direct (gunichar c)
{
  return c >= 0x20 && c <= 0x7e;
}

static int
mbase64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

/**
 * pochta_imap_utf7_encode:
 * @utf8: a mailbox name in UTF-8
 *
 * Returns: (transfer full): the name in modified UTF-7
 */
char *
pochta_imap_utf7_encode (const char *utf8)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (utf8 != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (utf8, -1, NULL), NULL);

  out = g_string_sized_new (strlen (utf8) + 8);

  for (p = utf8; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);
      guint32 bits = 0;
      guint nbits = 0;

      if (is_direct (c))
        {
          g_string_append_c (out, (char) c);
          if (c == '&')
            g_string_append_c (out, '-');
          p = g_utf8_next_char (p);
          continue;
        }

      /* One shift sequence for the whole run, so the result is canonical:
       * a decoder that re-encodes must get the same bytes back. */
      g_string_append_c (out, '&');
      while (*p != '\0' && !is_direct (c = g_utf8_get_char (p)))
        {
          guint16 units[2];
          guint n_units;

          if (c >= 0x10000)
            {
              units[0] = 0xd800 + ((c - 0x10000) >> 10);
              units[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
              n_units = 2;
            }
          else
            {
              units[0] = (guint16) c;
              n_units = 1;
            }

          for (guint i = 0; i < n_units; i++)
            {
              bits = (bits << 16) | units[i];
              nbits += 16;
              while (nbits >= 6)
                {
                  nbits -= 6;
                  g_string_append_c (out, mbase64[(bits >> nbits) & 0x3f]);
                }
              bits &= (1u << nbits) - 1;
            }
          p = g_utf8_next_char (p);
        }
      if (nbits > 0)
        g_string_append_c (out, mbase64[(bits << (6 - nbits)) & 0x3f]);
      g_string_append_c (out, '-');
    }

  return g_string_free (out, FALSE);
}

static gboolean
fail (GError     **error,
      const char  *name,
      const char  *why)
{
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed modified UTF-7 mailbox name “%s”: %s"), name, why);
  return FALSE;
}

/* Decodes one shift sequence from just after "&" up to and including "-". */
static gboolean
decode_shifted (const char  *mutf7,
                const char **pp,
                GString     *out,
                GError     **error)
{
  const char *p = *pp;
  guint32 bits = 0;
  guint nbits = 0;
  gunichar high = 0;

  for (; *p != '-'; p++)
    {
      int v;

      if (*p == '\0')
        return fail (error, mutf7, _("unterminated shift sequence"));
      v = mbase64_value (*p);
      if (v < 0)
        return fail (error, mutf7, _("invalid base64 character"));

      bits = (bits << 6) | (guint32) v;
      nbits += 6;
      if (nbits >= 16)
        {
          gunichar unit;

          nbits -= 16;
          unit = (bits >> nbits) & 0xffff;
          bits &= (1u << nbits) - 1;

          if (high != 0)
            {
              if (unit < 0xdc00 || unit > 0xdfff)
                return fail (error, mutf7, _("unpaired UTF-16 surrogate"));
              g_string_append_unichar (out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
              high = 0;
            }
          else if (unit >= 0xd800 && unit <= 0xdbff)
            high = unit;
          else if (unit >= 0xdc00 && unit <= 0xdfff)
            return fail (error, mutf7, _("unpaired UTF-16 surrogate"));
          else if (unit == 0)
            return fail (error, mutf7, _("encoded NUL character"));
          else if (is_direct (unit))
            /* RFC 3501 forbids encoding printable ASCII: two spellings of
             * one name would let a server show two folders as one. */
            return fail (error, mutf7, _("encoded printable ASCII"));
          else
            g_string_append_unichar (out, unit);
        }
    }

  if (high != 0)
    return fail (error, mutf7, _("unpaired UTF-16 surrogate"));
  if (nbits >= 6 || bits != 0)
    return fail (error, mutf7, _("non-canonical base64 padding"));

  *pp = p + 1;
  return TRUE;
}

/**
 * pochta_imap_utf7_decode:
 * @mutf7: a mailbox name as the server sent it
 * @error: set when the name is not canonical modified UTF-7
 *
 * Returns: (transfer full) (nullable): the name in UTF-8, or %NULL
 */
char *
pochta_imap_utf7_decode (const char  *mutf7,
                         GError     **error)
{
  g_autoptr(GString) out = NULL;
  const char *p;

  g_return_val_if_fail (mutf7 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_sized_new (strlen (mutf7));

  for (p = mutf7; *p != '\0';)
    {
      guchar c = (guchar) *p;

      if (!is_direct (c))
        {
          fail (error, mutf7, _("character outside printable ASCII"));
          return NULL;
        }
      if (c != '&')
        {
          g_string_append_c (out, (char) c);
          p++;
          continue;
        }

      p++;
      if (*p == '-')
        {
          g_string_append_c (out, '&');
          p++;
          continue;
        }
      if (!decode_shifted (mutf7, &p, out, error))
        return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
