"""A nightly run never misses a change the site made, and never reports one it did not.

Fixture site histories (v1 then v2, whose exact events are known) with sitemaps whose lastmod
lies in the ways real ones do; the opt-in audited lastmod trust; parser and profile changes on
an unchanged site.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipeline import exit_codes
from pipeline.crawl.lastmod import CLEAN_AUDITS, audit_sample
from pipeline.errors import InputError
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.nightly import RunReport, run_crawl
from pipeline.profiles import SiteProfile
from pipeline.reparse import reparse
from pipeline.warehouse import Warehouse
from pipeline.warehouse.queries import changes
from tests.spi import SPI
from tests.test_warehouse_history import EXPECTED
from tests.warehouse_support import SITE, events, options

SITEMAP = "/sitemap-projects.xml.gz"
Lastmod = Callable[[str, str], str | None]  # (snapshot, loc) -> the lastmod the sitemap says
NIGHT = datetime(2026, 11, 2, 2, 30, tzinfo=UTC)


def serve_lastmod(site: FixtureSite, snapshot: str, lastmod: Lastmod) -> None:
    """Serve the snapshot's project sitemap with the given lastmod per URL."""
    xml = gzip.decompress((SITE / snapshot / SITEMAP.lstrip("/")).read_bytes()).decode()

    def stamp(match: re.Match[str]) -> str:
        value = lastmod(snapshot, match.group(1))
        return match.group(0) if value is None else f"{match.group(0)}<lastmod>{value}</lastmod>"

    body = gzip.compress(re.sub(r"<loc>([^<]+)</loc>", stamp, xml).encode())
    site.override(SITEMAP, lambda r: Reply(200, body, {"Content-Type": "application/gzip"}))


def night(site: FixtureSite, db: Path, snapshot: str, n: int, **settings: object) -> RunReport:
    site.switch(SITE / snapshot)
    clock = NIGHT + timedelta(days=n)
    return run_crawl(options(site.url, db, **settings), clock=lambda: clock)


def _read(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


LIARS: dict[str, Lastmod] = {
    # the date only, older than the crawl (a page edited after a 02:30 crawl keeps the date)
    "day-precision-older-than-the-crawl": lambda snap, loc: "2026-10-01",
    # a value that never changes while the content does (the page record's date, not the
    # content element's)
    "never-changes": lambda snap, loc: "2025-03-14T09:00:00+00:00",
    "in-the-future": lambda snap, loc: "2031-01-01T00:00:00Z",
    "none": lambda snap, loc: None,
}


@pytest.mark.parametrize("name", sorted(LIARS))
@pytest.mark.parametrize("trust", ["off", "audited"])
def test_every_change_is_found_whatever_the_sitemap_says(tmp_path, name, trust):
    db = tmp_path / "w.duckdb"
    with FixtureSite(SITE / "v1") as site:
        for n, snapshot in enumerate(("v1", "v2")):
            serve_lastmod(site, snapshot, LIARS[name])
            report = night(site, db, snapshot, n, trust_lastmod=trust)
            assert report.status == "ok"
    with _read(db) as con:
        assert events(con, report.run_id) == EXPECTED[2]
    assert report.summary.skipped_lastmod == 0  # a site earning trust verifies every page


def test_nothing_is_missed_when_a_tenth_of_the_pages_fail_at_first(tmp_path):
    db = tmp_path / "w.duckdb"
    with FixtureSite(SITE / "v1") as site:
        night(site, db, "v1", 0)
        tried: set[str] = set()

        def flaky(request: object) -> Reply | None:
            path = request.path  # type: ignore[attr-defined]
            if zlib.crc32(path.encode()) % 10 == 0 and path not in tried:
                tried.add(path)
                return Reply(503, b"busy")
            return None

        for path in _project_paths("v2"):
            site.override(path, flaky)
        report = night(site, db, "v2", 1)
    assert report.status == "ok" and tried
    assert report.summary.retries >= len(tried)
    with _read(db) as con:
        assert events(con, report.run_id) == EXPECTED[2]


def _project_paths(snapshot: str) -> list[str]:
    xml = gzip.decompress((SITE / snapshot / SITEMAP.lstrip("/")).read_bytes()).decode()
    return [re.sub(r"^https://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


HONEST = "2026-06-01T08:00:00Z"


def test_an_honest_site_earns_trust_and_an_audit_still_catches_a_silent_change(tmp_path):
    db = tmp_path / "w.duckdb"
    with FixtureSite(SITE / "v1") as site:
        serve_lastmod(site, "v1", lambda snap, loc: HONEST)
        earning = CLEAN_AUDITS + 1  # the first run has no stored lastmod to audit
        reports = [night(site, db, "v1", n, trust_lastmod="audited") for n in range(earning)]
        assert [r.summary.skipped_lastmod for r in reports] == [0] * earning
        assert reports[0].summary.audited == 0
        assert all(r.summary.audited >= 30 for r in reports[1:])  # every page, each run
        with _read(db) as con:
            standing = con.execute("SELECT clean_audits FROM runs ORDER BY run_id").fetchall()
        assert standing == [(n,) for n in range(earning)]

        # trusted now: unchanged pages are skipped but for the audit sample
        site.clear()
        serve_lastmod(site, "v1", lambda snap, loc: HONEST)
        trusted = night(site, db, "v1", earning, trust_lastmod="audited")
        assert trusted.summary.lastmod_trust == "trusted"
        assert trusted.summary.skipped_lastmod > 0
        assert trusted.summary.audited >= 10
        assert trusted.load.events == {}
        skipped = trusted.summary.skipped_lastmod
        in_sitemap = set(_project_paths("v1"))
        requested = {t for t in site.targets() if t in in_sitemap}
        assert len(requested) == len(in_sitemap) - skipped == trusted.summary.audited

        # a page changes while its lastmod stays: the run's seeded sample includes it
        clock = NIGHT + timedelta(days=earning + 1)
        seed = int(clock.timestamp())
        with Warehouse.open(db, read_only=True) as warehouse:
            keys = [
                r[0]
                for r in warehouse.con.execute(
                    "SELECT page_key FROM page_state WHERE is_project AND sitemap_lastmod = ?",
                    [HONEST],
                ).fetchall()
            ]
        audited = sorted(audit_sample(keys, seed))
        path = "/" + audited[0].split("/", 1)[1]
        victim = next(p for p in _project_paths("v1") if p.rstrip("/") == path)
        html = (SITE / "v1" / path.strip("/") / "index.html").read_bytes()
        changed = re.sub(rb"(<h1[^>]*>)[^<]+", rb"\1Ein neuer Titel", html, count=1)
        assert changed != html
        site.override(victim, lambda r: Reply(200, changed, {"Content-Type": "text/html"}))
        site.switch(SITE / "v1")
        caught = run_crawl(options(site.url, db, trust_lastmod="audited"), clock=lambda: clock)
    summary = caught.summary
    assert (summary.audit_failures, summary.skipped_lastmod) == (1, 0)  # then verifies every page
    assert ("changed", audited[0].removeprefix("stiftung-spi.de/"), "title") in events(
        duckdb.connect(str(db), read_only=True), caught.run_id
    )
    with _read(db) as con:
        evidence = con.execute(
            "SELECT page_key, old_lastmod, new_lastmod, old_hash <> new_hash FROM lastmod_audits"
        ).fetchall()
        standing = con.execute(
            "SELECT clean_audits, lastmod_trust FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
    assert evidence == [(audited[0], HONEST, HONEST, True)]
    assert standing == (0, "trusted")  # trusted when it started; untrusted from now on


def _variant(**vocabulary: object) -> SiteProfile:
    return SiteProfile.model_validate({**SPI.model_dump(), "vocabulary": vocabulary})


def test_a_parser_or_profile_change_on_an_unchanged_site_is_no_site_change(tmp_path):
    db = tmp_path / "w.duckdb"
    with FixtureSite(SITE / "v1") as site:
        night(site, db, "v1", 0)
        changed_words = _variant(status_words={"completed": ["laufend"]})
        made = options(site.url, db)
        report = run_crawl(replace(made, profile=changed_words), clock=lambda: NIGHT + timedelta(1))
    assert report.status == "ok"
    with _read(db) as con:
        by_cause = dict(
            con.execute(
                "SELECT cause, count(*) FROM project_changes WHERE run_id = ? GROUP BY cause",
                [report.run_id],
            ).fetchall()
        )
        versions = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE cause = 'extraction') FROM project_versions "
            "WHERE first_run_id = ?",
            [report.run_id],
        ).fetchone()
        laufend = con.execute(
            "SELECT count(*) FROM current_projects WHERE status_raw = 'laufend'"
        ).fetchone()[0]
    assert "site" not in by_cause and by_cause["extraction"] > 0
    assert versions[0] == versions[1] == laufend > 0
    # every page was parsed again (no 304 for a page parsed with another profile)
    assert report.summary.outcomes["not_modified"] == 0


def _state_of(db: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str, str | None, str]]]:
    with _read(db) as con:
        hashes = set(
            con.execute("SELECT project_id, content_hash FROM current_projects").fetchall()
        )
        found = set(
            con.execute(
                "SELECT type, project_id, field, cause FROM project_changes "
                "WHERE run_id = (SELECT max(run_id) FROM runs)"
            ).fetchall()
        )
    return hashes, found


def test_reparse_from_the_archive_gives_what_a_recrawl_gives(tmp_path):
    changed_words = _variant(status_words={"completed": ["laufend"]})
    crawled, reparsed = tmp_path / "crawled.duckdb", tmp_path / "reparsed.duckdb"
    with FixtureSite(SITE / "v1") as site:
        for db in (crawled, reparsed):
            first = replace(options(site.url, db), archive_dir=tmp_path / db.stem)
            assert run_crawl(first, clock=lambda: NIGHT).status == "ok"
        made = replace(options(site.url, crawled), profile=changed_words)
        run_crawl(made, clock=lambda: NIGHT + timedelta(1))
        requests = len(site.requests)
        result = reparse(reparsed, changed_words)
        assert len(site.requests) == requests  # not one request to the site
    assert result.load.status == "ok" and result.missing == []
    assert result.load.events == {} and result.load.extraction_events
    assert _state_of(reparsed) == _state_of(crawled)
    with _read(reparsed) as con:
        assert con.execute("SELECT count(*) FROM projects WHERE removed").fetchone() == (0,)
        assert not changes(con, cause="site", run_id=result.run_id)
        assert len(changes(con, cause="extraction", run_id=result.run_id)) == sum(
            result.load.extraction_events.values()
        )


def test_reparse_says_when_the_archive_is_off_or_a_capture_is_missing(tmp_path):
    db = tmp_path / "w.duckdb"
    with FixtureSite(SITE / "v1") as site:
        run_crawl(options(site.url, db))
    with pytest.raises(InputError, match="the archive is off for site 'stiftung-spi'"):
        reparse(db, SPI)
    archived = tmp_path / "a.duckdb"
    with FixtureSite(SITE / "v1") as site:
        run_crawl(replace(options(site.url, archived), archive_dir=tmp_path / "warc"))
    for warc in (tmp_path / "warc").glob("*.warc.gz"):
        warc.rename(warc.with_suffix(".moved"))
    result = reparse(archived, SPI)
    assert len(result.missing) == 33 and result.exit_code == exit_codes.PARTIAL
    assert all("is missing" in reason for _, reason in result.missing)
