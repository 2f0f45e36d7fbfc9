/* test-message-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests PochtaMessageParser on generated mail, on the hand-made broken
 * fixtures, on header oddities and on messages built to hit its limits.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pochta-test-util.h"

static PochtaMessage *
parse_data (const char *data,
            gssize      len)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GError) error = NULL;
  PochtaMessage *msg = pochta_message_parser_parse_bytes (parser, bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

static PochtaMessage *
parse_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return parse_data (data, len);
}

static PochtaMessage *
parse_fixture (const char *name)
{
  g_autofree char *path = pochta_test_source_path ("tests", "data", "broken", name, NULL);

  return parse_file (path);
}

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

static gboolean
has_cyrillic (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_CYRILLIC)
      return TRUE;
  return FALSE;
}

static gboolean
has_kana (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA)
        return TRUE;
    }
  return FALSE;
}

static void
assert_reasons (PochtaMessage *msg)
{
  const char * const *reasons = pochta_message_get_malformed_reasons (msg);

  for (guint i = 0; reasons[i] != NULL; i++)
    g_test_message ("reason: %s", reasons[i]);
}

/* (1) Every generated message parses into something showable. */
static void
test_generated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pochta-mime-XXXXXX", &error);
  g_autofree char *generator = pochta_test_source_path ("tests", "data", "pochta-mail-generator.py",
                                                        NULL);
  const char *argv[] = { "python3", generator, "--seed", "7", "--count", "300", "--eml-dir", dir,
                         "--profile", "small", NULL };
  g_autoptr(GDir) listing = NULL;
  const char *name;
  int status = 0;
  guint n = 0, cyrillic = 0, kana = 0, with_attachments = 0, replies = 0;

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PochtaMessage) msg = parse_file (path);
      const char *subject = pochta_message_get_subject (msg);
      GPtrArray *attachments = pochta_message_get_attachments (msg);

      g_test_message ("%s: %s", name, subject);
      if (pochta_message_is_malformed (msg))
        assert_reasons (msg);
      g_assert_false (pochta_message_is_malformed (msg));
      g_assert_nonnull (subject);
      g_assert_cmpstr (subject, !=, "");
      g_assert_null (strstr (subject, "=?"));
      g_assert_cmpuint (pochta_message_get_from (msg)->len, ==, 1);
      g_assert_cmpstr (address_at (pochta_message_get_from (msg), 0)->address, !=, "");
      g_assert_nonnull (pochta_message_get_date (msg));
      g_assert_nonnull (pochta_message_get_message_id (msg));
      g_assert_false (pochta_message_get_text_plain (msg) == NULL
                      && pochta_message_get_text_html (msg) == NULL);
      g_assert_cmpstr (pochta_message_get_preview (msg), !=, "");
      g_assert_cmpstr (pochta_message_get_index_text (msg), !=, "");

      for (guint i = 0; i < attachments->len; i++)
        {
          PochtaMessagePart *part = attachments->pdata[i];
          const char *filename = pochta_message_part_get_filename (part);
          g_autoptr(GBytes) content = NULL;

          if (pochta_message_part_is_inline (part))
            continue;
          g_assert_nonnull (filename);
          g_assert_null (strstr (filename, "=?"));
          g_assert_null (strstr (filename, "''"));
          content = pochta_message_part_get_content (part, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_bytes_get_size (content), ==, pochta_message_part_get_size (part));
          g_assert_cmpuint (g_bytes_get_size (content), >, 0);
          with_attachments++;
        }

      if (pochta_message_get_in_reply_to (msg)[0] != NULL)
        {
          g_assert_false (g_str_has_prefix (pochta_message_get_in_reply_to (msg)[0], "<"));
          g_assert_nonnull (pochta_message_get_references (msg)[0]);
          replies++;
        }
      cyrillic += has_cyrillic (subject);
      kana += has_kana (subject);

      if (g_str_equal (name, "00001.eml"))
        {
          PochtaAddress *from = address_at (pochta_message_get_from (msg), 0);

          g_assert_cmpstr (subject, ==, "Плановые работы на сервере");
          g_assert_cmpstr (from->name, ==, "Фёдор Попова");
          g_assert_cmpstr (from->address, ==, "fedor.popova@example.net");
          /* Sun, 03 Nov 2024 07:00:45 +0500 */
          g_assert_cmpint (g_date_time_to_unix (pochta_message_get_date (msg)), ==, 1730599245);
        }
      else if (g_str_equal (name, "00004.eml"))
        g_assert_cmpstr (subject, ==, "[users-ru] Встреча в четверг");
      else if (g_str_equal (name, "00010.eml"))
        g_assert_cmpstr (subject, ==, "Änderungen am Vertrag");
      else if (g_str_equal (name, "00030.eml"))
        {
          g_assert_cmpstr (subject, ==, "サーバーメンテナンスのお知らせ");
          g_assert_cmpstr (address_at (pochta_message_get_from (msg), 0)->name, ==, "鈴木 花子");
        }

      g_unlink (path);
      n++;
    }
  g_rmdir (dir);

  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (cyrillic, >=, 50);
  g_assert_cmpuint (kana, >=, 12);
  g_assert_cmpuint (with_attachments, >, 0);
  g_assert_cmpuint (replies, >, 0);
}

/* (2) The hand-made broken fixtures. */
static void
test_bad_boundary (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("bad-boundary.eml");

  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "Bad boundary");
  g_assert_nonnull (strstr (pochta_message_get_text_plain (msg),
                            "Hello, this text is inside a part whose boundary was mistyped."));
  g_assert_nonnull (strstr (pochta_message_get_text_html (msg), "<b>HTML</b>"));
  g_assert_null (strstr (pochta_message_get_text_plain (msg), "--=_0uter_"));
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_STRUCTURE);
  g_assert_cmpstr (pochta_message_get_preview (msg), ==,
                   "Hello, this text is inside a part whose boundary was mistyped.");
}

static void
test_missing_closing_boundary (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("missing-closing-boundary.eml");
  PochtaMessagePart *data;

  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "見積書");
  g_assert_cmpstr (address_at (pochta_message_get_from (msg), 0)->name, ==, "山田 太郎");
  g_assert_nonnull (strstr (pochta_message_get_text_plain (msg), "見積書を添付いたします。"));
  data = attachment_at (msg, 0);
  g_assert_cmpstr (pochta_message_part_get_filename (data), ==, "data.bin");
  g_assert_cmpstr (pochta_message_part_get_section (data), ==, "2");
  g_assert_cmpuint (pochta_message_part_get_size (data), >, 1000);
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_STRUCTURE);
}

static void
test_mixed_line_endings (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("mixed-line-endings.eml");
  const char *text = pochta_message_get_text_plain (msg);

  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "CR, LF and CRLF");
  g_assert_cmpstr (address_at (pochta_message_get_to (msg), 0)->address, ==, "user@example.test");
  g_assert_nonnull (strstr (text, "CRLF line\nLF line\nCR line\nlast line"));
  g_assert_nonnull (strstr (text, "second part"));
  g_assert_null (strchr (text, '\r'));
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_STRUCTURE);
}

static void
test_nested_rfc822 (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("nested-rfc822.eml");
  PochtaMessagePart *forward = attachment_at (msg, 0);
  PochtaMessage *middle = pochta_message_part_get_embedded_message (forward);
  PochtaMessagePart *inner_part;
  PochtaMessage *inner;
  PochtaMessagePart *inner_body;

  g_assert_false (pochta_message_is_malformed (msg));
  g_assert_cmpstr (pochta_message_get_text_plain (msg), ==, "See the forwarded forward.\n");
  g_assert_cmpuint (pochta_message_get_attachments (msg)->len, ==, 1);
  g_assert_cmpstr (pochta_message_part_get_mime_type (forward), ==, "message/rfc822");
  g_assert_cmpstr (pochta_message_part_get_section (forward), ==, "2");
  g_assert_cmpstr (pochta_message_part_get_filename (forward), ==, "Fwd: nested.eml");

  g_assert_nonnull (middle);
  g_assert_cmpstr (pochta_message_get_subject (middle), ==, "Fwd: nested");
  g_assert_cmpstr (pochta_message_part_get_section (pochta_message_get_body (middle)), ==, "2.TEXT");
  inner_part = attachment_at (middle, 0);
  g_assert_cmpstr (pochta_message_part_get_section (inner_part), ==, "2.2");
  g_assert_cmpstr (pochta_message_part_get_filename (inner_part), ==, "inner.eml");

  inner = pochta_message_part_get_embedded_message (inner_part);
  g_assert_cmpstr (pochta_message_get_subject (inner), ==, "Вложенное письмо");
  g_assert_cmpstr (pochta_message_get_text_plain (inner), ==, "Вложенное письмо, третий уровень.\n");
  g_assert_cmpstr (pochta_message_get_text_html (inner), ==,
                   "<p>The innermost message, three levels down.</p>\n");
  inner_body = pochta_message_get_body (inner);
  g_assert_cmpstr (pochta_message_part_get_section (inner_body), ==, "2.2.TEXT");
  g_assert_cmpstr (pochta_message_part_get_section (pochta_message_part_get_children (inner_body)->pdata[1]),
                   ==, "2.2.2");

  /* The index finds words of forwarded messages. */
  g_assert_nonnull (strstr (pochta_message_get_index_text (msg), "третий уровень"));
}

static void
test_no_charset_8bit (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("no-charset-8bit.eml");
  const char *text = pochta_message_get_text_plain (msg);

  g_assert_nonnull (strstr (text, "Grüße aus Köln, die Rechnung über 12 € ist bezahlt."));
  g_assert_nonnull (strstr (text, "Und hier UTF-8: Größe, Maß, Übergabe."));
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_CHARSET);
}

static void
test_raw_8bit_headers (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("raw-8bit-headers.eml");
  PochtaAddress *from = address_at (pochta_message_get_from (msg), 0);
  PochtaAddress *cc = address_at (pochta_message_get_cc (msg), 0);
  g_autofree char *broken = pochta_message_dup_header (msg, "X-Broken");

  g_assert_cmpstr (pochta_message_get_subject (msg), ==, "Отчёт за квартал — 8-bit в заголовке");
  g_assert_cmpstr (from->name, ==, "Мария Смирнова");
  g_assert_cmpstr (from->address, ==, "maria.smirnova@example.org");
  g_assert_cmpstr (cc->name, ==, "Фёдор Иванов");
  g_assert_cmpstr (cc->address, ==, "fedor.ivanov@example.org");
  g_assert_true (g_utf8_validate (broken, -1, NULL));
  g_assert_true (g_str_has_prefix (broken, "caf"));
  g_assert_cmpstr (pochta_message_get_text_plain (msg), ==,
                   "Добрый день! Заголовки этого письма не закодированы.\n");
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_CHARSET);
}

static void
test_rfc2231_continuation (void)
{
  g_autoptr(PochtaMessage) msg = parse_fixture ("rfc2231-continuation.eml");
  g_autofree char *text = NULL;

  g_assert_cmpuint (pochta_message_get_attachments (msg)->len, ==, 3);
  g_assert_cmpstr (pochta_message_part_get_filename (attachment_at (msg, 0)), ==,
                   "Отчёт за сентябрь.pdf");
  g_assert_cmpstr (pochta_message_part_get_mime_type (attachment_at (msg, 0)), ==, "application/pdf");
  g_assert_cmpstr (pochta_message_part_get_filename (attachment_at (msg, 1)), ==,
                   "Präsentation Übersicht.txt");
  g_assert_cmpstr (pochta_message_part_get_filename (attachment_at (msg, 2)), ==,
                   "a-rather-long-file-name-that-was-split-into-two-plain-segments.txt");
  g_assert_false (pochta_message_part_is_inline (attachment_at (msg, 0)));
  g_assert_cmpstr (pochta_message_get_text_plain (msg), ==, "Three attachments with split file names.\n");
  g_assert_true (pochta_message_get_problems (msg) & POCHTA_MESSAGE_PROBLEM_HEADER);

  text = pochta_message_part_get_text (attachment_at (msg, 1));
  g_assert_cmpstr (text, ==, "Präsentation: Übersicht der Größen.\n");
}

static void
test_uuencoded (void)
{
  static const char expected[] =
    "Hello from a uuencoded attachment.\nSecond line, with numbers 0123456789.\n"
    "Hello from a uuencoded attachment.\nSecond line, with numbers 0123456789.\n"
    "Hello from a uuencoded attachment.\nSecond line, with numbers 0123456789.\n";
  g_autoptr(PochtaMessage) msg = parse_fixture ("uuencoded.eml");
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  PochtaMessagePart *file;
  const char *text = pochta_message_get_text_plain (msg);

  g_assert_cmpuint (pochta_message_get_attachments (msg)->len, ==, 1);
  file = attachment_at (msg, 0);
  g_assert_cmpstr (pochta_message_part_get_filename (file), ==, "hello.txt");
  g_assert_cmpstr (pochta_message_part_get_mime_type (file), ==, "text/plain");
  g_assert_cmpuint (pochta_message_part_get_size (file), ==, sizeof expected - 1);
  content = pochta_message_part_get_content (file, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                   expected, sizeof expected - 1);

  g_assert_nonnull (strstr (text, "Here is the file, uuencoded."));
  g_assert_nonnull (strstr (text, "Bye."));
  g_assert_null (strstr (text, "begin 644"));
}

/* test-message-parser-cases.c */
void add_case_tests (void);

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/mime/parser/generated", test_generated);
  g_test_add_func ("/core/mime/parser/broken/bad-boundary", test_bad_boundary);
  g_test_add_func ("/core/mime/parser/broken/missing-closing-boundary", test_missing_closing_boundary);
  g_test_add_func ("/core/mime/parser/broken/mixed-line-endings", test_mixed_line_endings);
  g_test_add_func ("/core/mime/parser/broken/nested-rfc822", test_nested_rfc822);
  g_test_add_func ("/core/mime/parser/broken/no-charset-8bit", test_no_charset_8bit);
  g_test_add_func ("/core/mime/parser/broken/raw-8bit-headers", test_raw_8bit_headers);
  g_test_add_func ("/core/mime/parser/broken/rfc2231-continuation", test_rfc2231_continuation);
  g_test_add_func ("/core/mime/parser/broken/uuencoded", test_uuencoded);
  add_case_tests ();

  return g_test_run ();
}
