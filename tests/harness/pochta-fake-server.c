/* pochta-fake-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted loopback server for the faults real servers won't produce.
 */

#define G_LOG_DOMAIN "pochta-test"

#include "config.h"

#include <string.h>

#include "pochta-fake-server.h"

/* A self-signed P-256 certificate for CN "Pochta fake server" with SAN
 * localhost and 127.0.0.1, valid until 2126; made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
 *     -days 36500 -subj "/CN=Pochta fake server" \
 *     -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
 * Embedded so the fake server needs no files and no openssl at test time. */
static const char fake_server_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBrjCCAVOgAwIBAgIUf8lB2OWFFDhnimJ8YwQuMojKBwgwCgYIKoZIzj0EAwIw\n"
  "HTEbMBkGA1UEAwwSUG9jaHRhIGZha2Ugc2VydmVyMCAXDTI2MTEyMzEyNTgzOVoY\n"
  "DzIxMjYxMDMwMTI1ODM5WjAdMRswGQYDVQQDDBJQb2NodGEgZmFrZSBzZXJ2ZXIw\n"
  "WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT9UdT6j47aXYRbKKtRsvn6VS9ReBRA\n"
  "ndRl2VeAf16tyjKYXpGBCXKQdAb4xFkRlYUM+erKn5XaNW/HyPJM4pcfo28wbTAd\n"
  "BgNVHQ4EFgQU9yA6HssaRqWzjESRbsyiy4VAAyowHwYDVR0jBBgwFoAU9yA6Hssa\n"
  "RqWzjESRbsyiy4VAAyowDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2Nh\n"
  "bGhvc3SHBH8AAAEwCgYIKoZIzj0EAwIDSQAwRgIhAMIWW7X7WNME8NqmY6ZHa4dB\n"
  "FjusLQMDGNuzwkii7rqRAiEAkTUphiokx6y9mN6pdHROd+x9mCTBq3YMgq1AWJLz\n"
  "10g=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwNehAoFXBojcODH5\n"
  "1uo3LNiy7OUiIku22N8MwgeauC6hRANCAAT9UdT6j47aXYRbKKtRsvn6VS9ReBRA\n"
  "ndRl2VeAf16tyjKYXpGBCXKQdAb4xFkRlYUM+erKn5XaNW/HyPJM4pcf\n"
  "-----END PRIVATE KEY-----\n";

typedef enum
{
  STEP_SEND,
  STEP_SEND_LINE,
  STEP_FILLER,
  STEP_EXPECT,
  STEP_SLEEP,
  STEP_STALL,
  STEP_START_TLS,
  STEP_CLOSE,
} StepKind;

typedef struct
{
  StepKind  kind;
  GBytes   *data;
  char     *text;
  GRegex   *regex;
  gsize     count;
  guint     ms;
  char      byte;
} Step;

struct _PochtaFakeServer
{
  GObject          parent_instance;

  GPtrArray       *steps;
  GTlsCertificate *certificate;
  GSocket         *listener;
  GCancellable    *cancellable;
  GThread         *thread;
  guint16          port;
  gboolean         implicit_tls;

  /* Only the server thread touches these while it runs. */
  GIOStream       *stream;
  GSocket         *client;
  GByteArray      *inbuf;
  char           **groups;

  GMutex           mutex;
  GError          *failure;
  gint             finished;
};

G_DEFINE_FINAL_TYPE (PochtaFakeServer, pochta_fake_server, G_TYPE_OBJECT)

static void
step_free (Step *step)
{
  g_clear_pointer (&step->data, g_bytes_unref);
  g_clear_pointer (&step->text, g_free);
  g_clear_pointer (&step->regex, g_regex_unref);
  g_free (step);
}

static void
pochta_fake_server_finalize (GObject *object)
{
  PochtaFakeServer *self = (PochtaFakeServer *)object;

  pochta_fake_server_stop (self, NULL);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_object (&self->certificate);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->inbuf, g_byte_array_unref);
  g_clear_pointer (&self->groups, g_strfreev);
  g_clear_error (&self->failure);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (pochta_fake_server_parent_class)->finalize (object);
}

static void
pochta_fake_server_class_init (PochtaFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_fake_server_finalize;
}

static void
pochta_fake_server_init (PochtaFakeServer *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  self->cancellable = g_cancellable_new ();
  self->inbuf = g_byte_array_new ();
  g_mutex_init (&self->mutex);
}

PochtaFakeServer *
pochta_fake_server_new (void)
{
  return g_object_new (POCHTA_TYPE_FAKE_SERVER, NULL);
}

/* Returns: (transfer none): the certificate served for TLS, by default the
 * embedded self-signed one. */
GTlsCertificate *
pochta_fake_server_get_certificate (PochtaFakeServer *self)
{
  g_return_val_if_fail (POCHTA_IS_FAKE_SERVER (self), NULL);

  if (self->certificate == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->certificate = g_tls_certificate_new_from_pem (fake_server_pem, -1, &error);
      g_assert_no_error (error);
    }

  return self->certificate;
}

void
pochta_fake_server_set_certificate (PochtaFakeServer *self,
                                    GTlsCertificate  *certificate)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  g_set_object (&self->certificate, certificate);
}

void
pochta_fake_server_set_implicit_tls (PochtaFakeServer *self,
                                     gboolean          implicit_tls)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  self->implicit_tls = !!implicit_tls;
}

static Step *
add_step (PochtaFakeServer *self,
          StepKind          kind)
{
  Step *step;

  /* The thread reads the script without a lock. */
  g_assert (self->thread == NULL);

  step = g_new0 (Step, 1);
  step->kind = kind;
  g_ptr_array_add (self->steps, step);
  return step;
}

void
pochta_fake_server_send_line (PochtaFakeServer *self,
                              const char       *line)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_SEND_LINE)->text = g_strdup (line);
}

void
pochta_fake_server_send (PochtaFakeServer *self,
                         const void       *data,
                         gsize             length)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_SEND)->data = g_bytes_new (data, length);
}

void
pochta_fake_server_send_filler (PochtaFakeServer *self,
                                char              byte,
                                gsize             count)
{
  Step *step;

  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  step = add_step (self, STEP_FILLER);
  step->byte = byte;
  step->count = count;
}

void
pochta_fake_server_expect_line (PochtaFakeServer *self,
                                const char       *pattern)
{
  g_autoptr(GError) error = NULL;
  Step *step;

  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  step = add_step (self, STEP_EXPECT);
  step->text = g_strdup (pattern);
  step->regex = g_regex_new (pattern, 0, 0, &error);
  g_assert_no_error (error);
}

void
pochta_fake_server_sleep (PochtaFakeServer *self,
                          guint             milliseconds)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_SLEEP)->ms = milliseconds;
}

void
pochta_fake_server_stall (PochtaFakeServer *self)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_STALL);
}

void
pochta_fake_server_start_tls (PochtaFakeServer *self)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_START_TLS);
}

void
pochta_fake_server_close (PochtaFakeServer *self)
{
  g_return_if_fail (POCHTA_IS_FAKE_SERVER (self));
  add_step (self, STEP_CLOSE);
}

static void
record_failure (PochtaFakeServer *self,
                GError           *error)
{
  g_mutex_lock (&self->mutex);
  if (self->failure == NULL)
    self->failure = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->mutex);
}

static gboolean
write_all (PochtaFakeServer  *self,
           const void        *data,
           gsize              length,
           GError           **error)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (self->stream),
                                    data, length, NULL, self->cancellable, error);
}

static char *
expand_groups (PochtaFakeServer *self,
               const char       *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '$' && p[1] >= '1' && p[1] <= '9' && self->groups != NULL)
        {
          guint n = p[1] - '0';

          if (n < g_strv_length (self->groups))
            g_string_append (out, self->groups[n]);
          p++;
          continue;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Returns: a line without CRLF, or NULL at end of stream or on error. */
static char *
read_line (PochtaFakeServer  *self,
           GError           **error)
{
  guint8 chunk[4096];

  for (;;)
    {
      guint8 *lf = memchr (self->inbuf->data, '\n', self->inbuf->len);
      gssize n;

      if (lf != NULL)
        {
          gsize len = lf - self->inbuf->data;
          char *line = g_strndup ((const char *)self->inbuf->data,
                                  len > 0 && lf[-1] == '\r' ? len - 1 : len);

          g_byte_array_remove_range (self->inbuf, 0, len + 1);
          return line;
        }

      n = g_input_stream_read (g_io_stream_get_input_stream (self->stream),
                               chunk, sizeof chunk, self->cancellable, error);
      if (n <= 0)
        return NULL;
      g_byte_array_append (self->inbuf, chunk, n);
    }
}

static gboolean
do_start_tls (PochtaFakeServer  *self,
              GError           **error)
{
  g_autoptr(GIOStream) tls = NULL;

  if (self->inbuf->len > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "fake server: the client sent data before the TLS handshake");
      return FALSE;
    }

  tls = g_tls_server_connection_new (self->stream, pochta_fake_server_get_certificate (self), error);
  if (tls == NULL)
    return FALSE;

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->cancellable, error))
    return FALSE;

  g_set_object (&self->stream, tls);
  return TRUE;
}

/* Returns FALSE to end the script; *error is then a failure to report or
 * NULL when the client is simply gone. */
static gboolean
run_step (PochtaFakeServer  *self,
          Step              *step,
          GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  switch (step->kind)
    {
    case STEP_SEND:
      return write_all (self, g_bytes_get_data (step->data, NULL), g_bytes_get_size (step->data), NULL);

    case STEP_SEND_LINE:
      {
        g_autofree char *text = expand_groups (self, step->text);
        g_autofree char *line = g_strconcat (text, "\r\n", NULL);

        return write_all (self, line, strlen (line), NULL);
      }

    case STEP_FILLER:
      {
        g_autofree guint8 *chunk = g_malloc (64 * 1024);
        gsize left = step->count;

        memset (chunk, step->byte, 64 * 1024);
        while (left > 0)
          {
            gsize n = MIN (left, 64 * 1024);

            /* The client hanging up halfway is the point of most fillers. */
            if (!write_all (self, chunk, n, NULL))
              return FALSE;
            left -= n;
          }
        return TRUE;
      }

    case STEP_EXPECT:
      {
        g_autofree char *line = read_line (self, &local_error);
        g_autoptr(GMatchInfo) match = NULL;

        if (line == NULL)
          {
            if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "fake server: expected a line matching “%s”, got %s",
                           step->text, local_error ? local_error->message : "end of stream");
            return FALSE;
          }

        if (!g_regex_match (step->regex, line, 0, &match))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "fake server: expected a line matching “%s”, got “%s”",
                         step->text, line);
            return FALSE;
          }

        g_clear_pointer (&self->groups, g_strfreev);
        self->groups = g_match_info_fetch_all (match);
        return TRUE;
      }

    case STEP_SLEEP:
      {
        gint64 end = g_get_monotonic_time () + (gint64)step->ms * 1000;

        while (g_get_monotonic_time () < end && !g_cancellable_is_cancelled (self->cancellable))
          g_usleep (MIN (10000, MAX (0, end - g_get_monotonic_time ())));
        return !g_cancellable_is_cancelled (self->cancellable);
      }

    case STEP_STALL:
      {
        guint8 chunk[4096];

        while (g_input_stream_read (g_io_stream_get_input_stream (self->stream),
                                    chunk, sizeof chunk, self->cancellable, NULL) > 0)
          ;
        return FALSE;
      }

    case STEP_START_TLS:
      if (!do_start_tls (self, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* A client that refuses our certificate is a normal outcome. */
          g_debug ("fake server: TLS handshake failed: %s", local_error->message);
          return FALSE;
        }
      return local_error == NULL;

    case STEP_CLOSE:
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

static gpointer
server_thread (gpointer data)
{
  PochtaFakeServer *self = data;
  g_autoptr(GError) error = NULL;

  self->client = g_socket_accept (self->listener, self->cancellable, &error);
  if (self->client == NULL)
    goto out;

  self->stream = G_IO_STREAM (g_socket_connection_factory_create_connection (self->client));

  if (self->implicit_tls && !do_start_tls (self, &error))
    {
      g_debug ("fake server: TLS handshake failed: %s", error->message);
      g_clear_error (&error);
      goto out;
    }

  for (guint i = 0; i < self->steps->len; i++)
    {
      if (!run_step (self, g_ptr_array_index (self->steps, i), &error))
        break;
    }

out:
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    record_failure (self, g_steal_pointer (&error));

  /* An abrupt close, as a crashing or hostile server would do it. */
  if (self->client != NULL)
    g_socket_close (self->client, NULL);
  g_clear_object (&self->stream);
  g_clear_object (&self->client);

  g_atomic_int_set (&self->finished, TRUE);
  return NULL;
}

/**
 * pochta_fake_server_start:
 *
 * Returns: the port on 127.0.0.1, or 0 with @error set
 */
guint16
pochta_fake_server_start (PochtaFakeServer  *self,
                          GError           **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (POCHTA_IS_FAKE_SERVER (self), 0);
  g_return_val_if_fail (self->thread == NULL, 0);

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    return 0;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (self->listener, address, TRUE, error) ||
      !g_socket_listen (self->listener, error))
    return 0;

  bound = g_socket_get_local_address (self->listener, error);
  if (bound == NULL)
    return 0;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* Loaded here so the server thread never creates it lazily. */
  pochta_fake_server_get_certificate (self);

  self->thread = g_thread_new ("fake-server", server_thread, self);
  return self->port;
}

guint16
pochta_fake_server_get_port (PochtaFakeServer *self)
{
  g_return_val_if_fail (POCHTA_IS_FAKE_SERVER (self), 0);
  return self->port;
}

/* Returns: whether the script ran to its end (or broke off) and the
 * connection is closed. */
gboolean
pochta_fake_server_is_finished (PochtaFakeServer *self)
{
  g_return_val_if_fail (POCHTA_IS_FAKE_SERVER (self), FALSE);
  return g_atomic_int_get (&self->finished);
}

gboolean
pochta_fake_server_stop (PochtaFakeServer  *self,
                         GError           **error)
{
  g_return_val_if_fail (POCHTA_IS_FAKE_SERVER (self), FALSE);

  g_cancellable_cancel (self->cancellable);
  if (self->thread != NULL)
    g_clear_pointer (&self->thread, g_thread_join);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);

  g_mutex_lock (&self->mutex);
  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  g_mutex_unlock (&self->mutex);

  return TRUE;
}
