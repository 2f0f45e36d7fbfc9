-- 0002-account-uuid.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Everything a PochtaAccount holds, so that the account repository can
-- save one and load it back unchanged: its stable UUID (the key of its
-- keyring items), the folder list of the 'list' sync policy, the SMTP
-- server's own allow-insecure choice, and the order of the identities.

ALTER TABLE accounts ADD COLUMN uuid TEXT;
-- GVariant text of an 'as' (e.g. ['INBOX', 'Work']), NULL for none: any
-- folder name survives the round trip, and it still reads well in sqlite3.
ALTER TABLE accounts ADD COLUMN sync_folder_list TEXT;
ALTER TABLE accounts ADD COLUMN smtp_allow_insecure INTEGER NOT NULL DEFAULT 0;

-- Accounts written before this migration get a random version 4 UUID,
-- each part from its own randomblob() so that every row differs.
UPDATE accounts SET uuid =
  lower (hex (randomblob (4))) || '-' ||
  lower (hex (randomblob (2))) || '-4' ||
  substr (lower (hex (randomblob (2))), 2) || '-' ||
  substr ('89ab', 1 + (abs (random ()) % 4), 1) ||
  substr (lower (hex (randomblob (2))), 2) || '-' ||
  lower (hex (randomblob (6)))
  WHERE uuid IS NULL;
CREATE UNIQUE INDEX accounts_uuid ON accounts (uuid);

ALTER TABLE identities ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE identities SET position = id;
