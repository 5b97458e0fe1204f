-- Pages read anew from the archive (`pipeline reparse`): their state keeps its validators and
-- capture, and now names the parser and profile that read them.
UPDATE page_state s
SET parser_version = $parser_version, profile_fingerprint = $fingerprint, run_id = $run
FROM run_state f
WHERE s.page_key = f.page_key AND f.via = 'archive'
