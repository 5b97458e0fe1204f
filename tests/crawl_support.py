"""Helpers for crawl tests: run a crawl against a fixture server and collect what it yields."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx

from pipeline.crawl import Crawl, CrawledPage, CrawlSettings, CrawlSummary, MemoryStateStore
from pipeline.urls import canonical_key
from tests.spi import SPI

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
FAST = {"delay": 0.0, "parse_processes": 0, "backoff": 0.01}


@dataclass
class CrawlRun:
    pages: list[CrawledPage]
    summary: CrawlSummary

    def records(self) -> dict[str, dict]:
        return {
            p.parse.record.project_id: p.parse.record.model_dump(mode="json")
            for p in self.pages
            if p.parse is not None and p.parse.record is not None
        }

    def by_key(self) -> dict[str, CrawledPage]:
        return {p.fetch.target.key: p for p in self.pages if not p.recheck}

    def outcome_of(self, key: str) -> str:
        return self.by_key()[key].fetch.outcome


def crawl(base_url: str, state: MemoryStateStore | None = None, **settings: object) -> CrawlRun:
    """Run one crawl to the end; ``state`` (if given) is updated from every page."""
    options = {**FAST, **settings}

    async def go() -> CrawlRun:
        async with httpx.AsyncClient() as client:
            run = Crawl(SPI, client, CrawlSettings(**options), state, base_url)
            pages = []
            async for page in run.pages():
                pages.append(page)
                if state is not None:
                    state.record(page)
            return CrawlRun(pages, run.summary)

    return asyncio.run(go())


def request_keys(targets: list[str]) -> list[str]:
    """Canonical keys of requested page targets (robots.txt and sitemaps left out)."""
    return [
        canonical_key("http://www.stiftung-spi.de" + t, SPI.keep_param)
        for t in targets
        if not t.startswith(("/robots.txt", "/sitemap"))
    ]
