"""Several writer processes into one DuckLake at once: 4 `pipeline crawl` processes, 4 fixture
sites of 3 foundations, 2 nights with changes between them. Every table equals, row for row
(ids and times aside), the serial result of the same runs into 4 embedded files; time travel to
before night 2 equals night 1; a worker killed inside its merge leaves its site intact and the
maintenance job finds what it left; colliding merges conflict and are re-run. Real PostgreSQL,
real fixture servers."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.fixture_server import FixtureSite
from pipeline.model import CrawlSummary
from pipeline.warehouse import RunLoader, Warehouse, merge
from pipeline.warehouse.maintain import maintain
from tests.lake_support import drop_lake, new_lake
from tests.warehouse_support import table_rows

pytestmark = [pytest.mark.lake, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
FOUNDATIONS = {  # foundation -> (site folder with v1/ and v2/, profile, host in its pages)
    "spi": (ROOT / "fixtures/site", ROOT / "pipeline/profiles/builtin/stiftung-spi.toml",
            "stiftung-spi.de"),
    "lichtenweide": (ROOT / "fixtures/foundations/lichtenweide/site",
                     ROOT / "fixtures/foundations/lichtenweide/profile.toml",
                     "stiftung-lichtenweide.de"),
    "farnegg": (ROOT / "fixtures/foundations/farnegg/site",
                ROOT / "fixtures/foundations/farnegg/profile.toml", "farnegg-stiftung.ch"),
}  # fmt: skip
# "stiftung-spi" replaces the built-in profile of that id: `crawl --all` stays on 127.0.0.1
SITES = {
    "stiftung-spi": "spi",
    "spi-b": "spi",
    "lichtenweide-a": "lichtenweide",
    "farnegg-a": "farnegg",
}
# columns that differ between two crawls of the same pages: ids, times, durations, files


def _copy(foundation: str, site: str, folder: Path) -> Path:
    """The foundation's snapshots under the host ``<site>.example``: its projects its own."""
    source, _, host = FOUNDATIONS[foundation]
    for snapshot in ("v1", "v2"):
        for file in (source / snapshot).rglob("*"):
            if file.is_file():
                target = folder / snapshot / file.relative_to(source / snapshot)
                target.parent.mkdir(parents=True, exist_ok=True)
                data = file.read_bytes()
                with contextlib.suppress(UnicodeDecodeError):
                    data = data.decode("utf-8").replace(host, f"{site}.example").encode()
                target.write_bytes(data)
    return folder


@pytest.fixture
def servers(tmp_path_factory):
    roots = {s: _copy(f, s, tmp_path_factory.mktemp(s)) for s, f in SITES.items()}
    started = {s: FixtureSite(roots[s] / "v1").start() for s in SITES}
    for server in started.values():
        server.roots = roots  # type: ignore[attr-defined]
    yield started
    for server in started.values():
        server.stop()


def _night(servers: dict[str, FixtureSite], snapshot: str) -> None:
    for site, server in servers.items():
        server.switch(server.roots[site] / snapshot)  # type: ignore[attr-defined]


def _config(folder: Path, servers: dict[str, FixtureSite], db: str, data_path: Path | None):
    profiles = folder / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    for site, server in servers.items():
        foundation = SITES[site]
        text = FOUNDATIONS[foundation][1].read_text("utf-8")
        text = text.replace(FOUNDATIONS[foundation][2], f"{site}.example")
        text = re.sub(r'(?m)^id = ".*"$', f'id = "{site}"', text)
        text = re.sub(r'(?m)^origin = ".*"$', f'origin = "{server.url}"', text)
        (profiles / f"{site}.toml").write_text(text, "utf-8")
    config = folder / "pipeline.toml"
    config.write_text(
        f'profiles_dir = "{profiles}"\ndb = "{db}"\ndelay = 0\nretries = 1\nbackoff = 0.01\n'
        'parse_processes = 0\narchive = false\nrun_ids = "unique"\n'
        + (f'data_path = "{data_path}"\n' if data_path else ""),
        "utf-8",
    )
    return config


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}


def _crawl(site: str, config: Path, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "crawl", "--site", site, "--config", str(config),
         "--quiet", "--json"],
        cwd=cwd, env=env or _env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _all_ok(processes: dict[str, subprocess.Popen[str]]) -> dict[str, str]:
    out = {}
    for site, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, (site, stderr[-3000:], stdout[-3000:])
        out[site] = stdout
    return out


def _files(tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    together: dict[str, list[tuple[object, ...]]] = {}
    for site in SITES:
        with Warehouse.open(tmp_path / f"{site}.duckdb", read_only=True) as warehouse:
            for name, rows in table_rows(warehouse.con).items():
                together.setdefault(name, []).extend(rows)
    return {name: sorted(rows, key=repr) for name, rows in together.items()}


def _crawl_all(config: Path, cwd: Path) -> subprocess.Popen[str]:
    """`pipeline crawl --all`: every site of the profiles folder in one process."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "crawl", "--all", "--config", str(config),
         "--quiet", "--json"],
        cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_four_writers_into_one_lake_equal_four_files_one_by_one(lake, servers, tmp_path):
    lake_config = _config(tmp_path / "lake", servers, lake.db, lake.data_path)
    Warehouse.open(lake.db, data_path=lake.data_path).close()  # made once, before the writers
    # and a second lake, written by one `crawl --all` process per night
    assert lake.dsn is not None
    one_process = new_lake(lake.dsn, tmp_path)
    all_config = _config(tmp_path / "all", servers, one_process.db, one_process.data_path)
    nights = {}
    try:
        for snapshot in ("v1", "v2"):
            _night(servers, snapshot)
            at_once = {s: _crawl(s, lake_config, tmp_path) for s in SITES}
            _all_ok(at_once)
            with Warehouse.open(lake.db, read_only=True) as warehouse:
                nights[snapshot] = warehouse.con.execute(
                    "SELECT max(snapshot_id) FROM lake.snapshots()"
                ).fetchone()[0]
            _all_ok({"--all": _crawl_all(all_config, tmp_path)})  # exit 0: every site ok
        with Warehouse.open(one_process.db, read_only=True) as warehouse:
            by_one_process = table_rows(warehouse.con)
    finally:
        drop_lake(one_process)
    # the same runs, one after another, each site into its own embedded file
    serial = {}
    for snapshot in ("v1", "v2"):
        _night(servers, snapshot)
        for site in SITES:
            config = _config(tmp_path / site, servers, str(tmp_path / f"{site}.duckdb"), None)
            _all_ok({site: _crawl(site, config, tmp_path)})
        serial[snapshot] = _files(tmp_path)
    assert by_one_process == serial["v2"]  # crawl --all into a lake: the same tables
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        con = warehouse.con
        assert table_rows(con) == serial["v2"]
        # time travel: the lake as night 1 left it
        assert table_rows(con, f"AT (VERSION => {nights['v1']})") == serial["v1"]
        ids = con.execute("SELECT count(*), count(DISTINCT run_id) FROM runs").fetchone()
        assert ids == (8, 8)
        assert (
            con.execute(
                "SELECT project_id FROM project_versions WHERE is_current GROUP BY 1 "
                "HAVING count(*) > 1"
            ).fetchall()
            == []
        )
        assert (
            con.execute(
                "SELECT count(DISTINCT site), count(*) FROM project_versions WHERE is_current"
            ).fetchone()[0]
            == 4
        )
        assert con.execute("SELECT count(*) FROM leases").fetchone() == (0,)


KILL_IN_MERGE = """
import os, sys, time
from pipeline.warehouse import merge
original = merge.run_step
def stall(con, step, params):
    original(con, step, params)
    if step == "apply":
        print("IN_TRANSACTION", flush=True)
        time.sleep(120)
merge.run_step = stall
from pipeline.cli import main
sys.argv = ["pipeline", *sys.argv[1:]]
main()
"""


def test_a_worker_killed_in_its_merge_leaves_its_site_intact(lake, servers, tmp_path):
    config = _config(tmp_path / "lake", servers, lake.db, lake.data_path)
    Warehouse.open(lake.db, data_path=lake.data_path).close()
    _all_ok({s: _crawl(s, config, tmp_path) for s in SITES})  # night 1
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        before = table_rows(warehouse.con)
        files_before = set(lake.data_path.rglob("*.parquet"))
    _night(servers, "v2")
    victim = "spi-b"  # a name no other site's rows contain
    killed = subprocess.Popen(
        [sys.executable, "-c", KILL_IN_MERGE, "crawl", "--site", victim, "--config", str(config),
         "--quiet"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    others = {s: _crawl(s, config, tmp_path) for s in SITES if s != victim}
    try:
        assert killed.stdout is not None
        assert killed.stdout.readline().strip() == "IN_TRANSACTION"
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.wait(timeout=30)
    assert killed.returncode == -signal.SIGKILL
    _all_ok(others)
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        con = warehouse.con
        after = table_rows(con)
        mine = [name for name in after if name not in ("runs", "fetches")]
        for name in mine:  # the victim's rows as night 1 left them
            assert [r for r in after[name] if victim in repr(r)] == [
                r for r in before[name] if victim in repr(r)
            ], name
        assert con.execute(
            "SELECT status FROM runs WHERE site = ? ORDER BY started_at", [victim]
        ).fetchall() == [("ok",), ("running",)]
    # the killed merge wrote Parquet files it never committed: orphans, found by maintenance
    written = set(lake.data_path.rglob("*.parquet")) - files_before
    with Warehouse.open(lake.db) as warehouse:
        report = maintain(warehouse, orphan_age=0)
    orphans = {Path(p) for p in report.lake.orphans_deleted} if report.lake else set()
    assert orphans and orphans <= written
    assert not any(p.exists() for p in orphans)
    # the rerun completes: the killed run is closed as interrupted, the site reaches night 2
    _all_ok({victim: _crawl(victim, config, tmp_path)})
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        assert warehouse.con.execute(
            "SELECT status FROM runs WHERE site = ? ORDER BY started_at", [victim]
        ).fetchall() == [("ok",), ("interrupted",), ("ok",)]
        assert (
            warehouse.con.execute(
                "SELECT count(*) FROM project_changes c JOIN runs r USING (run_id) "
                "WHERE r.site = ? AND r.status = 'ok' AND r.started_at > ?",
                [victim, datetime(2000, 1, 1, tzinfo=UTC)],
            ).fetchone()[0]
            > 0
        )


def test_colliding_merges_conflict_and_are_re_run_and_counted(lake, monkeypatch):
    with (
        Warehouse.open(lake.db, data_path=lake.data_path) as first,
        Warehouse.open(lake.db) as second,
    ):
        # two writers' transactions: an UPDATE of runs conflicts with another's INSERT into it
        one, two = first.con, second.con
        one.execute("INSERT INTO runs (run_id, site, base_url, started_at, status) "
                    "VALUES (7, 'b', 'x', now(), 'ok')")  # fmt: skip
        one.begin()
        one.execute("INSERT INTO runs (run_id, site, base_url, started_at, status) "
                    "VALUES (1, 'e', 'x', now(), 'ok')")  # fmt: skip
        two.begin()
        two.execute("UPDATE runs SET message = 'x' WHERE site = 'b'")
        one.commit()
        with pytest.raises(duckdb.TransactionException):
            two.commit()
        # a merge whose transaction another writer's commit overtakes is re-run as a whole
        loader = RunLoader(first.con, run_ids="unique")
        run_id = loader.begin("c", "http://127.0.0.1:1")
        original = merge.run_step
        overtaken: list[str] = []

        def another_writer_commits(con, step, params):
            original(con, step, params)
            if step == "apply" and not overtaken:
                overtaken.append(step)
                two.execute("INSERT INTO runs (run_id, site, base_url, started_at, status) "
                            "VALUES (2, 'd', 'x', now(), 'ok')")  # fmt: skip

        monkeypatch.setattr(merge, "run_step", another_writer_commits)
        report = loader.finish(CrawlSummary("c", "http://127.0.0.1:1", datetime.now(UTC)))
        assert overtaken == ["apply"]
        assert report.status == "ok" and report.merge_retries == 1
        assert first.con.execute(
            "SELECT status, merge_retries FROM runs WHERE run_id = ?", [run_id]
        ).fetchone() == ("ok", 1)
