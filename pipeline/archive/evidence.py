"""Reading evidence back: a project version with its capture, and the archived page itself."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

import duckdb
from warcio.archiveiterator import ArchiveIterator

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.warehouse.db import scalar

VERSION_COLUMNS = (
    "project_id",
    "version",
    "valid_from",
    "valid_to",
    "is_current",
    "content_hash",
    "first_run_id",
    "url",
    "title",
    "short_title",
    "status",
    "status_raw",
    "period",
    "funders",
    "contact",
    "focus_areas",
    "services",
    "division",
    "closed_notice",
    "related",
    "warc_file",
    "warc_record_id",
    "payload_digest",
)


@dataclass
class Evidence:
    version: dict[str, Any]
    archive_dir: Path | None  # where the run that first saw this version kept its WARC
    offset: int | None
    fetched_at: datetime | None


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


def archived_page(evidence: Evidence, archive_dir: Path | None = None) -> bytes:
    """The page body of a version's capture, content-decoded (gzip undone)."""
    version = evidence.version
    if not version.get("warc_file"):
        raise InputError(
            f"version {version['version']} of {version['project_id']} has no archived capture "
            "(it was crawled with --no-archive)"
        )
    folder = archive_dir or evidence.archive_dir
    if folder is None:
        raise InputError("the run's archive folder is unknown; pass --archive-dir")
    path = folder / str(version["warc_file"])
    if not path.is_file():
        raise InputError(f"the WARC file {path} is missing; pass --archive-dir if it was moved")
    with path.open("rb") as stream:
        if evidence.offset is not None:
            stream.seek(evidence.offset)
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") == version["warc_record_id"]:
                return record.content_stream().read()
            if evidence.offset is not None:
                break
    raise InputError(f"record {version['warc_record_id']} not found in {path}")


def pack_wacz(con: duckdb.DuckDBPyConnection, run_id: int, out: Path) -> Path:
    """Package a run's WARC, CDXJ index and page list as a WACZ 1.1.1 file."""
    row = con.execute(
        "SELECT archive_dir, warc_file, started_at, site FROM runs WHERE run_id = ?", [run_id]
    ).fetchone()
    if row is None:
        raise InputError(f"run {run_id} does not exist; see `pipeline runs`")
    archive_dir, warc_file, started_at, site = row
    if not warc_file:
        raise InputError(f"run {run_id} was crawled without an archive (--no-archive)")
    warc = Path(archive_dir) / warc_file
    cdxj = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
    if not warc.is_file() or not cdxj.is_file():
        raise InputError(f"the run's archive files are missing from {archive_dir}")
    pages = con.execute(
        "SELECT COALESCE(final_url, url), fetched_at, kind FROM fetches "
        "WHERE run_id = ? AND status = 200 AND kind IN ('project', 'listing') ORDER BY seq",
        [run_id],
    ).fetchall()
    page_lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    page_lines += [
        json.dumps({"url": url, "ts": ts.astimezone(UTC).isoformat(), "title": kind})
        for url, ts, kind in pages
    ]
    members = {
        f"archive/{warc.name}": warc.read_bytes(),
        "indexes/index.cdxj": cdxj.read_bytes(),
        "pages/pages.jsonl": ("\n".join(page_lines) + "\n").encode(),
    }
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": f"{site} run {run_id}",
        "created": datetime.now(UTC).isoformat(),
        "software": f"foundation-pipeline/{__version__}",
        "mainPageDate": started_at.astimezone(UTC).isoformat(),
        "resources": [
            {
                "name": Path(name).name,
                "path": name,
                "hash": "sha256:" + sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for name, data in members.items()
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as wacz:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name.endswith(".warc.gz") else zipfile.ZIP_DEFLATED
            wacz.writestr(name, data, compress_type=method)
        wacz.writestr("datapackage.json", json.dumps(package, indent=2))
    return out
