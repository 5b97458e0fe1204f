-- Identity: one row for each new project.
INSERT INTO projects
SELECT pid, r.site, r.url, $at, $run, $at, $run, false, NULL, NULL, 0
FROM run_diff WHERE is_new
