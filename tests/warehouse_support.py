"""Helpers for warehouse tests: crawl fixture snapshots into a real DuckDB file."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import duckdb

from pipeline import config
from pipeline.nightly import RunOptions, RunReport, run_crawl
from pipeline.options import run_options
from tests.spi import SPI

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
    """A run of the SPI fixture site made as the CLI makes one; settings that are not options
    of ``pipeline.toml`` (crawler internals) go to the crawl settings directly."""
    accept = bool(settings.pop("accept_coverage_drop", False))
    known = {k: settings.pop(k) for k in list(settings) if k in config.BY_NAME}
    effective = config.defaults(
        base_url=base_url,
        db=str(db),
        archive=False,
        **{"delay": 0.0, "parse_processes": 0, "backoff": 0.01, **known},
    )
    made = run_options(effective, SPI, accept_coverage_drop=accept)
    return replace(made, settings=replace(made.settings, **settings))  # type: ignore[arg-type]


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
