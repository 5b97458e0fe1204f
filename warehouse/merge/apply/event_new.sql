-- A "new" event for each project seen for the first time.
INSERT INTO project_changes
SELECT $run, pid, r.url, 'new', NULL, NULL, NULL, NULL, 1, $at, 'site' FROM run_diff WHERE is_new
