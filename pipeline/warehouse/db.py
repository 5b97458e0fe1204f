"""Opening the warehouse: migrations applied on open.

Two backends behind one :class:`Warehouse`: an embedded DuckDB file (the default: one writer
process at a time) or a DuckLake whose catalog is in PostgreSQL (``--db ducklake:postgres:...``,
several writers; see :mod:`pipeline.warehouse.lake`).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import (
    InputError,
    NotAWarehouseError,
    WarehouseError,
    WarehouseLockedError,
)
from pipeline.warehouse import lake as lakes
from pipeline.warehouse.lake import LakeTarget, is_lake

DEFAULT_DB = Path("warehouse") / "projects.duckdb"
ENV_DB = "PIPELINE_DB"
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# A DuckDB file starts with a checksum and the magic bytes "DUCK"; three 4 KiB headers come
# before its blocks (DuckDB's storage format since 0.9).
_MAGIC = b"DUCK"
_MAGIC_OFFSET = 8
_HEADERS_SIZE = 3 * 4096
MARKER_TABLE = "schema_migrations"  # every warehouse of ours has it: the first thing migrate makes


def resolve_db_path(path: str | Path | None) -> Path:
    """The database: the argument, else ``$PIPELINE_DB``, else ``warehouse/projects.duckdb``."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_DB)
    return Path(env) if env else DEFAULT_DB


def resolve_db(path: str | Path | None) -> Path | LakeTarget:
    """Like :func:`resolve_db_path`, but a ``ducklake:`` value is a lake (kept verbatim)."""
    raw = path if path else os.environ.get(ENV_DB)
    if raw and is_lake(raw):
        return LakeTarget(str(raw))
    return resolve_db_path(path)


def sql_root() -> Path:
    """The folder with ``migrations/`` and ``queries/``: bundled in a wheel, else the checkout."""
    bundled = Path(__file__).resolve().parents[1] / "_bundled" / "warehouse"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "warehouse"


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every migration file, in order."""
    folder = sql_root() / "migrations"
    found = []
    for file in sorted(folder.glob("*.sql")):
        match = _MIGRATION.match(file.name)
        if match:
            found.append((int(match.group(1)), match.group(2), file.read_text(encoding="utf-8")))
    if not found:
        raise WarehouseError(f"no migrations found in {folder}; the installation is incomplete")
    return found


# DuckDB 1.5 needs about 110 MB to read a spool of 5,000 pages or more (its JSON reader holds a
# 32 MB buffer while the stage table fills) and then spills; 80 MB, enough on DuckDB 1.4, ran
# out at 5,000 pages and the retry at twice the limit let the process grow by 300 MB
# (benchmarks/merge_memory.py). The merge fills what it gets: a limit is also a size.
MERGE_MEMORY_MB = 112
MERGE_MEMORY_RETRIES = 3
MIGRATE_RETRIES = 8  # a lake's writers migrating at once


@dataclass(frozen=True, slots=True)
class DuckDBLimits:
    """DuckDB's resources for a writer (the settings duckdb_memory, duckdb_merge_memory and
    duckdb_threads): while a crawl runs the writer stays small, since its pages wait in a spool
    file; the merge at the end of a run gets what its size needs (see merge_memory)."""

    memory: str = "64MB"
    merge_memory: str | None = None  # one fixed limit instead of sizing by the run
    threads: int = 1

    def merge_memory_limits(self, staged_rows: int) -> list[str]:
        """Memory limits for merging a run, to try in turn: 112 MB or 1 KB per staged page,
        whichever is more, then twice that for each retry after running out of memory."""
        if self.merge_memory:
            return [self.merge_memory]
        first = max(MERGE_MEMORY_MB, staged_rows // 1024)
        return [f"{first << k}MB" for k in range(MERGE_MEMORY_RETRIES + 1)]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> Any:
    """The first value of the one row an aggregate query returns."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:  # an aggregate always answers with a row: the connection is broken
        raise WarehouseError(f"the warehouse returned no row for {sql!r}; check the database file")
    return row[0]


def _not_ours(path: Path, why: str) -> NotAWarehouseError:
    return NotAWarehouseError(
        f"{path} is not a warehouse: {why}. Point --db (or ${ENV_DB}) at a warehouse "
        "file, or at a new path to create one; nothing was stored."
    )


def check_file(path: Path) -> None:
    """Refuse, before DuckDB opens it, a path that cannot be a DuckDB warehouse: a directory,
    a file without DuckDB's magic bytes (DuckDB would open a CSV as an empty in-memory
    database), or a file shorter than its headers."""
    if path.is_dir():
        raise _not_ours(path, "it is a directory")
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise _not_ours(path, "it is an empty file")
    try:
        with path.open("rb") as file:
            head = file.read(_MAGIC_OFFSET + len(_MAGIC))
    except OSError as exc:
        raise NotAWarehouseError(f"cannot read the warehouse {path}: {exc}") from exc
    if head[_MAGIC_OFFSET:] != _MAGIC:
        raise _not_ours(path, "it is not a DuckDB database file")
    if path.stat().st_size < _HEADERS_SIZE:
        raise _not_ours(path, "the DuckDB file is cut short (truncated)")


def check_marker(con: duckdb.DuckDBPyConnection, where: str, new: bool) -> None:
    """A warehouse of ours has the migrations table; a new one has no table yet."""
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    if MARKER_TABLE not in tables and (tables or not new):
        raise NotAWarehouseError(
            f"{where} is not a warehouse: a database without the {MARKER_TABLE} table. Point "
            f"--db (or ${ENV_DB}) at a warehouse, or at a new one to create; nothing was stored."
        )


def check_integrity(con: duckdb.DuckDBPyConnection, path: Path, new: bool) -> None:
    """After opening: the file holds whole blocks, at least as many as it uses (a truncated
    copy does not) and, unless just created, the migrations table that marks a warehouse of ours."""
    row = con.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() "
        "WHERE database_name = current_database()"
    ).fetchone()
    if row is not None and not new:
        # Free blocks at the end are cut off by DuckDB itself, so the file may hold fewer blocks
        # than the header counts; never fewer than it uses, and always whole blocks.
        block_size, used_blocks = int(row[0]), int(row[1])
        body = path.stat().st_size - _HEADERS_SIZE
        if body % block_size or body < block_size * used_blocks:
            raise _not_ours(
                path,
                f"the DuckDB file is cut short (truncated): it uses {used_blocks} blocks of "
                f"{block_size} bytes and holds {body / block_size:.2f}",
            )
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    if MARKER_TABLE not in tables and (tables or not new):
        raise _not_ours(path, f"a DuckDB database without the {MARKER_TABLE} table")


def _writer_config(
    read_only: bool, limits: DuckDBLimits
) -> dict[str, str | bool | int | float | list[str]]:
    if read_only:
        return {}
    return {
        "memory_limit": limits.memory,
        "preserve_insertion_order": False,
        "threads": limits.threads,
    }


def _open(
    path: Path,
    read_only: bool,
    limits: DuckDBLimits,
    extra: dict[str, str | bool | int | float | list[str]] | None = None,
) -> duckdb.DuckDBPyConnection:
    config = dict(extra or {}) | _writer_config(read_only, limits)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not read enough bytes" in text:  # DuckDB 1.5 finds a cut file itself
            raise _not_ours(path, "the DuckDB file is cut short (truncated)") from exc
        if "lock" in text.lower():
            holder = re.search(r"PID (\d+)", text)
            who = f" (process {holder.group(1)})" if holder else ""
            raise WarehouseLockedError(
                f"the warehouse {path} is in use by another run{who}; only one writer at a time. "
                "Wait for it to finish, or use another --db."
            ) from exc
        raise WarehouseError(f"cannot open the warehouse {path}: {text}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(
            f"cannot open the warehouse {path}: {exc}. Is it a DuckDB database file?"
        ) from exc


TURNS_TABLE = "schema_migration_turns"  # on a lake: the row(s) every migration updates


def _lake_turns(con: duckdb.DuckDBPyConnection) -> None:
    """The table every migration on a lake updates. Writers making it together may each add
    its row; that changes nothing: a migration updates every committed row, so two writers
    applying one migration still touch the same row and DuckLake lets only one commit."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {TURNS_TABLE} (turn BIGINT NOT NULL)")
    if con.execute(f"SELECT count(*) FROM {TURNS_TABLE}").fetchone() == (0,):
        con.execute(f"INSERT INTO {TURNS_TABLE} VALUES (0)")


def _recorded(con: duckdb.DuckDBPyConnection, version: int) -> bool:
    found = con.execute("SELECT count(*) FROM schema_migrations WHERE version = ?", [version])
    return found.fetchone() != (0,)


class _MigratedMeanwhile(Exception):
    """Another writer on the same lake applied a migration this one was applying."""


@dataclass
class Warehouse:
    """An open warehouse. Writers migrate on open; readers open read-only. ``lake`` is set
    when it is a DuckLake (then ``path`` is only its attach string, for messages)."""

    path: Path
    con: duckdb.DuckDBPyConnection
    read_only: bool
    limits: DuckDBLimits = DuckDBLimits()
    lake: LakeTarget | None = None

    @property
    def name(self) -> str:
        """The warehouse as --db names it."""
        return str(self.lake) if self.lake is not None else str(self.path)

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        read_only: bool = False,
        limits: DuckDBLimits | None = None,
        sandboxed: bool = False,
        *,
        data_path: str | Path | None = None,
    ) -> Warehouse:
        """Open (a writer creates and migrates) the warehouse at ``path``; refuse a path that is
        not one of ours. ``sandboxed`` (readers only): no file, network or extension access
        beyond the warehouse itself, and settings locked, for SQL a user types. A DuckLake
        (``ducklake:...``) is made in ``data_path`` when it does not exist yet."""
        target = resolve_db(path)
        if isinstance(target, LakeTarget):
            return cls._open_lake(target, read_only, limits or DuckDBLimits(), sandboxed, data_path)
        db = target
        check_file(db)
        if read_only:
            if not db.is_file():
                raise InputError(
                    f"no warehouse at {db}: run `pipeline crawl` (or `pipeline demo`) first, "
                    f"or point --db / ${ENV_DB} at an existing database"
                )
        else:
            db.parent.mkdir(parents=True, exist_ok=True)
        limits = limits or DuckDBLimits()
        new = not db.exists()
        extra: dict[str, str | bool | int | float | list[str]] = {}
        if sandboxed and read_only:
            extra = {"enable_external_access": False, "lock_configuration": True}
        con = _open(db, read_only, limits, extra)
        try:
            check_integrity(con, db, new)
        except NotAWarehouseError:
            con.close()
            raise
        warehouse = cls(db, con, read_only, limits)
        if not read_only:
            warehouse.migrate()
        return warehouse

    @classmethod
    def _open_lake(
        cls,
        target: LakeTarget,
        read_only: bool,
        limits: DuckDBLimits,
        sandboxed: bool,
        data_path: str | Path | None,
    ) -> Warehouse:
        folder = Path(data_path) if data_path else None
        con, new = lakes.connect(target, read_only, _writer_config(read_only, limits), folder)
        try:
            # an empty lake is a new one to a writer: made by another writer started with us
            check_marker(con, str(target), new or not read_only)
            if sandboxed and read_only:
                lakes.lock_down(con)
        except BaseException:
            con.close()
            raise
        warehouse = cls(Path(target.attach), con, read_only, limits, target)
        if not read_only:
            try:
                warehouse.migrate()
            except BaseException:
                con.close()
                raise
        return warehouse

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; each in its own transaction. On a lake,
        another writer migrating at the same moment makes ours conflict: it is re-read and
        re-run (the other's migrations are then recorded and skipped)."""
        for attempt in range(MIGRATE_RETRIES + 1):
            try:
                return self._migrate_once()
            except (duckdb.TransactionException, _MigratedMeanwhile) as exc:
                if attempt == MIGRATE_RETRIES:
                    raise WarehouseError(
                        f"migrating {self.name} kept conflicting with other writers "
                        f"({MIGRATE_RETRIES + 1} attempts): {exc}; run it again"
                    ) from exc
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
        raise AssertionError("unreachable")

    def _migrate_once(self) -> list[int]:
        con = self.con
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        if self.lake is not None:
            try:
                _lake_turns(con)
            except duckdb.CatalogException as exc:  # another writer made it a moment ago
                if "already exists" not in str(exc):
                    raise WarehouseError(f"cannot prepare {self.name}'s migrations: {exc}") from exc
                raise _MigratedMeanwhile(str(exc)) from exc
        done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            con.begin()
            try:
                if self.lake is not None:
                    # Two writers applying one migration at once must not both commit (DuckLake
                    # has no unique keys, and a migration may not be idempotent): each updates
                    # the same row, so DuckLake fails the second commit as a conflict, and the
                    # loser re-reads what is done. One that committed before this transaction
                    # began is seen here.
                    con.execute(f"UPDATE {TURNS_TABLE} SET turn = turn + 1")
                    if _recorded(con, version):
                        con.rollback()
                        continue
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, name, datetime.now(UTC)],
                )
                con.commit()
            except duckdb.TransactionException:
                con.rollback()
                raise
            except duckdb.CatalogException as exc:
                con.rollback()
                if self.lake is not None and "already exists" in str(exc):
                    # a writer that started with us applied it first and committed
                    raise _MigratedMeanwhile(str(exc)) from exc
                raise WarehouseError(f"migration {version:04d}_{name} failed: {exc}") from exc
            except duckdb.Error as exc:
                con.rollback()
                raise WarehouseError(f"migration {version:04d}_{name} failed: {exc}") from exc
            applied.append(version)
        return applied

    def close(self) -> None:
        """Close; a writer of a file first CHECKPOINTs with the merge's memory: DuckDB 1.5's
        own checkpoint (after a commit, at shutdown) runs out of memory under the crawl's
        small limit and silently leaves the rows in the write-ahead log, so a copy of the file
        alone would miss them."""
        if not self.read_only and self.lake is None:
            with contextlib.suppress(duckdb.Error):
                self.con.execute(f"SET memory_limit = '{self.limits.merge_memory_limits(0)[-1]}'")
                self.con.execute("CHECKPOINT")
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
