"""One writer per warehouse file for a whole run: a lock file beside the database.

A crawl connects to its DuckDB file only for short steps (its start, lease renewals, its
merge), so DuckDB's own file lock no longer keeps a second writer out while the first one
crawls. ``<database>.writer.lock`` does: the writer holds an exclusive ``flock`` on it from
its start to its end, and writes ``pid N host H started T: WHAT`` into it for whoever is
refused or waits. The kernel drops the lock when the process ends, however it ends (SIGKILL
included), so a stale file never blocks the next run; the file itself stays (removing it
would let two writers lock two different files). A ``ducklake:`` target has no file to
guard: its writers coordinate through the site leases, and readers never wait for them.
"""

from __future__ import annotations

import fcntl
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pipeline.errors import WarehouseError, WarehouseLockedError
from pipeline.warehouse.db import check_file, resolve_db_path

LOCK_SUFFIX = ".writer.lock"


def is_lake(db: str | Path) -> bool:
    """Whether ``db`` names a DuckLake catalog rather than a DuckDB file."""
    return str(db).startswith("ducklake:")


def lock_path(db: str | Path) -> Path:
    """The writer lock file of the database file ``db``."""
    path = Path(db)
    return path.with_name(path.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class Holder:
    """The writer holding a lock, as it described itself."""

    text: str  # pid N host H started T: WHAT

    @property
    def pid(self) -> int | None:
        words = self.text.split()
        if len(words) >= 2 and words[0] == "pid" and words[1].isdigit():
            return int(words[1])
        return None

    @property
    def what(self) -> str:
        """What the holder does (``a crawl``), after the colon."""
        return self.text.partition(": ")[2] or "another writer"


def holder(db: str | Path) -> Holder | None:
    """Who holds the writer lock of ``db``, or None when it is free."""
    if is_lake(db):
        return None
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # no lock file: no writer ever ran here
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return Holder(_read(fd))
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def writer_lock_of(db: str | Path | None, what: str) -> WriterLock:
    """The writer lock of ``db`` (``$PIPELINE_DB`` or the default when None; nothing for a
    DuckLake target), after refusing, without a trace left beside it, a path that cannot be a
    warehouse; ``what`` names the work for whoever is refused."""
    if db is not None and is_lake(db):
        return WriterLock.take(db, what)
    path = resolve_db_path(db)
    check_file(path)
    return WriterLock.take(path, what)


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another writer"


class WriterLock:
    """The held writer lock of one database file (see the module docstring); a context
    manager that releases it. Taken for a ``ducklake:`` target, it holds nothing."""

    def __init__(self, path: Path | None, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def take(cls, db: str | Path, what: str = "a crawl") -> WriterLock:
        """Lock ``db`` for this writer, or raise WarehouseLockedError naming the holder."""
        if is_lake(db):
            return cls(None, None)
        path = lock_path(db)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise WarehouseError(
                f"cannot create the writer lock file {path} for {what}: {exc}; the folder of "
                "the warehouse must be writable"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = _read(fd)
            os.close(fd)
            raise WarehouseLockedError(
                f"the warehouse {db} is being written by another run ({text}; lock file "
                f"{path}); only one writer at a time. Wait for it to finish, or use another --db."
            ) from None
        started = datetime.now(UTC).isoformat(timespec="seconds")
        text = f"pid {os.getpid()} host {socket.gethostname()} started {started}: {what}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode(), 0)
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Unlock (the file stays, emptied: see the module docstring)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the last descriptor drops the flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
