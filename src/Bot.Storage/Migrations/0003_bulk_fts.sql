-- New names and passages enter the full-text indexes in one statement at commit (see
-- SqliteIncidentWriter): a trigger per row made FTS5 write and merge a tiny segment for every
-- insert, which dominated bulk imports. Deletes still go through the triggers.
DROP TRIGGER incident_names_ai;
DROP TRIGGER passages_ai;

-- Document counts per trigram, so a typo lookup reads only the rarest posting lists.
CREATE VIRTUAL TABLE incident_names_trigram_vocab USING fts5vocab(incident_names_trigrams, 'row');
