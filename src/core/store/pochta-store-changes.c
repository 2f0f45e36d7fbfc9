/* pochta-store-changes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What committed writes changed in one folder, as announced by PochtaStore::folder-changed.
 */

#define G_LOG_DOMAIN "pochta-store"

#include "config.h"

#include "pochta-store-changes.h"
#include "pochta-store-private.h"

/* Past this many rows a listener is better off reloading than following
 * row by row, and the set stops growing. */
#define MAX_TRACKED_ROWS 4096

typedef enum
{
  ENTRY_ADDED,
  ENTRY_CHANGED,
  ENTRY_REMOVED,
} EntryKind;

typedef struct
{
  PochtaMessageKey key;
  EntryKind        kind;
} Entry;

struct _PochtaStoreChanges
{
  gint64      folder_id;
  GHashTable *entries;      /* gint64* id -> Entry*, until sealed */
  GArray     *added;
  GArray     *changed;
  GArray     *removed;
  guint       reset : 1;
  guint       folder_changed : 1;
};

G_DEFINE_BOXED_TYPE (PochtaStoreChanges, pochta_store_changes,
                     pochta_store_changes_ref, pochta_store_changes_unref)

PochtaStoreChanges *
_pochta_store_changes_new (gint64 folder_id)
{
  PochtaStoreChanges *changes = g_rc_box_new0 (PochtaStoreChanges);

  changes->folder_id = folder_id;
  changes->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);

  return changes;
}

static void
changes_clear (gpointer data)
{
  PochtaStoreChanges *changes = data;

  g_clear_pointer (&changes->entries, g_hash_table_unref);
  g_clear_pointer (&changes->added, g_array_unref);
  g_clear_pointer (&changes->changed, g_array_unref);
  g_clear_pointer (&changes->removed, g_array_unref);
}

PochtaStoreChanges *
pochta_store_changes_ref (PochtaStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, NULL);

  return g_rc_box_acquire (changes);
}

void
pochta_store_changes_unref (PochtaStoreChanges *changes)
{
  g_return_if_fail (changes != NULL);

  g_rc_box_release_full (changes, changes_clear);
}

static void
mark_reset (PochtaStoreChanges *changes)
{
  changes->reset = TRUE;
  g_hash_table_remove_all (changes->entries);
}

/* Folds one note into the set. The notes of consecutive batches arrive in
 * commit order, so "added then removed" cancels out and "changed then
 * removed" is a removal. An id seen again after its removal can only be
 * SQLite reusing a rowid; that is rare enough to just ask for a reload. */
void
_pochta_store_changes_add_note (PochtaStoreChanges    *changes,
                                const PochtaStoreNote *note)
{
  Entry *entry;

  g_assert (changes->entries != NULL);

  switch (note->kind)
    {
    case POCHTA_STORE_NOTE_FOLDER_RESET:
      mark_reset (changes);
      changes->folder_changed = TRUE;
      return;

    case POCHTA_STORE_NOTE_FOLDER_CHANGED:
      changes->folder_changed = TRUE;
      return;

    case POCHTA_STORE_NOTE_MESSAGE_ADDED:
    case POCHTA_STORE_NOTE_MESSAGE_CHANGED:
    case POCHTA_STORE_NOTE_MESSAGE_REMOVED:
      break;

    default:
      return;
    }

  if (changes->reset)
    return;

  /* Adds and removals move the counts. */
  if (note->kind != POCHTA_STORE_NOTE_MESSAGE_CHANGED)
    changes->folder_changed = TRUE;

  entry = g_hash_table_lookup (changes->entries, &note->message_id);
  if (entry == NULL)
    {
      if (g_hash_table_size (changes->entries) >= MAX_TRACKED_ROWS)
        {
          mark_reset (changes);
          return;
        }

      entry = g_new0 (Entry, 1);
      entry->key.message_id = note->message_id;
      entry->key.internal_date = note->internal_date;
      entry->kind = note->kind == POCHTA_STORE_NOTE_MESSAGE_ADDED ? ENTRY_ADDED :
                    note->kind == POCHTA_STORE_NOTE_MESSAGE_CHANGED ? ENTRY_CHANGED : ENTRY_REMOVED;
      g_hash_table_insert (changes->entries, &entry->key.message_id, entry);
      return;
    }

  if (entry->kind == ENTRY_REMOVED || note->kind == POCHTA_STORE_NOTE_MESSAGE_ADDED)
    {
      mark_reset (changes);
      return;
    }

  if (note->kind == POCHTA_STORE_NOTE_MESSAGE_REMOVED)
    {
      if (entry->kind == ENTRY_ADDED)
        g_hash_table_remove (changes->entries, &note->message_id);
      else
        entry->kind = ENTRY_REMOVED;
      return;
    }

  /* A change after an add or a change: the row may have moved. */
  if (entry->key.internal_date != note->internal_date)
    {
      mark_reset (changes);
      return;
    }
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const PochtaMessageKey *ka = a;
  const PochtaMessageKey *kb = b;

  if (ka->internal_date != kb->internal_date)
    return ka->internal_date > kb->internal_date ? -1 : 1;
  if (ka->message_id != kb->message_id)
    return ka->message_id > kb->message_id ? -1 : 1;
  return 0;
}

/* Turns the set into the three arrays, each sorted newest first. */
void
_pochta_store_changes_seal (PochtaStoreChanges *changes)
{
  GHashTableIter iter;
  Entry *entry;

  g_assert (changes->entries != NULL);

  changes->added = g_array_new (FALSE, FALSE, sizeof (PochtaMessageKey));
  changes->changed = g_array_new (FALSE, FALSE, sizeof (PochtaMessageKey));
  changes->removed = g_array_new (FALSE, FALSE, sizeof (PochtaMessageKey));

  g_hash_table_iter_init (&iter, changes->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      GArray *target = entry->kind == ENTRY_ADDED ? changes->added :
                       entry->kind == ENTRY_CHANGED ? changes->changed : changes->removed;

      g_array_append_val (target, entry->key);
    }
  g_clear_pointer (&changes->entries, g_hash_table_unref);

  g_array_sort (changes->added, compare_newest_first);
  g_array_sort (changes->changed, compare_newest_first);
  g_array_sort (changes->removed, compare_newest_first);
}

gint64
pochta_store_changes_get_folder_id (PochtaStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, 0);

  return changes->folder_id;
}

/* TRUE when the changes are too many or too tangled to follow row by row:
 * listeners reload the folder. The arrays are then empty. */
gboolean
pochta_store_changes_get_reset (PochtaStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, FALSE);

  return changes->reset;
}

/* TRUE when the folder's own row (counts, sync state, name) may differ. */
gboolean
pochta_store_changes_get_folder_changed (PochtaStoreChanges *changes)
{
  g_return_val_if_fail (changes != NULL, FALSE);

  return changes->folder_changed;
}

static const PochtaMessageKey *
get_keys (GArray *array,
          guint  *n_keys)
{
  if (n_keys != NULL)
    *n_keys = array != NULL ? array->len : 0;

  return array != NULL ? (const PochtaMessageKey *) (gpointer) array->data : NULL;
}

const PochtaMessageKey *
pochta_store_changes_get_added (PochtaStoreChanges *changes,
                                guint              *n_keys)
{
  g_return_val_if_fail (changes != NULL, NULL);

  return get_keys (changes->added, n_keys);
}

const PochtaMessageKey *
pochta_store_changes_get_changed (PochtaStoreChanges *changes,
                                  guint              *n_keys)
{
  g_return_val_if_fail (changes != NULL, NULL);

  return get_keys (changes->changed, n_keys);
}

const PochtaMessageKey *
pochta_store_changes_get_removed (PochtaStoreChanges *changes,
                                  guint              *n_keys)
{
  g_return_val_if_fail (changes != NULL, NULL);

  return get_keys (changes->removed, n_keys);
}
