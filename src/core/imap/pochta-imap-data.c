/* pochta-imap-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed untagged data: LIST/LSUB, STATUS, SEARCH, ESEARCH, VANISHED,
 * NAMESPACE, ENABLED and ID.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-data.h"
#include "pochta-imap-decode-private.h"
#include "pochta-imap-utf7.h"

/* RFC 2971 allows 30 field/value pairs; more are ignored. */
#define MAX_ID_FIELDS 30

static gboolean
check_untagged (const PochtaImapResponse  *response,
                const char                *keyword,
                const char                *alternative,
                GError                   **error)
{
  if (response->kind == POCHTA_IMAP_RESPONSE_UNTAGGED && response->keyword != NULL
      && (g_ascii_strcasecmp (response->keyword, keyword) == 0
          || (alternative != NULL && g_ascii_strcasecmp (response->keyword, alternative) == 0))
      && response->data != NULL)
    return TRUE;

  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
               _("Not a %s response"), keyword);
  return FALSE;
}

static gpointer
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed %s response"), what);
  return NULL;
}

/**
 * pochta_imap_mailbox_name_decode:
 * @raw: a mailbox name as sent
 * @utf8: whether UTF8=ACCEPT is enabled (names are then UTF-8 already)
 *
 * A name that is not valid modified UTF-7 but is valid UTF-8 (servers that
 * ignore RFC 3501) is taken as UTF-8; anything else is made valid, so the
 * result can always be shown. Commands must use the raw name.
 *
 * Returns: (transfer full): the name in UTF-8
 */
char *
pochta_imap_mailbox_name_decode (const char *raw,
                                 gboolean    utf8)
{
  char *decoded;

  g_return_val_if_fail (raw != NULL, NULL);

  /* RFC 3501 5.1: INBOX is case-insensitive. */
  if (g_ascii_strcasecmp (raw, "INBOX") == 0)
    return g_strdup ("INBOX");
  if (!utf8 && (decoded = pochta_imap_utf7_decode (raw, NULL)) != NULL)
    return decoded;
  return g_utf8_make_valid (raw, -1);
}

static gboolean
get_delimiter (const PochtaImapValue *value,
               char                  *delimiter)
{
  *delimiter = '\0';
  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (value->type != POCHTA_IMAP_VALUE_STRING || value->len != 1)
    return FALSE;
  *delimiter = value->data[0];
  return TRUE;
}

static const struct
{
  const char             *attribute;
  PochtaImapMailboxFlags  flag;
  PochtaImapMailboxRole   role;
} attributes[] = {
  { "\\Noselect", POCHTA_IMAP_MAILBOX_NOSELECT, 0 },
  { "\\NonExistent", POCHTA_IMAP_MAILBOX_NONEXISTENT | POCHTA_IMAP_MAILBOX_NOSELECT, 0 },
  { "\\Noinferiors", POCHTA_IMAP_MAILBOX_NOINFERIORS, 0 },
  { "\\HasChildren", POCHTA_IMAP_MAILBOX_HAS_CHILDREN, 0 },
  { "\\HasNoChildren", POCHTA_IMAP_MAILBOX_HAS_NO_CHILDREN, 0 },
  { "\\Marked", POCHTA_IMAP_MAILBOX_MARKED, 0 },
  { "\\Unmarked", POCHTA_IMAP_MAILBOX_UNMARKED, 0 },
  { "\\Subscribed", POCHTA_IMAP_MAILBOX_SUBSCRIBED, 0 },
  { "\\Remote", POCHTA_IMAP_MAILBOX_REMOTE, 0 },
  { "\\All", 0, POCHTA_IMAP_MAILBOX_ROLE_ALL },
  { "\\Archive", 0, POCHTA_IMAP_MAILBOX_ROLE_ARCHIVE },
  { "\\Drafts", 0, POCHTA_IMAP_MAILBOX_ROLE_DRAFTS },
  { "\\Flagged", 0, POCHTA_IMAP_MAILBOX_ROLE_FLAGGED },
  { "\\Junk", 0, POCHTA_IMAP_MAILBOX_ROLE_JUNK },
  { "\\Sent", 0, POCHTA_IMAP_MAILBOX_ROLE_SENT },
  { "\\Trash", 0, POCHTA_IMAP_MAILBOX_ROLE_TRASH },
  { "\\Important", 0, POCHTA_IMAP_MAILBOX_ROLE_IMPORTANT },
  /* Gmail's older XLIST names, still sent by some servers in LIST. */
  { "\\AllMail", 0, POCHTA_IMAP_MAILBOX_ROLE_ALL },
  { "\\Spam", 0, POCHTA_IMAP_MAILBOX_ROLE_JUNK },
  { "\\Starred", 0, POCHTA_IMAP_MAILBOX_ROLE_FLAGGED },
  { "\\Inbox", 0, POCHTA_IMAP_MAILBOX_ROLE_INBOX },
};

void
pochta_imap_mailbox_info_free (PochtaImapMailboxInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->raw_name);
  g_strfreev (self->attributes);
  g_free (self);
}

/**
 * pochta_imap_mailbox_info_new_from_response:
 * @response: untagged LIST or LSUB data
 * @utf8: whether UTF8=ACCEPT is enabled
 * @error: set for another response or a malformed one
 *
 * Returns: (transfer full) (nullable): the mailbox
 */
PochtaImapMailboxInfo *
pochta_imap_mailbox_info_new_from_response (const PochtaImapResponse  *response,
                                            gboolean                   utf8,
                                            GError                   **error)
{
  g_autoptr(PochtaImapMailboxInfo) self = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  const PochtaImapValue *attrs, *name;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "LIST", "LSUB", error))
    return NULL;

  attrs = pochta_imap_value_list_get (response->data, 0);
  name = pochta_imap_value_list_get (response->data, 2);
  if (!_pochta_imap_value_is_list (attrs) || !_pochta_imap_value_is_text (name))
    return malformed (error, "LIST");

  self = g_new0 (PochtaImapMailboxInfo, 1);
  if (!get_delimiter (pochta_imap_value_list_get (response->data, 1), &self->delimiter))
    return malformed (error, "LIST");

  builder = g_strv_builder_new ();
  for (guint i = 0; i < pochta_imap_value_list_size (attrs); i++)
    {
      const PochtaImapValue *attr = pochta_imap_value_list_get (attrs, i);

      if (attr->type != POCHTA_IMAP_VALUE_ATOM)
        return malformed (error, "LIST");
      g_strv_builder_add (builder, attr->data);
      for (guint j = 0; j < G_N_ELEMENTS (attributes); j++)
        if (g_ascii_strcasecmp (attr->data, attributes[j].attribute) == 0)
          {
            self->flags |= attributes[j].flag;
            if (attributes[j].role != POCHTA_IMAP_MAILBOX_ROLE_NONE)
              self->role = attributes[j].role;
          }
    }
  self->attributes = g_strv_builder_end (builder);

  self->raw_name = g_strndup (name->data, name->len);
  self->name = pochta_imap_mailbox_name_decode (self->raw_name, utf8);
  if (self->role == POCHTA_IMAP_MAILBOX_ROLE_NONE && strcmp (self->name, "INBOX") == 0)
    self->role = POCHTA_IMAP_MAILBOX_ROLE_INBOX;
  /* LSUB lists subscribed mailboxes only. */
  if (g_ascii_strcasecmp (response->keyword, "LSUB") == 0)
    self->flags |= POCHTA_IMAP_MAILBOX_SUBSCRIBED;

  return g_steal_pointer (&self);
}

typedef struct
{
  const char *name;
  guint       bit;
  gsize       offset;
  gboolean    wide;    /* a guint64 (mod-sequences, sizes) rather than a guint32 */
} NumberItem;

#define STATUS_ITEM(name, field, wide) \
  { #name, POCHTA_IMAP_STATUS_ITEM_##name, G_STRUCT_OFFSET (PochtaImapMailboxStatus, field), wide }

static const NumberItem status_items[] = {
  STATUS_ITEM (MESSAGES, messages, FALSE),
  STATUS_ITEM (RECENT, recent, FALSE),
  STATUS_ITEM (UIDNEXT, uidnext, FALSE),
  STATUS_ITEM (UIDVALIDITY, uidvalidity, FALSE),
  STATUS_ITEM (UNSEEN, unseen, FALSE),
  STATUS_ITEM (HIGHESTMODSEQ, highestmodseq, TRUE),
  STATUS_ITEM (SIZE, size, TRUE),
};

static const NumberItem esearch_items[] = {
  { "MIN", POCHTA_IMAP_ESEARCH_MIN, G_STRUCT_OFFSET (PochtaImapEsearch, min), FALSE },
  { "MAX", POCHTA_IMAP_ESEARCH_MAX, G_STRUCT_OFFSET (PochtaImapEsearch, max), FALSE },
  { "COUNT", POCHTA_IMAP_ESEARCH_COUNT, G_STRUCT_OFFSET (PochtaImapEsearch, count), FALSE },
  { "MODSEQ", POCHTA_IMAP_ESEARCH_MODSEQ, G_STRUCT_OFFSET (PochtaImapEsearch, modseq), TRUE },
};

/* Stores a "NAME number" pair into the struct; unknown names are skipped,
 * a known name with a bad number fails. */
static gboolean
set_number_item (gpointer               target,
                 const NumberItem      *items,
                 guint                  n_items,
                 const PochtaImapValue *key,
                 const PochtaImapValue *value,
                 guint                 *present)
{
  for (guint i = 0; i < n_items; i++)
    {
      guint64 number;

      if (!pochta_imap_value_is_atom (key, items[i].name))
        continue;
      if (!pochta_imap_value_get_number (value, &number) || (!items[i].wide && number > G_MAXUINT32))
        return FALSE;
      if (items[i].wide)
        G_STRUCT_MEMBER (guint64, target, items[i].offset) = number;
      else
        G_STRUCT_MEMBER (guint32, target, items[i].offset) = (guint32) number;
      *present |= items[i].bit;
      return TRUE;
    }
  return TRUE;
}

void
pochta_imap_mailbox_status_free (PochtaImapMailboxStatus *self)
{
  if (self == NULL)
    return;
  g_free (self->mailbox);
  g_free (self->raw_mailbox);
  g_free (self);
}

static gboolean
get_uint32 (const PochtaImapValue *value,
            guint32               *out)
{
  guint64 n;

  if (!pochta_imap_value_get_number (value, &n) || n > G_MAXUINT32)
    return FALSE;
  *out = (guint32) n;
  return TRUE;
}

PochtaImapMailboxStatus *
pochta_imap_mailbox_status_new_from_response (const PochtaImapResponse  *response,
                                              gboolean                   utf8,
                                              GError                   **error)
{
  g_autoptr(PochtaImapMailboxStatus) self = NULL;
  const PochtaImapValue *name, *items;
  guint n;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "STATUS", NULL, error))
    return NULL;

  name = pochta_imap_value_list_get (response->data, 0);
  items = pochta_imap_value_list_get (response->data, 1);
  if (!_pochta_imap_value_is_text (name) || !_pochta_imap_value_is_list (items))
    return malformed (error, "STATUS");

  self = g_new0 (PochtaImapMailboxStatus, 1);
  self->raw_mailbox = g_strndup (name->data, name->len);
  self->mailbox = pochta_imap_mailbox_name_decode (self->raw_mailbox, utf8);

  n = pochta_imap_value_list_size (items);
  if (n % 2 != 0)
    return malformed (error, "STATUS");
  for (guint i = 0; i < n; i += 2)
    {
      const PochtaImapValue *key = pochta_imap_value_list_get (items, i);
      const PochtaImapValue *value = pochta_imap_value_list_get (items, i + 1);

      if (!set_number_item (self, status_items, G_N_ELEMENTS (status_items), key, value, &self->present))
        return malformed (error, "STATUS");
    }

  return g_steal_pointer (&self);
}

/**
 * pochta_imap_search_parse:
 * @response: untagged SEARCH data
 * @modseq: (out) (optional): the "(MODSEQ n)" CONDSTORE adds, or 0
 * @error: set for another response or a malformed one
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the numbers, possibly none
 */
GArray *
pochta_imap_search_parse (const PochtaImapResponse  *response,
                          guint64                   *modseq,
                          GError                   **error)
{
  g_autoptr(GArray) result = NULL;
  guint n;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (modseq != NULL)
    *modseq = 0;
  if (!check_untagged (response, "SEARCH", NULL, error))
    return NULL;

  n = pochta_imap_value_list_size (response->data);
  result = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  for (guint i = 0; i < n; i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (response->data, i);
      guint32 number;

      /* RFC 7162 3.1.5: "(MODSEQ n)" ends the list. */
      if (i == n - 1 && pochta_imap_value_list_size (item) == 2
          && pochta_imap_value_is_atom (pochta_imap_value_list_get (item, 0), "MODSEQ"))
        {
          guint64 value;

          if (!pochta_imap_value_get_number (pochta_imap_value_list_get (item, 1), &value))
            return malformed (error, "SEARCH");
          if (modseq != NULL)
            *modseq = value;
          break;
        }
      if (!get_uint32 (item, &number) || number == 0)
        return malformed (error, "SEARCH");
      g_array_append_val (result, number);
    }

  return g_steal_pointer (&result);
}

void
pochta_imap_esearch_free (PochtaImapEsearch *self)
{
  if (self == NULL)
    return;
  g_free (self->tag);
  g_clear_pointer (&self->all, pochta_imap_sequence_set_free);
  g_free (self);
}

/* "* ESEARCH (TAG "a1") UID MIN 2 MAX 47 COUNT 5 ALL 2,10:11,15,47" (RFC 4731). */
PochtaImapEsearch *
pochta_imap_esearch_new_from_response (const PochtaImapResponse  *response,
                                       GError                   **error)
{
  g_autoptr(PochtaImapEsearch) self = NULL;
  const PochtaImapValue *data;
  guint n, i = 0;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "ESEARCH", NULL, error))
    return NULL;

  self = g_new0 (PochtaImapEsearch, 1);
  data = response->data;
  n = pochta_imap_value_list_size (data);

  if (i < n && _pochta_imap_value_is_list (pochta_imap_value_list_get (data, i)))
    {
      const PochtaImapValue *correlator = pochta_imap_value_list_get (data, i);
      const PochtaImapValue *tag = pochta_imap_value_list_get (correlator, 1);

      if (!pochta_imap_value_is_atom (pochta_imap_value_list_get (correlator, 0), "TAG")
          || tag == NULL || tag->type != POCHTA_IMAP_VALUE_STRING)
        return malformed (error, "ESEARCH");
      self->tag = g_strndup (tag->data, tag->len);
      i++;
    }
  if (i < n && pochta_imap_value_is_atom (pochta_imap_value_list_get (data, i), "UID"))
    {
      self->uid = TRUE;
      i++;
    }

  for (; i < n; i += 2)
    {
      const PochtaImapValue *key = pochta_imap_value_list_get (data, i);
      const PochtaImapValue *value = pochta_imap_value_list_get (data, i + 1);

      if (value == NULL || key->type != POCHTA_IMAP_VALUE_ATOM)
        return malformed (error, "ESEARCH");

      if (pochta_imap_value_is_atom (key, "ALL"))
        {
          const char *text = pochta_imap_value_get_text (value);

          g_clear_pointer (&self->all, pochta_imap_sequence_set_free);
          if (text == NULL)
            return malformed (error, "ESEARCH");
          self->all = pochta_imap_sequence_set_parse (text, 0, 0, error);
          if (self->all == NULL)
            return NULL;
          self->present |= POCHTA_IMAP_ESEARCH_ALL;
        }
      /* Unknown return data (PARTIAL, RELEVANCY, ...) is skipped there. */
      else if (!set_number_item (self, esearch_items, G_N_ELEMENTS (esearch_items),
                                 key, value, &self->present))
        return malformed (error, "ESEARCH");
    }

  return g_steal_pointer (&self);
}

void
pochta_imap_vanished_free (PochtaImapVanished *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->uids, pochta_imap_sequence_set_free);
  g_free (self);
}

/* "* VANISHED (EARLIER) 300:310,405" (RFC 7162 3.2.10). */
PochtaImapVanished *
pochta_imap_vanished_new_from_response (const PochtaImapResponse  *response,
                                        GError                   **error)
{
  g_autoptr(PochtaImapVanished) self = NULL;
  const PochtaImapValue *first, *set;
  guint i = 0;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "VANISHED", NULL, error))
    return NULL;

  self = g_new0 (PochtaImapVanished, 1);
  first = pochta_imap_value_list_get (response->data, 0);
  if (_pochta_imap_value_is_list (first))
    {
      if (pochta_imap_value_list_size (first) != 1
          || !pochta_imap_value_is_atom (pochta_imap_value_list_get (first, 0), "EARLIER"))
        return malformed (error, "VANISHED");
      self->earlier = TRUE;
      i++;
    }

  set = pochta_imap_value_list_get (response->data, i);
  if (set == NULL || set->type != POCHTA_IMAP_VALUE_ATOM
      || pochta_imap_value_list_size (response->data) != i + 1)
    return malformed (error, "VANISHED");

  self->uids = pochta_imap_sequence_set_parse (set->data, 0, 0, error);
  if (self->uids == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

static void
namespace_free (gpointer data)
{
  PochtaImapNamespace *ns = data;

  g_free (ns->prefix);
  g_free (ns);
}

void
pochta_imap_namespaces_free (PochtaImapNamespaces *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->personal, g_ptr_array_unref);
  g_clear_pointer (&self->other, g_ptr_array_unref);
  g_clear_pointer (&self->shared, g_ptr_array_unref);
  g_free (self);
}

static gboolean
parse_namespace_list (const PochtaImapValue *value,
                      gboolean               utf8,
                      GPtrArray             *out)
{
  if (_pochta_imap_value_is_nil (value))
    return TRUE;
  if (!_pochta_imap_value_is_list (value))
    return FALSE;

  for (guint i = 0; i < pochta_imap_value_list_size (value); i++)
    {
      const PochtaImapValue *desc = pochta_imap_value_list_get (value, i);
      const PochtaImapValue *prefix = pochta_imap_value_list_get (desc, 0);
      PochtaImapNamespace *ns;
      char delimiter;
      g_autofree char *raw = NULL;

      /* Extension data (RFC 2342 namespace-response-extension) may follow. */
      if (!_pochta_imap_value_is_list (desc) || pochta_imap_value_list_size (desc) < 2
          || prefix == NULL || prefix->type != POCHTA_IMAP_VALUE_STRING
          || !get_delimiter (pochta_imap_value_list_get (desc, 1), &delimiter))
        return FALSE;

      raw = g_strndup (prefix->data, prefix->len);
      ns = g_new0 (PochtaImapNamespace, 1);
      ns->prefix = raw[0] == '\0' ? g_strdup ("") : pochta_imap_mailbox_name_decode (raw, utf8);
      ns->delimiter = delimiter;
      g_ptr_array_add (out, ns);
    }
  return TRUE;
}

PochtaImapNamespaces *
pochta_imap_namespaces_new_from_response (const PochtaImapResponse  *response,
                                          gboolean                   utf8,
                                          GError                   **error)
{
  g_autoptr(PochtaImapNamespaces) self = NULL;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "NAMESPACE", NULL, error))
    return NULL;
  if (pochta_imap_value_list_size (response->data) < 3)
    return malformed (error, "NAMESPACE");

  self = g_new0 (PochtaImapNamespaces, 1);
  self->personal = g_ptr_array_new_with_free_func (namespace_free);
  self->other = g_ptr_array_new_with_free_func (namespace_free);
  self->shared = g_ptr_array_new_with_free_func (namespace_free);
  if (!parse_namespace_list (pochta_imap_value_list_get (response->data, 0), utf8, self->personal)
      || !parse_namespace_list (pochta_imap_value_list_get (response->data, 1), utf8, self->other)
      || !parse_namespace_list (pochta_imap_value_list_get (response->data, 2), utf8, self->shared))
    return malformed (error, "NAMESPACE");

  return g_steal_pointer (&self);
}

/* "* ENABLED CONDSTORE QRESYNC" (RFC 5161): the names, upper-cased. */
char **
pochta_imap_enabled_parse (const PochtaImapResponse  *response,
                           GError                   **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "ENABLED", NULL, error))
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < pochta_imap_value_list_size (response->data); i++)
    {
      const PochtaImapValue *item = pochta_imap_value_list_get (response->data, i);
      g_autofree char *upper = NULL;

      if (item->type != POCHTA_IMAP_VALUE_ATOM)
        return malformed (error, "ENABLED");
      upper = g_ascii_strup (item->data, -1);
      g_strv_builder_add (builder, upper);
    }
  return g_strv_builder_end (builder);
}

/**
 * pochta_imap_id_parse:
 * @response: "* ID (...)" or "* ID NIL" (RFC 2971)
 * @error: set for another response or a malformed one
 *
 * Returns: (transfer full) (element-type utf8 utf8) (nullable): lower-cased
 *   field names to values; NIL values are left out
 */
GHashTable *
pochta_imap_id_parse (const PochtaImapResponse  *response,
                      GError                   **error)
{
  g_autoptr(GHashTable) fields = NULL;
  const PochtaImapValue *list;
  guint n;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_untagged (response, "ID", NULL, error))
    return NULL;

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  list = pochta_imap_value_list_get (response->data, 0);
  if (_pochta_imap_value_is_nil (list))
    return g_steal_pointer (&fields);
  if (!_pochta_imap_value_is_list (list) || pochta_imap_value_list_size (list) % 2 != 0)
    return malformed (error, "ID");

  n = MIN (pochta_imap_value_list_size (list), MAX_ID_FIELDS * 2);
  for (guint i = 0; i < n; i += 2)
    {
      const PochtaImapValue *key = pochta_imap_value_list_get (list, i);
      g_autofree char *value = NULL;

      if (key->type != POCHTA_IMAP_VALUE_STRING
          || !_pochta_imap_value_dup_nstring (pochta_imap_value_list_get (list, i + 1), &value))
        return malformed (error, "ID");
      if (value != NULL)
        g_hash_table_replace (fields, g_ascii_strdown (key->data, -1), g_utf8_make_valid (value, -1));
    }

  return g_steal_pointer (&fields);
}
