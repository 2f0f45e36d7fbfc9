/* bench-raw-imap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor a benchmark compares IMAP work with: a bare connection that
 * sends commands and reads the answers without parsing them.
 */

#define _GNU_SOURCE /* memrchr */

#include "config.h"

#include <string.h>

#include "bench-raw-imap.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  pochta_test_wait_result (slot, 30 * 60 * 1000);
  return *slot;
}

void
bench_raw_send (PochtaConnection *conn,
                const char       *line)
{
  g_autoptr(GBytes) bytes = g_bytes_new (line, strlen (line));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pochta_connection_write_async (conn, bytes, POCHTA_WRITE_FLAGS_NONE, NULL,
                                 pochta_test_store_result, &result);
  if (!pochta_connection_write_finish (conn, wait_for (&result), &error))
    g_error ("write: %s", error->message);
}

static char *
raw_read_line (PochtaConnection *conn)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  pochta_connection_read_line_async (conn, NULL, pochta_test_store_result, &result);
  line = pochta_connection_read_line_finish (conn, wait_for (&result), NULL, &error);
  if (line == NULL)
    g_error ("read: %s", error ? error->message : "closed");

  return line;
}

/* Reads until the tagged status line of @tag ends the data; returns the
 * bytes read. Only the start of the last line of each chunk is looked at,
 * so this costs next to nothing per byte, as "read and discard" should
 * (the loop of bench-imap-fetch's (b)). */
guint64
bench_raw_read_until_tagged (PochtaConnection *conn,
                             const char       *tag)
{
  g_autofree char *ok = g_strdup_printf ("%s OK ", tag);
  char line_start[32] = "";
  gsize line_start_len = 0;
  gboolean at_line_start = TRUE;
  guint64 total = 0;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) chunk = NULL;
      const char *data;
      const char *last_nl;
      const char *line;
      gsize len;
      gsize take;

      pochta_connection_read_chunk_async (conn, 256 * 1024, NULL, pochta_test_store_result, &result);
      chunk = pochta_connection_read_chunk_finish (conn, wait_for (&result), &error);
      if (chunk == NULL)
        g_error ("read: %s", error ? error->message : "closed");
      data = g_bytes_get_data (chunk, &len);
      total += len;
      if (len == 0)
        continue;

      last_nl = len > 1 ? memrchr (data, '\n', len - 1) : NULL;
      if (last_nl != NULL)
        {
          line = last_nl + 1;
          line_start_len = 0;
        }
      else
        {
          line = data;
          if (!at_line_start && line_start_len == 0)
            line = NULL;
        }
      if (line != NULL)
        {
          take = MIN ((gsize) (data + len - line), sizeof line_start - 1 - line_start_len);
          memcpy (line_start + line_start_len, line, take);
          line_start_len += take;
          line_start[line_start_len] = '\0';
        }

      if (data[len - 1] == '\n')
        {
          if (g_str_has_prefix (line_start, ok))
            return total;
          if (g_str_has_prefix (line_start, tag) && line_start[strlen (tag)] == ' ')
            g_error ("server refused: %s", line_start);
          line_start_len = 0;
          line_start[0] = '\0';
          at_line_start = TRUE;
        }
      else
        at_line_start = FALSE;
    }
}

/* Connects (STARTTLS pinned to the harness certificate, or plain), logs
 * in and selects INBOX. */
PochtaConnection *
bench_raw_login (const PochtaTestServers *servers,
                 const char              *user,
                 gboolean                 starttls)
{
  g_autoptr(PochtaConnection) conn = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);
  g_autofree char *login = g_strdup_printf ("l LOGIN %s %s\r\n", user, password);
  g_autofree char *greeting = NULL;

  conn = pochta_connection_new (servers->host, servers->imap_port,
                                starttls ? POCHTA_TLS_MODE_STARTTLS : POCHTA_TLS_MODE_NONE);
  pochta_connection_set_read_timeout (conn, 600);
  if (starttls)
    pochta_connection_set_pinned_fingerprint (conn, servers->cert_sha256);
  pochta_connection_connect_async (conn, NULL, pochta_test_store_result, &result);
  if (!pochta_connection_connect_finish (conn, wait_for (&result), &error))
    g_error ("connect: %s", error->message);
  g_clear_object (&result);
  greeting = raw_read_line (conn);

  if (starttls)
    {
      g_autofree char *line = NULL;

      bench_raw_send (conn, "t STARTTLS\r\n");
      while (!g_str_has_prefix ((line = raw_read_line (conn)), "t "))
        g_clear_pointer (&line, g_free);
      if (!g_str_has_prefix (line, "t OK"))
        g_error ("STARTTLS refused: %s", line);
      pochta_connection_starttls_async (conn, NULL, pochta_test_store_result, &result);
      if (!pochta_connection_starttls_finish (conn, wait_for (&result), &error))
        g_error ("STARTTLS: %s", error->message);
      g_clear_object (&result);
    }

  bench_raw_send (conn, login);
  bench_raw_read_until_tagged (conn, "l");
  bench_raw_send (conn, "s SELECT INBOX\r\n");
  bench_raw_read_until_tagged (conn, "s");

  return g_steal_pointer (&conn);
}
