
-- a project reached twice in one run (two addresses) counts once: its first page. (Deleting
-- the few later ones is 20 times faster than a QUALIFY over all rows, which DuckDB turns into
-- an arg_min over the whole row.)
DELETE FROM run_ids WHERE seq IN (
    SELECT seq FROM run_ids QUALIFY row_number() OVER (PARTITION BY pid ORDER BY seq) > 1
)
