-- Permanent redirects (301, 308) from a live project's address to an address never seen:
-- the project moved and keeps its identity.
CREATE OR REPLACE TEMP TABLE run_moves AS
SELECT DISTINCT ON (u.project_id)
       u.project_id, f.page_key, f.final_key, f.final_site_url AS new_url, p.url AS old_url
FROM stage_fetches f
JOIN project_urls u ON u.page_key = f.page_key
JOIN projects p ON p.project_id = u.project_id
WHERE f.run_id = $run AND f.kind = 'project' AND f.redirect_status IN (301, 308)
  AND f.final_key IS NOT NULL AND f.final_key <> f.page_key
  AND f.outcome IN ('fetched', 'unchanged', 'not_modified')
  AND NOT EXISTS (SELECT 1 FROM project_urls o WHERE o.page_key = f.final_key)
ORDER BY u.project_id, f.seq
