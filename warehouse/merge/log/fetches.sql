-- The run's staged fetches, copied into the fetch log (the columns are columns.FETCHES).
INSERT INTO fetches BY NAME
SELECT {{fetches_columns}}
FROM stage_fetches WHERE run_id = $run ORDER BY seq
