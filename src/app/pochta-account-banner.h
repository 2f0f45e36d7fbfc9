/* pochta-account-banner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar above the message list when an account needs the person: a password, a certificate.
 */

#pragma once

#include <gtk/gtk.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_ACCOUNT_BANNER (pochta_account_banner_get_type ())

G_DECLARE_FINAL_TYPE (PochtaAccountBanner, pochta_account_banner, POCHTA, ACCOUNT_BANNER, GtkWidget)

GtkWidget     *pochta_account_banner_new          (PochtaService       *service,
                                                   PochtaAccount       *account);
PochtaAccount *pochta_account_banner_get_account  (PochtaAccountBanner *self);
gboolean       pochta_account_banner_get_revealed (PochtaAccountBanner *self);
const char    *pochta_account_banner_get_text     (PochtaAccountBanner *self);
GtkButton     *pochta_account_banner_get_button   (PochtaAccountBanner *self);

G_END_DECLS
