-- The run's valid records: the few fields identity and events need (the full record, typed
-- when the spool was read, is taken only where a version is written).
CREATE OR REPLACE TEMP TABLE run_records AS
SELECT seq, page_key, COALESCE(final_key, page_key) AS final_key, body_hash, warc_file,
       warc_record_id, payload_digest,
       struct_pack(
           project_id := record.project_id, url := record.url, site := record.site,
           status := record.status, closed_notice := record.closed_notice,
           content_hash := record.content_hash
       ) AS r
FROM stage_fetches WHERE run_id = $run AND record IS NOT NULL
