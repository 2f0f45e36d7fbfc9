/* test-folder-sync-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure parts of folder sync: FETCH data into cache records (flags,
 * addresses, threading ids, attachments) and special folders by name.
 */

#include "config.h"

#include "../imap/imap-test-response.h"
#include "pochta-sync-private.h"
#include "pochta-test-util.h"

typedef struct
{
  const char         *flags[6];
  PochtaMessageFlags  expected;
  const char         *keywords;
} FlagsCase;

static const FlagsCase flags_cases[] = {
  { { NULL }, POCHTA_MESSAGE_FLAG_NONE, NULL },
  { { "\\Seen", "\\Answered", NULL }, POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_ANSWERED, NULL },
  { { "\\seen", "\\FLAGGED", "\\Deleted", "\\Draft", NULL },
    POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_FLAGGED | POCHTA_MESSAGE_FLAG_DELETED | POCHTA_MESSAGE_FLAG_DRAFT,
    NULL },
  { { "$Forwarded", "$Junk", NULL }, POCHTA_MESSAGE_FLAG_FORWARDED | POCHTA_MESSAGE_FLAG_JUNK, NULL },
  { { "$NotJunk", "NonJunk", "Junk", NULL }, POCHTA_MESSAGE_FLAG_NOT_JUNK | POCHTA_MESSAGE_FLAG_JUNK, NULL },
  { { "\\Recent", "$label1", "\\Unknown", "work", NULL }, POCHTA_MESSAGE_FLAG_RECENT, "$label1 work" },
};

static void
test_flags (gconstpointer data)
{
  const FlagsCase *c = data;
  g_autofree char *keywords = NULL;
  PochtaMessageFlags flags = _pochta_sync_flags_from_imap (c->flags, &keywords);

  g_assert_cmphex (flags, ==, c->expected);
  g_assert_cmpstr (keywords, ==, c->keywords);
}

static void
test_msg_ids (void)
{
  struct { const char *in; gboolean first; const char *out; } cases[] = {
    { NULL, TRUE, NULL },
    { "   ", TRUE, NULL },
    { "<a@b>", TRUE, "<a@b>" },
    { "  <a@b>  (comment)", TRUE, "<a@b>" },
    { "<a@b> <c@d>", TRUE, "<a@b>" },
    { "<a@b>\r\n\t<c@d>", FALSE, "<a@b> <c@d>" },
    { "<a@\r\n b>", TRUE, "<a@b>" },
    { "bare@id", TRUE, "bare@id" },
    { "one two", FALSE, "one two" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _pochta_sync_normalize_msg_ids (cases[i].in, cases[i].first);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_references (void)
{
  struct { const char *header; const char *out; } cases[] = {
    { "\r\n", NULL },
    { "References: <a@b>\r\n\r\n", "<a@b>" },
    { "REFERENCES: <a@b>\r\n <c@d>\r\n\t<e@f>\r\n\r\n", "<a@b> <c@d> <e@f>" },
    { "References:<a@b> <c@d>\n\n", "<a@b> <c@d>" },
    { "X-Other: <x@y>\r\nReferences: <a@b>\r\n\r\n", "<a@b>" },
  };

  g_assert_null (_pochta_sync_references_from_header (NULL, 0));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _pochta_sync_references_from_header (cases[i].header, strlen (cases[i].header));

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* The record of one FETCH answer, through the view the header sync uses. */
static PochtaMessageRecord *
record_from_text (const char  *response,
                  GError     **error)
{
  g_autoptr(PochtaImapResponse) parsed = imap_test_parse (response);
  PochtaImapFetchView view;

  if (!pochta_imap_fetch_view_init (&view, parsed, error))
    return NULL;
  return _pochta_sync_record_from_view (&view, error);
}

static void
test_addresses (void)
{
  struct { const char *list; const char *out; } cases[] = {
    { "NIL", NULL },
    { "()", NULL },
    { "((\"Bob\" NIL \"bob\" \"example.org\")(\"Smith, John\" NIL \"john\" \"example.org\")"
      "(NIL NIL \"carol\" \"example.org\")(\"\xd0\x90\xd0\xbb\xd0\xb8\xd1\x81\xd0\xb0 \\\"A\\\"\" NIL \"alisa\" \"example.org\")"
      "(NIL NIL NIL \"example.org\"))",
      "Bob <bob@example.org>, \"Smith, John\" <john@example.org>, carol@example.org, "
      "\"\xd0\x90\xd0\xbb\xd0\xb8\xd1\x81\xd0\xb0 \\\"A\\\"\" <alisa@example.org>" },
    /* Encoded names are decoded; a local part that is no dot-atom is quoted. */
    { "((\"=?UTF-8?Q?Ren=C3=A9?=\" NIL \"a b\" \"example.org\"))", "Ren\xc3\xa9 <\"a b\"@example.org>" },
    /* Group syntax: the markers leave no entry, an empty group nothing. */
    { "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))", NULL },
    { "((NIL NIL \"team\" NIL)(\"Ann\" NIL \"ann\" \"x.org\")(NIL NIL NIL NIL)(NIL NIL \"dan\" \"x.org\"))",
      "Ann <ann@x.org>, dan@x.org" },
    /* Dovecot's stand-ins for a missing part, and bytes that are not UTF-8. */
    { "((\"Nobody\" NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\")(NIL NIL \"local\" \"MISSING_DOMAIN\"))",
      "Nobody, local" },
    { "((NIL NIL \"caf\xe9\" \"ex\xff" "ample.org\"))", "caf\xef\xbf\xbd@ex\xef\xbf\xbd" "ample.org" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *response = g_strdup_printf ("* 1 FETCH (UID 1 ENVELOPE (NIL NIL NIL NIL NIL %s NIL NIL NIL NIL))\r\n",
                                                   cases[i].list);
      g_autoptr(GError) error = NULL;
      g_autoptr(PochtaMessageRecord) record = record_from_text (response, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (record->to_addrs, ==, cases[i].out);
      g_assert_true (record->to_addrs == NULL || g_utf8_validate (record->to_addrs, -1, NULL));
    }
}

static void
test_record (void)
{
  static const char response[] =
    "* 12 FETCH (UID 4021 FLAGS (\\Seen $Forwarded custom) MODSEQ (77) INTERNALDATE \"03-Oct-2023 09:31:00 +0200\""
    " RFC822.SIZE 5120"
    " ENVELOPE (\"Tue, 3 Oct 2023 09:30:00 +0200\" \"=?UTF-8?Q?Priv=C3=A9t?=\""
    " ((\"=?UTF-8?B?0JDQu9C40YHQsA==?=\" NIL \"alisa\" \"example.test\")) NIL NIL"
    " ((\"Bob\" NIL \"bob\" \"example.test\")) ((NIL NIL \"carol\" \"example.test\")) NIL"
    " \"<parent@example.test>\" \"<msg@example.test>\")"
    " BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 20 1 NIL NIL NIL NIL)"
    "(\"image\" \"png\" (\"name\" \"logo.png\") \"<logo@x>\" NIL \"base64\" 400 NIL (\"inline\" NIL) NIL NIL)"
    "(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL NIL \"base64\" 1000 NIL (\"attachment\" (\"filename\" \"report.pdf\")) NIL NIL)"
    " \"mixed\" (\"boundary\" \"x\") NIL NIL NIL)"
    " BODY[HEADER.FIELDS (REFERENCES)] {48}\r\nReferences: <root@example.test>\r\n <parent@x>\r\n\r\n)\r\n";
  g_autoptr(PochtaMessageRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const PochtaAttachmentRecord *a;

  record = record_from_text (response, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (record->uid, ==, 4021);
  g_assert_cmphex (record->flags, ==, POCHTA_MESSAGE_FLAG_SEEN | POCHTA_MESSAGE_FLAG_FORWARDED);
  g_assert_cmpstr (record->keywords, ==, "custom");
  g_assert_cmpuint (record->modseq, ==, 77);
  g_assert_cmpint (record->internal_date, ==, 1696318260);
  g_assert_cmpint (record->date, ==, 1696318200);
  g_assert_cmpuint (record->size, ==, 5120);
  g_assert_cmpstr (record->subject, ==, "Privét");
  g_assert_cmpstr (record->from_name, ==, "Алиса");
  g_assert_cmpstr (record->from_addr, ==, "alisa@example.test");
  g_assert_cmpstr (record->to_addrs, ==, "Bob <bob@example.test>");
  g_assert_cmpstr (record->cc_addrs, ==, "carol@example.test");
  g_assert_cmpstr (record->message_id, ==, "<msg@example.test>");
  g_assert_cmpstr (record->in_reply_to, ==, "<parent@example.test>");
  g_assert_cmpstr (record->references, ==, "<root@example.test> <parent@x>");
  g_assert_null (record->preview);

  /* The inline logo is listed, but only the PDF earns the paperclip. */
  g_assert_true (record->has_attachments);
  g_assert_nonnull (record->attachments);
  g_assert_cmpuint (record->attachments->len, ==, 2);
  a = g_ptr_array_index (record->attachments, 0);
  g_assert_cmpstr (a->part, ==, "2");
  g_assert_cmpstr (a->mime_type, ==, "image/png");
  g_assert_cmpstr (a->content_id, ==, "logo@x");
  g_assert_true (a->inline_);
  a = g_ptr_array_index (record->attachments, 1);
  g_assert_cmpstr (a->part, ==, "3");
  g_assert_cmpstr (a->filename, ==, "report.pdf");
  g_assert_cmpstr (a->mime_type, ==, "application/pdf");
  g_assert_cmpuint (a->size, ==, 1000);
  g_assert_false (a->inline_);
}

static void
test_record_minimal (void)
{
  g_autoptr(PochtaMessageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = record_from_text ("* 1 FETCH (UID 7 FLAGS () ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record->uid, ==, 7);
  g_assert_cmpuint (record->flags, ==, 0);
  g_assert_null (record->subject);
  g_assert_null (record->from_addr);
  g_assert_null (record->to_addrs);
  g_assert_null (record->message_id);
  g_assert_null (record->references);
  g_assert_null (record->attachments);
  g_assert_false (record->has_attachments);
}

/* The header sync reads the FETCH in place; what it stores must be what
 * the typed decoders (PochtaImapFetch, PochtaImapEnvelope), tested on
 * their own, make of the same answer. */
static void
test_record_agrees_with_envelope (void)
{
  static const char * const envelopes[] = {
    "(\"Tue, 3 Oct 2023 09:30:00 +0200\" \"Plain\" ((\"Ann\" NIL \"ann\" \"x.org\")) NIL NIL NIL NIL NIL NIL \"<a@x>\")",
    /* No From: the Sender is the author. A From of only group markers counts as none. */
    "(NIL NIL NIL ((\"Sam\" NIL \"sam\" \"x.org\")) NIL NIL NIL NIL NIL NIL)",
    "(NIL NIL ((NIL NIL \"list\" NIL)(NIL NIL NIL NIL)) ((NIL NIL \"sam\" \"x.org\")) NIL NIL NIL NIL NIL NIL)",
    /* Dates GMime parses, a date that is not one, an empty name, blanks around ids. */
    "(\"17 Jul 1996 02:23:25 GMT\" \"=?iso-8859-1?q?caf=E9?=\" ((\"\" NIL \"x\" \"y.z\")) NIL NIL NIL NIL NIL"
    " \"  <p@x>  (c)\" \" <m@x> \")",
    "(\"  Mon, 01 Jan 2024 00:00:00 +0100  \" NIL ((NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\")) NIL NIL NIL NIL NIL NIL \"no-brackets\")",
    "(\"Wed, 31 Feb 2020 02:23:25 +0100\" \"a\\r\\n b\" ((\"=?utf-8?b?0J8=?=\" NIL \"a\\\"b\" \"x\")) NIL NIL NIL NIL NIL NIL NIL)",
    "(\"someday\" \"x\" ((NIL NIL \"caf\xe9\" \"h\xffst\")) NIL NIL NIL NIL NIL \"<\xff@x>\" \"<m\xe9@x>\")",
  };

  for (guint i = 0; i < G_N_ELEMENTS (envelopes); i++)
    {
      g_autofree char *text = g_strdup_printf ("* 1 FETCH (UID 9 INTERNALDATE \"05-Mar-2024 09:07:01 -0330\" ENVELOPE %s)\r\n",
                                               envelopes[i]);
      g_autoptr(PochtaImapResponse) parsed = imap_test_parse (text);
      g_autoptr(PochtaImapFetch) fetch = NULL;
      g_autoptr(PochtaMessageRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      const PochtaImapEnvelope *env;
      GPtrArray *author;
      g_autofree char *message_id = NULL;
      g_autofree char *in_reply_to = NULL;

      fetch = pochta_imap_fetch_new_from_response (parsed, &error);
      g_assert_no_error (error);
      record = record_from_text (text, &error);
      g_assert_no_error (error);
      env = fetch->envelope;

      g_assert_cmpint (record->internal_date, ==, g_date_time_to_unix (fetch->internaldate));
      g_assert_cmpint (record->date, ==, env->date != NULL ? g_date_time_to_unix (env->date) : record->internal_date);
      g_assert_cmpstr (record->subject, ==, env->subject);

      author = env->from->len > 0 ? env->from : env->sender;
      if (author->len == 0)
        {
          g_assert_null (record->from_name);
          g_assert_null (record->from_addr);
        }
      else
        {
          const PochtaImapAddress *first = g_ptr_array_index (author, 0);
          g_autofree char *addr_spec = pochta_imap_address_get_addr_spec (first);

          g_assert_cmpstr (record->from_name, ==, first->name != NULL && first->name[0] != '\0' ? first->name : NULL);
          g_assert_cmpstr (record->from_addr, ==, addr_spec);
        }

      message_id = _pochta_sync_normalize_msg_ids (env->message_id, TRUE);
      in_reply_to = _pochta_sync_normalize_msg_ids (env->in_reply_to, TRUE);
      g_assert_cmpstr (record->message_id, ==, message_id);
      g_assert_cmpstr (record->in_reply_to, ==, in_reply_to);
      g_assert_true (record->message_id == NULL || g_utf8_validate (record->message_id, -1, NULL));
    }
}

/* A malformed envelope or body structure is an error, not a record with
 * holes; answers without them are not headers and make plain records. */
static void
test_record_malformed (void)
{
  static const char * const responses[] = {
    "* 1 FETCH (UID 1 ENVELOPE (NIL NIL))\r\n",
    "* 1 FETCH (UID 1 ENVELOPE (NIL NIL (\"not an address\") NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (UID 1 ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (UID 1 ENVELOPE (NIL (\"list\") NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
    "* 1 FETCH (UID 1 ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"text\"))\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PochtaMessageRecord) record = record_from_text (responses[i], &error);

      g_assert_null (record);
      g_assert_error (error, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PARSE);
    }
}

static void
test_role_names (void)
{
  struct { const char *name; PochtaFolderRole role; } cases[] = {
    { "Sent", POCHTA_FOLDER_ROLE_SENT },
    { "sent items", POCHTA_FOLDER_ROLE_SENT },
    { "Sent Messages", POCHTA_FOLDER_ROLE_SENT },
    { "Отправленные", POCHTA_FOLDER_ROLE_SENT },
    { "Gesendete Elemente", POCHTA_FOLDER_ROLE_SENT },
    { "ENVOYÉS", POCHTA_FOLDER_ROLE_SENT },
    { "Enviados", POCHTA_FOLDER_ROLE_SENT },
    { "Posta inviata", POCHTA_FOLDER_ROLE_SENT },
    { "Verzonden", POCHTA_FOLDER_ROLE_SENT },
    { "Wysłane", POCHTA_FOLDER_ROLE_SENT },
    { "送信済み", POCHTA_FOLDER_ROLE_SENT },
    { "Drafts", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Черновики", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Entwürfe", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Brouillons", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Borradores", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Trash", POCHTA_FOLDER_ROLE_TRASH },
    { "Deleted Items", POCHTA_FOLDER_ROLE_TRASH },
    { "Deleted Messages", POCHTA_FOLDER_ROLE_TRASH },
    { "Корзина", POCHTA_FOLDER_ROLE_TRASH },
    { "Удаленные", POCHTA_FOLDER_ROLE_TRASH },
    { "Papierkorb", POCHTA_FOLDER_ROLE_TRASH },
    { "Corbeille", POCHTA_FOLDER_ROLE_TRASH },
    { "Papelera", POCHTA_FOLDER_ROLE_TRASH },
    { "Junk", POCHTA_FOLDER_ROLE_JUNK },
    { "SPAM", POCHTA_FOLDER_ROLE_JUNK },
    { "Спам", POCHTA_FOLDER_ROLE_JUNK },
    { "Нежелательная почта", POCHTA_FOLDER_ROLE_JUNK },
    { "Archive", POCHTA_FOLDER_ROLE_ARCHIVE },
    { "Archives", POCHTA_FOLDER_ROLE_ARCHIVE },
    { "Архив", POCHTA_FOLDER_ROLE_ARCHIVE },
    { "Archiv", POCHTA_FOLDER_ROLE_ARCHIVE },
    { "Work", POCHTA_FOLDER_ROLE_NONE },
    { "Sent-old", POCHTA_FOLDER_ROLE_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (_pochta_sync_role_for_name (cases[i].name, NULL), ==, cases[i].role);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flags_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/sync/record/flags/%u", i);

      g_test_add_data_func (path, &flags_cases[i], test_flags);
    }
  g_test_add_func ("/core/sync/record/msg-ids", test_msg_ids);
  g_test_add_func ("/core/sync/record/references", test_references);
  g_test_add_func ("/core/sync/record/addresses", test_addresses);
  g_test_add_func ("/core/sync/record/from-fetch", test_record);
  g_test_add_func ("/core/sync/record/from-fetch-minimal", test_record_minimal);
  g_test_add_func ("/core/sync/record/agrees-with-envelope", test_record_agrees_with_envelope);
  g_test_add_func ("/core/sync/record/malformed", test_record_malformed);
  g_test_add_func ("/core/sync/record/role-names", test_role_names);

  return g_test_run ();
}
