-- History: the current version of each project whose content or address changed ends now.
UPDATE project_versions v SET is_current = false, valid_to = $at
FROM run_diff d
WHERE v.project_id = d.pid AND v.is_current AND d.needs_version AND NOT d.is_new
