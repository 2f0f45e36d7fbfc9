/* cli-imap-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the pochta-cli tests against the harness share: running the built
 * program with its XDG dirs in a temporary place, reading its output, an
 * account added the way a script would, and another IMAP client to see
 * what reached the server.
 */

#pragma once

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "pochta-test-util.h"

#define CLI_TIMEOUT_MS  120000
#define PEER_TIMEOUT_MS 60000

#define RUN(result, call) \
  G_STMT_START { g_clear_object (&(result)); call; pochta_test_wait_result (&(result), PEER_TIMEOUT_MS); } G_STMT_END

static G_GNUC_UNUSED void
collect_flags_cb (PochtaImapClient      *client,
                  const PochtaImapFetch *fetch,
                  gpointer               user_data)
{
  guint bits = 0x10000;

  if (pochta_imap_fetch_has_flag (fetch, "\\Seen"))
    bits |= POCHTA_MESSAGE_FLAG_SEEN;
  if (pochta_imap_fetch_has_flag (fetch, "\\Flagged"))
    bits |= POCHTA_MESSAGE_FLAG_FLAGGED;
  if (pochta_imap_fetch_has_flag (fetch, "\\Deleted"))
    bits |= POCHTA_MESSAGE_FLAG_DELETED;

  g_hash_table_insert (user_data, GUINT_TO_POINTER (fetch->uid), GUINT_TO_POINTER (bits));
}

/* UID -> flags (seen, flagged, deleted; | 0x10000 so that 0 is "absent")
 * of @mailbox on the server. */
static G_GNUC_UNUSED GHashTable *
peer_flags (PochtaImapClient *peer,
            const char       *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PochtaImapMailboxState) state = NULL;
  g_autoptr(PochtaImapSequenceSet) all = pochta_imap_sequence_set_new ();
  g_autoptr(GPtrArray) fetched = NULL;
  GHashTable *flags = g_hash_table_new (NULL, NULL);

  RUN (result, pochta_imap_client_select_async (peer, mailbox, POCHTA_IMAP_SELECT_READ_ONLY, 0, 0, NULL,
                                                NULL, pochta_test_store_result, &result));
  state = pochta_imap_client_select_finish (peer, result, &error);
  g_assert_no_error (error);
  if (state->exists == 0)
    return flags;

  pochta_imap_sequence_set_add_range (all, 1, G_MAXUINT32);
  RUN (result, pochta_imap_client_uid_fetch_async (peer, all, "(UID FLAGS)", 0, FALSE, collect_flags_cb,
                                                   flags, NULL, NULL, pochta_test_store_result, &result));
  fetched = pochta_imap_client_uid_fetch_finish (peer, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (flags), ==, state->exists);

  return flags;
}

static G_GNUC_UNUSED void
peer_append (PochtaImapClient *peer,
             const char       *mailbox,
             const char       *subject)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: Peer <peer@example.test>\r\n"
                                           "To: someone@example.test\r\n"
                                           "Subject: %s\r\n"
                                           "Message-ID: <%u.%s@peer.example.test>\r\n"
                                           "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\n"
                                           "Body of %s.\r\n", subject, g_random_int (), mailbox, subject);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  RUN (result, pochta_imap_client_append_async (peer, mailbox, NULL, NULL, bytes, NULL, 0, NULL,
                                                pochta_test_store_result, &result));
  pochta_imap_client_append_finish (peer, result, NULL, NULL, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED char *
cli_path (void)
{
  return g_build_filename (g_getenv ("POCHTA_BUILD_ROOT"), "src", "cli", "pochta-cli", NULL);
}

static G_GNUC_UNUSED GSubprocess *
cli_spawn (const char * const  *env,
           GSubprocessFlags     flags,
           const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own XDG dirs inside
   * GLib only (the environment says /dev/null), so they are passed on.
   * DBUS_SESSION_BUS_ADDRESS (the harness's gnome-keyring) is inherited;
   * POCHTA_DEBUG is only what a test asks for. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "POCHTA_DEBUG");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  g_ptr_array_add (argv, cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static G_GNUC_UNUSED int
wait_exit (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  g_subprocess_wait_finish (process, result, &error);
  g_assert_no_error (error);

  /* Killed by a signal: minus its number, which no expected status matches. */
  if (!g_subprocess_get_if_exited (process))
    return -g_subprocess_get_term_sig (process);

  return g_subprocess_get_exit_status (process);
}

/* Runs pochta-cli to the end; returns its exit status. */
static G_GNUC_UNUSED int
cli_run_full (const char * const  *env,
              const char          *input,
              char               **out,
              char               **err,
              const char * const  *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args_text = g_strjoinv (" ", (char **) args);
  char *stdout_text = NULL;
  char *stderr_text = NULL;
  int status;

  process = cli_spawn (env, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       pochta_test_store_result, &result);
  pochta_test_wait_result (&result, CLI_TIMEOUT_MS);
  g_subprocess_communicate_utf8_finish (process, result, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  status = wait_exit (process);

  g_test_message ("pochta-cli %s => %d\n--- stdout:\n%s--- stderr:\n%s", args_text, status,
                  stdout_text, stderr_text);

  if (out != NULL)
    *out = stdout_text;
  else
    g_free (stdout_text);
  if (err != NULL)
    *err = stderr_text;
  else
    g_free (stderr_text);

  return status;
}

#define CLI(out, err, ...) \
  cli_run_full (NULL, NULL, (out), (err), (const char * const []) { __VA_ARGS__, NULL })
#define CLI_IN(input, out, err, ...) \
  cli_run_full (NULL, (input), (out), (err), (const char * const []) { __VA_ARGS__, NULL })

/* Exit 0 and nothing on stderr. */
#define CLI_OK(out, ...) \
  G_STMT_START { \
    g_autofree char *err_ = NULL; \
    g_assert_cmpint (CLI ((out), &err_, __VA_ARGS__), ==, 0); \
    g_assert_cmpstr (err_, ==, ""); \
  } G_STMT_END

static G_GNUC_UNUSED void
assert_one_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "pochta-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static G_GNUC_UNUSED char *
address_of (const char *user)
{
  return g_strdup_printf ("%s@%s", user, pochta_test_servers_get ()->mail_domain);
}

static G_GNUC_UNUSED char *
fresh_user (const char *name,
            guint       count)
{
  g_autoptr(GError) error = NULL;

  pochta_test_servers_get ();
  pochta_test_servers_add_user (name, count, &error);
  g_assert_no_error (error);

  return g_strdup (name);
}

/* `account add` for @user over STARTTLS with the harness certificate
 * pinned; extra options after the defaults. */
static G_GNUC_UNUSED int
add_account (const char  *user,
             const char  *password,
             const char  *pin,
             char       **err)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", user, servers->mail_domain);
  g_autofree char *imap = g_strdup_printf ("%s:%u", servers->host, servers->imap_port);
  g_autofree char *smtp = g_strdup_printf ("%s:%u", servers->host, servers->submission_port);
  g_autofree char *input = g_strdup_printf ("%s\n", password);

  return CLI_IN (input, NULL, err, "account", "add", user, "--address", address, "--name", "CLI Tester",
                 "--imap", imap, "--imap-tls", "starttls", "--user", user, "--smtp", smtp,
                 "--smtp-tls", "starttls", "--accept-certificate", pin, "--password-stdin",
                 "--body-days", "0");
}

static G_GNUC_UNUSED void
add_good_account (const char *user)
{
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *err = NULL;
  /* Lower case without colons: the CLI normalises what people paste. */
  g_autofree char *pin = g_ascii_strdown (pochta_test_servers_get ()->cert_sha256, -1);

  g_strdelimit (pin, ":", ' ');
  {
    g_auto(GStrv) parts = g_strsplit (pin, " ", -1);

    g_free (pin);
    pin = g_strjoinv ("", parts);
  }

  g_assert_cmpint (add_account (user, password, pin, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* Rows of tab-separated output (stdout is a pipe here). */
static G_GNUC_UNUSED GPtrArray *
rows_of (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));

  return rows;
}

static G_GNUC_UNUSED char **
find_row (GPtrArray  *rows,
          guint       column,
          const char *value)
{
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_strv_length (row) > column && g_strcmp0 (g_strstrip (row[column]), value) == 0)
        return row;
    }

  return NULL;
}

/* The account's id, from the cache the CLI wrote (for keyring lookups). */
static G_GNUC_UNUSED char *
account_uuid (const char *name)
{
  g_autofree char *path = pochta_store_get_default_path ();
  g_autoptr(PochtaSqlite) db = NULL;
  g_autoptr(PochtaSqliteStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  db = pochta_sqlite_open (path, POCHTA_SQLITE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = pochta_sqlite_prepare (db, "SELECT uuid FROM accounts WHERE display_name = ?1", &error);
  g_assert_no_error (error);
  pochta_sqlite_bind_text (stmt, 1, name);
  if (pochta_sqlite_step (db, stmt, &error) != SQLITE_ROW)
    return NULL;

  return pochta_sqlite_column_dup_text (stmt, 0);
}

static G_GNUC_UNUSED char *
keyring_password (const char *uuid,
                  const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;
  char *copy;

  pochta_secret_lookup_async (uuid, POCHTA_SERVER_PROTOCOL_IMAP, pochta_test_servers_get ()->host, user,
                              NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, PEER_TIMEOUT_MS);
  password = pochta_secret_lookup_finish (result, &error);
  if (g_error_matches (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_NO_PASSWORD))
    return NULL;
  g_assert_no_error (error);

  /* libsecret's memory is its own: copy, then free it its way. */
  copy = g_strdup (password);
  pochta_secret_password_free (password);

  return copy;
}
