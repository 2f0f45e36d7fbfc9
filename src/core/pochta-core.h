/* pochta-core.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one header that code outside src/core includes.
 */

#pragma once

#define POCHTA_CORE_INSIDE

#include "pochta-types.h"
#include "pochta-debug.h"
#include "pochta-process.h"
#include "pochta-profile.h"

#include "pochta-account-error.h"
#include "pochta-account-session.h"
#include "pochta-account-repository.h"
#include "pochta-account.h"
#include "pochta-address.h"
#include "pochta-attachment-name.h"
#include "pochta-backoff.h"
#include "pochta-certificate-info.h"
#include "pochta-charset.h"
#include "pochta-connection.h"
#include "pochta-folder-sync.h"
#include "pochta-folder-tree.h"
#include "pochta-folder.h"
#include "pochta-imap-body-structure.h"
#include "pochta-imap-capabilities.h"
#include "pochta-imap-command.h"
#include "pochta-imap-data.h"
#include "pochta-imap-envelope.h"
#include "pochta-imap-client.h"
#include "pochta-imap-error.h"
#include "pochta-imap-fetch.h"
#include "pochta-imap-parser.h"
#include "pochta-imap-response.h"
#include "pochta-imap-sequence-set.h"
#include "pochta-imap-utf7.h"
#include "pochta-identity.h"
#include "pochta-idle-watcher.h"
#include "pochta-imap-open.h"
#include "pochta-line-reader.h"
#include "pochta-message-list-model.h"
#include "pochta-message-parser.h"
#include "pochta-message-part.h"
#include "pochta-message-summary.h"
#include "pochta-message-text.h"
#include "pochta-message.h"
#include "pochta-mime-error.h"
#include "pochta-mime.h"
#include "pochta-net-error.h"
#include "pochta-offline-ops.h"
#include "pochta-pop3-error.h"
#include "pochta-secret.h"
#include "pochta-server-config.h"
#include "pochta-service-error.h"
#include "pochta-service.h"
#include "pochta-smtp-error.h"
#include "pochta-sqlite.h"
#include "pochta-store-changes.h"
#include "pochta-store-error.h"
#include "pochta-store-records.h"
#include "pochta-store-transaction.h"
#include "pochta-store.h"
#include "pochta-sync-error.h"
#include "pochta-trace.h"

#undef POCHTA_CORE_INSIDE
