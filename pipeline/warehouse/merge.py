"""The end of a run: staged pages become history and typed change events, in one transaction.

Every step is set-based SQL over the run's staged rows. The temp tables, in order:

    run_records  the run's valid records: the few fields identity and events need (the full
                 record, typed when the spool was read, is taken only where a version is written)
    run_moves    permanent redirects from a live project's address to an address never seen
    run_ids      each record with its stable project_id (moves and old addresses resolved)
    run_seen     projects the run saw: parsed, unchanged (304 / same body), moved, quarantined
    run_diff     each record against the project's current version
"""

from __future__ import annotations

import re

import duckdb

from schemas.record import CONTENT_FIELDS, ProjectRecord

_PARAM = re.compile(r"\$([a-z_]+)")


def run_script(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> None:
    """Run ``;``-separated statements, each with the named parameters it uses."""
    for statement in sql.split(";\n"):
        if not statement.strip() or all(
            not line.strip() or line.strip().startswith("--") for line in statement.splitlines()
        ):
            continue
        used = {name: params[name] for name in _PARAM.findall(statement)}
        con.execute(statement, used)


# Record fields stored as columns of project_versions, in the table's order (project_id and
# content_hash have their own places there).
VERSION_FIELDS: tuple[str, ...] = tuple(
    name for name in ProjectRecord.model_fields if name not in ("project_id", "content_hash")
)
COVERAGE_FIELDS: dict[str, str] = {
    "status": "status <> 'unknown'",
    "period": "period IS NOT NULL",
    "contact": "contact IS NOT NULL",
    "funders": "len(funders) > 0",
    "focus_areas": "len(focus_areas) > 0",
    "services": "len(services) > 0",
    "division": "COALESCE(division, contact.division) IS NOT NULL",
    "short_title": "short_title IS NOT NULL",
}

STAGE_TO_LOG = """
INSERT INTO fetches
SELECT run_id, seq, page_key, kind, url, site_url, final_url, final_key, final_site_url, status,
       outcome, error, detail, etag, last_modified, body_hash, content_type, bytes, duration_ms,
       attempts, redirect_status, redirects, fetched_at, via, recheck, duplicate_of, links,
       parse_kind, warc_file, warc_record_id, warc_offset, warc_length, payload_digest, warc_date
FROM stage_fetches WHERE run_id = $run ORDER BY seq;

INSERT INTO quarantine
SELECT run_id, COALESCE(final_key, page_key), COALESCE(final_site_url, site_url), problems,
       warnings, body_hash, fetched_at
FROM stage_fetches WHERE run_id = $run AND parse_kind = 'invalid' ORDER BY seq;
"""

IDENTIFY = """
CREATE OR REPLACE TEMP TABLE run_records AS
SELECT seq, page_key, COALESCE(final_key, page_key) AS final_key, body_hash, warc_file,
       warc_record_id, payload_digest,
       struct_pack(
           project_id := record.project_id, url := record.url, site := record.site,
           status := record.status, closed_notice := record.closed_notice,
           content_hash := record.content_hash
       ) AS r
FROM stage_fetches WHERE run_id = $run AND record IS NOT NULL;

CREATE OR REPLACE TEMP TABLE run_moves AS
SELECT DISTINCT ON (u.project_id)
       u.project_id, f.page_key, f.final_key, f.final_site_url AS new_url, p.url AS old_url
FROM stage_fetches f
JOIN project_urls u ON u.page_key = f.page_key
JOIN projects p ON p.project_id = u.project_id
WHERE f.run_id = $run AND f.kind = 'project' AND f.redirect_status IN (301, 308)
  AND f.final_key IS NOT NULL AND f.final_key <> f.page_key
  AND f.outcome IN ('fetched', 'unchanged', 'not_modified')
  AND NOT EXISTS (SELECT 1 FROM project_urls o WHERE o.page_key = f.final_key)
ORDER BY u.project_id, f.seq;

CREATE OR REPLACE TEMP TABLE run_ids AS
SELECT rr.*, COALESCE(m.project_id, u1.project_id, u2.project_id, rr.r.project_id) AS pid
FROM run_records rr
LEFT JOIN run_moves m ON m.final_key = rr.final_key
LEFT JOIN project_urls u1 ON u1.page_key = rr.r.project_id
LEFT JOIN project_urls u2 ON u2.page_key = rr.page_key;

-- a project reached twice in one run (two addresses) counts once: its first page. (Deleting
-- the few later ones is 20 times faster than a QUALIFY over all rows, which DuckDB turns into
-- an arg_min over the whole row.)
DELETE FROM run_ids WHERE seq IN (
    SELECT seq FROM run_ids QUALIFY row_number() OVER (PARTITION BY pid ORDER BY seq) > 1
);

CREATE OR REPLACE TEMP TABLE run_seen AS
SELECT pid AS project_id FROM run_ids
UNION
SELECT project_id FROM run_moves
UNION
SELECT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = COALESCE(f.final_key, f.page_key)
WHERE f.run_id = $run AND f.kind = 'project'
  AND (f.outcome IN ('unchanged', 'not_modified') OR f.parse_kind = 'invalid'
       OR f.duplicate_of IS NOT NULL);

CREATE OR REPLACE TEMP TABLE run_diff AS
SELECT i.pid, i.seq, i.page_key, i.final_key, i.body_hash, i.r,
       i.warc_file, i.warc_record_id, i.payload_digest,
       v.version AS old_version, v.content_hash AS old_hash, v.url AS old_url,
       v.status AS old_status, v.closed_notice AS old_closed,
       p.project_id IS NULL AS is_new,
       p.project_id IS NULL OR v.content_hash <> i.r.content_hash OR v.url <> i.r.url
           AS needs_version,
       NOT (p.project_id IS NULL) AND v.content_hash <> i.r.content_hash AS content_changed
FROM run_ids i
LEFT JOIN projects p ON p.project_id = i.pid
LEFT JOIN project_versions v ON v.project_id = i.pid AND v.is_current;
"""


COVERAGE = (
    "SELECT count(*) AS projects, "
    + ", ".join(
        f"avg(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END) AS {name}"
        for name, condition in COVERAGE_FIELDS.items()
    )
    + " FROM project_versions WHERE is_current"
    " AND project_id IN (SELECT project_id FROM run_seen)"
)
"""Share of the run's projects that have each field, over their (new or kept) current versions."""


def _field_changes() -> str:
    """One row per changed content field of each changed record: the old version's value and
    the new one, both as JSON. One join, then a list of (field, old, new) unnested per record
    (a UNION of one join per field held a hash table per field at once)."""
    pairs = ", ".join(
        f"{{'field': '{name}', 'old': to_json(v.\"{name}\"), 'new': to_json(s.record.\"{name}\")}}"
        for name in CONTENT_FIELDS
    )
    return (
        "SELECT pid, url, c.field AS field, c.old AS old, c.new AS new, version FROM ("
        f"SELECT d.pid, s.record.url AS url, d.old_version + 1 AS version, unnest([{pairs}]) AS c "
        "FROM run_diff d "
        "JOIN stage_fetches s ON s.seq = d.seq AND s.run_id = $run "
        "JOIN project_versions v ON v.project_id = d.pid AND v.is_current "
        "WHERE d.content_changed"
        ") WHERE c.old IS DISTINCT FROM c.new"
    )


_VERSION_VALUES = ", ".join(f's.record."{name}"' for name in VERSION_FIELDS)

APPLY = f"""
-- events of records: new, reappeared, changed (per field), closed, reopened, moved
INSERT INTO project_changes
SELECT $run, pid, r.url, 'new', NULL, NULL, NULL, NULL, 1, $at FROM run_diff WHERE is_new;

INSERT INTO project_changes
SELECT $run, pid, url, 'changed', field, old, new, NULL, version, $at
FROM ({_field_changes()}) changes;

INSERT INTO project_changes
SELECT $run, pid, r.url, 'closed', NULL, to_json(old_status), to_json(r.status), NULL,
       old_version + CASE WHEN needs_version THEN 1 ELSE 0 END, $at
FROM run_diff
WHERE NOT is_new AND (
    (r.status = 'completed' AND old_status <> 'completed') OR (r.closed_notice AND NOT old_closed)
);

INSERT INTO project_changes
SELECT $run, pid, r.url, 'reopened', NULL, to_json(old_status), to_json(r.status), NULL,
       old_version + CASE WHEN needs_version THEN 1 ELSE 0 END, $at
FROM run_diff
WHERE NOT is_new AND (old_status = 'completed' OR old_closed)
  AND r.status IN ('active', 'planned') AND NOT r.closed_notice;

INSERT INTO project_changes
SELECT $run, m.project_id, m.new_url, 'moved', NULL, NULL, NULL, m.old_url,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = m.project_id) + 1, $at
FROM run_moves m;

INSERT INTO project_changes
SELECT $run, p.project_id, p.url, 'reappeared', NULL, NULL, NULL, NULL,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = p.project_id), $at
FROM projects p
WHERE p.removed AND p.project_id IN (SELECT project_id FROM run_seen);

-- history: close the versions that changed, add the new ones
UPDATE project_versions v SET is_current = false, valid_to = $at
FROM run_diff d
WHERE v.project_id = d.pid AND v.is_current AND d.needs_version AND NOT d.is_new;

INSERT INTO project_versions
SELECT d.pid, COALESCE(d.old_version, 0) + 1, $at, NULL, true, d.r.content_hash, $run,
       {_VERSION_VALUES}, d.body_hash, d.warc_file, d.warc_record_id, d.payload_digest
FROM run_diff d JOIN stage_fetches s ON s.seq = d.seq AND s.run_id = $run
WHERE d.needs_version;

-- identity and presence
INSERT INTO projects
SELECT pid, r.site, r.url, $at, $run, $at, $run, false, NULL, NULL, 0
FROM run_diff WHERE is_new;

UPDATE projects p SET url = d.r.url FROM run_diff d
WHERE p.project_id = d.pid AND p.url <> d.r.url;

UPDATE projects SET last_seen_at = $at, last_seen_run_id = $run, missing_runs = 0,
                    removed = false, removed_at = NULL, removed_run_id = NULL
WHERE project_id IN (SELECT project_id FROM run_seen);

INSERT INTO project_urls
SELECT DISTINCT ON (page_key) page_key, project_id, $run FROM (
    SELECT page_key, pid AS project_id, seq FROM run_ids
    UNION ALL SELECT final_key, pid, seq FROM run_ids
    UNION ALL SELECT r.project_id, pid, seq FROM run_ids
    UNION ALL SELECT final_key, project_id, 0 FROM run_moves
) k
WHERE page_key NOT IN (SELECT page_key FROM project_urls)
ORDER BY page_key, seq;
"""

REMOVE = """
CREATE OR REPLACE TEMP TABLE run_troubled AS
SELECT DISTINCT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = f.page_key
WHERE f.run_id = $run AND f.outcome IN ('failed', 'refused', 'skipped');

CREATE OR REPLACE TEMP TABLE run_gone AS
SELECT DISTINCT u.project_id
FROM stage_fetches f JOIN project_urls u ON u.page_key = f.page_key
WHERE f.run_id = $run AND ((f.status = 410) OR (f.status = 404 AND f.recheck))
  AND u.project_id NOT IN (SELECT project_id FROM run_seen);

UPDATE projects SET missing_runs = missing_runs + 1
WHERE $complete AND site = $site AND NOT removed
  AND project_id NOT IN (SELECT project_id FROM run_seen)
  AND project_id NOT IN (SELECT project_id FROM run_troubled);

CREATE OR REPLACE TEMP TABLE run_removed AS
SELECT project_id, url FROM projects
WHERE site = $site AND NOT removed
  AND (project_id IN (SELECT project_id FROM run_gone) OR ($complete AND missing_runs >= $absent));

INSERT INTO project_changes
SELECT $run, r.project_id, r.url, 'removed', NULL, NULL, NULL, NULL,
       (SELECT max(version) FROM project_versions v WHERE v.project_id = r.project_id), $at
FROM run_removed r;

UPDATE projects SET removed = true, removed_at = $at, removed_run_id = $run
WHERE project_id IN (SELECT project_id FROM run_removed);
"""

PAGE_STATE = """
CREATE OR REPLACE TEMP TABLE run_state AS
SELECT page_key, seq, outcome, via, etag, last_modified, body_hash, parse_kind, links,
       fetched_at, warc_record_id, final_url, url, warc_date, payload_digest
FROM stage_fetches
WHERE run_id = $run AND kind IN ('project', 'listing') AND NOT recheck AND duplicate_of IS NULL
QUALIFY row_number() OVER (PARTITION BY page_key ORDER BY seq DESC) = 1;

DELETE FROM page_state
WHERE page_key IN (SELECT page_key FROM run_state WHERE outcome IN ('fetched', 'gone'));

INSERT INTO page_state
SELECT page_key, etag, last_modified,
       CASE WHEN parse_kind = 'invalid' THEN NULL ELSE body_hash END,
       links, COALESCE(parse_kind = 'project', false), fetched_at, $parser_version, $run,
       warc_record_id, COALESCE(final_url, url), warc_date, payload_digest
FROM run_state WHERE outcome = 'fetched';

UPDATE page_state s
SET verified_at = f.fetched_at, run_id = $run,
    etag = COALESCE(f.etag, s.etag), last_modified = COALESCE(f.last_modified, s.last_modified)
FROM run_state f
WHERE s.page_key = f.page_key AND f.outcome IN ('not_modified', 'unchanged') AND f.via = 'http';
"""
