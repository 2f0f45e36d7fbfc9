/* pochta-cli-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli's parsers of arguments and formatters of output: pure
 * functions, unit-tested in tests/cli/test-cli-util.c.
 */

#define G_LOG_DOMAIN "pochta-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-cli-private.h"

/* Longer than any password a person types; a runaway pipe is refused. */
#define MAX_PASSWORD_LENGTH 4096

/**
 * pochta_cli_parse_server:
 * @text: "HOST", "HOST:PORT" or "[IPV6]:PORT"
 * @port: (out): the port, or 0 when @text has none (the protocol's default)
 */
gboolean
pochta_cli_parse_server (const char  *text,
                         char       **host,
                         guint       *port,
                         GError     **error)
{
  g_autofree char *name = NULL;
  const char *colon = NULL;
  guint64 number = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      name = g_strndup (text + 1, end - text - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strchr (text, ':');
      /* A bare IPv6 address has several colons and no port. */
      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        colon = NULL;
      name = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
    }

  if (name[0] == '\0' || strpbrk (name, " \t/") != NULL)
    goto bad;

  if (colon != NULL &&
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a port number (1–65535)"), colon + 1);
      return FALSE;
    }

  *host = g_steal_pointer (&name);
  *port = number;
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a server: write HOST or HOST:PORT"), text);
  return FALSE;
}

gboolean
pochta_cli_parse_tls_mode (const char     *text,
                           PochtaTlsMode  *mode,
                           GError        **error)
{
  static const struct { const char *name; PochtaTlsMode mode; } modes[] = {
    { "implicit", POCHTA_TLS_MODE_IMPLICIT },
    { "tls", POCHTA_TLS_MODE_IMPLICIT },
    { "starttls", POCHTA_TLS_MODE_STARTTLS },
    { "none", POCHTA_TLS_MODE_NONE },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (modes); i++)
    if (g_ascii_strcasecmp (text, modes[i].name) == 0)
      {
        *mode = modes[i].mode;
        return TRUE;
      }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a TLS mode: use implicit, starttls or none"), text != NULL ? text : "");
  return FALSE;
}

/* @what names the value in the error, e.g. "--limit". */
gboolean
pochta_cli_parse_number (const char  *text,
                         const char  *what,
                         guint64      min,
                         guint64      max,
                         guint64     *value,
                         GError     **error)
{
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s wants a whole number from %llu to %llu, not “%s”"),
                   what, (unsigned long long) min, (unsigned long long) max, text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

/**
 * pochta_cli_parse_message_ids:
 *
 * Returns: (transfer full) (element-type gint64): the ids, in order and
 *   without repeats; at least one.
 */
GArray *
pochta_cli_parse_message_ids (int      argc,
                              char   **argv,
                              GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (argc <= 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Name at least one message by its id (the first column of “pochta-cli list”)"));
      return NULL;
    }

  for (int i = 0; i < argc; i++)
    {
      guint64 id;

      if (!g_ascii_string_to_unsigned (argv[i], 10, 1, G_MAXINT64, &id, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a message id"), argv[i]);
          return NULL;
        }

      if (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
        g_array_append_val (ids, id);
    }

  return g_steal_pointer (&ids);
}

/**
 * pochta_cli_read_password:
 *
 * Reads one line, without its line end. Blocking: pochta-cli calls it
 * before its main loop runs.
 */
char *
pochta_cli_read_password (GInputStream  *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GString *line = g_string_sized_new (64);
  gboolean ended = FALSE;
  char c;

  while (!ended)
    {
      gssize n = g_input_stream_read (stream, &c, 1, cancellable, error);

      if (n < 0)
        goto fail;
      if (n == 0 || c == '\n')
        ended = TRUE;
      else if (line->len >= MAX_PASSWORD_LENGTH)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("The password on standard input is longer than %u bytes"), MAX_PASSWORD_LENGTH);
          goto fail;
        }
      else
        g_string_append_c (line, c);
    }

  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);

  if (line->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No password on standard input"));
      goto fail;
    }

  return g_string_free (line, FALSE);

fail:
  memset (line->str, 0, line->allocated_len);
  g_string_free (line, TRUE);
  return NULL;
}

/* "N*@": new (unread), flagged, has attachments; "-" for each that is not. */
char *
pochta_cli_format_flags (PochtaMessageFlags flags,
                         gboolean           has_attachments)
{
  char text[4];

  text[0] = (flags & (POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_DELETED)) == 0 ? 'N' : '-';
  text[1] = (flags & POCHTA_MESSAGE_FLAG_FLAGGED) != 0 ? '*' : '-';
  text[2] = has_attachments ? '@' : '-';
  text[3] = '\0';

  return g_strdup (text);
}

/* Local time, sortable; "-" for no date. */
char *
pochta_cli_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0 || (utc = g_date_time_new_from_unix_utc (unix_time)) == NULL)
    return g_strdup ("-");

  local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
pochta_cli_format_address (const char *name,
                           const char *address)
{
  gboolean has_name = name != NULL && name[0] != '\0';
  gboolean has_address = address != NULL && address[0] != '\0';

  if (has_name && has_address)
    return g_strdup_printf ("%s <%s>", name, address);
  if (has_name)
    return g_strdup (name);
  if (has_address)
    return g_strdup (address);

  return g_strdup ("-");
}

/* Mail is untrusted: a subject must not move the cursor, change the
 * terminal's colours or split a tab-separated line, so every control
 * character becomes a space and bad UTF-8 a replacement character. */
char *
pochta_cli_clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);
    }

  return g_string_free (clean, FALSE);
}

/* The same for a message body: line breaks and tabs stay (CRLF becomes
 * LF), every other control character goes. */
char *
pochta_cli_clean_body (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r' && p[1] == '\n')
        continue;
      if (c == '\n' || c == '\t')
        g_string_append_c (clean, c);
      else if (g_unichar_iscntrl (c))
        g_string_append_c (clean, c == '\r' ? '\n' : ' ');
      else
        g_string_append_unichar (clean, c);
    }

  return g_string_free (clean, FALSE);
}

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;

  return g_unichar_iswide (c) ? 2 : 1;
}

/* At most @width terminal columns (wide characters count two), ending in
 * "…" when cut, padded with spaces to exactly @width. */
char *
pochta_cli_fit (const char *text,
                guint       width)
{
  GString *out = g_string_new (NULL);
  guint total = 0;
  guint used = 0;

  if (text == NULL)
    text = "";

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    total += char_width (g_utf8_get_char (p));

  if (total <= width)
    {
      g_string_append (out, text);
      used = total;
    }
  else if (width > 0)
    {
      /* Keep one column for the ellipsis. */
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (used + char_width (c) > width - 1)
            break;
          g_string_append_unichar (out, c);
          used += char_width (c);
        }
      g_string_append (out, "…");
      used++;
    }

  for (; used < width; used++)
    g_string_append_c (out, ' ');

  return g_string_free (out, FALSE);
}

const char *
pochta_cli_role_name (PochtaFolderRole role)
{
  switch (role)
    {
    case POCHTA_FOLDER_ROLE_INBOX:
      return "inbox";
    case POCHTA_FOLDER_ROLE_SENT:
      return "sent";
    case POCHTA_FOLDER_ROLE_DRAFTS:
      return "drafts";
    case POCHTA_FOLDER_ROLE_TRASH:
      return "trash";
    case POCHTA_FOLDER_ROLE_JUNK:
      return "junk";
    case POCHTA_FOLDER_ROLE_ARCHIVE:
      return "archive";
    case POCHTA_FOLDER_ROLE_ALL:
      return "all";
    case POCHTA_FOLDER_ROLE_FLAGGED:
      return "flagged";
    case POCHTA_FOLDER_ROLE_NONE:
    default:
      return NULL;
    }
}

/* What `account list` prints: the enum nick, stable for scripts. */
const char *
pochta_cli_state_name (PochtaAccountState state)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (POCHTA_TYPE_ACCOUNT_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, state);

  return value != NULL ? value->value_nick : "unknown";
}
