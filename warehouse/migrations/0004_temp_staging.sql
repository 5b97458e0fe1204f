-- A running crawl now stages its pages in a TEMP table of its own connection (see
-- pipeline/warehouse/staging.py): staged rows never need to outlive the process, and a
-- persistent staging table cost WAL writes and checkpoints for nothing.
DROP TABLE IF EXISTS stage_fetches;
