-- The team owns the content: seeds fill the store, but an incident anyone else wrote is theirs.
ALTER TABLE incidents ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
-- 1 once an import, the CLI or chat wrote the incident: seed files never overwrite it after that.
ALTER TABLE incidents ADD COLUMN team_owned INTEGER NOT NULL DEFAULT 0;
-- Hash of the last seed document that differed from the team's version: each new one is reported once.
ALTER TABLE incidents ADD COLUMN seed_noticed_hash TEXT;

-- Removed incidents keep their document, so they can be restored and seeds do not bring them back.
CREATE TABLE removed_incidents (
    slug       TEXT PRIMARY KEY,
    document   TEXT NOT NULL,
    team_owned INTEGER NOT NULL,
    removed_at TEXT NOT NULL
);

-- The audit log: who changed what, when and from where. Undo reads it back.
CREATE TABLE incident_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL,
    action          TEXT NOT NULL, -- add, update, edit, event, source, fact, remove, restore, undo
    source          TEXT NOT NULL, -- seed, import, chat, cli
    platform        TEXT,
    workspace       TEXT,
    user_id         TEXT,
    user_name       TEXT,
    at              TEXT NOT NULL,
    before_document TEXT,           -- null when the change created the incident
    after_document  TEXT            -- null when the change removed it
);
CREATE INDEX ix_incident_changes_slug ON incident_changes (slug, id);
