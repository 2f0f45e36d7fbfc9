/* pochta-message-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader: a parsed message's header, attachments and body (HTML in the
 * sandboxed web view when there is HTML and the build has WebKit, plain
 * text otherwise), or the state that stands in for it: nothing selected,
 * loading, not downloaded while offline, or an error. The web view comes
 * from a module loaded with the first HTML message (pochta-web-view-module.h).
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "pochta-attachment-list.h"
#include "pochta-message-header.h"
#include "pochta-message-text-view.h"
#include "pochta-message-view.h"
#include "pochta-web-view-module.h"

#define REMOTE_SENDERS_KEY "remote-content-senders"

struct _PochtaMessageView
{
  GtkWidget                parent_instance;

  GSettings               *settings;
  PochtaMessage           *message;
  char                    *sender;

  GtkButton               *always_remote_button;
  PochtaAttachmentList    *attachment_list;
  GtkStack                *body_stack;
  AdwStatusPage           *empty_page;
  AdwStatusPage           *error_page;
  PochtaMessageHeader     *header;
  GtkBox                  *html_box;
  GtkRevealer             *remote_bar;
  GtkButton               *show_remote_button;
  GtkSpinner              *spinner;
  GtkStack                *stack;
  PochtaMessageTextView   *text_view;

  /* Both set by the first HTML message when the module loads. */
  const PochtaWebViewModule *web_module;
  GtkWidget               *web_view;
  gboolean                 showing_html;
};

G_DEFINE_FINAL_TYPE (PochtaMessageView, pochta_message_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * pochta_error_is_offline:
 *
 * Whether @error means "no network" rather than "something is wrong": the
 * reader then says the message will load later instead of showing an error.
 */
gboolean
pochta_error_is_offline (const GError *error)
{
  if (error == NULL)
    return FALSE;

  return g_error_matches (error, POCHTA_SERVICE_ERROR, POCHTA_SERVICE_ERROR_OFFLINE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED)
         || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
}

static void
pochta_message_view_set_state (PochtaMessageView *self,
                               const char        *state)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), state) == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
pochta_message_view_clear_message (PochtaMessageView *self)
{
  gboolean had_message = self->message != NULL;

  g_clear_object (&self->message);
  g_clear_pointer (&self->sender, g_free);
  self->showing_html = FALSE;

  pochta_message_header_set_message (self->header, NULL);
  pochta_attachment_list_set_parts (self->attachment_list, NULL);
  pochta_message_text_view_set_text (self->text_view, "");
  gtk_revealer_set_reveal_child (self->remote_bar, FALSE);
  if (self->web_view != NULL)
    self->web_module->clear (self->web_view);

  if (had_message)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
pochta_message_view_show_empty (PochtaMessageView *self)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));

  pochta_message_view_clear_message (self);
  adw_status_page_set_title (self->empty_page, _("No message selected"));
  adw_status_page_set_description (self->empty_page, _("Choose a message to read it here"));
  pochta_message_view_set_state (self, "empty");
}

/* Several messages are selected: the actions apply to all of them. */
void
pochta_message_view_show_n_selected (PochtaMessageView *self,
                                     guint              n_selected)
{
  g_autofree char *title = NULL;

  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));

  if (n_selected < 2)
    {
      pochta_message_view_show_empty (self);
      return;
    }

  pochta_message_view_clear_message (self);
  title = g_strdup_printf (ngettext ("%u message selected", "%u messages selected", n_selected), n_selected);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, _("What you do now applies to all of them"));
  pochta_message_view_set_state (self, "empty");
}

/* While pochta_service_get_body_async() runs. */
void
pochta_message_view_show_loading (PochtaMessageView *self)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));

  pochta_message_view_clear_message (self);
  pochta_message_view_set_state (self, "loading");
}

/* The body is not cached and there is no connection to fetch it. */
void
pochta_message_view_show_offline (PochtaMessageView *self)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));

  pochta_message_view_clear_message (self);
  pochta_message_view_set_state (self, "offline");
}

void
pochta_message_view_show_error (PochtaMessageView *self,
                                const GError      *error)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));
  g_return_if_fail (error != NULL);

  if (pochta_error_is_offline (error))
    {
      pochta_message_view_show_offline (self);
      return;
    }

  pochta_message_view_clear_message (self);
  adw_status_page_set_description (self->error_page, error->message);
  pochta_message_view_set_state (self, "error");
}

static char *
first_sender_address (PochtaMessage *message)
{
  GPtrArray *from = pochta_message_get_from (message);
  const PochtaAddress *address;

  if (from == NULL || from->len == 0)
    from = pochta_message_get_sender (message);
  if (from == NULL || from->len == 0)
    return NULL;

  address = from->pdata[0];
  if (address->address == NULL || *address->address == '\0')
    return NULL;

  return g_utf8_casefold (address->address, -1);
}

static gboolean
sender_allows_remote (PochtaMessageView *self)
{
  g_auto(GStrv) senders = NULL;

  if (self->sender == NULL)
    return FALSE;

  senders = g_settings_get_strv (self->settings, REMOTE_SENDERS_KEY);
  return g_strv_contains ((const char * const *) senders, self->sender);
}

/* Parts the HTML shows inline through cid: are not listed again as files. */
static GPtrArray *
listed_attachments (PochtaMessage *message,
                    gboolean       showing_html)
{
  GPtrArray *all = pochta_message_get_attachments (message);
  const char *html = pochta_message_get_text_html (message);
  GPtrArray *listed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      PochtaMessagePart *part = all->pdata[i];
      const char *cid = pochta_message_part_get_content_id (part);

      if (showing_html && html != NULL && cid != NULL && *cid != '\0'
          && pochta_message_part_is_inline (part) && strstr (html, cid) != NULL)
        continue;

      g_ptr_array_add (listed, g_object_ref (part));
    }

  return listed;
}

/* Whether there is a web view for HTML now; FALSE without WebKit. */
static gboolean
pochta_message_view_ensure_web_view (PochtaMessageView *self)
{
#if HAVE_WEBKIT
  if (self->web_view != NULL)
    return TRUE;

  /* Created on the first HTML message, so a session of plain text mail
   * never loads WebKit nor starts a web process. */
  self->web_module = pochta_web_view_module_load ();
  if (self->web_module == NULL)
    return FALSE;

  self->web_view = self->web_module->new_view ();
  gtk_widget_set_vexpand (self->web_view, TRUE);
  gtk_box_append (self->html_box, self->web_view);
  return TRUE;
#else
  return FALSE;
#endif
}

void
pochta_message_view_set_message (PochtaMessageView *self,
                                 PochtaMessage     *message)
{
  g_autoptr(GPtrArray) attachments = NULL;
  const char *html;
  const char *text;

  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));
  g_return_if_fail (message == NULL || POCHTA_IS_MESSAGE (message));

  if (message == NULL)
    {
      pochta_message_view_show_empty (self);
      return;
    }

  pochta_message_view_clear_message (self);
  self->message = g_object_ref (message);
  self->sender = first_sender_address (message);

  html = pochta_message_get_text_html (message);
  text = pochta_message_get_text_plain (message);

  pochta_message_header_set_message (self->header, message);

  if (html != NULL && pochta_message_view_ensure_web_view (self))
    {
      gboolean allow = sender_allows_remote (self);

      self->web_module->set_message (self->web_view, message, allow);
      gtk_revealer_set_reveal_child (self->remote_bar, !allow && pochta_html_has_remote_content (html));
      gtk_widget_set_visible (GTK_WIDGET (self->always_remote_button), self->sender != NULL);
      gtk_stack_set_visible_child_name (self->body_stack, "html");
      self->showing_html = TRUE;
    }

  if (!self->showing_html)
    {
      g_autofree char *converted = NULL;

      /* Without WebKit (-Dhtml=disabled, or its module failed to load), an
       * HTML-only message is text. */
      if (text == NULL && html != NULL)
        text = converted = pochta_message_html_to_text (html, -1);

      pochta_message_text_view_set_text (self->text_view, text);
      gtk_stack_set_visible_child_name (self->body_stack, "text");
    }

  attachments = listed_attachments (message, self->showing_html);
  pochta_attachment_list_set_parts (self->attachment_list, attachments);

  pochta_message_view_set_state (self, "message");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

PochtaMessage *
pochta_message_view_get_message (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return self->message;
}

/* "empty", "loading", "offline", "error" or "message". */
const char *
pochta_message_view_get_state (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
pochta_message_view_get_showing_html (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), FALSE);

  return self->showing_html;
}

/* Whether the "Remote content blocked" bar is up. */
gboolean
pochta_message_view_get_remote_blocked (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->remote_bar);
}

void
pochta_message_view_show_remote_content (PochtaMessageView *self,
                                         gboolean           always_for_sender)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_VIEW (self));

  if (always_for_sender && self->sender != NULL && !sender_allows_remote (self))
    {
      g_auto(GStrv) senders = g_settings_get_strv (self->settings, REMOTE_SENDERS_KEY);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      g_strv_builder_addv (builder, (const char **) senders);
      g_strv_builder_add (builder, self->sender);
      updated = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, REMOTE_SENDERS_KEY, (const char * const *) updated);
    }

  gtk_revealer_set_reveal_child (self->remote_bar, FALSE);
  if (self->web_view != NULL && self->showing_html)
    self->web_module->set_allow_remote (self->web_view, TRUE);
}

static void
show_remote_clicked_cb (PochtaMessageView *self)
{
  pochta_message_view_show_remote_content (self, FALSE);
}

static void
always_remote_clicked_cb (PochtaMessageView *self)
{
  pochta_message_view_show_remote_content (self, TRUE);
}

GtkWidget *
pochta_message_view_get_header (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return GTK_WIDGET (self->header);
}

GtkWidget *
pochta_message_view_get_text_view (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return GTK_WIDGET (self->text_view);
}

/* The PochtaMessageWebView once an HTML message was shown; NULL before,
 * and always without WebKit or its module. Only its GObject properties are
 * within reach outside the module. */
GtkWidget *
pochta_message_view_get_web_view (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return self->web_view;
}

GtkWidget *
pochta_message_view_get_attachment_list (PochtaMessageView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_VIEW (self), NULL);

  return GTK_WIDGET (self->attachment_list);
}

static void
pochta_message_view_dispose (GObject *object)
{
  PochtaMessageView *self = (PochtaMessageView *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_MESSAGE_VIEW);
  /* A plain GtkWidget parent does not drop its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->web_view = NULL;

  g_clear_object (&self->message);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pochta_message_view_parent_class)->dispose (object);
}

static void
pochta_message_view_finalize (GObject *object)
{
  PochtaMessageView *self = (PochtaMessageView *)object;

  g_clear_pointer (&self->sender, g_free);

  G_OBJECT_CLASS (pochta_message_view_parent_class)->finalize (object);
}

static void
pochta_message_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PochtaMessageView *self = POCHTA_MESSAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    case PROP_STATE:
      g_value_set_string (value, pochta_message_view_get_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_view_class_init (PochtaMessageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_message_view_dispose;
  object_class->finalize = pochta_message_view_finalize;
  object_class->get_property = pochta_message_view_get_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, POCHTA_TYPE_MESSAGE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "empty",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (POCHTA_TYPE_ATTACHMENT_LIST);
  g_type_ensure (POCHTA_TYPE_MESSAGE_HEADER);
  g_type_ensure (POCHTA_TYPE_MESSAGE_TEXT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-message-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, always_remote_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, attachment_list);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, error_page);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, header);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, html_box);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, remote_bar);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, show_remote_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, stack);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageView, text_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messageview");
}

static void
pochta_message_view_init (PochtaMessageView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Connected here rather than in the .ui, which test-ui-files builds
   * without this class's callbacks. */
  g_signal_connect_object (self->show_remote_button, "clicked",
                           G_CALLBACK (show_remote_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->always_remote_button, "clicked",
                           G_CALLBACK (always_remote_clicked_cb), self, G_CONNECT_SWAPPED);

  /* The .Devel profile keeps the schema id, so both profiles share settings. */
  self->settings = g_settings_new (BASE_ID);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
pochta_message_view_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_VIEW, NULL);
}
