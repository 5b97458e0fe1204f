"""Leases: one writer per site at a time, and one maintenance job, across processes and hosts.

A lease is a row of ``leases`` (name, holder, expiry), taken in a transaction that first reads
the row: free, expired, or held by a process of this host that is gone, it is taken; else the
taker gets :class:`WarehouseLockedError` naming the holder and the expiry. The holder renews it
while it works (``renew``) and deletes it when done (``release``); a killed holder's lease
lapses at its expiry. The table has no key (DuckLake has none): a conflicting concurrent
taker fails its transaction instead (``duckdb.TransactionException``) and is told the same.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from pipeline.errors import WarehouseLockedError
from pipeline.warehouse.lake_retry import retry_conflicts

DEFAULT_TTL = 900.0  # seconds a lease lasts unless renewed; renewed every third of that


def new_holder() -> str:
    """This writer's name: host, process and a random token (two runs of one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _process_gone(holder: str) -> bool:
    """Whether ``holder`` is a process of this host that no longer runs."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Lease:
    """A lease this writer holds (see the module docstring)."""

    con: duckdb.DuckDBPyConnection
    name: str
    holder: str
    ttl: float = DEFAULT_TTL
    renewed: datetime | None = None

    @classmethod
    def take(
        cls,
        con: duckdb.DuckDBPyConnection,
        name: str,
        what: str,
        holder: str | None = None,
        run_id: int | None = None,
        ttl: float = DEFAULT_TTL,
    ) -> Lease:
        """Take the lease ``name`` or raise WarehouseLockedError (``what`` names the work)."""
        lease = cls(con, name, holder or new_holder(), ttl)
        try:
            now = retry_conflicts(con, lambda: lease._take_once(what, run_id))
        except duckdb.TransactionException as exc:
            raise WarehouseLockedError(
                f"{what} was started by another writer at the same moment; wait for it to "
                f"finish, or use another --db ({exc})"
            ) from exc
        lease.renewed = now
        return lease

    def _take_once(self, what: str, run_id: int | None) -> datetime:
        con, name = self.con, self.name
        now = datetime.now(UTC)
        con.begin()
        try:
            row = con.execute(
                "SELECT holder, run_id, acquired_at, expires_at FROM leases WHERE name = ?",
                [name],
            ).fetchone()
            if row is not None:
                other, other_run, since, expires = row
                if expires > now and other != self.holder and not _process_gone(other):
                    con.rollback()
                    run = f" (run {other_run})" if other_run is not None else ""
                    raise WarehouseLockedError(
                        f"{what} is already under way by {other}{run} since "
                        f"{since.isoformat(timespec='seconds')}; its lease expires at "
                        f"{expires.isoformat(timespec='seconds')}. Wait for it to finish (a "
                        "killed writer's lease lapses then), or use another --db."
                    )
                con.execute("DELETE FROM leases WHERE name = ?", [name])
            con.execute(
                "INSERT INTO leases VALUES (?, ?, ?, ?, ?)",
                [name, self.holder, run_id, now, now + timedelta(seconds=self.ttl)],
            )
            con.commit()
        except duckdb.TransactionException:
            raise  # rolled back and re-run by retry_conflicts
        except duckdb.Error:
            con.rollback()
            raise
        return now

    def due(self) -> bool:
        """Whether a third of the lease's time has passed since it was last renewed."""
        return self.renewed is None or datetime.now(UTC) - self.renewed > timedelta(
            seconds=self.ttl / 3
        )

    def set_run(self, run_id: int) -> None:
        self._write(
            "UPDATE leases SET run_id = ? WHERE name = ? AND holder = ?",
            [run_id, self.name, self.holder],
        )

    def renew(self) -> None:
        now = datetime.now(UTC)
        self._write(
            "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?",
            [now + timedelta(seconds=self.ttl), self.name, self.holder],
        )
        self.renewed = now

    def release(self) -> None:
        self._write("DELETE FROM leases WHERE name = ? AND holder = ?", [self.name, self.holder])

    def _write(self, sql: str, params: list[object]) -> None:
        """One statement, re-run when another writer's commit on the table conflicts."""
        retry_conflicts(self.con, lambda: self.con.execute(sql, params))
