-- Inbound events already taken in (event ids, message keys), so a delivery repeated after a restart is
-- not answered twice. Each row is kept until expires_at; expired rows are deleted as new ones arrive.
CREATE TABLE seen_events (
    platform   TEXT NOT NULL,
    key        TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (platform, key)
) WITHOUT ROWID;
CREATE INDEX ix_seen_events_expires_at ON seen_events (expires_at);
