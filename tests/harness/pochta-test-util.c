/* pochta-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-loop waits with deadlines and source paths, shared by all tests.
 */

#define G_LOG_DOMAIN "pochta-test"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "pochta-test-util.h"

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
pochta_test_wait_until (gboolean *done,
                        guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, deadline_cb, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);
  else if (!*done)
    g_error ("Timed out after %u ms waiting for the operation", timeout_ms);
}

void
pochta_test_store_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
result_ready_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
pochta_test_wait_result (GAsyncResult **result,
                         guint          timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, result_ready_cb, &expired);

  while (*result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (*result != NULL)
    g_source_remove (id);
  else
    g_error ("Timed out after %u ms waiting for an async result", timeout_ms);
}

PochtaImapClient *
pochta_test_imap_peer (const char *user)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autoptr(PochtaConnection) connection = pochta_connection_new (servers->host, servers->imap_port,
                                                                  POCHTA_TLS_MODE_STARTTLS);
  g_autoptr(PochtaImapClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = pochta_test_servers_password (user);

  pochta_connection_set_pinned_fingerprint (connection, servers->cert_sha256);
  client = pochta_imap_client_new (connection);
  pochta_imap_client_connect_async (client, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, 60000);
  pochta_imap_client_connect_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  pochta_imap_client_login_async (client, user, password, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, 60000);
  pochta_imap_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

void
pochta_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, NULL) || info == NULL)
        break;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        pochta_test_remove_tree (g_file_peek_path (child));
      else
        g_file_delete (child, NULL, NULL);
    }

  g_file_delete (file, NULL, NULL);
}

gsize
pochta_test_get_peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmHWM:");
  return line != NULL ? g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10) : 0;
}

/* Writing 5 to clear_refs resets VmHWM (Linux 4.0 and later). */
void
pochta_test_reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

char *
pochta_test_source_path (const char *first,
                         ...)
{
  const char *srcdir = g_getenv ("POCHTA_SOURCE_ROOT");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_assert_nonnull (srcdir);
  g_ptr_array_add (parts, (gpointer) srcdir);
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}
