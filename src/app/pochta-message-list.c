/* pochta-message-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message list: a GtkListView over the service's lazy model of a
 * folder, with a GtkMultiSelection (Shift and Ctrl select ranges and
 * single rows) and a context menu on the rows. Nothing here walks the
 * model: rows are bound only as the view asks for them, so a folder of
 * 100,000 messages costs the pages on screen.
 */

#define G_LOG_DOMAIN "pochta-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pochta-context-menu.h"
#include "pochta-message-list.h"
#include "pochta-message-row.h"
#include "pochta-timing.h"

/* GTK 4.8's list view makes some 200 rows for its first frame, whatever
 * its height (GTK 4.12 makes only those in view), and a row costs about
 * a millisecond and a half to bind, measure and draw. Until the first
 * rows of a model are drawn the view sees only this many, more than
 * fill a list 2,000 pixels high; the others follow in the next frame. */
#define FIRST_FRAME_ROWS 50

struct _PochtaMessageList
{
  GtkWidget           parent_instance;

  GListModel         *model;
  GtkSliceListModel  *slice;            /* what the view sees of model */
  GtkMultiSelection  *selection;
  gboolean            show_recipients;

  GMenuModel         *context_menu;
  GtkListView        *list_view;
  GtkStack           *stack;
  GtkWidget          *popover;

  GdkFrameClock      *after_paint_clock;
  gulong              after_paint_handler;

  /* POCHTA_BENCH_SCROLL only (pochta-timing.c): positions bound so far. */
  GtkBitset          *scroll_test_bound;
  guint               scroll_test_tick;
};

G_DEFINE_FINAL_TYPE (PochtaMessageList, pochta_message_list, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pochta_message_list_update_page (PochtaMessageList *self)
{
  const char *page;

  if (self->model == NULL)
    page = "none";
  else if (g_list_model_get_n_items (self->model) == 0)
    page = "empty";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
items_changed_cb (PochtaMessageList *self,
                  guint              position,
                  guint              removed,
                  guint              added,
                  GListModel        *model)
{
  /* Only the empty/non-empty edge changes the page. */
  if (removed == 0 || added == 0)
    pochta_message_list_update_page (self);
}

static void
selection_changed_cb (PochtaMessageList *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
row_popup (PochtaMessageList *self,
           GtkListItem       *item,
           GtkWidget         *row,
           double             x,
           double             y)
{
  guint position = gtk_list_item_get_position (item);
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);

  /* The menu acts on the selection: a row outside it becomes the selection. */
  if (position != GTK_INVALID_LIST_POSITION && !gtk_selection_model_is_selected (selection, position))
    gtk_selection_model_select_item (selection, position, TRUE);

  pochta_context_menu_popup_at (self->popover, row, x, y);
}

static void
row_secondary_pressed_cb (GtkGestureClick *gesture,
                          int              n_press,
                          double           x,
                          double           y,
                          GtkListItem     *item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  PochtaMessageList *self = POCHTA_MESSAGE_LIST (gtk_widget_get_ancestor (row, POCHTA_TYPE_MESSAGE_LIST));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self != NULL)
    row_popup (self, item, row, x, y);
}

static void
row_long_pressed_cb (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     GtkListItem         *item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  PochtaMessageList *self = POCHTA_MESSAGE_LIST (gtk_widget_get_ancestor (row, POCHTA_TYPE_MESSAGE_LIST));

  if (self != NULL)
    row_popup (self, item, row, x, y);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  PochtaMessageList        *self)
{
  GtkWidget *row = pochta_message_row_new ();
  GtkGesture *click;
  GtkGesture *long_press;

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_secondary_pressed_cb), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (row_long_pressed_cb), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (long_press));

  gtk_list_item_set_child (item, row);
}

/* The start-up benchmark's scroll test: a page or a few each frame, so
 * that every row along the way gets bound and drawn, then the program
 * quits. It checks that the last row was bound rather than trusting the
 * adjustment, whose upper bound is an estimate until rows are measured. */
static gboolean
scroll_test_tick_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  PochtaMessageList *self = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - page;
  guint n_items = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  g_autofree char *detail = NULL;

  if (n_items > 0 && (value < bottom || !gtk_bitset_contains (self->scroll_test_bound, n_items - 1)))
    {
      gtk_adjustment_set_value (adjustment, MIN (value + page * pochta_timing_scroll_test_pages (), bottom));
      return G_SOURCE_CONTINUE;
    }

  detail = g_strdup_printf ("%llu of %u rows bound",
                            (unsigned long long) gtk_bitset_get_size (self->scroll_test_bound), n_items);
  pochta_timing_mark_peak_rss ("scrolled to bottom", detail);
  self->scroll_test_tick = 0;
  gtk_widget_activate_action (widget, "app.quit", NULL);

  return G_SOURCE_REMOVE;
}

/* The widget may be unrealized by then, and its clock disposed (which
 * drops the handler), so the clock is kept with the handler. */
static void
pochta_message_list_stop_after_paint (PochtaMessageList *self)
{
  if (self->after_paint_clock != NULL
      && g_signal_handler_is_connected (self->after_paint_clock, self->after_paint_handler))
    g_signal_handler_disconnect (self->after_paint_clock, self->after_paint_handler);
  self->after_paint_handler = 0;
  g_clear_object (&self->after_paint_clock);
}

static gboolean
pochta_message_list_rows_limited (PochtaMessageList *self)
{
  return self->slice != NULL && gtk_slice_list_model_get_size (self->slice) != G_MAXUINT;
}

static void
pochta_message_list_show_all_rows (PochtaMessageList *self)
{
  if (pochta_message_list_rows_limited (self))
    gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
}

static void
after_paint_cb (GdkFrameClock     *clock,
                PochtaMessageList *self)
{
  /* The frame that drew the first bound rows: what the start-up
   * benchmark waits for. */
  pochta_timing_mark_once ("first message rows on screen");
  pochta_message_list_stop_after_paint (self);
  pochta_message_list_show_all_rows (self);

  if (self->scroll_test_bound != NULL && self->scroll_test_tick == 0)
    self->scroll_test_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view),
                                                           scroll_test_tick_cb, self, NULL);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 PochtaMessageList        *self)
{
  PochtaMessageRow *row = POCHTA_MESSAGE_ROW (gtk_list_item_get_child (item));
  GdkFrameClock *clock;

  if (self->after_paint_handler == 0
      && (pochta_message_list_rows_limited (self) || pochta_debug_enabled (POCHTA_DEBUG_TIMING))
      && (clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))) != NULL)
    {
      self->after_paint_clock = g_object_ref (clock);
      self->after_paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
    }

  if (G_UNLIKELY (pochta_timing_scroll_test_pages () > 0))
    {
      if (self->scroll_test_bound == NULL)
        self->scroll_test_bound = gtk_bitset_new_empty ();
      gtk_bitset_add (self->scroll_test_bound, gtk_list_item_get_position (item));
    }

  pochta_message_row_set_show_recipients (row, self->show_recipients);
  pochta_message_row_set_summary (row, gtk_list_item_get_item (item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   PochtaMessageList        *self)
{
  pochta_message_row_set_summary (POCHTA_MESSAGE_ROW (gtk_list_item_get_child (item)), NULL);
}

/**
 * pochta_message_list_set_model:
 * @messages: (nullable): PochtaMessageSummary items, e.g. from
 *   pochta_service_get_messages(); NULL when no folder is selected
 * @show_recipients: name recipients instead of senders (Sent, Drafts)
 */
void
pochta_message_list_set_model (PochtaMessageList *self,
                               GListModel        *messages,
                               gboolean           show_recipients)
{
  g_return_if_fail (POCHTA_IS_MESSAGE_LIST (self));
  g_return_if_fail (messages == NULL || G_IS_LIST_MODEL (messages));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);

  g_set_object (&self->model, messages);
  self->show_recipients = !!show_recipients;

  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  if (messages != NULL)
    self->slice = gtk_slice_list_model_new (g_object_ref (messages), 0, FIRST_FRAME_ROWS);
  self->selection = gtk_multi_selection_new (self->slice != NULL ? g_object_ref (G_LIST_MODEL (self->slice))
                                                                 : NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  if (messages != NULL)
    g_signal_connect_object (messages, "items-changed", G_CALLBACK (items_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);

  pochta_message_list_update_page (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

GListModel *
pochta_message_list_get_model (PochtaMessageList *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), NULL);

  return self->model;
}

GtkSelectionModel *
pochta_message_list_get_selection (PochtaMessageList *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

guint
pochta_message_list_get_n_selected (PochtaMessageList *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), 0);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) gtk_bitset_get_size (selected);
}

/* The selected summaries, in list order; only those rows are loaded. */
GPtrArray *
pochta_message_list_get_selected (PochtaMessageList *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), items);

  if (self->model == NULL)
    return items;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gpointer item = g_list_model_get_item (self->model, position);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  return items;
}

/* The ids (gint64) of the selected messages. */
GArray *
pochta_message_list_get_selected_ids (PochtaMessageList *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), ids);

  selected = pochta_message_list_get_selected (self);
  for (guint i = 0; i < selected->len; i++)
    {
      gint64 id = pochta_message_summary_get_id (selected->pdata[i]);

      g_array_append_val (ids, id);
    }

  return ids;
}

/* The one selected message, or NULL when none or several are. */
PochtaMessageSummary *
pochta_message_list_get_single_selected (PochtaMessageList *self)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), NULL);

  if (pochta_message_list_get_n_selected (self) != 1)
    return NULL;

  selected = pochta_message_list_get_selected (self);
  if (selected->len != 1)
    return NULL;

  return g_object_ref (selected->pdata[0]);
}

/* Selects the row at @position alone (clamped to the last row) and
 * scrolls to it; nothing when the list is empty. */
void
pochta_message_list_select_position (PochtaMessageList *self,
                                     guint              position)
{
  guint n_items;

  g_return_if_fail (POCHTA_IS_MESSAGE_LIST (self));

  if (self->model == NULL || (n_items = g_list_model_get_n_items (self->model)) == 0)
    return;

  position = MIN (position, n_items - 1);
  pochta_message_list_show_all_rows (self);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/**
 * pochta_message_list_select_id:
 * @max_rows: how far down to look
 *
 * Selects the message @id if it is among the first @max_rows rows (new
 * mail is at the top; looking further would load pages for nothing).
 *
 * Returns: whether it was found
 */
gboolean
pochta_message_list_select_id (PochtaMessageList *self,
                               gint64             id,
                               guint              max_rows)
{
  guint n;

  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), FALSE);

  if (self->model == NULL)
    return FALSE;

  n = MIN (max_rows, g_list_model_get_n_items (self->model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PochtaMessageSummary) summary = g_list_model_get_item (self->model, i);

      if (summary != NULL && pochta_message_summary_get_id (summary) == id)
        {
          pochta_message_list_select_position (self, i);
          return TRUE;
        }
    }

  return FALSE;
}

GtkWidget *
pochta_message_list_get_list_view (PochtaMessageList *self)
{
  g_return_val_if_fail (POCHTA_IS_MESSAGE_LIST (self), NULL);

  return GTK_WIDGET (self->list_view);
}

/* Not a GtkBinLayout: the popover is a child too, and must be presented
 * rather than allocated. */
static void
pochta_message_list_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  PochtaMessageList *self = POCHTA_MESSAGE_LIST (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
pochta_message_list_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  PochtaMessageList *self = POCHTA_MESSAGE_LIST (widget);

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
pochta_message_list_dispose (GObject *object)
{
  PochtaMessageList *self = (PochtaMessageList *)object;
  GtkWidget *child;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  pochta_message_list_stop_after_paint (self);
  if (self->scroll_test_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->scroll_test_tick);
  self->scroll_test_tick = 0;
  g_clear_pointer (&self->scroll_test_bound, gtk_bitset_unref);
  g_clear_pointer (&self->popover, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (self), POCHTA_TYPE_MESSAGE_LIST);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (pochta_message_list_parent_class)->dispose (object);
}

static void
pochta_message_list_class_init (PochtaMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pochta_message_list_dispose;

  /**
   * PochtaMessageList::selection-changed:
   *
   * The selected rows changed, or the model was replaced.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pochta-message-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageList, context_menu);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageList, list_view);
  gtk_widget_class_bind_template_child (widget_class, PochtaMessageList, stack);

  widget_class->measure = pochta_message_list_measure;
  widget_class->size_allocate = pochta_message_list_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "messagelist");
}

static void
pochta_message_list_init (PochtaMessageList *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->selection = gtk_multi_selection_new (NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->popover = pochta_context_menu_new (self->context_menu, GTK_WIDGET (self));

  pochta_message_list_update_page (self);
}

GtkWidget *
pochta_message_list_new (void)
{
  return g_object_new (POCHTA_TYPE_MESSAGE_LIST, NULL);
}
