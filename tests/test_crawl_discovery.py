"""Discovery, scope and politeness of the crawler against the fixture site on 127.0.0.1."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import time
from collections import Counter
from dataclasses import replace
from urllib.parse import parse_qs

import pytest

from fixtures.sitegen.build import site_pages, sitemaps
from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import ORIGIN
from pipeline.crawl import MemoryStateStore
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.urls import absolute, canonical_key
from tests.crawl_support import SITE, crawl, request_keys
from tests.spi import SPI

V1 = SITE / "v1"


@pytest.fixture
def site():
    with FixtureSite(V1) as server:
        yield server


def _expected_records() -> dict[str, dict]:
    out = {}
    for file in (V1 / "_expected").glob("*.json"):
        record = json.loads(file.read_text(encoding="utf-8"))
        out[record["project_id"]] = record
    return out


def test_crawl_finds_every_project_page_with_its_expected_record(site):
    run = crawl(site.url)
    assert run.records() == _expected_records()
    assert run.summary.status == "ok" and run.summary.complete
    assert run.summary.projects == len(PROJECTS)
    assert run.summary.failed == 0


def test_no_page_is_fetched_twice_and_nothing_out_of_scope(site):
    crawl(site.url)
    keys = request_keys(site.targets())
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    for target in site.targets():
        path = target.split("?")[0]
        assert not path.startswith(("/die-stiftung/", "/typo3/")), target


def _routes() -> dict[str, set[str]]:
    """For each project: which kinds of page link to it in the v1 snapshot."""
    routes: dict[str, set[str]] = {p.project_id: set() for p in PROJECTS}
    for (path, query), html in site_pages("v1").items():
        base = ORIGIN + path + (f"?{query}" if query else "")
        if path.startswith(("/projekte/", "/service/projekte/detail/", "/en/projects/detail/")):
            route = "related"
        elif query:
            route = "search page 2+"
        else:
            route = "listing"
        for href in re.findall(r'href="([^"]+)"', html):
            url = absolute(href.replace("&amp;", "&"), base)
            if (
                url
                and canonical_key(url, SPI.keep_param) in routes
                and canonical_key(url, SPI.keep_param) != canonical_key(base, SPI.keep_param)
            ):
                routes[canonical_key(url, SPI.keep_param)].add(route)
    maps = b"".join(
        gzip.decompress(d) if n.endswith(".gz") else d for n, d in sitemaps("v1").items()
    )
    for loc in re.findall(rb"<loc>([^<]+)</loc>", maps):
        key = canonical_key(loc.decode(), SPI.keep_param)
        if key in routes:
            routes[key].add("sitemap")
    return routes


def test_fixture_site_has_pages_reachable_by_only_one_route():
    only = Counter(next(iter(r)) for r in _routes().values() if len(r) == 1)
    assert only["sitemap"] >= 1
    assert only["related"] >= 1
    assert only["search page 2+"] >= 1


def test_without_sitemaps_the_sitemap_only_pages_are_missed(site):
    sitemap_only = {k for k, r in _routes().items() if r == {"sitemap"}}
    run = crawl(site.url, use_sitemaps=False)
    assert sitemap_only and not sitemap_only & set(run.records())
    assert len(run.records()) == len(PROJECTS) - len(sitemap_only)


def test_robots_rules_are_obeyed(site):
    robots = (
        "User-agent: *\nDisallow: /projekte/buergerhaushalt\n"
        "Allow: /projekte/buergerhaushalt-oeffentlich\nDisallow: /en/\n\n"
        "Sitemap: https://www.stiftung-spi.de/sitemap.xml\n"
    )
    site.override(
        "/robots.txt", lambda r: Reply(200, robots.encode(), {"Content-Type": "text/plain"})
    )
    run = crawl(site.url)
    assert not [t for t in site.targets() if t.startswith(("/projekte/buergerhaushalt", "/en/"))]
    assert run.summary.robots_blocked >= 4  # buergerhaushalt, /en/ and the English projects
    assert "stiftung-spi.de/projekte/buergerhaushalt" not in run.records()


def test_user_agent_is_descriptive_with_a_contact_url(site):
    crawl(site.url, max_pages=3)
    agents = {r.headers.get("user-agent", "") for r in site.requests}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("foundation-pipeline/") and "+https://" in agent


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_concurrency_per_host_never_exceeds_the_limit(site, limit):
    def slowly(request):
        time.sleep(0.02)
        return None  # then serve the file

    for project in PROJECTS:
        site.override(project.path, slowly)
    crawl(site.url, concurrency=limit)
    assert site.max_in_flight == limit


def test_minimum_delay_between_requests(site):
    run = crawl(site.url, delay=0.05, max_pages=6)
    # When the client sent each request (its own clock, taken as the gate lets it go): the
    # server's arrival times jitter by tens of ms on a loaded machine.
    sent = sorted(e.at.timestamp() for p in run.pages for e in p.fetch.exchanges)
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert len(gaps) >= 6 and len(site.requests) == len(sent)
    assert (sent[-1] - sent[0]) / len(gaps) >= 0.045
    assert min(gaps) >= 0.045  # without the delay, gaps here are ~1 ms


def test_robots_crawl_delay_raises_the_delay(site):
    robots = "User-agent: *\nCrawl-delay: 0.2\nAllow: /\n"
    site.override(
        "/robots.txt", lambda r: Reply(200, robots.encode(), {"Content-Type": "text/plain"})
    )
    crawl(site.url, max_pages=3, use_sitemaps=False)
    starts = [r.at for r in site.requests][1:]  # after robots.txt was read
    assert (starts[-1] - starts[0]) / (len(starts) - 1) >= 0.19
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.15


def test_max_pages_bounds_the_run_and_marks_it_incomplete(site):
    run = crawl(site.url, max_pages=10)
    assert run.summary.pages == 10
    assert run.summary.truncated and not run.summary.complete


def test_endless_calendar_is_not_crawled_past_its_bound(site):
    def calendar(request):
        month = int(parse_qs(request.query).get("monat", ["0"])[0])
        body = (
            f"<html><body><main><h1>Kalender {month}</h1>"
            f'<a href="/themen-projekte/kalender/?monat={month + 1}">weiter</a>'
            f'<a href="/themen-projekte/kalender/?monat={month + 1}&ansicht=woche">Woche</a>'
            "</main></body></html>"
        ).encode()
        return Reply(200, body)

    original = (V1 / "themen-projekte" / "index.html").read_bytes()
    linked = original.replace(
        b"</body>", b'<a href="/themen-projekte/kalender/">Kalender</a></body>'
    )
    site.override("/themen-projekte/", lambda r: Reply(200, linked))
    site.override("/themen-projekte/kalender/", calendar)
    run = crawl(site.url, max_query_variants=10, max_depth=8)
    calendar_requests = [t for t in site.targets() if t.startswith("/themen-projekte/kalender/")]
    assert 1 < len(calendar_requests) <= 11
    assert run.summary.trap_dropped >= 1
    assert len(run.records()) == len(PROJECTS)  # the trap does not cost real pages


def test_second_run_sends_conditional_headers_and_finds_everything_unchanged(site):
    state = MemoryStateStore()
    first = crawl(site.url, state=state, trust_lastmod="off")
    site.clear()
    second = crawl(site.url, state=state, trust_lastmod="off")
    page_requests = [r for r in site.requests if not r.path.startswith(("/robots", "/sitemap"))]
    assert page_requests and all("if-none-match" in r.headers for r in page_requests)
    assert all("if-modified-since" in r.headers for r in page_requests)
    for r in site.requests:
        if r.path.startswith(("/robots", "/sitemap")):
            assert "if-none-match" not in r.headers  # their content drives discovery
    assert second.summary.outcomes["not_modified"] == first.summary.outcomes["fetched"]
    assert second.summary.projects == 0  # nothing re-parsed
    assert set(second.by_key()) == set(first.by_key())  # replayed links found every page


def test_identical_body_without_validators_counts_as_unchanged(site):
    state = MemoryStateStore()
    crawl(site.url, state=state)
    for key, page_state in list(state.states.items()):
        state.states[key] = replace(page_state, etag=None, last_modified=None)
    second = crawl(site.url, state=state, trust_lastmod="off")
    assert second.summary.outcomes["unchanged"] == second.summary.pages
    assert second.summary.projects == 0


def test_by_default_a_sitemap_lastmod_never_spares_a_request(site):
    """lastmod before our last fetch, or in the future: every known page is still verified
    (conditionally), since real sitemaps lag, stamp the page record only, or give dates only."""
    state = MemoryStateStore()
    crawl(site.url, state=state)
    original = gzip.decompress((V1 / "sitemap-projects.xml.gz").read_bytes()).decode()
    for value in ("2020-01-01", "2999-01-01T00:00:00Z"):
        dated = original.replace("</loc></url>", f"</loc><lastmod>{value}</lastmod></url>")
        site.clear()
        body = gzip.compress(dated.encode())
        site.override(
            "/sitemap-projects.xml.gz",
            lambda r, b=body: Reply(200, b, {"Content-Type": "application/gzip"}),
        )
        again = crawl(site.url, state=state)
        assert not [p for p in again.pages if p.fetch.via == "sitemap-lastmod"]
        requested = set(request_keys(site.targets()))
        assert {p.project_id for p in PROJECTS if p.in_sitemap} <= requested
        assert again.summary.verified >= len(PROJECTS)


def test_parse_worker_processes_give_the_same_records(site):
    run = crawl(site.url, parse_processes=1)
    assert run.records() == _expected_records()


def test_a_consumer_that_stops_early_does_not_hang_the_crawl(site, monkeypatch):
    """Workers blocked on a full output buffer are cancelled when the consumer goes away."""
    import asyncio

    import httpx

    import pipeline.crawl.crawler as crawler_module
    from pipeline.crawl import Crawl, CrawlSettings
    from tests.spi import SPI

    monkeypatch.setattr(crawler_module, "OUTPUT_BUFFER", 1)

    async def go() -> str:
        async with httpx.AsyncClient() as client:
            crawl = Crawl(SPI, client, CrawlSettings(delay=0, parse_processes=0), None, site.url)
            pages = crawl.pages()
            seen = 0
            async for _ in pages:
                seen += 1
                if seen == 3:
                    await asyncio.sleep(0.2)  # let the workers fill the buffer and block
                    break
            await pages.aclose()
            await asyncio.sleep(0)
            leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert leftover == [], leftover  # no worker left blocked on the buffer
            return crawl.summary.status

    assert asyncio.run(go()) == "interrupted"
