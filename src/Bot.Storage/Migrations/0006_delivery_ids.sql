-- A delivery's id is its Discord nonce ("briefing-<id>"). A plain INTEGER PRIMARY KEY gives the
-- highest id out again once its row is gone (unsubscribing deletes the channel's deliveries), and a
-- reused nonce can make Discord answer with the earlier post instead of sending the new one.
-- AUTOINCREMENT never hands an id out twice. SQLite cannot change a key in place, so the table is
-- rebuilt (the Migrator runs scripts with foreign keys off, as that procedure requires).
CREATE TABLE deliveries_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Copying the rows with their ids starts the sequence after the highest id still present.
INSERT INTO deliveries_new (id, subscription_id, local_date, status, message, spotlight, attempts, next_attempt_at,
                            last_attempt_at, last_error, platform_message_id, created_at, sent_at)
SELECT id, subscription_id, local_date, status, message, spotlight, attempts, next_attempt_at,
       last_attempt_at, last_error, platform_message_id, created_at, sent_at
FROM deliveries;

DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at);
