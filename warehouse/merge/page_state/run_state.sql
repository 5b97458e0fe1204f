-- The last fetch of each project and listing page in the run (re-checks and duplicates left out).
CREATE OR REPLACE TEMP TABLE run_state AS
SELECT page_key, seq, outcome, via, etag, last_modified, body_hash, parse_kind, links,
       fetched_at, warc_record_id, final_url, url, warc_date, payload_digest, lastmod
FROM stage_fetches
WHERE run_id = $run AND kind IN ('project', 'listing') AND NOT recheck AND duplicate_of IS NULL
QUALIFY row_number() OVER (PARTITION BY page_key ORDER BY seq DESC) = 1
