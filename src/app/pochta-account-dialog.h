/* pochta-account-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Account: the servers by hand, a connection test that says what failed, then Add.
 */

#pragma once

#include <adwaita.h>

#include "pochta-core.h"

G_BEGIN_DECLS

#define POCHTA_TYPE_ACCOUNT_DIALOG (pochta_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PochtaAccountDialog, pochta_account_dialog, POCHTA, ACCOUNT_DIALOG, AdwWindow)

GtkWidget     *pochta_account_dialog_new            (GtkWindow           *parent,
                                                     PochtaService       *service);
void           pochta_account_dialog_set_field      (PochtaAccountDialog *self,
                                                     const char          *field,
                                                     const char          *value);
PochtaAccount *pochta_account_dialog_build_account  (PochtaAccountDialog *self,
                                                     GError             **error);
void           pochta_account_dialog_test           (PochtaAccountDialog *self);
void           pochta_account_dialog_add            (PochtaAccountDialog *self);
const char    *pochta_account_dialog_get_status     (PochtaAccountDialog *self);
gboolean       pochta_account_dialog_get_busy       (PochtaAccountDialog *self);

G_END_DECLS
