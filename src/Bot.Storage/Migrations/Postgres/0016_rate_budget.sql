-- PostgreSQL twin of ../0016_rate_budget.sql: rates shared by every instance (Discord's global limit, its
-- identify buckets): per key the next free turn, in microseconds since the Unix epoch.
CREATE TABLE rate_budget (
    key          text   NOT NULL PRIMARY KEY,
    next_free_us bigint NOT NULL
);
