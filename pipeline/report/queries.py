"""Reading the warehouse for the report: a handful of bulk queries over the read-only
connection (no query per project), turned into the values of ``model``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from pipeline.report.model import (
    Capture,
    Closure,
    Event,
    Project,
    Quarantined,
    Removal,
    ReportData,
    Run,
    Version,
)

QUARANTINE_SHOWN = 50  # the latest run's quarantined pages listed on the overview

RUNS = """
SELECT run_id, site, started_at, finished_at, status, complete, COALESCE(pages, 0),
       COALESCE(fetched, 0), COALESCE(unchanged, 0) + COALESCE(not_modified, 0),
       COALESCE(gone, 0), COALESCE(failed, 0), COALESCE(projects, 0), COALESCE(quarantined, 0),
       events, coverage, message
FROM runs
WHERE ($site IS NULL OR site = $site) AND ($since IS NULL OR started_at >= $since)
ORDER BY run_id
"""

EVENTS = """
SELECT run_id, project_id, url, type, field, old, new, old_url, version, detected_at
FROM project_changes
WHERE run_id IN (SELECT unnest($runs::BIGINT[]))
ORDER BY run_id, list_position($order, type), project_id, field
"""

PROJECTS = """
SELECT project_id, site, url, first_seen_at, last_seen_at, removed, removed_at
FROM projects
WHERE ($site IS NULL OR site = $site) AND ($since IS NULL OR last_seen_at >= $since)
"""

VERSIONS = """
SELECT v.project_id, v.version, v.valid_from, v.valid_to, v.is_current, v.first_run_id, v.url,
       v.site, v.lang, v.title, v.short_title, v.status, v.status_raw, v.period, v.funders,
       v.contact, COALESCE(v.division, v.contact.division), v.closed_notice,
       v.warc_file, v.warc_record_id, v.payload_digest, r.archive_dir, f.warc_offset, f.fetched_at
FROM project_versions v
LEFT JOIN runs r ON r.run_id = v.first_run_id
LEFT JOIN fetches f ON f.run_id = v.first_run_id AND f.warc_record_id = v.warc_record_id
WHERE ($site IS NULL OR v.site = $site)
ORDER BY v.project_id, v.version
"""

URLS = "SELECT page_key, project_id, first_run_id FROM project_urls ORDER BY first_run_id, page_key"

CLOSURES = """
SELECT c.project_id, c.closed_on, c.closed_on_source, c.closed_detected_at, e.old, e.new,
       c.status_raw
FROM closed_projects c
LEFT JOIN (
    SELECT project_id, old, new FROM project_changes WHERE type = 'closed'
    QUALIFY row_number() OVER (PARTITION BY project_id ORDER BY detected_at DESC) = 1
) e USING (project_id)
ORDER BY c.closed_on DESC NULLS LAST, c.project_id
"""

REMOVALS = """
SELECT p.project_id, p.url, p.removed_at, p.removed_run_id, p.missing_runs,
       COALESCE(g.gone_410, false), COALESCE(g.gone_404, false)
FROM projects p
LEFT JOIN (
    SELECT u.project_id, f.run_id, bool_or(f.status = 410) AS gone_410,
           bool_or(f.status = 404 AND f.recheck) AS gone_404
    FROM fetches f JOIN project_urls u ON u.page_key = f.page_key
    WHERE f.status IN (404, 410)
    GROUP BY ALL
) g ON g.project_id = p.project_id AND g.run_id = p.removed_run_id
WHERE p.removed
ORDER BY p.removed_at DESC, p.project_id
"""

QUARANTINE_COUNTS = "SELECT run_id, count(*) FROM quarantine GROUP BY run_id"

QUARANTINE_LATEST = """
SELECT run_id, url, reasons FROM quarantine WHERE run_id = ? ORDER BY url LIMIT ?
"""

# The order events are listed in within a run (as `pipeline changes` lists them).
EVENT_ORDER = ("new", "reappeared", "moved", "changed", "closed", "reopened", "removed")


def _json(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def load(
    con: duckdb.DuckDBPyConnection, site: str | None = None, since: date | None = None
) -> ReportData:
    """Everything the report shows, in a few bulk queries."""
    params = {"site": site, "since": since}
    runs = [_run(row) for row in con.execute(RUNS, params).fetchall()]
    run_ids = [r.run_id for r in runs]
    rows = con.execute(EVENTS, {"runs": run_ids, "order": list(EVENT_ORDER)}).fetchall()
    events = [
        Event(r[0], r[1], r[2], r[3], r[4], _json(r[5]), _json(r[6]), r[7], r[8], r[9])
        for r in rows
    ]
    projects = _projects(con, params)
    return ReportData(
        runs=runs,
        events=events,
        projects=projects,
        closures=[c for c in _closures(con) if c.project_id in projects],
        removals=[r for r in _removals(con) if r.project_id in projects],
        quarantine_counts={
            int(k): int(n) for k, n in con.execute(QUARANTINE_COUNTS).fetchall() if k in run_ids
        },
        quarantine_latest=_quarantine(con, run_ids[-1]) if run_ids else [],
    )


def _run(r: tuple[Any, ...]) -> Run:
    counts = {str(k): int(v) for k, v in (_json(r[13]) or {}).items()}
    shares = {str(k): float(v) for k, v in (_json(r[14]) or {}).items() if k != "projects"}
    return Run(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
        counts, shares, r[15],
    )  # fmt: skip


def _projects(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> dict[str, Project]:
    found = {row[0]: Project(*row) for row in con.execute(PROJECTS, params).fetchall()}
    for row in con.execute(VERSIONS, {"site": params["site"]}).fetchall():
        project = found.get(row[0])
        if project is None:
            continue
        project.versions.append(_version(row))
    for page_key, project_id, first_run in con.execute(URLS).fetchall():
        if project_id in found:
            found[project_id].urls.append((page_key, first_run))
    with_versions = (p for p in found.values() if p.versions)
    ordered = sorted(with_versions, key=lambda p: (p.latest.title.casefold(), p.project_id))
    return {p.project_id: p for p in ordered}


def _version(r: tuple[Any, ...]) -> Version:
    archive_dir = Path(r[21]) if r[21] else None
    capture = Capture(r[18], r[19], r[20], archive_dir, r[22], r[23])
    return Version(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
        list(r[14] or []), r[15], r[16], r[17], capture,
    )  # fmt: skip


def _closures(con: duckdb.DuckDBPyConnection) -> list[Closure]:
    out = []
    for project_id, closed_on, source, detected, old, new, status_raw in con.execute(
        CLOSURES
    ).fetchall():
        if old is None:
            how = "completed when first seen"
        elif _json(old) != _json(new):
            how = f"status {_json(old)} → {_json(new)}"
        else:
            how = "the closed notice appeared"
        if status_raw:
            how += f" (the page says “{status_raw}”)"
        out.append(Closure(project_id, closed_on, source, detected, how))
    return out


def _removals(con: duckdb.DuckDBPyConnection) -> list[Removal]:
    out = []
    for project_id, url, removed_at, run_id, missing, gone_410, gone_404 in con.execute(
        REMOVALS
    ).fetchall():
        if gone_410:
            how = "HTTP 410 Gone"
        elif gone_404:
            how = "HTTP 404, confirmed by a re-check in the same run"
        else:
            how = f"no longer linked: absent from {missing} complete runs in a row"
        out.append(Removal(project_id, url, removed_at, run_id, how))
    return out


def _quarantine(con: duckdb.DuckDBPyConnection, run_id: int) -> list[Quarantined]:
    rows = con.execute(QUARANTINE_LATEST, [run_id, QUARANTINE_SHOWN]).fetchall()
    return [Quarantined(r, u, list(reasons)) for r, u, reasons in rows]
