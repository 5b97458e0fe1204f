-- Presence: the removed projects are marked so.
UPDATE projects SET removed = true, removed_at = $at, removed_run_id = $run
WHERE project_id IN (SELECT project_id FROM run_removed)
