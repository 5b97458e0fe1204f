"""A hostile or broken server must not hang or run away with a crawl (issue 17, items 1-5).

Each test stands for a way a server was seen to stall or flood a run: a trickled answer, a huge
Crawl-delay, an endless chain of sitemaps, a page nested a hundred thousand levels deep, and the
single-page ``pipeline parse URL`` fetch without the crawler's limits.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
import zlib

import httpx
import pytest

from pipeline.crawl import Crawl, CrawlSettings
from pipeline.crawl.single import fetch_page
from pipeline.errors import FetchError
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.profiles import generic_profile
from pipeline.source import FETCH_SETTINGS, read_source
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
    assert (starts[-1] - starts[0]) / (len(starts) - 1) >= 0.015  # still polite


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


# -- 3. sitemap bounds --------------------------------------------------------------------------
ORIGIN = "https://www.stiftung-spi.de"


def _index(*locs: str) -> Reply:
    entries = "".join(f"<sitemap><loc>{ORIGIN}{loc}</loc></sitemap>" for loc in locs)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    )
    return Reply(200, body.encode(), {"Content-Type": "application/xml"})


def _endless(fan_out: int):
    """``/sm.xml?n=N`` lists ``fan_out`` sitemaps further down: ``n=N1``, ``n=N2`` ..."""

    def handler(request):
        n = request.query.removeprefix("n=")
        return _index(*[f"/sm.xml?n={n}{i}" for i in range(1, fan_out + 1)])

    return handler


@pytest.fixture
def endless(site):
    site.override("/sitemap.xml", lambda r: _index("/sitemap-pages.xml", "/sm.xml?n=1"))
    return site


def _chain_requests(site) -> int:
    return len([r for r in site.requests if r.path == "/sm.xml"])


def test_an_endless_chain_of_sitemaps_stops_at_the_nesting_depth(endless):
    endless.override("/sm.xml", _endless(1))
    run = bounded_crawl(endless.url, 20, max_sitemap_depth=5)
    summary = run.summary
    assert _chain_requests(endless) == 5  # n=1 at depth 1 ... n=11111 at depth 5
    assert summary.sitemaps_dropped == {"depth": 1}
    assert summary.as_dict()["sitemaps_dropped"] == {"depth": 1}
    assert summary.status == "ok" and not summary.complete
    assert summary.warnings == [
        "sitemaps not read: 1 beyond max_sitemap_depth (5). Pages only they list were not "
        "discovered, so the run is not complete: nothing is removed or closed."
    ]
    assert summary.outcomes["fetched"] > 40  # the site itself was read


def test_a_fanning_out_sitemap_tree_stops_at_the_sitemap_count(endless):
    endless.override("/sm.xml", _endless(10))
    run = bounded_crawl(endless.url, 20, max_sitemaps=30, max_sitemap_depth=50)
    # /sitemap.xml, /sitemap-pages.xml and 28 of the tree
    assert _chain_requests(endless) == 28
    assert run.summary.sitemaps_dropped["count"] > 0
    assert not run.summary.complete


def test_sitemaps_stop_at_the_bytes_read_per_run(endless):
    endless.override("/sm.xml", _endless(1))
    size = len(_index("/sm.xml?n=11").body)
    run = bounded_crawl(endless.url, 20, max_sitemap_bytes=6 * size, max_sitemap_depth=50)
    assert 3 <= _chain_requests(endless) <= 6
    assert run.summary.sitemaps_dropped == {"bytes": 1}
    assert "beyond max_sitemap_bytes" in run.summary.warnings[0]


def test_sitemap_bounds_are_settings():
    from pipeline import config
    from pipeline.options import crawl_settings

    settings = CrawlSettings()
    assert (settings.max_sitemaps, settings.max_sitemap_depth) == (500, 5)
    assert settings.max_sitemap_bytes == 200 * 2**20
    effective = config.load(env={"PIPELINE_MAX_SITEMAPS": "7"}, cwd=SITE)
    assert crawl_settings(effective).max_sitemaps == 7


# -- 5. ``pipeline parse URL`` with the crawler's limits -----------------------------------------
def _gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about a thousandth of that)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(2**20)
    return b"".join([*(packer.compress(chunk) for _ in range(size // 2**20)), packer.flush()])


def test_parse_url_refuses_a_gzip_bomb_with_bounded_memory(site):
    bomb = _gzip_bomb(256 * 2**20)
    site.override("/bomb/", lambda r: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    url = f"{site.url}/bomb/"
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            read_source(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"could not fetch {url} (decoded_too_large): body decompresses to more than "
        f"{CrawlSettings().max_decoded_bytes} bytes. Check the URL and the network, or save the "
        "page and pass the file."
    )
    assert peak < 100 * 2**20  # the decoded cap (30 MiB) and the raw body, not 256 MiB


def test_parse_url_through_the_cli_says_why_a_bomb_is_refused(site):
    from click.testing import CliRunner

    from pipeline.cli import cli

    bomb = _gzip_bomb(64 * 2**20)
    site.override("/bomb/", lambda r: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    result = CliRunner().invoke(cli, ["parse", f"{site.url}/bomb/"])
    assert result.exit_code == 1
    assert "(decoded_too_large): body decompresses to more than" in result.stderr


def test_parse_url_does_not_follow_a_redirect_off_the_site(site):
    elsewhere = "http://127.0.0.2:9/latest/meta-data/"
    site.override("/moved/", lambda r: Reply(302, headers={"Location": elsewhere}))
    url = f"{site.url}/moved/"
    with pytest.raises(FetchError) as caught:
        read_source(url)
    assert str(caught.value) == (
        f"{url} redirects to {elsewhere}: not followed (redirect_off_site); nothing to parse"
    )


class _Answers(httpx.AsyncBaseTransport):
    """Answers per host, streamed as the network would (the fetcher reads raw chunks)."""

    def __init__(self, answers: dict[str, tuple[int, dict[str, str]]]) -> None:
        self.answers = answers
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        status, headers = self.answers[request.url.host]
        body = b"<html><body><h1>secrets</h1></body></html>"
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


def test_a_public_page_redirecting_to_a_private_address_is_refused():
    # A public host (answered by a mock transport: tests reach 127.0.0.0/8 only) sends the
    # fetch to the cloud metadata address; the crawler's rule refuses it before any request.
    metadata = "http://169.254.169.254/latest/meta-data/"
    transport = _Answers(
        {"www.example.org": (302, {"Location": metadata}), "169.254.169.254": (200, {})}
    )
    url = "https://www.example.org/page/"
    with pytest.raises(FetchError) as caught:
        read_source(url, transport)
    assert str(caught.value) == (
        f"{url} redirects to {metadata}: not followed (redirect_private); nothing to parse"
    )
    assert transport.seen == [url]


def test_a_mirror_of_a_public_site_gets_the_site_s_redirect_rules(site):
    site.override("/page/", lambda r: Reply(302, headers={"Location": "https://evil.example/"}))
    profile = generic_profile("https://www.example.org/")
    with pytest.raises(FetchError) as caught:
        fetch_page("https://www.example.org/page/", FETCH_SETTINGS, profile, site.url)
    assert str(caught.value) == (
        f"{site.url}/page/ redirects to https://evil.example/: not followed (redirect_off_site); "
        "nothing to parse"
    )


def test_parse_url_still_reads_a_page_and_follows_a_redirect_on_its_site(site):
    site.override("/old/", lambda r: Reply(301, headers={"Location": "/projekte/buergerhaushalt/"}))
    body, content_type, url = read_source(f"{site.url}/old/")
    assert url == f"{site.url}/projekte/buergerhaushalt/"
    assert content_type == "text/html; charset=utf-8"
    assert body == (V1 / "projekte/buergerhaushalt/index.html").read_bytes()
