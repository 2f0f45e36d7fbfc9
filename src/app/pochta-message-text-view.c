/* pochta-message-text-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain text message body: read-only, wrapped, with clickable links and
 * each quote level ("> ", "> > ", ...) in its own colour.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pochta-message-text-view.h"

struct _PochtaMessageTextView
{
  GtkTextView  parent_instance;

  GtkTextTag  *link_tag;
  GtkTextTag  *quote_tags[POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS];
  gboolean     pointer_on_link;
};

G_DEFINE_FINAL_TYPE (PochtaMessageTextView, pochta_message_text_view, GTK_TYPE_TEXT_VIEW)

enum {
  ACTIVATE_LINK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Light and dark variants, readable on the view background of each. */
static const char * const quote_colors_light[POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS] = {
  "#1c71d8", "#26a269", "#c64600", "#813d9c",
};
static const char * const quote_colors_dark[POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS] = {
  "#78aeed", "#8ff0a4", "#ffa348", "#dc8add",
};

/**
 * pochta_text_quote_level:
 * @line: one line of a plain text body
 * @length: its length in bytes, or -1 if nul-terminated
 *
 * Counts the quote markers a line starts with: "> text" is 1, ">> text"
 * and "> > text" are 2. Spaces before and between markers are allowed.
 */
guint
pochta_text_quote_level (const char *line,
                         gssize      length)
{
  const char *end;
  guint level = 0;

  g_return_val_if_fail (line != NULL, 0);

  end = line + (length < 0 ? (gssize) strlen (line) : length);
  for (const char *p = line; p < end; p++)
    {
      if (*p == '>')
        level++;
      else if (*p != ' ' && *p != '\t')
        break;
    }

  return level;
}

static GRegex *
link_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled;

      /* What people write in mail: full URLs, bare www. hosts, mailto:.
       * Trailing punctuation is the sentence's, not the link's. */
      compiled = g_regex_new ("\\b(?:(?:https?|ftp)://|mailto:|www\\.)[^\\s<>\"]*[^\\s<>\".,;:!?)\\]}'»”]",
                              G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }

  return regex;
}

static void
pochta_message_text_view_update_colors (PochtaMessageTextView *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char * const *colors = adw_style_manager_get_dark (style) ? quote_colors_dark : quote_colors_light;

  for (guint i = 0; i < POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS; i++)
    g_object_set (self->quote_tags[i], "foreground", colors[i], NULL);
  g_object_set (self->link_tag, "foreground", colors[0], NULL);
}

static void
apply_quote_levels (PochtaMessageTextView *self,
                    GtkTextBuffer         *buffer)
{
  int n_lines = gtk_text_buffer_get_line_count (buffer);

  for (int line = 0; line < n_lines; line++)
    {
      GtkTextIter start;
      GtkTextIter end;
      g_autofree char *text = NULL;
      guint level;

      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      end = start;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);

      text = gtk_text_iter_get_slice (&start, &end);
      level = pochta_text_quote_level (text, -1);
      if (level == 0)
        continue;

      level = MIN (level, POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS);
      gtk_text_buffer_apply_tag (buffer, self->quote_tags[level - 1], &start, &end);
    }
}

static void
apply_links (PochtaMessageTextView *self,
             GtkTextBuffer         *buffer,
             const char            *text)
{
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (link_regex (), text, 0, &match);
  while (g_match_info_matches (match))
    {
      GtkTextIter start;
      GtkTextIter end;
      int start_byte;
      int end_byte;

      g_match_info_fetch_pos (match, 0, &start_byte, &end_byte);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_utf8_pointer_to_offset (text, text + start_byte));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_utf8_pointer_to_offset (text, text + end_byte));
      gtk_text_buffer_apply_tag (buffer, self->link_tag, &start, &end);

      g_match_info_next (match, NULL);
    }
}

void
pochta_message_text_view_set_text (PochtaMessageTextView *self,
                                   const char            *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (POCHTA_IS_MESSAGE_TEXT_VIEW (self));

  if (text == NULL)
    text = "";

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_set_text (buffer, text, -1);

  apply_quote_levels (self, buffer);
  apply_links (self, buffer, text);

  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}

/**
 * pochta_message_text_view_get_link_at:
 *
 * Returns: (transfer full) (nullable): the URI of the link at @iter, with
 *   "http://" added to a bare "www." host
 */
char *
pochta_message_text_view_get_link_at (PochtaMessageTextView *self,
                                      const GtkTextIter     *iter)
{
  GtkTextIter start = *iter;
  GtkTextIter end = *iter;
  g_autofree char *text = NULL;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_TEXT_VIEW (self), NULL);

  if (!gtk_text_iter_has_tag (iter, self->link_tag))
    return NULL;

  if (!gtk_text_iter_starts_tag (&start, self->link_tag))
    gtk_text_iter_backward_to_tag_toggle (&start, self->link_tag);
  gtk_text_iter_forward_to_tag_toggle (&end, self->link_tag);

  text = gtk_text_iter_get_slice (&start, &end);
  if (g_ascii_strncasecmp (text, "www.", 4) == 0)
    return g_strconcat ("http://", text, NULL);

  return g_steal_pointer (&text);
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

static gboolean
pochta_message_text_view_real_activate_link (PochtaMessageTextView *self,
                                             const char            *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME,
                     NULL, show_uri_cb, NULL);

  return TRUE;
}

/* Emits ::activate-link; its default handler opens @uri with the desktop. */
void
pochta_message_text_view_open_link (PochtaMessageTextView *self,
                                    const char            *uri)
{
  gboolean handled = FALSE;

  g_return_if_fail (POCHTA_IS_MESSAGE_TEXT_VIEW (self));
  g_return_if_fail (uri != NULL);

  g_signal_emit (self, signals[ACTIVATE_LINK], 0, uri, &handled);
}

static gboolean
iter_at_point (PochtaMessageTextView *self,
               double                 x,
               double                 y,
               GtkTextIter           *iter)
{
  int bx;
  int by;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);

  return gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self), iter, bx, by);
}

static void
click_released_cb (PochtaMessageTextView *self,
                   int                    n_press,
                   double                 x,
                   double                 y,
                   GtkGestureClick       *gesture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autofree char *uri = NULL;
  GtkTextIter iter;

  /* A drag that selected text across a link is not a click on it. */
  if (n_press != 1 || gtk_text_buffer_get_has_selection (buffer))
    return;

  if (!iter_at_point (self, x, y, &iter))
    return;

  uri = pochta_message_text_view_get_link_at (self, &iter);
  if (uri != NULL)
    pochta_message_text_view_open_link (self, uri);
}

static void
motion_cb (PochtaMessageTextView    *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  GtkTextIter iter;
  gboolean on_link;

  on_link = iter_at_point (self, x, y, &iter) && gtk_text_iter_has_tag (&iter, self->link_tag);
  if (on_link == self->pointer_on_link)
    return;

  self->pointer_on_link = on_link;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), on_link ? "pointer" : "text");
}

static void
pochta_message_text_view_class_init (PochtaMessageTextViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * PochtaMessageTextView::activate-link:
   * @uri: the link's target
   *
   * A link in the text was clicked. Return %TRUE to stop it from being
   * opened with the desktop's handler.
   */
  signals[ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (pochta_message_text_view_real_activate_link),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "textview");
}

static void
pochta_message_text_view_init (PochtaMessageTextView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkGesture *click;
  GtkEventController *motion;

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (view, 18);
  gtk_text_view_set_right_margin (view, 18);
  gtk_text_view_set_top_margin (view, 12);
  gtk_text_view_set_bottom_margin (view, 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "message-text");

  for (guint i = 0; i < POCHTA_MESSAGE_TEXT_VIEW_QUOTE_LEVELS; i++)
    {
      g_autofree char *name = g_strdup_printf ("quote-%u", i + 1);

      self->quote_tags[i] = gtk_text_buffer_create_tag (buffer, name, NULL);
    }
  self->link_tag = gtk_text_buffer_create_tag (buffer, "link",
                                               "underline", PANGO_UNDERLINE_SINGLE,
                                               NULL);

  pochta_message_text_view_update_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (pochta_message_text_view_update_colors), self,
                           G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
pochta_message_text_view_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_TEXT_VIEW, NULL);
}
