-- Channels that asked for scheduled posts, one row per (platform, workspace, channel, kind).
CREATE TABLE subscriptions (
    id             INTEGER PRIMARY KEY,
    platform       TEXT    NOT NULL,
    workspace      TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('digest', 'onthisday')),
    local_time     TEXT    NOT NULL, -- HH:MM in the channel's zone
    time_zone      TEXT    NOT NULL, -- IANA name
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    failing_since  TEXT,
    failure_reason TEXT,
    UNIQUE (platform, workspace, channel, kind)
);

-- The outbox: a post is written here before it is sent, so a crash between any two steps loses
-- nothing, and the unique key makes "the digest of that day for that channel" exist once.
CREATE TABLE deliveries (
    id                  INTEGER PRIMARY KEY,
    subscription_id     INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    local_date          TEXT    NOT NULL, -- YYYY-MM-DD in the subscription's zone
    status              TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    message             TEXT,             -- the composed message as JSON; fixed once written
    spotlight           TEXT,             -- slug featured by a digest, for the rotation
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT,
    last_attempt_at     TEXT,
    last_error          TEXT,
    platform_message_id TEXT,
    created_at          TEXT    NOT NULL,
    sent_at             TEXT,
    UNIQUE (subscription_id, local_date)
);
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at);
