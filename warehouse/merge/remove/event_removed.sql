-- A "removed" event for each removed project.
INSERT INTO project_changes
SELECT $run, r.project_id, r.url, 'removed', NULL, NULL, NULL, NULL,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = r.project_id), $at,
       'site'
FROM run_removed r
