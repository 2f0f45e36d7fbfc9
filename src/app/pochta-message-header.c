/* pochta-message-header.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader's header block: subject, From, To, Cc and Date. Addresses are
 * written out in full in selectable labels, so what is copied is exactly
 * what the message says.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-format.h"
#include "pochta-message-header.h"

struct _PochtaMessageHeader
{
  GtkWidget  parent_instance;

  GtkLabel  *cc_label;
  GtkLabel  *cc_title;
  GtkLabel  *date_label;
  GtkLabel  *date_title;
  GtkLabel  *from_label;
  GtkLabel  *from_title;
  GtkLabel  *subject_label;
  GtkLabel  *to_label;
  GtkLabel  *to_title;
};

G_DEFINE_FINAL_TYPE (PochtaMessageHeader, pochta_message_header, GTK_TYPE_WIDGET)

static void
set_field (GtkLabel   *title,
           GtkLabel   *label,
           const char *text)
{
  gboolean visible = text != NULL && *text != '\0';

  gtk_label_set_text (label, visible ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), visible);
  gtk_widget_set_visible (GTK_WIDGET (title), visible);
}

void
pochta_message_header_set_message (PochtaMessageHeader *self,
                                   PochtaMessage       *message)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *date = NULL;
  const char *subject = NULL;

  g_return_if_fail (POCHTA_IS_MESSAGE_HEADER (self));
  g_return_if_fail (message == NULL || POCHTA_IS_MESSAGE (message));

  if (message != NULL)
    {
      GPtrArray *from_list = pochta_message_get_from (message);

      /* A message with no From but a Sender still came from someone. */
      if (from_list == NULL || from_list->len == 0)
        from_list = pochta_message_get_sender (message);

      from = pochta_format_address_list (from_list);
      to = pochta_format_address_list (pochta_message_get_to (message));
      cc = pochta_format_address_list (pochta_message_get_cc (message));
      if (pochta_message_get_date (message) != NULL)
        date = pochta_format_full_date (pochta_message_get_date (message));
      subject = pochta_message_get_subject (message);
    }

  if (subject == NULL || *subject == '\0')
    subject = _("(No subject)");

  gtk_label_set_text (self->subject_label, subject);
  set_field (self->from_title, self->from_label, from);
  set_field (self->to_title, self->to_label, to);
  set_field (self->cc_title, self->cc_label, cc);
  set_field (self->date_title, self->date_label, date);
}

/**
 * pochta_message_header_get_field:
 * @field: "subject", "from", "to", "cc" or "date"
 *
 * Returns: the text shown for @field, "" when it is hidden
 */
const char *
pochta_message_header_get_field (PochtaMessageHeader *self,
                                 const char          *field)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_HEADER (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, "subject"))
    return gtk_label_get_text (self->subject_label);
  if (g_str_equal (field, "from"))
    return gtk_label_get_text (self->from_label);
  if (g_str_equal (field, "to"))
    return gtk_label_get_text (self->to_label);
  if (g_str_equal (field, "cc"))
    return gtk_label_get_text (self->cc_label);
  if (g_str_equal (field, "date"))
    return gtk_label_get_text (self->date_label);

  g_return_val_if_reached (NULL);
}

static void
pochta_message_header_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), POCHTA_TYPE_MESSAGE_HEADER);
  /* A plain GtkWidget parent does not drop its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pochta_message_header_parent_class)->dispose (object);
}

static void
pochta_message_header_class_init (PochtaMessageHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_message_header_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-message-header.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, cc_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, cc_title);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, date_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, date_title);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, from_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, from_title);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, subject_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, to_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageHeader, to_title);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messageheader");
}

static void
pochta_message_header_init (PochtaMessageHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  pochta_message_header_set_message (self, NULL);
}

GtkWidget *
pochta_message_header_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_HEADER, NULL);
}
