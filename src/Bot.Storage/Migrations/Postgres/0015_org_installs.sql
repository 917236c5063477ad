-- Which Enterprise Grid org each Slack workspace belongs to, as seen on its requests (see the SQLite script).
CREATE TABLE installation_members (
    platform       text        NOT NULL,
    workspace      text        NOT NULL,
    enterprise_id  text        NOT NULL,
    seen_at        timestamptz NOT NULL,
    PRIMARY KEY (platform, workspace)
);

CREATE INDEX installation_members_by_enterprise ON installation_members (platform, enterprise_id);

-- What a pause covers: 'workspace' or 'channel'.
ALTER TABLE subscriptions ADD COLUMN pause_scope text;
