/* test-imap-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests ENVELOPE and BODYSTRUCTURE decoding on server-style samples.
 */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "imap-test-response.h"
#include "pochta-imap-body-structure.h"
#include "pochta-imap-decode-private.h"
#include "pochta-imap-envelope.h"
#include "pochta-imap-error.h"
#include "pochta-mime.h"

/* The value after @item in "* 1 FETCH (@item value)". */
static const PochtaImapValue *
fetch_item (const PochtaImapResponse *response,
            const char               *item)
{
  const PochtaImapValue *items = pochta_imap_value_list_get (response->data, 0);

  for (guint i = 0; i + 1 < pochta_imap_value_list_size (items); i += 2)
    if (pochta_imap_value_is_atom (pochta_imap_value_list_get (items, i), item))
      return pochta_imap_value_list_get (items, i + 1);
  g_assert_not_reached ();
  return NULL;
}

static PochtaImapEnvelope *
parse_envelope (const char  *envelope,
                GError     **error)
{
  g_autofree char *line = g_strdup_printf ("* 1 FETCH (ENVELOPE %s)\r\n", envelope);
  g_autoptr(PochtaImapResponse) response = imap_test_parse (line);

  return pochta_imap_envelope_new_from_value (fetch_item (response, "ENVELOPE"), error);
}

static PochtaImapAddress *
address_at (GPtrArray *addresses,
            guint      index)
{
  g_assert_cmpuint (index, <, addresses->len);
  return g_ptr_array_index (addresses, index);
}

static void
test_envelope_rfc3501 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapEnvelope) env =
    parse_envelope ("(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
                    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
                    "NIL NIL \"<B27397-0100000@cac.washington.edu>\")", &error);
  g_autofree char *spec = NULL;
  g_autofree char *display = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (env->subject, ==, "IMAP4rev1 WG mtg summary and minutes");
  g_assert_cmpstr (env->date_raw, ==, "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)");
  g_assert_nonnull (env->date);
  g_assert_cmpint (g_date_time_get_year (env->date), ==, 1996);
  g_assert_cmpint (g_date_time_get_hour (env->date), ==, 2);
  g_assert_cmpint (g_date_time_get_utc_offset (env->date), ==, -7 * G_TIME_SPAN_HOUR);
  g_assert_cmpuint (env->from->len, ==, 1);
  g_assert_cmpstr (address_at (env->from, 0)->name, ==, "Terry Gray");
  spec = pochta_imap_address_get_addr_spec (address_at (env->from, 0));
  g_assert_cmpstr (spec, ==, "gray@cac.washington.edu");
  display = pochta_imap_address_to_string (address_at (env->from, 0));
  g_assert_cmpstr (display, ==, "Terry Gray <gray@cac.washington.edu>");
  g_assert_cmpuint (env->to->len, ==, 1);
  g_assert_null (address_at (env->to, 0)->name);
  g_assert_cmpuint (env->cc->len, ==, 2);
  g_assert_cmpstr (address_at (env->cc, 1)->mailbox, ==, "KLENSIN");
  g_assert_cmpuint (env->bcc->len, ==, 0);
  g_assert_null (env->in_reply_to);
  g_assert_cmpstr (env->message_id, ==, "<B27397-0100000@cac.washington.edu>");
}

typedef struct
{
  const char *path;
  const char *subject;   /* as the server sends it, IMAP-quoted or a literal */
  const char *expected;
} SubjectCase;

static const SubjectCase subject_cases[] = {
  { "/core/imap/envelope/subject/plain", "\"Hello\"", "Hello" },
  { "/core/imap/envelope/subject/rfc2047-b-q",
    "\"=?UTF-8?B?0J/RgNC40LLQtdGC?= =?UTF-8?Q?_=D0=BC=D0=B8=D1=80?=\"", "Привет мир" },
  { "/core/imap/envelope/subject/rfc2047-koi8", "\"Re: =?KOI8-R?B?9MXNwQ==?=\"", "Re: Тема" },
  { "/core/imap/envelope/subject/raw-utf8", "{21}\r\nТема письма", "Тема письма" },
  { "/core/imap/envelope/subject/literal-folded", "{16}\r\na long\r\n subject", "a long subject" },
  { "/core/imap/envelope/subject/empty", "\"\"", "" },
  { "/core/imap/envelope/subject/bad-2047", "\"=?UTF-8?B?!!!?=\"", NULL },
  { "/core/imap/envelope/subject/latin1-8bit", "{4}\r\nCaf\xe9", NULL },
};

static void
test_subject (gconstpointer data)
{
  const SubjectCase *c = data;
  g_autofree char *text = g_strdup_printf ("(NIL %s NIL NIL NIL NIL NIL NIL NIL NIL)", c->subject);
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapEnvelope) env = parse_envelope (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (env->subject);
  g_assert_true (g_utf8_validate (env->subject, -1, NULL));
  if (c->expected != NULL)
    g_assert_cmpstr (env->subject, ==, c->expected);
}

static void
test_envelope_names (void)
{
  g_autoptr(PochtaImapEnvelope) env =
    parse_envelope ("(\"garbage date\" NIL ((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\")) NIL "
                    "((\"Q\" NIL \"john doe\" \"example.org\")) "
                    "((NIL NIL \"root\" \"MISSING_DOMAIN\")(NIL NIL \"MISSING_MAILBOX\" \"example.org\")) "
                    "NIL NIL \" <a@b> <c@d> \" \"<id@x>\")", NULL);
  g_autofree char *quoted = NULL;
  g_autofree char *quoted_display = NULL;
  g_autofree char *bare = NULL;

  g_assert_nonnull (env);
  g_assert_null (env->date);
  g_assert_cmpstr (env->date_raw, ==, "garbage date");
  g_assert_null (env->subject);
  g_assert_cmpstr (address_at (env->from, 0)->name, ==, "André Pirard");
  quoted = pochta_imap_address_get_addr_spec (address_at (env->reply_to, 0));
  g_assert_cmpstr (quoted, ==, "\"john doe\"@example.org");
  quoted_display = pochta_imap_address_to_string (address_at (env->reply_to, 0));
  g_assert_cmpstr (quoted_display, ==, "Q <\"john doe\"@example.org>");
  g_assert_null (address_at (env->to, 0)->host);
  bare = pochta_imap_address_get_addr_spec (address_at (env->to, 0));
  g_assert_cmpstr (bare, ==, "root");
  g_assert_null (address_at (env->to, 1)->mailbox);
  g_assert_null (pochta_imap_address_get_addr_spec (address_at (env->to, 1)));
  g_assert_cmpstr (env->in_reply_to, ==, "<a@b> <c@d>");
}

/* RFC 3501: NIL host marks group syntax. */
static void
test_envelope_groups (void)
{
  g_autoptr(PochtaImapEnvelope) env =
    parse_envelope ("(NIL NIL NIL NIL NIL "
                    "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) "
                    "((NIL NIL \"team\" NIL)(\"A\" NIL \"a\" \"x.org\")(\"B\" NIL \"b\" \"x.org\")(NIL NIL NIL NIL)"
                    "(\"C\" NIL \"c\" \"y.org\")) "
                    "NIL NIL NIL)", NULL);
  g_autoptr(PochtaImapEnvelope) copy = NULL;

  g_assert_nonnull (env);
  g_assert_cmpuint (env->to->len, ==, 0);
  g_assert_cmpuint (env->cc->len, ==, 3);
  g_assert_cmpstr (address_at (env->cc, 0)->group, ==, "team");
  g_assert_cmpstr (address_at (env->cc, 1)->group, ==, "team");
  g_assert_null (address_at (env->cc, 2)->group);

  copy = pochta_imap_envelope_copy (env);
  g_assert_cmpuint (copy->cc->len, ==, 3);
  g_assert_cmpstr (address_at (copy->cc, 0)->group, ==, "team");
}

static void
test_envelope_all_nil (void)
{
  g_autoptr(PochtaImapEnvelope) env = parse_envelope ("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", NULL);

  g_assert_nonnull (env);
  g_assert_null (env->date);
  g_assert_null (env->subject);
  g_assert_null (env->message_id);
  g_assert_cmpuint (env->from->len + env->sender->len + env->reply_to->len, ==, 0);
  g_assert_cmpuint (env->to->len + env->cc->len + env->bcc->len, ==, 0);
}

typedef struct
{
  const char *path;
  const char *envelope;
} BadCase;

static const BadCase bad_envelopes[] = {
  { "/core/imap/envelope/bad/nil", "NIL" },
  { "/core/imap/envelope/bad/atom", "FOO" },
  { "/core/imap/envelope/bad/empty", "()" },
  { "/core/imap/envelope/bad/nine-fields", "(NIL NIL NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/address-list-string", "(NIL NIL \"x\" NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/address-not-list", "(NIL NIL (\"x\") NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/address-short", "(NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/address-field-list", "(NIL NIL ((NIL NIL (\"a\") \"b\")) NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/subject-list", "(NIL (\"s\") NIL NIL NIL NIL NIL NIL NIL NIL)" },
  { "/core/imap/envelope/bad/message-id-list", "(NIL NIL NIL NIL NIL NIL NIL NIL NIL ())" },
  /* From, Sender and Reply-To equal (so shared), then a bad To: each
   * list is freed once (a double unref aborted here). */
  { "/core/imap/envelope/bad/after-shared-lists",
    "(NIL NIL ((\"A\" NIL \"a\" \"x\")) ((\"A\" NIL \"a\" \"x\")) ((\"A\" NIL \"a\" \"x\"))"
    " ((NIL NIL \"b\")) NIL NIL NIL NIL)" },
};

static void
test_envelope_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapEnvelope) env = parse_envelope (c->envelope, &error);

  g_assert_null (env);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
}

/* In test-imap-body-structure.c, linked into this program. */
void add_body_structure_tests (void);

/* Header text decoded directly must read exactly as GMime decodes it;
 * what the direct path is unsure of goes to GMime anyway. */
static const char * const header_texts[] = {
  "", "   ", "plain words", "  padded \t ", "caf\xc3\xa9 au lait", "\xe9t\xe9 (latin-1)",
  "=?utf-8?B?5pyN5Yqh5Zmo57u05oqk6YCa55+l?=", "=?UTF-8?b?w6k=?=", "=?utf-8?Q?caf=C3=A9_au_lait?=",
  "Re: =?utf-8?q?caf=C3=A9?= today", "=?utf-8?q?a?= =?utf-8?q?b?=", "=?utf-8?q?a?=\t =?utf-8?q?b?=",
  "=?utf-8?q?a?= b =?utf-8?q?c?=", "=?iso-8859-1?q?caf=E9?= =?iso-8859-1?q?_bar?=",
  "=?koi8-r?B?8NLJ18XU?=", "=?windows-1252?Q?=93quoted=94?=", "=?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=",
  "=?gb2312?B?xOO6ww==?=", "=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=", "=?us-ascii?q?hello?=",
  "=?utf-8?q?a?= =?iso-8859-1?q?=E9?=", "x=?utf-8?q?a?=", "=?utf-8?q?a?=x", "=?utf-8?B?w6?=",
  "=?utf-8?B?=w6k?=", "=?utf-8?B?////?=", "=?utf-8?q?a=0Ab?=", "=?utf-8?q?=ZZ?=", "=?utf-8*en?q?x?=",
  "=?unknown-charset?q?x?=", "=?utf-8?x?x?=", "=?" "?q?a?=", "=?utf-8?q?" "?=", "=?", "?=", "a\r\n b",
  "=?utf-8?q?folded?=\r\n =?utf-8?q?_words?=", "=?windows-1252?q?=81?=",
};

static void
test_header_text_matches_gmime (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_texts); i++)
    {
      g_autofree char *direct = _pochta_imap_decode_header_text (header_texts[i]);
      g_autofree char *gmime = _pochta_imap_decode_header_text_gmime (header_texts[i]);

      g_assert_cmpstr (direct, ==, gmime);
    }
}

/* Where GMime garbles a character split across two encoded words (which
 * senders do, RFC 2047 notwithstanding), the direct path joins the bytes. */
static void
test_header_text_split_character (void)
{
  g_autofree char *euro = _pochta_imap_decode_header_text ("=?utf-8?B?4oI=?= =?utf-8?B?rA==?=");
  g_autofree char *q = _pochta_imap_decode_header_text ("=?utf-8?q?=E2=82?= =?utf-8?q?=AC?=");

  g_assert_cmpstr (euro, ==, "€");
  g_assert_cmpstr (q, ==, "€");
}

static void
test_date_matches_gmime (void)
{
  static const char * const dates[] = {
    "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)", "17 Jul 1996 02:23:25 -0700", "Fri, 1 Nov 2024 09:36:02 +0800",
    "mon, 01 jan 2024 00:00:00 -0000", "Mon, 01 Jan 2024 00:00:00 +0530", "Mon, 01 Jan 2024 00:00:00 +1400",
    "Wed, 31 Feb 2020 02:23:25 +0100", "Mon, 01 Jan 1969 00:00:00 +0100", "Mon, 01 Jan 2024 24:00:00 +0100",
    "Mon, 01 Jan 2024 00:00:00 GMT", "Mon, 01 Jan 2024 00:00:00 +0100 (CET) x", "Xyz, 01 Jan 2024 00:00:00 +0100",
    "Thu, 29 Feb 2024 23:59:59 -1130", "Thu, 29 Feb 2023 10:00:00 +0000", "Tue, 29 Feb 2000 10:00:00 +0000",
    "Sat, 31 Dec 2099 23:59:59 +0000", "  Mon, 01 Jan 2024 00:00:00 +0100  ", "",
  };

  pochta_mime_ensure_init ();
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(GDateTime) direct = _pochta_imap_decode_date (dates[i]);
      g_autoptr(GDateTime) gmime = g_mime_utils_header_decode_date (dates[i]);
      g_autofree char *a = direct ? g_date_time_format (direct, "%F %T %z %Z") : NULL;
      g_autofree char *b = gmime ? g_date_time_format (gmime, "%F %T %z %Z") : NULL;

      gint64 unix_time = -1;

      g_assert_cmpstr (a, ==, b);
      /* The header sync's way, without a GDateTime: what the envelope
       * makes of the field, which is trimmed first. */
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (dates[i]));
        g_autoptr(GDateTime) enveloped = trimmed[0] != '\0' ? _pochta_imap_decode_date (trimmed) : NULL;

        g_assert_cmpint (pochta_imap_envelope_date_to_unix (dates[i], &unix_time), ==, enveloped != NULL);
        if (enveloped != NULL)
          g_assert_cmpint (unix_time, ==, g_date_time_to_unix (enveloped));
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/imap/envelope/rfc3501", test_envelope_rfc3501);
  g_test_add_func ("/core/imap/envelope/header-text-matches-gmime", test_header_text_matches_gmime);
  g_test_add_func ("/core/imap/envelope/header-text-split-character", test_header_text_split_character);
  g_test_add_func ("/core/imap/envelope/date-matches-gmime", test_date_matches_gmime);
  for (guint i = 0; i < G_N_ELEMENTS (subject_cases); i++)
    g_test_add_data_func (subject_cases[i].path, &subject_cases[i], test_subject);
  g_test_add_func ("/core/imap/envelope/names", test_envelope_names);
  g_test_add_func ("/core/imap/envelope/groups", test_envelope_groups);
  g_test_add_func ("/core/imap/envelope/all-nil", test_envelope_all_nil);
  for (guint i = 0; i < G_N_ELEMENTS (bad_envelopes); i++)
    g_test_add_data_func (bad_envelopes[i].path, &bad_envelopes[i], test_envelope_bad);
  add_body_structure_tests ();

  return g_test_run ();
}
