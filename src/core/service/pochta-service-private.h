/* pochta-service-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the service's source files share: its accounts and their sessions.
 */

#pragma once

#include "pochta-account-session.h"
#include "pochta-folder-tree.h"
#include "pochta-service.h"

G_BEGIN_DECLS

typedef struct
{
  PochtaService        *service;
  PochtaAccount        *account;
  gint64                store_id;
  PochtaAccountSession *session;
  PochtaFolderTree     *tree;
  guint                 n_pending;
} PochtaServiceAccount;

struct _PochtaService
{
  GObject      parent_instance;

  PochtaStore *store;
  GListStore  *accounts;
  GPtrArray   *entries;          /* PochtaServiceAccount */
  GHashTable  *message_models;   /* folder id → PochtaMessageListModel (weak) */
  gulong       account_changed_handler;
  guint        started : 1;
  guint        shut_down : 1;
};

/* A task made of several parts (one per account): parts pending, and the
 * first error. */
typedef struct
{
  guint   pending;
  GError *error;
} PochtaServiceFanout;

void                  _pochta_service_fanout_free          (PochtaServiceFanout *data);
void                  _pochta_service_fanout_step          (GTask               *task);

PochtaServiceAccount *_pochta_service_add_entry            (PochtaService *self,
                                                            PochtaAccount *account,
                                                            gint64         store_id);
void                  _pochta_service_message_model_gone   (gpointer       data,
                                                            GObject       *where_the_object_was);
PochtaServiceAccount *_pochta_service_lookup_entry         (PochtaService *self,
                                                            PochtaAccount *account);
PochtaServiceAccount *_pochta_service_entry_for_store_id   (PochtaService *self,
                                                            gint64         store_id);
PochtaServiceAccount *_pochta_service_entry_for_folder     (PochtaService *self,
                                                            gint64         folder_id);
PochtaServiceAccount *_pochta_service_entry_for_message    (PochtaService *self,
                                                            gint64         message_id,
                                                            GError       **error);
void                  _pochta_service_update_pending       (PochtaService        *self,
                                                            PochtaServiceAccount *entry);

G_END_DECLS
