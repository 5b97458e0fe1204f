"""PostgreSQL for the DuckLake tests: a server, and a fresh database per test.

``$PIPELINE_TEST_PG`` (libpq keywords, e.g. ``host=127.0.0.1 port=5433 user=postgres``) names a
server to use; ``.ci/run`` starts one and sets it. Without it, when PostgreSQL's binaries are
installed (``initdb``, ``postgres``), the test session starts its own on 127.0.0.1 in a temporary
folder (each pytest-xdist worker its own, on its own port) and stops it at the end. Neither:
the lake tests skip, saying why, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipeline import config
from pipeline.nightly import RunReport, run_crawl
from pipeline.options import run_options
from pipeline.profiles import SiteProfile
from pipeline.warehouse import lake as lakes
from tests.spi import SPI

ENV_PG = "PIPELINE_TEST_PG"
NO_POSTGRES = (
    "no PostgreSQL for the DuckLake tests: set PIPELINE_TEST_PG (e.g. 'host=127.0.0.1 "
    "port=5432 user=postgres') or install PostgreSQL (apt-get install postgresql) so the tests "
    "start their own"
)


def _bindir() -> Path | None:
    found = shutil.which("initdb")  # maybe a symlink into the server's own bin folder
    if found and (Path(found).resolve().parent / "pg_isready").exists():
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A PostgreSQL server of this test session (see the module docstring)."""

    bindir: Path
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres"

    def _as_postgres(self, *command: str) -> list[str]:
        if os.geteuid() != 0:
            return list(command)
        return ["runuser", "-u", "postgres", "--", *command]

    def start(self) -> Server:
        data = self.folder / "data"
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            self._as_postgres(
                str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        # The server's log goes to a file: a pipe nobody reads fills up (64 KiB of log lines
        # under four writers) and then PostgreSQL blocks on it, hanging every client.
        log = (self.folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            self._as_postgres(
                str(self.bindir / "postgres"), "-D", str(data), "-h", "127.0.0.1",
                "-p", str(self.port), "-k", str(self.folder), "-F",
                "-c", "max_connections=200", "-c", "shared_buffers=16MB",
            ),
            stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        log.close()  # the server holds its own copy
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (self.folder / "server.log").read_text(errors="replace")
                raise RuntimeError(f"PostgreSQL did not start: {err}")
            done = subprocess.run(
                [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if done.returncode == 0:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("PostgreSQL did not answer within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # smart shutdown of our own server process
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """The DSN of a server: ``$PIPELINE_TEST_PG``'s, else one started here, else None."""
    given = os.environ.get(ENV_PG)
    if given:
        yield given
        return
    bindir = _bindir()
    if bindir is None or not (bindir / "postgres").exists():
        yield None
        return
    server = Server(bindir, Path(tempfile.mkdtemp(prefix="pipeline-pg-")), _free_port())
    try:
        server.start()
        yield server.dsn
    finally:
        server.stop()


def admin(dsn: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the server's ``postgres`` database attached as ``pg``."""
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    lakes.load_extensions(con)
    con.execute(f"ATTACH 'dbname=postgres {dsn}' AS pg (TYPE postgres)")
    return con


def execute(dsn: str, sql: str) -> None:
    """One statement outside a transaction (CREATE DATABASE cannot run in one)."""
    con = admin(dsn)
    try:
        con.execute("CALL postgres_execute('pg', ?, use_transaction = false)", [sql])
    finally:
        con.close()


@dataclass(frozen=True)
class Lake:
    """A fresh DuckLake: its own PostgreSQL database and a data folder under tmp_path."""

    dsn: str
    dbname: str
    data_path: Path

    @property
    def db(self) -> str:
        """The --db value."""
        return f"ducklake:postgres:dbname={self.dbname} {self.dsn}"


def new_lake(dsn: str, folder: Path) -> Lake:
    name = "lake_" + uuid.uuid4().hex[:12]
    execute(dsn, f"CREATE DATABASE {name}")
    return Lake(dsn, name, folder / f"{name}-data")


def drop_lake(made: Lake) -> None:
    with contextlib.suppress(duckdb.Error):
        execute(made.dsn, f"DROP DATABASE IF EXISTS {made.dbname} WITH (FORCE)")


def missing(dsn: str | None) -> None:
    """Skip (fail under CI) a lake test without a server."""
    if dsn is not None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(NO_POSTGRES + " (CI is set: the lake tests must run)")
    pytest.skip(NO_POSTGRES)


def crawl_lake(
    base_url: str, db: str | Path, profile: SiteProfile = SPI, **settings: object
) -> RunReport:
    """One crawl of a fixture site made as the CLI makes it, into a file or a lake."""
    effective = config.defaults(
        base_url=base_url,
        db=str(db),
        **{"delay": 0.0, "parse_processes": 0, "backoff": 0.01, "archive": False, **settings},
    )
    return run_crawl(run_options(effective, profile))
