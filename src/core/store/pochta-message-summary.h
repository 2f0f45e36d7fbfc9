/* pochta-message-summary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cached message's list-level data (envelope, flags, preview), as handed to the service and UI.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "pochta-store-records.h"
#include "pochta-types.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_MESSAGE_SUMMARY (pochta_message_summary_get_type ())

G_DECLARE_FINAL_TYPE (PochtaMessageSummary, pochta_message_summary, POCHTA, MESSAGE_SUMMARY, GObject)

gint64              pochta_message_summary_get_id              (PochtaMessageSummary *self);
gint64              pochta_message_summary_get_folder_id       (PochtaMessageSummary *self);
guint32             pochta_message_summary_get_uid             (PochtaMessageSummary *self);
PochtaMessageFlags  pochta_message_summary_get_flags           (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_keywords        (PochtaMessageSummary *self);
guint64             pochta_message_summary_get_modseq          (PochtaMessageSummary *self);
gint64              pochta_message_summary_get_internal_date   (PochtaMessageSummary *self);
guint64             pochta_message_summary_get_size            (PochtaMessageSummary *self);
gint64              pochta_message_summary_get_date            (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_subject         (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_from_name       (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_from_address    (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_to              (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_cc              (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_message_id      (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_in_reply_to     (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_references      (PochtaMessageSummary *self);
gint64              pochta_message_summary_get_thread_id       (PochtaMessageSummary *self);
gboolean            pochta_message_summary_get_has_attachments (PochtaMessageSummary *self);
const char         *pochta_message_summary_get_preview         (PochtaMessageSummary *self);
PochtaBodyState     pochta_message_summary_get_body_state      (PochtaMessageSummary *self);
gboolean            pochta_message_summary_get_unread          (PochtaMessageSummary *self);
gboolean            pochta_message_summary_get_flagged         (PochtaMessageSummary *self);

G_END_DECLS
