-- Each record against its project's current version: new, needing a version, content changed,
-- and the cause of a change: 'extraction' when the body is the one that gave the current version
-- (a newer parser or a changed profile read it anew), else 'site'.
CREATE OR REPLACE TEMP TABLE run_diff AS
SELECT i.pid, i.seq, i.page_key, i.final_key, i.body_hash, i.r,
       i.warc_file, i.warc_record_id, i.payload_digest,
       v.version AS old_version, v.content_hash AS old_hash, v.url AS old_url,
       v.status AS old_status, v.closed_notice AS old_closed,
       CASE WHEN v.body_hash = i.body_hash THEN 'extraction' ELSE 'site' END AS cause,
       p.project_id IS NULL AS is_new,
       p.project_id IS NULL OR v.content_hash <> i.r.content_hash OR v.url <> i.r.url
           AS needs_version,
       NOT (p.project_id IS NULL) AND v.content_hash <> i.r.content_hash AS content_changed
FROM run_ids i
LEFT JOIN projects p ON p.project_id = i.pid
LEFT JOIN project_versions v ON v.project_id = i.pid AND v.is_current
