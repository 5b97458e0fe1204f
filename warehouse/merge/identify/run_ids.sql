-- Each record with its stable project_id: a move's, an old address's, else its own.
CREATE OR REPLACE TEMP TABLE run_ids AS
SELECT rr.*, COALESCE(m.project_id, u1.project_id, u2.project_id, rr.r.project_id) AS pid
FROM run_records rr
LEFT JOIN run_moves m ON m.final_key = rr.final_key
LEFT JOIN project_urls u1 ON u1.page_key = rr.r.project_id
LEFT JOIN project_urls u2 ON u2.page_key = rr.page_key
