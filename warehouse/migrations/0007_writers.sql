-- Several writers into one warehouse (sites crawled side by side, workers on other machines).
--   * leases: who may write a site now (one writer per site), and who runs maintenance; a
--     lease expires unless its holder renews it, so a killed writer's lease lapses on its own;
--   * runs.merge_retries: how often the run's merge was re-run after a conflict with another
--     writer's transaction.
CREATE TABLE leases (
    name              VARCHAR NOT NULL,    -- 'site:<id>' or 'maintain'
    holder            VARCHAR NOT NULL,    -- host:pid:token of the writer
    run_id            BIGINT,              -- the run writing under it (a site lease)
    acquired_at       TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL
);

ALTER TABLE runs ADD COLUMN merge_retries INTEGER;
