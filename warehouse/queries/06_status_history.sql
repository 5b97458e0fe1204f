-- Status transitions over time: which projects went from one status to another, and when.
SELECT project_id, old ->> '$' AS status_before, new ->> '$' AS status_after, detected_at
FROM project_changes
WHERE type = 'changed' AND field = 'status'
ORDER BY detected_at, project_id;
