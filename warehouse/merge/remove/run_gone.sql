-- Projects whose page is really gone: 410, or 404 confirmed by a re-check.
CREATE OR REPLACE TEMP TABLE run_gone AS
SELECT DISTINCT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = f.page_key
WHERE f.run_id = $run AND ((f.status = 410) OR (f.status = 404 AND f.recheck))
  AND u.project_id NOT IN (SELECT project_id FROM run_seen)
