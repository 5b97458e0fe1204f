-- Identity: a project's current address follows its record.
UPDATE projects p SET url = d.r.url FROM run_diff d
WHERE p.project_id = d.pid AND p.url <> d.r.url
