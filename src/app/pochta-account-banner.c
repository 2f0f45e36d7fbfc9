/* pochta-account-banner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar above the message list while an account needs the person: "needs
 * a password" and "password refused" lead to Enter Password, an untrusted
 * certificate to its details. Other errors say what happened and offer to
 * try again. Being offline is not a problem to report here: the sidebar
 * shows it quietly.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-banner.h"
#include "pochta-account-prompts.h"

struct _PochtaAccountBanner
{
  GtkWidget       parent_instance;

  PochtaService  *service;
  PochtaAccount  *account;

  GtkButton      *button;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkRevealer    *revealer;
};

G_DEFINE_FINAL_TYPE (PochtaAccountBanner, pochta_account_banner, GTK_TYPE_WIDGET)

static void
pochta_account_banner_update (PochtaAccountBanner *self)
{
  PochtaAccountState state = pochta_account_get_state (self->account);
  const char *name = pochta_account_get_display_name (self->account);
  const char *message = pochta_account_get_state_message (self->account);
  g_autofree char *text = NULL;
  const char *button = NULL;
  const char *icon = "dialog-warning-symbolic";

  switch (state)
    {
    case POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD:
      /* Translators: %s is an account's name. */
      text = g_strdup_printf (_("%s needs a password to get your mail."), name);
      button = _("_Enter Password");
      icon = "dialog-password-symbolic";
      break;

    case POCHTA_ACCOUNT_STATE_AUTH_FAILED:
      /* The server's own words stay in the tooltip; they are rarely helpful. */
      text = g_strdup_printf (_("The server did not accept the password of %s."), name);
      button = _("_Enter Password");
      icon = "dialog-password-symbolic";
      break;

    case POCHTA_ACCOUNT_STATE_TLS_ERROR:
      /* Translators: %s is an account's name. */
      text = g_strdup_printf (_("The server of %s presented a certificate that is not trusted."), name);
      button = _("_Review Certificate…");
      icon = "channel-insecure-symbolic";
      break;

    case POCHTA_ACCOUNT_STATE_ERROR:
      /* Translators: %s are an account's name and what went wrong. */
      text = message != NULL ? g_strdup_printf (_("%s: %s"), name, message)
                             : g_strdup_printf (_("%s cannot get your mail."), name);
      button = _("_Try Again");
      break;

    case POCHTA_ACCOUNT_STATE_OFFLINE:
    case POCHTA_ACCOUNT_STATE_CONNECTING:
    case POCHTA_ACCOUNT_STATE_ONLINE:
    case POCHTA_ACCOUNT_STATE_SYNCING:
    default:
      break;
    }

  if (text != NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), message);
      gtk_label_set_text (self->label, text);
      gtk_button_set_label (self->button, button);
      gtk_image_set_from_icon_name (self->icon, icon);
    }

  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);
}

static void
button_clicked_cb (PochtaAccountBanner *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  AdwMessageDialog *dialog = NULL;

  switch (pochta_account_get_state (self->account))
    {
    case POCHTA_ACCOUNT_STATE_NEEDS_PASSWORD:
    case POCHTA_ACCOUNT_STATE_AUTH_FAILED:
      dialog = pochta_password_prompt_new (parent, self->service, self->account);
      break;

    case POCHTA_ACCOUNT_STATE_TLS_ERROR:
      dialog = pochta_certificate_prompt_new (parent, self->service, self->account);
      break;

    case POCHTA_ACCOUNT_STATE_ERROR:
      pochta_account_retry (self->account);
      pochta_service_refresh (self->service, self->account);
      break;

    case POCHTA_ACCOUNT_STATE_OFFLINE:
    case POCHTA_ACCOUNT_STATE_CONNECTING:
    case POCHTA_ACCOUNT_STATE_ONLINE:
    case POCHTA_ACCOUNT_STATE_SYNCING:
    default:
      break;
    }

  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

PochtaAccount *
pochta_account_banner_get_account (PochtaAccountBanner *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_BANNER (self), NULL);

  return self->account;
}

gboolean
pochta_account_banner_get_revealed (PochtaAccountBanner *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
pochta_account_banner_get_text (PochtaAccountBanner *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_BANNER (self), NULL);

  return gtk_label_get_text (self->label);
}

GtkButton *
pochta_account_banner_get_button (PochtaAccountBanner *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_BANNER (self), NULL);

  return self->button;
}

static void
pochta_account_banner_dispose (GObject *object)
{
  PochtaAccountBanner *self = (PochtaAccountBanner *)object;
  GtkWidget *child;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_ACCOUNT_BANNER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->account);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pochta_account_banner_parent_class)->dispose (object);
}

static void
pochta_account_banner_class_init (PochtaAccountBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_account_banner_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-account-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountBanner, button);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountBanner, label);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountBanner, revealer);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "accountbanner");
}

static void
pochta_account_banner_init (PochtaAccountBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->button, "clicked", G_CALLBACK (button_clicked_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
pochta_account_banner_new (PochtaService *service,
                           PochtaAccount *account)
{
  PochtaAccountBanner *self;

  g_return_val_if_fail (POCHTA_IS_SERVICE (service), NULL);
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (account), NULL);

  self = g_object_new (POCHTA_TYPE_ACCOUNT_BANNER, NULL);
  self->service = g_object_ref (service);
  self->account = g_object_ref (account);
  g_signal_connect_object (account, "notify::state", G_CALLBACK (pochta_account_banner_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::state-message", G_CALLBACK (pochta_account_banner_update),
                           self, G_CONNECT_SWAPPED);
  pochta_account_banner_update (self);

  return GTK_WIDGET (self);
}
