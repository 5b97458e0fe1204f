-- A 304 or same body over HTTP confirms the stored state: verified now, validators and the
-- sitemap's lastmod refreshed.
UPDATE page_state s
SET verified_at = f.fetched_at, run_id = $run,
    etag = COALESCE(f.etag, s.etag), last_modified = COALESCE(f.last_modified, s.last_modified),
    sitemap_lastmod = COALESCE(f.lastmod, s.sitemap_lastmod)
FROM run_state f
WHERE s.page_key = f.page_key AND f.outcome IN ('not_modified', 'unchanged') AND f.via = 'http'
