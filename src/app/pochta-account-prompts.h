/* pochta-account-prompts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialogs an account's trouble leads to: enter a password, judge a certificate.
 */

#pragma once

#include <adwaita.h>

#include "pochta-core.h"

G_BEGIN_DECLS

AdwMessageDialog *pochta_password_prompt_new     (GtkWindow             *parent,
                                                  PochtaService         *service,
                                                  PochtaAccount         *account);
AdwMessageDialog *pochta_certificate_prompt_new  (GtkWindow             *parent,
                                                  PochtaService         *service,
                                                  PochtaAccount         *account);
GtkWidget        *pochta_certificate_details_new (PochtaCertificateInfo *info);

G_END_DECLS
