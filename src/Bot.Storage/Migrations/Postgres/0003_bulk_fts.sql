-- PostgreSQL twin of ../0003_bulk_fts.sql. PostgreSQL needs no commit-time index fill (its tsvector
-- columns are generated), so what remains of that migration is the trigram index for typo lookups:
-- one row per distinct three-letter run of each normalised name, spaces included (as SQLite's trigram
-- tokenizer takes them), counted per trigram to pick the rarest ones. Kept by a trigger, not an
-- extension (pg_trgm), so any plain PostgreSQL 15 serves.
CREATE TABLE incident_name_trigrams (
    trigram text   NOT NULL,
    name_id bigint NOT NULL REFERENCES incident_names (id) ON DELETE CASCADE,
    PRIMARY KEY (trigram, name_id)
);
CREATE INDEX ix_incident_name_trigrams_name ON incident_name_trigrams (name_id);

CREATE FUNCTION index_name_trigrams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO incident_name_trigrams (trigram, name_id)
    SELECT DISTINCT substr(n.normalized, g, 3), n.id
    FROM new_names n CROSS JOIN LATERAL generate_series(1, length(n.normalized) - 2) g
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER incident_names_trigrams AFTER INSERT ON incident_names
    REFERENCING NEW TABLE AS new_names FOR EACH STATEMENT EXECUTE FUNCTION index_name_trigrams();
