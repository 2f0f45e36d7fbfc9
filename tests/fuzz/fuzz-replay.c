/* fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs every file of the given directories through a fuzz target, so that
 * the seed corpus and the saved crashes are replayed by a plain `meson test`.
 */

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
      const char *name;

      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (g_str_has_prefix (name, "README") || g_file_test (path, G_FILE_TEST_IS_DIR))
            continue;
          if (!g_file_get_contents (path, &contents, &len, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
          count++;
        }
    }

  g_print ("replayed %u inputs\n", count);

  return count > 0 ? 0 : 1;
}
