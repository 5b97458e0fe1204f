"""Helpers for warehouse tests: crawl fixture snapshots into a real DuckDB file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from pipeline.crawl import CrawlSettings
from pipeline.nightly import RunOptions, RunReport, run_crawl

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
TABLES = (
    "runs",
    "fetches",
    "page_state",
    "projects",
    "project_urls",
    "project_versions",
    "project_changes",
    "quarantine",
)


def options(base_url: str, db: Path, **settings: object) -> RunOptions:
    accept = bool(settings.pop("accept_coverage_drop", False))
    absence = int(settings.pop("absence_runs", 2))  # type: ignore[arg-type]
    crawl_settings = CrawlSettings(
        **{"delay": 0.0, "parse_processes": 0, "backoff": 0.01, **settings}  # type: ignore[arg-type]
    )
    return RunOptions(
        base_url=base_url,
        db=db,
        settings=crawl_settings,
        accept_coverage_drop=accept,
        absence_runs=absence,
    )


def crawl_into(base_url: str, db: Path, **settings: object) -> RunReport:
    return run_crawl(options(base_url, db, **settings))


def table_digest(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A digest of every table's rows, for "nothing changed" assertions."""
    out = {}
    for table in TABLES:
        rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def events(con: duckdb.DuckDBPyConnection, run_id: int) -> set[tuple[str, str, str | None]]:
    rows = con.execute(
        "SELECT type, project_id, field FROM project_changes WHERE run_id = ?", [run_id]
    ).fetchall()
    return {(t, p.removeprefix("stiftung-spi.de/"), f) for t, p, f in rows}
