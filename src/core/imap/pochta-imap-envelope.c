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
  if (is_dot_atom (self->mailbox))
    return self->host != NULL ? g_strconcat (self->mailbox, "@", self->host, NULL)
                              : g_strdup (self->mailbox);

  out = g_string_new ("\"");
  for (const char *p = self->mailbox; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if (self->host != NULL)
    g_string_append_printf (out, "@%s", self->host);
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
  if (value->type != POCHTA_IMAP_VALUE_STRING && value->type != POCHTA_IMAP_VALUE_ATOM)
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
 * 2024 09:36:02 +0800" (an optional comment after the zone), giving what
 * g_mime_utils_header_decode_date() gives for it; NULL for anything else,
 * which is left to GMime. GMime's tokenizer costs more than the rest of an
 * envelope. */
static GDateTime *
parse_date_fast (const char *text)
{
  static const char days[] = "SunMonTueWedThuFriSat";
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  g_autoptr(GTimeZone) tz = NULL;
  const char *p = text;
  int day, month = 0, year, hour, minute, second, zone, sign;

  if (g_ascii_isalpha (p[0]))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < 7 && !known; i++)
        known = g_ascii_strncasecmp (p, days + i * 3, 3) == 0;
      if (!known || p[3] != ',' || p[4] != ' ')
        return NULL;
      p += 5;
    }
  if (!read_number (&p, p[1] == ' ' ? 1 : 2, &day) || *p++ != ' ')
    return NULL;
  for (guint i = 0; i < 12 && month == 0; i++)
    if (g_ascii_strncasecmp (p, months + i * 3, 3) == 0)
      month = i + 1;
  if (month == 0 || p[3] != ' ')
    return NULL;
  p += 4;
  if (!read_number (&p, 4, &year) || year < 1970 || *p++ != ' '
      || !read_number (&p, 2, &hour) || *p++ != ':'
      || !read_number (&p, 2, &minute) || *p++ != ':'
      || !read_number (&p, 2, &second) || *p++ != ' ')
    return NULL;
  if (*p != '+' && *p != '-')
    return NULL;
  sign = *p++ == '-' ? -1 : 1;
  if (!read_number (&p, 4, &zone) || zone % 100 > 59 || zone > 1400)
    return NULL;
  if (*p != '\0' && (p[0] != ' ' || p[1] != '(' || strchr (p, ')') == NULL))
    return NULL;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return NULL;

  tz = _pochta_imap_time_zone_for_offset (sign * (zone / 100 * 3600 + zone % 100 * 60));
  return g_date_time_new (tz, year, month, day, hour, minute, second);
}

GDateTime *
_pochta_imap_decode_date (const char *text)
{
  GDateTime *date = parse_date_fast (text);

  if (date != NULL)
    return date;
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

static gboolean
parse_address_list (const PochtaImapValue  *value,
                    GPtrArray              *out,
                    GError                **error)
{
  g_autofree char *group = NULL;
  guint n;

  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (!_pochta_imap_value_is_list (value))
    return malformed (error, _("The envelope has a malformed address list"));

  n = pochta_imap_value_list_size (value);
  for (guint i = 0; i < n; i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (value, i);
      const char *name, *adl, *mailbox, *host;
      PochtaImapAddress *address;

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
          g_clear_pointer (&group, g_free);
          if (mailbox != NULL)
            group = _pochta_imap_decode_header_text (mailbox);
          continue;
        }

      address = g_new0 (PochtaImapAddress, 1);
      address->name = _pochta_imap_decode_header_text (name);
      address->adl = g_strdup (adl);
      if (mailbox != NULL && strcmp (mailbox, DOVECOT_MISSING_MAILBOX) != 0)
        address->mailbox = dup_valid (mailbox);
      if (strcmp (host, DOVECOT_MISSING_DOMAIN) != 0)
        address->host = dup_valid (host);
      address->group = g_strdup (group);
      g_ptr_array_add (out, address);
    }

  return TRUE;
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
  const char *date, *subject, *in_reply_to, *message_id;
  GPtrArray **lists[6];

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_pochta_imap_value_is_list (value) || pochta_imap_value_list_size (value) < N_ENV_FIELDS)
    {
      malformed (error, _("The envelope is not a list of its ten fields"));
      return NULL;
    }

  self = envelope_new ();
  if (!peek_nstring (pochta_imap_value_list_get (value, ENV_DATE), &date)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_SUBJECT), &subject)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_IN_REPLY_TO), &in_reply_to)
      || !peek_nstring (pochta_imap_value_list_get (value, ENV_MESSAGE_ID), &message_id))
    {
      malformed (error, _("The envelope has a malformed field"));
      return NULL;
    }
  self->subject_raw = g_strdup (subject);

  lists[0] = &self->from;
  lists[1] = &self->sender;
  lists[2] = &self->reply_to;
  lists[3] = &self->to;
  lists[4] = &self->cc;
  lists[5] = &self->bcc;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      const PochtaImapValue *list = pochta_imap_value_list_get (value, ENV_FROM + i);

      /* The lists are never changed once made, so equal ones are shared.
       * The envelope holds each list at every step, so an error in a
       * later one frees each exactly once. */
      if (i > 0 && same_address_list (list, pochta_imap_value_list_get (value, ENV_FROM + i - 1)))
        {
          g_ptr_array_unref (*lists[i]);
          *lists[i] = g_ptr_array_ref (*lists[i - 1]);
          continue;
        }
      if (!parse_address_list (list, *lists[i], error))
        return NULL;
    }

  self->date_raw = dup_trimmed (date);
  if (self->date_raw != NULL)
    self->date = _pochta_imap_decode_date (self->date_raw);
  if (self->subject_raw != NULL)
    self->subject = _pochta_imap_decode_header_text (self->subject_raw);
  self->in_reply_to = dup_trimmed (in_reply_to);
  self->message_id = dup_trimmed (message_id);

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
