/* pochta-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the window writes dates, sizes and address lists for people.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *pochta_format_list_date        (GDateTime  *date,
                                      GDateTime  *now);
char *pochta_format_full_date        (GDateTime  *date);
char *pochta_format_address_list     (GPtrArray  *addresses);
char *pochta_format_address_names    (const char *header_value);
char *pochta_format_list_date_unix   (gint64      unix_seconds);

G_END_DECLS
