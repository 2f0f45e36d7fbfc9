/* test-imap-sequence-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests sequence set parsing, compression, iteration and limits.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pochta-imap-error.h"
#include "pochta-imap-sequence-set.h"

typedef struct
{
  const char *path;
  const char *text;
  guint32     star;
  const char *printed;   /* to_string after parsing */
  guint64     count;
  guint32     min;
  guint32     max;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "/core/imap/sequence-set/parse/single", "5", 0, "5", 1, 5, 5 },
  { "/core/imap/sequence-set/parse/range", "1:3", 0, "1:3", 3, 1, 3 },
  { "/core/imap/sequence-set/parse/mixed", "1:3,5,7:9", 0, "1:3,5,7:9", 7, 1, 9 },
  { "/core/imap/sequence-set/parse/star", "1:3,5,7:*", 10, "1:3,5,7:10", 8, 1, 10 },
  { "/core/imap/sequence-set/parse/star-alone", "*", 42, "42", 1, 42, 42 },
  { "/core/imap/sequence-set/parse/reversed", "9:7", 0, "7:9", 3, 7, 9 },
  { "/core/imap/sequence-set/parse/star-below", "*:5", 3, "3:5", 3, 3, 5 },
  { "/core/imap/sequence-set/parse/unsorted", "10,2,5:6", 0, "10,2,5:6", 4, 2, 10 },
  { "/core/imap/sequence-set/parse/max-uid", "4294967294:4294967295", 0, "4294967294:4294967295", 2,
    4294967294u, 4294967295u },
  { "/core/imap/sequence-set/parse/same", "4:4", 0, "4", 1, 4, 4 },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse (c->text, c->star, 0, &error);
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (set);
  printed = pochta_imap_sequence_set_to_string (set);
  g_assert_cmpstr (printed, ==, c->printed);
  g_assert_cmpuint (pochta_imap_sequence_set_count (set), ==, c->count);
  g_assert_cmpuint (pochta_imap_sequence_set_get_min (set), ==, c->min);
  g_assert_cmpuint (pochta_imap_sequence_set_get_max (set), ==, c->max);
  g_assert_true (pochta_imap_sequence_set_contains (set, c->min));
  g_assert_true (pochta_imap_sequence_set_contains (set, c->max));
  if (c->max < G_MAXUINT32)
    g_assert_false (pochta_imap_sequence_set_contains (set, c->max + 1));
}

typedef struct
{
  const char *path;
  const char *text;
  guint32     star;
  guint       max_ranges;
  int         code;
} BadCase;

static const BadCase bad_cases[] = {
  { "/core/imap/sequence-set/bad/empty", "", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/zero", "0", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/zero-range", "0:5", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/leading-zero", "05", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/overflow", "4294967296", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/huge", "99999999999999999999999", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/star-not-allowed", "1:*", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/trailing-comma", "1,2,", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/leading-comma", ",1", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/double-colon", "1::3", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/triple", "1:2:3", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/space", "1, 2", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/letters", "1:a", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/negative", "-1", 0, 0, POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/sequence-set/bad/too-many-ranges", "1,3,5,7,9", 0, 4, POCHTA_IMAP_ERROR_LIMIT },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse (c->text, c->star, c->max_ranges, &error);

  g_assert_null (set);
  g_assert_error (error, POCHTA_IMAP_ERROR, c->code);
}

typedef struct
{
  const char    *path;
  const guint32 *uids;
  gsize          n_uids;
  const char    *expected;
} CompressCase;

static const guint32 uids_sorted[] = { 1, 2, 3, 5, 7, 8, 9 };
static const guint32 uids_unsorted[] = { 9, 1, 8, 3, 2, 7, 5 };
static const guint32 uids_dups[] = { 4, 4, 4, 5, 5, 6 };
static const guint32 uids_single[] = { 42 };
static const guint32 uids_gaps[] = { 1, 3, 5, 7 };
static const guint32 uids_edge[] = { 4294967295u, 4294967294u, 1 };
static const guint32 uids_zero[] = { 0, 2, 0, 3 };

static const CompressCase compress_cases[] = {
  { "/core/imap/sequence-set/compress/sorted", uids_sorted, G_N_ELEMENTS (uids_sorted), "1:3,5,7:9" },
  { "/core/imap/sequence-set/compress/unsorted", uids_unsorted, G_N_ELEMENTS (uids_unsorted), "1:3,5,7:9" },
  { "/core/imap/sequence-set/compress/duplicates", uids_dups, G_N_ELEMENTS (uids_dups), "4:6" },
  { "/core/imap/sequence-set/compress/single", uids_single, 1, "42" },
  { "/core/imap/sequence-set/compress/gaps", uids_gaps, G_N_ELEMENTS (uids_gaps), "1,3,5,7" },
  { "/core/imap/sequence-set/compress/edge", uids_edge, G_N_ELEMENTS (uids_edge), "1,4294967294:4294967295" },
  { "/core/imap/sequence-set/compress/zeros-skipped", uids_zero, G_N_ELEMENTS (uids_zero), "2:3" },
  { "/core/imap/sequence-set/compress/empty", NULL, 0, "" },
};

static void
test_compress (gconstpointer data)
{
  const CompressCase *c = data;
  g_autofree char *text = pochta_imap_sequence_set_compress (c->uids, c->n_uids);

  g_assert_cmpstr (text, ==, c->expected);
}

/* COPYUID pairs source and destination UIDs by position, so iteration
 * follows the server's order, not numeric order. */
static void
test_iterate_order (void)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse ("5,1:2,4294967295", 0, 0, NULL);
  static const guint32 expected[] = { 5, 1, 2, 4294967295u };
  PochtaImapSequenceSetIter iter;
  guint32 uid;
  guint i = 0;
  g_autoptr(GArray) array = NULL;

  pochta_imap_sequence_set_iter_init (&iter, set);
  while (pochta_imap_sequence_set_iter_next (&iter, &uid))
    {
      g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
      g_assert_cmpuint (uid, ==, expected[i++]);
    }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));
  g_assert_false (pochta_imap_sequence_set_iter_next (&iter, &uid));

  array = pochta_imap_sequence_set_to_array (set, 10, NULL);
  g_assert_cmpuint (array->len, ==, 4);
  g_assert_cmpuint (g_array_index (array, guint32, 0), ==, 5);
}

static void
test_normalize (void)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse ("10:12,1,3:5,2,11:20", 0, 0, NULL);
  g_autofree char *text = NULL;

  pochta_imap_sequence_set_normalize (set);
  text = pochta_imap_sequence_set_to_string (set);
  g_assert_cmpstr (text, ==, "1:5,10:20");
  g_assert_cmpuint (pochta_imap_sequence_set_count (set), ==, 16);
  g_assert_cmpuint (pochta_imap_sequence_set_get_n_ranges (set), ==, 2);
}

static void
test_add (void)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_new ();
  g_autofree char *text = NULL;
  guint32 first, last;

  g_assert_true (pochta_imap_sequence_set_is_empty (set));
  for (guint32 uid = 100; uid <= 200; uid++)
    pochta_imap_sequence_set_add (set, uid);
  pochta_imap_sequence_set_add_range (set, 300, 250);
  pochta_imap_sequence_set_add (set, 301);
  text = pochta_imap_sequence_set_to_string (set);
  g_assert_cmpstr (text, ==, "100:200,250:301");
  pochta_imap_sequence_set_get_range (set, 1, &first, &last);
  g_assert_cmpuint (first, ==, 250);
  g_assert_cmpuint (last, ==, 301);
  g_assert_false (pochta_imap_sequence_set_contains (set, 201));
  g_assert_true (pochta_imap_sequence_set_contains (set, 275));
}

/* Membership is the same whether the ranges came in order (bisected) or
 * not (scanned), and after normalizing. */
static void
test_contains_any_order (void)
{
  static const guint32 members[] = { 1, 3, 5, 10, 11, 12, 40, 4294967295u };
  static const guint32 others[] = { 2, 4, 6, 9, 13, 39, 41, 4294967294u };
  g_autoptr(PochtaImapSequenceSet) unordered = pochta_imap_sequence_set_new ();
  g_autoptr(PochtaImapSequenceSet) parsed = NULL;
  g_autoptr(GError) error = NULL;
  PochtaImapSequenceSet *sets[3];

  pochta_imap_sequence_set_add (unordered, 40);
  pochta_imap_sequence_set_add (unordered, 4294967295u);
  pochta_imap_sequence_set_add_range (unordered, 10, 12);
  pochta_imap_sequence_set_add (unordered, 5);
  pochta_imap_sequence_set_add (unordered, 1);
  pochta_imap_sequence_set_add (unordered, 3);
  parsed = pochta_imap_sequence_set_parse ("1,3,5,10:12,40,*", G_MAXUINT32, 0, &error);
  g_assert_no_error (error);

  sets[0] = unordered;
  sets[1] = parsed;
  sets[2] = pochta_imap_sequence_set_copy (unordered);
  pochta_imap_sequence_set_normalize (sets[2]);

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    for (guint i = 0; i < G_N_ELEMENTS (members); i++)
      {
        g_assert_true (pochta_imap_sequence_set_contains (sets[s], members[i]));
        g_assert_false (pochta_imap_sequence_set_contains (sets[s], others[i]));
      }

  pochta_imap_sequence_set_free (sets[2]);
}

/* A hostile "1:4294967295" must not be expanded into memory. */
static void
test_to_array_limit (void)
{
  g_autoptr(PochtaImapSequenceSet) set = pochta_imap_sequence_set_parse ("1:4294967295", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) array = pochta_imap_sequence_set_to_array (set, 100000, &error);

  g_assert_null (array);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  g_assert_cmpuint (pochta_imap_sequence_set_count (set), ==, 4294967295u);
}

static void
test_split (void)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(PochtaImapSequenceSet) set = NULL;
  g_auto(GStrv) pieces = NULL;
  guint64 total = 0;

  for (guint32 uid = 1; uid < 20000; uid += 2)
    g_array_append_val (uids, uid);
  set = pochta_imap_sequence_set_new_from_uids ((guint32 *) uids->data, uids->len);
  pieces = pochta_imap_sequence_set_to_strings (set, 1000);
  g_assert_cmpuint (g_strv_length (pieces), >, 1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autoptr(PochtaImapSequenceSet) piece = pochta_imap_sequence_set_parse (pieces[i], 0, 0, NULL);

      g_assert_cmpuint (strlen (pieces[i]), <=, 1000);
      g_assert_nonnull (piece);
      total += pochta_imap_sequence_set_count (piece);
    }
  g_assert_cmpuint (total, ==, uids->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    g_test_add_data_func (parse_cases[i].path, &parse_cases[i], test_parse);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  for (guint i = 0; i < G_N_ELEMENTS (compress_cases); i++)
    g_test_add_data_func (compress_cases[i].path, &compress_cases[i], test_compress);
  g_test_add_func ("/core/imap/sequence-set/iterate-order", test_iterate_order);
  g_test_add_func ("/core/imap/sequence-set/normalize", test_normalize);
  g_test_add_func ("/core/imap/sequence-set/add", test_add);
  g_test_add_func ("/core/imap/sequence-set/contains-any-order", test_contains_any_order);
  g_test_add_func ("/core/imap/sequence-set/to-array-limit", test_to_array_limit);
  g_test_add_func ("/core/imap/sequence-set/split", test_split);

  return g_test_run ();
}
