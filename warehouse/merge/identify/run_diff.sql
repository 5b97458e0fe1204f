-- Each record against its project's current version: new, needing a version, content changed.
CREATE OR REPLACE TEMP TABLE run_diff AS
SELECT i.pid, i.seq, i.page_key, i.final_key, i.body_hash, i.r,
       i.warc_file, i.warc_record_id, i.payload_digest,
       v.version AS old_version, v.content_hash AS old_hash, v.url AS old_url,
       v.status AS old_status, v.closed_notice AS old_closed,
       p.project_id IS NULL AS is_new,
       p.project_id IS NULL OR v.content_hash <> i.r.content_hash OR v.url <> i.r.url
           AS needs_version,
       NOT (p.project_id IS NULL) AND v.content_hash <> i.r.content_hash AS content_changed
FROM run_ids i
LEFT JOIN projects p ON p.project_id = i.pid
LEFT JOIN project_versions v ON v.project_id = i.pid AND v.is_current
