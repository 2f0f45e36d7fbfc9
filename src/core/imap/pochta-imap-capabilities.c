/* pochta-imap-capabilities.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The set of capabilities an IMAP server announced, looked up case-insensitively.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-capabilities.h"
#include "pochta-imap-error.h"

/* Real servers announce a few dozen; this only stops a hostile list. */
#define MAX_CAPABILITIES 1024

struct _PochtaImapCapabilities
{
  GPtrArray                 *names;  /* upper-cased, in announced order */
  GHashTable                *set;    /* the same strings, borrowed */
  PochtaImapCapabilityFlags  flags;
};

static const struct
{
  const char                *name;
  PochtaImapCapabilityFlags  flag;
} known[] = {
  { "IMAP4REV1", POCHTA_IMAP_CAPABILITY_IMAP4REV1 },
  { "IMAP4REV2", POCHTA_IMAP_CAPABILITY_IMAP4REV2 },
  { "STARTTLS", POCHTA_IMAP_CAPABILITY_STARTTLS },
  { "LOGINDISABLED", POCHTA_IMAP_CAPABILITY_LOGINDISABLED },
  { "IDLE", POCHTA_IMAP_CAPABILITY_IDLE },
  { "CONDSTORE", POCHTA_IMAP_CAPABILITY_CONDSTORE },
  { "QRESYNC", POCHTA_IMAP_CAPABILITY_QRESYNC },
  { "UIDPLUS", POCHTA_IMAP_CAPABILITY_UIDPLUS },
  { "MOVE", POCHTA_IMAP_CAPABILITY_MOVE },
  { "SPECIAL-USE", POCHTA_IMAP_CAPABILITY_SPECIAL_USE },
  { "LIST-STATUS", POCHTA_IMAP_CAPABILITY_LIST_STATUS },
  { "ESEARCH", POCHTA_IMAP_CAPABILITY_ESEARCH },
  { "COMPRESS=DEFLATE", POCHTA_IMAP_CAPABILITY_COMPRESS_DEFLATE },
  { "UTF8=ACCEPT", POCHTA_IMAP_CAPABILITY_UTF8_ACCEPT },
  { "LITERAL+", POCHTA_IMAP_CAPABILITY_LITERAL_PLUS },
  { "LITERAL-", POCHTA_IMAP_CAPABILITY_LITERAL_MINUS },
  { "SASL-IR", POCHTA_IMAP_CAPABILITY_SASL_IR },
  { "ENABLE", POCHTA_IMAP_CAPABILITY_ENABLE },
  { "ID", POCHTA_IMAP_CAPABILITY_ID },
  { "NAMESPACE", POCHTA_IMAP_CAPABILITY_NAMESPACE },
  { "BINARY", POCHTA_IMAP_CAPABILITY_BINARY },
  { "LIST-EXTENDED", POCHTA_IMAP_CAPABILITY_LIST_EXTENDED },
  { "UNSELECT", POCHTA_IMAP_CAPABILITY_UNSELECT },
  { "CHILDREN", POCHTA_IMAP_CAPABILITY_CHILDREN },
};

PochtaImapCapabilities *
pochta_imap_capabilities_new (void)
{
  PochtaImapCapabilities *self = g_new0 (PochtaImapCapabilities, 1);

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->set = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
pochta_imap_capabilities_free (PochtaImapCapabilities *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->set);
  g_ptr_array_unref (self->names);
  g_free (self);
}

void
pochta_imap_capabilities_add (PochtaImapCapabilities *self,
                              const char             *name)
{
  char *upper;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (name[0] == '\0')
    return;

  upper = g_ascii_strup (name, -1);
  if (g_hash_table_contains (self->set, upper))
    {
      g_free (upper);
      return;
    }

  g_ptr_array_add (self->names, upper);
  g_hash_table_add (self->set, upper);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (strcmp (upper, known[i].name) == 0)
      self->flags |= known[i].flag;
}

PochtaImapCapabilities *
pochta_imap_capabilities_copy (const PochtaImapCapabilities *self)
{
  PochtaImapCapabilities *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pochta_imap_capabilities_new ();
  for (guint i = 0; i < self->names->len; i++)
    pochta_imap_capabilities_add (copy, g_ptr_array_index (self->names, i));
  return copy;
}

/* Space-separated names, as in a configuration file or a test. */
PochtaImapCapabilities *
pochta_imap_capabilities_new_from_string (const char *text)
{
  PochtaImapCapabilities *self;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  self = pochta_imap_capabilities_new ();
  words = g_strsplit_set (text, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    pochta_imap_capabilities_add (self, words[i]);
  return self;
}

/**
 * pochta_imap_capabilities_new_from_response:
 * @response: untagged "* CAPABILITY ..." data, or any response with a
 *   [CAPABILITY ...] code (the greeting, the OK to LOGIN or AUTHENTICATE)
 * @error: set when @response carries no capabilities or a malformed list
 *
 * Returns: (transfer full) (nullable): the set
 */
PochtaImapCapabilities *
pochta_imap_capabilities_new_from_response (const PochtaImapResponse  *response,
                                            GError                   **error)
{
  g_autoptr(PochtaImapCapabilities) self = NULL;
  const PochtaImapValue *list = NULL;
  guint n;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (response->kind == POCHTA_IMAP_RESPONSE_UNTAGGED && response->keyword != NULL
      && g_ascii_strcasecmp (response->keyword, "CAPABILITY") == 0)
    list = response->data;
  else if (response->code != NULL && g_ascii_strcasecmp (response->code, "CAPABILITY") == 0)
    list = response->code_args;

  if (list == NULL || list->type != POCHTA_IMAP_VALUE_LIST)
    {
      g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                           _("The response carries no capability list"));
      return NULL;
    }

  n = pochta_imap_value_list_size (list);
  if (n > MAX_CAPABILITIES)
    {
      g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT,
                   _("The server announced more than %u capabilities"), MAX_CAPABILITIES);
      return NULL;
    }

  self = pochta_imap_capabilities_new ();
  for (guint i = 0; i < n; i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (list, i);

      if (item->type != POCHTA_IMAP_VALUE_ATOM)
        {
          g_set_error_literal (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
                               _("Malformed capability list"));
          return NULL;
        }
      pochta_imap_capabilities_add (self, item->data);
    }

  return g_steal_pointer (&self);
}

gboolean
pochta_imap_capabilities_has (const PochtaImapCapabilities *self,
                              const char                   *name)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  upper = g_ascii_strup (name, -1);
  return g_hash_table_contains (self->set, upper);
}

gboolean
pochta_imap_capabilities_has_auth (const PochtaImapCapabilities *self,
                                   const char                   *mechanism)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  name = g_strconcat ("AUTH=", mechanism, NULL);
  return pochta_imap_capabilities_has (self, name);
}

/* IMAP4rev2 (RFC 9051) folds in the extensions below; a server announcing
 * both revisions speaks rev1 until ENABLE IMAP4rev2, so they are implied
 * only for a rev2-only server. */
#define REV2_IMPLIED (POCHTA_IMAP_CAPABILITY_ESEARCH | POCHTA_IMAP_CAPABILITY_ENABLE \
                      | POCHTA_IMAP_CAPABILITY_IDLE | POCHTA_IMAP_CAPABILITY_MOVE \
                      | POCHTA_IMAP_CAPABILITY_NAMESPACE | POCHTA_IMAP_CAPABILITY_UIDPLUS \
                      | POCHTA_IMAP_CAPABILITY_UNSELECT | POCHTA_IMAP_CAPABILITY_LIST_EXTENDED \
                      | POCHTA_IMAP_CAPABILITY_LIST_STATUS | POCHTA_IMAP_CAPABILITY_SPECIAL_USE \
                      | POCHTA_IMAP_CAPABILITY_LITERAL_MINUS | POCHTA_IMAP_CAPABILITY_SASL_IR \
                      | POCHTA_IMAP_CAPABILITY_BINARY | POCHTA_IMAP_CAPABILITY_CHILDREN)

PochtaImapCapabilityFlags
pochta_imap_capabilities_get_flags (const PochtaImapCapabilities *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if ((self->flags & POCHTA_IMAP_CAPABILITY_IMAP4REV2) != 0
      && (self->flags & POCHTA_IMAP_CAPABILITY_IMAP4REV1) == 0)
    return self->flags | REV2_IMPLIED;
  return self->flags;
}

gboolean
pochta_imap_capabilities_has_flag (const PochtaImapCapabilities *self,
                                   PochtaImapCapabilityFlags     flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return (pochta_imap_capabilities_get_flags (self) & flag) == flag;
}

/**
 * pochta_imap_capabilities_get_values:
 * @self: capabilities
 * @prefix: a name such as "AUTH" or "APPENDLIMIT"
 *
 * Returns: (transfer full): what follows "@prefix=" in each matching
 *   capability, upper-cased, in announced order
 */
char **
pochta_imap_capabilities_get_values (const PochtaImapCapabilities *self,
                                     const char                   *prefix)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *upper = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  builder = g_strv_builder_new ();
  upper = g_ascii_strup (prefix, -1);
  len = strlen (upper);
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);

      if (strncmp (name, upper, len) == 0 && name[len] == '=')
        g_strv_builder_add (builder, name + len + 1);
    }
  return g_strv_builder_end (builder);
}

char **
pochta_imap_capabilities_get_auth_mechanisms (const PochtaImapCapabilities *self)
{
  return pochta_imap_capabilities_get_values (self, "AUTH");
}

guint
pochta_imap_capabilities_get_size (const PochtaImapCapabilities *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->names->len;
}

char *
pochta_imap_capabilities_to_string (const PochtaImapCapabilities *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (self->names, i));
    }
  return g_string_free (out, FALSE);
}
