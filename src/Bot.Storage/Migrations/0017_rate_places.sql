-- Places in a shared per-window limit (Discord's global 50 per second): one row per request from when it is
-- let through until a window after its answer, so requests that took long on the way still count.
-- released_us is NULL while the request is out; expires_us frees the place of an instance that died with it.
CREATE TABLE rate_places (
    id          INTEGER NOT NULL PRIMARY KEY,
    key         TEXT    NOT NULL,
    taken_us    INTEGER NOT NULL,
    released_us INTEGER,
    expires_us  INTEGER NOT NULL
);
CREATE INDEX ix_rate_places_key ON rate_places (key);
