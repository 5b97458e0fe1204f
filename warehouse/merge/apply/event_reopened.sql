-- A "reopened" event when a completed or closed project is active or planned again.
INSERT INTO project_changes
SELECT $run, pid, r.url, 'reopened', NULL, to_json(old_status), to_json(r.status), NULL,
       old_version + CASE WHEN needs_version THEN 1 ELSE 0 END, $at, cause
FROM run_diff
WHERE NOT is_new AND (old_status = 'completed' OR old_closed)
  AND r.status IN ('active', 'planned') AND NOT r.closed_notice
