-- On SQLite the scheduler keeps its triggers in memory (one process, rebuilt from the subscriptions at start),
-- so there is nothing to store; the PostgreSQL twin creates the tables Quartz's clustered job store uses.
SELECT 1;
