/* pochta-sync-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder's role: from SPECIAL-USE, or by name for servers without it:
 * "Sent Items", "Отправленные", "Papierkorb" and the other names mail
 * programs give them.
 */

#define G_LOG_DOMAIN "pochta-sync"

#include "config.h"

#include <string.h>

#include "pochta-sync-private.h"

/* Names servers without SPECIAL-USE give their special folders, in the
 * languages people meet most; compared case-insensitively with the last
 * part of the folder's name. */
static const char * const sent_names[] = {
  "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Отправленные", "Gesendet",
  "Gesendete Elemente", "Gesendete Objekte", "Envoyés", "Éléments envoyés", "Enviados",
  "Elementos enviados", "Posta inviata", "Inviati", "Verzonden", "Verzonden items", "Wysłane",
  "Elementy wysłane", "送信済み", "送信済みアイテム", NULL
};
static const char * const drafts_names[] = {
  "Drafts", "Draft", "Черновики", "Entwürfe", "Brouillons", "Borradores", "Bozze", "Concepten",
  "Kopie robocze", "下書き", NULL
};
static const char * const trash_names[] = {
  "Trash", "Deleted Items", "Deleted Messages", "Deleted", "Bin", "Корзина", "Удаленные",
  "Удалённые", "Papierkorb", "Gelöschte Elemente", "Gelöschte Objekte", "Corbeille",
  "Éléments supprimés", "Papelera", "Elementos eliminados", "Cestino", "Prullenbak", "Kosz",
  "ゴミ箱", NULL
};
static const char * const junk_names[] = {
  "Junk", "Spam", "Junk E-mail", "Junk Email", "Bulk Mail", "Спам", "Нежелательная почта",
  "Courrier indésirable", "Correo no deseado", "Posta indesiderata", "Ongewenste e-mail",
  "迷惑メール", NULL
};
static const char * const archive_names[] = {
  "Archive", "Archives", "Архив", "Archiv", "Archivio", "Archivo", "Archief", "Archiwum",
  "アーカイブ", NULL
};

static const struct
{
  PochtaFolderRole     role;
  const char * const  *names;
} fallback_roles[] = {
  { POCHTA_FOLDER_ROLE_SENT, sent_names },
  { POCHTA_FOLDER_ROLE_DRAFTS, drafts_names },
  { POCHTA_FOLDER_ROLE_TRASH, trash_names },
  { POCHTA_FOLDER_ROLE_JUNK, junk_names },
  { POCHTA_FOLDER_ROLE_ARCHIVE, archive_names },
};

static char *
fold_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_ALL_COMPOSE);
}

/**
 * _pochta_sync_role_for_name:
 * @leaf: the last part of a folder's name
 * @rank: (out) (optional): the name's place in its role's list, earlier
 *   names being the likelier
 *
 * Returns: the role a folder of that name has on a server without
 *   SPECIAL-USE, or %POCHTA_FOLDER_ROLE_NONE
 */
PochtaFolderRole
_pochta_sync_role_for_name (const char *leaf,
                            guint      *rank)
{
  g_autofree char *folded = fold_name (leaf);

  for (guint r = 0; r < G_N_ELEMENTS (fallback_roles); r++)
    for (guint i = 0; fallback_roles[r].names[i] != NULL; i++)
      {
        g_autofree char *known = fold_name (fallback_roles[r].names[i]);

        if (strcmp (folded, known) == 0)
          {
            if (rank != NULL)
              *rank = i;
            return fallback_roles[r].role;
          }
      }

  return POCHTA_FOLDER_ROLE_NONE;
}

PochtaFolderRole
_pochta_sync_role_from_imap (PochtaImapMailboxRole role)
{
  switch (role)
    {
    case POCHTA_IMAP_MAILBOX_ROLE_INBOX:
      return POCHTA_FOLDER_ROLE_INBOX;
    case POCHTA_IMAP_MAILBOX_ROLE_ALL:
      return POCHTA_FOLDER_ROLE_ALL;
    case POCHTA_IMAP_MAILBOX_ROLE_ARCHIVE:
      return POCHTA_FOLDER_ROLE_ARCHIVE;
    case POCHTA_IMAP_MAILBOX_ROLE_DRAFTS:
      return POCHTA_FOLDER_ROLE_DRAFTS;
    case POCHTA_IMAP_MAILBOX_ROLE_FLAGGED:
      return POCHTA_FOLDER_ROLE_FLAGGED;
    case POCHTA_IMAP_MAILBOX_ROLE_JUNK:
      return POCHTA_FOLDER_ROLE_JUNK;
    case POCHTA_IMAP_MAILBOX_ROLE_SENT:
      return POCHTA_FOLDER_ROLE_SENT;
    case POCHTA_IMAP_MAILBOX_ROLE_TRASH:
      return POCHTA_FOLDER_ROLE_TRASH;
    case POCHTA_IMAP_MAILBOX_ROLE_NONE:
    case POCHTA_IMAP_MAILBOX_ROLE_IMPORTANT:
    default:
      return POCHTA_FOLDER_ROLE_NONE;
    }
}
