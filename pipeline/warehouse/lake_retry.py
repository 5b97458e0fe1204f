"""Re-running a short transaction that conflicted with another writer's (on a DuckLake).

DuckLake lets writers commit side by side, but a transaction that deletes or updates rows of a
table conflicts with any other transaction that changed the same table in the meantime (even
other rows), and its commit fails with ``duckdb.TransactionException``. The bookkeeping of a run
(its lease, its ``runs`` row) is a few statements; it is rolled back and run again, a bounded
number of times, after a short wait with jitter. (The merge has its own re-run: loader.py.)
On the embedded file one process writes at a time, so this never fires there.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

T = TypeVar("T")
ATTEMPTS = 12  # then the conflict is raised
FIRST_WAIT = 0.02  # seconds, doubling, at most MAX_WAIT, times 0.5 to 1.5
MAX_WAIT = 1.0


def retry_conflicts(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """``work()``, re-run after a conflict (see the module docstring); the last conflict is
    raised. ``work`` begins and commits its own transaction, or runs one statement."""
    for attempt in range(ATTEMPTS):
        try:
            return work()
        except duckdb.TransactionException:
            with contextlib.suppress(duckdb.Error):  # no transaction open: nothing to undo
                con.rollback()
            if attempt + 1 == ATTEMPTS:
                raise
            time.sleep(min(MAX_WAIT, FIRST_WAIT * 2.0**attempt) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")  # pragma: no cover
