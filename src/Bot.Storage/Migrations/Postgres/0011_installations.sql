-- Workspaces that installed the bot through OAuth (see the SQLite script); the token is encrypted before it is written.
CREATE TABLE installations (
    platform       text        NOT NULL,
    workspace      text        NOT NULL,
    team_id        text,
    enterprise_id  text,
    is_enterprise  integer     NOT NULL DEFAULT 0,
    bot_user_id    text,
    token          text        NOT NULL,
    installed_at   timestamptz NOT NULL,
    PRIMARY KEY (platform, workspace)
);

-- The Data Protection key ring, shared by every instance on this store.
CREATE TABLE data_protection_keys (
    name text PRIMARY KEY,
    xml  text NOT NULL
);

ALTER TABLE subscriptions ADD COLUMN paused_since timestamptz;
ALTER TABLE subscriptions ADD COLUMN pause_reason text;
