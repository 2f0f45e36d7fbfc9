/* pochta-imap-client-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader of PochtaImapClient: read, parse, stream body literals, route each response.
 */

#define G_LOG_DOMAIN "pochta-imap"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-connection.h"
#include "pochta-imap-client-private.h"
#include "pochta-imap-error.h"
#include "pochta-net-error.h"

static void process_input (PochtaImapClient *self);
static void stream_step   (PochtaImapClient *self);

static gboolean
keyword_accepted (const ImapCommand *command,
                  const char        *keyword)
{
  if (command->accepts == NULL || keyword == NULL)
    return FALSE;

  for (guint i = 0; command->accepts[i] != NULL; i++)
    if (g_ascii_strcasecmp (command->accepts[i], keyword) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
fetch_has_uid (const PochtaImapResponse *response)
{
  const PochtaImapValue *items = pochta_imap_value_list_get (response->data, 0);
  guint n;

  if (items == NULL || items->type != POCHTA_IMAP_VALUE_LIST)
    return FALSE;

  n = pochta_imap_value_list_size (items);
  for (guint i = 0; i + 1 < n; i += 2)
    if (pochta_imap_value_is_atom (pochta_imap_value_list_get (items, i), "UID"))
      return TRUE;

  return FALSE;
}

/* ESEARCH answers name the command they answer: (TAG "P12"). */
static gboolean
esearch_matches (const ImapCommand        *command,
                 const PochtaImapResponse *response)
{
  const PochtaImapValue *correlator = pochta_imap_value_list_get (response->data, 0);
  const PochtaImapValue *tag;

  if (correlator == NULL || correlator->type != POCHTA_IMAP_VALUE_LIST ||
      pochta_imap_value_list_size (correlator) != 2 ||
      !pochta_imap_value_is_atom (pochta_imap_value_list_get (correlator, 0), "TAG"))
    return TRUE;

  tag = pochta_imap_value_list_get (correlator, 1);
  return g_strcmp0 (pochta_imap_value_get_text (tag), command->tag) == 0;
}

static const char *
response_keyword (const PochtaImapResponse *response)
{
  switch (response->status)
    {
    case POCHTA_IMAP_STATUS_OK: return "OK";
    case POCHTA_IMAP_STATUS_NO: return "NO";
    case POCHTA_IMAP_STATUS_BAD: return "BAD";
    case POCHTA_IMAP_STATUS_BYE: return "BYE";
    case POCHTA_IMAP_STATUS_PREAUTH: return "PREAUTH";
    case POCHTA_IMAP_STATUS_NONE:
    default:
      return response->keyword;
    }
}

static gboolean
route_untagged (PochtaImapClient         *self,
                const PochtaImapResponse *response)
{
  const char *keyword = response_keyword (response);
  gboolean is_fetch = g_strcmp0 (keyword, "FETCH") == 0;
  gboolean is_esearch = g_strcmp0 (keyword, "ESEARCH") == 0;
  gboolean checked_uid = FALSE;
  gboolean has_uid = FALSE;

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (command->untagged == NULL || !keyword_accepted (command, keyword))
        continue;
      if (is_esearch && !esearch_matches (command, response))
        continue;

      /* Servers may send FETCH for flags changed by others at any time;
       * one without a UID is not the answer to a UID FETCH/STORE. */
      if (is_fetch && (command->flags & IMAP_COMMAND_UID))
        {
          if (!checked_uid)
            has_uid = fetch_has_uid (response);
          checked_uid = TRUE;
          if (!has_uid)
            continue;
        }

      if (command->untagged (self, command, response))
        return TRUE;
    }

  return FALSE;
}

static ImapCommand *
find_in_flight (PochtaImapClient *self,
                const char       *tag)
{
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (g_strcmp0 (command->tag, tag) == 0)
        return command;
    }

  return NULL;
}

static void
handle_tagged (PochtaImapClient   *self,
               PochtaImapResponse *response)
{
  ImapCommand *command = find_in_flight (self, response->tag);
  GError *error = NULL;

  if (command == NULL)
    {
      g_autoptr(GError) protocol_error = NULL;

      protocol_error = g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                    _("The IMAP server answered a command that was never sent (tag “%s”)"),
                                    response->tag);
      pochta_imap_response_free (response);
      _pochta_imap_client_fail (self, protocol_error);
      return;
    }

  g_queue_remove (&self->in_flight, command);

  /* A refused synchronizing literal gets a tagged NO instead of "+"; the
   * rest of that command is then never sent. */
  if (command == self->writing && command->waiting_continuation)
    {
      self->writing = NULL;
      _pochta_imap_command_unref (command);
    }

  if (command == self->idle)
    {
      self->idle = NULL;
      _pochta_imap_client_idle_ended (self);
    }

  if ((command->flags & IMAP_COMMAND_PAUSE_READER) && response->status == POCHTA_IMAP_STATUS_OK)
    self->reader_paused = TRUE;

  _pochta_imap_client_handle_code (self, response, (command->flags & IMAP_COMMAND_SELECT) != 0);

  if (response->status != POCHTA_IMAP_STATUS_OK)
    error = _pochta_imap_client_error_from_tagged (response, command->name);
  else if (command->sink_error != NULL)
    error = g_error_copy (command->sink_error);

  if (error != NULL)
    {
      pochta_imap_response_free (response);
      _pochta_imap_command_return (command, NULL, error);
    }
  else
    {
      _pochta_imap_command_return (command, response, NULL);
    }

  _pochta_imap_command_unref (command);
  _pochta_imap_client_update_watchdog (self);
  _pochta_imap_client_pump (self);
}

static void
handle_continuation (PochtaImapClient   *self,
                     PochtaImapResponse *response)
{
  g_autoptr(PochtaImapResponse) owned = response;

  if (self->writing != NULL && self->writing->waiting_continuation)
    {
      self->writing->waiting_continuation = FALSE;
      if (!self->writer_busy)
        _pochta_imap_client_write_next (self);
      return;
    }

  /* The "+" may overtake the completion of the write that asked for it. */
  if (self->writing != NULL && self->writer_busy &&
      self->writing->next_chunk < self->writing->chunks->len &&
      ((PochtaImapCommandChunk *)g_ptr_array_index (self->writing->chunks,
                                                    self->writing->next_chunk))->wait_continuation)
    {
      self->writing->continuation_early = TRUE;
      return;
    }

  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      /* The "+" may overtake the completion of the command's last write,
       * so the command may still be the one being written. */
      if (command->continuation != NULL)
        {
          command->continuation (self, command, response);
          return;
        }
    }

  {
    g_autoptr(GError) error = NULL;

    error = g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                                 _("The IMAP server asked for data no command is sending"));
    _pochta_imap_client_fail (self, error);
  }
}

static void
handle_greeting (PochtaImapClient   *self,
                 PochtaImapResponse *response)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->greeting_task);

  if (response->kind != POCHTA_IMAP_RESPONSE_UNTAGGED ||
      (response->status != POCHTA_IMAP_STATUS_OK &&
       response->status != POCHTA_IMAP_STATUS_PREAUTH &&
       response->status != POCHTA_IMAP_STATUS_BYE))
    {
      g_task_return_new_error (task, POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_PROTOCOL,
                               _("The server did not greet like an IMAP server"));
      pochta_imap_response_free (response);
      return;
    }

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    {
      self->bye_received = TRUE;
      g_free (self->bye_text);
      self->bye_text = g_strdup (response->text);
    }

  _pochta_imap_client_handle_code (self, response, TRUE);
  _pochta_imap_client_update_watchdog (self);
  g_task_return_pointer (task, response, (GDestroyNotify)pochta_imap_response_free);
}

static void
dispatch (PochtaImapClient   *self,
          PochtaImapResponse *response)
{
  gboolean consumed;

  if (self->greeting_task != NULL)
    {
      handle_greeting (self, response);
      return;
    }

  switch (response->kind)
    {
    case POCHTA_IMAP_RESPONSE_TAGGED:
      handle_tagged (self, response);
      return;

    case POCHTA_IMAP_RESPONSE_CONTINUATION:
      handle_continuation (self, response);
      return;

    case POCHTA_IMAP_RESPONSE_UNTAGGED:
    default:
      break;
    }

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    {
      self->bye_received = TRUE;
      g_free (self->bye_text);
      self->bye_text = g_strdup (response->text);
    }

  consumed = route_untagged (self, response);

  /* A command that took the response (SELECT) applied its mailbox codes. */
  if (response->status != POCHTA_IMAP_STATUS_NONE)
    _pochta_imap_client_handle_code (self, response, consumed);

  if (!consumed)
    _pochta_imap_client_handle_unsolicited (self, response);

  if (response->status == POCHTA_IMAP_STATUS_BYE)
    _pochta_imap_client_emit_bye (self, response->text);

  pochta_imap_response_free (response);
}

static GError *
error_for_lost_connection (PochtaImapClient *self,
                           const GError     *error)
{
  if (self->bye_received)
    return g_error_new (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_BYE,
                        _("The IMAP server ended the session: %s"),
                        self->bye_text && *self->bye_text ? self->bye_text : _("no reason given"));

  if (g_error_matches (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED))
    return g_error_new_literal (POCHTA_IMAP_ERROR, POCHTA_IMAP_ERROR_CLOSED,
                                _("The IMAP server closed the connection"));

  return g_error_copy (error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(PochtaImapClient) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  bytes = pochta_connection_read_chunk_finish (POCHTA_CONNECTION (object), result, &error);

  if (self == NULL)
    return;

  self->reading = FALSE;
  if (self->fatal_error != NULL)
    return;

  if (bytes == NULL)
    {
      g_autoptr(GError) lost = error_for_lost_connection (self, error);

      _pochta_imap_client_fail (self, lost);
      return;
    }

  self->bytes_read += g_bytes_get_size (bytes);
  g_clear_pointer (&self->input, g_bytes_unref);
  self->input = g_steal_pointer (&bytes);
  self->input_offset = 0;
  _pochta_imap_client_update_watchdog (self);

  if (self->streaming)
    stream_step (self);
  else
    process_input (self);
}

static void
read_more (PochtaImapClient *self,
           gsize             max)
{
  GWeakRef *weak;

  if (self->reading || self->fatal_error != NULL)
    return;

  /* The reader waits as long as the server is silent; the watchdog bounds
   * the waits that matter, those for a command's answer. It holds the
   * client weakly, so that an unused client can go, closing its socket. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  self->reading = TRUE;
  pochta_connection_set_read_timeout (self->connection, 0);
  pochta_connection_read_chunk_async (self->connection, max, self->reader_cancellable,
                                      read_cb, weak);
}

typedef struct
{
  PochtaImapClient *self;
  GBytes           *piece;  /* kept alive until the write ends */
} SinkWriteOp;

static void
sink_write_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SinkWriteOp *op = user_data;
  g_autoptr(PochtaImapClient) self = op->self;
  g_autoptr(GError) error = NULL;

  g_bytes_unref (op->piece);
  g_free (op);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* The literal is still drained from the connection, which stays in
       * step; the command reports the sink's error at its end. */
      if (self->stream_target != NULL && self->stream_target->sink_error == NULL &&
          self->literal_sink == (gpointer)object)
        self->stream_target->sink_error = g_steal_pointer (&error);
      g_clear_object (&self->literal_sink);
    }

  if (self->fatal_error != NULL)
    return;

  stream_step (self);
}

static void
stream_step (PochtaImapClient *self)
{
  gsize available;

  if (self->literal_remaining == 0)
    {
      self->streaming = FALSE;
      g_clear_object (&self->literal_sink);
      g_clear_pointer (&self->stream_target, _pochta_imap_command_unref);
      pochta_imap_parser_literal_streamed (self->parser);
      process_input (self);
      return;
    }

  available = self->input ? g_bytes_get_size (self->input) - self->input_offset : 0;
  if (available == 0)
    {
      read_more (self, MIN (self->literal_remaining, IMAP_IO_CHUNK));
      return;
    }

  {
    gsize n = MIN (available, self->literal_remaining);
    g_autoptr(GBytes) piece = g_bytes_new_from_bytes (self->input, self->input_offset, n);

    self->input_offset += n;
    self->literal_remaining -= n;

    if (self->literal_sink != NULL)
      {
        SinkWriteOp *op = g_new0 (SinkWriteOp, 1);

        op->self = g_object_ref (self);
        op->piece = g_steal_pointer (&piece);
        g_output_stream_write_all_async (self->literal_sink, g_bytes_get_data (op->piece, NULL), n,
                                         G_PRIORITY_DEFAULT, NULL, sink_write_cb, op);
        return;
      }
  }

  stream_step (self);
}

static void
begin_stream (PochtaImapClient *self)
{
  self->streaming = TRUE;
  self->literal_remaining = pochta_imap_parser_get_literal_size (self->parser);

  g_clear_object (&self->literal_sink);
  if (self->stream_target != NULL && self->stream_target->body_sink != NULL &&
      self->stream_target->sink_error == NULL)
    self->literal_sink = g_object_ref (self->stream_target->body_sink);

  stream_step (self);
}

static void
process_input (PochtaImapClient *self)
{
  g_autoptr(PochtaImapClient) hold = g_object_ref (self);

  while (self->fatal_error == NULL && !self->streaming)
    {
      g_autoptr(GError) error = NULL;
      PochtaImapParseResult result;
      const char *data;
      gsize size;
      gsize consumed = 0;

      /* After STARTTLS or COMPRESS the next bytes belong to a new layer. */
      if (self->reader_paused)
        return;

      data = self->input ? g_bytes_get_data (self->input, &size) : NULL;
      if (data == NULL || self->input_offset >= size)
        {
          g_clear_pointer (&self->input, g_bytes_unref);
          read_more (self, IMAP_IO_CHUNK);
          return;
        }

      result = pochta_imap_parser_feed (self->parser, data + self->input_offset,
                                        size - self->input_offset, &consumed, &error);
      self->input_offset += consumed;

      switch (result)
        {
        case POCHTA_IMAP_PARSE_NEED_MORE:
          break;

        case POCHTA_IMAP_PARSE_RESPONSE:
          dispatch (self, pochta_imap_parser_take_response (self->parser));
          break;

        case POCHTA_IMAP_PARSE_STREAM_LITERAL:
          begin_stream (self);
          return;

        case POCHTA_IMAP_PARSE_ERROR:
        default:
          _pochta_imap_client_fail (self, error);
          return;
        }
    }
}

static gboolean
is_body_item (const char *item)
{
  if (item == NULL)
    return FALSE;

  return g_ascii_strncasecmp (item, "BODY[", 5) == 0 ||
         g_ascii_strncasecmp (item, "BINARY[", 7) == 0 ||
         g_ascii_strcasecmp (item, "RFC822") == 0 ||
         g_ascii_strcasecmp (item, "RFC822.TEXT") == 0;
}

/* Decides, as a literal starts, whether it is a body that a command wants
 * streamed; everything else is held in memory within the parser's limits. */
static gboolean
literal_func (PochtaImapParser *parser,
              guint64           size,
              gpointer          user_data)
{
  PochtaImapClient *self = user_data;
  const PochtaImapResponse *partial = pochta_imap_parser_get_partial (parser);
  const PochtaImapValue *open;
  const PochtaImapValue *last;
  guint64 uid = 0;
  guint n;

  if (partial == NULL || partial->kind != POCHTA_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (partial->keyword, "FETCH") != 0)
    return FALSE;

  open = pochta_imap_parser_get_open_list (parser);
  n = open ? pochta_imap_value_list_size (open) : 0;
  if (n == 0 || n % 2 == 0)
    return FALSE;

  last = pochta_imap_value_list_get (open, n - 1);
  if (last->type != POCHTA_IMAP_VALUE_ATOM || !is_body_item (last->data))
    return FALSE;

  /* Pipelined body fetches are told apart by the UID when it came first. */
  for (guint i = 0; i + 1 < n; i += 2)
    if (pochta_imap_value_is_atom (pochta_imap_value_list_get (open, i), "UID"))
      pochta_imap_value_get_number (pochta_imap_value_list_get (open, i + 1), &uid);

  /* Mirrors route_untagged(): the first command taking FETCH gets it. */
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    {
      ImapCommand *command = l->data;

      if (!keyword_accepted (command, "FETCH"))
        continue;

      if (!(command->flags & IMAP_COMMAND_STREAM_BODIES))
        return FALSE;

      if (uid == 0 || command->body_uid == 0 || command->body_uid == uid)
        {
          g_clear_pointer (&self->stream_target, _pochta_imap_command_unref);
          self->stream_target = _pochta_imap_command_ref (command);
          return TRUE;
        }
    }

  return FALSE;
}

void
_pochta_imap_client_reset_parser (PochtaImapClient *self)
{
  g_clear_pointer (&self->parser, pochta_imap_parser_free);
  self->parser = pochta_imap_parser_new (&self->limits);
  pochta_imap_parser_set_literal_func (self->parser, literal_func, self);
}

gboolean
_pochta_imap_client_has_pending_input (PochtaImapClient *self)
{
  return self->input != NULL && self->input_offset < g_bytes_get_size (self->input);
}

void
_pochta_imap_client_start_reader (PochtaImapClient *self)
{
  if (self->fatal_error != NULL || self->reader_paused || self->streaming || self->reading)
    return;

  process_input (self);
}
