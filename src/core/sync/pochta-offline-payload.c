/* pochta-offline-payload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text form of a pending operation (see pochta-offline-private.h) and
 * its one-line description for people.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-folder-sync.h"
#include "pochta-imap-data.h"
#include "pochta-offline-ops.h"
#include "pochta-offline-private.h"
#include "pochta-sync-error.h"

PochtaOfflinePayload *
_pochta_offline_payload_new (const char *kind)
{
  PochtaOfflinePayload *payload = g_new0 (PochtaOfflinePayload, 1);

  payload->kind = g_strdup (kind);
  payload->version = POCHTA_OFFLINE_PAYLOAD_VERSION;
  payload->refs = g_array_new (FALSE, FALSE, sizeof (PochtaOfflineRef));

  return payload;
}

void
_pochta_offline_payload_free (PochtaOfflinePayload *payload)
{
  if (payload == NULL)
    return;

  g_free (payload->kind);
  g_free (payload->folder);
  g_clear_pointer (&payload->refs, g_array_unref);
  g_free (payload->uids);
  g_free (payload->dest);
  g_free (payload->new_name);
  g_strfreev (payload->folders);
  g_free (payload);
}

void
_pochta_offline_payload_add_ref (PochtaOfflinePayload *payload,
                                 guint32               uid,
                                 gint64                row,
                                 gint64                target)
{
  PochtaOfflineRef ref = { uid, row, target };

  g_array_append_val (payload->refs, ref);
}

gboolean
_pochta_offline_kind_has_refs (const char *kind)
{
  return g_strcmp0 (kind, POCHTA_OFFLINE_KIND_FLAGS) == 0 ||
         g_strcmp0 (kind, POCHTA_OFFLINE_KIND_MARK_ALL_READ) == 0 ||
         g_strcmp0 (kind, POCHTA_OFFLINE_KIND_MOVE) == 0 ||
         g_strcmp0 (kind, POCHTA_OFFLINE_KIND_COPY) == 0 ||
         g_strcmp0 (kind, POCHTA_OFFLINE_KIND_EXPUNGE) == 0 ||
         g_strcmp0 (kind, POCHTA_OFFLINE_KIND_APPEND) == 0;
}

gint64
_pochta_offline_placeholder_uid (gint64 row)
{
  return POCHTA_SYNC_PLACEHOLDER_UID_BASE + row;
}

guint32
_pochta_offline_real_uid (gint64 uid_column)
{
  return uid_column > 0 && uid_column <= G_MAXUINT32 ? (guint32) uid_column : 0;
}

static const struct
{
  PochtaMessageFlags  flag;
  const char         *name;
} imap_flags[] = {
  { POCHTA_MESSAGE_FLAG_SEEN, "\\Seen" },
  { POCHTA_MESSAGE_FLAG_ANSWERED, "\\Answered" },
  { POCHTA_MESSAGE_FLAG_FLAGGED, "\\Flagged" },
  { POCHTA_MESSAGE_FLAG_DELETED, "\\Deleted" },
  { POCHTA_MESSAGE_FLAG_DRAFT, "\\Draft" },
  { POCHTA_MESSAGE_FLAG_FORWARDED, "$Forwarded" },
  { POCHTA_MESSAGE_FLAG_JUNK, "$Junk" },
  { POCHTA_MESSAGE_FLAG_NOT_JUNK, "$NotJunk" },
};

GStrv
_pochta_offline_flags_to_imap (PochtaMessageFlags flags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (imap_flags); i++)
    if ((flags & imap_flags[i].flag) != 0)
      g_strv_builder_add (builder, imap_flags[i].name);

  return g_strv_builder_end (builder);
}

char *
_pochta_offline_mailbox_name (const char *raw_name)
{
  return pochta_imap_mailbox_name_decode (raw_name, FALSE);
}

char *
_pochta_offline_payload_print (const PochtaOfflinePayload *payload)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) variant = NULL;

  g_variant_dict_insert (&dict, "v", "u", payload->version);
  if (payload->folder != NULL)
    g_variant_dict_insert (&dict, "folder", "s", payload->folder);
  if (payload->uidvalidity != 0)
    g_variant_dict_insert (&dict, "uidvalidity", "u", payload->uidvalidity);
  if (payload->refs->len > 0)
    {
      GVariantBuilder refs;

      g_variant_builder_init (&refs, G_VARIANT_TYPE ("a(uxx)"));
      for (guint i = 0; i < payload->refs->len; i++)
        {
          const PochtaOfflineRef *ref = &g_array_index (payload->refs, PochtaOfflineRef, i);

          g_variant_builder_add (&refs, "(uxx)", ref->uid, ref->row, ref->target);
        }
      g_variant_dict_insert_value (&dict, "msgs", g_variant_builder_end (&refs));
    }
  if (payload->uids != NULL)
    g_variant_dict_insert (&dict, "uids", "s", payload->uids);
  if (payload->dest != NULL)
    g_variant_dict_insert (&dict, "dest", "s", payload->dest);
  if (payload->dest_uidvalidity != 0)
    g_variant_dict_insert (&dict, "dest-uidvalidity", "u", payload->dest_uidvalidity);
  if (payload->add != 0)
    g_variant_dict_insert (&dict, "add", "u", (guint32) payload->add);
  if (payload->remove != 0)
    g_variant_dict_insert (&dict, "remove", "u", (guint32) payload->remove);
  if (payload->to_trash)
    g_variant_dict_insert (&dict, "trash", "b", TRUE);
  if (payload->date != 0)
    g_variant_dict_insert (&dict, "date", "x", payload->date);
  if (payload->new_name != NULL)
    g_variant_dict_insert (&dict, "new", "s", payload->new_name);
  if (payload->folders != NULL)
    g_variant_dict_insert (&dict, "folders", "^as", payload->folders);

  variant = g_variant_ref_sink (g_variant_dict_end (&dict));

  return g_variant_print (variant, TRUE);
}

PochtaOfflinePayload *
_pochta_offline_payload_parse (const char  *kind,
                               const char  *text,
                               GError     **error)
{
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) refs = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  guint32 number;

  g_return_val_if_fail (kind != NULL, NULL);

  variant = g_variant_parse (G_VARIANT_TYPE_VARDICT, text != NULL ? text : "", NULL, NULL, &local_error);
  if (variant == NULL)
    {
      g_set_error (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_CONFLICT,
                   _("A queued operation could not be read: %s"), local_error->message);
      return NULL;
    }

  g_variant_dict_init (&dict, variant);
  payload = _pochta_offline_payload_new (kind);
  if (!g_variant_dict_lookup (&dict, "v", "u", &payload->version) ||
      payload->version == 0 || payload->version > POCHTA_OFFLINE_PAYLOAD_VERSION)
    {
      g_set_error (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_CONFLICT,
                   _("A queued operation has an unknown format version"));
      return NULL;
    }

  g_variant_dict_lookup (&dict, "folder", "s", &payload->folder);
  g_variant_dict_lookup (&dict, "uidvalidity", "u", &payload->uidvalidity);
  refs = g_variant_dict_lookup_value (&dict, "msgs", G_VARIANT_TYPE ("a(uxx)"));
  if (refs != NULL)
    {
      GVariantIter iter;
      PochtaOfflineRef ref;

      g_variant_iter_init (&iter, refs);
      while (g_variant_iter_next (&iter, "(uxx)", &ref.uid, &ref.row, &ref.target))
        g_array_append_val (payload->refs, ref);
    }
  g_variant_dict_lookup (&dict, "uids", "s", &payload->uids);
  g_variant_dict_lookup (&dict, "dest", "s", &payload->dest);
  g_variant_dict_lookup (&dict, "dest-uidvalidity", "u", &payload->dest_uidvalidity);
  if (g_variant_dict_lookup (&dict, "add", "u", &number))
    payload->add = number;
  if (g_variant_dict_lookup (&dict, "remove", "u", &number))
    payload->remove = number;
  g_variant_dict_lookup (&dict, "trash", "b", &payload->to_trash);
  g_variant_dict_lookup (&dict, "date", "x", &payload->date);
  g_variant_dict_lookup (&dict, "new", "s", &payload->new_name);
  g_variant_dict_lookup (&dict, "folders", "^as", &payload->folders);

  /* Every kind names a folder; moves and copies a second one, renames the
   * new name. Unknown kinds are left for the caller to refuse. */
  if (payload->folder == NULL ||
      ((g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE) || g_str_equal (kind, POCHTA_OFFLINE_KIND_COPY)) &&
       payload->dest == NULL) ||
      (g_str_equal (kind, POCHTA_OFFLINE_KIND_RENAME_FOLDER) && payload->new_name == NULL))
    {
      g_set_error (error, POCHTA_SYNC_ERROR, POCHTA_SYNC_ERROR_CONFLICT,
                   _("A queued operation lacks the folder it applies to"));
      return NULL;
    }

  return g_steal_pointer (&payload);
}

/* How many messages an operation names, for its description. */
static guint
count_messages (const PochtaOfflinePayload *payload)
{
  guint count = payload->refs->len;

  if (payload->uids != NULL)
    {
      g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse (payload->uids, 0, 0, NULL);

      if (set != NULL)
        count += (guint) MIN (pochta_imap_sequence_set_count (set), G_MAXUINT - count);
    }

  return count;
}

static char *
describe_flags (const PochtaOfflinePayload *payload,
                const char                 *folder)
{
  guint n = count_messages (payload);

  if (payload->add == POCHTA_MESSAGE_FLAG_SEEN && payload->remove == 0)
    return g_strdup_printf (ngettext ("Mark %u message as read in %s",
                                      "Mark %u messages as read in %s", n), n, folder);
  if (payload->remove == POCHTA_MESSAGE_FLAG_SEEN && payload->add == 0)
    return g_strdup_printf (ngettext ("Mark %u message as unread in %s",
                                      "Mark %u messages as unread in %s", n), n, folder);
  if (payload->add == POCHTA_MESSAGE_FLAG_FLAGGED && payload->remove == 0)
    return g_strdup_printf (ngettext ("Flag %u message in %s",
                                      "Flag %u messages in %s", n), n, folder);
  if (payload->remove == POCHTA_MESSAGE_FLAG_FLAGGED && payload->add == 0)
    return g_strdup_printf (ngettext ("Remove the flag from %u message in %s",
                                      "Remove the flag from %u messages in %s", n), n, folder);
  if ((payload->add & POCHTA_MESSAGE_FLAG_JUNK) != 0)
    return g_strdup_printf (ngettext ("Mark %u message as junk in %s",
                                      "Mark %u messages as junk in %s", n), n, folder);
  if ((payload->remove & POCHTA_MESSAGE_FLAG_JUNK) != 0)
    return g_strdup_printf (ngettext ("Mark %u message as not junk in %s",
                                      "Mark %u messages as not junk in %s", n), n, folder);

  return g_strdup_printf (ngettext ("Change the flags of %u message in %s",
                                    "Change the flags of %u messages in %s", n), n, folder);
}

/**
 * pochta_offline_describe_op:
 * @op: a queued operation
 *
 * Returns: (transfer full): one translated line, e.g. "Move 3 messages
 *   from INBOX to Archive"
 */
char *
pochta_offline_describe_op (const PochtaPendingOp *op)
{
  g_autoptr(PochtaOfflinePayload) payload = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *other = NULL;
  const char *kind;
  guint n;

  g_return_val_if_fail (op != NULL, NULL);

  kind = op->kind != NULL ? op->kind : "";
  payload = _pochta_offline_payload_parse (kind, op->payload, NULL);
  if (payload == NULL)
    /* TRANSLATORS: %s is the internal name of an operation, e.g. "move" */
    return g_strdup_printf (_("Unreadable operation “%s”"), kind);

  folder = payload->folder != NULL ? _pochta_offline_mailbox_name (payload->folder) : g_strdup ("");
  n = count_messages (payload);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_FLAGS))
    return describe_flags (payload, folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MARK_ALL_READ))
    return g_strdup_printf (_("Mark all messages as read in %s"), folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE) && payload->to_trash)
    return g_strdup_printf (ngettext ("Delete %u message from %s",
                                      "Delete %u messages from %s", n), n, folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE) || g_str_equal (kind, POCHTA_OFFLINE_KIND_COPY))
    {
      other = _pochta_offline_mailbox_name (payload->dest);
      if (g_str_equal (kind, POCHTA_OFFLINE_KIND_MOVE))
        /* TRANSLATORS: "Move 3 messages from INBOX to Archive" */
        return g_strdup_printf (ngettext ("Move %u message from %s to %s",
                                          "Move %u messages from %s to %s", n), n, folder, other);
      return g_strdup_printf (ngettext ("Copy %u message from %s to %s",
                                        "Copy %u messages from %s to %s", n), n, folder, other);
    }

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_EXPUNGE))
    return g_strdup_printf (ngettext ("Delete %u message permanently from %s",
                                      "Delete %u messages permanently from %s", n), n, folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_APPEND))
    return g_strdup_printf (_("Save a message to %s"), folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_CREATE_FOLDER))
    return g_strdup_printf (_("Create the folder %s"), folder);

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_RENAME_FOLDER))
    {
      other = _pochta_offline_mailbox_name (payload->new_name);
      return g_strdup_printf (_("Rename the folder %s to %s"), folder, other);
    }

  if (g_str_equal (kind, POCHTA_OFFLINE_KIND_DELETE_FOLDER))
    return g_strdup_printf (_("Delete the folder %s"), folder);

  return g_strdup_printf (_("Unreadable operation “%s”"), kind);
}
