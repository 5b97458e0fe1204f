-- The site's projects removed by this run: gone, or absent for as many complete runs as allowed.
CREATE OR REPLACE TEMP TABLE run_removed AS
SELECT project_id, url FROM projects
WHERE site = $site AND NOT removed
  AND (project_id IN (SELECT project_id FROM run_gone) OR ($complete AND missing_runs >= $absent))
