"""Several writers into one warehouse: site leases, per-site cleanup, merge re-runs, run ids,
and `pipeline warehouse maintain`; on real DuckDB."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from pipeline import exit_codes
from pipeline.cli import cli
from pipeline.errors import WarehouseLockedError
from pipeline.model import CrawlSummary
from pipeline.warehouse import RunLoader, Warehouse
from pipeline.warehouse.writer_lock import WriterLock

URL = "http://127.0.0.1:1"


@pytest.fixture
def warehouse(tmp_path):
    with Warehouse.open(tmp_path / "w.duckdb") as opened:
        yield opened


def _runs(warehouse):
    return warehouse.con.execute("SELECT run_id, site, status FROM runs ORDER BY 1").fetchall()


def test_one_writer_per_site_and_a_clear_message(warehouse):
    first = RunLoader(warehouse.con.cursor())
    first.begin("a", URL)
    with pytest.raises(WarehouseLockedError) as caught:
        RunLoader(warehouse.con.cursor()).begin("a", URL)
    assert re.fullmatch(
        rf"a crawl of 'a' is already under way by {socket.gethostname()}:\d+:[0-9a-f]{{8}} "
        r"\(run 1\) since \S+; its lease expires at \S+\. Wait for it to finish \(a killed "
        r"writer's lease lapses then\), or use another --db\.",
        str(caught.value),
    )
    RunLoader(warehouse.con.cursor()).begin("b", URL)  # another site: its own lease
    first.abort("stopped")  # releases the lease
    RunLoader(warehouse.con.cursor()).begin("a", URL)
    assert _runs(warehouse) == [(1, "a", "interrupted"), (2, "b", "running"), (3, "a", "running")]


def test_abandoned_runs_are_closed_for_their_own_site_only(warehouse):
    RunLoader(warehouse.con.cursor()).begin("a", URL)
    RunLoader(warehouse.con.cursor()).begin("b", URL)  # live, another writer's
    warehouse.con.execute("UPDATE leases SET expires_at = now() - INTERVAL 1 SECOND "
                          "WHERE name = 'site:a'")  # fmt: skip
    RunLoader(warehouse.con.cursor()).begin("a", URL)
    assert _runs(warehouse) == [(1, "a", "interrupted"), (2, "b", "running"), (3, "a", "running")]


def test_a_dead_process_lease_is_taken_over(warehouse):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    now = datetime.now(UTC)
    warehouse.con.execute(
        "INSERT INTO leases VALUES ('site:a', ?, 7, ?, ?)",
        [f"{socket.gethostname()}:{gone.stdout.strip()}:dead", now, now + timedelta(hours=1)],
    )
    assert RunLoader(warehouse.con).begin("a", URL) == 1


def test_a_conflicting_merge_is_re_run_and_counted(warehouse):
    loader = RunLoader(warehouse.con.cursor())
    run_id = loader.begin("a", URL)
    other = warehouse.con.cursor()
    other.begin()
    other.execute("UPDATE runs SET message = 'other writer' WHERE run_id = ?", [run_id])
    timer = threading.Timer(0.3, other.commit)
    timer.start()
    report = loader.finish(CrawlSummary("a", URL, datetime.now(UTC)))
    timer.join()
    assert report.merge_retries >= 1
    row = warehouse.con.execute(
        "SELECT merge_retries, status FROM runs WHERE run_id = ?", [run_id]
    ).fetchone()
    assert row == (report.merge_retries, report.status)
    assert warehouse.con.execute("SELECT count(*) FROM leases").fetchone() == (0,)


def test_unique_run_ids_grow_with_the_start(warehouse):
    at = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    first = RunLoader(warehouse.con.cursor(), run_ids="unique").begin("a", URL, at)
    later = RunLoader(warehouse.con.cursor(), run_ids="unique").begin(
        "b", URL, at + timedelta(milliseconds=1)
    )
    assert first >> 20 == int(at.timestamp() * 1000)
    assert 2**40 < first < later < 2**63


def test_maintain_deletes_lapsed_leases_and_never_runs_twice(tmp_path):
    db = tmp_path / "m.duckdb"
    with Warehouse.open(db) as warehouse:
        past = datetime.now(UTC) - timedelta(hours=1)
        warehouse.con.execute(
            "INSERT INTO leases VALUES ('site:a', 'elsewhere:1:x', 1, ?, ?)", [past, past]
        )
    done = CliRunner().invoke(cli, ["warehouse", "maintain", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert re.fullmatch(rf"{re.escape(str(db))}: 1 lapsed lease\(s\) deleted; \d+ -> \d+ bytes\n",
                        done.output)  # fmt: skip
    with Warehouse.open(db) as warehouse:
        soon = datetime.now(UTC) + timedelta(hours=1)
        warehouse.con.execute(
            "INSERT INTO leases VALUES ('maintain', 'elsewhere:1:x', NULL, ?, ?)", [soon, soon]
        )
    again = CliRunner().invoke(cli, ["warehouse", "maintain", "--db", str(db)])
    assert again.exit_code == exit_codes.LOCKED
    assert "warehouse maintenance is already under way by elsewhere:1:x since" in again.output


def test_maintain_is_refused_while_a_crawl_holds_the_file_and_runs_after_it(tmp_path):
    db = tmp_path / "m.duckdb"
    Warehouse.open(db).close()
    with WriterLock.take(db, "a crawl"):  # a crawl between two of its brief connections
        refused = CliRunner().invoke(cli, ["warehouse", "maintain", "--db", str(db)])
    assert refused.exit_code == exit_codes.LOCKED
    assert "is being written by another run" in refused.output and "a crawl" in refused.output
    done = CliRunner().invoke(cli, ["warehouse", "maintain", "--db", str(db)])
    assert done.exit_code == 0, done.output
