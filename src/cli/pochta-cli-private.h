/* pochta-cli-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the files of pochta-cli: the run context, the commands, and
 * small parsers and formatters (pochta-cli-util.c, which the tests link).
 */

#pragma once

#include <gio/gio.h>

#include "pochta-core.h"

G_BEGIN_DECLS

/* Exit statuses, as documented in --help: 2 is a mistake on the command
 * line (nothing was done), 1 is a command that ran and failed. */
#define POCHTA_CLI_EXIT_OK      0
#define POCHTA_CLI_EXIT_FAILURE 1
#define POCHTA_CLI_EXIT_USAGE   2

typedef struct
{
  const char    *command;         /* "account add": names the command in messages */
  PochtaService *service;         /* once pochta_cli_open_service() succeeded */
  GCancellable  *cancellable;     /* cancelled by SIGINT or SIGTERM */
  gboolean       stdout_is_tty;
  gboolean       stderr_is_tty;
  gboolean       progress_shown;  /* a "\r" line is on stderr and must be cleared first */
} PochtaCli;

typedef int (*PochtaCliCommandFunc) (PochtaCli  *cli,
                                     int         argc,
                                     char      **argv);

/* main.c */
gboolean       pochta_cli_parse_options    (PochtaCli           *cli,
                                            const char          *parameter_string,
                                            const char          *summary,
                                            const GOptionEntry  *entries,
                                            int                 *argc,
                                            char              ***argv,
                                            int                 *status);
gboolean       pochta_cli_open_service     (PochtaCli           *cli);
void           pochta_cli_wait             (PochtaCli           *cli,
                                            GAsyncResult       **result);
void           pochta_cli_store_result     (GObject             *source,
                                            GAsyncResult        *result,
                                            gpointer             user_data);
int            pochta_cli_fail             (PochtaCli           *cli,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (2, 3);
int            pochta_cli_usage            (PochtaCli           *cli,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (2, 3);
int            pochta_cli_fail_error       (PochtaCli           *cli,
                                            const GError        *error);
void           pochta_cli_clear_progress   (PochtaCli           *cli);
void           pochta_cli_show_progress    (PochtaCli           *cli,
                                            const char          *text);
PochtaAccount *pochta_cli_find_account     (PochtaCli           *cli,
                                            const char          *name);
void           pochta_cli_print_row        (PochtaCli           *cli,
                                            const char * const  *cells,
                                            const int           *widths);

/* The commands, one file per group. */
int            pochta_cli_account          (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_sync             (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_folders          (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_list             (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_show             (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_mark             (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_move             (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_delete           (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);
int            pochta_cli_pending          (PochtaCli           *cli,
                                            int                  argc,
                                            char               **argv);

/* pochta-cli-util.c: no service, no I/O beyond the stream given. Parse
 * errors are G_OPTION_ERROR_BAD_VALUE, so that they exit as usage errors. */
gboolean       pochta_cli_parse_server     (const char          *text,
                                            char               **host,
                                            guint               *port,
                                            GError             **error);
gboolean       pochta_cli_parse_tls_mode   (const char          *text,
                                            PochtaTlsMode       *mode,
                                            GError             **error);
gboolean       pochta_cli_parse_number     (const char          *text,
                                            const char          *what,
                                            guint64              min,
                                            guint64              max,
                                            guint64             *value,
                                            GError             **error);
GArray        *pochta_cli_parse_message_ids (int                 argc,
                                            char               **argv,
                                            GError             **error);
char          *pochta_cli_read_password    (GInputStream        *stream,
                                            GCancellable        *cancellable,
                                            GError             **error);
char          *pochta_cli_format_flags     (PochtaMessageFlags   flags,
                                            gboolean             has_attachments);
char          *pochta_cli_format_time      (gint64               unix_time);
char          *pochta_cli_format_address   (const char          *name,
                                            const char          *address);
char          *pochta_cli_clean_text       (const char          *text);
char          *pochta_cli_clean_body       (const char          *text);
char          *pochta_cli_fit              (const char          *text,
                                            guint                width);
const char    *pochta_cli_role_name        (PochtaFolderRole     role);
const char    *pochta_cli_state_name       (PochtaAccountState   state);

G_END_DECLS
