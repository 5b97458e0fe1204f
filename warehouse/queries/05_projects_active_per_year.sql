-- How many projects ran in each year (from their periods).
SELECT year, projects
FROM active_per_year
ORDER BY year;
