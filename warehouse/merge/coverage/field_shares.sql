-- Share of the run's projects that have each field, over their (new or kept) current versions:
-- the projects, then one avg(CASE WHEN <condition> THEN 1.0 ELSE 0.0 END) AS <field> per field
-- of merge.COVERAGE_FIELDS.
SELECT count(*) AS projects, {{field_shares}}
FROM project_versions
WHERE is_current AND project_id IN (SELECT project_id FROM run_seen)
