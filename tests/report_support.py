"""Helpers for report tests: the demo's warehouse with its WARC archive, built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.demo import run_demo


@dataclass(frozen=True)
class DemoWarehouse:
    db: Path
    archive: Path
    report: Path  # the folder run_demo wrote the report into


def build_demo(root: Path) -> DemoWarehouse:
    db, archive, report = root / "demo.duckdb", root / "demo-archive", root / "demo-report"
    run_demo(db, archive_dir=archive, report_dir=report)
    return DemoWarehouse(db, archive, report)


def counts(db: Path) -> dict[str, int]:
    """What the warehouse holds, counted independently of the report's own queries."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: int(con.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "runs": one("SELECT count(*) FROM runs"),
            "projects": one("SELECT count(*) FROM projects"),
            "current": one("SELECT count(*) FROM current_projects"),
            "events": one("SELECT count(*) FROM project_changes"),
            "closed": one("SELECT count(*) FROM closed_projects"),
            "removed": one("SELECT count(*) FROM projects WHERE removed"),
        }
    finally:
        con.close()
