/* pochta-account-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Account, by hand (the autoconfig assistant comes later): name and
 * address, the IMAP and SMTP servers with their security and ports, one
 * user name and password. The address fills in what is usually right;
 * "Test Connection" logs in without saving and says exactly what failed,
 * and a certificate the system does not trust can be judged and pinned
 * here. Add saves through the service, which starts syncing at once.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-account-dialog.h"
#include "pochta-account-prompts.h"

/* The rows of the security combos, in this order. */
static const PochtaTlsMode security_modes[] = {
  POCHTA_TLS_MODE_IMPLICIT,
  POCHTA_TLS_MODE_STARTTLS,
  POCHTA_TLS_MODE_NONE,
};

struct _PochtaAccountDialog
{
  AdwWindow              parent_instance;

  PochtaService         *service;
  GCancellable          *cancellable;
  PochtaCertificateInfo *certificate;
  char                  *pinned_fingerprint;
  char                  *pinned_host;
  gboolean               filling;       /* our own changes, not the person's */
  gboolean               busy;
  guint                  edited;        /* EDITED_* bits */

  GtkButton             *add_button;
  AdwEntryRow           *address_row;
  GtkButton             *cancel_button;
  GtkBox                *certificate_box;
  GtkWidget             *certificate_details;
  AdwComboRow           *imap_security_row;
  AdwEntryRow           *imap_host_row;
  GtkSpinButton         *imap_port_spin;
  AdwEntryRow           *name_row;
  AdwPasswordEntryRow   *password_row;
  AdwComboRow           *smtp_security_row;
  AdwEntryRow           *smtp_host_row;
  GtkSpinButton         *smtp_port_spin;
  GtkSpinner            *spinner;
  GtkLabel              *status_label;
  GtkButton             *test_button;
  GtkButton             *trust_button;
  AdwEntryRow           *user_row;
};

enum {
  EDITED_USER      = 1 << 0,
  EDITED_IMAP_HOST = 1 << 1,
  EDITED_SMTP_HOST = 1 << 2,
  EDITED_IMAP_PORT = 1 << 3,
  EDITED_SMTP_PORT = 1 << 4,
};

G_DEFINE_FINAL_TYPE (PochtaAccountDialog, pochta_account_dialog, ADW_TYPE_WINDOW)

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static char *
stripped (gpointer editable)
{
  return g_strstrip (g_strdup (text_of (editable)));
}

static PochtaTlsMode
security_of (AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return security_modes[MIN (selected, G_N_ELEMENTS (security_modes) - 1)];
}

static void
set_status (PochtaAccountDialog *self,
            const char          *text,
            const char          *css_class)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
}

static void
set_busy (PochtaAccountDialog *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
update_sensitivity (PochtaAccountDialog *self)
{
  g_autofree char *address = stripped (self->address_row);
  g_autofree char *host = stripped (self->imap_host_row);
  gboolean complete = pochta_address_is_valid (address) && *host != '\0' && *text_of (self->password_row) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), complete && !self->busy && self->service != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), complete && !self->busy && self->service != NULL);
}

static void
show_certificate (PochtaAccountDialog   *self,
                  PochtaCertificateInfo *info)
{
  g_clear_pointer (&self->certificate, pochta_certificate_info_unref);
  g_clear_pointer (&self->certificate_details, gtk_widget_unparent);

  if (info != NULL)
    {
      self->certificate = pochta_certificate_info_ref (info);
      self->certificate_details = pochta_certificate_details_new (info);
      gtk_box_prepend (self->certificate_box, self->certificate_details);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->certificate_box), info != NULL);
}

static void
forget_test (PochtaAccountDialog *self)
{
  set_status (self, NULL, NULL);
  show_certificate (self, NULL);
}

/* ----- filling in what usually is right ----- */

static void
address_changed_cb (PochtaAccountDialog *self)
{
  g_autofree char *address = stripped (self->address_row);
  const char *at = strrchr (address, '@');
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;

  if (self->filling)
    return;

  self->filling = TRUE;
  if ((self->edited & EDITED_USER) == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), address);
  if (at != NULL && at[1] != '\0')
    {
      imap = g_strconcat ("imap.", at + 1, NULL);
      smtp = g_strconcat ("smtp.", at + 1, NULL);
      if ((self->edited & EDITED_IMAP_HOST) == 0)
        gtk_editable_set_text (GTK_EDITABLE (self->imap_host_row), imap);
      if ((self->edited & EDITED_SMTP_HOST) == 0)
        gtk_editable_set_text (GTK_EDITABLE (self->smtp_host_row), smtp);
    }
  self->filling = FALSE;

  forget_test (self);
  update_sensitivity (self);
}

static void
field_changed_cb (GtkEditable         *editable,
                  PochtaAccountDialog *self)
{
  if (!self->filling)
    {
      if (editable == GTK_EDITABLE (self->user_row))
        self->edited |= EDITED_USER;
      else if (editable == GTK_EDITABLE (self->imap_host_row))
        self->edited |= EDITED_IMAP_HOST;
      else if (editable == GTK_EDITABLE (self->smtp_host_row))
        self->edited |= EDITED_SMTP_HOST;
      forget_test (self);
    }

  update_sensitivity (self);
}

static void
port_changed_cb (GtkSpinButton       *spin,
                 PochtaAccountDialog *self)
{
  if (self->filling)
    return;

  self->edited |= spin == self->imap_port_spin ? EDITED_IMAP_PORT : EDITED_SMTP_PORT;
  forget_test (self);
}

static void
security_changed_cb (AdwComboRow         *row,
                     GParamSpec          *pspec,
                     PochtaAccountDialog *self)
{
  gboolean imap = row == self->imap_security_row;
  PochtaTlsMode mode = security_of (row);
  PochtaServerProtocol protocol = imap ? POCHTA_SERVER_PROTOCOL_IMAP : POCHTA_SERVER_PROTOCOL_SMTP;
  GtkSpinButton *spin = imap ? self->imap_port_spin : self->smtp_port_spin;

  /* Choosing "none" is the explicit consent the design asks for before a
   * password travels in clear; the row says so. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               mode == POCHTA_TLS_MODE_NONE
                               ? _("The password will be sent unencrypted")
                               : NULL);

  if ((self->edited & (imap ? EDITED_IMAP_PORT : EDITED_SMTP_PORT)) == 0)
    {
      self->filling = TRUE;
      gtk_spin_button_set_value (spin, pochta_server_protocol_get_default_port (protocol, mode));
      self->filling = FALSE;
    }

  forget_test (self);
}

/* ----- the account ----- */

static gboolean
configure_server (PochtaAccountDialog *self,
                  PochtaServerConfig  *server,
                  const char          *host,
                  GtkSpinButton       *port,
                  AdwComboRow         *security,
                  const char          *user)
{
  PochtaTlsMode mode = security_of (security);

  pochta_server_config_set_host (server, host);
  pochta_server_config_set_port (server, (guint) gtk_spin_button_get_value_as_int (port));
  pochta_server_config_set_tls_mode (server, mode);
  pochta_server_config_set_user_name (server, user);
  pochta_server_config_set_allow_insecure (server, mode == POCHTA_TLS_MODE_NONE);

  /* A certificate trusted after a test belongs to that host only. */
  if (self->pinned_fingerprint != NULL && g_ascii_strcasecmp (host, self->pinned_host) == 0)
    pochta_server_config_set_pinned_fingerprint (server, self->pinned_fingerprint);

  return TRUE;
}

/**
 * pochta_account_dialog_build_account:
 *
 * The account the fields describe, validated, or an error that names the
 * field to fix.
 */
PochtaAccount *
pochta_account_dialog_build_account (PochtaAccountDialog  *self,
                                     GError              **error)
{
  g_autofree char *name = stripped (self->name_row);
  g_autofree char *address = stripped (self->address_row);
  g_autofree char *imap_host = stripped (self->imap_host_row);
  g_autofree char *smtp_host = stripped (self->smtp_host_row);
  g_autofree char *user = stripped (self->user_row);
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(PochtaIdentity) identity = NULL;

  g_return_val_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self), NULL);

  if (!pochta_address_is_valid (address))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an email address"), address);
      return NULL;
    }

  if (*user == '\0')
    {
      g_free (user);
      user = g_strdup (address);
    }
  if (*smtp_host == '\0')
    {
      g_free (smtp_host);
      smtp_host = g_strdup (imap_host);
    }

  account = pochta_account_new (address);
  identity = pochta_identity_new (*name != '\0' ? name : NULL, address);
  pochta_identity_set_is_default (identity, TRUE);
  pochta_account_add_identity (account, identity);

  configure_server (self, pochta_account_get_incoming (account), imap_host,
                    self->imap_port_spin, self->imap_security_row, user);
  configure_server (self, pochta_account_get_outgoing (account), smtp_host,
                    self->smtp_port_spin, self->smtp_security_row, user);

  if (!pochta_account_validate (account, error))
    return NULL;

  return g_steal_pointer (&account);
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PochtaAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PochtaCertificateInfo *info;

  if (!pochta_service_test_account_finish (POCHTA_SERVICE (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  update_sensitivity (self);

  if (error == NULL)
    {
      g_autofree char *host = stripped (self->imap_host_row);

      /* Translators: %s is the IMAP server's host name. */
      text = g_strdup_printf (_("Connected to %s and logged in."), host);
      set_status (self, text, "success");
      return;
    }

  info = pochta_net_error_get_certificate_info (error);
  if (info != NULL)
    {
      /* The details are in the card below; the status keeps the verdict. */
      const char *end = strstr (error->message, "\n");

      text = end != NULL ? g_strndup (error->message, end - error->message) : g_strdup (error->message);
      set_status (self, text, "error");
    }
  else
    set_status (self, error->message, "error");
  show_certificate (self, info);
}

/* Logs in to the IMAP server with these settings, saving nothing. */
void
pochta_account_dialog_test (PochtaAccountDialog *self)
{
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;

  g_return_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self));

  forget_test (self);
  account = pochta_account_dialog_build_account (self, &error);
  if (account == NULL)
    {
      set_status (self, error->message, "error");
      return;
    }

  password = text_of (self->password_row);
  set_busy (self, TRUE);
  update_sensitivity (self);
  set_status (self, _("Connecting…"), NULL);
  pochta_service_test_account_async (self->service, account, password, password, self->cancellable,
                                     test_done_cb, g_object_ref (self));
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PochtaAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pochta_service_add_account_finish (POCHTA_SERVICE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      update_sensitivity (self);
      set_status (self, error->message, "error");
      return;
    }

  /* The account is in the sidebar now, syncing; nothing more to say here. */
  set_busy (self, FALSE);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
pochta_account_dialog_add (PochtaAccountDialog *self)
{
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;

  g_return_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self));

  account = pochta_account_dialog_build_account (self, &error);
  if (account == NULL)
    {
      set_status (self, error->message, "error");
      return;
    }

  password = text_of (self->password_row);
  set_busy (self, TRUE);
  update_sensitivity (self);
  set_status (self, _("Adding the account…"), NULL);
  pochta_service_add_account_async (self->service, account,
                                    *password != '\0' ? password : NULL,
                                    *password != '\0' ? password : NULL,
                                    self->cancellable, add_done_cb, g_object_ref (self));
}

static void
trust_clicked_cb (PochtaAccountDialog *self)
{
  g_autofree char *host = stripped (self->imap_host_row);

  if (self->certificate == NULL)
    return;

  /* That exact certificate, for that host: anything else still fails. */
  g_free (self->pinned_fingerprint);
  self->pinned_fingerprint = g_strdup (pochta_certificate_info_get_fingerprint (self->certificate));
  g_free (self->pinned_host);
  self->pinned_host = g_steal_pointer (&host);

  pochta_account_dialog_test (self);
}

/* ----- for tests and callers ----- */

/**
 * pochta_account_dialog_set_field:
 * @field: "name", "address", "user", "password", "imap-host", "imap-port",
 *   "imap-security", "smtp-host", "smtp-port" or "smtp-security"
 * @value: the text; ports as digits, security as "implicit", "starttls"
 *   or "none"
 *
 * Fills a field as if the person typed it.
 */
void
pochta_account_dialog_set_field (PochtaAccountDialog *self,
                                 const char          *field,
                                 const char          *value)
{
  static const char * const modes[] = { "implicit", "starttls", "none" };
  GtkEditable *editable = NULL;

  g_return_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self));
  g_return_if_fail (field != NULL && value != NULL);

  if (g_str_equal (field, "name"))
    editable = GTK_EDITABLE (self->name_row);
  else if (g_str_equal (field, "address"))
    editable = GTK_EDITABLE (self->address_row);
  else if (g_str_equal (field, "user"))
    editable = GTK_EDITABLE (self->user_row);
  else if (g_str_equal (field, "password"))
    editable = GTK_EDITABLE (self->password_row);
  else if (g_str_equal (field, "imap-host"))
    editable = GTK_EDITABLE (self->imap_host_row);
  else if (g_str_equal (field, "smtp-host"))
    editable = GTK_EDITABLE (self->smtp_host_row);
  else if (g_str_equal (field, "imap-port") || g_str_equal (field, "smtp-port"))
    {
      GtkSpinButton *spin = field[0] == 'i' ? self->imap_port_spin : self->smtp_port_spin;

      gtk_spin_button_set_value (spin, g_ascii_strtod (value, NULL));
      return;
    }
  else if (g_str_equal (field, "imap-security") || g_str_equal (field, "smtp-security"))
    {
      AdwComboRow *row = field[0] == 'i' ? self->imap_security_row : self->smtp_security_row;

      for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
        if (g_str_equal (value, modes[i]))
          adw_combo_row_set_selected (row, i);
      return;
    }

  g_return_if_fail (editable != NULL);
  gtk_editable_set_text (editable, value);
}

/* What the last test or attempt to add said. */
const char *
pochta_account_dialog_get_status (PochtaAccountDialog *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

gboolean
pochta_account_dialog_get_busy (PochtaAccountDialog *self)
{
  g_return_val_if_fail (POCHTA_IS_ACCOUNT_DIALOG (self), FALSE);

  return self->busy;
}

/* ----- GObject ----- */

static void
pochta_account_dialog_dispose (GObject *object)
{
  PochtaAccountDialog *self = (PochtaAccountDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->certificate, pochta_certificate_info_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_ACCOUNT_DIALOG);
  self->certificate_details = NULL;

  g_clear_object (&self->service);

  G_OBJECT_CLASS (pochta_account_dialog_parent_class)->dispose (object);
}

static void
pochta_account_dialog_finalize (GObject *object)
{
  PochtaAccountDialog *self = (PochtaAccountDialog *)object;

  g_clear_pointer (&self->pinned_fingerprint, g_free);
  g_clear_pointer (&self->pinned_host, g_free);

  G_OBJECT_CLASS (pochta_account_dialog_parent_class)->finalize (object);
}

static void
pochta_account_dialog_class_init (PochtaAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_account_dialog_dispose;
  object_class->finalize = pochta_account_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, certificate_box);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, imap_host_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, imap_port_spin);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, imap_security_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, smtp_host_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, smtp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, trust_button);
  gtk_widget_class_bind_template_child (widget_class, PochtaAccountDialog, user_row);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pochta_account_dialog_init (PochtaAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* Connected here rather than in the .ui, which test-ui-files builds
   * without this class's callbacks. */
  g_signal_connect_object (self->address_row, "changed", G_CALLBACK (address_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_signal_connect_object (self->user_row, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_signal_connect_object (self->password_row, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_signal_connect_object (self->imap_host_row, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_signal_connect_object (self->smtp_host_row, "changed", G_CALLBACK (field_changed_cb), self, 0);
  g_signal_connect_object (self->imap_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self, 0);
  g_signal_connect_object (self->smtp_port_spin, "value-changed", G_CALLBACK (port_changed_cb), self, 0);
  g_signal_connect_object (self->imap_security_row, "notify::selected",
                           G_CALLBACK (security_changed_cb), self, 0);
  g_signal_connect_object (self->smtp_security_row, "notify::selected",
                           G_CALLBACK (security_changed_cb), self, 0);
  g_signal_connect_object (self->test_button, "clicked", G_CALLBACK (pochta_account_dialog_test),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (pochta_account_dialog_add),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->trust_button, "clicked", G_CALLBACK (trust_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (gtk_window_close),
                           self, G_CONNECT_SWAPPED);
}

/* @service: may be NULL while the service is still opening; Add stays off. */
GtkWidget *
pochta_account_dialog_new (GtkWindow     *parent,
                           PochtaService *service)
{
  PochtaAccountDialog *self;

  g_return_val_if_fail (service == NULL || POCHTA_IS_SERVICE (service), NULL);

  self = g_object_new (POCHTA_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       NULL);
  g_set_object (&self->service, service);
  update_sensitivity (self);

  return GTK_WIDGET (self);
}
