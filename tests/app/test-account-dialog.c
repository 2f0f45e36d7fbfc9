/* test-account-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adding an account and fixing its trouble, against the harness Dovecot:
 * the dialog fills in what the address implies, "Test Connection" reports
 * an untrusted certificate with its details and then a refused password,
 * trusting the certificate pins it, Add puts the account in the sidebar
 * where it syncs; a refused password shows a banner whose "Enter Password"
 * fixes it, and an untrusted certificate a banner leading to its dialog.
 */

#include "config.h"

#include "pochta-account-banner.h"
#include "pochta-account-dialog.h"
#include "window-test-fixture.h"

typedef struct
{
  char          *user;
  char          *path;
  PochtaService *service;
  PochtaWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->user = g_strdup_printf ("ui-%s", (const char *) data);
  fixture->path = g_strdup_printf ("%s/%s.sqlite", g_get_user_data_dir (), fixture->user);
  g_assert_true (pochta_test_servers_add_user (fixture->user, 5, &error));
  g_assert_no_error (error);

  fixture->service = service_test_open (fixture->path);
  pochta_service_start (fixture->service);
  fixture->window = pochta_window_new (window_test_app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  pochta_window_set_service (fixture->window, fixture->service);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  /* Dialogs the test left open go first. Hidden ones are closing already
   * (a dialog after its response); the list holds no references, so
   * looking does not finalize one that GTK 4.8 is still tearing down. */
  for (const GList *iter = toplevels; iter != NULL; iter = iter->next)
    if (iter->data != fixture->window && gtk_widget_get_visible (iter->data))
      gtk_window_destroy (iter->data);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  service_test_close (fixture->service);
  g_clear_object (&fixture->service);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->user, g_free);
}

static PochtaAccountDialog *
open_dialog (Fixture *fixture)
{
  g_autoptr(GList) toplevels = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-account", NULL));
  toplevels = gtk_window_list_toplevels ();
  for (const GList *iter = toplevels; iter != NULL; iter = iter->next)
    if (POCHTA_IS_ACCOUNT_DIALOG (iter->data))
      return POCHTA_ACCOUNT_DIALOG (iter->data);

  g_assert_not_reached ();
}

static void
fill_for_harness (PochtaAccountDialog *dialog,
                  const char          *user,
                  const char          *password)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *address = g_strdup_printf ("%s@%s", user, servers->mail_domain);
  g_autofree char *imap_port = g_strdup_printf ("%u", servers->imap_port);
  g_autofree char *smtp_port = g_strdup_printf ("%u", servers->submission_port);

  pochta_account_dialog_set_field (dialog, "name", "Test Person");
  pochta_account_dialog_set_field (dialog, "address", address);
  pochta_account_dialog_set_field (dialog, "user", user);
  pochta_account_dialog_set_field (dialog, "password", password);
  pochta_account_dialog_set_field (dialog, "imap-host", servers->host);
  pochta_account_dialog_set_field (dialog, "imap-security", "starttls");
  pochta_account_dialog_set_field (dialog, "imap-port", imap_port);
  pochta_account_dialog_set_field (dialog, "smtp-host", servers->host);
  pochta_account_dialog_set_field (dialog, "smtp-security", "starttls");
  pochta_account_dialog_set_field (dialog, "smtp-port", smtp_port);
}

static gboolean
dialog_idle (gpointer data)
{
  return !pochta_account_dialog_get_busy (data);
}

static void
test_fills_in (Fixture       *fixture,
               gconstpointer  data)
{
  PochtaAccountDialog *dialog = open_dialog (fixture);
  g_autoptr(PochtaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  PochtaServerConfig *incoming;
  PochtaServerConfig *outgoing;

  g_test_summary ("The address fills in the user name and the usual server names; the security "
                  "choice sets the usual port; a bad address is refused by name");

  pochta_account_dialog_set_field (dialog, "address", "not an address");
  pochta_account_dialog_set_field (dialog, "password", "x");
  g_assert_null (pochta_account_dialog_build_account (dialog, &error));
  g_assert_nonnull (strstr (error->message, "not an email address"));
  g_clear_error (&error);

  pochta_account_dialog_set_field (dialog, "address", "jane@mail.example");
  pochta_account_dialog_set_field (dialog, "imap-security", "starttls");
  account = pochta_account_dialog_build_account (dialog, &error);
  g_assert_no_error (error);

  incoming = pochta_account_get_incoming (account);
  outgoing = pochta_account_get_outgoing (account);
  g_assert_cmpstr (pochta_server_config_get_host (incoming), ==, "imap.mail.example");
  g_assert_cmpstr (pochta_server_config_get_host (outgoing), ==, "smtp.mail.example");
  g_assert_cmpstr (pochta_server_config_get_user_name (incoming), ==, "jane@mail.example");
  g_assert_cmpint (pochta_server_config_get_tls_mode (incoming), ==, POCHTA_TLS_MODE_STARTTLS);
  g_assert_cmpuint (pochta_server_config_get_port (incoming), ==,
                    pochta_server_protocol_get_default_port (POCHTA_SERVER_PROTOCOL_IMAP, POCHTA_TLS_MODE_STARTTLS));
  g_assert_cmpuint (pochta_server_config_get_port (outgoing), ==,
                    pochta_server_protocol_get_default_port (POCHTA_SERVER_PROTOCOL_SMTP, POCHTA_TLS_MODE_IMPLICIT));
  g_assert_cmpstr (pochta_identity_get_address (pochta_account_get_default_identity (account)), ==,
                   "jane@mail.example");

  /* A user name typed by hand is kept when the address changes. */
  pochta_account_dialog_set_field (dialog, "user", "jane");
  pochta_account_dialog_set_field (dialog, "address", "jane@other.example");
  g_clear_object (&account);
  account = pochta_account_dialog_build_account (dialog, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pochta_server_config_get_user_name (pochta_account_get_incoming (account)), ==, "jane");
  g_assert_cmpstr (pochta_server_config_get_host (pochta_account_get_incoming (account)), ==, "imap.other.example");

  app_test_screenshot (GTK_WIDGET (dialog), "account-dialog");
}

static void
test_test_connection (Fixture       *fixture,
                      gconstpointer  data)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  PochtaAccountDialog *dialog = open_dialog (fixture);
  g_autofree char *password = pochta_test_servers_password (fixture->user);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkButton *trust = NULL;
  gboolean fingerprint_shown = FALSE;

  g_test_summary ("Test Connection reports the untrusted certificate with its fingerprint; "
                  "trusted, it reports the refused password; with the right one, success");

  fill_for_harness (dialog, fixture->user, "wrong-password");
  pochta_account_dialog_test (dialog);
  app_test_wait_for (dialog_idle, dialog);
  g_test_message ("Untrusted: %s", pochta_account_dialog_get_status (dialog));
  g_assert_nonnull (strstr (pochta_account_dialog_get_status (dialog), "ertificate"));

  app_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i])
        && strstr (gtk_label_get_text (labels->pdata[i]), servers->cert_sha256) != NULL)
      fingerprint_shown = TRUE;
  g_assert_true (fingerprint_shown);
  app_test_screenshot (GTK_WIDGET (dialog), "account-dialog-certificate");

  app_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "T_rust This Certificate") == 0)
      trust = buttons->pdata[i];
  g_assert_nonnull (trust);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (trust)));

  /* Trusting tests again, now getting as far as the login. */
  g_signal_emit_by_name (trust, "clicked");
  app_test_wait_for (dialog_idle, dialog);
  g_test_message ("Wrong password: %s", pochta_account_dialog_get_status (dialog));
  g_assert_null (strstr (pochta_account_dialog_get_status (dialog), "ertificate"));
  g_assert_null (strstr (pochta_account_dialog_get_status (dialog), "Connected"));
  g_assert_cmpstr (pochta_account_dialog_get_status (dialog), !=, "");

  pochta_account_dialog_set_field (dialog, "password", password);
  pochta_account_dialog_test (dialog);
  app_test_wait_for (dialog_idle, dialog);
  g_assert_nonnull (strstr (pochta_account_dialog_get_status (dialog), "Connected"));
}

static gboolean
account_has_inbox_mail (gpointer data)
{
  Fixture *fixture = data;
  GListModel *accounts = pochta_service_get_accounts (fixture->service);
  g_autoptr(PochtaAccount) account = NULL;
  PochtaFolder *inbox;

  if (g_list_model_get_n_items (accounts) == 0)
    return FALSE;

  account = g_list_model_get_item (accounts, 0);
  inbox = pochta_service_find_folder_by_role (fixture->service, account, POCHTA_FOLDER_ROLE_INBOX);

  return inbox != NULL && pochta_folder_get_total_count (inbox) == 5
         && pochta_window_get_folder (fixture->window) == inbox;
}

static gboolean
window_gone (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr(GObject) object = g_weak_ref_get (ref);

  return object == NULL || !gtk_widget_get_visible (GTK_WIDGET (object));
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  PochtaAccountDialog *dialog = open_dialog (fixture);
  g_autofree char *password = pochta_test_servers_password (fixture->user);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  WindowFixture shown = { 0 };
  GWeakRef ref;

  g_test_summary ("Add saves the account (with the certificate trusted in the dialog); it "
                  "appears in the sidebar, syncs, and its Inbox opens");

  fill_for_harness (dialog, fixture->user, password);
  pochta_account_dialog_test (dialog);
  app_test_wait_for (dialog_idle, dialog);
  app_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "T_rust This Certificate") == 0)
      g_signal_emit_by_name (buttons->pdata[i], "clicked");
  app_test_wait_for (dialog_idle, dialog);
  g_assert_nonnull (strstr (pochta_account_dialog_get_status (dialog), "Connected"));

  g_weak_ref_init (&ref, dialog);
  pochta_account_dialog_add (dialog);
  app_test_wait_for (window_gone, &ref);
  g_weak_ref_clear (&ref);

  app_test_wait_for (account_has_inbox_mail, fixture);
  shown.window = fixture->window;
  window_test_wait_rows (&shown);
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-account-added");
}

/* ----- banners ----- */

static PochtaAccount *
add_account (Fixture    *fixture,
             const char *password,
             gboolean    pin)
{
  g_autoptr(PochtaAccount) account = service_test_account (fixture->user);

  if (!pin)
    pochta_server_config_set_pinned_fingerprint (pochta_account_get_incoming (account), NULL);
  service_test_add (fixture->service, account, password);

  return g_steal_pointer (&account);
}

static PochtaAccountBanner *
banner_for (Fixture       *fixture,
            PochtaAccount *account)
{
  g_autoptr(GPtrArray) banners = g_ptr_array_new ();

  app_test_collect_widgets (GTK_WIDGET (fixture->window), POCHTA_TYPE_ACCOUNT_BANNER, banners);
  for (guint i = 0; i < banners->len; i++)
    if (pochta_account_banner_get_account (banners->pdata[i]) == account)
      return banners->pdata[i];

  return NULL;
}

static gboolean
banner_up (gpointer data)
{
  return pochta_account_banner_get_revealed (data);
}

static gboolean
banner_down (gpointer data)
{
  return !pochta_account_banner_get_revealed (data);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (const GList *iter = toplevels; iter != NULL; iter = iter->next)
    if (ADW_IS_MESSAGE_DIALOG (iter->data) && gtk_widget_get_visible (iter->data))
      return ADW_MESSAGE_DIALOG (iter->data);

  return NULL;
}

static gboolean
account_online (gpointer data)
{
  PochtaAccountState state = pochta_account_get_state (data);

  return state == POCHTA_ACCOUNT_STATE_ONLINE || state == POCHTA_ACCOUNT_STATE_SYNCING;
}

static void
test_banner_password (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PochtaAccount) account = add_account (fixture, "wrong-password", TRUE);
  g_autofree char *password = pochta_test_servers_password (fixture->user);
  PochtaAccountBanner *banner;
  AdwMessageDialog *prompt;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  g_test_summary ("A refused password shows a banner over the list; its Enter Password dialog "
                  "stores the new one and the account comes online");

  banner = banner_for (fixture, account);
  g_assert_nonnull (banner);
  app_test_wait_for (banner_up, banner);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_AUTH_FAILED);
  g_assert_cmpstr (gtk_button_get_label (pochta_account_banner_get_button (banner)), ==, "_Enter Password");
  app_test_screenshot (GTK_WIDGET (fixture->window), "window-auth-banner");

  g_signal_emit_by_name (pochta_account_banner_get_button (banner), "clicked");
  prompt = find_message_dialog ();
  g_assert_nonnull (prompt);
  g_assert_false (adw_message_dialog_get_response_enabled (prompt, "log-in"));

  app_test_collect_widgets (GTK_WIDGET (prompt), GTK_TYPE_PASSWORD_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (entries->pdata[0], password);
  g_assert_true (adw_message_dialog_get_response_enabled (prompt, "log-in"));
  app_test_screenshot (GTK_WIDGET (prompt), "password-dialog");
  adw_message_dialog_response (prompt, "log-in");

  app_test_wait_for (account_online, account);
  app_test_wait_for (banner_down, banner);
}

static void
test_banner_certificate (Fixture       *fixture,
                         gconstpointer  data)
{
  const PochtaTestServers *servers = pochta_test_servers_get ();
  g_autofree char *password = pochta_test_servers_password (fixture->user);
  g_autoptr(PochtaAccount) account = add_account (fixture, password, FALSE);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  PochtaAccountBanner *banner;
  AdwMessageDialog *prompt;
  gboolean fingerprint_shown = FALSE;

  g_test_summary ("An untrusted certificate shows a banner; its dialog has subject, issuer, "
                  "dates and SHA-256 fingerprint, and trusting it brings the account online");

  banner = banner_for (fixture, account);
  app_test_wait_for (banner_up, banner);
  g_assert_cmpint (pochta_account_get_state (account), ==, POCHTA_ACCOUNT_STATE_TLS_ERROR);

  g_signal_emit_by_name (pochta_account_banner_get_button (banner), "clicked");
  prompt = find_message_dialog ();
  g_assert_nonnull (prompt);
  g_assert_cmpstr (adw_message_dialog_get_heading (prompt), ==, "Untrusted Certificate");

  app_test_collect_widgets (GTK_WIDGET (prompt), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (labels->pdata[i]);

      if (strstr (text, servers->cert_sha256) != NULL && strstr (text, "Issuer") != NULL
          && strstr (text, "Subject") != NULL && strstr (text, "Valid until") != NULL)
        fingerprint_shown = TRUE;
    }
  g_assert_true (fingerprint_shown);
  app_test_screenshot (GTK_WIDGET (prompt), "certificate-dialog");

  adw_message_dialog_response (prompt, "trust");
  app_test_wait_for (account_online, account);
  app_test_wait_for (banner_down, banner);
  g_assert_nonnull (pochta_server_config_get_pinned_fingerprint (pochta_account_get_incoming (account)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *profile = NULL;
  int ret;

  profile = app_test_init_profile (&argc, &argv);
  window_test_init_app ();

#define ADD(path, user, func) \
  g_test_add (path, Fixture, user, fixture_set_up, func, fixture_tear_down)

  ADD ("/app/account-dialog/fills-in", "dialog-fill", test_fills_in);
  ADD ("/app/account-dialog/test-connection", "dialog-test", test_test_connection);
  ADD ("/app/account-dialog/add", "dialog-add", test_add);
  ADD ("/app/account-banner/password", "banner-pass", test_banner_password);
  ADD ("/app/account-banner/certificate", "banner-cert", test_banner_certificate);

#undef ADD

  ret = g_test_run ();

  g_clear_object (&window_test_app);
  pochta_test_remove_tree (profile);

  return ret;
}
