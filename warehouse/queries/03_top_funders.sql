-- The funders behind the most current projects.
SELECT funder, projects, active
FROM projects_by_funder
ORDER BY projects DESC, funder
LIMIT 10;
