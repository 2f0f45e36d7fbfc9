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

char *
_pochta_imap_decode_header_text (const char *raw)
{
  g_autofree char *unfolded = NULL;
  char *decoded;

  if (raw == NULL)
    return NULL;

  pochta_mime_ensure_init ();
  unfolded = g_mime_utils_header_unfold (raw);
  g_strstrip (unfolded);

  /* Raw UTF-8 (common from modern senders despite RFC 5322) stays as is;
   * GMime would only try charsets on it. */
  if (strstr (unfolded, "=?") == NULL && g_utf8_validate (unfolded, -1, NULL))
    return g_steal_pointer (&unfolded);

  decoded = g_mime_utils_header_decode_text (g_mime_parser_options_get_default (), unfolded);
  if (decoded == NULL)
    return g_utf8_make_valid (unfolded, -1);
  if (!g_utf8_validate (decoded, -1, NULL))
    {
      char *valid = g_utf8_make_valid (decoded, -1);

      g_free (decoded);
      return valid;
    }
  return decoded;
}

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

  out = g_string_new (NULL);
  if (is_dot_atom (self->mailbox))
    g_string_append (out, self->mailbox);
  else
    {
      g_string_append_c (out, '"');
      for (const char *p = self->mailbox; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
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

static gboolean
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed %s in the envelope"), what);
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
    return malformed (error, "address list");

  n = pochta_imap_value_list_size (value);
  for (guint i = 0; i < n; i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (value, i);
      g_autofree char *name = NULL;
      g_autofree char *adl = NULL;
      g_autofree char *mailbox = NULL;
      g_autofree char *host = NULL;
      PochtaImapAddress *address;

      if (!_pochta_imap_value_is_list (item) || pochta_imap_value_list_size (item) < 4
          || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (item, 0), &name)
          || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (item, 1), &adl)
          || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (item, 2), &mailbox)
          || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (item, 3), &host))
        return malformed (error, "address");

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
      address->adl = g_steal_pointer (&adl);
      if (mailbox != NULL && strcmp (mailbox, DOVECOT_MISSING_MAILBOX) != 0)
        address->mailbox = g_utf8_make_valid (mailbox, -1);
      if (strcmp (host, DOVECOT_MISSING_DOMAIN) != 0)
        address->host = g_utf8_make_valid (host, -1);
      address->group = g_strdup (group);
      g_ptr_array_add (out, address);
    }

  return TRUE;
}

static char *
dup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_utf8_make_valid (text, -1));
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
  g_autofree char *date = NULL;
  g_autofree char *in_reply_to = NULL;
  g_autofree char *message_id = NULL;
  GPtrArray *lists[6];

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_pochta_imap_value_is_list (value) || pochta_imap_value_list_size (value) < N_ENV_FIELDS)
    {
      malformed (error, "structure");
      return NULL;
    }

  self = envelope_new ();
  if (!_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, ENV_DATE), &date)
      || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, ENV_SUBJECT), &self->subject_raw)
      || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, ENV_IN_REPLY_TO), &in_reply_to)
      || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (value, ENV_MESSAGE_ID), &message_id))
    {
      malformed (error, "field");
      return NULL;
    }

  lists[0] = self->from;
  lists[1] = self->sender;
  lists[2] = self->reply_to;
  lists[3] = self->to;
  lists[4] = self->cc;
  lists[5] = self->bcc;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (!parse_address_list (pochta_imap_value_list_get (value, ENV_FROM + i), lists[i], error))
      return NULL;

  self->date_raw = dup_trimmed (date);
  if (self->date_raw != NULL)
    {
      pochta_mime_ensure_init ();
      self->date = g_mime_utils_header_decode_date (self->date_raw);
    }
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
