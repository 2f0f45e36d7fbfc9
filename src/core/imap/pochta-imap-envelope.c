/* pochta-imap-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ENVELOPE of a message (RFC 3501 section 7.4.2), decoded into UTF-8.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gmime/gmime.h>

#include "pochta-imap-decode-private.h"
#include "pochta-imap-envelope.h"
#include "pochta-mime.h"

/* Dovecot fills in these for addresses missing a part (instead of NIL,
 * which would read as group syntax). */
#define DOVECOT_MISSING_MAILBOX "MISSING_MAILBOX"
#define DOVECOT_MISSING_DOMAIN  "MISSING_DOMAIN"

enum {
  ENV_DATE,
  ENV_SUBJECT,
  ENV_FROM,
  ENV_SENDER,
  ENV_REPLY_TO,
  ENV_TO,
  ENV_CC,
  ENV_BCC,
  ENV_IN_REPLY_TO,
  ENV_MESSAGE_ID,
  N_ENV_FIELDS
};

PochtaImapAddress *
pochta_imap_address_new (const char *name,
                         const char *mailbox,
                         const char *host)
{
  PochtaImapAddress *self = g_new0 (PochtaImapAddress, 1);

  self->name = g_strdup (name);
  self->mailbox = g_strdup (mailbox);
  self->host = g_strdup (host);
  return self;
}

PochtaImapAddress *
pochta_imap_address_copy (const PochtaImapAddress *self)
{
  PochtaImapAddress *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pochta_imap_address_new (self->name, self->mailbox, self->host);
  copy->adl = g_strdup (self->adl);
  copy->group = g_strdup (self->group);
  return copy;
}

void
pochta_imap_address_free (PochtaImapAddress *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->adl);
  g_free (self->mailbox);
  g_free (self->host);
  g_free (self->group);
  g_free (self);
}

/* RFC 5322 dot-atom: atext runs separated by single dots. */
static gboolean
is_dot_atom (const char *text)
{
  gboolean after_dot = TRUE;

  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (after_dot)
            return FALSE;
          after_dot = TRUE;
          continue;
        }
      if ((guchar) *p <= 0x20 || strchr ("()<>[]:;@\\,\"", *p) != NULL || *p == 0x7f)
        return FALSE;
      after_dot = FALSE;
    }
  return !after_dot;
}

static void
append_valid (GString    *out,
              const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    g_string_append (out, text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      g_string_append (out, valid);
    }
}

/* Appends @text as an RFC 5322 quoted-string: in quotes, with quotes and
 * backslashes escaped. */
void
pochta_imap_append_quoted (GString    *out,
                           const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * pochta_imap_append_addr_spec:
 * @out: where to append
 * @mailbox: (nullable): the local part as sent, maybe not UTF-8
 * @host: (nullable): the domain as sent
 *
 * Appends "mailbox@host", the local part quoted when it is not a
 * dot-atom, just the mailbox without a host, nothing without a mailbox;
 * bytes that are not UTF-8 are replaced.
 */
void
pochta_imap_append_addr_spec (GString    *out,
                              const char *mailbox,
                              const char *host)
{
  if (mailbox == NULL)
    return;

  if (is_dot_atom (mailbox))
    append_valid (out, mailbox);
  else
    {
      gsize start = out->len;

      pochta_imap_append_quoted (out, mailbox);
      if (!g_utf8_validate (out->str + start, out->len - start, NULL))
        {
          g_autofree char *valid = g_utf8_make_valid (out->str + start, out->len - start);

          g_string_truncate (out, start);
          g_string_append (out, valid);
        }
    }
  if (host != NULL)
    {
      g_string_append_c (out, '@');
      append_valid (out, host);
    }
}

/**
 * pochta_imap_address_get_addr_spec:
 * @self: an address
 *
 * Returns: (transfer full) (nullable): "mailbox@host", the local part
 *   quoted when it is not a dot-atom; just the mailbox without a host;
 *   %NULL without a mailbox
 */
char *
pochta_imap_address_get_addr_spec (const PochtaImapAddress *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->mailbox == NULL)
    return NULL;
  out = g_string_sized_new (64);
  pochta_imap_append_addr_spec (out, self->mailbox, self->host);
  return g_string_free (out, FALSE);
}

/* "Name <addr>" for display and search, quoted where RFC 5322 needs it. */
char *
pochta_imap_address_to_string (const PochtaImapAddress *self)
{
  g_autofree char *addr_spec = NULL;
  InternetAddress *ia;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);

  addr_spec = pochta_imap_address_get_addr_spec (self);
  if (addr_spec == NULL)
    return g_strdup (self->name != NULL ? self->name : "");
  if (self->name == NULL || self->name[0] == '\0')
    return g_steal_pointer (&addr_spec);

  pochta_mime_ensure_init ();
  /* GMime 3.2 has no autoptr for InternetAddress. */
  ia = internet_address_mailbox_new (self->name, addr_spec);
  text = internet_address_to_string (ia, NULL, FALSE);
  g_object_unref (ia);
  return text;
}

/* Text of an nstring without copying it: NIL gives NULL, a string or an
 * atom its bytes (up to a NUL, as the copying helper cuts them); FALSE for
 * any other shape. The value outlives every use here. */
static gboolean
peek_nstring (const PochtaImapValue  *value,
              const char            **out)
{
  *out = NULL;
  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (!_pochta_imap_value_is_text (value))
    return FALSE;
  *out = value->data;
  return TRUE;
}

static char *
dup_valid (const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

static gboolean
read_number (const char **pp,
             guint        digits,
             int         *out)
{
  const char *p = *pp;
  int value = 0;

  for (guint i = 0; i < digits; i++, p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  *pp = p;
  *out = value;
  return TRUE;
}

/* The Date header in the one shape nearly every sender uses, "Fri, 01 Nov
 * 2024 09:36:02 +0800" (an optional comment after the zone), read as
 * g_mime_utils_header_decode_date() reads it; FALSE for anything else,
 * which is left to GMime. GMime's tokenizer costs more than the rest of an
 * envelope. */
static gboolean
parse_date_fast (const char *text,
                 PochtaImapDateFields *f)
{
  static const char days[] = "SunMonTueWedThuFriSat";
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const char *p = text;
  int zone, sign;

  if (g_ascii_isalpha (p[0]))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < 7 && !known; i++)
        known = g_ascii_strncasecmp (p, days + i * 3, 3) == 0;
      if (!known || p[3] != ',' || p[4] != ' ')
        return FALSE;
      p += 5;
    }
  if (!read_number (&p, p[1] == ' ' ? 1 : 2, &f->day) || *p++ != ' ')
    return FALSE;
  f->month = 0;
  for (guint i = 0; i < 12 && f->month == 0; i++)
    if (g_ascii_strncasecmp (p, months + i * 3, 3) == 0)
      f->month = i + 1;
  if (f->month == 0 || p[3] != ' ')
    return FALSE;
  p += 4;
  if (!read_number (&p, 4, &f->year) || f->year < 1970 || *p++ != ' '
      || !read_number (&p, 2, &f->hour) || *p++ != ':'
      || !read_number (&p, 2, &f->minute) || *p++ != ':'
      || !read_number (&p, 2, &f->second) || *p++ != ' ')
    return FALSE;
  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p++ == '-' ? -1 : 1;
  if (!read_number (&p, 4, &zone) || zone % 100 > 59 || zone > 1400)
    return FALSE;
  if (*p != '\0' && (p[0] != ' ' || p[1] != '(' || strchr (p, ')') == NULL))
    return FALSE;
  if (f->day < 1 || f->day > 31 || f->hour > 23 || f->minute > 59 || f->second > 59)
    return FALSE;

  f->offset = sign * (zone / 100 * 3600 + zone % 100 * 60);
  return TRUE;
}

GDateTime *
_pochta_imap_decode_date (const char *text)
{
  PochtaImapDateFields f;

  if (parse_date_fast (text, &f))
    return _pochta_imap_date_fields_to_date_time (&f);
  pochta_mime_ensure_init ();
  return g_mime_utils_header_decode_date (text);
}

/* @message is a whole translated sentence: translations need no English
 * words spliced into them. */
static gboolean
malformed (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE, message);
  return FALSE;
}

void
pochta_imap_address_iter_init (PochtaImapAddressIter *iter,
                               const PochtaImapValue *list)
{
  memset (iter, 0, sizeof *iter);
  iter->list = list;
}

/**
 * pochta_imap_address_iter_next:
 * @address: (out) (transfer none): the next address, %NULL after the last
 *
 * NIL is an empty list.
 *
 * Returns: FALSE when the list or an address in it is malformed
 */
gboolean
pochta_imap_address_iter_next (PochtaImapAddressIter        *iter,
                               const PochtaImapAddressView **address,
                               GError                      **error)
{
  *address = NULL;
  if (_pochta_imap_value_is_nil (iter->list))
    return TRUE;
  if (!_pochta_imap_value_is_list (iter->list))
    return malformed (error, _("The envelope has a malformed address list"));

  while (iter->index < pochta_imap_value_list_size (iter->list))
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (iter->list, iter->index++);
      PochtaImapAddressView *out = &iter->address;
      const char *name, *adl, *mailbox, *host;

      if (!_pochta_imap_value_is_list (item) || pochta_imap_value_list_size (item) < 4
          || !peek_nstring (pochta_imap_value_list_get (item, 0), &name)
          || !peek_nstring (pochta_imap_value_list_get (item, 1), &adl)
          || !peek_nstring (pochta_imap_value_list_get (item, 2), &mailbox)
          || !peek_nstring (pochta_imap_value_list_get (item, 3), &host))
        return malformed (error, _("The envelope has a malformed address"));

      /* RFC 3501: NIL host marks group syntax; a mailbox names the group
       * that starts, NIL ends it. */
      if (host == NULL)
        {
          out->group = mailbox;
          continue;
        }

      out->name = name;
      out->adl = adl;
      out->mailbox = mailbox != NULL && strcmp (mailbox, DOVECOT_MISSING_MAILBOX) != 0 ? mailbox : NULL;
      out->host = strcmp (host, DOVECOT_MISSING_DOMAIN) != 0 ? host : NULL;
      *address = out;
      return TRUE;
    }

  return TRUE;
}

static gboolean
parse_address_list (const PochtaImapValue  *value,
                    GPtrArray              *out,
                    GError                **error)
{
  PochtaImapAddressIter iter;
  const PochtaImapAddressView *view;
  const char *group_raw = NULL;
  g_autofree char *group = NULL;

  pochta_imap_address_iter_init (&iter, value);
  while (pochta_imap_address_iter_next (&iter, &view, error))
    {
      PochtaImapAddress *address;

      if (view == NULL)
        return TRUE;

      /* Each member names the same group: decoded once. */
      if (view->group != group_raw)
        {
          group_raw = view->group;
          g_clear_pointer (&group, g_free);
          group = _pochta_imap_decode_header_text (group_raw);
        }

      address = g_new0 (PochtaImapAddress, 1);
      address->name = _pochta_imap_decode_header_text (view->name);
      address->adl = g_strdup (view->adl);
      if (view->mailbox != NULL)
        address->mailbox = dup_valid (view->mailbox);
      if (view->host != NULL)
        address->host = dup_valid (view->host);
      address->group = g_strdup (group);
      g_ptr_array_add (out, address);
    }

  return FALSE;
}

/* Whether two address lists of an envelope are the same bytes: Dovecot
 * (like most servers) fills Sender and Reply-To from From, and decoding
 * the same names three times is most of an envelope's work. */
static gboolean
same_address_list (const PochtaImapValue *a,
                   const PochtaImapValue *b)
{
  guint n;

  if (!_pochta_imap_value_is_list (a) || !_pochta_imap_value_is_list (b))
    return FALSE;
  n = pochta_imap_value_list_size (a);
  if (n != pochta_imap_value_list_size (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const PochtaImapValue *x = pochta_imap_value_list_get (a, i);
      const PochtaImapValue *y = pochta_imap_value_list_get (b, i);
      guint m;

      if (!_pochta_imap_value_is_list (x) || !_pochta_imap_value_is_list (y))
        return FALSE;
      m = pochta_imap_value_list_size (x);
      if (m != pochta_imap_value_list_size (y))
        return FALSE;
      for (guint j = 0; j < m; j++)
        {
          const PochtaImapValue *u = pochta_imap_value_list_get (x, j);
          const PochtaImapValue *v = pochta_imap_value_list_get (y, j);

          if (u->type != v->type || u->type == POCHTA_IMAP_VALUE_LIST
              || u->len != v->len || (u->len > 0 && memcmp (u->data, v->data, u->len) != 0))
            return FALSE;
        }
    }

  return TRUE;
}

static char *
dup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (dup_valid (text));
  if (copy[0] == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/**
 * pochta_imap_envelope_date_to_unix:
 * @raw: (nullable): the date field of an ENVELOPE as sent
 * @out: (out): the Unix time
 *
 * What pochta_imap_envelope_new_from_value() makes of the date, without
 * the GDateTime.
 *
 * Returns: FALSE where the envelope's date would be %NULL
 */
gboolean
pochta_imap_envelope_date_to_unix (const char *raw,
                                   gint64     *out)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) date = NULL;
  PochtaImapDateFields f;

  if (raw == NULL)
    return FALSE;
  /* The usual shape needs neither the trimmed copy nor GMime. */
  if (parse_date_fast (raw, &f))
    return _pochta_imap_date_fields_to_unix (&f, out);

  trimmed = dup_trimmed (raw);
  if (trimmed != NULL)
    date = _pochta_imap_decode_date (trimmed);
  if (date == NULL)
    return FALSE;
  *out = g_date_time_to_unix (date);
  return TRUE;
}

static PochtaImapEnvelope *
envelope_new (void)
{
  PochtaImapEnvelope *self = g_new0 (PochtaImapEnvelope, 1);
  GDestroyNotify free_address = (GDestroyNotify) pochta_imap_address_free;

  self->from = g_ptr_array_new_with_free_func (free_address);
  self->sender = g_ptr_array_new_with_free_func (free_address);
  self->reply_to = g_ptr_array_new_with_free_func (free_address);
  self->to = g_ptr_array_new_with_free_func (free_address);
  self->cc = g_ptr_array_new_with_free_func (free_address);
  self->bcc = g_ptr_array_new_with_free_func (free_address);
  return self;
}

/**
 * pochta_imap_envelope_view_init:
 * @view: (out caller-allocates): filled in
 * @value: the list after ENVELOPE in a FETCH response
 * @error: set when the shape is not an envelope
 *
 * NIL is accepted in every field. The address lists are checked only as
 * they are read.
 */
gboolean
pochta_imap_envelope_view_init (PochtaImapEnvelopeView  *view,
                                const PochtaImapValue   *value,
                                GError                 **error)
{
  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  memset (view, 0, sizeof *view);
  if (!_pochta_imap_value_is_list (value) || pochta_imap_value_list_size (value) < N_ENV_FIELDS)
    return malformed (error, _("The envelope is not a list of its ten fields"));

  if (!peek_nstring (pochta_imap_value_list_get (value, ENV_DATE), &view->date)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_SUBJECT), &view->subject)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_IN_REPLY_TO), &view->in_reply_to)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_MESSAGE_ID), &view->message_id))
    return malformed (error, _("The envelope has a malformed field"));

  view->from = pochta_imap_value_list_get (value, ENV_FROM);
  view->sender = pochta_imap_value_list_get (value, ENV_SENDER);
  view->reply_to = pochta_imap_value_list_get (value, ENV_REPLY_TO);
  view->to = pochta_imap_value_list_get (value, ENV_TO);
  view->cc = pochta_imap_value_list_get (value, ENV_CC);
  view->bcc = pochta_imap_value_list_get (value, ENV_BCC);
  return TRUE;
}

/**
 * pochta_imap_envelope_new_from_value:
 * @value: the list after ENVELOPE in a FETCH response
 * @error: set when the shape is not an envelope
 *
 * NIL is accepted in every field.
 *
 * Returns: (transfer full) (nullable): the envelope
 */
PochtaImapEnvelope *
pochta_imap_envelope_new_from_value (const PochtaImapValue  *value,
                                     GError                **error)
{
  g_autoptr(PochtaImapEnvelope) self = NULL;
  PochtaImapEnvelopeView view;
  const PochtaImapValue *values[6];
  GPtrArray **lists[6];

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pochta_imap_envelope_view_init (&view, value, error))
    return NULL;

  self = envelope_new ();
  self->subject_raw = g_strdup (view.subject);

  values[0] = view.from, lists[0] = &self->from;
  values[1] = view.sender, lists[1] = &self->sender;
  values[2] = view.reply_to, lists[2] = &self->reply_to;
  values[3] = view.to, lists[3] = &self->to;
  values[4] = view.cc, lists[4] = &self->cc;
  values[5] = view.bcc, lists[5] = &self->bcc;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      /* The lists are never changed once made, so equal ones are shared.
       * The envelope holds each list at every step, so an error in a
       * later one frees each exactly once. */
      if (i > 0 && same_address_list (values[i], values[i - 1]))
        {
          g_ptr_array_unref (*lists[i]);
          *lists[i] = g_ptr_array_ref (*lists[i - 1]);
          continue;
        }
      if (!parse_address_list (values[i], *lists[i], error))
        return NULL;
    }

  self->date_raw = dup_trimmed (view.date);
  if (self->date_raw != NULL)
    self->date = _pochta_imap_decode_date (self->date_raw);
  if (self->subject_raw != NULL)
    self->subject = _pochta_imap_decode_header_text (self->subject_raw);
  self->in_reply_to = dup_trimmed (view.in_reply_to);
  self->message_id = dup_trimmed (view.message_id);

  return g_steal_pointer (&self);
}

static gpointer
copy_address (gconstpointer src,
              gpointer      user_data)
{
  return pochta_imap_address_copy (src);
}

static GPtrArray *
copy_addresses (GPtrArray *addresses)
{
  GPtrArray *copy = g_ptr_array_copy (addresses, copy_address, NULL);

  g_ptr_array_set_free_func (copy, (GDestroyNotify) pochta_imap_address_free);
  return copy;
}

PochtaImapEnvelope *
pochta_imap_envelope_copy (const PochtaImapEnvelope *self)
{
  PochtaImapEnvelope *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (PochtaImapEnvelope, 1);
  copy->date_raw = g_strdup (self->date_raw);
  copy->date = self->date != NULL ? g_date_time_ref (self->date) : NULL;
  copy->subject = g_strdup (self->subject);
  copy->subject_raw = g_strdup (self->subject_raw);
  copy->from = copy_addresses (self->from);
  copy->sender = copy_addresses (self->sender);
  copy->reply_to = copy_addresses (self->reply_to);
  copy->to = copy_addresses (self->to);
  copy->cc = copy_addresses (self->cc);
  copy->bcc = copy_addresses (self->bcc);
  copy->in_reply_to = g_strdup (self->in_reply_to);
  copy->message_id = g_strdup (self->message_id);
  return copy;
}

void
pochta_imap_envelope_free (PochtaImapEnvelope *self)
{
  if (self == NULL)
    return;
  g_free (self->date_raw);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->subject);
  g_free (self->subject_raw);
  g_clear_pointer (&self->from, g_ptr_array_unref);
  g_clear_pointer (&self->sender, g_ptr_array_unref);
  g_clear_pointer (&self->reply_to, g_ptr_array_unref);
  g_clear_pointer (&self->to, g_ptr_array_unref);
  g_clear_pointer (&self->cc, g_ptr_array_unref);
  g_clear_pointer (&self->bcc, g_ptr_array_unref);
  g_free (self->in_reply_to);
  g_free (self->message_id);
  g_free (self);
}
