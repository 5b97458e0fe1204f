"""Merge memory: the RSS of a first run's merge of N staged pages, step by step.

Usage: python benchmarks/merge_memory.py [--pages 20000] [--steps] [--runs 1]

Stages N synthetic first-run pages (the fixture records padded with a few paragraphs, as
benchmarks/warehouse_speed.py makes them) into a fresh DuckDB file, then merges them with
``RunLoader.finish`` as the crawl does. Prints the process's RSS before, during (its peak,
VmHWM) and after the merge, the merge's wall and CPU time, and whether it needed a retry
after running out of memory. ``--steps`` instead runs the merge's pieces one at a time
(read the spool, each merge step, COMMIT), printing RSS, DuckDB's own accounting
(``duckdb_memory()``) and the database size after each, to see where memory goes.
``--runs 2`` merges a second, unchanged run (every page 304) after the first.

``--spool FILE`` replays a spool a crawl wrote (a copy of ``<db>.run1-*.spool.ndjson`` taken
before its merge, from a first run into a new database): the crawl benchmark's records carry
~6 KB of section text each (160 MB for 20,000 pages), the synthetic ones ~2.8 KB.
``--json`` prints one line per run (tests/test_merge_memory.py reads it).

RSS is a fair measure on a shared machine; times are not (report CPU time, alternate runs).

What it showed on DuckDB 1.5.5 (2026-12-02, 20,000 pages of the crawl benchmark replayed):

- DuckDB fills the merge's limit with cached blocks, so the limit is also a size, and RSS
  runs ~70-150 MB past it (memory DuckDB does not count);
- its JSON reader takes a 32 MB buffer (refused below ~40 MB) and touches ~1.6x the file up
  to ~54 MB; with the TEMP stage table filling at the same time, 80 MB ran out from ~5,000
  pages on, and the retry at 160 MB was the 300 MB growth (peak 380-389 MB, from 76);
- the peak is the COMMIT: DuckDB 1.5 checkpoints a large commit inside it
  (auto_checkpoint_skip_wal_threshold), ~100-120 MB above the merge; nearly all of it is
  the long strings of ``sections`` (force_compression='uncompressed' removes it; disabling
  fsst, dictionary, dict_fsst or zstd does not); deferring the checkpoint only moves it;
- allocator settings (allocator_flush_threshold, background threads, jemalloc decay) change
  nothing; a smaller ROW_GROUP_SIZE helps a little and costs CPU;
- unsafe, so not used: a CHECKPOINT that runs out of memory invalidates the database (a
  FATAL error), and a COMMIT at a small limit fails on a larger warehouse.
At 112 MB (db.MERGE_MEMORY_MB) the merge needs no retry: peak 330-333 MB.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import duckdb  # noqa: E402
from warehouse_speed import pages  # noqa: E402

from pipeline.model import PARSER_VERSION, CrawlSummary  # noqa: E402
from pipeline.warehouse import RunLoader, Warehouse, merge  # noqa: E402
from pipeline.warehouse.loader import LoadReport, _log  # noqa: E402

SITE, BASE = "stiftung-spi", "https://www.stiftung-spi.de"


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def duckdb_mb(con: duckdb.DuckDBPyConnection) -> str:
    """DuckDB's own accounting: memory in use and in temporary files, and the database size."""
    used, temp = con.execute(
        "SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes) FROM duckdb_memory()"
    ).fetchone() or (0, 0)
    size = con.execute("SELECT memory_usage FROM pragma_database_size() LIMIT 1").fetchone()
    return (
        f"duckdb {int(used or 0) / 2**20:.0f} MB (+{int(temp or 0) / 2**20:.0f} spilled), "
        f"database {size[0] if size else '?'}"
    )


def summary(count: int, outcome: str) -> CrawlSummary:
    s = CrawlSummary(SITE, BASE, datetime.now(UTC))
    s.outcomes[outcome] = count
    s.finished_at = datetime.now(UTC)
    return s


REPLAY: Path | None = None  # --spool: a spool a first crawl of a fresh database wrote


def stage(loader: RunLoader, count: int, outcome: str) -> None:
    loader.begin(SITE, BASE)
    if REPLAY is not None and outcome == "fetched":
        stager = loader._stager
        assert stager is not None and stager.run_id == 1, "replay a first run's spool into a new db"
        with REPLAY.open("rb") as lines:
            for line in lines:
                stager.seq += 1
                stager._max_line = max(stager._max_line, len(line))
                stager._file.write(line)
        return
    for page in pages(count, lambda i: outcome):
        loader.add(page)


def whole(db: Path, count: int, outcome: str, as_json: bool = False) -> None:
    """Stage and merge one run as the crawl does; print RSS, times and retries."""
    retries: list[str] = []

    class Retries(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "ran out of memory" in record.getMessage():
                retries.append(record.getMessage())

    handler = Retries()
    logging.getLogger("pipeline.warehouse.loader").addHandler(handler)
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con, warehouse.limits)
        stage(loader, count, outcome)
        before, peak_before = rss_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        report = loader.finish(summary(count, outcome))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after, peak = rss_mb()
    _, peak_closed = rss_mb()
    logging.getLogger("pipeline.warehouse.loader").removeHandler(handler)
    assert report.status == "ok", report.message
    if as_json:
        result = {
            "pages": count,
            "rss_before_mb": before,
            "rss_peak_before_mb": peak_before,
            "rss_peak_mb": peak_closed,
            "merge_seconds": wall,
            "merge_cpu_seconds": cpu,
            "retries": len(retries),
            "events": dict(report.events),
        }
        print(json.dumps(result))
        return
    print(
        f"{outcome} run of {count} pages: RSS before merge {before:.0f} MB, after "
        f"{after:.0f} MB, peak {peak:.0f} MB (growth {peak - max(before, peak_before):+.0f} MB "
        f"over the peak before), peak after closing {peak_closed:.0f} MB; merge {wall:.2f} s "
        f"wall, {cpu:.2f} s CPU; out-of-memory retries {len(retries)}; "
        f"events {dict(report.events)}"
    )


def steps(db: Path, count: int, outcome: str, limit: str | None = None) -> None:
    """The merge's pieces one at a time, with RSS and DuckDB's accounting after each."""
    with Warehouse.open(db) as warehouse:
        con = warehouse.con
        loader = RunLoader(con, warehouse.limits)
        stage(loader, count, outcome)
        assert loader._stager is not None and loader.run_id is not None
        limit = limit or warehouse.limits.merge_memory_limits(count)[0]
        con.execute(f"SET memory_limit = '{limit}'")
        clock = time.perf_counter

        def show(label: str, start: float) -> None:
            now, peak = rss_mb()
            print(
                f"  {label:<34} RSS {now:5.0f} MB peak {peak:5.0f} MB  "
                f"{clock() - start:5.2f} s  {duckdb_mb(con)}"
            )

        show(f"staged ({limit})", clock())
        start = clock()
        loader._stager.load()
        show("read_json into stage_fetches", start)
        s = summary(count, outcome)
        con.begin()
        run = loader.run_id
        row = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [run]).fetchone()
        assert row is not None
        params = {"run": run, "at": row[0]}
        report_start = clock()
        report = LoadReport(run, "ok", True)
        _log(con, report, SITE, s)
        show("log", report_start)
        for step, extra in (
            ("identify", {}),
            ("apply", {}),
            ("remove", {"site": SITE, "complete": True, "absent": 2}),
            ("page_state", {"parser_version": PARSER_VERSION, "fingerprint": None}),
        ):
            for statement in merge.statements(step):
                start = clock()
                statement.run(con, {**params, **extra})
                show(f"{step}/{statement.name.split('/')[-1]}", start)
        start = clock()
        con.execute("DROP TABLE IF EXISTS temp.stage_fetches")
        show("drop stage_fetches", start)
        start = clock()
        con.commit()
        show("COMMIT", start)
        loader._stager.discard()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--steps", action="store_true", help="RSS after each merge step")
    parser.add_argument("--runs", type=int, default=1, choices=(1, 2))
    parser.add_argument(
        "--limit", help="with --steps: DuckDB's memory limit (default: the merge's)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON line per run")
    parser.add_argument("--spool", type=Path, help="replay this first run's spool instead")
    args = parser.parse_args()
    global REPLAY
    REPLAY = args.spool
    with tempfile.TemporaryDirectory(prefix="merge-memory-") as tmp:
        db = Path(tmp) / "p.duckdb"
        if not args.json:
            print(f"duckdb {duckdb.__version__}, {args.pages} pages, RSS {rss_mb()[0]:.0f} MB")
        if args.steps:
            steps(db, args.pages, "fetched", args.limit)
        else:
            whole(db, args.pages, "fetched", args.json)
        if args.runs == 2:
            whole(db, args.pages, "not_modified", args.json)


if __name__ == "__main__":
    main()
