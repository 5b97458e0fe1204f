"""Readers of the warehouse, which never wait for a crawl, and only a few seconds for its merge.

A crawl keeps DuckDB's file open only for its brief steps (``brief``), so a reader opens it
read-only at any time: it sees the warehouse as of the last merge. While a merge (or another
short write) holds the file, :func:`open_reader` says so once through ``on_wait`` and tries
again every RETRY_SLEEP seconds, for up to ``wait`` seconds (the setting ``reader_wait``);
then it gives up with :class:`WarehouseLockedError`, saying who writes and what to do.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import WarehouseLockedError
from pipeline.warehouse.db import Warehouse, resolve_db_path
from pipeline.warehouse.writer_lock import holder

READER_WAIT = 10.0  # the default of the setting reader_wait
RETRY_SLEEP = 0.1


def _writer(db: str | Path, exc: WarehouseLockedError) -> str:
    """Who holds the file: a crawl (from its writer lock file), else the process DuckDB names."""
    found = re.search(r"\(process (\d+)\)", str(exc))
    pid = found.group(1) if found else None
    lock = holder(db)
    if lock is not None:
        pid = str(lock.pid) if lock.pid is not None else pid
        what = "merged by a crawl" if lock.what == "a crawl" else f"written by {lock.what}"
    else:
        what = "written by another process"
    return f"{what} (process {pid})" if pid else what


def open_reader(
    path: str | Path | None = None,
    *,
    wait: float = READER_WAIT,
    on_wait: Callable[[str], None] | None = None,
    sandboxed: bool = False,
) -> Warehouse:
    """Open the warehouse read-only, waiting up to ``wait`` seconds for a writer's merge (see
    the module docstring); ``on_wait`` is told once, when the wait begins."""
    deadline: float | None = None
    while True:
        try:
            return Warehouse.open(path, read_only=True, sandboxed=sandboxed)
        except WarehouseLockedError as exc:
            db = resolve_db_path(path)
            now = time.monotonic()
            if deadline is None:
                deadline = now + wait
                if wait > 0 and on_wait is not None:
                    on_wait(f"the warehouse is being {_writer(db, exc)}; waiting up to {wait:g} s")
            if now >= deadline:
                raise WarehouseLockedError(
                    f"the warehouse {db} is still being {_writer(db, exc)} after {wait:g} s of "
                    "waiting; run the command again in a minute (a large merge takes longer), "
                    "or wait longer with the setting reader_wait ($PIPELINE_READER_WAIT)"
                ) from exc
            time.sleep(min(RETRY_SLEEP, deadline - now))
