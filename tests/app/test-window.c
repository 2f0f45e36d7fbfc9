/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person sees on the first start: the three panes, the empty states,
 * the app actions, and `pochta --version`.
 */

#include "config.h"

#include <adwaita.h>

#include "app-test-util.h"
#include "pochta-account-dialog.h"
#include "pochta-application.h"
#include "pochta-test-util.h"
#include "pochta-window.h"

#define WAIT_MS 10000

static PochtaApplication *app;

typedef gboolean (*Condition) (gpointer data);

typedef struct
{
  Condition  condition;
  gpointer   data;
  gboolean   done;
} Poll;

static gboolean
poll_tick (gpointer user_data)
{
  Poll *poll = user_data;

  if (poll->condition (poll->data))
    {
      poll->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Polls the condition while the main loop runs; pochta_test_wait_until fails
 * the test when the deadline passes first. */
static void
wait_for (Condition condition,
          gpointer  data)
{
  Poll poll = { condition, data, FALSE };
  guint id;

  if (condition (data))
    return;

  id = g_timeout_add (20, poll_tick, &poll);
  pochta_test_wait_until (&poll.done, WAIT_MS);
  if (!poll.done)
    g_source_remove (id);
}

static GtkWindow *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (POCHTA_IS_WINDOW (window));
  return window;
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static GtkPaned *
outer_paned (void)
{
  g_autoptr(GPtrArray) paneds = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (main_window ()), GTK_TYPE_PANED, paneds);
  g_assert_cmpuint (paneds->len, ==, 2);

  for (guint i = 0; i < paneds->len; i++)
    {
      GtkWidget *parent = gtk_widget_get_parent (paneds->pdata[i]);

      if (!GTK_IS_PANED (parent))
        return paneds->pdata[i];
    }

  g_assert_not_reached ();
}

/* folders | messages | reader, left to right */
static void
get_panes (GtkWidget *panes[3])
{
  GtkPaned *outer = outer_paned ();
  GtkWidget *inner = gtk_paned_get_end_child (outer);

  g_assert_true (GTK_IS_PANED (inner));
  panes[0] = gtk_paned_get_start_child (outer);
  panes[1] = gtk_paned_get_start_child (GTK_PANED (inner));
  panes[2] = gtk_paned_get_end_child (GTK_PANED (inner));
}

static gboolean
panes_have_width (gpointer data)
{
  GtkWidget *panes[3];

  if (!gtk_widget_get_mapped (GTK_WIDGET (main_window ())))
    return FALSE;

  get_panes (panes);
  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    if (!gtk_widget_get_mapped (panes[i]) || gtk_widget_get_width (panes[i]) <= 0)
      return FALSE;

  return TRUE;
}

static AdwStatusPage *
find_status_page (const char *title)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (main_window ()), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_title (pages->pdata[i]), title) == 0)
      return pages->pdata[i];

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
account_dialog_shown (gpointer data)
{
  GtkWindow *dialog = find_toplevel (POCHTA_TYPE_ACCOUNT_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
about_window_shown (gpointer data)
{
  GtkWindow *about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);

  return about != NULL && gtk_widget_get_mapped (GTK_WIDGET (about));
}

static void
test_three_panes (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWidget *panes[3];
  GtkPaned *outer;

  g_test_summary ("After the window is mapped, folders, messages and reader all have width");

  wait_for (panes_have_width, NULL);

  get_panes (panes);
  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    g_assert_cmpint (gtk_widget_get_width (panes[i]), >=, 100);

  g_assert_cmpint (gtk_widget_get_width (panes[0]), <, gtk_widget_get_width (panes[2]));

  /* Side by side, left to right, none of them covering another. */
  for (guint i = 0; i + 1 < G_N_ELEMENTS (panes); i++)
    {
      graphene_point_t origin = GRAPHENE_POINT_INIT (0, 0);
      graphene_point_t next;

      g_assert_true (gtk_widget_compute_point (panes[i + 1], panes[i], &origin, &next));
      g_assert_cmpfloat (next.x, >=, gtk_widget_get_width (panes[i]));
    }

  /* The outer pane starts where the settings say. */
  outer = outer_paned ();
  g_assert_cmpint (gtk_paned_get_position (outer), ==,
                   g_settings_get_int (settings, "folder-pane-position"));

  /* Moving a divider is remembered. */
  gtk_paned_set_position (outer, 300);
  g_assert_cmpint (g_settings_get_int (settings, "folder-pane-position"), ==, 300);
}

static void
test_empty_states (void)
{
  AdwStatusPage *no_accounts;
  AdwStatusPage *no_folder;
  AdwStatusPage *no_message;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkButton *add_account = NULL;

  wait_for (panes_have_width, NULL);

  no_accounts = find_status_page ("No accounts yet");
  no_folder = find_status_page ("No folder selected");
  no_message = find_status_page ("No message selected");
  g_assert_nonnull (no_accounts);
  g_assert_nonnull (no_folder);
  g_assert_nonnull (no_message);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (no_accounts)));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (no_folder)));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (no_message)));

  collect_widgets (GTK_WIDGET (no_accounts), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "win.add-account") == 0)
      add_account = buttons->pdata[i];

  g_assert_nonnull (add_account);
  g_assert_cmpstr (gtk_button_get_label (add_account), ==, "_Add Account");
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (add_account)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (add_account)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (add_account)), >, 0);
}

static void
test_add_account_dialog (void)
{
  GtkWindow *dialog;

  g_test_summary ("Add Account opens the account dialog over the window");

  wait_for (panes_have_width, NULL);
  g_assert_null (find_toplevel (POCHTA_TYPE_ACCOUNT_DIALOG));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.add-account", NULL));
  wait_for (account_dialog_shown, NULL);

  dialog = find_toplevel (POCHTA_TYPE_ACCOUNT_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == main_window ());
  g_assert_true (gtk_window_get_modal (dialog));
  gtk_window_destroy (dialog);
}

static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = NULL;
      char *action = NULL;

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        collect_menu_actions (section, actions);
      else if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
    }
}

static void
test_primary_menu (void)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = { "win.add-account", "win.mark-all-read", "win.show-help-overlay",
                             "app.about", NULL };
  GtkMenuButton *primary = NULL;
  GMenuModel *menu;

  collect_widgets (GTK_WIDGET (main_window ()), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_menu_button_get_primary (buttons->pdata[i]))
      {
        g_assert_null (primary);
        primary = buttons->pdata[i];
      }
  g_assert_nonnull (primary);
  menu = gtk_menu_button_get_menu_model (primary);
  g_assert_nonnull (menu);

  collect_menu_actions (menu, actions);
  g_ptr_array_add (actions, NULL);
  g_assert_cmpstrv ((const char * const *) actions->pdata, expected);
}

static void
test_app_actions (void)
{
  g_auto(GStrv) quit_accels = NULL;
  GtkWindow *window;
  GtkWindow *about;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));

  /* The Keyboard Shortcuts window comes from gtk/help-overlay.ui. */
  window = main_window ();
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstrv (quit_accels, ((const char *[]) { "<Control>q", NULL }));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_for (about_window_shown, NULL);

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  gtk_window_destroy (about);
}

static void
test_version (void)
{
  const char *build_root = g_getenv ("POCHTA_BUILD_ROOT");
  g_autofree char *program = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (build_root == NULL)
    {
      g_test_skip ("POCHTA_BUILD_ROOT is not set: run this test through meson test");
      return;
    }

  program = g_build_filename (build_root, "src", "app", "pochta", NULL);
  g_spawn_sync (NULL, (char *[]) { program, (char *) "--version", NULL }, NULL,
                G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "pochta " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_saves_size_on_close (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWindow *window = main_window ();
  int width;
  int height;

  g_test_summary ("Closing the window stores its size for the next start");

  wait_for (panes_have_width, NULL);
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, >=, 360);

  g_settings_set_int (settings, "window-width", 400);
  gtk_window_close (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, width);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, height);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  int ret;

  /* The application opens its cache at activation, before any test case
   * runs: one private profile for the whole program. */
  profile = app_test_init_profile (&argc, &argv);

  /* Non-unique, so a Pochta already running on the session bus never takes
   * over the activation. */
  app = pochta_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  /* In this order: the last one closes the window. */
  g_test_add_func ("/app/application/actions", test_app_actions);
  g_test_add_func ("/app/application/version", test_version);
  g_test_add_func ("/app/window/primary-menu", test_primary_menu);
  g_test_add_func ("/app/window/three-panes", test_three_panes);
  g_test_add_func ("/app/window/empty-states", test_empty_states);
  g_test_add_func ("/app/window/add-account-dialog", test_add_account_dialog);
  g_test_add_func ("/app/window/saves-size-on-close", test_saves_size_on_close);

  ret = g_test_run ();

  g_clear_object (&app);
  pochta_test_remove_tree (profile);

  return ret;
}
