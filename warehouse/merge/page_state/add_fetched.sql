-- The state of each page fetched anew (an invalid page keeps no body hash, so the same body
-- is parsed again next time).
INSERT INTO page_state BY NAME
SELECT page_key, etag, last_modified,
       CASE WHEN parse_kind = 'invalid' THEN NULL ELSE body_hash END AS body_hash,
       links, COALESCE(parse_kind = 'project', false) AS is_project, fetched_at AS verified_at,
       $parser_version AS parser_version, $run AS run_id, warc_record_id,
       COALESCE(final_url, url) AS warc_target_uri, warc_date, payload_digest,
       lastmod AS sitemap_lastmod, $fingerprint AS profile_fingerprint
FROM run_state WHERE outcome = 'fetched'
