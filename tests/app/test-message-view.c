/* test-message-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader on its own, given parsed messages: its states, the header
 * block, plain text with quote colours and links, HTML with a cid: image
 * served from the message while remote images stay blocked (a local HTTP
 * server counts what reaches it), and attachments opened and saved under
 * sanitised names.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "app-test-util.h"
#include "pochta-attachment-list.h"
#include "pochta-message-header.h"
#include "pochta-message-text-view.h"
#include "pochta-message-view.h"
#include "pochta-web-view-module.h"

#define PNG_1X1_BASE64 \
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

static const char plain_message[] =
  "From: \"Doe, Jane\" <jane@example.org>\r\n"
  "To: Me <me@example.org>, Other <other@example.org>\r\n"
  "Cc: list@example.org\r\n"
  "Subject: Re: Plans\r\n"
  "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "\r\n"
  "Sounds good, see https://example.org/plan.\r\n"
  "\r\n"
  "> Shall we meet?\r\n"
  ">> Earlier: www.example.com\r\n"
  "> > > Even earlier\r\n"
  "Bye\r\n";

static const char attachments_message[] =
  "From: Sender <sender@example.org>\r\n"
  "To: me@example.org\r\n"
  "Subject: Files\r\n"
  "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
  "\r\n"
  "--b\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "Three files.\r\n"
  "--b\r\n"
  "Content-Type: text/plain; name=\"../../.bashrc\"\r\n"
  "Content-Disposition: attachment; filename=\"../../.bashrc\"\r\n"
  "\r\n"
  "rm -rf ~\r\n"
  "--b\r\n"
  "Content-Type: application/pdf\r\n"
  "Content-Disposition: attachment; filename=\"report\\\\2026.pdf\"\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n"
  "--b\r\n"
  "Content-Type: application/octet-stream\r\n"
  "Content-Disposition: attachment\r\n"
  "\r\n"
  "no name\r\n"
  "--b--\r\n";

/* ----- states and header ----- */

static GtkWidget *
new_view_in_window (GtkWindow **window_out)
{
  GtkWidget *view = pochta_message_view_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  *window_out = window;

  return view;
}

static void
test_states (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  g_autoptr(GError) offline = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "down");
  g_autoptr(GError) broken = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "The server said no");
  g_autoptr(PochtaMessage) message = app_test_parse (plain_message);
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  gboolean found = FALSE;

  g_test_summary ("Nothing selected, loading, not downloaded, an error and a message each have a page");

  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "empty");

  pochta_message_view_show_loading (view);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "loading");
  app_test_collect_widgets (GTK_WIDGET (view), GTK_TYPE_SPINNER, spinners);
  g_assert_cmpuint (spinners->len, ==, 1);
  g_assert_true (gtk_spinner_get_spinning (spinners->pdata[0]));

  pochta_message_view_show_error (view, offline);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "offline");
  g_assert_false (gtk_spinner_get_spinning (spinners->pdata[0]));

  /* What the service says for a body it has not cached while offline. */
  pochta_message_view_show_loading (view);
  {
    g_autoptr(GError) not_cached = g_error_new_literal (POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_OFFLINE,
                                                        "Not downloaded");

    pochta_message_view_show_error (view, not_cached);
    g_assert_cmpstr (pochta_message_view_get_state (view), ==, "offline");
  }

  pochta_message_view_show_error (view, broken);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "error");
  app_test_collect_widgets (GTK_WIDGET (view), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_description (pages->pdata[i]), "The server said no") == 0)
      found = TRUE;
  g_assert_true (found);

  pochta_message_view_set_message (view, message);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "message");
  g_assert_true (pochta_message_view_get_message (view) == message);

  pochta_message_view_show_empty (view);
  g_assert_cmpstr (pochta_message_view_get_state (view), ==, "empty");
  g_assert_null (pochta_message_view_get_message (view));

  gtk_window_destroy (window);
}

static void
test_header (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  g_autoptr(PochtaMessage) message = app_test_parse (plain_message);
  PochtaMessageHeader *header;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gboolean from_selectable = FALSE;

  g_test_summary ("The header shows every address in full, in text a person can select and copy");

  pochta_message_view_set_message (view, message);
  header = POCHTA_MESSAGE_HEADER (pochta_message_view_get_header (view));

  g_assert_cmpstr (pochta_message_header_get_field (header, "subject"), ==, "Re: Plans");
  g_assert_true (strstr (pochta_message_header_get_field (header, "from"), "jane@example.org") != NULL);
  g_assert_true (strstr (pochta_message_header_get_field (header, "from"), "Doe, Jane") != NULL);
  g_assert_true (strstr (pochta_message_header_get_field (header, "to"), "me@example.org") != NULL);
  g_assert_true (strstr (pochta_message_header_get_field (header, "to"), "other@example.org") != NULL);
  g_assert_cmpstr (pochta_message_header_get_field (header, "cc"), ==, "list@example.org");
  g_assert_true (strstr (pochta_message_header_get_field (header, "date"), "2026") != NULL);

  app_test_collect_widgets (GTK_WIDGET (header), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), "jane@example.org") != NULL)
      from_selectable = gtk_label_get_selectable (labels->pdata[i]);
  g_assert_true (from_selectable);

  gtk_window_destroy (window);
}

/* ----- plain text ----- */

static gboolean
line_has_tag (GtkTextBuffer *buffer,
              int            line,
              const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, line);

  return gtk_text_iter_has_tag (&iter, tag);
}

static gboolean
record_link (PochtaMessageTextView *view,
             const char            *uri,
             gpointer               user_data)
{
  GPtrArray *links = user_data;

  g_ptr_array_add (links, g_strdup (uri));
  return TRUE;
}

static void
test_plain_text (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  g_autoptr(PochtaMessage) message = app_test_parse (plain_message);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  PochtaMessageTextView *text_view;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  g_autofree char *link = NULL;
  GtkTextIter start;
  GtkTextIter end;
  GtkTextIter iter;

  g_test_summary ("Plain text is read-only, each quote level has its colour tag, links are tagged and open");

  pochta_message_view_set_message (view, message);
  g_assert_false (pochta_message_view_get_showing_html (view));
  g_assert_false (pochta_message_view_get_remote_blocked (view));

  text_view = POCHTA_MESSAGE_TEXT_VIEW (pochta_message_view_get_text_view (view));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (text_view)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (text, "Sounds good"));

  /* Lines: 0 text, 1 empty, 2 "> ", 3 ">> ", 4 "> > > ", 5 "Bye". */
  g_assert_false (line_has_tag (buffer, 0, "quote-1"));
  g_assert_true (line_has_tag (buffer, 2, "quote-1"));
  g_assert_false (line_has_tag (buffer, 2, "quote-2"));
  g_assert_true (line_has_tag (buffer, 3, "quote-2"));
  g_assert_true (line_has_tag (buffer, 4, "quote-3"));
  g_assert_false (line_has_tag (buffer, 5, "quote-1"));

  /* The quote colours differ from each other. */
  {
    GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
    g_autoptr(GdkRGBA) first = NULL;
    g_autoptr(GdkRGBA) second = NULL;

    g_object_get (gtk_text_tag_table_lookup (table, "quote-1"), "foreground-rgba", &first, NULL);
    g_object_get (gtk_text_tag_table_lookup (table, "quote-2"), "foreground-rgba", &second, NULL);
    g_assert_nonnull (first);
    g_assert_nonnull (second);
    g_assert_false (gdk_rgba_equal (first, second));
  }

  /* The URL without the sentence's full stop, and a bare www. host. */
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, 20);
  link = pochta_message_text_view_get_link_at (text_view, &iter);
  g_assert_cmpstr (link, ==, "https://example.org/plan");
  g_clear_pointer (&link, g_free);

  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 3, 15);
  link = pochta_message_text_view_get_link_at (text_view, &iter);
  g_assert_cmpstr (link, ==, "http://www.example.com");
  g_clear_pointer (&link, g_free);

  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, 2);
  g_assert_null (pochta_message_text_view_get_link_at (text_view, &iter));

  g_signal_connect (text_view, "activate-link", G_CALLBACK (record_link), links);
  pochta_message_text_view_open_link (text_view, "https://example.org/plan");
  g_assert_cmpuint (links->len, ==, 1);

  gtk_window_destroy (window);
}

static void
test_quote_level (void)
{
  g_assert_cmpuint (pochta_text_quote_level ("plain", -1), ==, 0);
  g_assert_cmpuint (pochta_text_quote_level ("> one", -1), ==, 1);
  g_assert_cmpuint (pochta_text_quote_level (">> two", -1), ==, 2);
  g_assert_cmpuint (pochta_text_quote_level (" > > > three", -1), ==, 3);
  g_assert_cmpuint (pochta_text_quote_level ("a > b", -1), ==, 0);
  g_assert_cmpuint (pochta_text_quote_level (">>>", 2), ==, 2);
  g_assert_cmpuint (pochta_text_quote_level ("", -1), ==, 0);
}

/* ----- attachments ----- */

static void
test_attachment_names (void)
{
  g_autoptr(PochtaMessage) message = app_test_parse (attachments_message);
  GPtrArray *parts = pochta_message_get_attachments (message);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  g_test_summary ("Save names come from the sanitiser: no directories, no leading dot, a name when none");

  g_assert_cmpuint (parts->len, ==, 3);
  first = pochta_attachment_save_name (parts->pdata[0]);
  second = pochta_attachment_save_name (parts->pdata[1]);
  third = pochta_attachment_save_name (parts->pdata[2]);

  g_assert_cmpstr (first, ==, "bashrc");
  g_assert_null (strchr (second, '/'));
  g_assert_null (strchr (second, '\\'));
  g_assert_true (g_str_has_suffix (second, ".pdf"));
  g_assert_cmpstr (third, ==, "attachment");
}

static void
test_attachment_list (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  g_autoptr(PochtaMessage) message = app_test_parse (attachments_message);
  PochtaAttachmentList *list;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) opened = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *saved_path = NULL;
  GPtrArray *parts = pochta_message_get_attachments (message);
  gsize length;
  GStatBuf st;

  g_test_summary ("Attachments are listed with name, type and size; Open writes a private file "
                  "under the cache dir (removed a day later), Save writes the decoded content");

  pochta_message_view_set_message (view, message);
  list = POCHTA_ATTACHMENT_LIST (pochta_message_view_get_attachment_list (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list)));
  g_assert_cmpuint (pochta_attachment_list_get_n_parts (list), ==, 3);

  app_test_collect_widgets (GTK_WIDGET (list), ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, "bashrc");
  /* Type and size, e.g. "PDF document · 10 bytes". */
  g_assert_true (strstr (adw_action_row_get_subtitle (rows->pdata[1]), "·") != NULL);
  g_assert_true (strstr (adw_action_row_get_subtitle (rows->pdata[1]), "bytes") != NULL);

  pochta_attachment_list_open_async (list, parts->pdata[1], NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, APP_TEST_WAIT_MS);
  opened = pochta_attachment_list_open_finish (list, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  cache = g_build_filename (g_get_user_cache_dir (), "pochta", "attachments", NULL);
  g_assert_true (g_str_has_prefix (g_file_peek_path (opened), cache));
  g_assert_true (g_str_has_suffix (g_file_peek_path (opened), ".pdf"));
  g_file_get_contents (g_file_peek_path (opened), &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-1.4"));
  g_assert_cmpint (g_stat (g_file_peek_path (opened), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_clear_pointer (&contents, g_free);

  /* Copies opened days ago go at the next start; today's stay. */
  {
    g_autofree char *old_dir = g_build_filename (cache, "old-opening", NULL);
    g_autofree char *old_file = g_build_filename (old_dir, "minutes.pdf", NULL);
    g_autoptr(GFile) old = g_file_new_for_path (old_dir);
    guint64 two_days_ago = (guint64) (g_get_real_time () / G_USEC_PER_SEC) - 2 * 24 * 3600;
    gssize removed;

    g_assert_cmpint (g_mkdir_with_parents (old_dir, 0700), ==, 0);
    g_file_set_contents (old_file, "%PDF-1.4", -1, &error);
    g_assert_no_error (error);
    g_file_set_attribute_uint64 (old, G_FILE_ATTRIBUTE_TIME_MODIFIED, two_days_ago,
                                 G_FILE_QUERY_INFO_NONE, NULL, &error);
    g_assert_no_error (error);

    pochta_attachment_list_prune_opened_async (NULL, pochta_test_store_result, &result);
    pochta_test_wait_result (&result, APP_TEST_WAIT_MS);
    removed = pochta_attachment_list_prune_opened_finish (result, &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    g_assert_cmpint (removed, ==, 1);
    g_assert_false (g_file_test (old_dir, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (g_file_peek_path (opened), G_FILE_TEST_EXISTS));
  }

  saved_path = g_build_filename (g_get_tmp_dir (), "saved-attachment.txt", NULL);
  saved = g_file_new_for_path (saved_path);
  pochta_attachment_list_save_async (list, parts->pdata[0], saved, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, APP_TEST_WAIT_MS);
  g_assert_true (pochta_attachment_list_save_finish (list, result, &error));
  g_assert_no_error (error);
  g_file_get_contents (saved_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "rm -rf ~");
  g_unlink (saved_path);

  /* A message without attachments hides the list. */
  {
    g_autoptr(PochtaMessage) plain = app_test_parse (plain_message);

    pochta_message_view_set_message (view, plain);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (list)));
  }

  gtk_window_destroy (window);
}

/* ----- HTML ----- */

static char *
html_message (guint16 port)
{
  return g_strdup_printf (
    "From: Shop <news@shop.example>\r\n"
    "To: me@example.org\r\n"
    "Subject: Pictures\r\n"
    "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; boundary=\"rel\"\r\n"
    "\r\n"
    "--rel\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<html><head><link rel=\"stylesheet\" href=\"http://127.0.0.1:%u/style.css\"></head>\r\n"
    "<body style=\"background: url(http://127.0.0.1:%u/background.png)\">\r\n"
    "<p>Hello</p><img src=\"cid:logo@shop.example\" alt=\"logo\">\r\n"
    "<img src=\"http://127.0.0.1:%u/track.gif\" width=\"1\" height=\"1\">\r\n"
    "<a href=\"https://shop.example/real\">https://bank.example</a>\r\n"
    "<meta http-equiv=\"refresh\" content=\"0; url=http://127.0.0.1:%u/refresh\">\r\n"
    "</body></html>\r\n"
    "--rel\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <logo@shop.example>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    PNG_1X1_BASE64 "\r\n"
    "--rel--\r\n",
    port, port, port, port);
}


#if HAVE_WEBKIT

typedef struct
{
  GSocketService *service;
  guint16         port;
  guint           n_requests;
  GPtrArray      *paths;
} HttpServer;

static void
http_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = user_data;
  HttpServer *server = g_object_get_data (G_OBJECT (connection), "server");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *request = NULL;
  static const char response[] =
    "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;

  request = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (g_str_has_prefix (request, "GET "))
    {
      char *path_end = strchr (request + 4, ' ');

      server->n_requests++;
      g_ptr_array_add (server->paths, g_strndup (request + 4, path_end != NULL ? path_end - request - 4 : 0));
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
http_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source,
                  gpointer           user_data)
{
  g_object_set_data (G_OBJECT (connection), "server", user_data);
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   8192, G_PRIORITY_DEFAULT, NULL, http_read_cb,
                                   g_object_ref (connection));
  return TRUE;
}

static void
http_server_start (HttpServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->paths = g_ptr_array_new_with_free_func (g_free);
  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "incoming", G_CALLBACK (http_incoming_cb), server);
  g_socket_service_start (server->service);
}

static void
http_server_stop (HttpServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_pointer (&server->paths, g_ptr_array_unref);
}

/* The web view is in the module: only its properties are within reach. */
static gboolean
web_view_get_boolean (gpointer    web_view,
                      const char *property)
{
  gboolean value = FALSE;

  g_object_get (web_view, property, &value, NULL);
  return value;
}

static gboolean
web_view_loaded (gpointer data)
{
  return web_view_get_boolean (data, "loaded");
}

static gboolean
cid_served (gpointer data)
{
  g_auto(GStrv) cids = NULL;

  g_object_get (data, "served-cids", &cids, NULL);
  return cids[0] != NULL;
}

static gboolean
server_got_request (gpointer data)
{
  HttpServer *server = data;

  return server->n_requests > 0;
}

static void
test_html (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  HttpServer server = { 0 };
  g_autoptr(PochtaMessage) message = NULL;
  g_autofree char *raw = NULL;
  g_auto(GStrv) cids = NULL;
  GtkWidget *web_view;

  g_test_summary ("HTML with an inline cid: image: the image is served from the message, and no "
                  "request reaches the HTTP server its remote images point at until Show");

  http_server_start (&server);
  raw = html_message (server.port);
  message = app_test_parse (raw);

  pochta_message_view_set_message (view, message);
  g_assert_true (pochta_message_view_get_showing_html (view));
  g_assert_true (pochta_message_view_get_remote_blocked (view));
  /* The cid: image is shown in the body, not listed again as a file. */
  g_assert_cmpuint (pochta_attachment_list_get_n_parts (POCHTA_ATTACHMENT_LIST (pochta_message_view_get_attachment_list (view))), ==, 0);

  web_view = pochta_message_view_get_web_view (view);
  g_assert_nonnull (web_view);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (web_view), ==, "PochtaMessageWebView");
  app_test_wait_for (web_view_loaded, web_view);
  app_test_wait_for (cid_served, web_view);

  g_object_get (web_view, "served-cids", &cids, NULL);
  g_assert_cmpstr (cids[0], ==, "cid:logo@shop.example");

  /* Give the blocked loads (and the meta refresh) every chance to leak. */
  app_test_run_for (1500);
  g_assert_cmpuint (server.n_requests, ==, 0);

  /* The server works: once allowed, the remote content does reach it. */
  pochta_message_view_show_remote_content (view, FALSE);
  g_assert_false (pochta_message_view_get_remote_blocked (view));
  g_assert_true (web_view_get_boolean (web_view, "allow-remote"));
  app_test_wait_for (server_got_request, &server);
  g_assert_cmpuint (server.n_requests, >, 0);

  /* The next message from the same sender is blocked again ... */
  server.n_requests = 0;
  pochta_message_view_set_message (view, message);
  g_assert_true (pochta_message_view_get_remote_blocked (view));
  g_assert_false (web_view_get_boolean (web_view, "allow-remote"));

  /* ... unless the sender is always allowed, which the settings remember. */
  pochta_message_view_show_remote_content (view, TRUE);
  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
    g_auto(GStrv) senders = g_settings_get_strv (settings, "remote-content-senders");

    g_assert_true (g_strv_contains ((const char * const *) senders, "news@shop.example"));
  }
  pochta_message_view_set_message (view, message);
  g_assert_false (pochta_message_view_get_remote_blocked (view));
  g_assert_true (web_view_get_boolean (web_view, "allow-remote"));

  gtk_window_destroy (window);
  http_server_stop (&server);
}

static void
test_remote_detection (void)
{
  g_assert_true (pochta_html_has_remote_content ("<img src=\"https://x.example/a.png\">"));
  g_assert_true (pochta_html_has_remote_content ("<IMG SRC='//x.example/a.png'>"));
  g_assert_true (pochta_html_has_remote_content ("<td background=http://x.example/bg.png>"));
  g_assert_true (pochta_html_has_remote_content ("<div style=\"background:url( 'http://x/a')\">"));
  g_assert_true (pochta_html_has_remote_content ("<link rel=stylesheet href=\"https://x/s.css\">"));
  g_assert_false (pochta_html_has_remote_content ("<a href=\"https://x.example/\">link</a>"));
  g_assert_false (pochta_html_has_remote_content ("<img src=\"cid:part@x\">"));
  g_assert_false (pochta_html_has_remote_content ("<p>see http://x.example/</p>"));
}
#endif

static void
test_html_as_text (void)
{
  GtkWindow *window;
  PochtaMessageView *view = POCHTA_MESSAGE_VIEW (new_view_in_window (&window));
  g_autoptr(PochtaMessage) message = NULL;
  g_autofree char *raw = html_message (9);
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  GtkTextIter start;
  GtkTextIter end;

  g_test_summary ("Built without WebKit, an HTML-only message is shown as its text");

  message = app_test_parse (raw);
  pochta_message_view_set_message (view, message);
  g_assert_false (pochta_message_view_get_showing_html (view));
  g_assert_false (pochta_message_view_get_remote_blocked (view));
  g_assert_null (pochta_message_view_get_web_view (view));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pochta_message_view_get_text_view (view)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "Hello"));
  g_assert_null (strstr (text, "<p>"));

  gtk_window_destroy (window);
}

#if HAVE_WEBKIT
static void
test_html_module_missing (void)
{
  g_test_summary ("When the web view module cannot be loaded, HTML is shown as text after a "
                  "single warning, as in a build without WebKit");

  if (g_test_subprocess ())
    {
      g_setenv ("POCHTA_MODULE_DIR", "/nonexistent/pochta", TRUE);
      g_test_expect_message ("pochta-app", G_LOG_LEVEL_WARNING, "Cannot load the HTML reader*");
      test_html_as_text ();
      /* The second HTML message does not try (nor warn) again. */
      test_html_as_text ();
      g_test_assert_expected_messages ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}
#endif

int
main (int   argc,
      char *argv[])
{
  app_test_init (&argc, &argv);

  g_test_add_func ("/app/message-view/states", test_states);
  g_test_add_func ("/app/message-view/header", test_header);
  g_test_add_func ("/app/message-view/plain-text", test_plain_text);
  g_test_add_func ("/app/message-view/quote-level", test_quote_level);
  g_test_add_func ("/app/message-view/attachment-names", test_attachment_names);
  g_test_add_func ("/app/message-view/attachment-list", test_attachment_list);
#if HAVE_WEBKIT
  g_test_add_func ("/app/message-view/html", test_html);
  g_test_add_func ("/app/message-view/remote-detection", test_remote_detection);
  g_test_add_func ("/app/message-view/html-module-missing", test_html_module_missing);
#else
  g_test_add_func ("/app/message-view/html-as-text", test_html_as_text);
#endif

  return g_test_run ();
}
