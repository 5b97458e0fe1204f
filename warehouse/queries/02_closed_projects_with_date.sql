-- Closed projects with the day they closed (the period's end, else when the pipeline saw it).
SELECT title, division, closed_on, closed_on_source, url
FROM closed_projects
ORDER BY closed_on DESC NULLS LAST, title;
