/* test-message-parser-cases.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table tests of PochtaMessageParser: header decoding, dates, limits,
 * preview and index text, cid: parts and content streams.
 */

#include "config.h"

#include <string.h>

#include "pochta-test-util.h"

void add_case_tests (void);

static PochtaAddress *
address_at (GPtrArray *list,
            guint      i)
{
  g_assert_cmpuint (list->len, >, i);
  return g_ptr_array_index (list, i);
}

static PochtaMessagePart *
attachment_at (PochtaMessage *msg,
               guint          i)
{
  GPtrArray *attachments = pochta_message_get_attachments (msg);

  g_assert_cmpuint (attachments->len, >, i);
  return g_ptr_array_index (attachments, i);
}

static PochtaMessage *
parse_with (PochtaMessageParser *parser,
            const char          *data,
            gsize                len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  PochtaMessage *msg = pochta_message_parser_parse_bytes (parser, bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

static PochtaMessage *
parse_text (const char *data)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();

  return parse_with (parser, data, strlen (data));
}

typedef struct
{
  const char *path;
  const char *header;
  const char *subject;
  const char *from_name;
  const char *from_address;
} HeaderCase;

static const HeaderCase header_cases[] = {
  { "/core/mime/parser/header/plain", "Subject: Hello\nFrom: Anna <a@example.com>",
    "Hello", "Anna", "a@example.com" },
  { "/core/mime/parser/header/b-word", "Subject: =?utf-8?B?0J/RgNC40LLQtdGC?=\nFrom: a@example.com",
    "Привет", NULL, "a@example.com" },
  { "/core/mime/parser/header/split-character",
    "Subject: =?utf-8?B?0J/R?= =?utf-8?B?gNC40LLQtdGC?=\nFrom: a@example.com",
    "Привет", NULL, "a@example.com" },
  { "/core/mime/parser/header/mixed-charsets",
    "Subject: =?koi8-r?B?8NLJ18XU?= =?iso-8859-1?Q?caf=E9?= ok\nFrom: a@example.com",
    "Приветcafé ok", NULL, "a@example.com" },
  { "/core/mime/parser/header/glued", "Subject: Re:=?utf-8?Q?caf=C3=A9?=\nFrom: a@example.com",
    "Re:café", NULL, "a@example.com" },
  { "/core/mime/parser/header/q-underscore", "Subject: =?UTF-8?q?hello_world?=\nFrom: a@example.com",
    "hello world", NULL, "a@example.com" },
  { "/core/mime/parser/header/quoted-word",
    "Subject: x\nFrom: \"=?utf-8?B?0JzQsNGA0LjRjw==?=\" <m@example.org>",
    "x", "Мария", "m@example.org" },
  { "/core/mime/parser/header/quoted-comma", "Subject: x\nFrom: \"Smith, John\" <j@example.com>",
    "x", "Smith, John", "j@example.com" },
  { "/core/mime/parser/header/folded",
    "Subject: a long\n  folded\tsubject\nFrom: a@example.com", "a long  folded subject",
    NULL, "a@example.com" },
  { "/core/mime/parser/header/no-domain", "Subject: x\nFrom: MAILER-DAEMON", "x", NULL, "MAILER-DAEMON" },
  { "/core/mime/parser/header/raw-latin1", "Subject: caf\xe9\nFrom: Ren\xe9 <r@example.com>",
    "café", "René", "r@example.com" },
};

static void
test_header (gconstpointer data)
{
  const HeaderCase *c = data;
  g_autofree char *text = g_strdup_printf ("%s\nDate: Mon, 03 Mar 2025 09:15:00 +0100\n\nbody\n",
                                           c->header);
  g_autoptr(PochtaMessage) msg = parse_text (text);
  PochtaAddress *from;

  g_assert_cmpstr (pochta_message_get_subject (msg), ==, c->subject);
  g_assert_cmpuint (pochta_message_get_from (msg)->len, ==, 1);
  from = g_ptr_array_index (pochta_message_get_from (msg), 0);
  g_assert_cmpstr (from->name, ==, c->from_name);
  g_assert_cmpstr (from->address, ==, c->from_address);
}

static void
test_address_lists (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (
    "From: a@example.com\nTo: One <1@example.com>, 2@example.com,\n \"Three\" <3@example.com>\n"
    "Cc: friends: x@example.com, y@example.com;, undisclosed-recipients:;\n"
    "Reply-To: <r@example.com>\nSender: s@example.com\nBcc: b@example.com\n\nbody\n");
  GPtrArray *to = pochta_message_get_to (msg);
  GPtrArray *cc = pochta_message_get_cc (msg);
  g_autofree char *shown = pochta_address_to_string (g_ptr_array_index (to, 0));

  g_assert_cmpuint (to->len, ==, 3);
  g_assert_cmpstr (((PochtaAddress *) to->pdata[2])->name, ==, "Three");
  g_assert_cmpstr (shown, ==, "One <1@example.com>");
  g_assert_cmpuint (cc->len, ==, 2);
  g_assert_cmpstr (((PochtaAddress *) cc->pdata[1])->address, ==, "y@example.com");
  g_assert_cmpuint (pochta_message_get_reply_to (msg)->len, ==, 1);
  g_assert_cmpuint (pochta_message_get_sender (msg)->len, ==, 1);
  g_assert_cmpuint (pochta_message_get_bcc (msg)->len, ==, 1);
}

static void
test_message_ids (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (
    "From: a@example.com\nMessage-ID: <abc.123@example.com>\n"
    "In-Reply-To: <parent@example.com> (Anna's message of Monday)\n"
    "References: <root@example.com>\n <mid@example.com>\t<parent@example.com>\n\nbody\n");
  const char * const *refs = pochta_message_get_references (msg);

  g_assert_cmpstr (pochta_message_get_message_id (msg), ==, "abc.123@example.com");
  g_assert_cmpstr (pochta_message_get_in_reply_to (msg)[0], ==, "parent@example.com");
  g_assert_cmpuint (g_strv_length ((char **) refs), ==, 3);
  g_assert_cmpstr (refs[0], ==, "root@example.com");
  g_assert_cmpstr (refs[2], ==, "parent@example.com");
}

typedef struct
{
  const char *path;
  const char *date;
  gint64      unix_time;
} DateCase;

static const DateCase date_cases[] = {
  { "/core/mime/parser/date/rfc5322", "Mon, 03 Mar 2025 09:15:00 +0100", 1740989700 },
  { "/core/mime/parser/date/no-weekday", "3 Mar 2025 09:15:00 +0100", 1740989700 },
  { "/core/mime/parser/date/no-seconds", "Mon, 3 Mar 2025 09:15 +0100", 1740989700 },
  { "/core/mime/parser/date/two-digit-year", "Mon, 03 Mar 25 08:15:00 GMT", 1740989700 },
  { "/core/mime/parser/date/zone-name", "Mon, 03 Mar 2025 03:15:00 EST", 1740989700 },
  { "/core/mime/parser/date/comment", "Mon, 03 Mar 2025 09:15:00 +0100 (CET)", 1740989700 },
  { "/core/mime/parser/date/iso8601", "2025-03-03T08:15:00Z", 1740989700 },
  { "/core/mime/parser/date/iso-space", "2025-03-03 09:15:00+01:00", 1740989700 },
  { "/core/mime/parser/date/garbage", "yesterday after lunch", -1 },
  { "/core/mime/parser/date/empty", "", -1 },
};

static void
test_date (gconstpointer data)
{
  const DateCase *c = data;
  g_autofree char *text = g_strdup_printf ("From: a@example.com\nDate: %s\n\nbody\n", c->date);
  g_autoptr(PochtaMessage) msg = parse_text (text);
  GDateTime *date = pochta_message_get_date (msg);

  if (c->unix_time < 0)
    {
      g_assert_null (date);
      g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_DATE);
    }
  else
    {
      g_assert_nonnull (date);
      g_assert_cmpint (g_date_time_to_unix (date), ==, c->unix_time);
      g_assert_false (pochta_message_is_malformed (msg));
    }
}

static void
test_missing_date (void)
{
  g_autoptr(PochtaMessage) msg = parse_text ("From: a@example.com\nSubject: no date\n\nbody\n");

  g_assert_null (pochta_message_get_date (msg));
  g_assert_cmpint (pochta_message_get_problems (msg), ==, POCHTA_MESSAGE_PROBLEM_DATE);
  g_assert_nonnull (pochta_message_get_malformed_reasons (msg)[0]);
}

/* (4) A 1000-deep multipart and a 10,000-part one stay within the limits. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("From: a@example.com\nSubject: deep\n"
                                          "Date: Mon, 03 Mar 2025 09:15:00 +0100\nMIME-Version: 1.0\n");
  g_autoptr(PochtaMessage) msg = NULL;
  PochtaMessagePart *part;
  guint depth = 0;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "Content-Type: multipart/mixed; boundary=\"b%u\"\n\n--b%u\n", i, i);
  g_string_append (text, "Content-Type: text/plain\n\ndeep text\n");
  for (guint i = 1000; i > 0; i--)
    g_string_append_printf (text, "--b%u--\n", i - 1);

  msg = parse_text (text->str);
  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "deep");
  g_assert_cmpstr (address_at (pochta_message_get_from (msg), 0)->address, ==, "a@example.com");
  g_assert_true (pochta_message_is_malformed (msg));
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_LIMIT);
  g_assert_null (pochta_message_get_text_plain (msg));

  for (part = pochta_message_get_body (msg); pochta_message_part_get_children (part)->len > 0;
       part = pochta_message_part_get_children (part)->pdata[0])
    depth++;
  g_assert_cmpuint (depth, ==, POCHTA_MESSAGE_PARSER_DEFAULT_MAX_DEPTH);
}

static void
test_many_parts (void)
{
  g_autoptr(GString) text = g_string_new ("From: a@example.com\nSubject: wide\n"
                                          "Date: Mon, 03 Mar 2025 09:15:00 +0100\nMIME-Version: 1.0\n"
                                          "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
  g_autoptr(PochtaMessage) msg = NULL;
  PochtaMessagePart *body;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "--b\nContent-Type: application/octet-stream; name=\"f%u\"\n\n%u\n",
                            i, i);
  g_string_append (text, "--b--\n");

  msg = parse_text (text->str);
  body = pochta_message_get_body (msg);
  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "wide");
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_LIMIT);
  g_assert_cmpuint (pochta_message_part_get_children (body)->len, ==,
                    POCHTA_MESSAGE_PARSER_DEFAULT_MAX_PARTS - 1);
  g_assert_cmpuint (pochta_message_get_attachments (msg)->len, ==,
                    POCHTA_MESSAGE_PARSER_DEFAULT_MAX_PARTS - 1);
  g_assert_cmpstr (pochta_message_part_get_section (attachment_at (msg, 510)), ==, "511");
}

static void
test_configured_limits (void)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  g_autofree char *path = pochta_test_source_path ("tests", "data", "broken", "nested-rfc822.eml", NULL);
  g_autofree char *data = NULL;
  g_autoptr(PochtaMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_object_set (parser, "max-depth", 2, NULL);
  g_assert_cmpuint (pochta_message_parser_get_max_depth (parser), ==, 2);
  msg = parse_with (parser, data, len);
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_LIMIT);
  g_assert_cmpstr (pochta_message_get_text_plain (msg), ==, "See the forwarded forward.\n");

  pochta_message_parser_set_max_message_size (parser, 100);
  bytes = g_bytes_new (data, len);
  g_assert_null (pochta_message_parser_parse_bytes (parser, bytes, &error));
  g_assert_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_LIMIT);
  g_clear_error (&error);

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = g_bytes_new ("", 0);
  g_assert_null (pochta_message_parser_parse_bytes (parser, bytes, &error));
  g_assert_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_MALFORMED);
}

/* (5) Preview and index text. */
static void
test_preview_plain (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (
    "From: a@example.com\nDate: Mon, 03 Mar 2025 09:15:00 +0100\nMIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
    "--a\nContent-Type: text/plain; charset=utf-8\n\n"
    "Hi   Anna,\n\nyes,\tFriday works.\n\nOn Mon, Anna wrote:\n> Does Friday work?\n>> Older\n"
    "-- \nBob\nACME Corp\n"
    "--a\nContent-Type: text/html; charset=utf-8\n\n<p>Hi Anna,</p><p>yes, Friday works.</p>\n--a--\n");

  g_assert_cmpstr (pochta_message_get_preview (msg), ==, "Hi Anna, yes, Friday works.");
  g_assert_nonnull (strstr (pochta_message_get_index_text (msg), "Does Friday work?"));
  g_assert_nonnull (pochta_message_get_text_html (msg));
}

static void
test_preview_html_only (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (
    "From: a@example.com\nDate: Mon, 03 Mar 2025 09:15:00 +0100\nMIME-Version: 1.0\n"
    "Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
    "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dkoi8-r\">"
    "<style>p { color: red }</style><script>var x =3D 1;</script></head>\n"
    "<body><p>=F0=D2=C9=D7=C5=D4 &amp; <b>hello</b>&nbsp;world</p></body></html>\n");

  g_assert_null (pochta_message_get_text_plain (msg));
  g_assert_cmpstr (pochta_message_get_preview (msg), ==, "Привет & hello world");
  g_assert_cmpstr (pochta_message_get_index_text (msg), ==, "Привет & hello world");
}

static void
test_index_cap (void)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  g_autoptr(GString) text = g_string_new ("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n");
  g_autoptr(PochtaMessage) msg = NULL;
  const char *index;

  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "Ёжик ");
  pochta_message_parser_set_max_index_bytes (parser, 101);
  msg = parse_with (parser, text->str, text->len);
  index = pochta_message_get_index_text (msg);
  g_assert_cmpuint (strlen (index), <=, 101);
  g_assert_cmpuint (strlen (index), >=, 96);
  g_assert_true (g_utf8_validate (index, -1, NULL));
}

static const char related_message[] =
  "From: a@example.com\nDate: Mon, 03 Mar 2025 09:15:00 +0100\nMIME-Version: 1.0\n"
  "Content-Type: multipart/related; boundary=\"r\"; type=\"text/html\"\n\n"
  "--r\nContent-Type: text/html; charset=utf-8\n\n<p>Logo: <img src=\"cid:logo%40example.com\"></p>\n"
  "--r\nContent-Type: image/png; name=\"logo.png\"\nContent-Transfer-Encoding: base64\n"
  "Content-ID: <logo@example.com>\n\niVBORw0KGgo=\n"
  "--r\nContent-Type: application/pdf; name=\"doc.pdf\"\nContent-Disposition: attachment\n"
  "Content-Transfer-Encoding: base64\n\nJVBERi0=\n--r--\n";

static void
test_cid_map (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (related_message);
  PochtaMessagePart *logo = pochta_message_lookup_cid (msg, "cid:logo%40example.com");
  g_autoptr(GBytes) content = NULL;

  g_assert_nonnull (logo);
  g_assert_true (logo == pochta_message_lookup_cid (msg, "<logo@example.com>"));
  g_assert_cmpuint (g_hash_table_size (pochta_message_get_cid_map (msg)), ==, 1);
  g_assert_cmpstr (pochta_message_part_get_mime_type (logo), ==, "image/png");
  g_assert_cmpstr (pochta_message_part_get_content_id (logo), ==, "logo@example.com");
  g_assert_true (pochta_message_part_is_inline (logo));
  g_assert_true (pochta_message_part_is_attachment (logo));
  g_assert_cmpuint (pochta_message_part_get_size (logo), ==, 8);
  content = pochta_message_part_get_content (logo, NULL);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

  g_assert_false (pochta_message_part_is_inline (attachment_at (msg, 1)));
  g_assert_cmpstr (pochta_message_part_get_filename (attachment_at (msg, 1)), ==, "doc.pdf");
  g_assert_cmpstr (pochta_message_part_get_section (attachment_at (msg, 1)), ==, "3");
  g_assert_null (pochta_message_lookup_cid (msg, "cid:nothing@example.com"));
}

/* Sizes are counted without decoding base64; whatever the text, the
 * size listed is what decoding the part gives. */
static void
test_attachment_sizes (void)
{
  static const char *bodies[] = {
    "QUJD", "QUI=", "QQ==", "QUJDREVGR0g=", "QU JD\nRA\n=\n", "QUJDRA", "QQ", "QQ==QUJD", "!!QUJD**",
    "TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxpdC4g\n"
    "U2VkIGRvIGVpdXNtb2QgdGVtcG9yLg==\n", "",
  };
  g_autoptr(GString) raw = g_string_new ("From: a@example.com\nMIME-Version: 1.0\n"
                                         "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
                                         "--b\nContent-Type: text/plain\n\nSee the files.\n");
  g_autoptr(PochtaMessage) msg = NULL;
  GPtrArray *attachments;

  g_test_summary ("An attachment's size is its decoded length, base64 well-formed or not, and QP");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    g_string_append_printf (raw, "--b\nContent-Type: application/octet-stream; name=\"f%u.bin\"\n"
                            "Content-Transfer-Encoding: base64\n\n%s\n", i, bodies[i]);
  g_string_append (raw, "--b\nContent-Type: application/octet-stream; name=\"q.bin\"\n"
                        "Content-Transfer-Encoding: quoted-printable\n\nA=3DB=\nC\n--b--\n");
  msg = parse_text (raw->str);
  attachments = pochta_message_get_attachments (msg);
  g_assert_cmpuint (attachments->len, ==, G_N_ELEMENTS (bodies) + 1);

  for (guint i = 0; i < attachments->len; i++)
    {
      PochtaMessagePart *part = g_ptr_array_index (attachments, i);
      g_autoptr(GBytes) content = pochta_message_part_get_content (part, NULL);

      g_assert_nonnull (content);
      g_assert_cmpuint (pochta_message_part_get_size (part), ==, g_bytes_get_size (content));
    }
  g_assert_cmpuint (pochta_message_part_get_size (attachment_at (msg, 0)), ==, 3);
  g_assert_cmpuint (pochta_message_part_get_size (attachment_at (msg, 3)), ==, 8);
  g_assert_cmpuint (pochta_message_part_get_size (attachment_at (msg, 9)), ==, 79);
}

static void
test_write_to_stream (void)
{
  g_autoptr(PochtaMessage) msg = parse_text (related_message);
  PochtaMessagePart *pdf = attachment_at (msg, 1);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_message_part_write_to_stream_async (pdf, out, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, 5000);
  g_assert_true (pochta_message_part_write_to_stream_finish (pdf, result, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                   "%PDF-", 5);
}

static void
test_parse_async_and_stream (void)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (related_message, sizeof related_message - 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PochtaMessage) from_stream = NULL;
  g_autoptr(PochtaMessage) from_task = NULL;
  g_autoptr(GError) error = NULL;

  from_stream = pochta_message_parser_parse_stream (parser, stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pochta_message_get_attachments (from_stream)->len, ==, 2);

  pochta_message_parser_parse_bytes_async (parser, bytes, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, 5000);
  from_task = pochta_message_parser_parse_bytes_finish (parser, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (pochta_message_get_text_html (from_task), "Logo"));
}

/* Garbage of every kind yields a message or a clean error, never a crash. */
static void
test_garbage (void)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  GRand *rand = g_rand_new_with_seed (7);
  g_autofree char *path = pochta_test_source_path ("tests", "data", "broken", "rfc2231-continuation.eml",
                                                   NULL);
  g_autofree char *seed = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &seed, &len, NULL));
  for (guint round = 0; round < 300; round++)
    {
      g_autofree char *copy = g_memdup2 (seed, len);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PochtaMessage) msg = NULL;
      g_autoptr(GError) error = NULL;
      gsize cut = g_rand_int_range (rand, 1, len);

      for (guint i = 0; i < 20; i++)
        copy[g_rand_int_range (rand, 0, cut)] = g_rand_int_range (rand, 0, 256);
      bytes = g_bytes_new (copy, cut);
      msg = pochta_message_parser_parse_bytes (parser, bytes, &error);
      if (msg == NULL)
        g_assert_error (error, POCHTA_MIME_ERROR, POCHTA_MIME_ERROR_MALFORMED);
      else
        {
          g_assert_true (g_utf8_validate (pochta_message_get_preview (msg), -1, NULL));
          g_assert_true (g_utf8_validate (pochta_message_get_index_text (msg), -1, NULL));
        }
    }
  g_rand_free (rand);
}

void
add_case_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    g_test_add_data_func (header_cases[i].path, &header_cases[i], test_header);
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    g_test_add_data_func (date_cases[i].path, &date_cases[i], test_date);
  g_test_add_func ("/core/mime/parser/date/missing", test_missing_date);
  g_test_add_func ("/core/mime/parser/header/address-lists", test_address_lists);
  g_test_add_func ("/core/mime/parser/header/message-ids", test_message_ids);
  g_test_add_func ("/core/mime/parser/limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/core/mime/parser/limits/many-parts", test_many_parts);
  g_test_add_func ("/core/mime/parser/limits/configured", test_configured_limits);
  g_test_add_func ("/core/mime/parser/text/preview-plain", test_preview_plain);
  g_test_add_func ("/core/mime/parser/text/preview-html-only", test_preview_html_only);
  g_test_add_func ("/core/mime/parser/text/index-cap", test_index_cap);
  g_test_add_func ("/core/mime/parser/parts/cid-map", test_cid_map);
  g_test_add_func ("/core/mime/parser/parts/attachment-sizes", test_attachment_sizes);
  g_test_add_func ("/core/mime/parser/parts/write-to-stream", test_write_to_stream);
  g_test_add_func ("/core/mime/parser/parse-async-and-stream", test_parse_async_and_stream);
  g_test_add_func ("/core/mime/parser/garbage", test_garbage);
}
