-- PostgreSQL twin of ../0005_seen_events.sql: inbound events already taken in, shared by every instance,
-- so a retry that lands on another instance is not answered twice.
CREATE TABLE seen_events (
    platform   text        NOT NULL,
    key        text        NOT NULL,
    seen_at    timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (platform, key)
);
CREATE INDEX ix_seen_events_expires_at ON seen_events (expires_at);
