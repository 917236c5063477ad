-- PostgreSQL twin of ../0017_rate_places.sql: places in a shared per-window limit, one row per request from
-- when it is let through until a window after its answer (released_us NULL while it is out).
CREATE TABLE rate_places (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text   NOT NULL,
    taken_us    bigint NOT NULL,
    released_us bigint,
    expires_us  bigint NOT NULL
);
CREATE INDEX ix_rate_places_key ON rate_places (key);
