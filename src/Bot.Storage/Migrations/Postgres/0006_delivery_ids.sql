-- PostgreSQL twin of ../0006_delivery_ids.sql. SQLite had to rebuild the table so a deleted row's id is
-- never handed out again; an identity column never reuses a value, so here there is nothing to rebuild.
-- The column says why it matters.
COMMENT ON COLUMN deliveries.id IS 'Also the Discord nonce (briefing-<id>): must never be reused, which an identity guarantees.';
