/* pochta-imap-sequence-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IMAP sequence sets ("1:3,5,7:*"): parse, build from UIDs, print compressed.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pochta-imap-error.h"
#include "pochta-imap-sequence-set.h"

/* "4294967295:4294967294" plus the comma. */
#define MAX_RANGE_TEXT 22

typedef struct
{
  guint32 first;
  guint32 last;
} Range;

/* Ranges stay in the order they were given: COPYUID and APPENDUID pair the
 * n-th source UID with the n-th destination UID (RFC 4315 section 3), so a
 * parsed set must not be reordered unless the caller asks for it. */
struct _PochtaImapSequenceSet
{
  GArray   *ranges;
  /* Ranges ascending and disjoint (built in order, or normalized): a
   * lookup can then bisect, which routing every FETCH answer relies on. */
  gboolean  sorted;
};

static void
set_append_range (PochtaImapSequenceSet *self,
                  const Range           *r)
{
  if (self->ranges->len > 0 &&
      r->first <= g_array_index (self->ranges, Range, self->ranges->len - 1).last)
    self->sorted = FALSE;
  g_array_append_val (self->ranges, *r);
}

PochtaImapSequenceSet *
pochta_imap_sequence_set_new (void)
{
  PochtaImapSequenceSet *self = g_new0 (PochtaImapSequenceSet, 1);

  self->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  self->sorted = TRUE;
  return self;
}

void
pochta_imap_sequence_set_free (PochtaImapSequenceSet *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->ranges);
  g_free (self);
}

PochtaImapSequenceSet *
pochta_imap_sequence_set_copy (const PochtaImapSequenceSet *self)
{
  PochtaImapSequenceSet *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pochta_imap_sequence_set_new ();
  g_array_append_vals (copy->ranges, self->ranges->data, self->ranges->len);
  copy->sorted = self->sorted;
  return copy;
}

void
pochta_imap_sequence_set_add_range (PochtaImapSequenceSet *self,
                                    guint32                first,
                                    guint32                last)
{
  Range r;

  g_return_if_fail (self != NULL);
  g_return_if_fail (first > 0 && last > 0);

  r.first = MIN (first, last);
  r.last = MAX (first, last);

  /* Appending in ascending order is the common case: extend in place so a
   * set built one UID at a time is already compressed. */
  if (self->ranges->len > 0)
    {
      Range *tail = &g_array_index (self->ranges, Range, self->ranges->len - 1);

      if (r.first >= tail->first && (guint64) r.first <= (guint64) tail->last + 1)
        {
          tail->last = MAX (tail->last, r.last);
          return;
        }
    }
  set_append_range (self, &r);
}

void
pochta_imap_sequence_set_add (PochtaImapSequenceSet *self,
                              guint32                uid)
{
  pochta_imap_sequence_set_add_range (self, uid, uid);
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const Range *ra = a;
  const Range *rb = b;

  if (ra->first != rb->first)
    return ra->first < rb->first ? -1 : 1;
  if (ra->last != rb->last)
    return ra->last < rb->last ? -1 : 1;
  return 0;
}

/* Sorts the ranges and merges overlapping or adjacent ones. */
void
pochta_imap_sequence_set_normalize (PochtaImapSequenceSet *self)
{
  guint out = 0;

  g_return_if_fail (self != NULL);

  self->sorted = TRUE;
  if (self->ranges->len < 2)
    return;

  g_array_sort (self->ranges, compare_ranges);
  for (guint i = 1; i < self->ranges->len; i++)
    {
      Range *cur = &g_array_index (self->ranges, Range, out);
      const Range *r = &g_array_index (self->ranges, Range, i);

      if ((guint64) r->first <= (guint64) cur->last + 1)
        cur->last = MAX (cur->last, r->last);
      else
        g_array_index (self->ranges, Range, ++out) = *r;
    }
  g_array_set_size (self->ranges, out + 1);
}

static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  guint32 ua = *(const guint32 *) a;
  guint32 ub = *(const guint32 *) b;

  return ua < ub ? -1 : ua > ub;
}

/**
 * pochta_imap_sequence_set_new_from_uids:
 * @uids: UIDs in any order, duplicates allowed; zeros are skipped
 * @n_uids: how many
 *
 * Returns: (transfer full): the smallest set of ranges covering @uids
 */
PochtaImapSequenceSet *
pochta_imap_sequence_set_new_from_uids (const guint32 *uids,
                                        gsize          n_uids)
{
  PochtaImapSequenceSet *self;
  g_autofree guint32 *sorted = NULL;

  g_return_val_if_fail (uids != NULL || n_uids == 0, NULL);

  self = pochta_imap_sequence_set_new ();
  if (n_uids == 0)
    return self;

  sorted = g_memdup2 (uids, n_uids * sizeof (guint32));
  qsort (sorted, n_uids, sizeof (guint32), compare_uids);
  for (gsize i = 0; i < n_uids; i++)
    if (sorted[i] != 0)
      pochta_imap_sequence_set_add (self, sorted[i]);

  return self;
}

char *
pochta_imap_sequence_set_compress (const guint32 *uids,
                                   gsize          n_uids)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new_from_uids (uids, n_uids);

  return pochta_imap_sequence_set_to_string (set);
}

static gboolean
parse_number (const char **pp,
              guint32      star,
              guint32     *out)
{
  const char *p = *pp;
  guint64 n = 0;

  if (*p == '*')
    {
      if (star == 0)
        return FALSE;
      *out = star;
      *pp = p + 1;
      return TRUE;
    }

  /* nz-number: no zero, no leading zeros, at most 2^32-1 (RFC 3501 9). */
  if (*p < '1' || *p > '9')
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      n = n * 10 + (guint64) (*p - '0');
      if (n > G_MAXUINT32)
        return FALSE;
    }

  *out = (guint32) n;
  *pp = p;
  return TRUE;
}

/**
 * pochta_imap_sequence_set_parse:
 * @text: a sequence set as the server sent it
 * @star: what "*" stands for (the largest UID or sequence number), or 0 if
 *   "*" is not allowed here (COPYUID, VANISHED, ESEARCH results)
 * @max_ranges: the most ranges accepted, 0 for the default
 * @error: set on malformed input or when over the limit
 *
 * The ranges keep their order in @text (see pochta_imap_sequence_set_normalize()).
 *
 * Returns: (transfer full) (nullable): the set, or %NULL with @error set
 */
PochtaImapSequenceSet *
pochta_imap_sequence_set_parse (const char  *text,
                                guint32      star,
                                guint        max_ranges,
                                GError     **error)
{
  g_autoptr(PochtaImapSequenceSet) self = NULL;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_ranges == 0)
    max_ranges = POCHTA_IMAP_SEQUENCE_SET_DEFAULT_MAX_RANGES;

  self = pochta_imap_sequence_set_new ();
  p = text;
  for (;;)
    {
      Range r;

      if (!parse_number (&p, star, &r.first))
        goto malformed;
      r.last = r.first;
      if (*p == ':')
        {
          p++;
          if (!parse_number (&p, star, &r.last))
            goto malformed;
        }
      if (r.first > r.last)
        {
          guint32 tmp = r.first;

          r.first = r.last;
          r.last = tmp;
        }

      if (self->ranges->len >= max_ranges)
        {
          g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT,
                       _("The server sent a sequence set of more than %u ranges"), max_ranges);
          return NULL;
        }
      set_append_range (self, &r);

      if (*p == '\0')
        break;
      if (*p != ',')
        goto malformed;
      p++;
    }

  return g_steal_pointer (&self);

malformed:
  g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE,
               _("Malformed sequence set “%.64s”"), text);
  return NULL;
}

gboolean
pochta_imap_sequence_set_is_empty (const PochtaImapSequenceSet *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->ranges->len == 0;
}

/* The number of values iteration yields (overlaps count twice unless normalized). */
guint64
pochta_imap_sequence_set_count (const PochtaImapSequenceSet *self)
{
  guint64 count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *r = &g_array_index (self->ranges, Range, i);

      count += (guint64) r->last - r->first + 1;
    }
  return count;
}

gboolean
pochta_imap_sequence_set_contains (const PochtaImapSequenceSet *self,
                                   guint32                      uid)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->sorted)
    {
      guint lo = 0;
      guint hi = self->ranges->len;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          const Range *r = &g_array_index (self->ranges, Range, mid);

          if (uid < r->first)
            hi = mid;
          else if (uid > r->last)
            lo = mid + 1;
          else
            return TRUE;
        }
      return FALSE;
    }

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *r = &g_array_index (self->ranges, Range, i);

      if (uid >= r->first && uid <= r->last)
        return TRUE;
    }
  return FALSE;
}

guint32
pochta_imap_sequence_set_get_min (const PochtaImapSequenceSet *self)
{
  guint32 min = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *r = &g_array_index (self->ranges, Range, i);

      if (min == 0 || r->first < min)
        min = r->first;
    }
  return min;
}

guint32
pochta_imap_sequence_set_get_max (const PochtaImapSequenceSet *self)
{
  guint32 max = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->ranges->len; i++)
    max = MAX (max, g_array_index (self->ranges, Range, i).last);
  return max;
}

guint
pochta_imap_sequence_set_get_n_ranges (const PochtaImapSequenceSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->ranges->len;
}

void
pochta_imap_sequence_set_get_range (const PochtaImapSequenceSet *self,
                                    guint                        index,
                                    guint32                     *first,
                                    guint32                     *last)
{
  const Range *r;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->ranges->len);

  r = &g_array_index (self->ranges, Range, index);
  if (first != NULL)
    *first = r->first;
  if (last != NULL)
    *last = r->last;
}

/**
 * pochta_imap_sequence_set_to_array:
 * @self: a set
 * @max_count: the most values to expand, so "1:4294967295" from a server
 *   cannot allocate 16 GiB
 * @error: set with %POCHTA_IMAP_ERROR_LIMIT over @max_count
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the values in iteration order
 */
GArray *
pochta_imap_sequence_set_to_array (const PochtaImapSequenceSet  *self,
                                   gsize                         max_count,
                                   GError                      **error)
{
  g_autoptr(GArray) array = NULL;
  PochtaImapSequenceSetIter iter;
  guint64 count;
  guint32 uid;

  g_return_val_if_fail (self != NULL, NULL);

  count = pochta_imap_sequence_set_count (self);
  if (count > max_count)
    {
      g_set_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT,
                   _("A sequence set of %llu values is over the limit of %zu"),
                   (unsigned long long) count, max_count);
      return NULL;
    }

  array = g_array_sized_new (FALSE, FALSE, sizeof (guint32), (guint) MIN (count, 65536));
  pochta_imap_sequence_set_iter_init (&iter, self);
  while (pochta_imap_sequence_set_iter_next (&iter, &uid))
    g_array_append_val (array, uid);
  return g_steal_pointer (&array);
}

static void
append_range (GString     *out,
              const Range *r)
{
  if (out->len > 0)
    g_string_append_c (out, ',');
  if (r->first == r->last)
    g_string_append_printf (out, "%u", r->first);
  else
    g_string_append_printf (out, "%u:%u", r->first, r->last);
}

char *
pochta_imap_sequence_set_to_string (const PochtaImapSequenceSet *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->ranges->len; i++)
    append_range (out, &g_array_index (self->ranges, Range, i));
  return g_string_free (out, FALSE);
}

/**
 * pochta_imap_sequence_set_to_strings:
 * @self: a set
 * @max_length: the longest string wanted (servers cap command lines, often
 *   at 8 KiB); at least 22
 *
 * Splits the set into pieces for several commands, keeping ranges whole.
 *
 * Returns: (transfer full): %NULL-terminated pieces, empty for an empty set
 */
char **
pochta_imap_sequence_set_to_strings (const PochtaImapSequenceSet *self,
                                     gsize                        max_length)
{
  g_autoptr(GPtrArray) pieces = NULL;
  g_autoptr(GString) current = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (max_length >= MAX_RANGE_TEXT, NULL);

  pieces = g_ptr_array_new_with_free_func (g_free);
  current = g_string_new (NULL);
  for (guint i = 0; i < self->ranges->len; i++)
    {
      if (current->len + MAX_RANGE_TEXT > max_length)
        {
          g_ptr_array_add (pieces, g_string_free (g_steal_pointer (&current), FALSE));
          current = g_string_new (NULL);
        }
      append_range (current, &g_array_index (self->ranges, Range, i));
    }
  if (current->len > 0)
    g_ptr_array_add (pieces, g_string_free (g_steal_pointer (&current), FALSE));
  g_ptr_array_add (pieces, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&pieces), FALSE);
}

void
pochta_imap_sequence_set_iter_init (PochtaImapSequenceSetIter   *iter,
                                    const PochtaImapSequenceSet *self)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (self != NULL);

  iter->set = self;
  iter->range = 0;
  iter->done = self->ranges->len == 0;
  iter->next = iter->done ? 0 : g_array_index (self->ranges, Range, 0).first;
}

gboolean
pochta_imap_sequence_set_iter_next (PochtaImapSequenceSetIter *iter,
                                    guint32                   *uid)
{
  const Range *r;

  g_return_val_if_fail (iter != NULL, FALSE);

  if (iter->done)
    return FALSE;

  r = &g_array_index (iter->set->ranges, Range, iter->range);
  if (uid != NULL)
    *uid = iter->next;

  /* Compared before incrementing: a range ending at G_MAXUINT32 must not wrap. */
  if (iter->next == r->last)
    {
      iter->range++;
      if (iter->range >= iter->set->ranges->len)
        iter->done = TRUE;
      else
        iter->next = g_array_index (iter->set->ranges, Range, iter->range).first;
    }
  else
    iter->next++;

  return TRUE;
}
