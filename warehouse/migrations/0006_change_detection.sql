-- Change detection that never misses a site change and never reports a parser change as one.
--   * cause on versions and events: 'site' (the page changed) or 'extraction' (the same body
--     read by a newer parser or a changed site profile);
--   * what a page's state needs to judge lastmod (its value at the last fetch) and whether the
--     page was parsed by this parser with this profile;
--   * the run's lastmod standing and its audits, with the evidence of every failed audit.
ALTER TABLE project_versions ADD COLUMN cause VARCHAR;
UPDATE project_versions SET cause = 'site';
ALTER TABLE project_changes ADD COLUMN cause VARCHAR;
UPDATE project_changes SET cause = 'site';

ALTER TABLE fetches ADD COLUMN lastmod VARCHAR;          -- the sitemap's lastmod, as written
ALTER TABLE page_state ADD COLUMN sitemap_lastmod VARCHAR;
ALTER TABLE page_state ADD COLUMN profile_fingerprint VARCHAR;

ALTER TABLE runs ADD COLUMN parser_version INTEGER;
ALTER TABLE runs ADD COLUMN profile_fingerprint VARCHAR;
ALTER TABLE runs ADD COLUMN verified INTEGER;            -- known pages asked again
ALTER TABLE runs ADD COLUMN skipped_lastmod INTEGER;     -- known pages spared by a trusted lastmod
ALTER TABLE runs ADD COLUMN audited INTEGER;             -- pages verified to audit the lastmod
ALTER TABLE runs ADD COLUMN audit_failures INTEGER;
ALTER TABLE runs ADD COLUMN clean_audits INTEGER;        -- the site's standing after the run
ALTER TABLE runs ADD COLUMN lastmod_trust VARCHAR;       -- off | earning (n/N ...) | trusted

CREATE TABLE lastmod_audits (
    run_id            BIGINT NOT NULL,
    site              VARCHAR NOT NULL,
    page_key          VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    old_lastmod       VARCHAR,             -- stored at the page's last fetch
    new_lastmod       VARCHAR,             -- in this run's sitemap: the same (that is the failure)
    old_hash          VARCHAR,             -- body hash at the last fetch
    new_hash          VARCHAR,             -- body hash now (NULL: the page is gone)
    detected_at       TIMESTAMPTZ NOT NULL
);

-- Change events carry their cause.
CREATE OR REPLACE VIEW recent_changes AS
SELECT c.detected_at, c.run_id, c.type, c.project_id, c.url, c.field, c.old, c.new, c.old_url,
       c.cause
FROM project_changes c
WHERE c.detected_at >= now() - INTERVAL 30 DAY
ORDER BY c.detected_at DESC, c.project_id, c.type, c.field;
