"""``pipeline warehouse maintain``: the warehouse's housekeeping, a job of its own.

On the embedded DuckDB file: lapsed leases are deleted and a CHECKPOINT writes the write-ahead
log into the file and gives the space of deleted rows back to it (DuckDB's VACUUM reclaims
nothing more). It holds the ``maintain`` lease while it works, so two never run at once (on
the embedded file DuckDB's own lock ensures that too); a second one is told who holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.warehouse.db import Warehouse
from pipeline.warehouse.leases import Lease


@dataclass(frozen=True)
class MaintainReport:
    db: str
    lapsed_leases: int
    bytes_before: int
    bytes_after: int

    def as_dict(self) -> dict[str, object]:
        return {
            "db": self.db,
            "lapsed_leases": self.lapsed_leases,
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
        }


def _size(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def maintain(warehouse: Warehouse) -> MaintainReport:
    """Housekeeping of an open (writable) warehouse; see the module docstring."""
    con = warehouse.con
    before = _size(warehouse.path)
    lease = Lease.take(con, "maintain", "warehouse maintenance")
    try:
        lapsed = con.execute(
            "DELETE FROM leases WHERE expires_at < now() AND name <> 'maintain' RETURNING name"
        ).fetchall()
    finally:
        lease.release()
    con.execute("CHECKPOINT")
    return MaintainReport(str(warehouse.path), len(lapsed), before, _size(warehouse.path))
