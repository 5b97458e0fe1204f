"""Runs that go wrong: partial and failed runs, coverage drops, quarantine, crashes, locks."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from fixtures.sitegen.facts import PROJECTS
from pipeline import exit_codes
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.nightly import run_crawl_async
from pipeline.warehouse import RunLoader, Warehouse
from tests.test_warehouse_history import EXPECTED
from tests.warehouse_support import SITE, crawl_into, events, options, table_digest

ROOT = Path(__file__).resolve().parents[1]
HISTORY_TABLES = ("projects", "project_urls", "project_versions", "project_changes", "page_state")


def _history(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    digest = table_digest(con)
    return {table: digest[table] for table in HISTORY_TABLES}


@pytest.fixture
def site():
    with FixtureSite(SITE / "v1") as server:
        yield server


@pytest.fixture
def db(tmp_path):
    return tmp_path / "projects.duckdb"


def _read(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


def test_partial_run_changes_nothing_then_a_good_run_catches_up(site, db):
    crawl_into(site.url, db)
    with _read(db) as con:
        before = _history(con)
    site.switch(SITE / "v2")
    for project in PROJECTS[:25]:
        site.override(project.path, lambda r: Reply(503, b"maintenance"))
    report = crawl_into(site.url, db, retries=0)
    assert report.status == "partial" and report.exit_code == exit_codes.PARTIAL
    assert not report.load.events
    with _read(db) as con:
        assert _history(con) == before
        assert con.execute("SELECT status, complete FROM runs WHERE run_id = 2").fetchone() == (
            "partial",
            False,
        )
        assert con.execute("SELECT count(*) FROM fetches WHERE run_id = 2").fetchone()[0] > 25
    site.clear()
    good = crawl_into(site.url, db)
    assert good.status == "ok"
    with _read(db) as con:
        assert events(con, good.run_id) == EXPECTED[2]


def test_unreachable_host_is_a_failed_run_that_removes_nothing(site, db):
    crawl_into(site.url, db)
    with _read(db) as con:
        before = _history(con)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = crawl_into(f"http://127.0.0.1:{port}", db, retries=0)
    assert report.status == "failed" and report.exit_code == exit_codes.PARTIAL
    assert "robots.txt" in report.load.message
    with _read(db) as con:
        assert _history(con) == before


def _without_period_labels(path: str):
    html = (SITE / "v1" / path.strip("/") / "index.html").read_text(encoding="utf-8")
    for label in ("Zeitraum", "Laufzeit", "Projektzeitraum"):
        html = html.replace(label, "Termine")
    body = html.encode()
    return lambda request: Reply(200, body)


def test_coverage_drop_is_held_until_accepted(site, db):
    crawl_into(site.url, db)
    with _read(db) as con:
        before = _history(con)
    for project in PROJECTS:
        site.override(project.path, _without_period_labels(project.path))
    held = crawl_into(site.url, db)
    assert held.status == "held" and held.exit_code == exit_codes.COVERAGE_HELD
    assert "period" in held.load.coverage_drops
    assert "--accept-coverage-drop" in held.load.message
    assert not held.load.events
    with _read(db) as con:
        assert _history(con) == before
        assert con.execute("SELECT coverage_held FROM runs WHERE run_id = 2").fetchone() == (True,)
    accepted = crawl_into(site.url, db, accept_coverage_drop=True)
    assert accepted.status == "ok"
    assert accepted.load.events["changed"] >= 15
    with _read(db) as con:
        fields = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT field FROM project_changes WHERE run_id = 3"
            ).fetchall()
        }
        assert "period" in fields
        assert con.execute(
            "SELECT accepted_coverage_drop FROM runs WHERE run_id = 3"
        ).fetchone() == (True,)


def test_invalid_page_is_quarantined_and_the_run_goes_on(site, db):
    path = "/projekte/aktionsraummitte/"
    html = (SITE / "v1" / path.strip("/") / "index.html").read_text(encoding="utf-8")
    broken = html.replace("01.02.2014 bis 31.12.2017", "01.02.2018 bis 31.12.2014").encode()
    site.override(path, lambda r: Reply(200, broken))
    report = crawl_into(site.url, db)
    assert report.status == "ok"
    assert report.load.quarantined == 1
    assert report.load.events == {"new": 32}
    with _read(db) as con:
        key, reasons = con.execute("SELECT page_key, reasons FROM quarantine").fetchone()
        assert key == "stiftung-spi.de/projekte/aktionsraummitte"
        assert any("after its end" in reason for reason in reasons)
        assert con.execute(
            "SELECT count(*) FROM project_versions WHERE project_id = ?", [key]
        ).fetchone() == (0,)


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline.warehouse import merge
    from pipeline.nightly import run_crawl
    from tests.warehouse_support import options

    original = merge.run_step

    def stall_inside_the_transaction(con, step, params):
        original(con, step, params)
        if step == "apply":
            print("IN_TRANSACTION", flush=True)
            time.sleep(60)

    merge.run_step = stall_inside_the_transaction
    run_crawl(options(sys.argv[1], Path(sys.argv[2])))
    """
)


def test_a_run_killed_mid_load_leaves_the_database_intact(site, db):
    crawl_into(site.url, db)
    with _read(db) as con:
        before = _history(con)
    site.switch(SITE / "v2")
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, site.url, str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "IN_TRANSACTION"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with _read(db) as con:
        assert _history(con) == before  # the half-applied merge was rolled back
        assert con.execute("SELECT status FROM runs WHERE run_id = 2").fetchone() == ("running",)
    assert len(list(db.parent.glob("*.spool.ndjson"))) == 1  # the killed run's pages
    report = crawl_into(site.url, db)
    assert report.status == "ok" and report.run_id == 3
    with _read(db) as con:
        assert events(con, 3) == EXPECTED[2]
        assert con.execute("SELECT status FROM runs WHERE run_id = 2").fetchone() == (
            "interrupted",
        )
        assert con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stage_fetches'"
        ).fetchone() == (0,)
    assert not list(db.parent.glob("*.spool.ndjson"))  # removed by the next run


def test_a_second_writer_fails_fast_with_a_clear_message(db):
    with Warehouse.open(db):
        script = (
            "import sys\nfrom pipeline.warehouse import Warehouse\n"
            "from pipeline.errors import WarehouseLockedError\n"
            "try:\n    Warehouse.open(sys.argv[1])\n"
            "except WarehouseLockedError as exc:\n    print(exc); sys.exit(5)\n"
        )
        child = subprocess.run(
            [sys.executable, "-c", script, str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert child.returncode == 5, child.stderr
    assert "in use by another run" in child.stdout
    assert f"(process {os.getpid()})" in child.stdout


def test_interrupted_run_is_recorded_and_nothing_applied(site, db):
    crawl_into(site.url, db)
    with _read(db) as con:
        before = _history(con)
    site.switch(SITE / "v2")

    def slowly(request):
        import time

        time.sleep(0.05)

    for project in PROJECTS:
        site.override(project.path, slowly)

    async def interrupt() -> None:
        task = asyncio.create_task(run_crawl_async(options(site.url, db)))
        await asyncio.sleep(0.6)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupt())
    with _read(db) as con:
        assert _history(con) == before
        assert con.execute("SELECT status FROM runs WHERE run_id = 2").fetchone() == (
            "interrupted",
        )
        assert con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stage_fetches'"
        ).fetchone() == (0,)
    assert crawl_into(site.url, db).status == "ok"


def test_abandoned_run_is_closed_by_the_next_one(db):
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "http://127.0.0.1:1")
        # the crashed writer's site lease: held by this (live) process, so let it lapse
        warehouse.con.execute("UPDATE leases SET expires_at = now() - INTERVAL 1 SECOND")
    with Warehouse.open(db) as warehouse:
        RunLoader(warehouse.con).begin("stiftung-spi", "http://127.0.0.1:1")
        rows = warehouse.con.execute("SELECT run_id, status FROM runs ORDER BY 1").fetchall()
    assert rows == [(1, "interrupted"), (2, "running")]
