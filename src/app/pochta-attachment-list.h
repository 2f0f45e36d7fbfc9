/* pochta-attachment-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message's attachments with name, type and size, to open or save.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_ATTACHMENT_LIST (pochta_attachment_list_get_type ())

G_DECLARE_FINAL_TYPE (PochtaAttachmentList, pochta_attachment_list, POCHTA, ATTACHMENT_LIST, GtkWidget)

GtkWidget *pochta_attachment_list_new          (void);
void       pochta_attachment_list_set_parts    (PochtaAttachmentList *self,
                                                GPtrArray            *parts);
guint      pochta_attachment_list_get_n_parts  (PochtaAttachmentList *self);
void       pochta_attachment_list_open_async   (PochtaAttachmentList *self,
                                                PochtaMessagePart    *part,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GFile     *pochta_attachment_list_open_finish  (PochtaAttachmentList *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void       pochta_attachment_list_save_async   (PochtaAttachmentList *self,
                                                PochtaMessagePart    *part,
                                                GFile                *file,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean   pochta_attachment_list_save_finish  (PochtaAttachmentList *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void       pochta_attachment_list_prune_opened_async  (GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gssize     pochta_attachment_list_prune_opened_finish (GAsyncResult        *result,
                                                       GError             **error);

char      *pochta_attachment_save_name         (PochtaMessagePart    *part);

G_END_DECLS
