-- Incidents as written in the seed files, plus the derived tables that make them searchable.
-- The JSON document is the source of truth; every other table is rebuilt from it on write.
CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    document     TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX ix_incidents_category ON incidents (category, title);
CREATE INDEX ix_incidents_updated_at ON incidents (updated_at);

-- Every name an incident answers to: its slug, title and aliases, normalised for lookup.
CREATE TABLE incident_names (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        INTEGER NOT NULL, -- 0 slug, 1 title, 2 alias: lower wins a tie
    name        TEXT    NOT NULL,
    normalized  TEXT    NOT NULL
);
CREATE INDEX ix_incident_names_normalized ON incident_names (normalized);
CREATE INDEX ix_incident_names_incident ON incident_names (incident_id);

CREATE VIRTUAL TABLE incident_names_words USING fts5 (
    normalized, content = 'incident_names', content_rowid = 'id', tokenize = 'unicode61', prefix = '2 3');
CREATE VIRTUAL TABLE incident_names_trigrams USING fts5 (
    normalized, content = 'incident_names', content_rowid = 'id', tokenize = 'trigram', detail = 'none');

CREATE TRIGGER incident_names_ai AFTER INSERT ON incident_names BEGIN
    INSERT INTO incident_names_words (rowid, normalized) VALUES (new.id, new.normalized);
    INSERT INTO incident_names_trigrams (rowid, normalized) VALUES (new.id, new.normalized);
END;
CREATE TRIGGER incident_names_ad AFTER DELETE ON incident_names BEGIN
    INSERT INTO incident_names_words (incident_names_words, rowid, normalized) VALUES ('delete', old.id, old.normalized);
    INSERT INTO incident_names_trigrams (incident_names_trigrams, rowid, normalized) VALUES ('delete', old.id, old.normalized);
END;

CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    date        TEXT    NOT NULL, -- 2023-02-04, 2022-11 or 2013
    year        INTEGER NOT NULL,
    month       INTEGER,
    day         INTEGER,
    text        TEXT    NOT NULL
);
CREATE INDEX ix_timeline_events_incident ON timeline_events (incident_id);
-- Only day-precise events have anniversaries.
CREATE INDEX ix_timeline_events_day ON timeline_events (month, day) WHERE day IS NOT NULL;

-- Searchable passages: summary, facts, events, quotes, actors. The Q&A engine answers from these.
CREATE TABLE passages (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL, -- title, summary, status, fact, event, quote, actor
    text        TEXT    NOT NULL,
    date        TEXT,             -- events: the partial date
    speaker     TEXT              -- quotes: who said it
);
CREATE INDEX ix_passages_incident ON passages (incident_id);

CREATE VIRTUAL TABLE passages_fts USING fts5 (
    text, content = 'passages', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER passages_au AFTER UPDATE OF text ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO passages_fts (rowid, text) VALUES (new.id, new.text);
END;
