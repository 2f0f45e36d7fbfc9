/* app-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the widget tests share: GTK on the harness's Xvfb, waits for a
 * condition with a deadline, widget lookups, and parsing a message.
 */

#pragma once

#include <adwaita.h>

#include "pochta-test-util.h"

#define APP_TEST_WAIT_MS 15000

typedef gboolean (*AppTestCondition) (gpointer data);

typedef struct
{
  AppTestCondition  condition;
  gpointer          data;
  gboolean          done;
} AppTestPoll;

static gboolean
app_test_poll_tick (gpointer user_data)
{
  AppTestPoll *poll = user_data;

  if (poll->condition (poll->data))
    {
      poll->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; the test fails at the deadline. */
static G_GNUC_UNUSED void
app_test_wait_for (AppTestCondition condition,
                   gpointer         data)
{
  AppTestPoll poll = { condition, data, FALSE };
  guint id;

  if (condition (data))
    return;

  id = g_timeout_add (20, app_test_poll_tick, &poll);
  pochta_test_wait_until (&poll.done, APP_TEST_WAIT_MS);
  if (!poll.done)
    g_source_remove (id);
}

static gboolean
app_test_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for @ms, for "nothing happens meanwhile" checks. */
static G_GNUC_UNUSED void
app_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, app_test_timeout_cb, &done);
  pochta_test_wait_until (&done, ms + APP_TEST_WAIT_MS);
}

static G_GNUC_UNUSED void
app_test_collect_widgets (GtkWidget *widget,
                          GType      type,
                          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    app_test_collect_widgets (child, type, found);
}

static G_GNUC_UNUSED PochtaMessage *
app_test_parse (const char *raw)
{
  g_autoptr(PochtaMessageParser) parser = pochta_message_parser_new ();
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr(GError) error = NULL;
  PochtaMessage *message;

  message = pochta_message_parser_parse_bytes (parser, bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  return message;
}

static void
app_test_init_display (void)
{
  g_setenv ("DISPLAY", pochta_test_servers_get ()->display, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");
  gtk_init ();
  adw_init ();
}

/* g_test_init() with isolated XDG dirs, then GTK and libadwaita on the
 * harness's Xvfb. Isolation also hides the system data dirs, and with them
 * the MIME database and the icon theme, so those are put back. */
static G_GNUC_UNUSED void
app_test_init (int    *argc,
               char ***argv)
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  app_test_init_display ();
}

/* For tests whose application lives across test cases (and so opens its
 * cache before g_test_run(), where isolated dirs are still /dev/null): one
 * private profile for the whole program. Returns the directory to remove
 * with pochta_test_remove_tree() at the end. */
static G_GNUC_UNUSED char *
app_test_init_profile (int    *argc,
                       char ***argv)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("pochta-app-test-XXXXXX", &error);
  const char *dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (root, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (dirs[i][0], path, TRUE);
    }

  g_test_init (argc, argv, NULL);
  app_test_init_display ();

  return root;
}

/* With POCHTA_TEST_SCREENSHOTS=DIR, saves what @widget shows as DIR/@name.png. */
static G_GNUC_UNUSED void
app_test_screenshot (GtkWidget  *widget,
                     const char *name)
{
  const char *dir = g_getenv ("POCHTA_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL)
    return;

  /* Let pending layout and drawing happen first. */
  app_test_run_for (300);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}
