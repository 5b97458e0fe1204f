-- History: a new current version for each new or changed record, with its evidence (the
-- record's columns are columns.VERSION_FIELDS, each s.record."field" AS "field").
INSERT INTO project_versions BY NAME
SELECT d.pid AS project_id, COALESCE(d.old_version, 0) + 1 AS version, $at AS valid_from,
       NULL AS valid_to, true AS is_current, d.r.content_hash AS content_hash,
       $run AS first_run_id,
       {{record_columns}},
       d.body_hash AS body_hash, d.warc_file AS warc_file, d.warc_record_id AS warc_record_id,
       d.payload_digest AS payload_digest, d.cause AS cause
FROM run_diff d JOIN stage_fetches s ON s.seq = d.seq AND s.run_id = $run
WHERE d.needs_version
