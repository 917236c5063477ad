-- Live posts of new feed items (issue 14): a channel can follow the items of one incident, and each item is
-- posted to a channel once, through the same outbox as the scheduled briefings.
--
-- subscriptions gains the kind 'items' and a topic (the incident's slug; empty for the daily kinds), and a
-- channel may follow several incidents, so the unique key takes the topic in. SQLite cannot change a CHECK or
-- a table's UNIQUE in place, so both tables are rebuilt with their rows and ids (the Migrator runs scripts
-- with foreign keys off, as that procedure requires).
CREATE TABLE subscriptions_new (
    id             INTEGER PRIMARY KEY,
    platform       TEXT    NOT NULL,
    workspace      TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('digest', 'onthisday', 'items')),
    topic          TEXT    NOT NULL DEFAULT '' CHECK ((kind = 'items') = (topic <> '')), -- incident slug of an 'items' subscription
    local_time     TEXT    NOT NULL, -- HH:MM in the channel's zone
    time_zone      TEXT    NOT NULL, -- IANA name
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    failing_since  TEXT,
    failure_reason TEXT,
    paused_since   TEXT,
    pause_reason   TEXT,
    UNIQUE (platform, workspace, channel, kind, topic)
);

INSERT INTO subscriptions_new (id, platform, workspace, channel, kind, local_time, time_zone, created_at, updated_at,
                               failing_since, failure_reason, paused_since, pause_reason)
SELECT id, platform, workspace, channel, kind, local_time, time_zone, created_at, updated_at,
       failing_since, failure_reason, paused_since, pause_reason
FROM subscriptions;

DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;

-- An item post is a delivery with the item's id. "One per subscription and local date" now holds for the
-- daily posts only; an item is posted once per subscription (and the queue checks the channel).
CREATE TABLE deliveries_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id     INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    item_id             INTEGER REFERENCES feed_items (id) ON DELETE CASCADE, -- set for a live item post
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
    sent_at             TEXT
);

INSERT INTO deliveries_new (id, subscription_id, local_date, status, message, spotlight, attempts, next_attempt_at,
                            last_attempt_at, last_error, platform_message_id, created_at, sent_at)
SELECT id, subscription_id, local_date, status, message, spotlight, attempts, next_attempt_at,
       last_attempt_at, last_error, platform_message_id, created_at, sent_at
FROM deliveries;

-- A delivery id is a Discord nonce and must never come back: the new table continues the old sequence, which
-- may be past the highest id still present (unsubscribing deletes deliveries).
INSERT INTO sqlite_sequence (name, seq)
SELECT 'deliveries_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'deliveries_new');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0))
WHERE name = 'deliveries_new';

DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at);
CREATE UNIQUE INDEX ux_deliveries_day ON deliveries (subscription_id, local_date) WHERE item_id IS NULL;
CREATE UNIQUE INDEX ux_deliveries_item ON deliveries (subscription_id, item_id) WHERE item_id IS NOT NULL;
CREATE INDEX ix_deliveries_item ON deliveries (item_id) WHERE item_id IS NOT NULL;
