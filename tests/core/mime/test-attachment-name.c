/* test-attachment-name.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests that attachment file names become safe to save, as a table.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pochta-attachment-name.h"

typedef struct
{
  const char *path;
  const char *name;
  const char *expected;
} Case;

static const Case cases[] = {
  { "/core/mime/attachment-name/plain", "report.pdf", "report.pdf" },
  { "/core/mime/attachment-name/null", NULL, "attachment" },
  { "/core/mime/attachment-name/empty", "", "attachment" },
  { "/core/mime/attachment-name/unicode", "Отчёт за сентябрь.pdf", "Отчёт за сентябрь.pdf" },
  { "/core/mime/attachment-name/traversal", "../../etc/passwd", "passwd" },
  { "/core/mime/attachment-name/absolute", "/etc/shadow", "shadow" },
  { "/core/mime/attachment-name/windows-path", "C:\\Users\\x\\report.pdf", "report.pdf" },
  { "/core/mime/attachment-name/trailing-slash", "folder/", "folder" },
  { "/core/mime/attachment-name/only-slashes", "///", "attachment" },
  { "/core/mime/attachment-name/dotdot", "..", "attachment" },
  { "/core/mime/attachment-name/dot", ".", "attachment" },
  { "/core/mime/attachment-name/hidden", ".bashrc", "bashrc" },
  { "/core/mime/attachment-name/many-dots", "...config", "config" },
  { "/core/mime/attachment-name/trailing-dots", "notes.txt. . ", "notes.txt" },
  { "/core/mime/attachment-name/control", "bad\x01name\x7f.txt", "bad name .txt" },
  { "/core/mime/attachment-name/newline", "two\r\nlines.txt", "two lines.txt" },
  { "/core/mime/attachment-name/tabs", "a\t\tb.txt", "a b.txt" },
  { "/core/mime/attachment-name/bidi", "invoice\xe2\x80\xae" "fdp.exe", "invoicefdp.exe" },
  { "/core/mime/attachment-name/zero-width", "a\xe2\x80\x8b" "b.txt", "ab.txt" },
  { "/core/mime/attachment-name/forbidden", "what?<is>:this|\"*.txt", "what__is__this___.txt" },
  { "/core/mime/attachment-name/reserved", "CON", "_CON" },
  { "/core/mime/attachment-name/reserved-ext", "nul.txt", "_nul.txt" },
  { "/core/mime/attachment-name/reserved-com", "com1.log", "_com1.log" },
  { "/core/mime/attachment-name/not-reserved", "console.txt", "console.txt" },
  { "/core/mime/attachment-name/not-reserved-com", "com10.txt", "com10.txt" },
  { "/core/mime/attachment-name/invalid-utf8", "caf\xe9.txt", "caf\xc3\xa9.txt" },
  { "/core/mime/attachment-name/nfc", "Cafe\xcc\x81.txt", "Caf\xc3\xa9.txt" },
  { "/core/mime/attachment-name/spaces-only", "   ", "attachment" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *result = pochta_attachment_name_sanitize (c->name);

  g_assert_cmpstr (result, ==, c->expected);
}

static void
test_long_keeps_extension (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *result = NULL;

  /* Two-byte letters, so a cut in the middle of one would show. */
  for (guint i = 0; i < 300; i++)
    g_string_append (name, "ж");
  g_string_append (name, ".pdf");

  result = pochta_attachment_name_sanitize (name->str);
  g_assert_cmpuint (strlen (result), <=, POCHTA_ATTACHMENT_NAME_MAX_BYTES);
  g_assert_true (g_str_has_suffix (result, "ж.pdf"));
  g_assert_true (g_utf8_validate (result, -1, NULL));
}

static void
test_long_without_extension (void)
{
  g_autofree char *name = g_strnfill (1000, 'a');
  g_autofree char *result = pochta_attachment_name_sanitize (name);

  g_assert_cmpuint (strlen (result), ==, POCHTA_ATTACHMENT_NAME_MAX_BYTES);
}

static void
test_long_extension_is_not_kept (void)
{
  g_autofree char *stem = g_strnfill (250, 'b');
  g_autofree char *name = g_strconcat (stem, ".this-is-not-an-extension-at-all", NULL);
  g_autofree char *result = pochta_attachment_name_sanitize (name);

  g_assert_cmpuint (strlen (result), <=, POCHTA_ATTACHMENT_NAME_MAX_BYTES);
  g_assert_true (g_str_has_prefix (result, "bbbb"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/core/mime/attachment-name/long-keeps-extension", test_long_keeps_extension);
  g_test_add_func ("/core/mime/attachment-name/long-without-extension", test_long_without_extension);
  g_test_add_func ("/core/mime/attachment-name/long-extension", test_long_extension_is_not_kept);

  return g_test_run ();
}
