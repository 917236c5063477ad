-- Which Enterprise Grid org each Slack workspace belongs to, as seen on its requests. An org-wide install's token is
-- stored under the enterprise; a scheduled post knows only its workspace, and finds the org's token through this pairing.
CREATE TABLE installation_members (
    platform       TEXT NOT NULL,
    workspace      TEXT NOT NULL,
    enterprise_id  TEXT NOT NULL,
    seen_at        TEXT NOT NULL,
    PRIMARY KEY (platform, workspace)
) WITHOUT ROWID;

CREATE INDEX installation_members_by_enterprise ON installation_members (platform, enterprise_id);

-- What a pause covers: 'workspace' (uninstalled, token refused, removed from the guild) or 'channel' (the bot lost one
-- channel). A returning guild resumes only what its removal paused; a channel comes back when it is subscribed again.
ALTER TABLE subscriptions ADD COLUMN pause_scope TEXT;
