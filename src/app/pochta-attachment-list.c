/* pochta-attachment-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message's attachments with name, type and size. Open writes the part
 * to a private file under the cache directory and hands it to the
 * desktop's handler; Save asks where, under a sanitised name.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "pochta-attachment-list.h"

struct _PochtaAttachmentList
{
  GtkWidget      parent_instance;

  GtkListBox    *list_box;

  GPtrArray     *parts;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (PochtaAttachmentList, pochta_attachment_list, GTK_TYPE_WIDGET)

typedef struct
{
  PochtaMessagePart *part;
  GFile             *file;
  GOutputStream     *stream;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_object (&data->part);
  g_clear_object (&data->file);
  g_clear_object (&data->stream);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WriteData, write_data_free)

/**
 * pochta_attachment_save_name:
 * @part: an attachment
 *
 * The name to offer when saving @part: its own file name made safe by
 * pochta_attachment_name_sanitize() (no directories, no leading dots, no
 * control characters), or a plain one when it has none.
 */
char *
pochta_attachment_save_name (PochtaMessagePart *part)
{
  const char *filename;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_PART (part), NULL);

  filename = pochta_message_part_get_filename (part);
  if ((filename == NULL || *filename == '\0')
      && g_ascii_strcasecmp (pochta_message_part_get_mime_type (part), "message/rfc822") == 0)
    filename = "message.eml";

  return pochta_attachment_name_sanitize (filename);
}

static void
write_closed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_part_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  WriteData *data = g_task_get_task_data (task);
  GCancellable *cancellable;

  if (!pochta_message_part_write_to_stream_finish (POCHTA_MESSAGE_PART (object), result, &error))
    {
      /* Leave no half-written file behind under the name asked for. */
      g_output_stream_close (data->stream, NULL, NULL);
      g_file_delete (data->file, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_output_stream_close_async (data->stream, G_PRIORITY_DEFAULT, cancellable,
                               write_closed_cb, g_steal_pointer (&task));
}

static void
write_replace_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  WriteData *data = g_task_get_task_data (task);
  GFileOutputStream *stream;
  GCancellable *cancellable;

  stream = g_file_replace_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->stream = G_OUTPUT_STREAM (stream);
  cancellable = g_task_get_cancellable (task);
  pochta_message_part_write_to_stream_async (data->part, data->stream, cancellable,
                                             write_part_cb, g_steal_pointer (&task));
}

static void
write_part_async (PochtaAttachmentList *self,
                  PochtaMessagePart    *part,
                  GFile                *file,
                  GFileCreateFlags      flags,
                  gpointer              source_tag,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (WriteData, 1);
  data->part = g_object_ref (part);
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  g_file_replace_async (file, NULL, FALSE, flags | G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, cancellable, write_replace_cb, g_steal_pointer (&task));
}

/**
 * pochta_attachment_list_save_async:
 *
 * Writes the decoded content of @part to @file, replacing it.
 */
void
pochta_attachment_list_save_async (PochtaAttachmentList *self,
                                   PochtaMessagePart    *part,
                                   GFile                *file,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (POCHTA_IS_ATTACHMENT_LIST (self));
  g_return_if_fail (POCHTA_IS_MESSAGE_PART (part));
  g_return_if_fail (G_IS_FILE (file));

  write_part_async (self, part, file, G_FILE_CREATE_NONE, pochta_attachment_list_save_async,
                    cancellable, callback, user_data);
}

gboolean
pochta_attachment_list_save_finish (PochtaAttachmentList *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
open_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (file), g_object_unref);
}

/* --- Copies made for Open ------------------------------------------------- */

/* A copy stays while the program showing it may still read it: those of
 * earlier days go when Pochta next starts. */
#define OPENED_MAX_AGE_SECONDS (24 * 60 * 60)

static char *
opened_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "pochta", "attachments", NULL);
}

/* Each opening has a directory of its own holding one file. */
static void
remove_opening (GFile        *dir,
                GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    g_file_delete (child, cancellable, NULL);
  g_file_delete (dir, cancellable, NULL);
}

static void
prune_opened_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autofree char *path = opened_dir ();
  g_autoptr(GFile) parent = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint removed = 0;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (parent,
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, cancellable, &error) && info != NULL)
    {
      guint64 modified = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY ||
          (gint64) modified > now - OPENED_MAX_AGE_SECONDS)
        continue;
      remove_opening (child, cancellable);
      removed++;
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, removed);
}

/**
 * pochta_attachment_list_prune_opened_async:
 *
 * Removes the copies that Open made a day or more ago, in a worker thread.
 */
void
pochta_attachment_list_prune_opened_async (GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pochta_attachment_list_prune_opened_async);
  g_task_run_in_thread (task, prune_opened_thread);
}

/* Returns: how many were removed, or -1 with @error set */
gssize
pochta_attachment_list_prune_opened_finish (GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * pochta_attachment_list_open_async:
 *
 * Writes @part to a new private directory under the cache directory, so
 * another program can open it; the file is what the task returns.
 */
void
pochta_attachment_list_open_async (PochtaAttachmentList *self,
                                   PochtaMessagePart    *part,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (POCHTA_IS_ATTACHMENT_LIST (self));
  g_return_if_fail (POCHTA_IS_MESSAGE_PART (part));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pochta_attachment_list_open_async);

  /* A directory per opening keeps the attachment's own name (which the
   * handler shows and uses to pick a type) without clashing. */
  parent = opened_dir ();
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder “%s”: %s"), parent, g_strerror (saved_errno));
      return;
    }

  dir = g_build_filename (parent, "XXXXXX", NULL);
  if (g_mkdtemp_full (dir, 0700) == NULL)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create a folder in “%s”: %s"), parent, g_strerror (saved_errno));
      return;
    }

  name = pochta_attachment_save_name (part);
  path = g_build_filename (dir, name, NULL);
  file = g_file_new_for_path (path);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  write_part_async (self, part, file, G_FILE_CREATE_PRIVATE, pochta_attachment_list_open_async,
                    cancellable, open_written_cb, g_steal_pointer (&task));
}

GFile *
pochta_attachment_list_open_finish (PochtaAttachmentList *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pochta_attachment_list_show_error (PochtaAttachmentList *self,
                                   const char           *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_warning ("%s", message);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
show_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PochtaAttachmentList) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open the attachment: %s"), error->message);

      pochta_attachment_list_show_error (self, message);
    }
}

static void
open_clicked_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PochtaAttachmentList *self = POCHTA_ATTACHMENT_LIST (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root;

  file = pochta_attachment_list_open_finish (self, result, &error);
  if (file == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Cannot open the attachment: %s"), error->message);
      pochta_attachment_list_show_error (self, message);
      return;
    }

  uri = g_file_get_uri (file);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME,
                     NULL, show_file_cb, g_object_ref (self));
}

static void
open_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  PochtaAttachmentList *self = user_data;
  PochtaMessagePart *part = g_object_get_data (G_OBJECT (button), "part");

  pochta_attachment_list_open_async (self, part, self->cancellable, open_clicked_done_cb, NULL);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PochtaAttachmentList *self = POCHTA_ATTACHMENT_LIST (object);
  g_autoptr(GError) error = NULL;

  if (!pochta_attachment_list_save_finish (self, result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the attachment: %s"), error->message);

      pochta_attachment_list_show_error (self, message);
    }
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(PochtaAttachmentList) self = user_data;
  PochtaMessagePart *part = g_object_get_data (G_OBJECT (dialog), "part");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL && self->cancellable != NULL)
    pochta_attachment_list_save_async (self, part, file, self->cancellable, save_done_cb, NULL);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  PochtaAttachmentList *self = user_data;
  PochtaMessagePart *part = g_object_get_data (G_OBJECT (button), "part");
  g_autofree char *name = pochta_attachment_save_name (part);
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = gtk_file_chooser_native_new (_("Save Attachment"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "part", g_object_ref (part), g_object_unref);

  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
create_row (PochtaAttachmentList *self,
            PochtaMessagePart    *part)
{
  const char *mime_type = pochta_message_part_get_mime_type (part);
  g_autofree char *content_type = g_content_type_from_mime_type (mime_type);
  g_autofree char *description = NULL;
  g_autofree char *size = g_format_size (pochta_message_part_get_size (part));
  g_autofree char *subtitle = NULL;
  g_autofree char *name = pochta_attachment_save_name (part);
  g_autoptr(GIcon) icon = NULL;
  GtkWidget *row;
  GtkWidget *image;
  GtkWidget *open_button;
  GtkWidget *save_button;

  description = g_content_type_get_description (content_type != NULL ? content_type : mime_type);
  /* Translators: an attachment's type and size, e.g. "PDF document · 1.2 MB". */
  subtitle = g_strdup_printf (_("%s · %s"), description, size);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (row, name);

  icon = g_content_type_get_symbolic_icon (content_type != NULL ? content_type : mime_type);
  image = gtk_image_new_from_gicon (icon);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  open_button = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_set_tooltip_text (open_button, _("Open"));
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open_button, "flat");
  g_object_set_data_full (G_OBJECT (open_button), "part", g_object_ref (part), g_object_unref);
  g_signal_connect_object (open_button, "clicked", G_CALLBACK (open_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open_button);

  save_button = gtk_button_new_from_icon_name ("document-save-symbolic");
  gtk_widget_set_tooltip_text (save_button, _("Save…"));
  gtk_widget_set_valign (save_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (save_button, "flat");
  g_object_set_data_full (G_OBJECT (save_button), "part", g_object_ref (part), g_object_unref);
  g_signal_connect_object (save_button, "clicked", G_CALLBACK (save_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), save_button);

  g_object_set_data_full (G_OBJECT (row), "part", g_object_ref (part), g_object_unref);

  return row;
}

/* @parts: (nullable): PochtaMessagePart to list; NULL or empty hides the list. */
void
pochta_attachment_list_set_parts (PochtaAttachmentList *self,
                                  GPtrArray            *parts)
{
  GtkWidget *child;

  g_return_if_fail (POCHTA_IS_ATTACHMENT_LIST (self));

  /* Writes for the previous message stop; their files are not wanted. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  g_clear_pointer (&self->parts, g_ptr_array_unref);
  if (parts != NULL)
    self->parts = g_ptr_array_ref (parts);

  for (guint i = 0; parts != NULL && i < parts->len; i++)
    gtk_list_box_append (self->list_box, create_row (self, parts->pdata[i]));

  gtk_widget_set_visible (GTK_WIDGET (self), parts != NULL && parts->len > 0);
}

guint
pochta_attachment_list_get_n_parts (PochtaAttachmentList *self)
{
  g_return_val_if_fail (POCHTA_IS_ATTACHMENT_LIST (self), 0);

  return self->parts != NULL ? self->parts->len : 0;
}

static void
pochta_attachment_list_dispose (GObject *object)
{
  PochtaAttachmentList *self = (PochtaAttachmentList *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->parts, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_ATTACHMENT_LIST);
  /* A plain GtkWidget parent does not drop its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pochta_attachment_list_parent_class)->dispose (object);
}

static void
pochta_attachment_list_class_init (PochtaAttachmentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_attachment_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-attachment-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaAttachmentList, list_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pochta_attachment_list_init (PochtaAttachmentList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
pochta_attachment_list_new (void)
{
  return g_object_new (POCHTA_TYPE_ATTACHMENT_LIST, NULL);
}
