/* bench-imap-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IMAP fetch benchmark against the harness Dovecot: (a) header-level
 * UID FETCH parsed into typed results, (b) the same bytes read and thrown
 * away unparsed, (c) every full body streamed to nowhere. Prints messages/s,
 * MB/s, peak RSS per phase and the ratio (a)/(b).
 *
 *   bench-imap-fetch [--count N] [--runs R] [--profile realistic|small] [--no-bodies]
 *
 * Run from the build dir; it starts its own servers (needs root, as the
 * test suite does) and seeds user "benchN" once; later runs reuse it.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pochta-core.h"
#include "pochta-imap-client.h"
#include "bench-servers.h"
#include "pochta-test-util.h"
#include "bench-raw-imap.h"

#define HEADER_ITEMS "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)"
#define BODY_WINDOW  16

static int opt_count = 10000;
static int opt_runs = 3;
static char *opt_profile = NULL;
static gboolean opt_no_bodies = FALSE;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Messages in the folder", "N" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Runs of (a) and (b); the best counts", "R" },
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile, "Generator profile", "realistic|small" },
  { "no-bodies", 0, 0, G_OPTION_ARG_NONE, &opt_no_bodies, "Skip (c)", NULL },
  { NULL }
};

static double
peak_rss_mb (void)
{
  return pochta_test_get_peak_rss_kb () / 1024.0;
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  pochta_test_wait_result (slot, 30 * 60 * 1000);
  return *slot;
}

static const PochtaTestServers *
start_servers (const char *user)
{
  const PochtaTestServers *servers;
  g_autofree char *script = pochta_test_source_path ("build-aux", "servers",
                                                      "pochta-test-servers.py", NULL);
  g_autofree char *count = g_strdup_printf ("%d", opt_count);
  g_autoptr(GError) error = NULL;
  int status;
  const char *argv[] = {
    "python3", script, "seed", "--state", g_getenv ("POCHTA_TEST_SERVERS_STATE"),
    "--user", user, "--count", count, "--profile", opt_profile, NULL
  };

  servers = pochta_test_servers_get ();
  g_printerr ("seeding %s with %d %s messages (reused when already there)…\n",
              user, opt_count, opt_profile);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("seeding failed: %s", error->message);

  return servers;
}

/* --- (b): raw bytes over a bare connection ----------------------------- */

static double
run_raw (const PochtaTestServers *servers,
         const char              *user,
         guint64                 *bytes)
{
  g_autoptr(PochtaConnection) conn = bench_raw_login (servers, user, FALSE);
  gint64 start = g_get_monotonic_time ();

  bench_raw_send (conn, "f UID FETCH 1:* " HEADER_ITEMS "\r\n");
  *bytes = bench_raw_read_until_tagged (conn, "f");

  return (g_get_monotonic_time () - start) / 1e6;
}

/* --- (a) and (c): through PochtaImapClient ----------------------------- */

static PochtaImapClient *
client_login (const PochtaTestServers *servers,
              const char              *user)
{
  g_autoptr(PochtaConnection) conn = pochta_connection_new (servers->host, servers->imap_port,
                                                            POCHTA_TLS_MODE_NONE);
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);
  g_autoptr(PochtaImapMailboxState) state = NULL;

  pochta_connection_set_read_timeout (conn, 600);
  client = pochta_imap_client_new (conn);
  /* Loopback, so the benchmark measures parsing rather than TLS. */
  pochta_imap_client_set_allow_plaintext_auth (client, TRUE);
  pochta_imap_client_set_command_timeout (client, 1800);

  pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result);
  if (!pochta_imap_client_connect_finish (client, wait_for (&result), &error))
    g_error ("connect: %s", error->message);
  g_clear_object (&result);

  pochta_imap_client_login_async (client, user, password, NULL, pochta_test_store_result, &result);
  if (!pochta_imap_client_login_finish (client, wait_for (&result), &error))
    g_error ("login: %s", error->message);
  g_clear_object (&result);

  pochta_imap_client_select_async (client, "INBOX", POCHTA_IMAP_SELECT_NONE, 0, 0, NULL, NULL,
                                   pochta_test_store_result, &result);
  state = pochta_imap_client_select_finish (client, wait_for (&result), &error);
  if (state == NULL)
    g_error ("select: %s", error->message);

  return g_steal_pointer (&client);
}

typedef struct
{
  guint   messages;
  guint64 sizes;
  guint   with_envelope;
} HeaderCount;

static void
count_header_cb (PochtaImapClient      *client,
                 const PochtaImapFetch *fetch,
                 gpointer               user_data)
{
  HeaderCount *count = user_data;

  count->messages++;
  count->sizes += fetch->rfc822_size;
  if (fetch->envelope != NULL && fetch->body_structure != NULL)
    count->with_envelope++;
}

static double
run_parsed (const PochtaTestServers *servers,
            const char              *user,
            HeaderCount             *count)
{
  g_autoptr(PochtaImapClient) client = client_login (servers, user);
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) collected = NULL;
  gint64 start;

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  memset (count, 0, sizeof *count);

  start = g_get_monotonic_time ();
  pochta_imap_client_uid_fetch_async (client, all, HEADER_ITEMS, 0, FALSE,
                                      count_header_cb, count, NULL,
                                      NULL, pochta_test_store_result, &result);
  collected = pochta_imap_client_uid_fetch_finish (client, wait_for (&result), NULL, &error);
  if (error != NULL)
    g_error ("fetch: %s", error->message);

  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct
{
  PochtaImapClient *client;
  guint32           next_uid;
  guint32           last_uid;
  guint             in_flight;
  guint             done;
  guint64           bytes;
  GError           *error;
} BodyRun;

static void body_fetch_next (BodyRun *run);

static void
body_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BodyRun *run = user_data;
  GError *error = NULL;
  guint64 n = pochta_imap_client_uid_fetch_body_finish (run->client, result, &error);

  run->in_flight--;
  run->done++;
  run->bytes += n;
  if (error != NULL && run->error == NULL)
    run->error = error;
  else
    g_clear_error (&error);

  body_fetch_next (run);
}

static void
body_fetch_next (BodyRun *run)
{
  /* A window of pipelined fetches, each into its own /dev/null stream. */
  while (run->in_flight < BODY_WINDOW && run->next_uid <= run->last_uid && run->error == NULL)
    {
      g_autoptr(GFile) devnull = g_file_new_for_path ("/dev/null");
      g_autoptr(GFileOutputStream) out = g_file_append_to (devnull, G_FILE_CREATE_NONE, NULL, NULL);

      run->in_flight++;
      pochta_imap_client_uid_fetch_body_async (run->client, run->next_uid++, "",
                                               G_OUTPUT_STREAM (out), NULL,
                                               body_fetched_cb, run);
    }
}

static double
run_bodies (const PochtaTestServers *servers,
            const char              *user,
            guint                    n_messages,
            guint64                 *bytes)
{
  g_autoptr(PochtaImapClient) client = client_login (servers, user);
  BodyRun run = { client, 1, n_messages, 0, 0, 0, NULL };
  gint64 start = g_get_monotonic_time ();
  gboolean finished = FALSE;

  /* The seeded folder has UIDs 1..N: Dovecot numbers a new Maildir in order. */
  body_fetch_next (&run);
  while (!finished)
    {
      g_main_context_iteration (NULL, TRUE);
      finished = run.in_flight == 0 && (run.next_uid > run.last_uid || run.error != NULL);
    }
  if (run.error != NULL)
    g_error ("body fetch: %s", run.error->message);

  *bytes = run.bytes;
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- IMAP fetch benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  const PochtaTestServers *servers;
  double best_raw = G_MAXDOUBLE, best_parsed = G_MAXDOUBLE, rss_raw = 0, rss_parsed = 0;
  guint64 raw_bytes = 0;
  HeaderCount count = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_profile == NULL)
    opt_profile = g_strdup ("realistic");

  bench_servers_prepare ();

  user = g_strdup_printf ("bench%d%s", opt_count, g_str_equal (opt_profile, "small") ? "s" : "");
  servers = start_servers (user);

  /* Warm-up: Dovecot builds its index and cache on the first full fetch. */
  g_printerr ("warming up Dovecot's cache…\n");
  run_raw (servers, user, &raw_bytes);

  for (int i = 0; i < opt_runs; i++)
    {
      double t;

      pochta_test_reset_peak_rss ();
      t = run_raw (servers, user, &raw_bytes);
      best_raw = MIN (best_raw, t);
      rss_raw = MAX (rss_raw, peak_rss_mb ());

      pochta_test_reset_peak_rss ();
      t = run_parsed (servers, user, &count);
      best_parsed = MIN (best_parsed, t);
      rss_parsed = MAX (rss_parsed, peak_rss_mb ());
      g_printerr ("run %d: raw %.3f s, parsed %.3f s\n", i + 1, best_raw, t);
    }

  if (count.messages != (guint) opt_count || count.with_envelope != count.messages)
    g_error ("parsed %u messages (%u with envelope and structure), expected %d",
             count.messages, count.with_envelope, opt_count);

  printf ("IMAP fetch benchmark: %d messages (%s profile), Dovecot on loopback, best of %d\n",
          opt_count, opt_profile, opt_runs);
  printf ("(a) headers parsed   %8.3f s  %9.0f msg/s  %7.1f MB/s  peak RSS %6.1f MB\n",
          best_parsed, opt_count / best_parsed, raw_bytes / best_parsed / 1e6, rss_parsed);
  printf ("(b) headers raw      %8.3f s  %9.0f msg/s  %7.1f MB/s  peak RSS %6.1f MB\n",
          best_raw, opt_count / best_raw, raw_bytes / best_raw / 1e6, rss_raw);
  printf ("    ratio (a)/(b)    %8.2f\n", best_parsed / best_raw);

  if (!opt_no_bodies)
    {
      guint64 body_bytes = 0;
      double t;

      pochta_test_reset_peak_rss ();
      t = run_bodies (servers, user, opt_count, &body_bytes);
      printf ("(c) bodies streamed  %8.3f s  %9.0f msg/s  %7.1f MB/s  peak RSS %6.1f MB  (%.1f MB)\n",
              t, opt_count / t, body_bytes / t / 1e6, peak_rss_mb (), body_bytes / 1e6);
    }

  return EXIT_SUCCESS;
}
