/* pochta-account-prompts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialogs an account's trouble leads to. "Enter password" stores the
 * password through the service, which then logs in again at once. The
 * certificate dialog shows what the server presented (subject, issuer,
 * validity, SHA-256 fingerprint) and why it is not trusted; trusting it
 * pins that exact fingerprint to the account.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-prompts.h"

static PochtaServerConfig *
problem_server (PochtaAccount *account)
{
  PochtaServerConfig *server = pochta_account_get_failed_server (account);

  return server != NULL ? server : pochta_account_get_incoming (account);
}

static void
set_password_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PochtaAccount) account = user_data;
  g_autoptr(GError) error = NULL;

  /* A refused password comes back as the account's state, shown again. */
  if (!pochta_service_set_password_finish (POCHTA_SERVICE (object), result, &error))
    g_warning ("Cannot store the password of %s: %s",
               pochta_account_get_display_name (account), error->message);
}

static void
password_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  PochtaService *service = g_object_get_data (G_OBJECT (dialog), "service");
  PochtaAccount *account = g_object_get_data (G_OBJECT (dialog), "account");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *password = g_strdup (gtk_editable_get_text (entry));

  /* The entry leaves before the dialog goes: GTK 4.8 can call a password
   * entry that is finalized along with its window while still realized. */
  g_object_set_data (G_OBJECT (dialog), "entry", NULL);
  adw_message_dialog_set_extra_child (dialog, NULL);

  if (g_strcmp0 (response, "log-in") != 0 || *password == '\0')
    return;

  pochta_service_set_password_async (service, account, password, NULL,
                                     set_password_cb, g_object_ref (account));
}

static void
password_changed_cb (GtkEditable      *entry,
                     AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "log-in", *gtk_editable_get_text (entry) != '\0');
}

/**
 * pochta_password_prompt_new:
 *
 * "Enter password" for the server @account could not log in to; the
 * caller presents it.
 */
AdwMessageDialog *
pochta_password_prompt_new (GtkWindow     *parent,
                            PochtaService *service,
                            PochtaAccount *account)
{
  PochtaServerConfig *server;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *question = NULL;
  const char *message;

  g_return_val_if_fail (POCHTA_IS_SERVICE (service), NULL);
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (account), NULL);

  server = problem_server (account);
  message = pochta_account_get_state_message (account);

  /* Translators: the heading of the password dialog; %s is the account's name. */
  heading = g_strdup_printf (_("Password for “%s”"), pochta_account_get_display_name (account));
  /* Translators: %s are the user name and the server's host name. */
  question = g_strdup_printf (_("Enter the password of %s on %s."),
                              pochta_server_config_get_user_name (server),
                              pochta_server_config_get_host (server));
  if (pochta_account_get_state (account) == POCHTA_ACCOUNT_STATE_AUTH_FAILED && message != NULL)
    body = g_strdup_printf ("%s\n\n%s", message, question);
  else
    body = g_steal_pointer (&question);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "log-in", _("_Log In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "log-in", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "log-in", FALSE);
  adw_message_dialog_set_default_response (dialog, "log-in");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (password_changed_cb), dialog, 0);

  g_object_set_data_full (G_OBJECT (dialog), "service", g_object_ref (service), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (account), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (password_response_cb), NULL);

  return dialog;
}

/* Selectable "Label: value" lines of a certificate, to read and to copy. */
GtkWidget *
pochta_certificate_details_new (PochtaCertificateInfo *info)
{
  g_autofree char *description = NULL;
  GtkWidget *label;

  g_return_val_if_fail (info != NULL, NULL);

  description = pochta_certificate_info_dup_description (info);
  label = gtk_label_new (description);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "certificate-details");

  return label;
}

static void
certificate_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  PochtaService *service = g_object_get_data (G_OBJECT (dialog), "service");
  PochtaAccount *account = g_object_get_data (G_OBJECT (dialog), "account");

  if (g_strcmp0 (response, "trust") == 0 && !pochta_service_trust_certificate (service, account))
    g_warning ("The certificate of %s changed before it could be trusted",
               pochta_account_get_display_name (account));
}

/**
 * pochta_certificate_prompt_new:
 *
 * What @account's server presented and why it is not trusted, with
 * "Trust This Certificate"; NULL when the account has no certificate
 * problem (any more).
 */
AdwMessageDialog *
pochta_certificate_prompt_new (GtkWindow     *parent,
                               PochtaService *service,
                               PochtaAccount *account)
{
  PochtaCertificateInfo *info;
  AdwMessageDialog *dialog;
  g_autofree char *problems = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (POCHTA_IS_SERVICE (service), NULL);
  g_return_val_if_fail (POCHTA_IS_ACCOUNT (account), NULL);

  info = pochta_account_get_certificate_info (account);
  if (info == NULL)
    return NULL;

  problems = pochta_certificate_info_dup_problems (info);
  /* Translators: %s are a host name and the reasons, e.g. "it has expired". */
  body = g_strdup_printf (_("The certificate of %s is not trusted: %s. Trust it only if you "
                            "know that this is the server’s certificate, for example by "
                            "comparing its fingerprint with one from your provider."),
                          pochta_server_config_get_host (problem_server (account)),
                          problems != NULL ? problems : _("it could not be verified"));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Untrusted Certificate"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust This Certificate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_extra_child (dialog, pochta_certificate_details_new (info));

  g_object_set_data_full (G_OBJECT (dialog), "service", g_object_ref (service), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (account), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (certificate_response_cb), NULL);

  return dialog;
}
