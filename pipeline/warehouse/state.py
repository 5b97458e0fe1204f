"""The crawler's page state, read from the warehouse once at the start of a run."""

from __future__ import annotations

import duckdb

from pipeline.model import PageState
from pipeline.warehouse.columns import PAGE_STATE

# The columns a PageState is made of, in its fields' order, after the page key (the run that
# last wrote a row is lineage, not state).
STATE_COLUMNS: tuple[str, ...] = tuple(name for name in PAGE_STATE if name != "run_id")


class WarehouseStateStore:
    """``PageStateStore`` over the ``page_state`` table (loaded into memory: one small row
    per page, so lookups during the crawl never touch the database)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM page_state").fetchall()
        self.states = {
            row[0]: PageState(row[1], row[2], row[3], tuple(row[4] or ()), *row[5:]) for row in rows
        }

    def lookup(self, key: str) -> PageState | None:
        return self.states.get(key)
