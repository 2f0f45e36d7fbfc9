/* pochta-message-web-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An HTML message body in a sandboxed WebKitWebView: JavaScript off, every
 * load that is not a cid: part of the message blocked by a content filter
 * until the person allows remote content, links opened in the desktop's
 * browser with their real target shown on hover.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>
#include <webkit/webkit.h>

#include "pochta-message-web-view.h"
#include "pochta-web-view-module.h"

#define FILTER_ID "io.github.pochta.block-remote-v1"

/* Content blockers see every subresource and navigation: block all of them,
 * then let through the message's own parts and inline data. about: is the
 * document load_html() itself creates. */
static const char block_remote_rules[] =
  "["
  "{\"trigger\":{\"url-filter\":\".*\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^cid:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  "{\"trigger\":{\"url-filter\":\"^data:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  "{\"trigger\":{\"url-filter\":\"^about:\"},\"action\":{\"type\":\"ignore-previous-rules\"}}"
  "]";

/* Mail is written for a white page at the width of the reader. */
static const char message_style[] =
  "html { background: #ffffff; color: #000000; }"
  "body { margin: 12px 18px; overflow-wrap: anywhere; }"
  "img { max-width: 100%; height: auto; }"
  "pre { white-space: pre-wrap; }";

struct _PochtaMessageWebView
{
  GtkWidget                 parent_instance;

  GtkWidget                *overlay;
  WebKitWebView            *web_view;
  WebKitUserContentManager *content_manager;
  GtkLabel                 *link_label;

  PochtaMessage            *message;
  GPtrArray                *served_cids;
  char                     *hovered_link;

  guint                     allow_remote : 1;
  guint                     filter_applied : 1;
  guint                     waiting_for_filter : 1;
  guint                     loaded : 1;
};

G_DEFINE_FINAL_TYPE (PochtaMessageWebView, pochta_message_web_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ALLOW_REMOTE,
  PROP_HOVERED_LINK,
  PROP_LOADED,
  PROP_SERVED_CIDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One compiled filter for the whole process; views created while it
 * compiles wait for it before they load anything. */
static WebKitUserContentFilter *remote_filter;
static gboolean remote_filter_failed;
static gboolean remote_filter_compiling;
static GPtrArray *remote_filter_waiters;
static WebKitNetworkSession *message_session;
static gboolean cid_scheme_registered;

static GQuark
web_view_owner_quark (void)
{
  return g_quark_from_static_string ("pochta-message-web-view");
}

static void pochta_message_web_view_load (PochtaMessageWebView *self);

static void
pochta_message_web_view_set_loaded (PochtaMessageWebView *self,
                                    gboolean              loaded)
{
  if (self->loaded == !!loaded)
    return;

  self->loaded = !!loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
pochta_message_web_view_apply_filter (PochtaMessageWebView *self)
{
  if (self->allow_remote)
    {
      webkit_user_content_manager_remove_all_filters (self->content_manager);
      self->filter_applied = FALSE;
    }
  else if (remote_filter != NULL && !self->filter_applied)
    {
      webkit_user_content_manager_add_filter (self->content_manager, remote_filter);
      self->filter_applied = TRUE;
    }
}

static void
remote_filter_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&remote_filter_waiters);

  remote_filter_compiling = FALSE;
  remote_filter = webkit_user_content_filter_store_save_finish (WEBKIT_USER_CONTENT_FILTER_STORE (object),
                                                                result, &error);
  if (remote_filter == NULL)
    {
      /* Without the filter nothing would stop remote loads: such views
       * show the message as text instead (see _load). */
      g_warning ("Cannot compile the remote content filter: %s", error->message);
      remote_filter_failed = TRUE;
    }

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      g_autoptr(PochtaMessageWebView) self = g_weak_ref_get (waiters->pdata[i]);

      if (self == NULL)
        continue;

      self->waiting_for_filter = FALSE;
      pochta_message_web_view_apply_filter (self);
      pochta_message_web_view_load (self);
    }
}

static void
weak_ref_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Returns TRUE when the filter is ready (or failed for good). */
static gboolean
pochta_message_web_view_ensure_filter (PochtaMessageWebView *self)
{
  g_autoptr(WebKitUserContentFilterStore) store = NULL;
  g_autoptr(GBytes) rules = NULL;
  g_autofree char *path = NULL;
  GWeakRef *ref;

  if (remote_filter != NULL || remote_filter_failed)
    return TRUE;

  if (!self->waiting_for_filter)
    {
      if (remote_filter_waiters == NULL)
        remote_filter_waiters = g_ptr_array_new_with_free_func (weak_ref_free);
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, self);
      g_ptr_array_add (remote_filter_waiters, ref);
      self->waiting_for_filter = TRUE;
    }

  if (remote_filter_compiling)
    return FALSE;

  remote_filter_compiling = TRUE;
  path = g_build_filename (g_get_user_cache_dir (), "pochta", "content-filters", NULL);
  store = webkit_user_content_filter_store_new (path);
  rules = g_bytes_new_static (block_remote_rules, strlen (block_remote_rules));
  webkit_user_content_filter_store_save (store, FILTER_ID, rules, NULL,
                                         remote_filter_saved_cb, NULL);

  return FALSE;
}

static void
cid_scheme_request_cb (WebKitURISchemeRequest *request,
                       gpointer                user_data)
{
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  PochtaMessageWebView *self = NULL;
  PochtaMessagePart *part = NULL;
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;

  if (web_view != NULL)
    self = g_object_get_qdata (G_OBJECT (web_view), web_view_owner_quark ());

  if (self != NULL && self->message != NULL)
    part = pochta_message_lookup_cid (self->message, uri);

  if (part == NULL)
    {
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The message has no part “%s”"), uri);
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  content = pochta_message_part_get_content (part, &error);
  if (content == NULL)
    {
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  g_ptr_array_insert (self->served_cids, self->served_cids->len - 1, g_strdup (uri));

  stream = g_memory_input_stream_new_from_bytes (content);
  webkit_uri_scheme_request_finish (request, stream, g_bytes_get_size (content),
                                    pochta_message_part_get_mime_type (part));
}

static void
pochta_message_web_view_set_hovered_link (PochtaMessageWebView *self,
                                          const char           *uri)
{
  if (g_strcmp0 (self->hovered_link, uri) == 0)
    return;

  g_free (self->hovered_link);
  self->hovered_link = g_strdup (uri);

  gtk_label_set_text (self->link_label, uri != NULL ? uri : "");
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), uri != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVERED_LINK]);
}

static void
mouse_target_changed_cb (PochtaMessageWebView *self,
                         WebKitHitTestResult  *hit,
                         guint                 modifiers,
                         WebKitWebView        *web_view)
{
  /* The status line shows where a link really goes, whatever its text says. */
  if (webkit_hit_test_result_context_is_link (hit))
    pochta_message_web_view_set_hovered_link (self, webkit_hit_test_result_get_link_uri (hit));
  else
    pochta_message_web_view_set_hovered_link (self, NULL);
}

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    g_warning ("Cannot open a link: %s", error->message);
}

static void
pochta_message_web_view_open_link (PochtaMessageWebView *self,
                                   const char           *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  /* Only what a browser or mail composer should handle; never file: or
   * custom handlers a message could use to start a program. */
  if (scheme == NULL
      || !(g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0
           || g_ascii_strcasecmp (scheme, "mailto") == 0))
    {
      g_message ("Not opening a link with scheme %s", scheme != NULL ? scheme : "(none)");
      return;
    }

  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME,
                     NULL, show_uri_cb, NULL);
}

static gboolean
decide_policy_cb (PochtaMessageWebView     *self,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  WebKitWebView            *web_view)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    {
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  /* The document load_html() starts, and jumps to an anchor inside it. */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION
      && (g_strcmp0 (uri, "about:blank") == 0 || g_str_has_prefix (uri, "about:blank#")))
    {
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  /* Everything else leaves the message: only a click may do that, and
   * then in the browser. Meta refreshes and forms go nowhere. */
  if (webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED
      && webkit_navigation_action_is_user_gesture (action))
    pochta_message_web_view_open_link (self, uri);

  webkit_policy_decision_ignore (decision);
  return TRUE;
}

static void
load_changed_cb (PochtaMessageWebView *self,
                 WebKitLoadEvent       event,
                 WebKitWebView        *web_view)
{
  if (event == WEBKIT_LOAD_FINISHED && self->message != NULL)
    pochta_message_web_view_set_loaded (self, TRUE);
}

static gboolean
context_menu_cb (PochtaMessageWebView *self,
                 WebKitContextMenu    *menu,
                 WebKitHitTestResult  *hit,
                 WebKitWebView        *web_view)
{
  GList *items = g_list_copy (webkit_context_menu_get_items (menu));

  /* Copying is all a message needs; the rest would navigate the view. */
  for (const GList *iter = items; iter != NULL; iter = iter->next)
    {
      WebKitContextMenuItem *item = iter->data;

      switch ((int) webkit_context_menu_item_get_stock_action (item))
        {
        case WEBKIT_CONTEXT_MENU_ACTION_COPY:
        case WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD:
        case WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_TO_CLIPBOARD:
        case WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL:
          break;
        default:
          webkit_context_menu_remove (menu, item);
          break;
        }
    }
  g_list_free (items);

  return webkit_context_menu_get_n_items (menu) == 0;
}

static void
web_process_terminated_cb (PochtaMessageWebView              *self,
                           WebKitWebProcessTerminationReason  reason,
                           WebKitWebView                     *web_view)
{
  g_warning ("The web process showing a message ended (reason %d)", (int) reason);
}

static WebKitSettings *
create_settings (void)
{
  WebKitSettings *settings = webkit_settings_new ();

  webkit_settings_set_enable_javascript (settings, FALSE);
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit_settings_set_auto_load_images (settings, TRUE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_webgl (settings, FALSE);
  webkit_settings_set_enable_webaudio (settings, FALSE);
  webkit_settings_set_enable_media (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, FALSE);
  webkit_settings_set_allow_file_access_from_file_urls (settings, FALSE);
  webkit_settings_set_allow_universal_access_from_file_urls (settings, FALSE);

  return settings;
}

static void
pochta_message_web_view_load (PochtaMessageWebView *self)
{
  const char *html;

  pochta_message_web_view_set_loaded (self, FALSE);

  if (self->message == NULL)
    {
      webkit_web_view_load_html (self->web_view, "", "about:blank");
      return;
    }

  if (!self->allow_remote && !pochta_message_web_view_ensure_filter (self))
    return;

  pochta_message_web_view_apply_filter (self);

  html = pochta_message_get_text_html (self->message);
  if (!self->allow_remote && remote_filter == NULL)
    {
      g_autofree char *text = pochta_message_html_to_text (html != NULL ? html : "", -1);

      webkit_web_view_load_plain_text (self->web_view, text);
      return;
    }

  webkit_web_view_load_html (self->web_view, html != NULL ? html : "", "about:blank");
}

void
pochta_message_web_view_set_message (PochtaMessageWebView *self,
                                     PochtaMessage        *message,
                                     gboolean              allow_remote)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self));
  g_return_if_fail (message == NULL || POCHTA_IS_MESSAGE (message));

  g_set_object (&self->message, message);
  g_ptr_array_set_size (self->served_cids, 0);
  g_ptr_array_add (self->served_cids, NULL);
  pochta_message_web_view_set_hovered_link (self, NULL);

  if (self->allow_remote != !!allow_remote)
    {
      self->allow_remote = !!allow_remote;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_REMOTE]);
    }

  pochta_message_web_view_load (self);
}

void
pochta_message_web_view_clear (PochtaMessageWebView *self)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self));

  pochta_message_web_view_set_message (self, NULL, FALSE);
}

PochtaMessage *
pochta_message_web_view_get_message (PochtaMessageWebView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self), NULL);

  return self->message;
}

void
pochta_message_web_view_set_allow_remote (PochtaMessageWebView *self,
                                          gboolean              allow_remote)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self));

  if (self->allow_remote == !!allow_remote)
    return;

  self->allow_remote = !!allow_remote;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_REMOTE]);

  if (self->message != NULL)
    pochta_message_web_view_load (self);
}

gboolean
pochta_message_web_view_get_allow_remote (PochtaMessageWebView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self), FALSE);

  return self->allow_remote;
}

/* Whether the current message finished loading (images included). */
gboolean
pochta_message_web_view_get_loaded (PochtaMessageWebView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self), FALSE);

  return self->loaded;
}

/* The cid: URLs served to the current message, in the order asked. */
const char * const *
pochta_message_web_view_get_served_cids (PochtaMessageWebView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self), NULL);

  return (const char * const *) self->served_cids->pdata;
}

const char *
pochta_message_web_view_get_hovered_link (PochtaMessageWebView *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_WEB_VIEW (self), NULL);

  return self->hovered_link;
}

static void
pochta_message_web_view_dispose (GObject *object)
{
  PochtaMessageWebView *self = (PochtaMessageWebView *)object;

  if (self->web_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->web_view, self);
      g_object_set_qdata (G_OBJECT (self->web_view), web_view_owner_quark (), NULL);
    }
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  self->web_view = NULL;
  self->link_label = NULL;
  g_clear_object (&self->content_manager);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (pochta_message_web_view_parent_class)->dispose (object);
}

static void
pochta_message_web_view_finalize (GObject *object)
{
  PochtaMessageWebView *self = (PochtaMessageWebView *)object;

  g_clear_pointer (&self->served_cids, g_ptr_array_unref);
  g_clear_pointer (&self->hovered_link, g_free);

  G_OBJECT_CLASS (pochta_message_web_view_parent_class)->finalize (object);
}

static void
pochta_message_web_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PochtaMessageWebView *self = POCHTA_MESSAGE_WEB_VIEW (object);

  switch (prop_id)
    {
    case PROP_ALLOW_REMOTE:
      g_value_set_boolean (value, self->allow_remote);
      break;

    case PROP_HOVERED_LINK:
      g_value_set_string (value, self->hovered_link);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_SERVED_CIDS:
      g_value_set_boxed (value, self->served_cids->pdata);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_web_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PochtaMessageWebView *self = POCHTA_MESSAGE_WEB_VIEW (object);

  switch (prop_id)
    {
    case PROP_ALLOW_REMOTE:
      pochta_message_web_view_set_allow_remote (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_message_web_view_class_init (PochtaMessageWebViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_message_web_view_dispose;
  object_class->finalize = pochta_message_web_view_finalize;
  object_class->get_property = pochta_message_web_view_get_property;
  object_class->set_property = pochta_message_web_view_set_property;

  properties[PROP_ALLOW_REMOTE] =
    g_param_spec_boolean ("allow-remote", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVERED_LINK] =
    g_param_spec_string ("hovered-link", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* For the program and its tests, which only reach this type through
   * GObject: see pochta-web-view-module.h. */
  properties[PROP_SERVED_CIDS] =
    g_param_spec_boxed ("served-cids", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagewebview");
}

static void
pochta_message_web_view_init (PochtaMessageWebView *self)
{
  g_autoptr(WebKitSettings) settings = create_settings ();
  g_autoptr(WebKitUserStyleSheet) style = NULL;

  if (!cid_scheme_registered)
    {
      /* Registered once, on the context every message view shares; the
       * request says which view asked. */
      webkit_web_context_register_uri_scheme (webkit_web_context_get_default (), "cid",
                                              cid_scheme_request_cb, NULL, NULL);
      cid_scheme_registered = TRUE;
    }

  /* No cookies, cache or storage left on disk by what a message loads. */
  if (message_session == NULL)
    message_session = webkit_network_session_new_ephemeral ();

  self->served_cids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->served_cids, NULL);

  self->content_manager = webkit_user_content_manager_new ();
  style = webkit_user_style_sheet_new (message_style,
                                       WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                       WEBKIT_USER_STYLE_LEVEL_USER,
                                       NULL, NULL);
  webkit_user_content_manager_add_style_sheet (self->content_manager, style);

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", message_session,
                                 "user-content-manager", self->content_manager,
                                 "settings", settings,
                                 "hexpand", TRUE,
                                 "vexpand", TRUE,
                                 NULL);
  g_object_set_qdata (G_OBJECT (self->web_view), web_view_owner_quark (), self);

  g_signal_connect_object (self->web_view, "decide-policy",
                           G_CALLBACK (decide_policy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "mouse-target-changed",
                           G_CALLBACK (mouse_target_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (load_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "context-menu",
                           G_CALLBACK (context_menu_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (web_process_terminated_cb), self, G_CONNECT_SWAPPED);

  self->link_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->link_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (self->link_label, 0.0);
  gtk_widget_set_halign (GTK_WIDGET (self->link_label), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self->link_label), GTK_ALIGN_END);
  gtk_widget_set_can_target (GTK_WIDGET (self->link_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_label), "link-target");

  self->overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->web_view));
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->link_label));
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));
}

GtkWidget *
pochta_message_web_view_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_WEB_VIEW, NULL);
}

static void
module_set_message (GtkWidget     *view,
                    PochtaMessage *message,
                    gboolean       allow_remote)
{
  pochta_message_web_view_set_message (POCHTA_MESSAGE_WEB_VIEW (view), message, allow_remote);
}

static void
module_set_allow_remote (GtkWidget *view,
                         gboolean   allow_remote)
{
  pochta_message_web_view_set_allow_remote (POCHTA_MESSAGE_WEB_VIEW (view), allow_remote);
}

static void
module_clear (GtkWidget *view)
{
  pochta_message_web_view_clear (POCHTA_MESSAGE_WEB_VIEW (view));
}

G_MODULE_EXPORT const PochtaWebViewModule *pochta_web_view_module_get (void);

/* The module's entry point (POCHTA_WEB_VIEW_MODULE_ENTRY). */
G_MODULE_EXPORT const PochtaWebViewModule *
pochta_web_view_module_get (void)
{
  static const PochtaWebViewModule table = {
    .version = POCHTA_WEB_VIEW_MODULE_VERSION,
    .new_view = pochta_message_web_view_new,
    .set_message = module_set_message,
    .set_allow_remote = module_set_allow_remote,
    .clear = module_clear,
  };

  return &table;
}
