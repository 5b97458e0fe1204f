-- The run's pages that failed validation, with their reasons: never in project_versions.
INSERT INTO quarantine
SELECT run_id, COALESCE(final_key, page_key), COALESCE(final_site_url, site_url), problems,
       warnings, body_hash, fetched_at
FROM stage_fetches WHERE run_id = $run AND parse_kind = 'invalid' ORDER BY seq
