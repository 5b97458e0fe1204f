-- Every change the latest loaded run found, field by field.
SELECT c.type, c.project_id, c.field, c.old, c.new, c.old_url
FROM project_changes c
WHERE c.run_id = (SELECT max(run_id) FROM runs WHERE status = 'ok' AND events <> '{}')
ORDER BY c.project_id, c.type, c.field;
