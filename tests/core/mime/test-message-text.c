/* test-message-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests HTML to text and the message-list preview line as tables.
 */

#include "config.h"

#include <glib.h>

#include "pochta-message-text.h"

typedef struct
{
  const char *path;
  const char *input;
  const char *expected;
} Case;

static const Case html_cases[] = {
  { "/core/mime/html-to-text/plain", "<p>Hello <b>world</b></p>", "Hello world" },
  { "/core/mime/html-to-text/entities", "a &amp; b &lt;c&gt; &quot;d&quot; &#8364; &#x20AC; &euro; &nbsp;e",
    "a & b <c> \"d\" € € € e" },
  { "/core/mime/html-to-text/unknown-entity", "AT&T &bogus; x", "AT&T &bogus; x" },
  { "/core/mime/html-to-text/style-script",
    "<html><head><title>T</title><style>p{color:red}</style></head>"
    "<body><script>alert('x<p>')</script><p>Visible</p></body></html>", "Visible" },
  { "/core/mime/html-to-text/comments", "a<!-- <p>hidden</p> -->b<!--[if mso]>x<![endif]-->c", "abc" },
  { "/core/mime/html-to-text/blocks", "<div>one</div><div>two</div><p>three</p>four<br>five",
    "one\ntwo\n\nthree\n\nfour\nfive" },
  { "/core/mime/html-to-text/whitespace", "  lots\n\n of \t  space  ", "lots of space" },
  { "/core/mime/html-to-text/blockquote", "<p>Reply</p><blockquote><p>quoted</p></blockquote><p>after</p>",
    "Reply\n\n> quoted\n\nafter" },
  { "/core/mime/html-to-text/list", "<ul><li>a</li><li>b</li></ul>", "• a\n• b" },
  { "/core/mime/html-to-text/table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
    "a b\nc" },
  { "/core/mime/html-to-text/attributes", "<a href=\"x>y\" title='>'>link</a>", "link" },
  { "/core/mime/html-to-text/unclosed-style", "text<style>never closed", "text" },
  { "/core/mime/html-to-text/bare-lt", "1 < 2", "1 < 2" },
  { "/core/mime/html-to-text/pre", "<pre>a\n  b</pre>", "a\n  b" },
  { "/core/mime/html-to-text/cyrillic", "<p>Привет&nbsp;мир</p>", "Привет мир" },
};

static const Case preview_cases[] = {
  { "/core/mime/preview/simple", "Hello,\n\nthe build   is\tgreen.\n", "Hello, the build is green." },
  { "/core/mime/preview/quotes",
    "Sounds good.\n\nOn Mon, 3 Mar 2025, Anna wrote:\n> Shall we meet?\n> At ten?\n\nSee you.",
    "Sounds good. See you." },
  { "/core/mime/preview/russian-attribution",
    "Да.\n\n3 марта 2025, Мария пишет:\n> Встреча в четверг?\n", "Да." },
  { "/core/mime/preview/signature", "Thanks!\n-- \nJohn Smith\nACME", "Thanks!" },
  { "/core/mime/preview/signature-no-space", "Thanks!\n--\nJohn", "Thanks!" },
  { "/core/mime/preview/outlook", "Fine.\n\n-----Original Message-----\nFrom: x\n", "Fine." },
  { "/core/mime/preview/only-quote", "> just a quote\n> nothing else", "> just a quote > nothing else" },
  { "/core/mime/preview/empty", "", "" },
  { "/core/mime/preview/cjk-wrap", "来週の会議の資料を\nお送りします。\nThanks\nagain", "来週の会議の資料をお送りします。 Thanks again" },
  { "/core/mime/preview/nbsp", "a\xc2\xa0\xc2\xa0 b", "a b" },
};

static void
test_html (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *text = pochta_message_html_to_text (c->input, -1);

  g_assert_cmpstr (text, ==, c->expected);
}

static void
test_preview (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *text = pochta_message_make_preview (c->input, POCHTA_MESSAGE_PREVIEW_LENGTH);

  g_assert_cmpstr (text, ==, c->expected);
}

static void
test_preview_length (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *preview = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (text, "Ёж ");
  preview = pochta_message_make_preview (text->str, 200);
  g_assert_cmpuint (g_utf8_strlen (preview, -1), <=, 200);
  g_assert_cmpuint (g_utf8_strlen (preview, -1), >=, 190);
  g_assert_true (g_utf8_validate (preview, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (html_cases); i++)
    g_test_add_data_func (html_cases[i].path, &html_cases[i], test_html);
  for (guint i = 0; i < G_N_ELEMENTS (preview_cases); i++)
    g_test_add_data_func (preview_cases[i].path, &preview_cases[i], test_preview);
  g_test_add_func ("/core/mime/preview/length", test_preview_length);

  return g_test_run ();
}
