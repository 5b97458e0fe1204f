-- Identity: every page key that named a project in this run (addresses, moves, record ids),
-- for the first time; a key named twice goes to its earliest page (a move's first).
INSERT INTO project_urls
SELECT DISTINCT ON (page_key) page_key, project_id, $run FROM (
    SELECT page_key, pid AS project_id, seq FROM run_ids
    UNION ALL SELECT final_key, pid, seq FROM run_ids
    UNION ALL SELECT r.project_id, pid, seq FROM run_ids
    UNION ALL SELECT final_key, project_id, 0 FROM run_moves
) k
WHERE page_key NOT IN (SELECT page_key FROM project_urls)
ORDER BY page_key, seq
