-- The incident each conversation (thread, channel or DM) last discussed, so a follow-up ("and when was it shot
-- down?") is understood by whichever instance receives it. Kept until expires_at; expired rows are deleted
-- as new ones arrive.
CREATE TABLE conversation_memory (
    conversation  TEXT NOT NULL PRIMARY KEY, -- platform/workspace/channel/thread
    incident_slug TEXT NOT NULL,
    remembered_at TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_conversation_memory_expires_at ON conversation_memory (expires_at);
