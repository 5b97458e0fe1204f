-- Grant facts in the record: the amount granted, cooperation partners and target groups.
-- project_versions keeps the record's fields in the record's order (the merge inserts them in
-- that order, between first_run_id and the evidence columns), so the table is rebuilt with the
-- new columns after funders; existing versions have none of them.

CREATE TABLE project_versions_0005 (
    project_id        VARCHAR NOT NULL,
    version           INTEGER NOT NULL,
    valid_from        TIMESTAMPTZ NOT NULL,
    valid_to          TIMESTAMPTZ,         -- NULL while current
    is_current        BOOLEAN NOT NULL,
    content_hash      VARCHAR NOT NULL,
    first_run_id      BIGINT NOT NULL,     -- the run that first saw this version
    url               VARCHAR NOT NULL,
    site              VARCHAR NOT NULL,
    lang              VARCHAR NOT NULL,
    title             VARCHAR NOT NULL,
    short_title       VARCHAR,
    status            VARCHAR NOT NULL,
    status_raw        VARCHAR,
    period            STRUCT("start" DATE, "end" DATE, start_precision VARCHAR,
                             end_precision VARCHAR, raw VARCHAR),
    funders           VARCHAR[],
    grant_amount      STRUCT("value" DOUBLE, currency VARCHAR, raw VARCHAR),
    partners          VARCHAR[],           -- cooperation partners, never funders
    target_groups     VARCHAR[],
    contact           STRUCT(organization VARCHAR, unit VARCHAR, division VARCHAR,
                             street VARCHAR, postal_code VARCHAR, city VARCHAR,
                             persons VARCHAR[], phones VARCHAR[], fax VARCHAR,
                             emails VARCHAR[], website VARCHAR, locations VARCHAR[]),
    focus_areas       VARCHAR[],
    services          VARCHAR[],
    division          VARCHAR,
    closed_notice     BOOLEAN NOT NULL,
    related           VARCHAR[],
    sections          STRUCT(heading VARCHAR, "text" VARCHAR)[],
    body_hash         VARCHAR,             -- the page body that produced this version
    warc_file         VARCHAR,
    warc_record_id    VARCHAR,
    payload_digest    VARCHAR
);

INSERT INTO project_versions_0005
SELECT project_id, version, valid_from, valid_to, is_current, content_hash, first_run_id, url,
       site, lang, title, short_title, status, status_raw, period, funders,
       NULL, [], [],
       contact, focus_areas, services, division, closed_notice, related, sections, body_hash,
       warc_file, warc_record_id, payload_digest
FROM project_versions;

DROP TABLE project_versions;
ALTER TABLE project_versions_0005 RENAME TO project_versions;

-- current_projects gains the grant facts (the other views read it and keep their columns).
CREATE OR REPLACE VIEW current_projects AS
SELECT
    v.project_id, v.url, v.site, v.lang, v.title, v.short_title, v.status, v.status_raw,
    v.period, v.period."start" AS period_start, v.period."end" AS period_end,
    v.funders, v.grant_amount, v.grant_amount."value" AS grant_value,
    v.grant_amount.currency AS grant_currency, v.partners, v.target_groups,
    v.contact, v.focus_areas, v.services,
    COALESCE(v.division, v.contact.division) AS division,
    v.closed_notice, v.related, v.version, v.valid_from AS version_since, v.content_hash,
    p.first_seen_at, p.last_seen_at
FROM project_versions v
JOIN projects p USING (project_id)
WHERE v.is_current AND NOT p.removed;

-- Funding per funder and per year, where the page states an amount: each year of a project's
-- period (an open end runs to this year) carries the amount spread evenly over those years,
-- and each of its funders is credited with it (a co-funded grant counts once per funder; the
-- amount is the grant's, not the funder's share, which pages rarely state). Per currency.
CREATE OR REPLACE VIEW funding_by_funder_year AS
WITH grants AS (
    SELECT
        project_id, title, funders, grant_value, grant_currency,
        year(period_start) AS first_year,
        year(COALESCE(period_end, current_date)) AS last_year
    FROM current_projects
    WHERE grant_value IS NOT NULL AND period_start IS NOT NULL AND len(funders) > 0
), by_funder AS (
    SELECT unnest(funders) AS funder, * EXCLUDE (funders) FROM grants
), years AS (
    SELECT
        funder,
        unnest(generate_series(first_year, last_year)) AS year,
        grant_value / (last_year - first_year + 1) AS amount,
        grant_currency AS currency, title
    FROM by_funder
)
SELECT
    funder, year, currency,
    count(*) AS projects,
    round(sum(amount), 2) AS amount,
    list(title ORDER BY title) AS titles
FROM years
GROUP BY funder, year, currency;
