-- 0004-bodies-by-message-id.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Bodies were found for deduplication through a UNIQUE index on their
-- SHA-256. Its keys are random, so nearly every body stored dirtied a page
-- of that index of its own: in a full sync of 100,000 messages the WAL
-- took a third more than the bodies themselves, and the sync 5-12% longer.
-- The same body is now looked for among the messages with the same
-- Message-ID (messages_message_id), and the hash only confirms it.
--
-- SQLite cannot drop a UNIQUE constraint, so the table is rebuilt (its
-- documented procedure; the runner turns foreign keys off around it and
-- checks them before committing). The triggers that name bodies go and
-- come back unchanged, so the rename sees no reference to a missing table.

DROP TRIGGER messages_after_delete;
DROP TRIGGER messages_after_update_body;

CREATE TABLE bodies_new (
  id      INTEGER PRIMARY KEY,
  sha256  TEXT NOT NULL,
  size    INTEGER NOT NULL,
  raw     BLOB NOT NULL
);
INSERT INTO bodies_new (id, sha256, size, raw) SELECT id, sha256, size, raw FROM bodies;
DROP TABLE bodies;
ALTER TABLE bodies_new RENAME TO bodies;

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

CREATE TRIGGER messages_after_update_body
AFTER UPDATE OF body_id ON messages
WHEN OLD.body_id IS NOT NULL AND OLD.body_id IS NOT NEW.body_id
BEGIN
  DELETE FROM bodies
    WHERE id = OLD.body_id
      AND NOT EXISTS (SELECT 1 FROM messages WHERE body_id = OLD.body_id);
END;
