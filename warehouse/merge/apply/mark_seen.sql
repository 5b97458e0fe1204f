-- Presence: the projects the run saw are present (again), missing for no run.
UPDATE projects SET last_seen_at = $at, last_seen_run_id = $run, missing_runs = 0,
                    removed = false, removed_at = NULL, removed_run_id = NULL
WHERE project_id IN (SELECT project_id FROM run_seen)
