"""Where the evidence is: a project version with its capture, a run with its WARC and pages.

Only warehouse lookups, returning plain data; reading and packing the WARC files themselves is
``pipeline.archive.evidence``'s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.archive.wacz import (
    MissingCapture,
    PackPage,
    PackPlan,
    RecordPlace,
    Reference,
    revisit_references,
)
from pipeline.errors import InputError
from pipeline.urls import canonical_key, url_problem
from pipeline.warehouse.columns import PROJECT_VERSIONS
from pipeline.warehouse.db import scalar

# The columns of a version that `pipeline show` prints, in the table's order.
VERSION_COLUMNS: tuple[str, ...] = tuple(
    name for name in PROJECT_VERSIONS if name not in ("site", "lang", "sections", "body_hash")
)


@dataclass
class Evidence:
    """A project version and where its capture lives."""

    version: dict[str, Any]
    archive_dir: Path | None  # where the run that first saw this version kept its WARC
    offset: int | None
    fetched_at: datetime | None

    def warc_path(self, archive_dir: Path | None = None) -> Path:
        """The WARC file with the version's capture: in ``archive_dir`` if given (the files
        were moved), else where the run kept it."""
        version = self.version
        if not version.get("warc_file"):
            raise InputError(
                f"version {version['version']} of {version['project_id']} has no archived "
                "capture (it was crawled with --no-archive)"
            )
        folder = archive_dir or self.archive_dir
        if folder is None:
            raise InputError("the run's archive folder is unknown; pass --archive-dir")
        return folder / str(version["warc_file"])


def resolve_project(con: duckdb.DuckDBPyConnection, given: str) -> str:
    """The project id of ``given``: a project id, or an address the project had (as written,
    or the same page in another spelling); ``given`` itself when none matches."""
    if scalar(con, "SELECT count(*) FROM projects WHERE project_id = ?", [given]):
        return given
    keys = [given]
    if url_problem(given) is None:
        keys.append(canonical_key(given))
    row = con.execute(
        "SELECT project_id FROM project_urls WHERE page_key IN (SELECT unnest(?)) "
        "UNION SELECT project_id FROM projects WHERE url = ? LIMIT 1",
        [keys, given],
    ).fetchone()
    return str(row[0]) if row else given


def find_version(
    con: duckdb.DuckDBPyConnection, project_id: str, version: int | None = None
) -> Evidence:
    """A version of a project (the current one by default) and where its capture lives."""
    where = "v.version = ?" if version is not None else "v.is_current"
    params: list[object] = [project_id] + ([version] if version is not None else [])
    columns = ", ".join(f"v.{c}" for c in VERSION_COLUMNS)
    row = con.execute(
        f"SELECT {columns}, r.archive_dir, f.warc_offset, f.fetched_at "
        "FROM project_versions v "
        "LEFT JOIN runs r ON r.run_id = v.first_run_id "
        "LEFT JOIN fetches f ON f.run_id = v.first_run_id AND f.warc_record_id = v.warc_record_id "
        f"WHERE v.project_id = ? AND {where}",
        params,
    ).fetchone()
    if row is None:
        versions = scalar(
            con,
            "SELECT list(version ORDER BY version) FROM project_versions WHERE project_id = ?",
            [project_id],
        )
        if not versions:
            raise InputError(
                f"no project {project_id!r} in the warehouse; list them with "
                '`pipeline query "SELECT project_id, title FROM current_projects"`'
            )
        raise InputError(f"{project_id} has no version {version}; it has {versions}")
    data = dict(zip(VERSION_COLUMNS, row[: len(VERSION_COLUMNS)], strict=True))
    archive_dir, offset, fetched_at = row[len(VERSION_COLUMNS) :]
    return Evidence(data, Path(archive_dir) if archive_dir else None, offset, fetched_at)


# The run's pages for its WACZ: the final capture (response or revisit) of each project and
# listing page that answered 200 or 304, once per URL, in fetch order, with the title of the
# project version the page stood for in that run (NULL for other pages: read from the HTML).
_PACK_PAGES = """
SELECT COALESCE(f.final_url, f.url) AS url, f.warc_date, f.warc_file, f.warc_offset,
       f.warc_record_id,
       (SELECT arg_max(v.title, v.version) FROM project_urls u
        JOIN project_versions v ON v.project_id = u.project_id AND v.first_run_id <= f.run_id
        WHERE u.page_key = COALESCE(f.final_key, f.page_key)) AS title
FROM fetches f
WHERE f.run_id = $run AND f.kind IN ('project', 'listing') AND f.status IN (200, 304)
  AND f.warc_record_id IS NOT NULL AND f.warc_date IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY COALESCE(f.final_url, f.url) ORDER BY f.seq) = 1
ORDER BY f.seq
"""

# Where the records that revisits refer to are: any run's fetch with that record id.
_ORIGINALS = """
SELECT f.warc_record_id, r.archive_dir, f.warc_file, f.warc_offset
FROM fetches f JOIN runs r USING (run_id)
WHERE f.warc_record_id IN (SELECT unnest($ids)) AND f.warc_offset IS NOT NULL
"""

# A reference without a record id: the capture of that URL at that WARC-Date.
_ORIGINAL_BY_URI = """
SELECT f.warc_record_id, r.archive_dir, f.warc_file, f.warc_offset
FROM fetches f JOIN runs r USING (run_id)
WHERE COALESCE(f.final_url, f.url) = $uri AND f.warc_date = $date AND f.warc_offset IS NOT NULL
ORDER BY f.run_id LIMIT 1
"""


def wacz_plan(
    con: duckdb.DuckDBPyConnection, run_id: int, archive_dir: Path | None = None
) -> PackPlan:
    """What a run's WACZ holds: its WARC, its pages with their titles, and where the records
    its revisits refer to are (the WARC files in ``archive_dir`` if given: they were moved)."""
    row = con.execute(
        "SELECT archive_dir, warc_file, site FROM runs WHERE run_id = ?", [run_id]
    ).fetchone()
    if row is None:
        raise InputError(f"run {run_id} does not exist; see `pipeline runs`")
    run_dir, warc_file, site = row
    if not warc_file:
        raise InputError(f"run {run_id} was crawled without an archive (--no-archive)")

    def folder(stored: str | None) -> Path:
        return archive_dir or Path(stored or ".")

    warc = folder(run_dir) / warc_file
    pages = [
        PackPage(url, ts, title, RecordPlace(folder(run_dir) / file, offset, record_id))
        for url, ts, file, offset, record_id, title in con.execute(
            _PACK_PAGES, {"run": run_id}
        ).fetchall()
    ]
    references = revisit_references(warc)
    ids = sorted({ref.record_id for ref in references if ref.record_id})
    places = {
        record_id: RecordPlace(folder(stored) / file, offset, record_id)
        for record_id, stored, file, offset in con.execute(_ORIGINALS, {"ids": ids}).fetchall()
    }
    originals: dict[str, tuple[Reference, RecordPlace]] = {}
    missing = []
    for ref in references:
        place = places.get(ref.record_id) if ref.record_id else None
        if place is None and not ref.record_id:
            found = con.execute(
                _ORIGINAL_BY_URI, {"uri": ref.target_uri, "date": ref.date}
            ).fetchone()
            place = RecordPlace(folder(found[1]) / found[2], found[3], found[0]) if found else None
        if place is None:
            missing.append(
                MissingCapture(
                    ref.target_uri,
                    ref.date,
                    ref.record_id,
                    "no fetch in the warehouse archived it (its run was deleted?)",
                )
            )
        else:
            originals[ref.revisit_id] = (ref, place)
    return PackPlan(warc, f"{site} run {run_id}", pages, originals, missing)


@dataclass(frozen=True, slots=True)
class ArchivedVersion:
    """A current version of a site's project and where the capture that gave it lives."""

    project_id: str
    page_key: str
    site_url: str
    fetch_url: str
    content_type: str | None
    warc_file: str | None
    record_id: str | None
    offset: int | None
    archive_dir: Path | None


def archived_versions(con: duckdb.DuckDBPyConnection, site: str) -> list[ArchivedVersion]:
    """Every current version of the site's live projects with its capture's place."""
    rows = con.execute(
        "SELECT v.project_id, COALESCE(f.page_key, v.project_id), COALESCE(f.site_url, v.url), "
        "COALESCE(f.final_url, f.url, v.url), f.content_type, v.warc_file, v.warc_record_id, "
        "f.warc_offset, r.archive_dir "
        "FROM project_versions v JOIN projects p USING (project_id) "
        "LEFT JOIN runs r ON r.run_id = v.first_run_id "
        "LEFT JOIN fetches f ON f.run_id = v.first_run_id AND f.warc_record_id = v.warc_record_id "
        "WHERE v.is_current AND NOT p.removed AND p.site = ? ORDER BY v.project_id",
        [site],
    ).fetchall()
    return [
        ArchivedVersion(
            project_id=row[0],
            page_key=row[1],
            site_url=row[2],
            fetch_url=row[3],
            content_type=row[4],
            warc_file=row[5],
            record_id=row[6],
            offset=row[7],
            archive_dir=Path(row[8]) if row[8] else None,
        )
        for row in rows
    ]


def project_state(con: duckdb.DuckDBPyConnection, project_id: str) -> dict[str, object]:
    """Whether a project is on the site, closed or removed, in plain words, with its dates."""
    row = con.execute(
        "SELECT p.removed, p.removed_at, p.removed_run_id, p.last_seen_at, p.last_seen_run_id, "
        "v.status, v.closed_notice FROM projects p LEFT JOIN project_versions v "
        "ON v.project_id = p.project_id AND v.is_current WHERE p.project_id = ?",
        [project_id],
    ).fetchone()
    if row is None:
        return {}
    removed, removed_at, removed_run, last_seen, last_run, status, notice = row
    if removed:
        state = f"removed from the site in run {removed_run} ({removed_at:%Y-%m-%d})"
    elif status == "completed" or notice:  # as the closed_projects view says
        state = f"closed ({status}), still on the site"
    else:
        state = f"on the site ({status})"
    return {
        "state": state,
        "removed_at": removed_at,
        "removed_run_id": removed_run,
        "last_seen_at": last_seen,
        "last_seen_run_id": last_run,
    }


HISTORY_COLUMNS = ("run_id", "at", "entry", "field", "old", "new", "url")


def project_history(con: duckdb.DuckDBPyConnection, project_id: str) -> list[dict[str, object]]:
    """A project's versions and change events in the order they happened: per run, the
    version it recorded first, then that run's events."""
    rows = con.execute(
        "SELECT first_run_id AS run_id, valid_from AS at_, 0 AS k, 'version ' || version AS entry, "
        "NULL AS field, NULL AS old, "
        "to_json({title: title, status: status, cause: cause})::VARCHAR AS new, url "
        "FROM project_versions WHERE project_id = $1 "
        "UNION ALL SELECT run_id, detected_at, 1, type, field, old, new, url "
        "FROM project_changes WHERE project_id = $1 ORDER BY run_id, k, at_, entry, field",
        [project_id],
    ).fetchall()
    if not rows:
        raise InputError(
            f"no project {project_id!r} in the warehouse; list them with "
            '`pipeline query "SELECT project_id, title FROM current_projects"`'
        )
    out = []
    for run_id, at, _, entry, field, old, new, url in rows:
        out.append(
            {
                "run_id": run_id,
                "at": at,
                "entry": entry,
                "field": field,
                "old": json.loads(old) if old is not None else None,
                "new": json.loads(new) if new is not None else None,
                "url": url,
            }
        )
    return out
