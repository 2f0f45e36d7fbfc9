/* pochta-imap-client-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the pochta-imap-client*.c siblings share: the instance, the command queue and its helpers.
 */

#pragma once

#include "pochta-imap-capabilities.h"
#include "pochta-imap-client.h"
#include "pochta-imap-command.h"
#include "pochta-imap-parser.h"

G_BEGIN_DECLS

/* Commands are written in pieces of at most this size, and streamed bodies
 * are read in pieces of it, so memory stays flat whatever the message size. */
#define IMAP_IO_CHUNK (64 * 1024)

typedef struct _ImapCommand ImapCommand;

typedef enum
{
  IMAP_COMMAND_NONE          = 0,
  /* Waits until every earlier command finished and holds back later ones
   * until it finished: for commands that change the connection (STARTTLS,
   * COMPRESS, AUTHENTICATE) or the meaning of untagged data (SELECT, IDLE). */
  IMAP_COMMAND_BARRIER       = 1 << 0,
  /* Body literals of FETCH responses routed here are streamed to body_sink. */
  IMAP_COMMAND_STREAM_BODIES = 1 << 1,
  /* The reader must stop after this command's tagged OK, before reading on
   * (the stream changes under it: STARTTLS, COMPRESS). */
  IMAP_COMMAND_PAUSE_READER  = 1 << 2,
  /* A BYE before the tagged reply is expected (LOGOUT). */
  IMAP_COMMAND_EXPECT_BYE    = 1 << 3,
  /* No command timeout while the server is allowed to stay silent (IDLE). */
  IMAP_COMMAND_NO_TIMEOUT    = 1 << 4,
  /* Uses UIDs: an untagged FETCH without UID is not its answer. */
  IMAP_COMMAND_UID           = 1 << 5,
  /* SELECT/EXAMINE: its codes describe the new mailbox, not the old one. */
  IMAP_COMMAND_SELECT        = 1 << 6,
} ImapCommandFlags;

/* Returns TRUE when the untagged response was this command's to consume;
 * FALSE lets it go on to the session's signals. */
typedef gboolean (*ImapUntaggedFunc)    (PochtaImapClient         *self,
                                         ImapCommand              *command,
                                         const PochtaImapResponse *response);
typedef void     (*ImapContinuationFunc) (PochtaImapClient         *self,
                                         ImapCommand              *command,
                                         const PochtaImapResponse *response);

struct _ImapCommand
{
  PochtaImapCommand    *builder;
  char                 *tag;
  char                 *name;
  GPtrArray            *chunks;          /* PochtaImapCommandChunk, once serialized */
  guint                 next_chunk;
  gsize                 chunk_offset;    /* within chunks[next_chunk], for large chunks */

  /* APPEND from a stream: after the chunks, stream_size bytes of stream,
   * then CRLF. */
  GInputStream         *stream;
  guint64               stream_size;
  guint64               stream_sent;

  ImapCommandFlags      flags;
  const char * const   *accepts;         /* untagged keywords routed here */
  char                 *search_tag;      /* ESEARCH correlator, this command's tag */
  ImapUntaggedFunc      untagged;
  ImapContinuationFunc  continuation;
  gpointer              user_data;       /* the operation's state; NULL once abandoned */
  GOutputStream        *body_sink;
  guint32               body_uid;
  GError               *sink_error;      /* writing to body_sink failed; the literal was drained */
  gint                  ref_count;

  GTask                *task;            /* NULL once completed or abandoned */
  GSource              *cancel_source;

  guint                 started : 1;     /* the first byte went out */
  guint                 waiting_continuation : 1;
  guint                 continuation_early : 1;  /* "+" came before the write completed */
  guint                 done_sent : 1;   /* IDLE: DONE is on its way */
  guint                 idle_accepted : 1;
};

struct _PochtaImapClient
{
  GObject                 parent_instance;

  PochtaConnection       *connection;
  PochtaImapParser       *parser;
  PochtaImapLimits        limits;
  PochtaImapCapabilities *capabilities;
  PochtaImapClientState   state;
  PochtaImapMailboxState *selected;      /* state of the selected mailbox, kept current */
  char                   *greeting;
  GError                 *fatal_error;   /* why the session ended */
  char                   *bye_text;

  GQueue                  queue;         /* ImapCommand not yet started */
  GQueue                  in_flight;     /* started, waiting for the tagged reply */
  ImapCommand            *writing;       /* being written, or waiting for "+" */
  GQueue                  raw_lines;     /* GBytes, secret flag: lines waiting for the writer */
  ImapCommand            *idle;          /* the IDLE command in flight */
  GTask                  *idle_start_task;
  GTask                  *idle_stop_task;
  GTask                  *greeting_task;
  guint                   tag_counter;
  guint64                 bytes_read;    /* after decompression */

  /* Reader: the current chunk and how far the parser got into it. */
  GBytes                 *input;
  gsize                   input_offset;
  GCancellable           *reader_cancellable;
  ImapCommand            *stream_target; /* receives the literal being streamed */
  guint64                 literal_remaining;
  GOutputStream          *literal_sink;

  GSource                *watchdog;
  GSource                *idle_renew;
  guint                   command_timeout;
  guint                   idle_timeout;

  guint                   allow_plaintext_auth : 1;
  guint                   reading : 1;
  guint                   reader_paused : 1;
  guint                   streaming : 1;
  guint                   writer_busy : 1;
  guint                   bye_received : 1;
  guint                   utf8_enabled : 1;
  guint                   condstore_enabled : 1;
  guint                   qresync_enabled : 1;
  guint                   compressed : 1;
  guint                   idle_stop_requested : 1;
  guint                   idle_renewing : 1;
  guint                   idling : 1;          /* as last notified */
};

/* pochta-imap-client-io.c: the queue, the writer, the reader and dispatch. */
ImapCommand *_pochta_imap_command_new            (PochtaImapCommand        *builder,
                                                  ImapCommandFlags          flags);
ImapCommand *_pochta_imap_command_ref            (ImapCommand              *command);
void         _pochta_imap_command_unref          (ImapCommand              *command);
void         _pochta_imap_client_command_async   (PochtaImapClient         *self,
                                                  ImapCommand              *command,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
PochtaImapResponse *_pochta_imap_client_command_finish (PochtaImapClient   *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
void         _pochta_imap_command_return         (ImapCommand              *command,
                                                  PochtaImapResponse       *response,
                                                  GError                   *error);
void         _pochta_imap_client_write_next      (PochtaImapClient         *self);

/* pochta-imap-client-reader.c: reading, parsing, routing. */
void         _pochta_imap_client_start_reader    (PochtaImapClient         *self);
void         _pochta_imap_client_fail            (PochtaImapClient         *self,
                                                  const GError             *error);
void         _pochta_imap_client_pump            (PochtaImapClient         *self);
void         _pochta_imap_client_update_watchdog (PochtaImapClient         *self);
void         _pochta_imap_client_write_raw       (PochtaImapClient         *self,
                                                  const char               *line,
                                                  gboolean                  secret);
gboolean     _pochta_imap_client_has_pending_input (PochtaImapClient       *self);
void         _pochta_imap_client_reset_parser    (PochtaImapClient         *self);

/* pochta-imap-client.c */
void         _pochta_imap_client_set_state       (PochtaImapClient         *self,
                                                  PochtaImapClientState     state);
void         _pochta_imap_client_set_capabilities (PochtaImapClient        *self,
                                                  PochtaImapCapabilities   *capabilities);
void         _pochta_imap_client_handle_code     (PochtaImapClient         *self,
                                                  const PochtaImapResponse *response,
                                                  gboolean                  global_only);
void         _pochta_imap_mailbox_state_apply_code (PochtaImapMailboxState *mailbox,
                                                  const PochtaImapResponse *response);
char       **_pochta_imap_strv_from_list         (const PochtaImapValue    *list);
gboolean     _pochta_imap_client_handle_unsolicited (PochtaImapClient      *self,
                                                  const PochtaImapResponse *response);
void         _pochta_imap_client_notify_idling (PochtaImapClient       *self);
void         _pochta_imap_client_emit_bye        (PochtaImapClient         *self,
                                                  const char               *text);
GError      *_pochta_imap_client_error_from_tagged (const PochtaImapResponse *response,
                                                  const char               *command);
PochtaImapSerializeFlags _pochta_imap_client_serialize_flags (PochtaImapClient *self);

/* pochta-imap-client-commands.c: one state struct for every typed
 * operation, and the helper that runs a command for it. */
typedef struct _ImapOp ImapOp;
typedef void (*ImapOpDone) (PochtaImapClient   *self,
                            GTask              *task,
                            PochtaImapResponse *response);

struct _ImapOp
{
  ImapOpDone              done;
  GError                 *error;          /* first malformed answer, reported at the end */
  GPtrArray              *items;          /* collected typed answers */
  GPtrArray              *extra;          /* LIST-STATUS: the statuses */
  PochtaImapSequenceSet  *uids;
  PochtaImapSequenceSet  *requested;      /* UID FETCH/STORE: which answers are ours */
  PochtaImapMailboxState *mailbox;
  GHashTable             *table;
  char                  **strv;
  char                   *name;
  gpointer                result;
  GDestroyNotify          result_free;
  PochtaImapFetchFunc     func;
  PochtaImapFetchViewFunc view_func;
  gpointer                func_data;
  GDestroyNotify          func_data_destroy;
  GOutputStream          *output;
  GBytes                 *pending;        /* a body small enough to arrive inline */
  guint64                 size;
  guint32                 uid;
  guint32                 uidvalidity;
  guint                   step;
  gboolean                found;
  gboolean                deselect_on_error;
};

ImapOp      *_pochta_imap_op_new                 (GTask                    *task,
                                                  ImapOpDone                done);
ImapCommand *_pochta_imap_client_prepare         (PochtaImapClient         *self,
                                                  GTask                    *task,
                                                  PochtaImapCommand        *builder,
                                                  ImapCommandFlags          flags,
                                                  const char * const       *accepts,
                                                  ImapUntaggedFunc          untagged);
void         _pochta_imap_client_submit          (PochtaImapClient         *self,
                                                  GTask                    *task,
                                                  ImapCommand              *command);
void         _pochta_imap_client_run             (PochtaImapClient         *self,
                                                  GTask                    *task,
                                                  PochtaImapCommand        *builder,
                                                  ImapCommandFlags          flags,
                                                  const char * const       *accepts,
                                                  ImapUntaggedFunc          untagged);
void         _pochta_imap_client_run_simple      (PochtaImapClient         *self,
                                                  PochtaImapCommand        *builder,
                                                  gpointer                  source_tag,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
void         _pochta_imap_result_done            (PochtaImapClient         *self,
                                                  GTask                    *task,
                                                  PochtaImapResponse       *response);
gboolean     _pochta_imap_client_utf8            (PochtaImapClient         *self);
void         _pochta_imap_op_take_error          (ImapOp                   *op,
                                                  GError                   *error);
GTask       *_pochta_imap_task_new               (PochtaImapClient         *self,
                                                  gpointer                  source_tag,
                                                  ImapOpDone                done,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gboolean     _pochta_imap_client_return_if_not_selected (PochtaImapClient  *self,
                                                  GTask                    *task);
gboolean     _pochta_imap_client_finish_boolean  (PochtaImapClient         *self,
                                                  GAsyncResult             *result,
                                                  gpointer                  source_tag,
                                                  GError                  **error);
gpointer     _pochta_imap_client_finish_pointer  (PochtaImapClient         *self,
                                                  GAsyncResult             *result,
                                                  gpointer                  source_tag,
                                                  GError                  **error);

/* pochta-imap-client-fetch.c */
gboolean     _pochta_imap_client_fetch_untagged  (PochtaImapClient         *self,
                                                  ImapCommand              *command,
                                                  const PochtaImapResponse *response);
void         _pochta_imap_sequence_set_merge     (PochtaImapSequenceSet   **into,
                                                  const PochtaImapSequenceSet *from);
void         _pochta_imap_client_add_status_items (PochtaImapCommand       *builder,
                                                  PochtaImapStatusItems     items);

/* pochta-imap-client-idle.c */
void         _pochta_imap_client_idle_continuation (PochtaImapClient       *self,
                                                  ImapCommand              *command,
                                                  const PochtaImapResponse *response);
void         _pochta_imap_client_idle_ended      (PochtaImapClient         *self);

G_END_DECLS
