"""``pipeline warehouse maintain``: the warehouse's housekeeping, a job of its own.

On the embedded DuckDB file: lapsed leases are deleted and a CHECKPOINT writes the write-ahead
log into the file and gives the space of deleted rows back to it (DuckDB's VACUUM reclaims
nothing more). On a DuckLake: lapsed leases are deleted, then DuckLake's own upkeep runs:
small adjacent Parquet files of each table are merged (``ducklake_merge_adjacent_files``),
snapshots older than ``snapshot_age`` expire (``ducklake_expire_snapshots``: time travel reaches
back that far), the files only they used are deleted (``ducklake_cleanup_old_files``), and so
are orphaned files, which no snapshot names: those a killed writer left (written before its
commit) and older than ``orphan_age``, so that a live writer's files are never taken
(``ducklake_delete_orphaned_files``).

It holds the ``maintain`` lease while it works, so two never run at once, and on the embedded
file the writer lock (``<database>.writer.lock``) too: a crawl holds that lock for its whole run
while it connects only now and then, so maintenance waits for no crawl's next step, it is
refused while one runs (and told which), as a second crawl is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from pipeline.warehouse.db import Warehouse, scalar
from pipeline.warehouse.lake import CATALOG, stored_data_path
from pipeline.warehouse.leases import Lease
from pipeline.warehouse.writer_lock import writer_lock_of

DEFAULT_SNAPSHOT_AGE = 7 * 86400.0  # seconds of a lake's history kept for time travel
DEFAULT_ORPHAN_AGE = 3600.0  # seconds before a file no snapshot names counts as orphaned


@dataclass(frozen=True)
class LakeUpkeep:
    """What maintenance did to a DuckLake."""

    files_merged: int  # small files merged into larger ones
    files_created: int
    snapshots_expired: int
    old_files_deleted: list[str] = field(default_factory=list)
    orphans_deleted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "files_merged": self.files_merged,
            "files_created": self.files_created,
            "snapshots_expired": self.snapshots_expired,
            "old_files_deleted": len(self.old_files_deleted),
            "orphans_deleted": self.orphans_deleted,
        }


@dataclass(frozen=True)
class MaintainReport:
    db: str
    lapsed_leases: int
    bytes_before: int
    bytes_after: int
    lake: LakeUpkeep | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "db": self.db,
            "lapsed_leases": self.lapsed_leases,
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
        }
        if self.lake is not None:
            out["lake"] = self.lake.as_dict()
        return out

    def text(self) -> str:
        """The report as the CLI prints it."""
        line = (
            f"{self.db}: {self.lapsed_leases} lapsed lease(s) deleted; "
            f"{self.bytes_before} -> {self.bytes_after} bytes"
        )
        if self.lake is None:
            return line
        lake = self.lake
        return (
            f"{line}\n{lake.files_merged} file(s) merged into {lake.files_created}; "
            f"{lake.snapshots_expired} snapshot(s) expired; {len(lake.old_files_deleted)} old "
            f"file(s) and {len(lake.orphans_deleted)} orphaned file(s) deleted"
        )


def _size(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def _folder_size(folder: Path | None) -> int:
    if folder is None or not folder.is_dir():
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _delete_lapsed(con: duckdb.DuckDBPyConnection) -> int:
    """Delete the leases past their expiry (not the one held here); how many there were.
    (No RETURNING: DuckLake has none for DELETE.)"""
    where = "expires_at < now() AND name <> 'maintain'"
    con.begin()
    try:
        count = int(scalar(con, f"SELECT count(*) FROM leases WHERE {where}"))
        con.execute(f"DELETE FROM leases WHERE {where}")
        con.commit()
    except duckdb.Error:
        con.rollback()
        raise
    return count


def maintain_db(
    db: str,
    snapshot_age: float = DEFAULT_SNAPSHOT_AGE,
    orphan_age: float = DEFAULT_ORPHAN_AGE,
) -> MaintainReport:
    """Housekeeping of the warehouse ``db`` (a file or a ``ducklake:`` target), as its writer."""
    with writer_lock_of(db, "warehouse maintenance"), Warehouse.open(db) as warehouse:
        return maintain(warehouse, snapshot_age, orphan_age)


def maintain(
    warehouse: Warehouse,
    snapshot_age: float = DEFAULT_SNAPSHOT_AGE,
    orphan_age: float = DEFAULT_ORPHAN_AGE,
) -> MaintainReport:
    """Housekeeping of an open (writable) warehouse; see the module docstring."""
    con = warehouse.con
    folder = stored_data_path(con) if warehouse.lake is not None else None
    before = _folder_size(folder) if warehouse.lake is not None else _size(warehouse.path)
    lease = Lease.take(con, "maintain", "warehouse maintenance")
    try:
        lapsed = _delete_lapsed(con)
        upkeep = None
        if warehouse.lake is not None:
            upkeep = _lake_upkeep(warehouse, snapshot_age, orphan_age)
    finally:
        lease.release()
    if warehouse.lake is None:
        con.execute("CHECKPOINT")
        after = _size(warehouse.path)
    else:
        after = _folder_size(folder)
    return MaintainReport(warehouse.name, lapsed, before, after, upkeep)


def _lake_upkeep(warehouse: Warehouse, snapshot_age: float, orphan_age: float) -> LakeUpkeep:
    con = warehouse.con
    now = datetime.now(UTC)
    merged = con.execute(f"CALL ducklake_merge_adjacent_files('{CATALOG}')").fetchall()
    expired = con.execute(
        f"CALL ducklake_expire_snapshots('{CATALOG}', older_than => ?)",
        [now - timedelta(seconds=snapshot_age)],
    ).fetchall()
    old = con.execute(
        f"CALL ducklake_cleanup_old_files('{CATALOG}', older_than => ?)", [datetime.now(UTC)]
    ).fetchall()
    orphans = con.execute(
        f"CALL ducklake_delete_orphaned_files('{CATALOG}', older_than => ?)",
        [now - timedelta(seconds=orphan_age)],
    ).fetchall()
    return LakeUpkeep(
        files_merged=sum(int(r[2]) for r in merged),
        files_created=sum(int(r[3]) for r in merged),
        snapshots_expired=len(expired),
        old_files_deleted=sorted(str(r[0]) for r in old),
        orphans_deleted=sorted(str(r[0]) for r in orphans),
    )
