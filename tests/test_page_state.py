"""The page-state rule: the merge's SQL and the pure ``next_state`` agree on every page."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from pipeline.archive import RunArchive
from pipeline.crawl import Crawl, CrawlSettings, MemoryStateStore
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.warehouse import RunLoader, Warehouse, WarehouseStateStore
from tests.spi import SPI
from tests.warehouse_support import SITE


async def _run(base_url: str, db: Path, archive_dir: Path, memory: MemoryStateStore) -> str:
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        state = WarehouseStateStore(warehouse.con)
        settings = CrawlSettings(delay=0.0, parse_processes=0, backoff=0.01, retries=0)
        async with httpx.AsyncClient() as client:
            crawl = Crawl(SPI, client, settings, state, base_url)
            started = crawl.summary.started_at
            run_id = loader.begin(SPI.id, crawl.scope.base_url, started, SPI.fingerprint)
            archive = RunArchive(archive_dir, SPI.id, run_id, crawl.summary.started_at, "t", "obey")
            async for page in crawl.pages():
                capture = archive.capture(page)
                loader.add(page, capture)
                memory.record(page, capture)
            archive.close()
        return loader.finish(crawl.summary).status


def test_sql_and_next_state_keep_the_same_page_state(tmp_path):
    db, memory = tmp_path / "w.duckdb", MemoryStateStore()
    with FixtureSite(SITE / "v1") as site:
        for snapshot in ("v1", "v2", "v3", "v4"):
            site.switch(SITE / snapshot)
            if snapshot == "v3":  # an invalid page and a failed fetch: the rule's other branches
                html = (SITE / "v3" / "projekte/aktionsraummitte/index.html").read_bytes()
                broken = html.replace(b"01.02.2014 bis 31.12.2017", b"01.02.2018 bis 31.12.2014")
                assert broken != html
                site.override("/projekte/aktionsraummitte/", lambda r, b=broken: Reply(200, b))
                site.override("/projekte/buergerhaushalt/", lambda r: Reply(500))
            assert asyncio.run(_run(site.url, db, tmp_path / "warc", memory)) == "ok"
            with Warehouse.open(db, read_only=True) as warehouse:
                stored = WarehouseStateStore(warehouse.con).states
            assert stored == memory.states, snapshot
            if snapshot == "v3":
                assert stored["stiftung-spi.de/projekte/aktionsraummitte"].body_hash is None
                site.override("/projekte/aktionsraummitte/", lambda r: None)
                site.override("/projekte/buergerhaushalt/", lambda r: None)
    assert len(stored) > 40
