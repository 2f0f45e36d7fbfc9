/* test-cli-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pochta-cli's argument parsers and output formatters, without a process.
 */

#include "config.h"

#include "pochta-cli-private.h"
#include "pochta-test-util.h"

typedef struct
{
  const char *text;
  const char *host;  /* NULL: refused */
  guint       port;
} ServerCase;

static const ServerCase server_cases[] = {
  { "imap.example.org", "imap.example.org", 0 },
  { "imap.example.org:993", "imap.example.org", 993 },
  { "127.0.0.1:10143", "127.0.0.1", 10143 },
  { "[::1]:143", "::1", 143 },
  { "[::1]", "::1", 0 },
  { "::1", "::1", 0 },
  { "host:0", NULL, 0 },
  { "host:65536", NULL, 0 },
  { "host:", NULL, 0 },
  { "host:x", NULL, 0 },
  { ":143", NULL, 0 },
  { "", NULL, 0 },
  { "a b:1", NULL, 0 },
  { "[::1", NULL, 0 },
};

static void
test_server (gconstpointer data)
{
  const ServerCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint port = 12345;
  gboolean ok;

  ok = pochta_cli_parse_server (c->text, &host, &port, &error);
  if (c->host == NULL)
    {
      g_assert_false (ok);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (host, ==, c->host);
  g_assert_cmpuint (port, ==, c->port);
}

static void
test_tls_mode (void)
{
  g_autoptr(GError) error = NULL;
  PochtaTlsMode mode = POCHTA_TLS_MODE_NONE;

  g_assert_true (pochta_cli_parse_tls_mode ("implicit", &mode, NULL));
  g_assert_cmpint (mode, ==, POCHTA_TLS_MODE_IMPLICIT);
  g_assert_true (pochta_cli_parse_tls_mode ("STARTTLS", &mode, NULL));
  g_assert_cmpint (mode, ==, POCHTA_TLS_MODE_STARTTLS);
  g_assert_true (pochta_cli_parse_tls_mode ("none", &mode, NULL));
  g_assert_cmpint (mode, ==, POCHTA_TLS_MODE_NONE);
  g_assert_false (pochta_cli_parse_tls_mode ("ssl3", &mode, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "ssl3"));
}

static void
test_message_ids (void)
{
  char *good[] = { "5", "3", "5", "9000000000", NULL };
  char *bad[] = { "5", "-1", NULL };
  char *zero[] = { "0", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = pochta_cli_parse_message_ids (4, good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 5);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, G_GINT64_CONSTANT (9000000000));

  g_assert_null (pochta_cli_parse_message_ids (2, bad, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "-1"));
  g_clear_error (&error);

  g_assert_null (pochta_cli_parse_message_ids (1, zero, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);

  g_assert_null (pochta_cli_parse_message_ids (0, zero + 1, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static void
test_number (void)
{
  g_autoptr(GError) error = NULL;
  guint64 value = 0;

  g_assert_true (pochta_cli_parse_number ("300", "--poll", 0, 86400, &value, NULL));
  g_assert_cmpuint (value, ==, 300);
  g_assert_false (pochta_cli_parse_number ("86401", "--poll", 0, 86400, &value, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "--poll"));
  g_clear_error (&error);
  g_assert_false (pochta_cli_parse_number ("1e3", "--limit", 1, 10, &value, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static char *
read_password (const char  *input,
               gssize       length,
               GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (input, length, NULL);

  return pochta_cli_read_password (stream, NULL, error);
}

static void
test_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = g_strnfill (5000, 'x');
  char *password;

  password = read_password ("s3cret pass\nsecond line\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "s3cret pass");
  g_free (password);

  password = read_password ("windows\r\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "windows");
  g_free (password);

  password = read_password ("no newline", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "no newline");
  g_free (password);

  g_assert_null (read_password ("\nlater", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (read_password ("", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (read_password (long_line, -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

static void
test_flags (void)
{
  g_autofree char *fresh = pochta_cli_format_flags (0, FALSE);
  g_autofree char *all = pochta_cli_format_flags (POCHTA_MESSAGE_FLAG_FLAGGED, TRUE);
  g_autofree char *read = pochta_cli_format_flags (POCHTA_MESSAGE_FLAG_SEEN, FALSE);
  g_autofree char *deleted = pochta_cli_format_flags (POCHTA_MESSAGE_FLAG_DELETED, FALSE);

  g_assert_cmpstr (fresh, ==, "N--");
  g_assert_cmpstr (all, ==, "N*@");
  g_assert_cmpstr (read, ==, "---");
  g_assert_cmpstr (deleted, ==, "---");
}

static void
test_clean_text (void)
{
  g_autofree char *escape = pochta_cli_clean_text ("Hi\033[2J\tthere\r\nyou\xc2\x85!");
  g_autofree char *invalid = pochta_cli_clean_text ("bad \xff byte");
  g_autofree char *body = pochta_cli_clean_body ("line 1\r\nline\t2\033]0;title\007\n");
  g_autofree char *unicode = pochta_cli_clean_text ("Привет, 世界");

  /* No escape sequence, tab or line break survives into one output line. */
  g_assert_cmpstr (escape, ==, "Hi [2J there  you !");
  g_assert_null (strchr (invalid, '\xff'));
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_cmpstr (body, ==, "line 1\nline\t2 ]0;title \n");
  g_assert_cmpstr (unicode, ==, "Привет, 世界");
}

static void
test_fit (void)
{
  g_autofree char *pad = pochta_cli_fit ("abc", 5);
  g_autofree char *exact = pochta_cli_fit ("abcde", 5);
  g_autofree char *cut = pochta_cli_fit ("abcdef", 5);
  g_autofree char *wide = pochta_cli_fit ("世界世界", 5);
  g_autofree char *cyrillic = pochta_cli_fit ("Привет", 4);

  g_assert_cmpstr (pad, ==, "abc  ");
  g_assert_cmpstr (exact, ==, "abcde");
  g_assert_cmpstr (cut, ==, "abcd…");
  /* Two wide characters fill four columns, the ellipsis the fifth. */
  g_assert_cmpstr (wide, ==, "世界…");
  g_assert_cmpstr (cyrillic, ==, "При…");
}

static void
test_format (void)
{
  g_autofree char *both = pochta_cli_format_address ("Alice", "alice@example.org");
  g_autofree char *address = pochta_cli_format_address (NULL, "bob@example.org");
  g_autofree char *nothing = pochta_cli_format_address ("", NULL);
  g_autofree char *no_date = pochta_cli_format_time (0);
  g_autofree char *date = pochta_cli_format_time (1700000000);

  g_assert_cmpstr (both, ==, "Alice <alice@example.org>");
  g_assert_cmpstr (address, ==, "bob@example.org");
  g_assert_cmpstr (nothing, ==, "-");
  g_assert_cmpstr (no_date, ==, "-");
  g_assert_cmpuint (strlen (date), ==, strlen ("2023-11-14 22:13"));
  g_assert_true (g_str_has_prefix (date, "2023-11-1"));

  g_assert_cmpstr (pochta_cli_role_name (POCHTA_FOLDER_ROLE_TRASH), ==, "trash");
  g_assert_null (pochta_cli_role_name (POCHTA_FOLDER_ROLE_NONE));
  g_assert_cmpstr (pochta_cli_state_name (POCHTA_ACCOUNT_STATE_AUTH_FAILED), ==, "auth-failed");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/util/server/%u", i);

      g_test_add_data_func (path, &server_cases[i], test_server);
    }
  g_test_add_func ("/cli/util/tls-mode", test_tls_mode);
  g_test_add_func ("/cli/util/message-ids", test_message_ids);
  g_test_add_func ("/cli/util/number", test_number);
  g_test_add_func ("/cli/util/password", test_password);
  g_test_add_func ("/cli/util/flags", test_flags);
  g_test_add_func ("/cli/util/clean-text", test_clean_text);
  g_test_add_func ("/cli/util/fit", test_fit);
  g_test_add_func ("/cli/util/format", test_format);

  return g_test_run ();
}
