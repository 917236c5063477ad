-- Rates shared by every instance on the store (Discord's global limit, its identify buckets): per key the
-- next free turn, in microseconds since the Unix epoch. A turn is taken by one upsert that moves it on.
CREATE TABLE rate_budget (
    key          TEXT    NOT NULL PRIMARY KEY,
    next_free_us INTEGER NOT NULL
) WITHOUT ROWID;
