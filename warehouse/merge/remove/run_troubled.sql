-- Projects whose page the run could not fetch (failed, refused, skipped): not judged absent.
CREATE OR REPLACE TEMP TABLE run_troubled AS
SELECT DISTINCT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = f.page_key
WHERE f.run_id = $run AND f.outcome IN ('failed', 'refused', 'skipped')
