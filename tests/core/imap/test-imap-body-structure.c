/* test-imap-body-structure.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BODYSTRUCTURE cases for test-imap-envelope: Dovecot, Gmail and Exchange shapes.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "imap-test-response.h"
#include "pochta-imap-body-structure.h"
#include "pochta-imap-error.h"

void add_body_structure_tests (void);

#define PLAIN "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 120 5 NIL NIL NIL NIL)"
#define HTML  "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 900 20 NIL NIL NIL NIL)"
#define ALT   "(" PLAIN HTML " \"alternative\" (\"boundary\" \"=_alt\") NIL NIL NIL)"
#define ENVELOPE "(\"Mon, 1 Jan 2024 10:00:00 +0000\" \"Fwd me\" ((\"Ann\" NIL \"ann\" \"example.org\")) " \
                 "NIL NIL NIL NIL NIL NIL \"<fwd@example.org>\")"

static PochtaImapBodyPart *
parse_body (const char  *structure,
            GError     **error)
{
  g_autofree char *line = g_strdup_printf ("* 1 FETCH (UID 5 BODYSTRUCTURE %s)\r\n", structure);
  g_autoptr(PochtaImapResponse) response = imap_test_parse (line);
  const PochtaImapValue *items = pochta_imap_value_list_get (response->data, 0);

  return pochta_imap_body_part_new_from_value (pochta_imap_value_list_get (items, 3), error);
}

static const PochtaImapBodyPart *
child (const PochtaImapBodyPart *part,
       guint                     index)
{
  g_assert_cmpuint (index, <, part->children->len);
  return g_ptr_array_index (part->children, index);
}

static PochtaImapAttachment *
attachment_at (GPtrArray *attachments,
               guint      index)
{
  g_assert_cmpuint (index, <, attachments->len);
  return g_ptr_array_index (attachments, index);
}

static void
test_single (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapBodyPart) root = parse_body (PLAIN, &error);
  g_autoptr(GPtrArray) attachments = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (root->type, ==, "text");
  g_assert_cmpstr (root->subtype, ==, "plain");
  g_assert_cmpstr (root->section, ==, "1");
  g_assert_cmpstr (pochta_imap_body_part_get_param (root, "CHARSET"), ==, "utf-8");
  g_assert_cmpstr (root->encoding, ==, "quoted-printable");
  g_assert_cmpuint (root->size, ==, 120);
  g_assert_cmpuint (root->lines, ==, 5);
  g_assert_true (pochta_imap_body_part_find_text (root, "plain") == root);
  g_assert_null (pochta_imap_body_part_find_text (root, "html"));
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 0);
}

/* RFC 3501's own example, answered to FETCH BODY (no extension data). */
static void
test_body_non_extensible (void)
{
  g_autoptr(PochtaImapBodyPart) root =
    parse_body ("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)", NULL);

  g_assert_nonnull (root);
  g_assert_cmpstr (root->type, ==, "text");
  g_assert_cmpstr (root->encoding, ==, "7bit");
  g_assert_cmpuint (root->lines, ==, 92);
  g_assert_null (root->disposition);
}

static void
test_alternative (void)
{
  g_autoptr(PochtaImapBodyPart) root = parse_body (ALT, NULL);
  g_autoptr(GPtrArray) attachments = NULL;

  g_assert_nonnull (root);
  g_assert_true (pochta_imap_body_part_is_multipart (root));
  g_assert_cmpstr (root->subtype, ==, "alternative");
  g_assert_cmpstr (root->section, ==, "TEXT");
  g_assert_cmpstr (pochta_imap_body_part_get_param (root, "boundary"), ==, "=_alt");
  g_assert_cmpstr (child (root, 0)->section, ==, "1");
  g_assert_cmpstr (child (root, 1)->section, ==, "2");
  g_assert_true (child (root, 0)->parent == root);
  g_assert_true (pochta_imap_body_part_find_text (root, "plain") == child (root, 0));
  g_assert_true (pochta_imap_body_part_find_text (root, "html") == child (root, 1));
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 0);
  g_assert_cmpuint (pochta_imap_body_part_count_parts (root), ==, 3);
}

static void
test_mixed_attachment (void)
{
  g_autoptr(PochtaImapBodyPart) root =
    parse_body ("(" ALT "(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL NIL \"base64\" 50000 NIL "
                "(\"attachment\" (\"filename\" \"report.pdf\" \"size\" \"36500\")) NIL NIL)"
                "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 40 2 NIL NIL NIL NIL)"
                " \"mixed\" (\"boundary\" \"=_mixed\") NIL (\"en\" \"ru\") \"http://x\")", NULL);
  g_autoptr(GPtrArray) attachments = NULL;
  PochtaImapAttachment *pdf;

  g_assert_nonnull (root);
  g_assert_cmpstr (child (root, 0)->section, ==, "1");
  g_assert_cmpstr (child (child (root, 0), 1)->section, ==, "1.2");
  g_assert_cmpstr (child (root, 1)->section, ==, "2");
  g_assert_cmpstr (root->language[1], ==, "ru");
  g_assert_cmpstr (root->location, ==, "http://x");
  g_assert_true (pochta_imap_body_part_find_text (root, "html") == child (child (root, 0), 1));

  /* The trailing text part (a list footer) is body, not an attachment. */
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 1);
  pdf = attachment_at (attachments, 0);
  g_assert_cmpstr (pdf->filename, ==, "report.pdf");
  g_assert_cmpstr (pdf->content_type, ==, "application/pdf");
  g_assert_cmpstr (pdf->section, ==, "2");
  g_assert_cmpuint (pdf->size, ==, 50000);
  g_assert_false (pdf->is_inline);
  g_assert_true (pochta_imap_body_part_find_section (root, "2") == pdf->part);
}

static void
test_related_cid (void)
{
  g_autoptr(PochtaImapBodyPart) root =
    parse_body ("(" PLAIN "(" HTML
                "(\"image\" \"png\" (\"name\" \"logo.png\") \"<logo@x>\" NIL \"base64\" 2000 NIL "
                "(\"inline\" (\"filename\" \"logo.png\")) NIL NIL)"
                "(\"image\" \"gif\" NIL \"<dot@x>\" NIL \"base64\" 50 NIL NIL NIL NIL)"
                " \"related\" (\"type\" \"text/html\" \"boundary\" \"=_rel\") NIL NIL)"
                " \"alternative\" (\"boundary\" \"=_alt\") NIL NIL)", NULL);
  g_autoptr(GPtrArray) attachments = NULL;

  g_assert_nonnull (root);
  g_assert_true (pochta_imap_body_part_find_text (root, "html") == child (child (root, 1), 0));
  g_assert_cmpstr (pochta_imap_body_part_find_text (root, "html")->section, ==, "2.1");
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpstr (attachment_at (attachments, 0)->content_id, ==, "logo@x");
  g_assert_cmpstr (attachment_at (attachments, 0)->section, ==, "2.2");
  g_assert_true (attachment_at (attachments, 0)->is_inline);
  /* No disposition, but a Content-ID inside multipart/related. */
  g_assert_null (attachment_at (attachments, 1)->filename);
  g_assert_true (attachment_at (attachments, 1)->is_inline);
}

static void
test_message_rfc822 (void)
{
  g_autoptr(PochtaImapBodyPart) root =
    parse_body ("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 1 NIL NIL NIL NIL)"
                "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1500 " ENVELOPE " " ALT " 40 NIL "
                "(\"attachment\" NIL) NIL NIL)"
                "(\"message\" \"rfc822\" (\"name\" \"old.eml\") NIL NIL \"7bit\" 300 " ENVELOPE " "
                "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1) 12)"
                " \"mixed\" (\"boundary\" \"m\") NIL NIL NIL)", NULL);
  const PochtaImapBodyPart *message, *nested;
  g_autoptr(GPtrArray) attachments = NULL;

  g_assert_nonnull (root);
  message = child (root, 1);
  g_assert_true (pochta_imap_body_part_is_message (message));
  g_assert_cmpstr (message->section, ==, "2");
  g_assert_cmpstr (message->envelope->subject, ==, "Fwd me");
  g_assert_cmpuint (message->lines, ==, 40);
  nested = child (message, 0);
  g_assert_cmpstr (nested->section, ==, "2.TEXT");
  g_assert_cmpstr (child (nested, 0)->section, ==, "2.1");
  g_assert_cmpstr (child (nested, 1)->section, ==, "2.2");
  /* A non-multipart body of an attached message is "N.1". */
  g_assert_cmpstr (child (child (root, 2), 0)->section, ==, "3.1");

  /* The body is the top-level text, never one inside the attached message. */
  g_assert_true (pochta_imap_body_part_find_text (root, "plain") == child (root, 0));
  g_assert_null (pochta_imap_body_part_find_text (root, "html"));
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpstr (attachment_at (attachments, 0)->content_type, ==, "message/rfc822");
  g_assert_cmpstr (attachment_at (attachments, 1)->filename, ==, "old.eml");
}

/* Shapes seen from Gmail and Exchange: upper case, NIL sizes, bare string
 * dispositions, odd parameter lists, message/rfc822 without its envelope. */
static void
test_odd_servers (void)
{
  g_autoptr(PochtaImapBodyPart) root =
    parse_body ("((\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 1234 30 NIL NIL NIL)"
                "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\" \"orphan\") NIL NIL \"BASE64\" NIL NIL "
                "\"attachment\" NIL NIL)"
                "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1000 NIL NIL NIL NIL)"
                "(NIL NIL NIL NIL NIL NIL \"12\")"
                "(\"image\" \"jpeg\" NIL NIL NIL \"base64\" 10 NIL (\"inline\" NIL) NIL NIL (\"ext\" 1) 5)"
                " \"MIXED\" (\"BOUNDARY\" \"x\") (\"INLINE\" NIL) \"EN\" NIL (\"future\" 1))", NULL);
  g_autoptr(GPtrArray) attachments = NULL;

  g_assert_nonnull (root);
  g_assert_cmpstr (root->subtype, ==, "mixed");
  g_assert_cmpstr (root->disposition, ==, "inline");
  g_assert_cmpstr (root->language[0], ==, "EN");
  g_assert_cmpstr (child (root, 0)->subtype, ==, "html");
  g_assert_cmpstr (child (root, 1)->disposition, ==, "attachment");
  g_assert_cmpuint (child (root, 1)->size, ==, 0);
  g_assert_cmpstr (pochta_imap_body_part_get_filename (child (root, 1)), ==, "a.bin");
  g_assert_cmpuint (child (root, 2)->children->len, ==, 0);
  g_assert_null (child (root, 2)->envelope);
  g_assert_cmpstr (child (root, 3)->type, ==, "application");
  g_assert_cmpstr (child (root, 3)->subtype, ==, "octet-stream");
  g_assert_cmpuint (child (root, 3)->size, ==, 12);
  attachments = pochta_imap_body_part_list_attachments (root);
  g_assert_cmpuint (attachments->len, ==, 4);
  g_assert_true (attachment_at (attachments, 3)->is_inline);
}

typedef struct
{
  const char *path;
  const char *params;       /* Content-Type parameters */
  const char *disposition;  /* Content-Disposition parameters */
  const char *expected;
} NameCase;

static const NameCase name_cases[] = {
  { "/core/imap/body-structure/name/rfc2231-continuations",
    "(\"name*0*\" \"utf-8''%D0%9E%D1%82%D1%87\" \"name*1*\" \"%D0%B5%D1%82.pdf\")", "NIL", "Отчет.pdf" },
  { "/core/imap/body-structure/name/rfc2231-single",
    "NIL", "(\"filename*\" \"utf-8'ru'%D0%9E%D1%82%D1%87%D0%B5%D1%82.pdf\")", "Отчет.pdf" },
  { "/core/imap/body-structure/name/rfc2231-cp1251",
    "NIL", "(\"filename*\" \"windows-1251''%CE%F2%F7%E5%F2.pdf\")", "Отчет.pdf" },
  { "/core/imap/body-structure/name/rfc2231-mixed-sections",
    "NIL", "(\"filename*1\" \"t.pdf\" \"filename*0*\" \"utf-8''%D0%9E\")", "Оt.pdf" },
  { "/core/imap/body-structure/name/rfc2231-over-plain",
    "NIL", "(\"filename\" \"fallback.pdf\" \"filename*\" \"utf-8''real.pdf\")", "real.pdf" },
  { "/core/imap/body-structure/name/rfc2047",
    "(\"name\" \"=?UTF-8?B?0J7RgtGH0LXRgi5wZGY=?=\")", "NIL", "Отчет.pdf" },
  { "/core/imap/body-structure/name/bad-percent",
    "NIL", "(\"filename*\" \"utf-8''%ZZ%4\")", "%ZZ%4" },
  { "/core/imap/body-structure/name/unknown-charset",
    "NIL", "(\"filename*\" \"x-nonsense''abc\")", "abc" },
  { "/core/imap/body-structure/name/disposition-first",
    "(\"name\" \"type.pdf\")", "(\"filename\" \"disp.pdf\")", "disp.pdf" },
};

static void
test_name (gconstpointer data)
{
  const NameCase *c = data;
  g_autofree char *structure =
    g_strdup_printf ("(\"application\" \"pdf\" %s NIL NIL \"base64\" 10 NIL (\"attachment\" %s) NIL NIL)",
                     c->params, c->disposition);
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapBodyPart) root = parse_body (structure, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pochta_imap_body_part_get_filename (root), ==, c->expected);
}

typedef struct
{
  const char *path;
  const char *structure;
} BadCase;

static const BadCase bad_cases[] = {
  { "/core/imap/body-structure/bad/nil", "NIL" },
  { "/core/imap/body-structure/bad/empty", "()" },
  { "/core/imap/body-structure/bad/atom", "TEXT" },
  { "/core/imap/body-structure/bad/short", "(\"text\" \"plain\" NIL NIL NIL)" },
  { "/core/imap/body-structure/bad/size-word", "(\"text\" \"plain\" NIL NIL NIL \"7bit\" \"many\" 1)" },
  { "/core/imap/body-structure/bad/size-list", "(\"text\" \"plain\" NIL NIL NIL \"7bit\" (1) 1)" },
  { "/core/imap/body-structure/bad/id-list", "(\"text\" \"plain\" NIL (\"x\") NIL \"7bit\" 1 1)" },
  { "/core/imap/body-structure/bad/child-empty", "(() \"mixed\")" },
  { "/core/imap/body-structure/bad/child-short", "((\"text\") \"mixed\")" },
  { "/core/imap/body-structure/bad/message-envelope",
    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 10 (NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 1)" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapBodyPart) root = parse_body (c->structure, &error);

  g_assert_null (root);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
}

/* The header sync's look at the raw value: "nothing to list" must be
 * right, and anything odd must go to the parser, which judges errors. */
static gboolean
may_have_attachments (const char *structure)
{
  g_autofree char *line = g_strdup_printf ("* 1 FETCH (UID 5 BODYSTRUCTURE %s)\r\n", structure);
  g_autoptr(PochtaImapResponse) response = imap_test_parse (line);
  const PochtaImapValue *items = pochta_imap_value_list_get (response->data, 0);

  return pochta_imap_body_structure_may_have_attachments (pochta_imap_value_list_get (items, 3));
}

static void
test_quick_look (void)
{
  static const struct { const char *structure; gboolean maybe; } cases[] = {
    { PLAIN, FALSE },
    { ALT, FALSE },
    { "(" ALT PLAIN " \"mixed\" NIL NIL NIL NIL)", FALSE },
    { "(\"TEXT\" \"plain\" NIL NIL NIL \"7bit\" 10 1)", FALSE },
    /* A name, a disposition, another type: there is something to list. */
    { "(\"text\" \"plain\" (\"name\" \"a.txt\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)", TRUE },
    { "(\"text\" \"plain\" (\"NAME*0*\" \"utf-8''a\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)", TRUE },
    { "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL (\"attachment\" NIL) NIL NIL)", TRUE },
    { "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL (\"inline\" (\"filename\" \"a\")) NIL NIL)", TRUE },
    { "(" PLAIN "(\"image\" \"png\" NIL \"<i@x>\" NIL \"base64\" 40 NIL NIL NIL NIL) \"related\")", TRUE },
    { "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 10 " ENVELOPE " " PLAIN " 1)", TRUE },
    /* Shapes the parser reads leniently are left to it. */
    { "(\"text\" \"plain\" NIL NIL NIL \"7bit\" \"10\" 1)", TRUE },
    { "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10)", TRUE },
    { "(" PLAIN ")", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PochtaImapBodyPart) root = parse_body (cases[i].structure, &error);

      g_assert_cmpint (may_have_attachments (cases[i].structure), ==, cases[i].maybe);
      g_assert_no_error (error);
      if (!cases[i].maybe)
        {
          g_autoptr(GPtrArray) attachments = pochta_imap_body_part_list_attachments (root);

          g_assert_cmpuint (attachments->len, ==, 0);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_assert_true (may_have_attachments (bad_cases[i].structure));
}

/* Mutations of well-formed structures: wherever the quick look says
 * "nothing to list", the parser agrees. */
static void
test_quick_look_mutations (void)
{
  static const char * const bases[] = {
    PLAIN, ALT, "(" ALT PLAIN " \"mixed\" NIL NIL NIL NIL)",
    "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)",
  };
  static const char * const swaps[] = {
    "NIL", "\"text\"", "\"TEXT\"", "\"image\"", "\"name\"", "\"NAME*0*\"", "0", "12", "\"12\"",
    "(\"inline\" NIL)", "(\"attachment\" NIL)", "(\"name\" \"a.txt\")", "(\"charset\" \"utf-8\")",
    "(\"x\" \"y\" \"name\" \"z\")", "()", "\"mixed\"", "x",
  };
  guint quick_none = 0;

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      const char *p = bases[g_test_rand_int_range (0, G_N_ELEMENTS (bases))];
      g_autofree char *structure = NULL;
      g_autofree char *line = NULL;
      g_autoptr(PochtaImapParser) parser = pochta_imap_parser_new (NULL);
      g_autoptr(PochtaImapResponse) response = NULL;
      g_autoptr(PochtaImapBodyPart) root = NULL;
      gsize consumed = 0;
      guint n_swaps = g_test_rand_int_range (1, 4);

      /* Tokens: parentheses, quoted strings, atoms. */
      while (*p != '\0')
        {
          const char *start = p;

          if (*p == ' ')
            {
              p++;
              continue;
            }
          if (*p == '(' || *p == ')')
            p++;
          else if (*p == '"')
            p = strchr (p + 1, '"') + 1;
          else
            while (*p != '\0' && *p != ' ' && *p != '(' && *p != ')')
              p++;
          g_ptr_array_add (tokens, g_strndup (start, p - start));
        }
      for (guint i = 0; i < n_swaps; i++)
        {
          guint at = g_test_rand_int_range (0, tokens->len);
          const char *old = g_ptr_array_index (tokens, at);

          if (strcmp (old, "(") == 0 || strcmp (old, ")") == 0)
            continue;
          g_free (g_ptr_array_index (tokens, at));
          g_ptr_array_index (tokens, at) = g_strdup (swaps[g_test_rand_int_range (0, G_N_ELEMENTS (swaps))]);
        }
      g_ptr_array_add (tokens, NULL);
      structure = g_strjoinv (" ", (char **) tokens->pdata);
      line = g_strdup_printf ("* 1 FETCH (UID 5 BODYSTRUCTURE %s)\r\n", structure);
      if (pochta_imap_parser_feed (parser, line, strlen (line), &consumed, NULL) != POCHTA_IMAP_PARSE_RESPONSE)
        continue;
      response = pochta_imap_parser_take_response (parser);

      if (pochta_imap_body_structure_may_have_attachments (
            pochta_imap_value_list_get (pochta_imap_value_list_get (response->data, 0), 3)))
        continue;
      quick_none++;
      root = parse_body (structure, NULL);
      g_assert_nonnull (root);
      {
        g_autoptr(GPtrArray) attachments = pochta_imap_body_part_list_attachments (root);

        g_assert_cmpuint (attachments->len, ==, 0);
      }
    }

  /* The mutations are mild enough that many stay plain text. */
  g_assert_cmpuint (quick_none, >, 100);
}

static void
test_depth_limit (void)
{
  GString *text = g_string_new (NULL);
  g_autofree char *structure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapBodyPart) root = NULL;

  for (guint i = 0; i < 40; i++)
    g_string_append_c (text, '(');
  g_string_append (text, PLAIN);
  for (guint i = 0; i < 40; i++)
    g_string_append (text, " \"mixed\")");
  structure = g_string_free (text, FALSE);

  root = parse_body (structure, &error);
  g_assert_null (root);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);
  /* Too deep for the quick look too: the limit stays the parser's. */
  g_assert_true (may_have_attachments (structure));
}

static void
test_parts_limit (void)
{
  GString *text = g_string_new ("(");
  g_autofree char *structure = NULL;
  g_autofree char *line = NULL;
  g_autoptr(PochtaImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapBodyPart) root = NULL;
  g_autoptr(PochtaImapBodyPart) ok = NULL;
  const PochtaImapValue *items;

  for (guint i = 0; i < 20; i++)
    g_string_append (text, PLAIN);
  g_string_append (text, " \"mixed\")");
  structure = g_string_free (text, FALSE);
  line = g_strdup_printf ("* 1 FETCH (BODYSTRUCTURE %s)\r\n", structure);
  response = imap_test_parse (line);
  items = pochta_imap_value_list_get (response->data, 0);

  root = pochta_imap_body_part_new_from_value_full (pochta_imap_value_list_get (items, 1), 32, 10, &error);
  g_assert_null (root);
  g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_LIMIT);

  ok = pochta_imap_body_part_new_from_value_full (pochta_imap_value_list_get (items, 1), 32, 21, NULL);
  g_assert_nonnull (ok);
  g_assert_cmpstr (child (ok, 19)->section, ==, "20");
}

void
add_body_structure_tests (void)
{
  g_test_add_func ("/core/imap/body-structure/single", test_single);
  g_test_add_func ("/core/imap/body-structure/body-non-extensible", test_body_non_extensible);
  g_test_add_func ("/core/imap/body-structure/alternative", test_alternative);
  g_test_add_func ("/core/imap/body-structure/mixed-attachment", test_mixed_attachment);
  g_test_add_func ("/core/imap/body-structure/related-cid", test_related_cid);
  g_test_add_func ("/core/imap/body-structure/message-rfc822", test_message_rfc822);
  g_test_add_func ("/core/imap/body-structure/odd-servers", test_odd_servers);
  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    g_test_add_data_func (name_cases[i].path, &name_cases[i], test_name);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  g_test_add_func ("/core/imap/body-structure/quick-look", test_quick_look);
  g_test_add_func ("/core/imap/body-structure/quick-look-mutations", test_quick_look_mutations);
  g_test_add_func ("/core/imap/body-structure/depth-limit", test_depth_limit);
  g_test_add_func ("/core/imap/body-structure/parts-limit", test_parts_limit);
}
