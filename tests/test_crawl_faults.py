"""The crawler against a misbehaving server: every fault is survived or recorded, never silent."""

from __future__ import annotations

import gzip
import json
import socket

import pytest

from fixtures.sitegen.facts import PROJECTS
from pipeline.crawl import MemoryStateStore
from pipeline.crawl.fetcher import decode_content, retry_after_seconds
from pipeline.crawl.scope import Scope
from pipeline.fixture_server import FixtureSite, Reply
from tests.crawl_support import SITE, crawl
from tests.spi import SPI

V1 = SITE / "v1"
OLD = "/projekte/buergerhaushalt/"
OLD_KEY = "stiftung-spi.de/projekte/buergerhaushalt"


@pytest.fixture
def site():
    with FixtureSite(V1) as server:
        yield server


def flaky(times: int, reply: Reply):
    """A handler that answers ``reply`` the first ``times`` requests, then serves the file."""
    left = [times]

    def handler(request):
        if left[0] > 0:
            left[0] -= 1
            return reply
        return None

    return handler


def _hits(site, path: str) -> list:
    return [r for r in site.requests if r.path == path]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(503, b"busy", {"Retry-After": "1"}), None),
        (Reply(429, b"slow down", {"Retry-After": "1"}), None),
        (Reply(500, b"oops"), None),
        (Reply(502, b"bad gateway"), None),
        (Reply(reset=True), None),
        (Reply(200, b"<html><body>" + b"x" * 5000, truncate_to=100), None),
    ],
    ids=["503-retry-after", "429-retry-after", "500", "502", "reset", "truncated"],
)
def test_transient_faults_are_retried_and_the_page_is_found(site, reply, error):
    site.override(OLD, flaky(2 if "Retry-After" not in reply.headers else 1, reply))
    run = crawl(site.url)
    hits = _hits(site, OLD)
    assert OLD_KEY in run.records()
    assert len(hits) >= 2
    assert run.summary.retries >= 1
    assert run.by_key()[OLD_KEY].fetch.attempts == len(hits)
    if "Retry-After" in reply.headers:
        assert hits[1].at - hits[0].at >= 0.95  # Retry-After honoured
        # ... by the whole host: no request starts during the pause (those already in flight
        # when the 503 arrived may land in its first moments)
        paused = [r for r in site.requests if hits[0].at + 0.05 < r.at < hits[0].at + 0.95]
        assert paused == []


def test_a_permanent_500_fails_after_bounded_retries_and_is_recorded(site):
    site.override(OLD, lambda r: Reply(500, b"down"))
    run = crawl(site.url, retries=2)
    page = run.by_key()[OLD_KEY]
    assert page.fetch.outcome == "failed" and page.fetch.error == "http_500"
    assert len(_hits(site, OLD)) == 3
    assert len(run.records()) == len(PROJECTS) - 1
    assert run.summary.status == "ok"  # one failure in 50 pages is below the threshold


def test_too_many_failures_make_the_run_partial(site):
    for project in PROJECTS[:20]:
        site.override(project.path, lambda r: Reply(503, b"down"))
    run = crawl(site.url, retries=0)
    assert run.summary.status == "partial" and not run.summary.complete
    assert "failed" in run.summary.message


def test_slow_response_times_out_and_is_retried(site):
    site.override(OLD, flaky(1, Reply(200, b"late", delay=0.6)))
    run = crawl(site.url, read_timeout=0.2)
    assert run.by_key()[OLD_KEY].fetch.outcome == "fetched"
    assert run.summary.errors == {} or "timeout" not in run.summary.errors
    assert len(_hits(site, OLD)) == 2


def test_timeouts_without_end_fail_with_a_timeout_error(site):
    site.override(OLD, lambda r: Reply(200, b"late", delay=0.4))
    run = crawl(site.url, read_timeout=0.1, retries=1)
    fetch = run.by_key()[OLD_KEY].fetch
    assert (fetch.outcome, fetch.error) == ("failed", "timeout")


def test_redirect_chain_is_followed_within_scope(site):
    site.override(OLD, lambda r: Reply(302, headers={"Location": "/projekte/zwischen/"}))
    site.override(
        "/projekte/zwischen/",
        lambda r: Reply(
            307, headers={"Location": "http://www.stiftung-spi.de/projekte/buergerhaushalt-neu/"}
        ),
    )
    site.override(
        "/projekte/buergerhaushalt-neu/",
        lambda r: Reply(200, (V1 / OLD.strip("/") / "index.html").read_bytes()),
    )
    run = crawl(site.url)
    fetch = run.by_key()[OLD_KEY].fetch
    assert [h.status for h in fetch.redirects] == [302, 307]
    assert fetch.final_target.key == "stiftung-spi.de/projekte/buergerhaushalt-neu"
    assert fetch.moved_to is None  # temporary redirects are not moves


def test_permanent_redirect_of_a_project_is_a_move(site):
    site.override(OLD, lambda r: Reply(301, headers={"Location": "/service/projekte/detail/bhh"}))
    site.override(
        "/service/projekte/detail/bhh",
        lambda r: Reply(200, (V1 / OLD.strip("/") / "index.html").read_bytes()),
    )
    run = crawl(site.url)
    fetch = run.by_key()[OLD_KEY].fetch
    assert fetch.moved_to is not None
    assert fetch.moved_to.key == "stiftung-spi.de/service/projekte/detail/bhh"
    assert run.summary.moved == 1


def test_redirect_loop_and_off_site_redirect_are_refused(site):
    site.override(OLD, lambda r: Reply(301, headers={"Location": "/projekte/kreis/"}))
    site.override("/projekte/kreis/", lambda r: Reply(301, headers={"Location": OLD}))
    site.override(
        "/projekte/aktionsraummitte/",
        lambda r: Reply(302, headers={"Location": "https://elsewhere.example/x"}),
    )
    site.override(
        "/projekte/lernwerkstatt-offi/",
        lambda r: Reply(301, headers={"Location": "ftp://files.example/x"}),
    )
    run = crawl(site.url)
    pages = run.by_key()
    assert pages[OLD_KEY].fetch.error == "redirect_loop"
    assert pages["stiftung-spi.de/projekte/aktionsraummitte"].fetch.error == "redirect_off_site"
    assert pages["stiftung-spi.de/projekte/lernwerkstatt-offi"].fetch.error == "redirect_scheme"
    assert not [r for r in site.requests if "elsewhere" in r.target]


def test_redirect_count_is_bounded(site):
    def hop(request):
        n = int(request.path.rstrip("/").rsplit("-", 1)[-1]) if "/hop-" in request.path else 0
        return Reply(302, headers={"Location": f"/projekte/hop-{n + 1}/"})

    site.override(OLD, hop)
    for n in range(1, 12):
        site.override(f"/projekte/hop-{n}/", hop)
    run = crawl(site.url, max_redirects=3)
    assert run.by_key()[OLD_KEY].fetch.error == "too_many_redirects"
    assert len([r for r in site.requests if "hop-" in r.path]) == 3


def test_scope_refuses_private_addresses_when_the_site_is_public():
    scope = Scope(SPI)
    assert scope.redirect_refusal("http://127.0.0.1/x") == "redirect_private"
    assert scope.redirect_refusal("http://10.0.0.5/projekte/x/") == "redirect_private"
    assert scope.redirect_refusal("http://localhost/projekte/x/") == "redirect_private"
    assert scope.redirect_refusal("javascript:alert(1)") == "redirect_scheme"
    assert scope.redirect_refusal("https://evil.example/projekte/x/") == "redirect_off_site"
    assert scope.redirect_refusal("http://stiftung-spi.de/projekte/x/") is None
    mirror = Scope(SPI, "http://127.0.0.1:8080")
    assert mirror.redirect_refusal("http://127.0.0.1:8080/projekte/x/") is None


def test_gzip_bomb_is_capped(site):
    bomb = gzip.compress(b"\0" * (20 * 2**20))
    site.override(OLD, lambda r: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    run = crawl(site.url, max_decoded_bytes=2**20)
    fetch = run.by_key()[OLD_KEY].fetch
    assert (fetch.outcome, fetch.error) == ("failed", "decoded_too_large")
    assert len(run.records()) == len(PROJECTS) - 1


def test_gzip_encoded_pages_are_decoded(site):
    body = (V1 / OLD.strip("/") / "index.html").read_bytes()
    site.override(OLD, lambda r: Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}))
    run = crawl(site.url)
    assert OLD_KEY in run.records()
    assert run.by_key()[OLD_KEY].fetch.raw_body[:2] == b"\x1f\x8b"  # kept as received


def test_huge_page_is_refused_by_the_size_cap(site):
    huge = b"<html><body>" + b"<p>filler</p>" * 200_000
    site.override(OLD, lambda r: Reply(200, huge))
    run = crawl(site.url, max_body_bytes=2**20)
    fetch = run.by_key()[OLD_KEY].fetch
    assert (fetch.outcome, fetch.error) == ("failed", "too_large")


def _expected(key: str) -> dict:
    name = key.replace("/", "__") + ".json"
    return json.loads((V1 / "_expected" / name).read_text(encoding="utf-8"))


def test_wrong_or_missing_charsets_still_parse(site):
    utf8 = (V1 / OLD.strip("/") / "index.html").read_bytes()
    site.override(
        OLD, lambda r: Reply(200, utf8, {"Content-Type": "text/html; charset=iso-8859-1"})
    )
    mitte = "/projekte/aktionsraummitte/"
    cp1252 = (
        (V1 / mitte.strip("/") / "index.html")
        .read_text(encoding="utf-8")
        .replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
        .encode("cp1252")
    )
    site.override(mitte, lambda r: Reply(200, cp1252, {"Content-Type": "text/html"}))
    records = crawl(site.url).records()
    assert records[OLD_KEY] == _expected(OLD_KEY)
    key = "stiftung-spi.de/projekte/aktionsraummitte"
    assert records[key] == _expected(key)


def test_non_html_content_is_skipped(site):
    site.override(OLD, lambda r: Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}))
    run = crawl(site.url)
    fetch = run.by_key()[OLD_KEY].fetch
    assert (fetch.outcome, fetch.error) == ("skipped", "content_type")


def test_known_project_404_is_rechecked_once_at_the_end(site):
    state = MemoryStateStore()
    crawl(site.url, state=state)
    site.clear()
    site.override(OLD, lambda r: Reply(404, b"gone"))
    site.override("/projekte/aktionsraummitte/", lambda r: Reply(410, b"gone for good"))
    run = crawl(site.url, state=state)
    assert len(_hits(site, OLD)) == 2
    assert site.requests[-1].path == OLD  # the re-check comes after everything else
    rechecks = [p for p in run.pages if p.recheck]
    assert [p.fetch.target.key for p in rechecks] == [OLD_KEY]
    assert rechecks[0].fetch.status == 404
    assert len(_hits(site, "/projekte/aktionsraummitte/")) == 1  # 410 needs no re-check


def test_unreachable_host_fails_fast_with_a_clear_message():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = crawl(f"http://127.0.0.1:{port}", retries=1)
    assert run.summary.status == "failed" and not run.summary.complete
    assert "robots.txt" in run.summary.message and "connect" in run.summary.message
    assert run.summary.pages == 0


def test_robots_txt_server_error_stops_the_run(site):
    site.override("/robots.txt", lambda r: Reply(503, b"maintenance"))
    run = crawl(site.url, retries=0)
    assert run.summary.status == "failed"
    assert [r.path for r in site.requests] == ["/robots.txt"]


def test_missing_robots_txt_allows_everything(site):
    site.override("/robots.txt", lambda r: Reply(404, b"no robots"))
    run = crawl(site.url)
    assert len(run.records()) == len(PROJECTS)


def test_every_project_is_found_despite_many_faults_at_once(site):
    faults = [
        Reply(503, b"", {"Retry-After": "0"}),
        Reply(reset=True),
        Reply(500, b""),
        Reply(200, b"<html>" + b"y" * 3000, truncate_to=10),
    ]
    for i, project in enumerate(PROJECTS):
        site.override(project.path, flaky(1 + i % 2, faults[i % len(faults)]))
    run = crawl(site.url, retries=3)
    assert len(run.records()) == len(PROJECTS)
    assert run.summary.status == "ok"
    assert run.summary.retries >= len(PROJECTS)


def test_retry_after_and_content_decoding_helpers():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    assert decode_content(gzip.compress(b"abc"), "gzip", 10) == b"abc"
    assert decode_content(b"abc", None, 10) == b"abc"


def test_credentials_in_the_base_url_become_basic_auth_and_never_a_stored_url(site):
    from pipeline.crawl.scope import Scope

    scope = Scope(SPI, "https://user:s%40cret@staging.example.org")
    assert scope.credentials == ("user", "s@cret")
    target = scope.target("https://www.stiftung-spi.de/projekte/x/")
    assert target is not None and target.fetch_url == "https://staging.example.org/projekte/x/"
    assert "cret" not in scope.base_url
