-- The projects the run saw: parsed, unchanged (304 / same body), moved or quarantined.
CREATE OR REPLACE TEMP TABLE run_seen AS
SELECT pid AS project_id FROM run_ids
UNION
SELECT project_id FROM run_moves
UNION
SELECT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = COALESCE(f.final_key, f.page_key)
WHERE f.run_id = $run AND f.kind = 'project'
  AND (f.outcome IN ('unchanged', 'not_modified') OR f.parse_kind = 'invalid'
       OR f.duplicate_of IS NOT NULL)
