/* pochta-message-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One message in the message list: sender (or recipients, in Sent and
 * Drafts), subject, date, a line of preview; unread in bold with a dot,
 * a star when flagged, a paper clip when it has attachments. The row
 * follows its summary, which the store updates in place.
 *
 * Built in code, and without tooltips: a list view makes some 200 rows
 * for its first frame, and every millisecond per row is a fifth of a
 * second before the first mail shows.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-format.h"
#include "pochta-message-row.h"

struct _PochtaMessageRow
{
  GtkWidget             parent_instance;

  PochtaMessageSummary *summary;
  GSignalGroup         *summary_signals;
  gboolean              show_recipients;

  GtkImage             *attachment_icon;
  GtkLabel             *date_label;
  GtkImage             *flag_icon;
  GtkLabel             *preview_label;
  GtkLabel             *sender_label;
  GtkLabel             *subject_label;
  GtkImage             *unread_dot;
};

G_DEFINE_FINAL_TYPE (PochtaMessageRow, pochta_message_row, GTK_TYPE_WIDGET)

static void
pochta_message_row_update_flags (PochtaMessageRow *self)
{
  gboolean unread = FALSE;
  gboolean flagged = FALSE;
  gboolean attachments = FALSE;

  if (self->summary != NULL)
    {
      unread = pochta_message_summary_get_unread (self->summary);
      flagged = pochta_message_summary_get_flagged (self->summary);
      attachments = pochta_message_summary_get_has_attachments (self->summary);
    }

  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self), "unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "unread");

  gtk_widget_set_visible (GTK_WIDGET (self->flag_icon), flagged);
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_icon), attachments);
}

static char *
sender_text (PochtaMessageRow *self)
{
  const char *name;

  if (self->show_recipients)
    {
      g_autofree char *names = pochta_format_address_names (pochta_message_summary_get_to (self->summary));

      if (*names == '\0')
        return g_strdup (_("No recipients"));

      /* Translators: who a sent message or draft went to, in the message list. */
      return g_strdup_printf (_("To: %s"), names);
    }

  name = pochta_message_summary_get_from_name (self->summary);
  if (name == NULL || *name == '\0')
    name = pochta_message_summary_get_from_address (self->summary);
  if (name == NULL || *name == '\0')
    name = _("Unknown sender");

  return g_strdup (name);
}

static void
pochta_message_row_update (PochtaMessageRow *self)
{
  g_autofree char *sender = NULL;
  g_autofree char *date = NULL;
  const char *subject;
  const char *preview;

  if (self->summary == NULL)
    {
      gtk_label_set_text (self->sender_label, "");
      gtk_label_set_text (self->subject_label, "");
      gtk_label_set_text (self->preview_label, "");
      gtk_label_set_text (self->date_label, "");
      pochta_message_row_update_flags (self);
      return;
    }

  sender = sender_text (self);
  date = pochta_format_list_date_unix (pochta_message_summary_get_date (self->summary) > 0
                                       ? pochta_message_summary_get_date (self->summary)
                                       : pochta_message_summary_get_internal_date (self->summary));
  subject = pochta_message_summary_get_subject (self->summary);
  if (subject == NULL || *subject == '\0')
    subject = _("(No subject)");
  preview = pochta_message_summary_get_preview (self->summary);

  gtk_label_set_text (self->sender_label, sender);
  gtk_label_set_text (self->subject_label, subject);
  gtk_label_set_text (self->preview_label, preview != NULL ? preview : "");
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), preview != NULL && *preview != '\0');
  gtk_label_set_text (self->date_label, date);
  pochta_message_row_update_flags (self);
}

static void
summary_notify_cb (PochtaMessageRow *self,
                   GParamSpec       *pspec,
                   GObject          *summary)
{
  /* Flags change often (read, star); the rest only on a rewrite of the row. */
  if (g_str_equal (pspec->name, "unread") || g_str_equal (pspec->name, "flagged")
      || g_str_equal (pspec->name, "flags"))
    pochta_message_row_update_flags (self);
  else
    pochta_message_row_update (self);
}

void
pochta_message_row_set_summary (PochtaMessageRow     *self,
                                PochtaMessageSummary *summary)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_ROW (self));
  g_return_if_fail (summary == NULL || POCHTA_IS_MESSAGE_SUMMARY (summary));

  if (!g_set_object (&self->summary, summary))
    return;

  g_signal_group_set_target (self->summary_signals, summary);
  pochta_message_row_update (self);
}

PochtaMessageSummary *
pochta_message_row_get_summary (PochtaMessageRow *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_ROW (self), NULL);

  return self->summary;
}

/* In Sent and Drafts the list names who the message went to. */
void
pochta_message_row_set_show_recipients (PochtaMessageRow *self,
                                        gboolean          show_recipients)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_ROW (self));

  if (self->show_recipients == !!show_recipients)
    return;

  self->show_recipients = !!show_recipients;
  pochta_message_row_update (self);
}

/**
 * pochta_message_row_get_field:
 * @field: "sender", "subject", "date" or "preview"
 *
 * Returns: the text the row shows for @field
 */
const char *
pochta_message_row_get_field (PochtaMessageRow *self,
                              const char       *field)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_ROW (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, "sender"))
    return gtk_label_get_text (self->sender_label);
  if (g_str_equal (field, "subject"))
    return gtk_label_get_text (self->subject_label);
  if (g_str_equal (field, "date"))
    return gtk_label_get_text (self->date_label);
  if (g_str_equal (field, "preview"))
    return gtk_label_get_text (self->preview_label);

  g_return_val_if_reached (NULL);
}

static void
pochta_message_row_dispose (GObject *object)
{
  PochtaMessageRow *self = (PochtaMessageRow *)object;
  GtkWidget *child;

  if (self->summary_signals != NULL)
    g_signal_group_set_target (self->summary_signals, NULL);
  g_clear_object (&self->summary_signals);
  g_clear_object (&self->summary);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pochta_message_row_parent_class)->dispose (object);
}

static void
pochta_message_row_class_init (PochtaMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_message_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
}

static GtkLabel *
new_label (const char *css_class,
           gboolean    expand)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0.0);
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (label), expand);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);

  return label;
}

/* No tooltips: setting one costs GTK 4.8 half a millisecond, and a list
 * makes hundreds of rows; the meaning goes to assistive technology. */
static GtkImage *
new_icon (const char *icon_name,
          const char *description,
          const char *css_class)
{
  GtkImage *image = GTK_IMAGE (gtk_image_new_from_icon_name (icon_name));

  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_add_css_class (GTK_WIDGET (image), css_class);

  return image;
}

static void
pochta_message_row_init (PochtaMessageRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  self->unread_dot = new_icon ("media-record-symbolic", _("Unread"), "unread-dot");
  gtk_image_set_pixel_size (self->unread_dot, 8);
  self->sender_label = new_label ("sender", TRUE);
  self->attachment_icon = new_icon ("mail-attachment-symbolic", _("Has attachments"), "dim-label");
  self->flag_icon = new_icon ("starred-symbolic", _("Starred"), "starred");
  self->date_label = new_label ("dim-label", FALSE);
  gtk_label_set_xalign (self->date_label, 1.0);
  gtk_label_set_ellipsize (self->date_label, PANGO_ELLIPSIZE_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->date_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->date_label), "numeric");
  self->subject_label = new_label ("subject", FALSE);
  self->preview_label = new_label ("dim-label", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "caption");

  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->unread_dot));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->sender_label));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->attachment_icon));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->flag_icon));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->date_label));
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->subject_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->preview_label));
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  self->summary_signals = g_signal_group_new (POCHTA_TYPE_MESSAGE_SUMMARY);
  g_signal_group_connect_object (self->summary_signals, "notify",
                                 G_CALLBACK (summary_notify_cb), self, G_CONNECT_SWAPPED);

  pochta_message_row_update (self);
}

GtkWidget *
pochta_message_row_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_ROW, NULL);
}
