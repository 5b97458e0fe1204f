-- Core tables. Keys are enforced by the loader (no PRIMARY KEY / UNIQUE / FOREIGN KEY and no
-- sequences), so the same tables can move to DuckLake unchanged.

CREATE TABLE runs (
    run_id            BIGINT NOT NULL,     -- 1, 2, 3, ... assigned by the loader
    site              VARCHAR NOT NULL,
    base_url          VARCHAR NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    status            VARCHAR NOT NULL,    -- running | ok | partial | failed | interrupted | held
    complete          BOOLEAN,             -- the run saw the whole site: absences were judged
    coverage_held     BOOLEAN DEFAULT false,
    accepted_coverage_drop BOOLEAN DEFAULT false,
    pages             INTEGER,
    fetched           INTEGER,
    unchanged         INTEGER,
    not_modified      INTEGER,
    gone              INTEGER,
    failed            INTEGER,
    robots_blocked    INTEGER,
    projects          INTEGER,             -- valid records parsed in this run
    quarantined       INTEGER,
    requests          INTEGER,
    retries           INTEGER,
    bytes_received    BIGINT,
    duration_s        DOUBLE,
    pages_per_second  DOUBLE,
    events            JSON,                -- {"new": 3, "changed": 5, ...}
    coverage          JSON,                -- {"period": 0.93, ...} over projects seen in the run
    summary           JSON,                -- the crawler's whole summary
    message           VARCHAR
);

-- One row per page request of a run (retries and redirects folded into one row).
CREATE TABLE fetches (
    run_id            BIGINT NOT NULL,
    seq               BIGINT NOT NULL,     -- order of arrival in the run
    page_key          VARCHAR NOT NULL,    -- canonical key of the requested page
    kind              VARCHAR NOT NULL,    -- project | listing | sitemap | robots
    url               VARCHAR NOT NULL,    -- the address requested
    site_url          VARCHAR NOT NULL,    -- canonical URL on the site's own origin
    final_url         VARCHAR,
    final_key         VARCHAR,
    final_site_url    VARCHAR,
    status            INTEGER,             -- final HTTP status; NULL when no answer
    outcome           VARCHAR NOT NULL,    -- fetched | unchanged | not_modified | gone | failed | refused | skipped
    error             VARCHAR,             -- connect, timeout, http_503, too_large, redirect_off_site, ...
    detail            VARCHAR,
    etag              VARCHAR,
    last_modified     VARCHAR,
    body_hash         VARCHAR,             -- sha256 of the decoded body
    content_type      VARCHAR,
    bytes             BIGINT,              -- as received
    duration_ms       DOUBLE,
    attempts          INTEGER,
    redirect_status   INTEGER,             -- status of the first redirect hop, if any
    redirects         VARCHAR[],           -- every hop's target
    fetched_at        TIMESTAMPTZ NOT NULL,
    via               VARCHAR,             -- http | sitemap-lastmod
    recheck           BOOLEAN,             -- the re-check of a known project's 404
    duplicate_of      VARCHAR,             -- a redirect ended on a page this run already had
    links             VARCHAR[],
    parse_kind        VARCHAR              -- project | not_project | invalid | NULL (not parsed)
);

-- The conditional-request state the crawler reads: one row per page key, kept by the loader.
CREATE TABLE page_state (
    page_key          VARCHAR NOT NULL,
    etag              VARCHAR,
    last_modified     VARCHAR,
    body_hash         VARCHAR,
    links             VARCHAR[],
    is_project        BOOLEAN NOT NULL,
    verified_at       TIMESTAMPTZ,
    parser_version    INTEGER NOT NULL,
    run_id            BIGINT NOT NULL
);

-- Each project's identity and presence.
CREATE TABLE projects (
    project_id        VARCHAR NOT NULL,    -- stable: kept when the page moves
    site              VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,    -- the current address
    first_seen_at     TIMESTAMPTZ NOT NULL,
    first_run_id      BIGINT NOT NULL,
    last_seen_at      TIMESTAMPTZ NOT NULL,
    last_seen_run_id  BIGINT NOT NULL,
    removed           BOOLEAN NOT NULL,
    removed_at        TIMESTAMPTZ,
    removed_run_id    BIGINT,
    missing_runs      INTEGER NOT NULL     -- consecutive complete runs without the project
);

-- Every page key that names a project (its old addresses after moves included).
CREATE TABLE project_urls (
    page_key          VARCHAR NOT NULL,
    project_id        VARCHAR NOT NULL,
    first_run_id      BIGINT NOT NULL
);

-- SCD type 2: one row per distinct content (and address) of a project.
CREATE TABLE project_versions (
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
    body_hash         VARCHAR              -- the page body that produced this version
);

-- Typed change events, one row per event (per field for "changed").
CREATE TABLE project_changes (
    run_id            BIGINT NOT NULL,
    project_id        VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    type              VARCHAR NOT NULL,    -- new | changed | closed | reopened | removed | reappeared | moved
    field             VARCHAR,             -- for "changed"
    old               JSON,
    new               JSON,
    old_url           VARCHAR,             -- for "moved"
    version           INTEGER,             -- the version the event led to
    detected_at       TIMESTAMPTZ NOT NULL
);

-- Pages that failed validation: never in project_versions.
CREATE TABLE quarantine (
    run_id            BIGINT NOT NULL,
    page_key          VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    reasons           VARCHAR[] NOT NULL,
    warnings          VARCHAR[],
    body_hash         VARCHAR,
    fetched_at        TIMESTAMPTZ NOT NULL
);

-- What a running crawl hands over in batches; moved into the tables above in one transaction
-- when the run ends, and dropped for a run that never ended.
CREATE TABLE stage_fetches AS SELECT * FROM fetches WITH NO DATA;
ALTER TABLE stage_fetches ADD COLUMN record JSON;
ALTER TABLE stage_fetches ADD COLUMN problems VARCHAR[];
ALTER TABLE stage_fetches ADD COLUMN warnings VARCHAR[];
