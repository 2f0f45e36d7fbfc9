-- 0003-messages-without-body.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Background body fetching asks, batch after batch, for a folder's newest
-- messages that have no body yet. Through messages_folder_date that walk
-- stepped over every row that already had one (45-90 ms a batch in a
-- folder of 100,000); this index holds only the rows still waiting, in
-- the same order, and shrinks as bodies arrive.

CREATE INDEX messages_without_body ON messages (folder_id, internal_date DESC, id DESC)
  WHERE body_id IS NULL;
