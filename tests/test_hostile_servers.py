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

from fixtures.sitegen.facts import PROJECTS
from pipeline.crawl import Crawl, CrawlSettings
from pipeline.crawl.analyze import analyze
from pipeline.crawl.single import fetch_page
from pipeline.crawl.workers import ParseTimeout, ParseWorkers
from pipeline.errors import FetchError
from pipeline.extract.lines import read_document
from pipeline.extract.nesting import MAX_BLOCK_NESTING, cap_nesting
from pipeline.extract.vocabulary import lexicon_for
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.parse import parse_page
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
    from pipeline.cli.output import summary_lines
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
    bomb = _gzip_bomb(128 * 2**20)
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
    assert peak < 100 * 2**20  # the decoded cap (30 MiB) and the raw body, not 128 MiB


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


# -- 4. deep nesting: linear parse, and a time limit per page in the parse workers ----------------
def _nested(depth: int, tag: str = "div", inner: str = "<p>deep text</p>") -> bytes:
    return (
        "<html><body><main><h1>Deep</h1>"
        + f"<{tag}>" * depth
        + inner
        + f"</{tag}>" * depth
        + "<p>after the blocks</p></main></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<div>" * 5 + "x" + "</div>" * 5, 3, ("<div>" * 3 + "x" + "</div>" * 3, 4)),
        ("<DIV class=a>" * 3 + "x", 2, ("<DIV class=a>" * 2 + "x", 1)),
        ("<ul><li>" * 4 + "x", 2, ("<ul><li>" * 2 + "<li>" * 2 + "x", 2)),
        ("<div>" * 3 + "</div>" * 3, 3, ("<div>" * 3 + "</div>" * 3, 0)),  # at the cap: kept
        ("</div>" * 9 + "<div>" * 3, 3, ("</div>" * 9 + "<div>" * 3, 0)),  # stray ends: no credit
        ("<p>" * 9 + "<span>" * 9, 3, ("<p>" * 9 + "<span>" * 9, 0)),  # these do not nest deep
        ("<divx>" * 9, 3, ("<divx>" * 9, 0)),
    ],
)
def test_block_nesting_beyond_the_cap_is_dropped_from_the_markup(html, limit, expected):
    assert cap_nesting(html, limit) == expected
    text, dropped = expected
    assert cap_nesting(html.encode(), limit) == (text.encode(), dropped)


def test_no_page_of_the_fixture_site_comes_near_the_nesting_cap():
    for page in SITE.rglob("*.html"):
        html = page.read_bytes()
        assert cap_nesting(html, 64) == (html, 0), page


@pytest.mark.parametrize("depth", [25_000, 50_000, 100_000])
def test_deeply_nested_blocks_parse_in_linear_time(depth):
    html = _nested(depth)
    started = time.monotonic()
    doc = read_document(html, lexicon_for(SPI))
    result = parse_page(html, "https://www.stiftung-spi.de/projekte/tief/", SPI)
    assert time.monotonic() - started < 5  # 33 s for 100k before: O(depth²) in lexbor
    assert doc.flattened == 2 * (depth + 1 - MAX_BLOCK_NESTING)  # <main> is a block too
    assert [line.text for line in doc.lines] == ["Deep", "deep text", "after the blocks"]
    assert result.kind == "not_project"


@pytest.mark.parametrize("tag", ["span", "div"])
def test_a_page_nested_beyond_the_walk_depth_is_read_flat_not_failed(tag):
    html = _nested(5_000, tag, '<p>deep <a href="/x/">text</a></p>')
    doc = read_document(html, lexicon_for(SPI))
    # Before: "unreadable HTML: maximum recursion depth exceeded" and an invalid page.
    assert [line.text for line in doc.lines] == ["Deep", "deep text", "after the blocks"]
    assert parse_page(html, "https://www.stiftung-spi.de/projekte/tief/", SPI).kind != "invalid"


def test_a_parse_over_the_time_limit_is_given_up_and_its_worker_replaced():
    async def go() -> tuple[list[object], int]:
        workers = ParseWorkers(1, time.sleep, time_limit=0.5).start()
        try:
            # The 30 s job runs first; the one behind it in the pipe goes to the new worker.
            outcomes = await asyncio.wait_for(
                asyncio.gather(workers.run(30), workers.run(0), return_exceptions=True), 20
            )
            outcomes.append(await workers.run(0))
            return outcomes, workers.restarts
        finally:
            workers.close()

    started = time.monotonic()
    (timed_out, behind, after), restarts = asyncio.run(go())
    assert isinstance(timed_out, ParseTimeout)
    assert str(timed_out) == "the job ran longer than 0.5 s; its worker was restarted"
    assert (behind, after, restarts) == (None, None, 1)
    assert time.monotonic() - started < 10


def slow_analyze(scope, job):
    """The crawl's analysis, except that one project page never finishes parsing."""
    if job.site_url.rstrip("/").endswith(OLD.rstrip("/")):
        time.sleep(60)
    return analyze(scope, job)


@pytest.mark.slow
def test_a_page_over_the_parse_time_limit_is_invalid_with_the_reason(site, monkeypatch):
    import pipeline.crawl.crawler

    monkeypatch.setattr(pipeline.crawl.crawler, "analyze", slow_analyze)
    run = bounded_crawl(site.url, 60, parse_processes=1, parse_time_limit=1.0)
    parse = run.by_key()[OLD_KEY].parse
    assert parse is not None and parse.kind == "invalid"
    assert [str(p) for p in parse.problems] == [
        "page: parsing took longer than 1 s (parse_time_limit); the page was given up and its "
        "parse worker restarted"
    ]
    assert run.summary.invalid == 1
    assert len(run.records()) == len(PROJECTS) - 1  # the worker's replacement parsed the rest
