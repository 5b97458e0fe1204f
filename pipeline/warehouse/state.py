"""The crawler's page state, read from the warehouse once at the start of a run."""

from __future__ import annotations

import duckdb

from pipeline.model import PageState


class WarehouseStateStore:
    """``PageStateStore`` over the ``page_state`` table (loaded into memory: one small row
    per page, so lookups during the crawl never touch the database)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute(
            "SELECT page_key, etag, last_modified, body_hash, links, is_project, verified_at, "
            "parser_version, warc_record_id, warc_target_uri, warc_date, payload_digest "
            "FROM page_state"
        ).fetchall()
        self.states = {
            row[0]: PageState(row[1], row[2], row[3], tuple(row[4] or ()), *row[5:]) for row in rows
        }

    def lookup(self, key: str) -> PageState | None:
        return self.states.get(key)
