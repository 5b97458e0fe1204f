-- Archival evidence: where each fetch's exchange lives in the run's WARC file, and which
-- capture produced each project version.

ALTER TABLE runs ADD COLUMN archive_dir VARCHAR;        -- absolute folder of the run's WARC
ALTER TABLE runs ADD COLUMN warc_file VARCHAR;

ALTER TABLE fetches ADD COLUMN warc_file VARCHAR;
ALTER TABLE fetches ADD COLUMN warc_record_id VARCHAR;  -- the response or revisit record
ALTER TABLE fetches ADD COLUMN warc_offset BIGINT;
ALTER TABLE fetches ADD COLUMN warc_length BIGINT;
ALTER TABLE fetches ADD COLUMN payload_digest VARCHAR;  -- WARC-Payload-Digest, sha1:BASE32
ALTER TABLE fetches ADD COLUMN warc_date VARCHAR;

ALTER TABLE stage_fetches ADD COLUMN warc_file VARCHAR;
ALTER TABLE stage_fetches ADD COLUMN warc_record_id VARCHAR;
ALTER TABLE stage_fetches ADD COLUMN warc_offset BIGINT;
ALTER TABLE stage_fetches ADD COLUMN warc_length BIGINT;
ALTER TABLE stage_fetches ADD COLUMN payload_digest VARCHAR;
ALTER TABLE stage_fetches ADD COLUMN warc_date VARCHAR;

ALTER TABLE project_versions ADD COLUMN warc_file VARCHAR;
ALTER TABLE project_versions ADD COLUMN warc_record_id VARCHAR;
ALTER TABLE project_versions ADD COLUMN payload_digest VARCHAR;

-- The last full capture of a page, which a revisit record refers to.
ALTER TABLE page_state ADD COLUMN warc_record_id VARCHAR;
ALTER TABLE page_state ADD COLUMN warc_target_uri VARCHAR;
ALTER TABLE page_state ADD COLUMN warc_date VARCHAR;
ALTER TABLE page_state ADD COLUMN payload_digest VARCHAR;
