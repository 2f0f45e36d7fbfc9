/* test-imap-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Untagged data cases for test-imap-fetch: LIST, STATUS, SEARCH, ESEARCH,
 * VANISHED, NAMESPACE, ENABLED, ID.
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "imap-test-response.h"
#include "pochta-imap-data.h"
#include "pochta-imap-envelope.h"
#include "pochta-imap-error.h"
#include "pochta-imap-fetch.h"

void add_data_tests (void);

typedef struct
{
  const char             *path;
  const char             *line;
  gboolean                utf8;
  const char             *name;
  const char             *raw_name;
  char                    delimiter;
  PochtaImapMailboxFlags  flags;
  PochtaImapMailboxRole   role;
} ListCase;

static const ListCase list_cases[] = {
  { "/core/imap/data/list/sent-cyrillic",
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\"\r\n", FALSE,
    "Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", '/', POCHTA_IMAP_MAILBOX_HAS_NO_CHILDREN,
    POCHTA_IMAP_MAILBOX_ROLE_SENT },
  { "/core/imap/data/list/gmail-noselect", "* LIST (\\Noselect \\HasChildren) \".\" \"[Gmail]\"\r\n", FALSE,
    "[Gmail]", "[Gmail]", '.', POCHTA_IMAP_MAILBOX_NOSELECT | POCHTA_IMAP_MAILBOX_HAS_CHILDREN,
    POCHTA_IMAP_MAILBOX_ROLE_NONE },
  { "/core/imap/data/list/inbox-lower-nil-delimiter", "* LIST () NIL inbox\r\n", FALSE,
    "INBOX", "inbox", '\0', 0, POCHTA_IMAP_MAILBOX_ROLE_INBOX },
  { "/core/imap/data/list/nonexistent", "* LIST (\\NonExistent) \"/\" gone\r\n", FALSE,
    "gone", "gone", '/', POCHTA_IMAP_MAILBOX_NONEXISTENT | POCHTA_IMAP_MAILBOX_NOSELECT,
    POCHTA_IMAP_MAILBOX_ROLE_NONE },
  { "/core/imap/data/list/utf8-accept", "* LIST (\\Drafts) \"/\" \"Черновики\"\r\n", TRUE,
    "Черновики", "Черновики", '/', 0, POCHTA_IMAP_MAILBOX_ROLE_DRAFTS },
  { "/core/imap/data/list/raw-utf8-fallback", "* LIST (\\Trash) \"/\" \"Корзина\"\r\n", FALSE,
    "Корзина", "Корзина", '/', 0, POCHTA_IMAP_MAILBOX_ROLE_TRASH },
  { "/core/imap/data/list/lsub", "* LSUB () \"/\" Work\r\n", FALSE,
    "Work", "Work", '/', POCHTA_IMAP_MAILBOX_SUBSCRIBED, POCHTA_IMAP_MAILBOX_ROLE_NONE },
  { "/core/imap/data/list/extended", "* LIST (\\Subscribed \\Junk) \"/\" Spam (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
    FALSE, "Spam", "Spam", '/', POCHTA_IMAP_MAILBOX_SUBSCRIBED, POCHTA_IMAP_MAILBOX_ROLE_JUNK },
  { "/core/imap/data/list/literal-name", "* LIST (\\All \\Archive) \"/\" {5}\r\nab cd\r\n", FALSE,
    "ab cd", "ab cd", '/', 0, POCHTA_IMAP_MAILBOX_ROLE_ARCHIVE },
  { "/core/imap/data/list/important", "* LIST (\\HasNoChildren \\Important) \"/\" \"[Gmail]/Important\"\r\n", FALSE,
    "[Gmail]/Important", "[Gmail]/Important", '/', POCHTA_IMAP_MAILBOX_HAS_NO_CHILDREN,
    POCHTA_IMAP_MAILBOX_ROLE_IMPORTANT },
  { "/core/imap/data/list/flagged-escaped-delimiter", "* LIST (\\Flagged) \"\\\\\" Starred\r\n", FALSE,
    "Starred", "Starred", '\\', 0, POCHTA_IMAP_MAILBOX_ROLE_FLAGGED },
};

static void
test_list (gconstpointer data)
{
  const ListCase *c = data;
  g_autoptr(PochtaImapResponse) response = imap_test_parse (c->line);
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxInfo) info = pochta_imap_mailbox_info_new_from_response (response, c->utf8, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, c->name);
  g_assert_cmpstr (info->raw_name, ==, c->raw_name);
  g_assert_cmpint (info->delimiter, ==, c->delimiter);
  g_assert_cmpuint (info->flags, ==, c->flags);
  g_assert_cmpint (info->role, ==, c->role);
  g_assert_nonnull (info->attributes);
}

static void
test_status (void)
{
  g_autoptr(PochtaImapResponse) response =
    imap_test_parse ("* STATUS \"&BBIERQQ+BDQETwRJBDgENQ-\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 4294967295 "
                     "UNSEEN 3 RECENT 0 HIGHESTMODSEQ 7011231777 SIZE 123456 X-FUTURE 1)\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxStatus) status = pochta_imap_mailbox_status_new_from_response (response, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (status->mailbox, ==, "Входящие");
  g_assert_cmpuint (status->messages, ==, 231);
  g_assert_cmpuint (status->uidnext, ==, 44292);
  g_assert_cmpuint (status->uidvalidity, ==, 4294967295u);
  g_assert_cmpuint (status->unseen, ==, 3);
  g_assert_cmpuint (status->recent, ==, 0);
  g_assert_cmpuint (status->highestmodseq, ==, G_GUINT64_CONSTANT (7011231777));
  g_assert_cmpuint (status->size, ==, 123456);
  g_assert_cmpuint (status->present, ==, 0x7f);
}

static void
test_search (void)
{
  g_autoptr(PochtaImapResponse) plain = imap_test_parse ("* SEARCH 2 84 882\r\n");
  g_autoptr(PochtaImapResponse) empty = imap_test_parse ("* SEARCH\r\n");
  g_autoptr(PochtaImapResponse) modseq = imap_test_parse ("* SEARCH 2 5 (MODSEQ 917162500)\r\n");
  g_autoptr(GArray) a = pochta_imap_search_parse (plain, NULL, NULL);
  g_autoptr(GArray) b = pochta_imap_search_parse (empty, NULL, NULL);
  g_autoptr(GArray) c = NULL;
  guint64 value = 1;

  g_assert_cmpuint (a->len, ==, 3);
  g_assert_cmpuint (g_array_index (a, guint32, 2), ==, 882);
  g_assert_cmpuint (b->len, ==, 0);
  c = pochta_imap_search_parse (modseq, &value, NULL);
  g_assert_cmpuint (c->len, ==, 2);
  g_assert_cmpuint (value, ==, 917162500);
}

static void
test_esearch (void)
{
  g_autoptr(PochtaImapResponse) full =
    imap_test_parse ("* ESEARCH (TAG \"a567\") UID MIN 2 MAX 47 COUNT 5 ALL 2,10:11,15,47 MODSEQ 99 PARTIAL (1:5 NIL)\r\n");
  g_autoptr(PochtaImapResponse) count = imap_test_parse ("* ESEARCH (TAG \"a1\") COUNT 0\r\n");
  g_autoptr(PochtaImapResponse) bare = imap_test_parse ("* ESEARCH\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapEsearch) e1 = pochta_imap_esearch_new_from_response (full, &error);
  g_autoptr(PochtaImapEsearch) e2 = pochta_imap_esearch_new_from_response (count, NULL);
  g_autoptr(PochtaImapEsearch) e3 = pochta_imap_esearch_new_from_response (bare, NULL);
  g_autofree char *all = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (e1->tag, ==, "a567");
  g_assert_true (e1->uid);
  g_assert_cmpuint (e1->min, ==, 2);
  g_assert_cmpuint (e1->max, ==, 47);
  g_assert_cmpuint (e1->count, ==, 5);
  g_assert_cmpuint (e1->modseq, ==, 99);
  all = pochta_imap_sequence_set_to_string (e1->all);
  g_assert_cmpstr (all, ==, "2,10:11,15,47");
  g_assert_cmpuint (pochta_imap_sequence_set_count (e1->all), ==, e1->count);
  g_assert_cmpuint (e1->present, ==, POCHTA_IMAP_ESEARCH_MIN | POCHTA_IMAP_ESEARCH_MAX | POCHTA_IMAP_ESEARCH_COUNT
                                      | POCHTA_IMAP_ESEARCH_ALL | POCHTA_IMAP_ESEARCH_MODSEQ);

  g_assert_false (e2->uid);
  g_assert_cmpuint (e2->present, ==, POCHTA_IMAP_ESEARCH_COUNT);
  g_assert_cmpuint (e2->count, ==, 0);
  g_assert_null (e2->all);

  g_assert_null (e3->tag);
  g_assert_cmpuint (e3->present, ==, 0);
}

static void
test_vanished (void)
{
  g_autoptr(PochtaImapResponse) earlier = imap_test_parse ("* VANISHED (EARLIER) 300:310,405,411\r\n");
  g_autoptr(PochtaImapResponse) now = imap_test_parse ("* VANISHED 405,407\r\n");
  g_autoptr(PochtaImapVanished) v1 = pochta_imap_vanished_new_from_response (earlier, NULL);
  g_autoptr(PochtaImapVanished) v2 = pochta_imap_vanished_new_from_response (now, NULL);

  g_assert_true (v1->earlier);
  g_assert_cmpuint (pochta_imap_sequence_set_count (v1->uids), ==, 13);
  g_assert_false (v2->earlier);
  g_assert_true (pochta_imap_sequence_set_contains (v2->uids, 407));
  g_assert_false (pochta_imap_sequence_set_contains (v2->uids, 406));
}

static void
test_namespace (void)
{
  g_autoptr(PochtaImapResponse) r1 =
    imap_test_parse ("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\" "
                     "\"X-PARAM\" (\"FLAG1\" \"FLAG2\")))\r\n");
  g_autoptr(PochtaImapResponse) r2 = imap_test_parse ("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n");
  g_autoptr(PochtaImapNamespaces) n1 = pochta_imap_namespaces_new_from_response (r1, FALSE, NULL);
  g_autoptr(PochtaImapNamespaces) n2 = pochta_imap_namespaces_new_from_response (r2, FALSE, NULL);
  PochtaImapNamespace *ns;

  g_assert_cmpuint (n1->personal->len, ==, 1);
  ns = g_ptr_array_index (n1->personal, 0);
  g_assert_cmpstr (ns->prefix, ==, "");
  g_assert_cmpint (ns->delimiter, ==, '/');
  g_assert_cmpuint (n1->other->len, ==, 1);
  g_assert_cmpuint (n1->shared->len, ==, 2);
  ns = g_ptr_array_index (n1->shared, 1);
  g_assert_cmpstr (ns->prefix, ==, "#public/");

  ns = g_ptr_array_index (n2->personal, 0);
  g_assert_cmpstr (ns->prefix, ==, "INBOX.");
  g_assert_cmpint (ns->delimiter, ==, '.');
  g_assert_cmpuint (n2->other->len + n2->shared->len, ==, 0);
}

static void
test_enabled_id (void)
{
  g_autoptr(PochtaImapResponse) enabled = imap_test_parse ("* ENABLED CONDSTORE qresync\r\n");
  g_autoptr(PochtaImapResponse) id = imap_test_parse ("* ID (\"name\" \"Dovecot\" \"version\" NIL \"Support-URL\" "
                                                      "\"http://www.dovecot.org\")\r\n");
  g_autoptr(PochtaImapResponse) id_nil = imap_test_parse ("* ID NIL\r\n");
  g_auto(GStrv) names = pochta_imap_enabled_parse (enabled, NULL);
  g_autoptr(GHashTable) fields = pochta_imap_id_parse (id, NULL);
  g_autoptr(GHashTable) none = pochta_imap_id_parse (id_nil, NULL);

  g_assert_cmpstrv (names, ((const char *[]) { "CONDSTORE", "QRESYNC", NULL }));
  g_assert_cmpstr (g_hash_table_lookup (fields, "name"), ==, "Dovecot");
  g_assert_cmpstr (g_hash_table_lookup (fields, "support-url"), ==, "http://www.dovecot.org");
  g_assert_false (g_hash_table_contains (fields, "version"));
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
}

typedef enum
{
  KIND_LIST,
  KIND_STATUS,
  KIND_SEARCH,
  KIND_ESEARCH,
  KIND_VANISHED,
  KIND_NAMESPACE,
  KIND_ENABLED,
  KIND_ID,
} Kind;

typedef struct
{
  const char *path;
  Kind        kind;
  const char *line;
  int         code;
} BadCase;

static const BadCase bad_cases[] = {
  { "/core/imap/data/bad/list-not-list", KIND_LIST, "* LIST \"x\" \"/\" a\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/list-long-delimiter", KIND_LIST, "* LIST () \"//\" a\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/list-no-name", KIND_LIST, "* LIST ()\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/list-name-list", KIND_LIST, "* LIST () \"/\" (a)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/list-attr-string", KIND_LIST, "* LIST (\"x\") \"/\" a\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/list-other", KIND_LIST, "* STATUS a (MESSAGES 1)\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
  { "/core/imap/data/bad/status-odd", KIND_STATUS, "* STATUS a (MESSAGES)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/status-word", KIND_STATUS, "* STATUS a (MESSAGES many)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/status-overflow", KIND_STATUS, "* STATUS a (UIDVALIDITY 4294967296)\r\n",
    POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/status-no-list", KIND_STATUS, "* STATUS a\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/search-zero", KIND_SEARCH, "* SEARCH 0\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/search-word", KIND_SEARCH, "* SEARCH 1 abc\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/search-modseq-word", KIND_SEARCH, "* SEARCH 1 (MODSEQ x)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/esearch-tag-atom", KIND_ESEARCH, "* ESEARCH (TAG a1) COUNT 1\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/esearch-star", KIND_ESEARCH, "* ESEARCH UID ALL 1:*\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/esearch-dangling", KIND_ESEARCH, "* ESEARCH UID MIN\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/esearch-count-word", KIND_ESEARCH, "* ESEARCH COUNT x\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/vanished-later", KIND_VANISHED, "* VANISHED (LATER) 1\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/vanished-empty", KIND_VANISHED, "* VANISHED\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/vanished-two", KIND_VANISHED, "* VANISHED 1 2\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/vanished-zero", KIND_VANISHED, "* VANISHED 0:3\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/namespace-short", KIND_NAMESPACE, "* NAMESPACE ((\"\" \"/\"))\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/namespace-flat", KIND_NAMESPACE, "* NAMESPACE (\"\" \"/\") NIL NIL\r\n",
    POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/enabled-list", KIND_ENABLED, "* ENABLED (X)\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/id-odd", KIND_ID, "* ID (\"name\")\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/id-atom-key", KIND_ID, "* ID (name \"x\")\r\n", POCHTA_IMAP_ERROR_PARSE },
  { "/core/imap/data/bad/id-other", KIND_ID, "* OK hello\r\n", POCHTA_IMAP_ERROR_PROTOCOL },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(PochtaImapResponse) response = imap_test_parse (c->line);
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  switch (c->kind)
    {
    case KIND_LIST:
      result = pochta_imap_mailbox_info_new_from_response (response, FALSE, &error);
      break;
    case KIND_STATUS:
      result = pochta_imap_mailbox_status_new_from_response (response, FALSE, &error);
      break;
    case KIND_SEARCH:
      result = pochta_imap_search_parse (response, NULL, &error);
      break;
    case KIND_ESEARCH:
      result = pochta_imap_esearch_new_from_response (response, &error);
      break;
    case KIND_VANISHED:
      result = pochta_imap_vanished_new_from_response (response, &error);
      break;
    case KIND_NAMESPACE:
      result = pochta_imap_namespaces_new_from_response (response, FALSE, &error);
      break;
    case KIND_ENABLED:
      result = pochta_imap_enabled_parse (response, &error);
      break;
    case KIND_ID:
      result = pochta_imap_id_parse (response, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Every decoder returns NULL on error, so nothing leaks here. */
  g_assert_null (result);
  g_assert_error (error, POCHTA_IMAP_ERROR, c->code);
}

static const char * const vocabulary[] = {
  "UID", "FLAGS", "MODSEQ", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE", "BODY",
  "BODY[]", "BODY[1.MIME]<0>", "BINARY[1]", "RFC822", "TAG", "MIN", "MAX", "COUNT", "ALL", "EARLIER",
  "MESSAGES", "UIDNEXT", "0", "1", "7", "4294967295", "99999999999999999999", "1:3,5", "*", "\\Seen",
  "text", "plain", "multipart", "message", "rfc822", "alternative", "attachment", "name*0*", "utf-8''%41",
  "=?UTF-8?B?0J8=?=", "&BB4-", "&", "",
};

static PochtaImapValue *
random_value (guint depth)
{
  guint kind = g_test_rand_int_range (0, depth >= 6 ? 3 : 5);
  const char *word = vocabulary[g_test_rand_int_range (0, G_N_ELEMENTS (vocabulary))];
  PochtaImapValue *list;
  guint n;

  switch (kind)
    {
    case 0:
      return pochta_imap_value_new_atom (word, strlen (word));
    case 1:
      return pochta_imap_value_new_string (word, strlen (word));
    case 2:
      return pochta_imap_value_new_nil ();
    default:
      list = pochta_imap_value_new_list ();
      n = g_test_rand_int_range (0, 12);
      for (guint i = 0; i < n; i++)
        pochta_imap_value_list_append (list, random_value (depth + 1));
      return list;
    }
}

#define CHECK(expr, free_func)                                   \
  G_STMT_START {                                                 \
    g_autoptr(GError) e = NULL;                                  \
    gpointer r = (expr);                                         \
    g_assert_true ((r == NULL) == (e != NULL));                  \
    if (r != NULL)                                               \
      free_func (r);                                             \
  } G_STMT_END

/* The in-place readers the header sync uses agree with the typed decoders
 * on what is malformed, and the quick look at a body structure never says
 * "nothing to list" where the parser finds an error or an attachment. */
static void
check_views (const PochtaImapResponse *response,
             const PochtaImapValue    *tree)
{
  g_autoptr(PochtaImapFetch) fetch = pochta_imap_fetch_new_from_response (response, NULL);
  g_autoptr(PochtaImapEnvelope) envelope = pochta_imap_envelope_new_from_value (tree, NULL);
  g_autoptr(PochtaImapBodyPart) body = pochta_imap_body_part_new_from_value (tree, NULL);
  PochtaImapFetchView view;
  PochtaImapEnvelopeView envelope_view;
  gboolean view_ok = pochta_imap_fetch_view_init (&view, response, NULL);
  gboolean lists_ok = pochta_imap_envelope_view_init (&envelope_view, tree, NULL);

  if (fetch != NULL)
    {
      g_assert_true (view_ok);
      g_assert_cmpuint (view.uid, ==, fetch->uid);
      g_assert_cmpuint (view.modseq, ==, fetch->modseq);
      g_assert_cmpuint (view.rfc822_size, ==, fetch->rfc822_size);
    }

  if (lists_ok)
    {
      const PochtaImapValue *lists[] = { envelope_view.from, envelope_view.sender, envelope_view.reply_to,
                                         envelope_view.to, envelope_view.cc, envelope_view.bcc };
      GPtrArray *parsed[] = { NULL, NULL, NULL, NULL, NULL, NULL };

      if (envelope != NULL)
        {
          parsed[0] = envelope->from, parsed[1] = envelope->sender, parsed[2] = envelope->reply_to;
          parsed[3] = envelope->to, parsed[4] = envelope->cc, parsed[5] = envelope->bcc;
        }
      for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
        {
          PochtaImapAddressIter iter;
          const PochtaImapAddressView *address;
          guint n = 0;

          pochta_imap_address_iter_init (&iter, lists[i]);
          while ((lists_ok = pochta_imap_address_iter_next (&iter, &address, NULL)) && address != NULL)
            n++;
          if (!lists_ok)
            break;
          if (parsed[i] != NULL)
            g_assert_cmpuint (n, ==, parsed[i]->len);
        }
    }
  g_assert_cmpint (lists_ok, ==, envelope != NULL);

  if (!pochta_imap_body_structure_may_have_attachments (tree))
    {
      g_autoptr(GPtrArray) attachments = NULL;

      g_assert_nonnull (body);
      attachments = pochta_imap_body_part_list_attachments (body);
      g_assert_cmpuint (attachments->len, ==, 0);
    }
}

/* Random value trees through every decoder: errors, never crashes. */
static void
test_random_trees (void)
{
  static const char * const keywords[] = {
    "FETCH", "LIST", "LSUB", "STATUS", "SEARCH", "ESEARCH", "VANISHED", "NAMESPACE", "ENABLED", "ID",
  };

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(PochtaImapResponse) response = g_new0 (PochtaImapResponse, 1);
      const char *keyword = keywords[g_test_rand_int_range (0, G_N_ELEMENTS (keywords))];
      guint n = g_test_rand_int_range (0, 6);
      g_autoptr(PochtaImapValue) tree = random_value (0);
      g_autoptr(PochtaImapValue) wide = pochta_imap_value_new_list ();

      response->kind = POCHTA_IMAP_RESPONSE_UNTAGGED;
      response->keyword = g_strdup (keyword);
      response->has_number = TRUE;
      response->number = g_test_rand_int_range (0, 3);
      response->data = pochta_imap_value_new_list ();
      for (guint i = 0; i < n; i++)
        pochta_imap_value_list_append (response->data, random_value (1));
      /* Half the FETCH rounds get the right outer shape: (NAME value ...). */
      if (round % 2 == 0)
        {
          PochtaImapValue *items = pochta_imap_value_new_list ();

          for (guint i = 0; i < 2 * n; i++)
            {
              const char *word = vocabulary[g_test_rand_int_range (0, 12)];

              pochta_imap_value_list_append (items, i % 2 == 0 ? pochta_imap_value_new_atom (word, strlen (word))
                                                               : random_value (1));
            }
          pochta_imap_value_list_append (response->data, items);
        }

      CHECK (pochta_imap_fetch_new_from_response (response, &e), pochta_imap_fetch_free);
      CHECK (pochta_imap_mailbox_info_new_from_response (response, round % 2, &e), pochta_imap_mailbox_info_free);
      CHECK (pochta_imap_mailbox_status_new_from_response (response, FALSE, &e), pochta_imap_mailbox_status_free);
      CHECK (pochta_imap_search_parse (response, NULL, &e), g_array_unref);
      CHECK (pochta_imap_esearch_new_from_response (response, &e), pochta_imap_esearch_free);
      CHECK (pochta_imap_vanished_new_from_response (response, &e), pochta_imap_vanished_free);
      CHECK (pochta_imap_namespaces_new_from_response (response, FALSE, &e), pochta_imap_namespaces_free);
      CHECK (pochta_imap_enabled_parse (response, &e), g_strfreev);
      CHECK (pochta_imap_id_parse (response, &e), g_hash_table_unref);
      CHECK (pochta_imap_envelope_new_from_value (tree, &e), pochta_imap_envelope_free);
      CHECK (pochta_imap_body_part_new_from_value (tree, &e), pochta_imap_body_part_free);
      for (guint i = 0; i < 10; i++)
        pochta_imap_value_list_append (wide, random_value (2));
      CHECK (pochta_imap_envelope_new_from_value (wide, &e), pochta_imap_envelope_free);
      CHECK (pochta_imap_body_part_new_from_value (wide, &e), pochta_imap_body_part_free);
      check_views (response, tree);
      check_views (response, wide);
    }
}

void
add_data_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (list_cases); i++)
    g_test_add_data_func (list_cases[i].path, &list_cases[i], test_list);
  g_test_add_func ("/core/imap/data/status", test_status);
  g_test_add_func ("/core/imap/data/search", test_search);
  g_test_add_func ("/core/imap/data/esearch", test_esearch);
  g_test_add_func ("/core/imap/data/vanished", test_vanished);
  g_test_add_func ("/core/imap/data/namespace", test_namespace);
  g_test_add_func ("/core/imap/data/enabled-id", test_enabled_id);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  g_test_add_func ("/core/imap/data/random-trees", test_random_trees);
}
