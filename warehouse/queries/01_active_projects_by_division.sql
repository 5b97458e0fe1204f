-- Active projects per business unit, largest first.
SELECT division, active, projects
FROM projects_by_division
WHERE active > 0
ORDER BY active DESC, division;
