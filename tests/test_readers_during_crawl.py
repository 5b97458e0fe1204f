"""Readers never wait for a crawl: it holds DuckDB's file only for its brief steps, a lock file
keeps one writer, and a reader that meets the merge waits for it (reader_wait), all in real
subprocesses against the fixture site on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from fixtures.sitegen.facts import PROJECTS
from pipeline import exit_codes
from pipeline.errors import WarehouseLockedError
from pipeline.fixture_server import FixtureSite
from pipeline.warehouse.writer_lock import WriterLock, holder, lock_path
from tests.test_cli_e2e import pipeline
from tests.warehouse_support import SITE, crawl_into

ROOT = Path(__file__).resolve().parents[1]
SHOWN = PROJECTS[0].project_id


@pytest.fixture
def site():
    with FixtureSite(SITE / "v1") as server:
        yield server


@pytest.fixture
def db(tmp_path):
    return tmp_path / "projects.duckdb"


@pytest.fixture
def held(site) -> Iterator[threading.Event]:
    """Set it to hold: from then on the site's project pages answer only once it is cleared,
    so a crawl lasts until the test says."""
    hold = threading.Event()

    def wait(request):
        deadline = time.monotonic() + 60
        while hold.is_set() and time.monotonic() < deadline:
            time.sleep(0.02)

    for project in PROJECTS:
        site.override(project.path, wait)
    yield hold
    hold.clear()


def _env(**values: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")} | values


def _start_crawl(site_url: str, db: Path, stderr: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "crawl", "--base-url", site_url, "--db", str(db),
         "--delay", "0", "--no-archive", "--quiet", "--json"],
        cwd=ROOT, env=_env(PIPELINE_PARSE_PROCESSES="0"), stdout=subprocess.PIPE,
        stderr=stderr, text=True,
    )  # fmt: skip


def _run_status(db: Path, run_id: int, timeout: float = 60) -> str:
    """The run's status, read with a plain read-only DuckDB connection (as the duckdb shell
    opens the file), once the run exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with duckdb.connect(str(db), read_only=True) as con:
                row = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
        except duckdb.IOException:  # one of the crawl's brief steps
            row = None
        if row is not None:
            return str(row[0])
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not appear within {timeout} s")


def _stop(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
    child.communicate(timeout=60)


def test_readers_work_while_a_crawl_runs(site, db, held):
    first = crawl_into(site.url, db)
    projects = first.summary.projects
    site.switch(SITE / "v2")
    held.set()
    child = _start_crawl(site.url, db)
    try:
        assert _run_status(db, 2) == "running"
        with duckdb.connect(str(db), read_only=True) as con:  # the duckdb shell's way in
            assert con.execute("SELECT count(*) FROM current_projects").fetchone() == (projects,)
        query = pipeline("query", "--db", str(db), "--format", "json",
                         "SELECT count(*) AS n FROM current_projects")  # fmt: skip
        assert (query.returncode, query.stderr) == (0, "")
        assert json.loads(query.stdout) == [{"n": projects}]
        runs = pipeline("runs", "--db", str(db), "--format", "json")
        assert runs.returncode == 0, runs.stderr
        assert [(r["run_id"], r["status"]) for r in json.loads(runs.stdout)] == [
            (2, "running"),
            (1, "ok"),
        ]
        changes = pipeline("changes", "--db", str(db), "--format", "json", "--type", "new")
        assert changes.returncode == 0, changes.stderr
        assert {c["run_id"] for c in json.loads(changes.stdout)} == {1}  # the previous run's
        show = pipeline("show", "--db", str(db), "--json", SHOWN)
        assert show.returncode == 0, show.stderr
        assert SHOWN in show.stdout
        assert child.poll() is None  # the crawl is still under way
        held.clear()
        out, err = child.communicate(timeout=120)
    finally:
        held.clear()
        _stop(child)
    assert child.returncode == exit_codes.OK, err
    assert json.loads(out)["run_id"] == 2
    assert _run_status(db, 2) == "ok"


def test_a_second_crawl_is_refused_by_the_lock_file_while_the_first_crawls(site, db, held):
    held.set()
    child = _start_crawl(site.url, db)
    try:
        assert _run_status(db, 1) == "running"
        second = pipeline("crawl", "--base-url", site.url, "--db", str(db), "--no-archive")
        assert second.returncode == exit_codes.LOCKED
        assert re.fullmatch(
            rf"error: the warehouse {re.escape(str(db))} is being written by another run \(pid "
            rf"{child.pid} host {re.escape(socket.gethostname())} started \S+: a crawl; lock "
            rf"file {re.escape(str(lock_path(db)))}\); only one writer at a time\. Wait for it "
            r"to finish, or use another --db\.\n",
            second.stderr,
        ), second.stderr
        held.clear()
        _, err = child.communicate(timeout=120)
        assert child.returncode == exit_codes.OK, err
    finally:
        held.clear()
        _stop(child)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT run_id, status FROM runs").fetchall() == [(1, "ok")]


def test_a_killed_crawl_leaves_no_lock_that_blocks_the_next(site, db, held):
    held.set()
    child = _start_crawl(site.url, db)
    try:
        assert _run_status(db, 1) == "running"
        assert holder(db) is not None and holder(db).pid == child.pid
        os.kill(child.pid, signal.SIGKILL)
    finally:
        _stop(child)
    assert child.returncode == -signal.SIGKILL
    assert lock_path(db).read_text().startswith(f"pid {child.pid} ")  # the stale file stays
    assert holder(db) is None
    held.clear()
    report = crawl_into(site.url, db)
    assert (report.run_id, report.status) == (2, "ok")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT run_id, status FROM runs ORDER BY 1").fetchall() == [
            (1, "interrupted"),
            (2, "ok"),
        ]
    assert lock_path(db).read_text() == ""  # released


def test_the_merge_waits_for_a_reader_that_holds_the_file(site, db, held, tmp_path):
    held.set()
    log = tmp_path / "crawl.err"
    with log.open("w") as err:
        child = _start_crawl(site.url, db, stderr=err)
    try:
        assert _run_status(db, 1) == "running"
        reader = duckdb.connect(str(db), read_only=True)  # a duckdb shell left open
        held.clear()  # the crawl ends and wants to merge
        deadline = time.monotonic() + 60
        while "waits up to" not in log.read_text():
            assert time.monotonic() < deadline and child.poll() is None, log.read_text()
            time.sleep(0.05)
        assert child.poll() is None
        reader.close()
        out, _ = child.communicate(timeout=120)
    finally:
        held.clear()
        _stop(child)
    assert child.returncode == exit_codes.OK, log.read_text()
    assert json.loads(out)["status"] == "ok"
    assert re.fullmatch(
        rf"\S+ WARNING the warehouse {re.escape(str(db))} is open in another process \(process "
        rf"{os.getpid()}\) \(a reader\?\); this run waits up to 300 s to write to it",
        log.read_text().splitlines()[0],
    ), log.read_text()


HOLD_THE_MERGE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline.warehouse import merge
    from pipeline.nightly import run_crawl
    from tests.warehouse_support import options

    original = merge.run_step
    release = Path(sys.argv[3])

    def hold_inside_the_merge(con, step, params):
        original(con, step, params)
        if step == "apply":
            print("IN_MERGE", flush=True)
            deadline = time.monotonic() + 60
            while not release.exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    merge.run_step = hold_inside_the_merge
    print(run_crawl(options(sys.argv[1], Path(sys.argv[2]))).status, flush=True)
    """
)


def test_a_reader_meeting_the_merge_waits_or_is_told_what_to_do(site, db, tmp_path):
    crawl_into(site.url, db)
    site.switch(SITE / "v2")
    release = tmp_path / "release"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_MERGE, site.url, str(db), str(release)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    note = (
        f"note: the warehouse is being merged by a crawl (process {child.pid}); waiting up to "
        "{wait} s\n"
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "IN_MERGE\n", child.stderr.read() if child.stderr else ""
        impatient = pipeline("runs", "--db", str(db), env={"PIPELINE_READER_WAIT": "0.5"})
        assert impatient.returncode == exit_codes.LOCKED
        assert impatient.stdout == ""
        assert impatient.stderr == note.format(wait="0.5") + (
            f"error: the warehouse {db} is still being merged by a crawl (process {child.pid}) "
            "after 0.5 s of waiting; run the command again in a minute (a large merge takes "
            "longer), or wait longer with the setting reader_wait ($PIPELINE_READER_WAIT)\n"
        )
        with (tmp_path / "patient.err").open("w") as err:
            patient = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "runs", "--db", str(db), "--format", "json"],
                cwd=ROOT, env=_env(PIPELINE_READER_WAIT="60"), stdout=subprocess.PIPE,
                stderr=err, text=True,
            )  # fmt: skip
            deadline = time.monotonic() + 60
            while "note:" not in (tmp_path / "patient.err").read_text():
                assert time.monotonic() < deadline and patient.poll() is None
                time.sleep(0.05)
            release.touch()  # the merge ends; the waiting reader gets in
            out, _ = patient.communicate(timeout=60)
        assert patient.returncode == 0
        assert (tmp_path / "patient.err").read_text() == note.format(wait="60")
        assert [(r["run_id"], r["status"]) for r in json.loads(out)] == [(2, "ok"), (1, "ok")]
        assert child.stdout.readline() == "ok\n"
    finally:
        release.touch()
        _stop(child)


def test_the_writer_lock_names_its_holder_and_is_free_once_released(db):
    with WriterLock.take(db, "a crawl"):
        found = holder(db)
        assert found is not None and found.pid == os.getpid() and found.what == "a crawl"
        with pytest.raises(WarehouseLockedError, match=r"being written by another run \(pid "):
            WriterLock.take(db, "a reparse")
    assert holder(db) is None
    with WriterLock.take(db, "a reparse"):
        assert holder(db).what == "a reparse"
    assert WriterLock.take("ducklake:postgres:dbname=x", "a crawl").held is False
