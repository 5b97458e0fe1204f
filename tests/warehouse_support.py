"""Helpers for warehouse tests: crawl fixture snapshots into a real DuckDB file."""

from __future__ import annotations

import hashlib
import re
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


# Columns that name runs, times, files or addresses: they differ between equal runs.
VOLATILE = re.compile(
    r"(run_id|_at$|^at$|duration|pages_per_second|^summary$|warc_|archive_dir|^version_id$"
    r"|^change_id$|fetched_at|^date$|_date$|seq|^url$|^final_url$|^valid_from$|^valid_to$"
    r"|merge_retries)"
)


def table_rows(con: duckdb.DuckDBPyConnection, at: str = "") -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows without the VOLATILE columns, sorted; ``at`` is a time-travel clause
    (a lake's ``AT (VERSION => n)``)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() "
            "AND table_name NOT IN ('schema_migrations', 'schema_migration_turns', 'leases') "
            "ORDER BY 1"
        ).fetchall()
    ]
    out = {}
    for name in names:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND database_name = current_database() ORDER BY column_index",
                [name],
            ).fetchall()
            if not VOLATILE.search(r[0])
        ]
        select = ", ".join(f'"{c}"::VARCHAR' for c in columns)
        out[name] = sorted(con.execute(f"SELECT {select} FROM {name} {at}").fetchall(), key=repr)
    return out
