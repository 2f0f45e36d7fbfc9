/* pochta-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the window writes dates, sizes and address lists for people: the
 * message list's short dates, the reader's full date, and names instead
 * of addresses where space is short.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-core.h"
#include "pochta-format.h"

/**
 * pochta_format_list_date:
 * @date: when the message was sent
 * @now: the current time (a parameter so tests can fix it)
 *
 * A date as the message list shows it, in local time: the time for
 * today's mail, day and month for this year's, the full date otherwise.
 */
char *
pochta_format_list_date (GDateTime *date,
                         GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  const char *format;
  int year, month, day;
  int now_year, now_month, now_day;

  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_local (date);
  local_now = g_date_time_to_local (now);
  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_time_get_ymd (local_now, &now_year, &now_month, &now_day);

  if (year == now_year && month == now_month && day == now_day)
    /* Translators: the time of a message received today, in the message
     * list; a g_date_time_format() string, e.g. "%l:%M %p" for 12 hours. */
    format = C_("list date", "%H:%M");
  else if (year == now_year)
    /* Translators: the day and month of a message received this year, in
     * the message list; a g_date_time_format() string. */
    format = C_("list date", "%-d %b");
  else
    /* Translators: the date of a message from another year, in the
     * message list; a g_date_time_format() string. */
    format = C_("list date", "%-d %b %Y");

  return g_date_time_format (local, format);
}

/* The same for a stored Unix time; 0 (no date) gives an empty string. */
char *
pochta_format_list_date_unix (gint64 unix_seconds)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (unix_seconds <= 0)
    return g_strdup ("");

  date = g_date_time_new_from_unix_utc (unix_seconds);
  if (date == NULL)
    return g_strdup ("");

  now = g_date_time_new_now_local ();
  return pochta_format_list_date (date, now);
}

/* The reader's date line, in local time. */
char *
pochta_format_full_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  /* Translators: the date of the message in the reader's header; a
   * g_date_time_format() string. */
  return g_date_time_format (local, C_("reader date", "%A, %-d %B %Y, %H:%M"));
}

/* "Name <address>, ..." of PochtaAddress values, as the reader shows
 * them: every address in full, so what is copied is what was sent. */
char *
pochta_format_address_list (GPtrArray *addresses)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (addresses == NULL)
    return g_string_free (g_steal_pointer (&out), FALSE);

  for (guint i = 0; i < addresses->len; i++)
    {
      const PochtaAddress *address = addresses->pdata[i];
      g_autofree char *text = pochta_address_to_string (address);

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, text);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_name (GString    *out,
             const char *item,
             gsize       len)
{
  g_autofree char *copy = g_strstrip (g_strndup (item, len));
  char *open = strchr (copy, '<');
  char *name = copy;

  if (*copy == '\0')
    return;

  if (open != NULL)
    {
      char *close = strchr (open, '>');

      *open = '\0';
      g_strstrip (name);
      if (*name == '"')
        {
          gsize name_len = strlen (name);

          name++;
          if (name_len >= 2 && name[name_len - 2] == '"')
            name[name_len - 2] = '\0';
        }

      /* No display name: the address stands for the person. */
      if (*name == '\0')
        {
          name = open + 1;
          if (close != NULL)
            *close = '\0';
        }
    }

  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append (out, name);
}

/**
 * pochta_format_address_names:
 * @header_value: (nullable): an address list as the cache keeps it,
 *   "Name <addr>, \"Doe, Jane\" <jane@example.org>, bare@example.org"
 *
 * The display names of an address list (or the address where there is
 * none), for the message list where space is short.
 */
char *
pochta_format_address_names (const char *header_value)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *start;
  gboolean quoted = FALSE;
  gboolean angle = FALSE;

  if (header_value == NULL)
    return g_string_free (g_steal_pointer (&out), FALSE);

  start = header_value;
  for (const char *p = header_value; ; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted && !angle))
        {
          append_name (out, start, p - start);
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (*p == '\\' && quoted && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '<' && !quoted)
        angle = TRUE;
      else if (*p == '>' && !quoted)
        angle = FALSE;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
