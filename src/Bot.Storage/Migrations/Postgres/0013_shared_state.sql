-- PostgreSQL twin of ../0013_shared_state.sql: what several instances must share.

-- The incident each conversation last discussed, so a follow-up landing on another instance is understood.
CREATE TABLE conversation_memory (
    conversation  text        NOT NULL PRIMARY KEY,
    incident_slug text        NOT NULL,
    remembered_at timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX ix_conversation_memory_expires_at ON conversation_memory (expires_at);

-- The content version moved by incidents alone missed what a feed poll on another instance writes: an
-- item's passages (and their removal with the feed, by cascade). Other instances then keep answering from
-- vectors loaded before. SQLite needs nothing: its data_version moves on any commit.
CREATE TRIGGER passages_content_version AFTER INSERT OR UPDATE OR DELETE ON passages
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER feed_item_incidents_content_version AFTER INSERT OR UPDATE OR DELETE ON feed_item_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
