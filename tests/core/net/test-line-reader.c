/* test-line-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PochtaLineReader over memory streams and pipes: endings, limits, EOF, timeouts.
 */

#include "config.h"

#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "pochta-test-util.h"

#define WAIT_MS 5000

typedef struct
{
  const char *name;
  const char *input;
  gsize       input_len;
  gsize       max_line_length;
  const char *expected[4];
  int         error_code;   /* in POCHTA_NET_ERROR; 0 (FAILED) means none */
} LineCase;

#define S(x) x, sizeof (x) - 1

static const LineCase line_cases[] = {
  { "crlf", S ("a OK\r\nb NO\r\n"), 100, { "a OK", "b NO" }, 0 },
  { "bare-lf", S ("one\ntwo\n"), 100, { "one", "two" }, 0 },
  { "mixed", S ("one\r\ntwo\nthree\r\n"), 100, { "one", "two", "three" }, 0 },
  { "empty-line", S ("\r\n\nx\r\n"), 100, { "", "", "x" }, 0 },
  { "lone-cr-kept", S ("a\rb\r\n"), 100, { "a\rb" }, 0 },
  { "exactly-max", S ("12345\r\n"), 5, { "12345" }, 0 },
  { "max-plus-one", S ("123456\r\n"), 5, { NULL }, POCHTA_NET_ERROR_LINE_TOO_LONG },
  { "too-long-after-good", S ("ok\r\n1234567890"), 5, { "ok", NULL }, POCHTA_NET_ERROR_LINE_TOO_LONG },
  { "eof-mid-line", S ("a OK\r\npartial"), 100, { "a OK", NULL }, POCHTA_NET_ERROR_CLOSED },
  { "eof-clean", S ("a OK\r\n"), 100, { "a OK", NULL }, POCHTA_NET_ERROR_CLOSED },
  { "empty-stream", S (""), 100, { NULL }, POCHTA_NET_ERROR_CLOSED },
};

static PochtaLineReader *
reader_for (const char *data,
            gsize       length,
            gsize       max_line_length)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, length),
                                                                       length, g_free);
  return pochta_line_reader_new (stream, max_line_length);
}

static char *
read_line (PochtaLineReader  *reader,
           gsize             *length,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pochta_line_reader_read_line_async (reader, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  return pochta_line_reader_read_line_finish (reader, result, length, error);
}

static void
test_line_case (gconstpointer data)
{
  const LineCase *c = data;
  g_autoptr(PochtaLineReader) reader = reader_for (c->input, c->input_len, c->max_line_length);
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; c->expected[i] != NULL; i++)
    {
      g_autofree char *line = read_line (reader, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, c->expected[i]);
    }

  if (c->error_code != 0)
    {
      g_autofree char *line = read_line (reader, NULL, &error);
      g_autofree char *again = NULL;
      g_autoptr(GError) again_error = NULL;

      g_assert_null (line);
      g_assert_error (error, POCHTA_NET_ERROR, c->error_code);

      /* The error sticks: the stream position is lost for good. */
      again = read_line (reader, NULL, &again_error);
      g_assert_null (again);
      g_assert_error (again_error, POCHTA_NET_ERROR, c->error_code);
    }
}

static void
test_nul_in_line (void)
{
  static const char input[] = "a\0b\r\n";
  g_autoptr(PochtaLineReader) reader = reader_for (input, sizeof input - 1, 100);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = read_line (reader, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 3);
  g_assert_cmpmem (line, length, "a\0b", 3);
}

static void
test_huge_line_bounded (void)
{
  const gsize total = 10 * 1024 * 1024;
  const gsize max = 64 * 1024;
  g_autofree char *data = g_malloc (total);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PochtaLineReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 start = g_get_monotonic_time ();

  g_test_summary ("A 10 MB line with a 64 KB limit fails after reading little more than the limit.");

  memset (data, 'x', total);
  stream = g_memory_input_stream_new_from_data (data, total, NULL);
  reader = pochta_line_reader_new (stream, max);

  line = read_line (reader, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_LINE_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "65536"));
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, max + 64 * 1024);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_bytes_and_chunks (void)
{
  static const char input[] = "* 1 FETCH {10}\r\n0123456789)\r\nrest";
  g_autoptr(PochtaLineReader) reader = reader_for (input, sizeof input - 1, 100);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) chunk_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) chunk = NULL;
  g_autofree char *first = NULL;
  g_autofree char *after = NULL;

  first = read_line (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "* 1 FETCH {10}");

  pochta_line_reader_read_bytes_async (reader, 10, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  bytes = pochta_line_reader_read_bytes_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "0123456789", 10);

  after = read_line (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, ")");

  pochta_line_reader_read_chunk_async (reader, 3, NULL, pochta_test_store_result, &chunk_result);
  pochta_test_wait_result (&chunk_result, WAIT_MS);
  chunk = pochta_line_reader_read_chunk_finish (reader, chunk_result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk), "res", 3);
}

static void
test_bytes_large_literal (void)
{
  const gsize size = 3 * 1024 * 1024 + 17;
  g_autofree char *data = g_malloc (size + 2);
  g_autoptr(PochtaLineReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *tail = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = 'a' + i % 26;
  memcpy (data + size, "\r\n", 2);
  reader = reader_for (data, size + 2, 100);

  pochta_line_reader_read_bytes_async (reader, size, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  bytes = pochta_line_reader_read_bytes_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);

  tail = read_line (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tail, ==, "");
}

static void
test_bytes_eof (void)
{
  static const char input[] = "01234";
  g_autoptr(PochtaLineReader) reader = reader_for (input, sizeof input - 1, 100);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  pochta_line_reader_read_bytes_async (reader, 10, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  bytes = pochta_line_reader_read_bytes_finish (reader, result, &error);
  g_assert_null (bytes);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
}

/* What a pipe already holds comes in one read, not one per 16 KiB fill;
 * the end of the stream met on the way is reported only after it. */
static void
test_chunk_drains_available (void)
{
  const gsize size = 60 * 1024;  /* under a pipe's buffer: the writes never block */
  g_autofree char *data = g_malloc (size);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PochtaLineReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) end_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GBytes) none = NULL;
  int fds[2];

  for (gsize i = 0; i < size; i++)
    data[i] = 'a' + i % 26;
  g_assert_no_errno (pipe (fds));
  for (gsize done = 0; done < size; done += 15 * 1024)
    {
      gsize n = MIN (15 * 1024, size - done);

      g_assert_cmpint (write (fds[1], data + done, n), ==, n);
    }
  close (fds[1]);
  stream = g_unix_input_stream_new (fds[0], TRUE);
  reader = pochta_line_reader_new (stream, 100);

  pochta_line_reader_read_chunk_async (reader, 256 * 1024, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  chunk = pochta_line_reader_read_chunk_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk), data, size);

  pochta_line_reader_read_chunk_async (reader, 256 * 1024, NULL, pochta_test_store_result, &end_result);
  pochta_test_wait_result (&end_result, WAIT_MS);
  none = pochta_line_reader_read_chunk_finish (reader, end_result, &error);
  g_assert_null (none);
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
}

typedef struct
{
  PochtaLineReader *reader;
  GPtrArray        *lines;
  gboolean          done;
} ChainState;

static void
chain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ChainState *state = user_data;
  g_autoptr(GError) error = NULL;
  char *line = pochta_line_reader_read_line_finish (state->reader, result, NULL, &error);

  if (line == NULL)
    {
      g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED);
      state->done = TRUE;
      return;
    }

  g_ptr_array_add (state->lines, line);
  pochta_line_reader_read_line_async (state->reader, NULL, chain_cb, state);
}

static void
test_read_from_callback (void)
{
  static const char input[] = "1\r\n2\r\n3\r\n";
  g_autoptr(PochtaLineReader) reader = reader_for (input, sizeof input - 1, 100);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  ChainState state = { reader, lines, FALSE };

  g_test_summary ("A callback may start the next read at once and sees the rest of the buffer.");

  pochta_line_reader_read_line_async (reader, NULL, chain_cb, &state);
  pochta_test_wait_until (&state.done, WAIT_MS);

  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "3");
}

static void
test_pending (void)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *none = NULL;
  int fds[2];
  g_autoptr(GInputStream) pipe_stream = NULL;
  g_autoptr(PochtaLineReader) pipe_reader = NULL;

  /* A memory stream answers at once, so a pipe provides a read in flight. */
  g_assert_no_errno (pipe (fds));
  pipe_stream = g_unix_input_stream_new (fds[0], TRUE);
  pipe_reader = pochta_line_reader_new (pipe_stream, 100);

  pochta_line_reader_read_line_async (pipe_reader, NULL, pochta_test_store_result, &first);
  pochta_line_reader_read_line_async (pipe_reader, NULL, pochta_test_store_result, &second);
  pochta_test_wait_result (&second, WAIT_MS);
  none = pochta_line_reader_read_line_finish (pipe_reader, second, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  g_assert_cmpint (write (fds[1], "x\n", 2), ==, 2);
  pochta_test_wait_result (&first, WAIT_MS);
  line = pochta_line_reader_read_line_finish (pipe_reader, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "x");
  close (fds[1]);
}

static void
test_timeout_then_recover (void)
{
  int fds[2];
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PochtaLineReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *later = NULL;
  gint64 start;
  gint64 elapsed;

  g_test_summary ("A silent stream times out after the timeout; no data is lost, so reading can go on.");

  g_assert_no_errno (pipe (fds));
  stream = g_unix_input_stream_new (fds[0], TRUE);
  reader = pochta_line_reader_new (stream, 100);
  pochta_line_reader_set_timeout (reader, 1);

  g_assert_cmpint (write (fds[1], "par", 3), ==, 3);

  start = g_get_monotonic_time ();
  pochta_line_reader_read_line_async (reader, NULL, pochta_test_store_result, &result);
  pochta_test_wait_result (&result, WAIT_MS);
  elapsed = g_get_monotonic_time () - start;
  line = pochta_line_reader_read_line_finish (reader, result, NULL, &error);

  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "did not respond within 1 second"));
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  g_assert_cmpint (write (fds[1], "tial\r\n", 6), ==, 6);
  later = read_line (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (later, ==, "partial");
  close (fds[1]);
}

static void
test_cancel_then_recover (void)
{
  int fds[2];
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PochtaLineReader) reader = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *later = NULL;

  g_assert_no_errno (pipe (fds));
  stream = g_unix_input_stream_new (fds[0], TRUE);
  reader = pochta_line_reader_new (stream, 100);

  pochta_line_reader_read_line_async (reader, cancellable, pochta_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  pochta_test_wait_result (&result, WAIT_MS);
  line = pochta_line_reader_read_line_finish (reader, result, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpint (write (fds[1], "after\n", 6), ==, 6);
  later = read_line (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (later, ==, "after");
  close (fds[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/net/line-reader/line/%s", line_cases[i].name);
      g_test_add_data_func (path, &line_cases[i], test_line_case);
    }

  g_test_add_func ("/core/net/line-reader/nul-in-line", test_nul_in_line);
  g_test_add_func ("/core/net/line-reader/huge-line-bounded", test_huge_line_bounded);
  g_test_add_func ("/core/net/line-reader/bytes-and-chunks", test_bytes_and_chunks);
  g_test_add_func ("/core/net/line-reader/bytes-large-literal", test_bytes_large_literal);
  g_test_add_func ("/core/net/line-reader/bytes-eof", test_bytes_eof);
  g_test_add_func ("/core/net/line-reader/chunk-drains-available", test_chunk_drains_available);
  g_test_add_func ("/core/net/line-reader/read-from-callback", test_read_from_callback);
  g_test_add_func ("/core/net/line-reader/pending", test_pending);
  g_test_add_func ("/core/net/line-reader/timeout-then-recover", test_timeout_then_recover);
  g_test_add_func ("/core/net/line-reader/cancel-then-recover", test_cancel_then_recover);

  return g_test_run ();
}
