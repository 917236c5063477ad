-- PostgreSQL twin of ../0012_item_posts.sql: live posts of new feed items. PostgreSQL changes the constraints in
-- place, so nothing is rebuilt; rows and identities stay as they are.
ALTER TABLE subscriptions ADD COLUMN topic text NOT NULL DEFAULT ''; -- incident slug of an 'items' subscription
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_kind_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_kind_check CHECK (kind IN ('digest', 'onthisday', 'items'));
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_topic_check CHECK ((kind = 'items') = (topic <> ''));
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_platform_workspace_channel_kind_key;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_platform_workspace_channel_kind_topic_key UNIQUE (platform, workspace, channel, kind, topic);

-- An item post is a delivery with the item's id: the daily key holds for the daily posts only, and an item is
-- posted once per subscription (the queue also checks the channel).
ALTER TABLE deliveries ADD COLUMN item_id bigint REFERENCES feed_items (id) ON DELETE CASCADE;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_subscription_id_local_date_key;
CREATE UNIQUE INDEX ux_deliveries_day ON deliveries (subscription_id, local_date) WHERE item_id IS NULL;
CREATE UNIQUE INDEX ux_deliveries_item ON deliveries (subscription_id, item_id) WHERE item_id IS NOT NULL;
CREATE INDEX ix_deliveries_item ON deliveries (item_id) WHERE item_id IS NOT NULL;
