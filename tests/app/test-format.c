/* test-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's text formats: list dates (today, this year, older) and
 * address lists shortened to names.
 */

#include "config.h"

#include <locale.h>

#include "pochta-format.h"
#include "pochta-test-util.h"

static void
test_list_date (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 3, 15, 18, 30, 0);
  g_autoptr(GDateTime) today = g_date_time_new (tz, 2026, 3, 15, 9, 5, 0);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, 2026, 3, 15, 0, 0, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new (tz, 2026, 3, 14, 23, 59, 0);
  g_autoptr(GDateTime) this_year = g_date_time_new (tz, 2026, 1, 2, 9, 0, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new (tz, 2025, 12, 31, 23, 0, 0);
  g_autofree char *s1 = pochta_format_list_date (today, now);
  g_autofree char *s2 = pochta_format_list_date (midnight, now);
  g_autofree char *s3 = pochta_format_list_date (yesterday, now);
  g_autofree char *s4 = pochta_format_list_date (this_year, now);
  g_autofree char *s5 = pochta_format_list_date (last_year, now);

  g_test_summary ("Today: the time; this year: day and month; before: the full date");

  /* The test runs in the C locale, where the formats are the untranslated ones. */
  g_assert_cmpstr (s1, ==, "09:05");
  g_assert_cmpstr (s2, ==, "00:00");
  g_assert_cmpstr (s3, ==, "14 Mar");
  g_assert_cmpstr (s4, ==, "2 Jan");
  g_assert_cmpstr (s5, ==, "31 Dec 2025");
}

static void
test_list_date_local (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) now_utc = g_date_time_to_timezone (now, utc);
  g_autofree char *in_utc = pochta_format_list_date (now_utc, now);
  g_autofree char *local = g_date_time_format (now, "%H:%M");

  g_test_summary ("Dates are shown in local time whatever zone they come in");

  g_assert_cmpstr (in_utc, ==, local);
}

static void
test_list_date_unix (void)
{
  g_autofree char *none = pochta_format_list_date_unix (0);
  g_autofree char *old = NULL;

  g_assert_cmpstr (none, ==, "");

  /* 2001-09-09 01:46:40 UTC: another year in any zone. */
  old = pochta_format_list_date_unix (1000000000);
  g_assert_true (g_str_has_suffix (old, " 2001"));
}

static void
test_full_date (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2026, 3, 2, 10, 7, 0);
  g_autofree char *text = pochta_format_full_date (date);

  g_assert_cmpstr (text, ==, "Monday, 2 March 2026, 10:07");
}

static void
test_address_names (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "Me <me@example.org>", "Me" },
    { "\"Doe, Jane\" <jane@example.org>, bob@example.org", "Doe, Jane, bob@example.org" },
    { "<only@example.org>", "only@example.org" },
    { "A <a@x>,B <b@x> , C <c@x>", "A, B, C" },
    { "\"Quote \\\"Q\\\" Person\" <q@x>", "Quote \\\"Q\\\" Person" },
    { "", "" },
    { ",,", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = pochta_format_address_names (cases[i].in);

      g_assert_cmpstr (names, ==, cases[i].out);
    }

  {
    g_autofree char *none = pochta_format_address_names (NULL);

    g_assert_cmpstr (none, ==, "");
  }
}

static void
test_address_list (void)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_address_free);
  g_autofree char *empty = pochta_format_address_list (NULL);
  g_autofree char *text = NULL;

  g_ptr_array_add (list, pochta_address_new ("Jane", "jane@example.org"));
  g_ptr_array_add (list, pochta_address_new (NULL, "bob@example.org"));
  text = pochta_format_address_list (list);

  g_assert_cmpstr (empty, ==, "");
  g_assert_nonnull (strstr (text, "jane@example.org"));
  g_assert_nonnull (strstr (text, "Jane"));
  g_assert_true (g_str_has_suffix (text, ", bob@example.org"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/format/list-date", test_list_date);
  g_test_add_func ("/app/format/list-date-local", test_list_date_local);
  g_test_add_func ("/app/format/list-date-unix", test_list_date_unix);
  g_test_add_func ("/app/format/full-date", test_full_date);
  g_test_add_func ("/app/format/address-names", test_address_names);
  g_test_add_func ("/app/format/address-list", test_address_list);

  return g_test_run ();
}
