/* test-ui-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds every .ui file under src/app with GTK and libadwaita loaded, the
 * way `gtk4-builder-tool validate` would if it knew the Adw types, and runs
 * the tool itself on the files it can check.
 */

#include "config.h"

#include <adwaita.h>

#include "pochta-account-banner.h"
#include "pochta-account-dialog.h"
#include "pochta-application.h"
#include "pochta-attachment-list.h"
#include "pochta-folder-row.h"
#include "pochta-folder-sidebar.h"
#include "pochta-message-header.h"
#include "pochta-message-list.h"
#include "pochta-message-row.h"
#include "pochta-message-view.h"
#include "pochta-move-popover.h"
#include "pochta-test-util.h"
#include "pochta-window.h"

typedef struct
{
  char *class_name;
  char *parent_name;
} TemplateInfo;

static void
template_start_element (GMarkupParseContext  *context,
                        const char           *element_name,
                        const char          **attribute_names,
                        const char          **attribute_values,
                        gpointer              user_data,
                        GError              **error)
{
  TemplateInfo *info = user_data;

  if (g_strcmp0 (element_name, "template") != 0 || info->class_name != NULL)
    return;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "class"))
        info->class_name = g_strdup (attribute_values[i]);
      else if (g_str_equal (attribute_names[i], "parent"))
        info->parent_name = g_strdup (attribute_values[i]);
    }
}

static const GMarkupParser template_parser = { template_start_element, NULL, NULL, NULL, NULL };

/* gtk4-builder-tool validate checks what GtkBuilder alone would miss
 * (unknown properties, wrong value types), but it cannot resolve libadwaita
 * template parents; those files are built with the real classes below. */
static void
builder_tool_validate (const char *path)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *argv[] = { "gtk4-builder-tool", "validate", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("gtk4-builder-tool validate %s: %s%s", path, out, err);
}

static void
test_ui_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TemplateInfo info = { NULL, NULL };
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  context = g_markup_parse_context_new (&template_parser, 0, &info, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);

  if (info.class_name != NULL)
    {
      GType parent_type = gtk_builder_get_type_from_name (builder, info.parent_name);
      GType template_type = g_type_from_name (info.class_name);
      g_autoptr(GObject) object = NULL;

      g_assert_true (g_type_is_a (parent_type, GTK_TYPE_WIDGET));

      /* A class the program does not define is a typo in the template, or a
       * new widget this test has not yet been told about (see main ()). */
      g_assert_true (template_type != G_TYPE_INVALID);
      g_assert_true (g_type_is_a (template_type, parent_type));

      object = g_object_ref_sink (g_object_new (template_type, NULL));
      gtk_builder_extend_with_template (builder, object, template_type, " ", 1, &error);
      g_assert_no_error (error);
      gtk_builder_add_from_file (builder, path, &error);
      g_assert_no_error (error);

      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
    }
  else
    {
      GSList *objects;

      builder_tool_validate (path);

      gtk_builder_add_from_file (builder, path, &error);
      g_assert_no_error (error);

      objects = gtk_builder_get_objects (builder);
      for (const GSList *iter = objects; iter != NULL; iter = iter->next)
        if (GTK_IS_WINDOW (iter->data))
          gtk_window_destroy (iter->data);
      g_slist_free (objects);
    }

  g_free (info.class_name);
  g_free (info.parent_name);
}

static void
collect_ui_files (const char *dir,
                  GPtrArray  *found)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_ui_files (path, found);
      else if (g_str_has_suffix (name, ".ui"))
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *app_dir = NULL;

  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Isolation also hides the system data dirs, and with them the MIME
   * database that GdkPixbuf needs to recognise SVG icons, and the icon theme. */
  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  g_setenv ("DISPLAY", pochta_test_servers_get ()->display, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");
  gtk_init ();
  adw_init ();

  /* Every class that a template in src/app defines. */
  g_type_ensure (POCHTA_TYPE_ACCOUNT_BANNER);
  g_type_ensure (POCHTA_TYPE_ACCOUNT_DIALOG);
  g_type_ensure (POCHTA_TYPE_APPLICATION);
  g_type_ensure (POCHTA_TYPE_ATTACHMENT_LIST);
  g_type_ensure (POCHTA_TYPE_FOLDER_ROW);
  g_type_ensure (POCHTA_TYPE_FOLDER_SIDEBAR);
  g_type_ensure (POCHTA_TYPE_MESSAGE_HEADER);
  g_type_ensure (POCHTA_TYPE_MESSAGE_LIST);
  g_type_ensure (POCHTA_TYPE_MESSAGE_ROW);
  g_type_ensure (POCHTA_TYPE_MESSAGE_VIEW);
  g_type_ensure (POCHTA_TYPE_MOVE_POPOVER);
  g_type_ensure (POCHTA_TYPE_WINDOW);

  app_dir = g_test_build_filename (G_TEST_DIST, "..", "src", "app", NULL);
  collect_ui_files (app_dir, files);
  g_ptr_array_sort (files, compare_paths);
  g_assert_cmpuint (files->len, >, 0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *test_path = NULL;

      test_path = g_strconcat ("/app/ui-files/", path + strlen (app_dir) + 1, NULL);

      g_test_add_data_func (test_path, path, test_ui_file);
    }

  return g_test_run ();
}
