-- A "closed" event when a project's status became completed or a closed notice appeared.
INSERT INTO project_changes
SELECT $run, pid, r.url, 'closed', NULL, to_json(old_status), to_json(r.status), NULL,
       old_version + CASE WHEN needs_version THEN 1 ELSE 0 END, $at, cause
FROM run_diff
WHERE NOT is_new AND (
    (r.status = 'completed' AND old_status <> 'completed') OR (r.closed_notice AND NOT old_closed)
)
