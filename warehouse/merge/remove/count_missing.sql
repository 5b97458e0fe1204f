-- A complete run counts one more absence for each of the site's projects it did not see.
UPDATE projects SET missing_runs = missing_runs + 1
WHERE $complete AND site = $site AND NOT removed
  AND project_id NOT IN (SELECT project_id FROM run_seen)
  AND project_id NOT IN (SELECT project_id FROM run_troubled)
