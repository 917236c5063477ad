-- Workspaces that installed the bot through OAuth, one row per platform and install key (a Slack team id, or the
-- enterprise id of an org-wide install). The token is encrypted with Data Protection before it is written here.
CREATE TABLE installations (
    platform       TEXT    NOT NULL,
    workspace      TEXT    NOT NULL,
    team_id        TEXT,
    enterprise_id  TEXT,
    is_enterprise  INTEGER NOT NULL DEFAULT 0,
    bot_user_id    TEXT,
    token          TEXT    NOT NULL,
    installed_at   TEXT    NOT NULL,
    PRIMARY KEY (platform, workspace)
) WITHOUT ROWID;

-- The Data Protection key ring (XML elements as the key manager writes them), shared by every instance on this store.
CREATE TABLE data_protection_keys (
    name       TEXT PRIMARY KEY,
    xml        TEXT NOT NULL
) WITHOUT ROWID;

-- A paused subscription posts nothing until its workspace installs the bot again or the guild comes back.
ALTER TABLE subscriptions ADD COLUMN paused_since TEXT;
ALTER TABLE subscriptions ADD COLUMN pause_reason TEXT;
