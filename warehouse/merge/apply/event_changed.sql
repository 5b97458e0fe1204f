-- A "changed" event per changed content field of each changed record: the old version's
-- value and the new one, both as JSON. One join, then a list of (field, old, new) unnested per
-- record (a UNION of one join per field held a hash table per field at once). The list has
-- one {'field': ..., 'old': to_json(v.field), 'new': to_json(s.record.field)} per content field.
INSERT INTO project_changes
SELECT $run, pid, url, 'changed', field, old, new, NULL, version, $at, cause
FROM (
    SELECT pid, url, c.field AS field, c.old AS old, c.new AS new, version, cause
    FROM (
        SELECT d.pid, s.record.url AS url, d.old_version + 1 AS version, d.cause,
               unnest([{{content_changes}}]) AS c
        FROM run_diff d
        JOIN stage_fetches s ON s.seq = d.seq AND s.run_id = $run
        JOIN project_versions v ON v.project_id = d.pid AND v.is_current
        WHERE d.content_changed
    )
    WHERE c.old IS DISTINCT FROM c.new
) changes
