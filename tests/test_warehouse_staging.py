"""The spool a run stages its pages in: where it lives, what it survives, when it goes."""

from __future__ import annotations

import asyncio
import gc
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures.sitegen.facts import PROJECTS
from pipeline.errors import WarehouseError
from pipeline.fixture_server import FixtureSite
from pipeline.model import CrawledPage, CrawlSummary, FetchResult, ParseResult, Target
from pipeline.nightly import run_crawl_async
from pipeline.warehouse import RunLoader, Warehouse
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.staging import Stager
from schemas import ProjectRecord, build_record
from tests.warehouse_support import SITE, crawl_into, options


def _spools(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.spool.ndjson"))


def _page(record: ProjectRecord) -> CrawledPage:
    target = Target(record.project_id, record.url, record.url, "project")
    fetch = FetchResult(
        target, "fetched", datetime.now(UTC), status=200, final_url=record.url, final_target=target
    )
    return CrawledPage(fetch, ParseResult(record.url, "project", record=record))


def _summary(pages: int) -> CrawlSummary:
    summary = CrawlSummary("stiftung-spi", "https://www.stiftung-spi.de", datetime.now(UTC))
    summary.outcomes["fetched"] = pages
    summary.finished_at = datetime.now(UTC)
    return summary


def test_the_spool_sits_beside_the_database_and_goes_when_the_run_is_loaded(tmp_path):
    db = tmp_path / "projects.duckdb"
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        record = build_record(PROJECTS[0].expected())
        loader.add(_page(record))
        assert len(_spools(tmp_path)) == 1
        report = loader.finish(_summary(1))
    assert report.status == "ok" and report.events == {"new": 1}
    assert _spools(tmp_path) == []


def test_an_interrupted_crawl_leaves_no_spool(tmp_path):
    db = tmp_path / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:

        async def interrupt() -> None:
            task = asyncio.create_task(run_crawl_async(options(site.url, db, delay=0.05)))
            await asyncio.sleep(0.5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(interrupt())
    assert _spools(tmp_path) == []


def test_a_run_without_pages_loads(tmp_path):
    db = tmp_path / "projects.duckdb"
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        report = loader.finish(_summary(0))
        assert report.events == {}
        assert warehouse.con.execute("SELECT count(*) FROM fetches").fetchone() == (0,)
    assert _spools(tmp_path) == []


def test_a_record_longer_than_the_json_readers_default_limit_loads_exactly(tmp_path):
    """DuckDB's JSON reader refuses lines beyond about twice its 16 MB object limit unless
    told; a huge page's record can be longer (8 million characters of page text, each up to
    4 bytes of UTF-8 or 6 of JSON escape)."""
    data = PROJECTS[0].expected()
    text = "Größe\x01 " * 3_000_000 + '\u2028 \x85 "quoted" \\ ende'  # 39 MB of JSON
    data["sections"] = [{"heading": "Lang", "text": text}]
    record = build_record(data)
    db = tmp_path / "projects.duckdb"
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        loader.add(_page(record))
        assert loader.finish(_summary(1)).status == "ok"
        stored = warehouse.con.execute(
            "SELECT sections[1].text, content_hash FROM project_versions"
        ).fetchone()
    assert stored == (record.sections[0].text, record.content_hash)


def test_every_crawl_of_the_fixture_site_leaves_no_spool(tmp_path):
    db = tmp_path / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:
        assert crawl_into(site.url, db).status == "ok"
    assert _spools(tmp_path) == []


def _load_fixture_records(db: Path) -> object:
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        records = [build_record(p.expected()) for p in PROJECTS]
        for record in records:
            loader.add(_page(record))
        return loader.finish(_summary(len(records)))


def test_a_merge_that_runs_out_of_memory_is_retried_with_more(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(DuckDBLimits, "merge_memory_limits", lambda self, rows: ["1MB", "256MB"])
    report = _load_fixture_records(tmp_path / "projects.duckdb")
    assert report.status == "ok" and report.events == {"new": len(PROJECTS)}
    assert "ran out of memory at 1MB; retrying with 256MB" in caplog.text
    assert _spools(tmp_path) == []


def test_a_merge_out_of_memory_at_every_limit_fails_the_run_and_applies_nothing(
    tmp_path, monkeypatch
):
    db = tmp_path / "projects.duckdb"
    monkeypatch.setattr(DuckDBLimits, "merge_memory_limits", lambda self, rows: ["1MB"])
    with pytest.raises(WarehouseError, match="ran out of memory at DuckDB's limit of 1MB"):
        _load_fixture_records(db)
    with Warehouse.open(db, read_only=True) as warehouse:
        con = warehouse.con
        status, message = con.execute("SELECT status, message FROM runs").fetchone()
        assert status == "failed" and "PIPELINE_DUCKDB_MERGE_MEMORY" in message
        assert con.execute("SELECT count(*) FROM project_versions").fetchone() == (0,)
    assert _spools(tmp_path) == []
    monkeypatch.undo()
    assert _load_fixture_records(db).events == {"new": len(PROJECTS)}


def test_a_spool_that_cannot_be_written_fails_the_run_and_keeps_history(tmp_path, monkeypatch):
    db = tmp_path / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:
        assert crawl_into(site.url, db).status == "ok"
        with Warehouse.open(db, read_only=True) as warehouse:
            before = warehouse.con.execute("SELECT count(*) FROM project_versions").fetchone()
        site.switch(SITE / "v2")
        written = Stager.add

        def fills_the_disk(self, page, capture=None):
            if self.seq >= 10:
                raise OSError(28, "No space left on device")
            written(self, page, capture)

        monkeypatch.setattr(Stager, "add", fills_the_disk)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(OSError, match="No space left"):
                crawl_into(site.url, db)
            gc.collect()
    # The crawl was closed at once, while its HTTP client was open: nothing left half-started.
    assert not [w for w in caught if "never awaited" in str(w.message)]
    with Warehouse.open(db, read_only=True) as warehouse:
        con = warehouse.con
        run = con.execute("SELECT status, message FROM runs WHERE run_id = 2").fetchone()
        status, message = run
        assert status == "failed" and "No space left" in message
        assert con.execute("SELECT count(*) FROM project_versions").fetchone() == before
    assert _spools(tmp_path) == []


def test_the_next_run_removes_the_spool_a_killed_run_left_and_no_other(tmp_path):
    db = tmp_path / "projects.duckdb"
    killed = tmp_path / "projects.duckdb.run7-x1y2z3.spool.ndjson"  # as a SIGKILL leaves it
    other = tmp_path / "other.duckdb.run1-a1b2c3.spool.ndjson"  # another database's crawl
    killed.write_text("{}\n")
    other.write_text("{}\n")
    report = _load_fixture_records(db)
    assert report.status == "ok"
    assert _spools(tmp_path) == [other]
