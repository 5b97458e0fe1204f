-- A "reappeared" event for each removed project the run saw again.
INSERT INTO project_changes
SELECT $run, p.project_id, p.url, 'reappeared', NULL, NULL, NULL, NULL,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = p.project_id), $at,
       'site'
FROM projects p
WHERE p.removed AND p.project_id IN (SELECT project_id FROM run_seen)
