/* pochta-web-view-module.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads pochta-web-view.so, the WebKit half of the reader, on first use
 * (from $POCHTA_MODULE_DIR for uninstalled builds and tests, else from the
 * installed library directory), and what the reader knows about HTML
 * without WebKit.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <gmodule.h>

#include "pochta-web-view-module.h"

#define MODULE_NAME "pochta-web-view." G_MODULE_SUFFIX

static const PochtaWebViewModule *
load_module (void)
{
  const char *dir = g_getenv ("POCHTA_MODULE_DIR");
  g_autofree char *path = NULL;
  const PochtaWebViewModule *table;
  PochtaWebViewModuleEntry entry = NULL;
  GModule *module;

  if (dir == NULL || *dir == '\0')
    dir = MODULE_DIR;
  path = g_build_filename (dir, MODULE_NAME, NULL);

  /* Bound now, not lazily: a symbol missing in WebKit or in this program
   * must fail here, where there is a fallback, not in the middle of a call. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_warning ("Cannot load the HTML reader, HTML mail is shown as text: %s",
                 g_module_error ());
      return NULL;
    }

  if (!g_module_symbol (module, POCHTA_WEB_VIEW_MODULE_ENTRY, (gpointer *) &entry)
      || entry == NULL)
    {
      g_warning ("%s is not the HTML reader, HTML mail is shown as text", path);
      g_module_close (module);
      return NULL;
    }

  table = entry ();
  if (table == NULL || table->version != POCHTA_WEB_VIEW_MODULE_VERSION)
    {
      g_warning ("%s is from another version of Pochta, HTML mail is shown as text", path);
      g_module_close (module);
      return NULL;
    }

  /* Its GTypes stay registered for the rest of the process. */
  g_module_make_resident (module);
  g_debug ("Loaded the HTML reader from %s", path);

  return table;
}

/**
 * pochta_web_view_module_load:
 *
 * The HTML reader's functions, loading its module the first time; %NULL
 * (after a single warning) when it cannot be loaded, and then the reader
 * shows HTML as text as a build without WebKit does. Main thread only.
 */
const PochtaWebViewModule *
pochta_web_view_module_load (void)
{
  static const PochtaWebViewModule *table;
  static gboolean tried;

  if (!tried)
    {
      tried = TRUE;
      table = load_module ();
    }

  return table;
}

/**
 * pochta_html_has_remote_content:
 * @html: an HTML body
 *
 * Whether the HTML refers to anything outside the message that a browser
 * would load on its own (images, style sheets, fonts, frames): what the
 * "Remote content blocked" bar is about. Links are not remote content.
 */
gboolean
pochta_html_has_remote_content (const char *html)
{
  static GRegex *regex;

  if (html == NULL)
    return FALSE;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled;

      compiled = g_regex_new ("(?:\\b(?:src|srcset|background|poster|data|lowsrc|dynsrc)\\s*=\\s*[\"']?\\s*"
                              "|\\burl\\s*\\(\\s*[\"']?\\s*"
                              "|@import\\s+[\"']?\\s*"
                              "|<link\\b[^>]*\\bhref\\s*=\\s*[\"']?\\s*)"
                              "(?:https?:|ftp:)?//",
                              G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }

  return g_regex_match (regex, html, 0, NULL);
}
