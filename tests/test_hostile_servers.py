"""A hostile or broken server must not hang or run away with a crawl (issue 17, items 1-5).

Each test stands for a way a server was seen to stall or flood a run: a trickled answer, a huge
Crawl-delay, an endless chain of sitemaps, a page nested a hundred thousand levels deep, and the
single-page ``pipeline parse URL`` fetch without the crawler's limits.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx
import pytest

from pipeline.crawl import Crawl, CrawlSettings
from pipeline.fixture_server import FixtureSite, Reply
from tests.crawl_support import FAST, SITE, CrawlRun
from tests.spi import SPI

V1 = SITE / "v1"
OLD = "/projekte/buergerhaushalt/"
OLD_KEY = "stiftung-spi.de/projekte/buergerhaushalt"
ROBOTS = (V1 / "robots.txt").read_bytes()


@pytest.fixture
def site():
    with FixtureSite(V1) as server:
        yield server


def bounded_crawl(base_url: str, seconds: float, **settings: object) -> CrawlRun:
    """A crawl that must end within ``seconds`` (a hung crawl fails the test, not the suite)."""
    options = {**FAST, **settings}

    async def go() -> CrawlRun:
        async with httpx.AsyncClient() as client:
            run = Crawl(SPI, client, CrawlSettings(**options), None, base_url)
            pages = [page async for page in run.pages()]
            return CrawlRun(pages, run.summary)

    async def bounded() -> CrawlRun:
        return await asyncio.wait_for(go(), seconds)

    return asyncio.run(bounded())


# -- 1. a total deadline per fetch ----------------------------------------------------------------
def test_a_trickled_page_fails_with_a_timeout_after_the_deadline_and_is_retried(site):
    # One byte every 0.2 s never trips the 1 s read timeout; 60 bytes take 12 s per attempt.
    site.override(OLD, lambda r: Reply(200, b"<html><body>" + b"x" * 48, trickle=0.2))
    started = time.monotonic()
    run = bounded_crawl(site.url, 30, read_timeout=1.0, fetch_deadline=0.5, retries=1)
    fetch = run.by_key()[OLD_KEY].fetch
    assert (fetch.outcome, fetch.error) == ("failed", "timeout")
    assert fetch.attempts == 2
    assert "no complete answer within the 0.5 s deadline" in fetch.detail
    assert len([r for r in site.requests if r.path == OLD]) == 2
    assert time.monotonic() - started < 8
    assert run.summary.status == "ok"  # one failed page; the rest of the site was read


def test_a_trickled_robots_txt_fails_the_run_after_the_deadline(site):
    site.override(
        "/robots.txt", lambda r: Reply(200, ROBOTS, {"Content-Type": "text/plain"}, trickle=0.2)
    )
    started = time.monotonic()
    run = bounded_crawl(site.url, 30, read_timeout=1.0, fetch_deadline=0.5, retries=1)
    assert run.summary.status == "failed"
    assert run.summary.message.startswith(
        f"robots.txt at {site.url}/robots.txt could not be read (timeout: {site.url}/robots.txt: "
        "no complete answer within the 0.5 s deadline)"
    )
    assert time.monotonic() - started < 8


def test_the_fetch_deadline_is_a_setting():
    from pipeline import config
    from pipeline.options import crawl_settings

    assert CrawlSettings().fetch_deadline == 120.0
    effective = config.load(env={"PIPELINE_FETCH_DEADLINE": "7.5"}, cwd=SITE)
    assert crawl_settings(effective).fetch_deadline == 7.5


# -- 2. a cap on Crawl-delay ------------------------------------------------------------------
def _robots_with_delay(delay: str):
    body = ROBOTS.replace(b"Allow: /\n", f"Allow: /\nCrawl-delay: {delay}\n".encode())
    return lambda r: Reply(200, body, {"Content-Type": "text/plain"})


def test_a_huge_crawl_delay_is_capped_and_reported(site):
    site.override("/robots.txt", _robots_with_delay("1000000000"))
    run = bounded_crawl(site.url, 30, max_crawl_delay=0.02)
    summary = run.summary
    assert summary.status == "ok" and summary.complete
    assert summary.outcomes["fetched"] > 40
    assert (summary.crawl_delay, summary.crawl_delay_capped) == (0.02, 1e9)
    warning = (
        "robots.txt asks for a Crawl-delay of 1e+09 s; capped at 0.02 s (max_crawl_delay), so "
        "pages were requested faster than the site asks. The cap does not make the run partial."
    )
    assert summary.warnings == [warning]
    data = summary.as_dict()
    assert (data["crawl_delay_s"], data["crawl_delay_capped_s"], data["warnings"]) == (
        0.02,
        1e9,
        [warning],
    )
    starts = sorted(r.at for r in site.requests)[1:]  # after robots.txt: the delay applies
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.015  # still polite


def test_the_capped_crawl_delay_is_a_line_of_the_text_summary(site):
    from pipeline.cli_output import summary_lines
    from pipeline.nightly import RunReport
    from pipeline.warehouse.loader import LoadReport

    site.override("/robots.txt", _robots_with_delay("1000000000"))
    run = bounded_crawl(site.url, 30, max_crawl_delay=0.01)
    lines = summary_lines(RunReport(1, run.summary, LoadReport(1, "ok", True)))
    assert lines[1] == (
        "Warning: robots.txt asks for a Crawl-delay of 1e+09 s; capped at 0.01 s "
        "(max_crawl_delay), so pages were requested faster than the site asks. The cap does "
        "not make the run partial."
    )


def test_a_crawl_delay_below_the_cap_is_honoured_without_a_warning(site):
    site.override("/robots.txt", _robots_with_delay("0.01"))
    run = bounded_crawl(site.url, 30, max_crawl_delay=60)
    assert (run.summary.crawl_delay, run.summary.crawl_delay_capped) == (0.01, None)
    assert run.summary.warnings == []
