"""Pages of a running crawl, spooled to a file, then read into the TEMP table ``stage_fetches``.

During the crawl each page is one line of JSON appended to a spool file (the record's JSON,
made by the parse workers, is copied in as it is). At the end of the run DuckDB reads the file
in one ``read_json`` scan, typing the record as the struct ``project_versions`` stores, so the
merge never parses JSON again. Binding Python values to a DuckDB statement costs about 45 µs
per page; writing the line costs about 9 and the scan about 8, and the crawl holds no staging
memory at all. The spool (``<database>.run<N>-<random>.spool.ndjson`` beside the database) is
removed when the run is loaded or aborted, or, after a SIGKILL, by the next run of the same
database; the TEMP table is private to the crawl's connection and vanishes with it.
"""

from __future__ import annotations

import glob
import os
import tempfile
import weakref
from pathlib import Path
from typing import BinaryIO

import duckdb
import orjson

from pipeline.errors import WarehouseError
from pipeline.model import Capture, CrawledPage
from pipeline.warehouse.columns import STAGE_FETCHES
from schemas import ProjectRecord

# DuckDB's JSON reader refuses longer lines; a run that wrote longer ones raises the limit.
_DEFAULT_MAX_LINE = 16 * 1024 * 1024
_RECORD_KEY = b',"record":'


def _line(run_id: int, seq: int, page: CrawledPage, capture: Capture | None) -> bytes:
    fetch, parse = page.fetch, page.parse
    final = fetch.final_target
    record = parse.record if parse is not None else None
    meta = orjson.dumps(  # the keys of columns.STAGE_FETCHES, in order; the record last
        {
            "run_id": run_id,
            "seq": seq,
            "page_key": fetch.target.key,
            "kind": fetch.target.kind,
            "url": fetch.target.fetch_url,
            "site_url": fetch.target.site_url,
            "final_url": fetch.final_url or None,
            "final_key": final.key if final else None,
            "final_site_url": final.site_url if final else None,
            "status": fetch.status,
            "outcome": fetch.outcome,
            "error": fetch.error,
            "detail": fetch.detail or None,
            "etag": fetch.etag,
            "last_modified": fetch.last_modified,
            "body_hash": fetch.body_hash,
            "content_type": fetch.content_type,
            "bytes": fetch.bytes_received,
            "duration_ms": round(fetch.elapsed * 1000, 3),
            "attempts": fetch.attempts,
            "redirect_status": fetch.redirects[0].status if fetch.redirects else None,
            "redirects": [hop.location for hop in fetch.redirects],
            "fetched_at": fetch.started_at,  # RFC 3339, as DuckDB reads TIMESTAMPTZ
            "via": fetch.via,
            "recheck": page.recheck,
            "duplicate_of": page.duplicate_of,
            "links": list(page.links),
            "parse_kind": parse.kind if parse is not None else None,
            "warc_file": capture.warc_file if capture else None,
            "warc_record_id": capture.record_id if capture else None,
            "warc_offset": capture.offset if capture else None,
            "warc_length": capture.length if capture else None,
            "payload_digest": capture.payload_digest if capture else None,
            "warc_date": capture.date if capture else None,
            "lastmod": page.lastmod,
            "problems": [str(p) for p in parse.problems] if parse is not None else [],
            "warnings": list(parse.warnings) if parse is not None else [],
        }
    )
    record_json = page.record_json or (record.model_dump_json() if record is not None else None)
    if record_json is None:
        return meta + b"\n"
    return b"".join((meta[:-1], _RECORD_KEY, record_json.encode(), b"}\n"))


def _record_type(con: duckdb.DuckDBPyConnection) -> str:
    """The record as one STRUCT with the column types ``project_versions`` stores it in."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE table_name = 'project_versions' AND schema_name = 'main' "
        "AND database_name = current_database()"
    ).fetchall()
    types = dict(rows)
    fields = ", ".join(f'"{name}" {types[name]}' for name in ProjectRecord.model_fields)
    return f"STRUCT({fields})"


SPOOL_SUFFIX = ".spool.ndjson"


def spool_place(con: duckdb.DuckDBPyConnection) -> tuple[Path | None, str]:
    """Where a run's spool goes and how its name starts: beside the database file, where
    DuckDB spills too, named after it (an in-memory database, or a DuckLake, whose other
    writers' spools must never look stale, spools to the temp directory)."""
    row = con.execute(
        "SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0] or row[1] != "duckdb":
        return None, "pipeline-memory.run"
    database = Path(row[0]).resolve()
    return database.parent, f"{database.name}.run"


def remove_stale_spools(folder: Path, prefix: str) -> list[Path]:
    """Spools that killed runs of this database left behind. Only call while holding the
    database's write lock: then no other run of it is spooling."""
    stale = sorted(folder.glob(f"{glob.escape(prefix)}*{SPOOL_SUFFIX}"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Stager:
    """Appends a run's pages to its spool file; ``load`` reads them into ``stage_fetches``."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, run_id: int, folder: Path | None, prefix: str
    ):
        self.con = con
        self.run_id = run_id
        self.seq = 0
        self._max_line = 0
        fd, name = tempfile.mkstemp(prefix=f"{prefix}{run_id}-", suffix=SPOOL_SUFFIX, dir=folder)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb", buffering=1 << 20)
        # Whatever ends the run (short of SIGKILL), the spool file goes with the Stager.
        self._cleanup = weakref.finalize(self, _remove, self._file, self.path)

    def add(self, page: CrawledPage, capture: Capture | None = None) -> None:
        self.seq += 1
        line = _line(self.run_id, self.seq, page, capture)
        self._max_line = max(self._max_line, len(line))
        self._file.write(line)

    @property
    def rows(self) -> int:
        return self.seq

    def load(self) -> None:
        """Read the spool into the TEMP table ``stage_fetches`` (replacing any earlier one)."""
        if self._file.closed:
            raise WarehouseError(f"run {self.run_id}: its staged pages were already discarded")
        self._file.flush()
        types = dict(STAGE_FETCHES)
        types["record"] = _record_type(self.con)
        columns = ", ".join(f"{_sql_string(n)}: {_sql_string(t)}" for n, t in types.items())
        longest = max(_DEFAULT_MAX_LINE, self._max_line + 1)
        source = (
            f"read_json({_sql_string(str(self.path))}, format = 'newline_delimited', "
            f"columns = {{{columns}}}, maximum_object_size = {longest})"
            if self.seq
            else "(SELECT " + ", ".join(f"NULL::{t} AS {n}" for n, t in types.items()) + " LIMIT 0)"
        )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE stage_fetches AS SELECT * FROM {source}")

    def discard(self) -> None:
        """Close and remove the spool file (the TEMP table, if read, is dropped by the loader)."""
        self._cleanup()


def _remove(file: BinaryIO, path: Path) -> None:
    file.close()
    path.unlink(missing_ok=True)
