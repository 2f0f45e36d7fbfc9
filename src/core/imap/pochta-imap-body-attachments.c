/* pochta-imap-body-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which parts of a BODYSTRUCTURE are the text to show and which are
 * attachments; and, for the header sync, a look at the raw value that
 * tells the common message with nothing to list without building its
 * part tree.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <string.h>

#include "pochta-imap-body-structure.h"
#include "pochta-imap-decode-private.h"

static gboolean
is_attachment_disposition (const PochtaImapBodyPart *part)
{
  return g_strcmp0 (part->disposition, "attachment") == 0;
}

/**
 * pochta_imap_body_part_find_text:
 * @self: the root part
 * @subtype: "plain" or "html"
 *
 * The body to show: in multipart/alternative the last matching
 * alternative (the sender's preferred), elsewhere the first; never an
 * attachment, never inside an attached message.
 *
 * Returns: (transfer none) (nullable): the part
 */
const PochtaImapBodyPart *
pochta_imap_body_part_find_text (const PochtaImapBodyPart *self,
                                 const char               *subtype)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (subtype != NULL, NULL);

  if (pochta_imap_body_part_is_multipart (self))
    {
      gboolean alternative = strcmp (self->subtype, "alternative") == 0;
      guint n = self->children->len;

      for (guint i = 0; i < n; i++)
        {
          const PochtaImapBodyPart *child = g_ptr_array_index (self->children, alternative ? n - 1 - i : i);
          const PochtaImapBodyPart *found = pochta_imap_body_part_find_text (child, subtype);

          if (found != NULL)
            return found;
        }
      return NULL;
    }

  if (pochta_imap_body_part_has_type (self, "text", subtype) && !is_attachment_disposition (self))
    return self;
  return NULL;
}

static char *
strip_angle_brackets (const char *id)
{
  gsize len;

  if (id == NULL)
    return NULL;
  len = strlen (id);
  if (len >= 2 && id[0] == '<' && id[len - 1] == '>')
    return g_strndup (id + 1, len - 2);
  return g_strdup (id);
}

void
pochta_imap_attachment_free (PochtaImapAttachment *self)
{
  if (self == NULL)
    return;
  g_free (self->filename);
  g_free (self->content_type);
  g_free (self->content_id);
  g_free (self->section);
  g_free (self);
}

static gboolean
inside_related (const PochtaImapBodyPart *part)
{
  return part->parent != NULL && pochta_imap_body_part_has_type (part->parent, "multipart", "related");
}

static void
collect_attachments (const PochtaImapBodyPart *part,
                     const PochtaImapBodyPart *plain,
                     const PochtaImapBodyPart *html,
                     GPtrArray                *out)
{
  PochtaImapAttachment *attachment;
  const char *filename;

  if (pochta_imap_body_part_is_multipart (part))
    {
      for (guint i = 0; i < part->children->len; i++)
        collect_attachments (g_ptr_array_index (part->children, i), plain, html, out);
      return;
    }
  if (part == plain || part == html)
    return;

  filename = pochta_imap_body_part_get_filename (part);
  /* A text part without a name is shown inline as more body (list footers,
   * the second half of a reply). An attached message is one attachment:
   * its own parts are not listed. */
  if (!is_attachment_disposition (part) && filename == NULL
      && g_strcmp0 (part->type, "text") == 0)
    return;

  attachment = g_new0 (PochtaImapAttachment, 1);
  attachment->part = part;
  attachment->filename = g_strdup (filename);
  attachment->content_type = pochta_imap_body_part_get_content_type (part);
  attachment->content_id = strip_angle_brackets (part->id);
  attachment->section = g_strdup (part->section);
  attachment->size = part->size;
  attachment->is_inline = g_strcmp0 (part->disposition, "inline") == 0
                          || (part->disposition == NULL && part->id != NULL && inside_related (part));
  g_ptr_array_add (out, attachment);
}

/**
 * pochta_imap_body_part_list_attachments:
 * @self: the root part
 *
 * Leaf parts that are not the body text: with an attachment disposition,
 * a file name, or a non-text type.
 *
 * Returns: (transfer full) (element-type PochtaImapAttachment): the attachments
 */
GPtrArray *
pochta_imap_body_part_list_attachments (const PochtaImapBodyPart *self)
{
  GPtrArray *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_attachment_free);
  collect_attachments (self,
                       pochta_imap_body_part_find_text (self, "plain"),
                       pochta_imap_body_part_find_text (self, "html"),
                       out);
  return out;
}

/* --- Without the part tree ------------------------------------------------ */

/* Deeper or larger structures are left to the parser and its limits. */
#define QUICK_MAX_DEPTH 8
#define QUICK_MAX_PARTS 64

static gboolean
is_number (const PochtaImapValue *value)
{
  guint64 n;

  return value != NULL && value->type == POCHTA_IMAP_VALUE_ATOM && pochta_imap_value_get_number (value, &n);
}

/* A text part, in a shape the parser takes as it is, with no disposition
 * and no parameter that could name it ("name", "name*", "name*0*"). */
static gboolean
is_unnamed_text_leaf (const PochtaImapValue *value)
{
  guint n = pochta_imap_value_list_size (value);
  const PochtaImapValue *params;

  if (n < 8 || !_pochta_imap_value_is_text (pochta_imap_value_list_get (value, 0))
      || g_ascii_strcasecmp (pochta_imap_value_list_get (value, 0)->data, "text") != 0
      || !_pochta_imap_value_is_nstring (pochta_imap_value_list_get (value, 1))
      || !_pochta_imap_value_is_nstring (pochta_imap_value_list_get (value, 3))
      || !_pochta_imap_value_is_nstring (pochta_imap_value_list_get (value, 4))
      || !_pochta_imap_value_is_nstring (pochta_imap_value_list_get (value, 5))
      || !is_number (pochta_imap_value_list_get (value, 6))
      || !is_number (pochta_imap_value_list_get (value, 7))
      || (n > 9 && !_pochta_imap_value_is_nil (pochta_imap_value_list_get (value, 9))))
    return FALSE;

  params = pochta_imap_value_list_get (value, 2);
  if (_pochta_imap_value_is_nil (params))
    return TRUE;
  if (!_pochta_imap_value_is_list (params))
    return FALSE;
  for (guint i = 0; i < pochta_imap_value_list_size (params); i += 2)
    {
      const PochtaImapValue *key = pochta_imap_value_list_get (params, i);

      if (key->type != POCHTA_IMAP_VALUE_STRING || g_ascii_strncasecmp (key->data, "name", 4) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
only_unnamed_text (const PochtaImapValue *value,
                   guint                  depth,
                   guint                 *parts)
{
  guint n, i;

  if (!_pochta_imap_value_is_list (value) || depth >= QUICK_MAX_DEPTH || ++*parts > QUICK_MAX_PARTS)
    return FALSE;
  n = pochta_imap_value_list_size (value);
  if (n == 0)
    return FALSE;
  if (!_pochta_imap_value_is_list (pochta_imap_value_list_get (value, 0)))
    return is_unnamed_text_leaf (value);

  for (i = 0; i < n && _pochta_imap_value_is_list (pochta_imap_value_list_get (value, i)); i++)
    if (!only_unnamed_text (pochta_imap_value_list_get (value, i), depth + 1, parts))
      return FALSE;
  /* The subtype: the parser reads anything else as "mixed", which is fine
   * here too, but an odd shape is better left to it. */
  return i < n && _pochta_imap_value_is_nstring (pochta_imap_value_list_get (value, i));
}

/**
 * pochta_imap_body_structure_may_have_attachments:
 * @value: a BODYSTRUCTURE as sent
 *
 * FALSE only for a well-formed structure of text parts without a
 * disposition or a name (a plain message, text and HTML alternatives):
 * pochta_imap_body_part_list_attachments() finds nothing there, and the
 * parser would make nothing else of it. TRUE for everything else,
 * malformed ones included, which are for the parser to judge.
 */
gboolean
pochta_imap_body_structure_may_have_attachments (const PochtaImapValue *value)
{
  guint parts = 0;

  g_return_val_if_fail (value != NULL, TRUE);

  return !only_unnamed_text (value, 0, &parts);
}
