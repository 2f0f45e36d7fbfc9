/* bench-startup-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start-up benchmark's profile: one IMAP account whose server is a
 * closed loopback port (the client opens on its cache and goes offline),
 * its special folders, and an Inbox of generated messages written through
 * the store API as a header sync would: mixed languages, people and
 * robots, replies, dates over some years, a few unread, flagged and with
 * attachments. Deterministic for a given count.
 */

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "bench-startup-profile.h"
#include "pochta-core.h"
#include "pochta-test-util.h"

#define BATCH           1000
#define IN_FLIGHT       4
#define WAIT_MS         600000
#define PROFILE_VERSION 1
#define MARKER          "bench-startup.ini"

typedef struct
{
  const char *name;
  const char *address;
} Person;

static const Person people[] = {
  { "James Smith", "james.smith@example.com" },
  { "Mary Johnson", "mary.johnson@corp.example.com" },
  { "Robert Brown", "rbrown@example.org" },
  { "Patricia Garcia", "patricia@garcia.example.net" },
  { "Jennifer Miller", "j.miller@mail.example.com" },
  { "Michael O'Brien", "michael.obrien@example.ie" },
  { "Linda Wilson", "linda.wilson@example.co.uk" },
  { "David Davis", "ddavis@corp.example.com" },
  { "Susan Jones", "susan@jones.example.org" },
  { "Jürgen Müller", "juergen.mueller@beispiel.de" },
  { "Sophie Schäfer", "sophie.schaefer@beispiel.de" },
  { "Lukas Weiß", "lukas@weiss.example.at" },
  { "Анна Кузнецова", "anna.kuznetsova@primer.ru" },
  { "Дмитрий Иванов", "d.ivanov@primer.ru" },
  { "Ольга Смирнова", "olga@smirnova.example.ru" },
  { "Сергей Попов", "spopov@mail.primer.ru" },
  { "山田 太郎", "taro.yamada@example.jp" },
  { "佐藤 花子", "hanako@sato.example.jp" },
  { "李伟", "li.wei@example.cn" },
  { "Γιώργος Παπαδόπουλος", "g.papadopoulos@example.gr" },
  { "", "noreply@example.com" },
  { "María José Fernández-López", "mjfernandez@ejemplo.es" },
};

static const Person robots[] = {
  { "GitHub", "notifications@github.example.com" },
  { "Amazon.de", "versandbestaetigung@amazon.example.de" },
  { "gtk-devel-list", "gtk-devel-list@lists.example.org" },
  { "Jenkins", "jenkins@ci.example.com" },
  { "LinkedIn", "messages-noreply@linkedin.example.com" },
  { "Банк «Пример»", "info@bank.primer.ru" },
  { "Calendar", "calendar-notification@example.com" },
};

static const char *subjects[] = {
  "Quarterly report", "Meeting notes from Tuesday", "Invoice #{n}", "Server maintenance this weekend",
  "Draft for review", "Lunch on Friday?", "Updated project plan", "Question about the API",
  "Release 3.{n} is out", "Team offsite – logistics", "Re-scheduling our 1:1", "Budget approval needed",
  "Build failures on main", "Contract renewal", "Holiday schedule",
  "A very long subject line that keeps going on and on to see what the message list does with it "
  "when the column is narrow",
  "Besprechung am Donnerstag", "Rechnung Nr. {n}", "Urlaubsplanung {n}", "Отчёт за квартал",
  "Встреча в четверг", "Счёт №{n}", "Новая версия сборки", "会議の議事録", "見積書の送付 ({n})",
  "项目进度更新", "Συνάντηση την Παρασκευή", "🎉 Congratulations on the launch!",
  "📊 Weekly numbers, week {n}", "[gtk-devel] GtkListView and 100,000 rows",
  "[ci] Build #{n} failed", "Your order #{n} has shipped",
};

static const char *sentences[] = {
  "Thanks for the quick turnaround on this.",
  "I've attached the updated plan for next week.",
  "Could you please double-check the numbers in the spreadsheet before Friday?",
  "The meeting has been moved to Thursday at 10 am.",
  "Let me know if you have any questions or concerns.",
  "We finished testing the new release and found only three minor bugs.",
  "The invoice for September has already gone to accounting.",
  "The server will be down for maintenance on Saturday between 2 and 4 am.",
  "I’ve reviewed your draft and left a few comments in the margins.",
  "Könnten Sie mir bitte die aktuelle Version schicken?",
  "Vielen Dank für Ihre schnelle Antwort.",
  "Спасибо за быстрый ответ, всё получили.",
  "Пришлите, пожалуйста, обновлённый план до пятницы.",
  "お疲れ様です。資料を添付いたします。",
  "请查收附件中的报告。",
  "Ευχαριστώ πολύ για τη βοήθεια.",
  "The build is green again after the last fix.",
  "Can we push the deadline by two days?",
  "See the ticket for the full stack trace.",
  "Happy to jump on a call if that's easier.",
};

static char *
make_preview (GRand *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 1, 5);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
    }

  /* The store keeps a preview of about this many characters. */
  if (g_utf8_strlen (text->str, -1) > 200)
    {
      char *cut = g_utf8_substring (text->str, 0, 200);

      g_string_assign (text, cut);
      g_free (cut);
    }

  return g_string_free (text, FALSE);
}

static char *
make_subject (GRand   *rand,
              gboolean reply)
{
  const char *pattern = subjects[g_rand_int_range (rand, 0, G_N_ELEMENTS (subjects))];
  g_autofree char *subject = NULL;

  if (strstr (pattern, "{n}") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (pattern, "{n}", 2);
      g_autofree char *number = g_strdup_printf ("%d", g_rand_int_range (rand, 10, 99999));

      subject = g_strjoin (number, parts[0], parts[1], NULL);
    }
  else
    subject = g_strdup (pattern);

  if (!reply)
    return g_steal_pointer (&subject);

  return g_strconcat (g_rand_int_range (rand, 0, 6) == 0 ? "Fwd: " : "Re: ", subject, NULL);
}

/* UID 1 is the oldest; the newest arrived an hour before the profile was made. */
static GPtrArray *
make_batch (GRand  *rand,
            guint   first_uid,
            guint   last_uid,
            guint   count,
            gint64  newest)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) pochta_message_record_free);
  /* About four years of mail for 100,000 messages. */
  const gint64 spacing = 1260;

  for (guint uid = first_uid; uid <= last_uid; uid++)
    {
      PochtaMessageRecord *r = pochta_message_record_new ();
      gboolean robot = g_rand_int_range (rand, 0, 4) == 0;
      const Person *from = robot ? &robots[g_rand_int_range (rand, 0, G_N_ELEMENTS (robots))]
                                 : &people[g_rand_int_range (rand, 0, G_N_ELEMENTS (people))];
      gboolean reply = !robot && g_rand_int_range (rand, 0, 3) == 0;
      gboolean recent = uid + 40 > count;

      r->uid = uid;
      r->internal_date = newest - (gint64) (count - uid) * spacing - g_rand_int_range (rand, 0, (int) spacing);
      r->date = r->internal_date - g_rand_int_range (rand, 5, 300);
      if (g_rand_int_range (rand, 0, 100) < (recent ? 30 : 98))
        r->flags |= POCHTA_MESSAGE_FLAG_SEEN;
      if (g_rand_int_range (rand, 0, 50) == 0)
        r->flags |= POCHTA_MESSAGE_FLAG_FLAGGED;
      if (!robot && g_rand_int_range (rand, 0, 8) == 0)
        r->flags |= POCHTA_MESSAGE_FLAG_ANSWERED;
      r->has_attachments = g_rand_int_range (rand, 0, 7) == 0;
      r->size = r->has_attachments ? g_rand_int_range (rand, 80000, 4000000) : g_rand_int_range (rand, 2500, 60000);
      r->subject = make_subject (rand, reply);
      r->from_name = g_strdup (from->name);
      r->from_addr = g_strdup (from->address);
      r->to_addrs = g_strdup (robot ? "Me <me@example.org>" : "Me <me@example.org>, Team <team@example.org>");
      if (!robot && g_rand_int_range (rand, 0, 5) == 0)
        r->cc_addrs = g_strdup ("Linda Wilson <linda.wilson@example.co.uk>");
      r->message_id = g_strdup_printf ("<%08x.%u@bench.example.org>", g_rand_int (rand), uid);
      if (reply && uid > 1)
        r->in_reply_to = g_strdup_printf ("<%08x.%u@bench.example.org>", g_rand_int (rand), uid - 1);
      r->preview = make_preview (rand);
      g_ptr_array_add (records, r);
    }

  return records;
}

/* The account the client opens: IMAP and SMTP on @port of the loopback,
 * where nothing listens. */
static PochtaAccount *
make_account (guint16 port)
{
  PochtaAccount *account = pochta_account_new ("Bench");
  g_autoptr(PochtaIdentity) identity = pochta_identity_new ("Me", "me@example.org");
  PochtaServerConfig *incoming = pochta_account_get_incoming (account);
  PochtaServerConfig *outgoing = pochta_account_get_outgoing (account);

  pochta_account_add_identity (account, identity);
  pochta_server_config_set_host (incoming, "127.0.0.1");
  pochta_server_config_set_port (incoming, port);
  pochta_server_config_set_tls_mode (incoming, POCHTA_TLS_MODE_IMPLICIT);
  pochta_server_config_set_user_name (incoming, "me@example.org");
  if (outgoing != NULL)
    {
      pochta_server_config_set_host (outgoing, "127.0.0.1");
      pochta_server_config_set_port (outgoing, port);
      pochta_server_config_set_tls_mode (outgoing, POCHTA_TLS_MODE_IMPLICIT);
      pochta_server_config_set_user_name (outgoing, "me@example.org");
    }

  return account;
}

static void
add_folder (PochtaStore      *store,
            gint64            account_id,
            const char       *name,
            PochtaFolderRole  role,
            gint64           *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaFolderRecord *folder = pochta_folder_record_new ();
  gint64 folder_id;

  folder->account_id = account_id;
  folder->name = g_strdup (name);
  folder->raw_name = g_strdup (name);
  folder->delimiter = g_strdup ("/");
  folder->role = role;
  folder->subscribed = TRUE;
  pochta_store_upsert_folder_async (store, folder, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  folder_id = pochta_store_upsert_folder_finish (store, result, &error);
  if (folder_id <= 0)
    g_error ("folder %s: %s", name, error != NULL ? error->message : "no id");
  if (id != NULL)
    *id = folder_id;
}

static PochtaService *
open_service (const char *cache_path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PochtaService *service;

  pochta_service_new_async (cache_path, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  service = pochta_service_new_finish (result, &error);
  if (service == NULL)
    g_error ("%s: %s", cache_path, error->message);

  return service;
}

static void
close_service (PochtaService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_service_shutdown_async (service, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  if (!pochta_service_shutdown_finish (service, result, &error))
    g_error ("closing the cache: %s", error->message);
}

static void
seed (const char *cache_path,
      guint       count,
      guint16     port)
{
  static const struct { const char *name; PochtaFolderRole role; } others[] = {
    { "Drafts", POCHTA_FOLDER_ROLE_DRAFTS },
    { "Sent", POCHTA_FOLDER_ROLE_SENT },
    { "Archive", POCHTA_FOLDER_ROLE_ARCHIVE },
    { "Junk", POCHTA_FOLDER_ROLE_JUNK },
    { "Trash", POCHTA_FOLDER_ROLE_TRASH },
    { "Projects", POCHTA_FOLDER_ROLE_NONE },
    { "Receipts", POCHTA_FOLDER_ROLE_NONE },
  };
  g_autoptr(PochtaService) service = open_service (cache_path);
  g_autoptr(PochtaAccount) account = make_account (port);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  GAsyncResult *in_flight[IN_FLIGHT] = { NULL, };
  guint n_in_flight = 0;
  PochtaStore *store = pochta_service_get_store (service);
  gint64 newest = g_get_real_time () / G_USEC_PER_SEC - 3600;
  gint64 account_id;
  gint64 inbox_id;
  gint64 start = g_get_monotonic_time ();

  pochta_service_add_account_async (service, account, BENCH_STARTUP_PASSWORD, BENCH_STARTUP_PASSWORD,
                                    NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  if (!pochta_service_add_account_finish (service, result, &error))
    g_error ("adding the account: %s", error->message);
  account_id = pochta_service_get_account_store_id (service, account);

  add_folder (store, account_id, "INBOX", POCHTA_FOLDER_ROLE_INBOX, &inbox_id);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    add_folder (store, account_id, others[i].name, others[i].role, NULL);

  /* Batches as a header sync writes them, a few in flight at a time. */
  for (guint first = 1; first <= count; first += BATCH)
    {
      g_autoptr(GPtrArray) batch = make_batch (rand, first, MIN (first + BATCH - 1, count), count, newest);

      pochta_store_add_message_summaries_async (store, inbox_id, batch, NULL, pochta_test_store_result,
                                                &in_flight[n_in_flight++]);
      if (n_in_flight < IN_FLIGHT && first + BATCH <= count)
        continue;

      for (guint i = 0; i < n_in_flight; i++)
        {
          pochta_test_wait_result (&in_flight[i], WAIT_MS);
          if (!pochta_store_add_message_summaries_finish (store, in_flight[i], &error))
            g_error ("writing messages: %s", error->message);
          g_clear_object (&in_flight[i]);
        }
      n_in_flight = 0;
      g_printerr ("\r  %u of %u messages", MIN (first + BATCH - 1, count), count);
    }
  g_printerr ("\r  %u messages in %.1f s\n", count, (g_get_monotonic_time () - start) / 1e6);

  close_service (service);
}

/* The password lives in the harness keyring, which may be a new one since
 * the profile was made: without it the account would ask for one instead
 * of just being offline. */
static void
store_password (const char *cache_path)
{
  g_autoptr(PochtaService) service = open_service (cache_path);
  GListModel *accounts = pochta_service_get_accounts (service);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PochtaAccount) account = g_list_model_get_item (accounts, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      pochta_service_set_password_async (service, account, BENCH_STARTUP_PASSWORD, NULL,
                                         pochta_test_store_result, &result);
      pochta_test_wait_result (&result, WAIT_MS);
      if (!pochta_service_set_password_finish (service, result, &error))
        g_error ("storing the password: %s", error->message);
    }

  close_service (service);
}

static void
remove_cache (const char *cache_path)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (cache_path, suffixes[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_error ("%s: %s", path, g_strerror (errno));
    }
}

/**
 * bench_startup_profile_ensure:
 * @dir: the profile's root; XDG_DATA_HOME etc. go below it
 *
 * Makes the profile unless @dir already holds one of @count messages on
 * @port (a marker file says so), and stores the account's password.
 *
 * Returns: whether an existing profile was reused
 */
gboolean
bench_startup_profile_ensure (const char *dir,
                              guint       count,
                              guint16     port)
{
  g_autofree char *marker = g_build_filename (dir, MARKER, NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", pochta_profile_get_name (), NULL);
  g_autofree char *cache_path = g_build_filename (data_dir, "cache.sqlite", NULL);
  g_autofree char *want = g_strdup_printf ("[profile]\nversion=%d\nmessages=%u\nport=%u\n",
                                           PROFILE_VERSION, count, (unsigned) port);
  g_autofree char *have = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reused;

  reused = g_file_get_contents (marker, &have, NULL, NULL) && g_str_equal (have, want)
           && g_file_test (cache_path, G_FILE_TEST_IS_REGULAR);

  if (!reused)
    {
      static const char *subdirs[] = { "config", "cache" };

      g_printerr ("making the profile in %s (%u messages)…\n", dir, count);
      g_unlink (marker);
      if (g_mkdir_with_parents (data_dir, 0700) != 0)
        g_error ("%s: %s", data_dir, g_strerror (errno));
      for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
        {
          g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);

          g_mkdir_with_parents (path, 0700);
        }
      remove_cache (cache_path);
      seed (cache_path, count, port);
      if (!g_file_set_contents (marker, want, -1, &error))
        g_error ("%s: %s", marker, error->message);
    }

  store_password (cache_path);

  return reused;
}
