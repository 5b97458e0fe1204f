-- Views for analysts. Each reads the current state; history stays in the tables.

-- Projects present on the site now, with their current content.
CREATE OR REPLACE VIEW current_projects AS
SELECT
    v.project_id, v.url, v.site, v.lang, v.title, v.short_title, v.status, v.status_raw,
    v.period, v.period."start" AS period_start, v.period."end" AS period_end,
    v.funders, v.contact, v.focus_areas, v.services,
    COALESCE(v.division, v.contact.division) AS division,
    v.closed_notice, v.related, v.version, v.valid_from AS version_since, v.content_hash,
    p.first_seen_at, p.last_seen_at
FROM project_versions v
JOIN projects p USING (project_id)
WHERE v.is_current AND NOT p.removed;

-- Closed projects and when they closed: the period's end when the page gives one, else the day
-- the pipeline first saw the closure.
CREATE OR REPLACE VIEW closed_projects AS
SELECT
    c.project_id, c.url, c.title, c.status, c.status_raw, c.closed_notice, c.division,
    COALESCE(c.period_end, CAST(e.closed_detected_at AS DATE)) AS closed_on,
    CASE WHEN c.period_end IS NOT NULL THEN 'period end' ELSE 'first seen closed' END
        AS closed_on_source,
    e.closed_detected_at
FROM current_projects c
LEFT JOIN (
    SELECT project_id, max(detected_at) AS closed_detected_at
    FROM project_changes WHERE type = 'closed' GROUP BY project_id
) e USING (project_id)
WHERE c.status = 'completed' OR c.closed_notice;

-- Change events of the last 30 days, newest first.
CREATE OR REPLACE VIEW recent_changes AS
SELECT c.detected_at, c.run_id, c.type, c.project_id, c.url, c.field, c.old, c.new, c.old_url
FROM project_changes c
WHERE c.detected_at >= now() - INTERVAL 30 DAY
ORDER BY c.detected_at DESC, c.project_id, c.type, c.field;

-- One row per funder: how many current projects it funds, and which.
CREATE OR REPLACE VIEW projects_by_funder AS
SELECT
    funder,
    count(*) AS projects,
    count(*) FILTER (WHERE status = 'active') AS active,
    list(title ORDER BY title) AS titles
FROM (SELECT unnest(funders) AS funder, title, status FROM current_projects)
GROUP BY funder;

-- One row per business unit (division), with projects by status.
CREATE OR REPLACE VIEW projects_by_division AS
SELECT
    COALESCE(division, '(none)') AS division,
    count(*) AS projects,
    count(*) FILTER (WHERE status = 'active') AS active,
    count(*) FILTER (WHERE status = 'completed' OR closed_notice) AS completed,
    count(*) FILTER (WHERE status = 'planned') AS planned,
    count(*) FILTER (WHERE status = 'unknown') AS unknown
FROM current_projects
GROUP BY 1;

-- Projects running in each calendar year, from their periods (an open end runs to this year).
CREATE OR REPLACE VIEW active_per_year AS
SELECT year, count(*) AS projects, list(title ORDER BY title) AS titles
FROM (
    SELECT
        title,
        unnest(generate_series(
            year(period_start),
            year(COALESCE(period_end, current_date))
        )) AS year
    FROM current_projects
    WHERE period_start IS NOT NULL
)
GROUP BY year;
