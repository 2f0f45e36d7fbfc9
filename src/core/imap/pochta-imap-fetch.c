/* pochta-imap-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One message's data from a "* n FETCH (...)" response, typed.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-decode-private.h"
#include "pochta-imap-fetch.h"

static const char * const months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static gboolean
read_digits (const char **pp,
             guint        min_digits,
             guint        max_digits,
             int         *out)
{
  const char *p = *pp;
  guint n = 0;
  int value = 0;

  while (n < max_digits && g_ascii_isdigit (*p))
    {
      value = value * 10 + (*p - '0');
      p++;
      n++;
    }
  if (n < min_digits)
    return FALSE;
  *out = value;
  *pp = p;
  return TRUE;
}

/* date-time of RFC 3501, "17-Jul-1996 02:44:25 -0700" (the day may be
 * space-padded), into its fields; the calendar checks come after. */
static gboolean
read_internaldate (const char           *text,
                   PochtaImapDateFields *f)
{
  const char *p = text;
  int zh, zm, sign;

  f->month = 0;
  if (*p == ' ')
    p++;
  if (!read_digits (&p, 1, 2, &f->day) || *p++ != '-')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strncasecmp (p, months[i], 3) == 0)
      f->month = i + 1;
  if (f->month == 0)
    return FALSE;
  p += 3;
  if (*p++ != '-' || !read_digits (&p, 4, 4, &f->year) || *p++ != ' '
      || !read_digits (&p, 2, 2, &f->hour) || *p++ != ':'
      || !read_digits (&p, 2, 2, &f->minute) || *p++ != ':'
      || !read_digits (&p, 2, 2, &f->second) || *p++ != ' ')
    return FALSE;
  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p++ == '-' ? -1 : 1;
  if (!read_digits (&p, 2, 2, &zh) || !read_digits (&p, 2, 2, &zm) || *p != '\0' || zm > 59)
    return FALSE;
  f->offset = sign * (zh * 3600 + zm * 60);
  return TRUE;
}

/**
 * pochta_imap_internaldate_parse:
 * @text: date-time of RFC 3501, "17-Jul-1996 02:44:25 -0700" (the day
 *   may be space-padded)
 *
 * Returns: (transfer full) (nullable): the time in its own zone, or %NULL
 */
GDateTime *
pochta_imap_internaldate_parse (const char *text)
{
  PochtaImapDateFields f;

  g_return_val_if_fail (text != NULL, NULL);

  if (!read_internaldate (text, &f))
    return NULL;
  return _pochta_imap_date_fields_to_date_time (&f);
}

/**
 * pochta_imap_internaldate_parse_unix:
 * @text: as for pochta_imap_internaldate_parse()
 * @out: (out): the Unix time
 *
 * Returns: FALSE where pochta_imap_internaldate_parse() gives %NULL
 */
gboolean
pochta_imap_internaldate_parse_unix (const char *text,
                                     gint64     *out)
{
  PochtaImapDateFields f;

  g_return_val_if_fail (text != NULL, FALSE);

  return read_internaldate (text, &f) && _pochta_imap_date_fields_to_unix (&f, out);
}

/* For APPEND: English month names whatever the locale, as RFC 3501 wants. */
char *
pochta_imap_internaldate_format (GDateTime *datetime)
{
  GTimeSpan offset;
  gint64 minutes;

  g_return_val_if_fail (datetime != NULL, NULL);

  offset = g_date_time_get_utc_offset (datetime);
  minutes = ABS (offset) / G_TIME_SPAN_MINUTE;
  return g_strdup_printf ("%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                          g_date_time_get_day_of_month (datetime),
                          months[g_date_time_get_month (datetime) - 1],
                          g_date_time_get_year (datetime),
                          g_date_time_get_hour (datetime),
                          g_date_time_get_minute (datetime),
                          g_date_time_get_second (datetime),
                          offset < 0 ? '-' : '+',
                          (int) (minutes / 60), (int) (minutes % 60));
}

/**
 * pochta_imap_fetch_normalize_section:
 * @spec: a fetch item as requested or as answered, e.g.
 *   "body.peek[header.fields (References)]<0.2048>"
 *
 * Requests and answers differ (".PEEK" is dropped, a partial "<0.2048>" is
 * answered "<0>", case and spacing vary); both normalise to the same key.
 *
 * Returns: (transfer full): e.g. "BODY[HEADER.FIELDS (REFERENCES)]<0>"
 */
char *
pochta_imap_fetch_normalize_section (const char *spec)
{
  GString *out;
  gboolean in_partial = FALSE;
  gboolean after_dot = FALSE;

  g_return_val_if_fail (spec != NULL, NULL);

  out = g_string_sized_new (strlen (spec));
  for (const char *p = spec; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '"')
        continue;
      if (g_ascii_isspace (c))
        {
          /* Collapse runs and drop spaces just inside parentheses. */
          if (out->len == 0 || out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '(')
            continue;
          if (p[1] == ')' || g_ascii_isspace (p[1]) || p[1] == '\0')
            continue;
          c = ' ';
        }
      if (c == '<')
        in_partial = TRUE;
      else if (c == '>')
        in_partial = after_dot = FALSE;
      else if (in_partial && c == '.')
        after_dot = TRUE;
      if (after_dot)
        continue;
      g_string_append_c (out, c);
    }

  /* ".PEEK" only appears before "[": BODY.PEEK[...] and BINARY.PEEK[...]. */
  {
    char *peek = strstr (out->str, ".PEEK[");

    if (peek != NULL)
      g_string_erase (out, peek - out->str, 5);
  }
  return g_string_free (out, FALSE);
}

static void
section_free (gpointer data)
{
  PochtaImapFetchSection *section = data;

  g_free (section->spec);
  g_clear_pointer (&section->data, g_bytes_unref);
  g_free (section);
}

void
pochta_imap_fetch_free (PochtaImapFetch *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->flags);
  g_clear_pointer (&self->internaldate, g_date_time_unref);
  g_clear_pointer (&self->envelope, pochta_imap_envelope_free);
  g_clear_pointer (&self->body_structure, pochta_imap_body_part_free);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_free (self);
}

static gboolean
malformed (GError     **error,
           const char  *item)
{
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed %s in a FETCH response"), item);
  return FALSE;
}

static gboolean
is_section_item (const char *name)
{
  return g_ascii_strncasecmp (name, "BODY[", 5) == 0
         || g_ascii_strncasecmp (name, "BINARY[", 7) == 0
         || g_ascii_strcasecmp (name, "RFC822") == 0
         || g_ascii_strcasecmp (name, "RFC822.HEADER") == 0
         || g_ascii_strcasecmp (name, "RFC822.TEXT") == 0;
}

static void
add_section (PochtaImapFetch        *self,
             const char             *name,
             const PochtaImapValue  *value)
{
  PochtaImapFetchSection *section = g_new0 (PochtaImapFetchSection, 1);

  section->spec = pochta_imap_fetch_normalize_section (name);
  if (value->type == POCHTA_IMAP_VALUE_STREAMED)
    {
      section->streamed = TRUE;
      section->size = value->len;
    }
  else if (value->type != POCHTA_IMAP_VALUE_NIL)
    {
      section->data = value->bytes != NULL ? g_bytes_ref (value->bytes) : g_bytes_new (value->data, value->len);
      section->size = value->len;
    }

  /* A repeated item replaces the earlier one, as the latest data wins. */
  for (guint i = 0; i < self->sections->len; i++)
    {
      PochtaImapFetchSection *old = g_ptr_array_index (self->sections, i);

      if (strcmp (old->spec, section->spec) == 0)
        {
          g_ptr_array_remove_index (self->sections, i);
          break;
        }
    }
  g_ptr_array_add (self->sections, section);
}

static gboolean
get_uint32 (const PochtaImapValue *value,
            guint32               *out)
{
  guint64 n;

  if (!pochta_imap_value_get_number (value, &n) || n == 0 || n > G_MAXUINT32)
    return FALSE;
  *out = (guint32) n;
  return TRUE;
}

typedef enum
{
  ITEM_OTHER,
  ITEM_UID,
  ITEM_FLAGS,
  ITEM_MODSEQ,
  ITEM_INTERNALDATE,
  ITEM_RFC822_SIZE,
  ITEM_ENVELOPE,
  ITEM_BODYSTRUCTURE,
} ItemKind;

/* Each message has half a dozen items: one compare by length instead of a
 * chain of case-insensitive compares. */
static ItemKind
item_kind (const char *name)
{
  static const struct {
    const char *name;
    ItemKind    kind;
  } by_length[] = {
    [3] = { "UID", ITEM_UID },
    [4] = { "BODY", ITEM_BODYSTRUCTURE },
    [5] = { "FLAGS", ITEM_FLAGS },
    [6] = { "MODSEQ", ITEM_MODSEQ },
    [8] = { "ENVELOPE", ITEM_ENVELOPE },
    [11] = { "RFC822.SIZE", ITEM_RFC822_SIZE },
    [12] = { "INTERNALDATE", ITEM_INTERNALDATE },
    [13] = { "BODYSTRUCTURE", ITEM_BODYSTRUCTURE },
  };
  gsize len = strlen (name);

  if (len < G_N_ELEMENTS (by_length) && by_length[len].name != NULL
      && g_ascii_strcasecmp (name, by_length[len].name) == 0)
    return by_length[len].kind;

  return ITEM_OTHER;
}

static gboolean
is_list_of_atoms (const PochtaImapValue *value)
{
  guint n;

  if (!_pochta_imap_value_is_list (value))
    return FALSE;
  n = pochta_imap_value_list_size (value);
  for (guint i = 0; i < n; i++)
    if (pochta_imap_value_list_get (value, i)->type != POCHTA_IMAP_VALUE_ATOM)
      return FALSE;
  return TRUE;
}

typedef void (*SectionFunc) (gpointer               data,
                             const char            *name,
                             const PochtaImapValue *value);

static gboolean
scan_item (PochtaImapFetchView    *view,
           const char             *name,
           const PochtaImapValue  *value,
           SectionFunc             section_func,
           gpointer                section_data,
           GError                **error)
{
  switch (item_kind (name))
    {
    case ITEM_UID:
      if (!get_uint32 (value, &view->uid))
        return malformed (error, "UID");
      view->present |= POCHTA_IMAP_FETCH_UID;
      break;
    case ITEM_FLAGS:
      if (!is_list_of_atoms (value))
        return malformed (error, "FLAGS");
      view->flags = value;
      view->present |= POCHTA_IMAP_FETCH_FLAGS;
      break;
    case ITEM_MODSEQ:
      /* RFC 7162: MODSEQ (n), a list of one number. */
      if (pochta_imap_value_list_size (value) != 1
          || !pochta_imap_value_get_number (pochta_imap_value_list_get (value, 0), &view->modseq))
        return malformed (error, "MODSEQ");
      view->present |= POCHTA_IMAP_FETCH_MODSEQ;
      break;
    case ITEM_INTERNALDATE:
      if (value->type != POCHTA_IMAP_VALUE_STRING)
        return malformed (error, "INTERNALDATE");
      view->internaldate = value->data;
      view->present |= POCHTA_IMAP_FETCH_INTERNALDATE;
      break;
    case ITEM_RFC822_SIZE:
      if (!pochta_imap_value_get_number (value, &view->rfc822_size))
        return malformed (error, "RFC822.SIZE");
      view->present |= POCHTA_IMAP_FETCH_RFC822_SIZE;
      break;
    case ITEM_ENVELOPE:
      view->envelope = value;
      view->present |= POCHTA_IMAP_FETCH_ENVELOPE;
      break;
    case ITEM_BODYSTRUCTURE:
      view->body_structure = value;
      view->present |= POCHTA_IMAP_FETCH_BODYSTRUCTURE;
      break;
    case ITEM_OTHER:
    default:
      /* Anything else (X-GM-LABELS, EMAILID, BINARY.SIZE, ...) is not ours. */
      if (!is_section_item (name))
        break;
      if (value->type == POCHTA_IMAP_VALUE_LIST)
        return malformed (error, name);
      if (g_ascii_strncasecmp (name, "BODY[HEADER.FIELDS", 18) == 0)
        view->header_fields = value;
      view->present |= POCHTA_IMAP_FETCH_SECTIONS;
      if (section_func != NULL)
        section_func (section_data, name, value);
      break;
    }

  return TRUE;
}

/* The parser keeps "BODY[HEADER.FIELDS (A B)]<0>" as one atom; should a
 * section ever arrive split into atoms and lists, they are joined back. */
static char *
take_item_name (const PochtaImapValue *items,
                guint                 *index)
{
  const PochtaImapValue *first = pochta_imap_value_list_get (items, *index);
  GString *name;
  guint n = pochta_imap_value_list_size (items);

  if (first == NULL || first->type != POCHTA_IMAP_VALUE_ATOM)
    return NULL;

  name = g_string_new (first->data);
  (*index)++;
  while (strchr (name->str, '[') != NULL && strchr (name->str, ']') == NULL && *index < n)
    {
      g_autofree char *piece = pochta_imap_value_to_string (pochta_imap_value_list_get (items, *index));

      g_string_append_c (name, ' ');
      g_string_append (name, piece);
      (*index)++;
    }
  if (strchr (name->str, '[') != NULL && strchr (name->str, ']') == NULL)
    {
      g_string_free (name, TRUE);
      return NULL;
    }
  return g_string_free (name, FALSE);
}

static gboolean
scan_response (PochtaImapFetchView       *view,
               const PochtaImapResponse  *response,
               SectionFunc                section_func,
               gpointer                   section_data,
               GError                   **error)
{
  const PochtaImapValue *items;
  guint n, i;

  memset (view, 0, sizeof *view);
  if (response->kind != POCHTA_IMAP_RESPONSE_UNTAGGED || g_strcmp0 (response->keyword, "FETCH") != 0
      || !response->has_number || response->number == 0 || response->number > G_MAXUINT32)
    {
      g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                           _("Not a FETCH response"));
      return FALSE;
    }

  items = pochta_imap_value_list_get (response->data, 0);
  if (!_pochta_imap_value_is_list (items))
    {
      g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
                           _("The FETCH response has no list of items"));
      return FALSE;
    }

  view->seq = (guint32) response->number;
  n = pochta_imap_value_list_size (items);
  for (i = 0; i < n;)
    {
      const PochtaImapValue *first = pochta_imap_value_list_get (items, i);
      g_autofree char *joined = NULL;
      const char *name;

      /* Names are used in place, not copied, unless a section came apart. */
      if (first->type == POCHTA_IMAP_VALUE_ATOM
          && (memchr (first->data, '[', first->len) == NULL || memchr (first->data, ']', first->len) != NULL))
        {
          name = first->data;
          i++;
        }
      else
        name = joined = take_item_name (items, &i);

      if (name == NULL || i >= n)
        {
          g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
                               _("The FETCH response has a malformed item"));
          return FALSE;
        }
      if (!scan_item (view, name, pochta_imap_value_list_get (items, i), section_func, section_data, error))
        return FALSE;
      i++;
    }

  return TRUE;
}

/**
 * pochta_imap_fetch_view_init:
 * @view: (out caller-allocates): filled in
 * @response: untagged "* n FETCH (...)"
 * @error: set for a response of another kind or a malformed number, flag
 *   list or section
 *
 * Reads the items in place: the envelope and body structure are left for
 * the caller to decode, or not.
 */
gboolean
pochta_imap_fetch_view_init (PochtaImapFetchView       *view,
                             const PochtaImapResponse  *response,
                             GError                   **error)
{
  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return scan_response (view, response, NULL, NULL, error);
}

/**
 * pochta_imap_fetch_new_from_response:
 * @response: untagged "* n FETCH (...)"
 * @error: set for a response of another kind or a malformed item
 *
 * Returns: (transfer full) (nullable): the message data
 */
PochtaImapFetch *
pochta_imap_fetch_new_from_response (const PochtaImapResponse  *response,
                                     GError                   **error)
{
  g_autoptr(PochtaImapFetch) self = NULL;
  PochtaImapFetchView view;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (PochtaImapFetch, 1);
  self->sections = g_ptr_array_new_with_free_func (section_free);
  if (!scan_response (&view, response, (SectionFunc) add_section, self, error))
    return NULL;

  self->seq = view.seq;
  self->uid = view.uid;
  self->modseq = view.modseq;
  self->rfc822_size = view.rfc822_size;
  self->present = view.present & ~(POCHTA_IMAP_FETCH_INTERNALDATE | POCHTA_IMAP_FETCH_ENVELOPE
                                   | POCHTA_IMAP_FETCH_BODYSTRUCTURE);

  if (view.flags != NULL)
    {
      guint n = pochta_imap_value_list_size (view.flags);

      self->flags = g_new (char *, n + 1);
      for (guint i = 0; i < n; i++)
        self->flags[i] = g_strdup (pochta_imap_value_list_get (view.flags, i)->data);
      self->flags[n] = NULL;
    }

  if (view.internaldate != NULL)
    {
      self->internaldate = pochta_imap_internaldate_parse (view.internaldate);
      if (self->internaldate != NULL)
        self->present |= POCHTA_IMAP_FETCH_INTERNALDATE;
    }

  if (view.envelope != NULL)
    {
      self->envelope = pochta_imap_envelope_new_from_value (view.envelope, error);
      if (self->envelope == NULL)
        return NULL;
      self->present |= POCHTA_IMAP_FETCH_ENVELOPE;
    }

  if (view.body_structure != NULL)
    {
      self->body_structure = pochta_imap_body_part_new_from_value (view.body_structure, error);
      if (self->body_structure == NULL)
        return NULL;
      self->present |= POCHTA_IMAP_FETCH_BODYSTRUCTURE;
    }

  return g_steal_pointer (&self);
}

gboolean
pochta_imap_fetch_has_flag (const PochtaImapFetch *self,
                            const char            *flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (flag != NULL, FALSE);

  for (guint i = 0; self->flags != NULL && self->flags[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->flags[i], flag) == 0)
      return TRUE;
  return FALSE;
}

const PochtaImapFetchSection *
pochta_imap_fetch_get_section (const PochtaImapFetch *self,
                               const char            *spec)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  key = pochta_imap_fetch_normalize_section (spec);
  for (guint i = 0; i < self->sections->len; i++)
    {
      const PochtaImapFetchSection *section = g_ptr_array_index (self->sections, i);

      if (strcmp (section->spec, key) == 0)
        return section;
    }
  return NULL;
}

/* Returns: (transfer none) (nullable): the bytes, NULL if absent, NIL or streamed */
GBytes *
pochta_imap_fetch_get_section_data (const PochtaImapFetch *self,
                                    const char            *spec)
{
  const PochtaImapFetchSection *section = pochta_imap_fetch_get_section (self, spec);

  return section != NULL ? section->data : NULL;
}
