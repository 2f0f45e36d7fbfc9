-- 0001-initial.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The first schema of the mail cache: accounts, folders, messages, bodies,
-- attachments, the offline queue, the outbox and the full-text index.
--
-- Enumerations are stored as integers; their values are the C enums of
-- pochta-store-records.h and must never be renumbered.

-- One row. change_seq grows with every committed write batch, so a reader
-- knows exactly which announced changes its snapshot already contains.
CREATE TABLE store_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  change_seq  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO store_state (id, change_seq) VALUES (1, 0);

CREATE TABLE accounts (
  id                      INTEGER PRIMARY KEY,
  display_name            TEXT NOT NULL,
  position                INTEGER NOT NULL DEFAULT 0,
  -- incoming: 'imap' or 'pop3'; tls: 0 none, 1 STARTTLS, 2 implicit
  incoming_protocol       TEXT NOT NULL DEFAULT 'imap' CHECK (incoming_protocol IN ('imap', 'pop3')),
  incoming_host           TEXT NOT NULL DEFAULT '',
  incoming_port           INTEGER NOT NULL DEFAULT 993,
  incoming_tls            INTEGER NOT NULL DEFAULT 2,
  incoming_user           TEXT NOT NULL DEFAULT '',
  incoming_auth           TEXT,
  incoming_pin            TEXT,
  allow_insecure          INTEGER NOT NULL DEFAULT 0,
  smtp_host               TEXT,
  smtp_port               INTEGER NOT NULL DEFAULT 465,
  smtp_tls                INTEGER NOT NULL DEFAULT 2,
  smtp_user               TEXT,
  smtp_auth               TEXT,
  smtp_pin                TEXT,
  -- sync policy
  poll_interval           INTEGER NOT NULL DEFAULT 300,
  body_days               INTEGER NOT NULL DEFAULT 30,
  body_size_limit         INTEGER NOT NULL DEFAULT 1048576,
  folders_selection       TEXT NOT NULL DEFAULT 'subscribed',
  pop3_leave_on_server    INTEGER NOT NULL DEFAULT 1,
  pop3_delete_after_days  INTEGER NOT NULL DEFAULT 0,
  -- account state the UI shows: 0 ok, 1 needs password, 2 disabled
  state                   INTEGER NOT NULL DEFAULT 0,
  created                 INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

CREATE TABLE identities (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        TEXT,
  address     TEXT NOT NULL,
  reply_to    TEXT,
  signature   TEXT,
  is_default  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX identities_account ON identities (account_id);

CREATE TABLE folders (
  id             INTEGER PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,       -- UTF-8, for display
  raw_name       TEXT NOT NULL,       -- as the server names it (modified UTF-7 for IMAP)
  delimiter      TEXT,
  parent_id      INTEGER REFERENCES folders (id) ON DELETE CASCADE,
  -- 0 none, 1 inbox, 2 sent, 3 drafts, 4 trash, 5 junk, 6 archive, 7 all, 8 flagged
  role           INTEGER NOT NULL DEFAULT 0,
  attributes     TEXT,                -- LIST attributes, space separated
  uidvalidity    INTEGER NOT NULL DEFAULT 0,
  uidnext        INTEGER NOT NULL DEFAULT 0,
  highestmodseq  INTEGER NOT NULL DEFAULT 0,
  unread_count   INTEGER NOT NULL DEFAULT 0,  -- kept by the triggers below
  total_count    INTEGER NOT NULL DEFAULT 0,
  subscribed     INTEGER NOT NULL DEFAULT 1,
  -- 0 never synced, 1 headers in progress, 2 synced
  sync_state     INTEGER NOT NULL DEFAULT 0,
  last_sync      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, raw_name)
);
CREATE INDEX folders_parent ON folders (parent_id);

-- Raw RFC 5322 bytes, content addressed: copies of one message in several
-- folders share a row, and the last message to let go of it deletes it.
CREATE TABLE bodies (
  id      INTEGER PRIMARY KEY,
  sha256  TEXT NOT NULL UNIQUE,
  size    INTEGER NOT NULL,
  raw     BLOB NOT NULL
);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  folder_id        INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uid              INTEGER NOT NULL,
  flags            INTEGER NOT NULL DEFAULT 0,   -- PochtaMessageFlags bits
  keywords         TEXT,                         -- other IMAP keywords, space separated
  modseq           INTEGER NOT NULL DEFAULT 0,
  internal_date    INTEGER NOT NULL DEFAULT 0,   -- Unix time, UTC
  size             INTEGER NOT NULL DEFAULT 0,
  date             INTEGER,                      -- the Date: header, Unix time
  subject          TEXT,
  from_name        TEXT,
  from_addr        TEXT,
  to_addrs         TEXT,                         -- RFC 5322 address lists, decoded
  cc_addrs         TEXT,
  message_id       TEXT,
  in_reply_to      TEXT,
  refs             TEXT,                         -- the References: header
  thread_id        INTEGER,
  has_attachments  INTEGER NOT NULL DEFAULT 0,
  preview          TEXT,
  body_state       INTEGER NOT NULL DEFAULT 0,   -- 0 none, 1 partial, 2 complete
  body_id          INTEGER REFERENCES bodies (id),
  UNIQUE (folder_id, uid)
);
-- The message list: newest first within a folder, id breaking ties.
CREATE INDEX messages_folder_date ON messages (folder_id, internal_date DESC, id DESC);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_thread ON messages (thread_id);
CREATE INDEX messages_body ON messages (body_id) WHERE body_id IS NOT NULL;

CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  message_id    INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  part          TEXT NOT NULL,        -- IMAP section, e.g. "2.1"
  filename      TEXT,
  mime_type     TEXT NOT NULL DEFAULT 'application/octet-stream',
  size          INTEGER NOT NULL DEFAULT 0,
  content_id    TEXT,
  inline        INTEGER NOT NULL DEFAULT 0,
  content_hash  TEXT,                 -- sha256 of the decoded content once saved
  UNIQUE (message_id, part)
);

-- The offline queue: id order is replay order.
CREATE TABLE pending_ops (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL DEFAULT '',
  created     INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT
);
CREATE INDEX pending_ops_account ON pending_ops (account_id, id);

CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  raw         BLOB NOT NULL,
  state       INTEGER NOT NULL DEFAULT 0,   -- 0 queued, 1 sending, 2 failed, 3 sent
  error       TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  created     INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

-- Full-text index, rowid = messages.id. It keeps its own copy of the text
-- (SQLite 3.40 has no contentless delete), which is what lets the triggers
-- below delete and update rows by id alone.
--
-- There is deliberately no AFTER INSERT trigger: a trigger makes every
-- INSERT keep a statement journal, which made header sync five times
-- slower. pochta_store_transaction_add_messages() writes the FTS row and
-- the folder counts itself, in the same transaction; every insert into
-- messages must go through it.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  subject, addresses, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_after_delete AFTER DELETE ON messages
BEGIN
  DELETE FROM messages_fts WHERE rowid = OLD.id;
  UPDATE folders
    SET total_count = total_count - 1,
        unread_count = unread_count - ((OLD.flags & 9) = 0)
    WHERE id = OLD.folder_id;
  DELETE FROM bodies
    WHERE id = OLD.body_id
      AND NOT EXISTS (SELECT 1 FROM messages WHERE body_id = OLD.body_id);
END;

CREATE TRIGGER messages_after_update_text
AFTER UPDATE OF subject, from_name, from_addr, to_addrs, cc_addrs ON messages
BEGIN
  UPDATE messages_fts
    SET subject = NEW.subject,
        addresses = coalesce (NEW.from_name, '') || ' ' || coalesce (NEW.from_addr, '') || ' ' ||
                    coalesce (NEW.to_addrs, '') || ' ' || coalesce (NEW.cc_addrs, '')
    WHERE rowid = NEW.id;
END;

-- Unread means neither \Seen (1) nor \Deleted (8).
CREATE TRIGGER messages_after_update_counts
AFTER UPDATE OF flags, folder_id ON messages
WHEN ((OLD.flags & 9) = 0) != ((NEW.flags & 9) = 0) OR OLD.folder_id != NEW.folder_id
BEGIN
  UPDATE folders
    SET total_count = total_count - 1,
        unread_count = unread_count - ((OLD.flags & 9) = 0)
    WHERE id = OLD.folder_id;
  UPDATE folders
    SET total_count = total_count + 1,
        unread_count = unread_count + ((NEW.flags & 9) = 0)
    WHERE id = NEW.folder_id;
END;

CREATE TRIGGER messages_after_update_body
AFTER UPDATE OF body_id ON messages
WHEN OLD.body_id IS NOT NULL AND OLD.body_id IS NOT NEW.body_id
BEGIN
  DELETE FROM bodies
    WHERE id = OLD.body_id
      AND NOT EXISTS (SELECT 1 FROM messages WHERE body_id = OLD.body_id);
END;
