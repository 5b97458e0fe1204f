-- A 304 or same body over HTTP confirms the stored state: verified now, validators and the
-- sitemap's lastmod refreshed. A page read anew from the archive (`pipeline reparse`) keeps its
-- validators and capture and now names the parser and profile that read it. (One statement:
-- a second UPDATE joined the whole table again on every run.)
UPDATE page_state s
SET verified_at = CASE WHEN f.via = 'http' THEN f.fetched_at ELSE s.verified_at END,
    run_id = $run,
    etag = CASE WHEN f.via = 'http' THEN COALESCE(f.etag, s.etag) ELSE s.etag END,
    last_modified = CASE WHEN f.via = 'http' THEN COALESCE(f.last_modified, s.last_modified)
                         ELSE s.last_modified END,
    sitemap_lastmod = CASE WHEN f.via = 'http' THEN COALESCE(f.lastmod, s.sitemap_lastmod)
                           ELSE s.sitemap_lastmod END,
    parser_version = CASE WHEN f.via = 'archive' THEN $parser_version ELSE s.parser_version END,
    profile_fingerprint = CASE WHEN f.via = 'archive' THEN $fingerprint
                               ELSE s.profile_fingerprint END
FROM run_state f
WHERE s.page_key = f.page_key AND f.outcome IN ('not_modified', 'unchanged')
  AND f.via IN ('http', 'archive')
