-- The stored state of pages fetched anew or gone is replaced.
DELETE FROM page_state
WHERE page_key IN (SELECT page_key FROM run_state WHERE outcome IN ('fetched', 'gone'))
