-- News feeds of each guild or workspace, polled by a hosted service. Feeds that fail say so
-- (last_error, failing_since) and are switched off after a day with the reason kept for /feeds list.
CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY,
    platform             TEXT    NOT NULL,
    workspace            TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    incident_slug        TEXT,             -- every item of the feed is about this incident
    title                TEXT,             -- the feed's own title: the outlet items are cited by
    interval_minutes     INTEGER NOT NULL DEFAULT 15,
    etag                 TEXT,
    last_modified        TEXT,
    next_due_at          TEXT    NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        TEXT,
    last_error           TEXT,
    disabled_reason      TEXT,
    last_fetched_at      TEXT,
    added_at             TEXT    NOT NULL,
    UNIQUE (platform, workspace, url)
);
CREATE INDEX ix_feeds_due ON feeds (next_due_at) WHERE disabled_reason IS NULL;

-- Each item stored once per feed: the dedupe key is the feed's id for it, else its link, else a
-- hash of title and date. A changed item (other content_hash) is updated in place, never reposted.
CREATE TABLE feed_items (
    id            INTEGER PRIMARY KEY,
    feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    dedupe_key    TEXT    NOT NULL,
    link          TEXT,
    title         TEXT    NOT NULL,
    summary       TEXT,
    author        TEXT,
    published_at  TEXT    NOT NULL,   -- the feed's date, else the first sighting
    has_date      INTEGER NOT NULL,
    updated_at    TEXT,
    first_seen_at TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    triage        TEXT    NOT NULL DEFAULT 'pending', -- pending, linked, dismissed
    UNIQUE (feed_id, dedupe_key)
);
CREATE INDEX ix_feed_items_published ON feed_items (published_at);
CREATE INDEX ix_feed_items_triage ON feed_items (feed_id, first_seen_at) WHERE triage = 'pending';

-- Items attached to incidents, by slug as the audit log names them.
CREATE TABLE feed_item_incidents (
    item_id       INTEGER NOT NULL REFERENCES feed_items (id) ON DELETE CASCADE,
    incident_slug TEXT    NOT NULL,
    reason        TEXT    NOT NULL, -- feed, mention, editor
    linked_at     TEXT    NOT NULL,
    PRIMARY KEY (item_id, incident_slug)
);
CREATE INDEX ix_feed_item_incidents_slug ON feed_item_incidents (incident_slug);

-- An item's title and summary are passages of each incident it is linked to, so Q&A finds them
-- (full text and vectors) and cites the item. Rebuilding an incident's own passages leaves these alone.
ALTER TABLE passages ADD COLUMN feed_item_id INTEGER REFERENCES feed_items (id) ON DELETE CASCADE;
ALTER TABLE passages ADD COLUMN citation TEXT;
CREATE INDEX ix_passages_feed_item ON passages (feed_item_id) WHERE feed_item_id IS NOT NULL;
