-- A "moved" event for each project whose address moved (old and new URL).
INSERT INTO project_changes
SELECT $run, m.project_id, m.new_url, 'moved', NULL, NULL, NULL, m.old_url,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = m.project_id) + 1, $at,
       'site'
FROM run_moves m
