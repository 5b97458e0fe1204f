"""The crawl's HTTP client keeps cookies a server sets, and a run that only meets 304s starts
no parse worker (real fixture server on 127.0.0.1)."""

from __future__ import annotations

import asyncio

import httpx

from pipeline.crawl import Crawl, CrawlSettings, MemoryStateStore
from pipeline.crawl.client import CrawlClient
from pipeline.crawl.workers import ParseWorkers
from pipeline.fixture_server import FixtureSite, Reply
from tests.crawl_support import FAST, SITE
from tests.spi import SPI


def test_a_cookie_set_by_the_server_is_sent_back_and_kept_across_answers_without_one():
    with FixtureSite(SITE / "v1") as site:
        site.override("/set", lambda r: Reply(200, b"ok", {"Set-Cookie": "session=abc; Path=/"}))
        site.override("/plain", lambda r: Reply(200, b"ok"))

        async def go() -> None:
            async with CrawlClient() as client:
                await client.get(site.url + "/set")
                await client.get(site.url + "/plain")  # no Set-Cookie: the jar stays as it is
                await client.get(site.url + "/plain")
                assert client.cookies.get("session") == "abc"

        asyncio.run(go())
        sent = [r.headers.get("cookie") for r in site.requests if r.path == "/plain"]
    assert sent == ["session=abc", "session=abc"]


def test_the_client_replaces_its_jar_when_assigned():
    client = CrawlClient(cookies={"a": "1"})
    assert client.cookies.get("a") == "1"
    client.cookies = httpx.Cookies({"b": "2"})
    assert client.cookies.get("b") == "2" and client.cookies.get("a") is None


def _run(base_url: str, state: MemoryStateStore) -> Crawl:
    async def go() -> Crawl:
        async with CrawlClient() as client:
            settings = CrawlSettings(**{**FAST, "parse_processes": 1})
            run = Crawl(SPI, client, settings, state, base_url)
            async for page in run.pages():
                state.record(page)
            return run

    return asyncio.run(go())


def test_parse_workers_start_at_the_first_body_to_parse_and_not_on_an_all_304_run(monkeypatch):
    starts: list[int] = []
    real_start = ParseWorkers.start

    def counting_start(self: ParseWorkers) -> ParseWorkers:
        starts.append(self.count)
        return real_start(self)

    monkeypatch.setattr(ParseWorkers, "start", counting_start)
    state = MemoryStateStore()
    with FixtureSite(SITE / "v1") as site:
        first = _run(site.url, state)
        assert len(starts) == 1 and first.summary.projects > 0
        second = _run(site.url, state)
    assert len(starts) == 1  # the second run parsed nothing: no worker was spawned
    assert second.summary.outcomes["not_modified"] > 0
    assert second.summary.outcomes["fetched"] == 0
