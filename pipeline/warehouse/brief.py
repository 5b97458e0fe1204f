"""A writer's brief connections: the warehouse opened read-write for one step, then closed.

A crawl holds DuckDB's file lock only while it starts, renews its lease, merges or records an
abort; in between, readers (``pipeline query``, the duckdb shell, ...) open the file. A reader
that is open when the crawl wants its next step holds the file for a moment: the step retries
for up to ``wait`` seconds (saying so once in the log), then gives up with
:class:`WarehouseLockedError`. At its start a run waits only for readers: another writer
holding the file (a Python session, ``pipeline warehouse maintain``) fails it at once, as
before; its merge waits for either.

A DuckLake has no file lock: its readers and writers never block each other, and attaching it
(extensions, the catalog in PostgreSQL) costs more than a step. There the lake is opened once,
at the first step, and each step gets a cursor of its own (TEMP stage tables are per cursor),
until :meth:`BriefConnections.close`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from pipeline.errors import WarehouseLockedError
from pipeline.warehouse.db import DuckDBLimits, Warehouse, resolve_db_path
from pipeline.warehouse.lake import CATALOG, is_lake

log = logging.getLogger(__name__)

WRITER_WAIT = 300.0  # seconds a writer's step waits for readers that hold the file
RETRY_SLEEP = 0.05


class Connect(Protocol):
    """Opens the warehouse for one step; ``wait`` overrides how long it waits for readers;
    ``for_writers`` False: another writer holding the file fails the step at once."""

    def __call__(
        self, wait: float | None = None, *, for_writers: bool = True
    ) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]: ...


@dataclass
class BriefConnections:
    """Read-write connections to ``db``, one per step (see the module docstring); ``close``
    when the run is done (a no-op on a DuckDB file)."""

    db: str | Path | None
    limits: DuckDBLimits = field(default_factory=DuckDBLimits)
    wait: float = WRITER_WAIT
    data_path: str | Path | None = None  # a new DuckLake's Parquet folder
    _lake: Warehouse | None = field(default=None, repr=False)

    @contextlib.contextmanager
    def __call__(
        self, wait: float | None = None, *, for_writers: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        if is_lake(self.db):
            if self._lake is None:
                self._lake = Warehouse.open(self.db, limits=self.limits, data_path=self.data_path)
            cursor = self._lake.con.cursor()
            try:
                cursor.execute(f"USE {CATALOG}")
                yield cursor
            finally:
                cursor.close()
            return
        warehouse = self._open(self.wait if wait is None else wait, for_writers)
        try:
            yield warehouse.con
        finally:
            warehouse.close()

    def close(self) -> None:
        if self._lake is not None:
            self._lake.close()
            self._lake = None

    def __enter__(self) -> BriefConnections:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self, wait: float, for_writers: bool) -> Warehouse:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                return Warehouse.open(self.db, limits=self.limits, data_path=self.data_path)
            except WarehouseLockedError as exc:
                if not for_writers and self._writer_holds():
                    raise
                found = re.search(r"\(process \d+\)", str(exc))
                who = f"another process {found.group(0)}" if found else "another process"
                where = self.db or "the warehouse"
                if time.monotonic() >= deadline:
                    raise WarehouseLockedError(
                        f"the warehouse {where} stayed open in {who} for {wait:g} s while this "
                        "run waited to write to it; close what holds it (a duckdb shell, a long "
                        "query?) and run again, or let steps wait longer (setting writer_wait, "
                        "$PIPELINE_WRITER_WAIT)"
                    ) from exc
                if not told:
                    log.warning(
                        "the warehouse %s is open in %s (a reader?); this run waits up to %g s "
                        "to write to it",
                        where,
                        who,
                        wait,
                    )
                    told = True
                time.sleep(RETRY_SLEEP)

    def _writer_holds(self) -> bool:
        """Whether a writer (not only readers) holds the file: then a reader cannot open it."""
        if is_lake(self.db):
            return False
        try:
            duckdb.connect(str(resolve_db_path(self.db)), read_only=True).close()
        except duckdb.IOException as exc:
            return "lock" in str(exc).lower()
        except duckdb.Error:
            return False
        return False
