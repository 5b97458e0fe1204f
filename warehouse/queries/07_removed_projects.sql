-- Projects that disappeared from the site, when, and their last known title and address.
SELECT p.project_id, v.title, p.url, p.removed_at, r.status AS run_status
FROM projects p
JOIN project_versions v ON v.project_id = p.project_id AND v.is_current
JOIN runs r ON r.run_id = p.removed_run_id
WHERE p.removed
ORDER BY p.removed_at DESC, p.project_id;
