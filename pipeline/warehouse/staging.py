"""Pages of a running crawl, staged in batches into the connection's TEMP table ``stage_fetches``.

Each batch is one statement binding a list per column (``unnest``); pyarrow would convert
faster but costs the crawl ~70 MB of resident memory. The table is private to the crawl's
connection and vanishes with it, so a killed run leaves nothing staged behind; DuckDB spills
it to disk beyond the writer's memory limit.
"""

from __future__ import annotations

import duckdb

from pipeline.archive.warc import Capture
from pipeline.crawl.results import CrawledPage

# (column, DuckDB type) in stage_fetches order; values come from ``_row``.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "BIGINT"),
    ("seq", "BIGINT"),
    ("page_key", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("url", "VARCHAR"),
    ("site_url", "VARCHAR"),
    ("final_url", "VARCHAR"),
    ("final_key", "VARCHAR"),
    ("final_site_url", "VARCHAR"),
    ("status", "INTEGER"),
    ("outcome", "VARCHAR"),
    ("error", "VARCHAR"),
    ("detail", "VARCHAR"),
    ("etag", "VARCHAR"),
    ("last_modified", "VARCHAR"),
    ("body_hash", "VARCHAR"),
    ("content_type", "VARCHAR"),
    ("bytes", "BIGINT"),
    ("duration_ms", "DOUBLE"),
    ("attempts", "INTEGER"),
    ("redirect_status", "INTEGER"),
    ("redirects", "VARCHAR[]"),
    ("fetched_at", "TIMESTAMPTZ"),
    ("via", "VARCHAR"),
    ("recheck", "BOOLEAN"),
    ("duplicate_of", "VARCHAR"),
    ("links", "VARCHAR[]"),
    ("parse_kind", "VARCHAR"),
    ("record", "VARCHAR"),
    ("problems", "VARCHAR[]"),
    ("warnings", "VARCHAR[]"),
    ("warc_file", "VARCHAR"),
    ("warc_record_id", "VARCHAR"),
    ("warc_offset", "BIGINT"),
    ("warc_length", "BIGINT"),
    ("payload_digest", "VARCHAR"),
    ("warc_date", "VARCHAR"),
)
_INSERT = (
    f"INSERT INTO stage_fetches ({', '.join(name for name, _ in COLUMNS)}) SELECT "
    + ", ".join(f"unnest(${i + 1}::{kind}[])" for i, (_, kind) in enumerate(COLUMNS))
)
CREATE = (
    "CREATE TEMP TABLE IF NOT EXISTS stage_fetches ("
    + ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    + ")"
)


def _row(run_id: int, seq: int, page: CrawledPage, capture: Capture | None) -> tuple[object, ...]:
    fetch, parse = page.fetch, page.parse
    final = fetch.final_target
    record = parse.record if parse is not None else None
    return (
        run_id,
        seq,
        fetch.target.key,
        fetch.target.kind,
        fetch.target.fetch_url,
        fetch.target.site_url,
        fetch.final_url or None,
        final.key if final else None,
        final.site_url if final else None,
        fetch.status,
        fetch.outcome,
        fetch.error,
        fetch.detail or None,
        fetch.etag,
        fetch.last_modified,
        fetch.body_hash,
        fetch.content_type,
        fetch.bytes_received,
        round(fetch.elapsed * 1000, 3),
        fetch.attempts,
        fetch.redirects[0].status if fetch.redirects else None,
        [hop.location for hop in fetch.redirects],
        fetch.started_at,
        fetch.via,
        page.recheck,
        page.duplicate_of,
        list(page.links),
        parse.kind if parse is not None else None,
        page.record_json or (record.model_dump_json() if record is not None else None),
        [str(p) for p in parse.problems] if parse is not None else [],
        list(parse.warnings) if parse is not None else [],
        capture.warc_file if capture else None,
        capture.record_id if capture else None,
        capture.offset if capture else None,
        capture.length if capture else None,
        capture.payload_digest if capture else None,
        capture.date if capture else None,
    )


class Stager:
    """Buffers pages and writes them in batches; memory stays bounded by ``batch_size``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: int, batch_size: int = 500):
        con.execute(CREATE)
        self.con = con
        self.run_id = run_id
        self.batch_size = batch_size
        self.seq = 0
        self._rows: list[tuple[object, ...]] = []

    def add(self, page: CrawledPage, capture: Capture | None = None) -> None:
        self.seq += 1
        self._rows.append(_row(self.run_id, self.seq, page, capture))
        if len(self._rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        columns = [list(values) for values in zip(*self._rows, strict=True)]
        self.con.execute(_INSERT, columns)
        self._rows.clear()
