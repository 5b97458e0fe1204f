"""The embedded default: crawl the bundled fixture site, switch to its later snapshot, crawl
again, and report what changed. No network, no configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline import config
from pipeline.errors import ConfigError
from pipeline.fixture_server import FixtureSite
from pipeline.nightly import Progress, RunReport, run_crawl
from pipeline.options import run_options, select_profile
from pipeline.report import ReportOptions, build_report
from pipeline.warehouse import Warehouse
from pipeline.warehouse.queries import changes

DEFAULT_DEMO_DB = Path("pipeline-demo.duckdb")
# The demo marks the database it makes with this comment on its migrations table, and replaces
# only a file that carries it: a real warehouse given as --db is never deleted.
DEMO_MARK = "made by `pipeline demo`; the next demo run replaces this database"
FIRST, LATER = "v1", "v2"


def bundled_site() -> Path:
    """The fixture site shipped in the package (a wheel), else the one in the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled" / "site", here.parent / "fixtures" / "site"):
        if (candidate / FIRST).is_dir() and (candidate / LATER).is_dir():
            return candidate
    raise ConfigError(
        "the bundled demo site is missing from this installation; reinstall the package"
    )


def made_by_demo(db: Path) -> bool:
    """Whether ``db`` is a DuckDB file the demo made (it carries DEMO_MARK)."""
    if not db.is_file() or db.is_symlink():
        return False
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute(
                "SELECT comment FROM duckdb_tables() WHERE database_name = current_database() "
                "AND table_name = 'schema_migrations'"
            ).fetchone()
    except duckdb.Error:
        return False
    return row is not None and row[0] == DEMO_MARK


@dataclass
class DemoReport:
    db: Path
    site_url: str
    first: RunReport
    second: RunReport
    changes: list[dict[str, object]]
    report: Path | None = None  # the report's index.html, when one was written


def run_demo(
    db: Path = DEFAULT_DEMO_DB,
    progress: Callable[[Progress], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
    archive_dir: Path | None = None,
    report_dir: Path | None = None,
) -> DemoReport:
    """Crawl snapshot v1 then v2 of the bundled site into a fresh database at ``db``; with
    ``report_dir``, write the archivist's report there."""
    site_root = bundled_site()
    if db.exists() or db.is_symlink():
        if not made_by_demo(db):
            raise ConfigError(
                f"{db} exists and was not made by `pipeline demo`; the demo replaces only its "
                "own database. Choose another --db (it defaults to pipeline-demo.duckdb)."
            )
        for leftover in (db, db.with_name(db.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    with Warehouse.open(db) as made:
        made.con.execute(f"COMMENT ON TABLE schema_migrations IS '{DEMO_MARK}'")
    with FixtureSite(site_root / FIRST) as site:
        settings = config.defaults(
            base_url=site.url,
            db=str(db),
            delay=0.0,
            parse_processes=0,
            backoff=0.05,
            archive=archive_dir is not None,
            archive_dir=str(archive_dir) if archive_dir is not None else None,
        )
        options = run_options(settings, select_profile(settings))
        if on_phase:
            on_phase(f"Crawling the bundled site (snapshot {FIRST}) at {site.url}")
        first = run_crawl(options, progress)
        site.switch(site_root / LATER)
        if on_phase:
            on_phase(f"Switched the site to its later snapshot ({LATER}); crawling again")
        second = run_crawl(options, progress)
    with Warehouse.open(db, read_only=True) as warehouse:
        found = changes(warehouse.con, run_id=second.run_id)
        index = None
        if report_dir is not None:
            index = build_report(warehouse.con, ReportOptions(out=report_dir)).index
    return DemoReport(db, site.url, first, second, found, index)
