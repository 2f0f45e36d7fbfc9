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

  g_assert_null (_pochta_sync_references_from_header (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].header, strlen (cases[i].header));
      g_autofree char *out = _pochta_sync_references_from_header (bytes);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_addresses (void)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_imap_address_free);
  g_autofree char *text = NULL;

  g_assert_null (_pochta_sync_format_addresses (NULL));
  g_assert_null (_pochta_sync_format_addresses (list));

  g_ptr_array_add (list, pochta_imap_address_new ("Bob", "bob", "example.org"));
  g_ptr_array_add (list, pochta_imap_address_new ("Smith, John", "john", "example.org"));
  g_ptr_array_add (list, pochta_imap_address_new (NULL, "carol", "example.org"));
  g_ptr_array_add (list, pochta_imap_address_new ("Алиса \"A\"", "alisa", "example.org"));
  g_ptr_array_add (list, pochta_imap_address_new (NULL, NULL, NULL));
  text = _pochta_sync_format_addresses (list);
  g_assert_cmpstr (text, ==,
                   "Bob <bob@example.org>, \"Smith, John\" <john@example.org>, carol@example.org, "
                   "\"Алиса \\\"A\\\"\" <alisa@example.org>");
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
  g_autoptr(PochtaImapResponse) parsed = imap_test_parse (response);
  g_autoptr(PochtaImapFetch) fetch = NULL;
  g_autoptr(PochtaMessageRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const PochtaAttachmentRecord *a;

  fetch = pochta_imap_fetch_new_from_response (parsed, &error);
  g_assert_no_error (error);
  record = _pochta_sync_record_from_fetch (fetch);

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
  static const char response[] = "* 1 FETCH (UID 7 FLAGS () ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n";
  g_autoptr(PochtaImapResponse) parsed = imap_test_parse (response);
  g_autoptr(PochtaImapFetch) fetch = NULL;
  g_autoptr(PochtaMessageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  fetch = pochta_imap_fetch_new_from_response (parsed, &error);
  g_assert_no_error (error);
  record = _pochta_sync_record_from_fetch (fetch);
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
  g_test_add_func ("/core/sync/record/role-names", test_role_names);

  return g_test_run ();
}
