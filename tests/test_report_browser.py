"""The demo's report in a real browser: headless Chromium from the distribution's packages
(/usr/bin/chromium), driven by Playwright (which downloads nothing here).

Skipped with a reason when Chromium or Playwright is missing, except under CI (CI=true), where
a missing browser fails the tests. Screenshots of each kind of page go to tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from pipeline.report.html import slug
from tests.report_support import Browser, DemoWarehouse, build_demo, chromium, counts, shot

PFD = "stiftung-spi.de/service/projekte/detail/pfd-spandau"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> DemoWarehouse:
    return build_demo(tmp_path_factory.mktemp("browser-demo"))


@pytest.fixture(scope="module")
def browser(demo, tmp_path_factory) -> Iterator[Browser]:
    with chromium(demo.report, tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(autouse=True)
def _clean_log(browser) -> Iterator[None]:
    """Every test: no console errors, and no request leaves the report's folder."""
    with browser.clean_log():
        yield


def number(page, selector: str) -> int:
    return int(page.locator(selector).inner_text().replace(",", ""))


def test_overview_shows_the_warehouse_counts(browser, demo):
    want = counts(demo.db)
    page = browser.open("index.html")
    assert page.title().startswith("Overview")
    assert number(page, "#stat-events") == want["events"]
    assert number(page, "#stat-closed") == want["closed"]
    assert number(page, "#stat-projects") == want["projects"]
    assert number(page, "#stat-removed") == want["removed"]
    assert page.locator("svg.chart rect").count() > 0
    assert page.locator("main").count() == 1 and page.locator("header nav").count() == 1
    assert page.locator("h1").count() == 1
    shot(page, "report-overview")
    page.close()


def test_lists_count_what_the_warehouse_holds(browser, demo):
    want = counts(demo.db)
    page = browser.open("projects.html")
    assert page.locator("#projects tbody tr:visible").count() == want["projects"]
    assert page.locator("#shown").inner_text() == ""  # nothing to say until a filter is set
    shot(page, "report-projects")
    page.close()
    page = browser.open("closed.html")
    assert page.locator("#closed tbody tr").count() == want["closed"]
    shot(page, "report-closed")
    page.close()
    page = browser.open("removed.html")
    assert page.locator("#removed tbody tr").count() == want["removed"]
    shot(page, "report-removed")
    page.close()


def test_run_page_shows_every_event_of_the_run(browser, demo):
    con = duckdb.connect(str(demo.db), read_only=True)
    run_events = con.execute("SELECT count(*) FROM project_changes WHERE run_id = 2").fetchone()[0]
    con.close()
    page = browser.open("runs/run-2.html")
    assert page.locator("section table tbody tr").count() == run_events
    assert number(page, "#run-events") == run_events
    assert page.locator("#events-changed del").count() > 0
    assert page.locator("#events-changed ins").count() > 0
    shot(page, "report-run")
    page.close()


def _funder_projects(db: Path) -> tuple[str, set[str]]:
    """The funder of the most projects and the titles of its projects (latest versions)."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT title, funders FROM project_versions "
        "QUALIFY version = max(version) OVER (PARTITION BY project_id)"
    ).fetchall()
    con.close()
    by_funder: dict[str, set[str]] = {}
    for title, funders in rows:
        for f in funders or []:
            by_funder.setdefault(f, set()).add(title)
    funder = max(sorted(by_funder), key=lambda f: len(by_funder[f]))
    assert len(by_funder[funder]) >= 2
    return funder, by_funder[funder]


def test_filtering_by_a_funder_shows_exactly_its_projects(browser, demo):
    funder, titles = _funder_projects(demo.db)
    page = browser.open("projects.html")
    page.select_option("#f-funder", funder)
    shown = page.locator("#shown")
    want = f"{len(titles)} of {counts(demo.db)['projects']} projects match"
    page.wait_for_function(
        "want => document.getElementById('shown').textContent === want", arg=want
    )
    assert page.locator("#projects").is_hidden()
    visible = page.locator("#matches tbody tr:visible th a")
    assert sorted(visible.all_inner_texts()) == sorted(titles)
    shot(page, "report-projects-filtered")
    page.fill("#f-title", "zzz-no-such-title")
    page.wait_for_function("document.getElementById('shown').textContent.startsWith('0 of ')")
    assert page.locator("#matches tbody tr").count() == 0
    assert shown.inner_text() == f"0 of {counts(demo.db)['projects']} projects match"
    page.close()
    linked = browser.open("projects.html", query="?" + urlencode({"funder": funder}))
    linked.wait_for_function("document.getElementById('shown').textContent.includes('match')")
    assert linked.locator("#matches tbody tr:visible").count() == len(titles)
    linked.close()


def test_a_funders_page_lists_exactly_its_projects(browser, demo):
    funder, titles = _funder_projects(demo.db)
    page = browser.open("funders.html")
    page.get_by_role("link", name=funder, exact=True).click()
    page.wait_for_load_state()
    assert sorted(page.locator("#projects tbody tr th a").all_inner_texts()) == sorted(titles)
    shot(page, "report-funder")
    page.locator("#projects tbody tr th a").first.click()  # to a project, and back by its funder
    page.wait_for_load_state()
    assert "/projects/" in page.url
    page.get_by_role("link", name=funder, exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Funder: {funder}"
    page.close()


def test_sorting_a_column(browser):
    page = browser.open("projects.html")
    page.get_by_role("button", name="Versions").click()
    header = page.locator("#projects thead th", has_text="Versions")
    assert header.get_attribute("aria-sort") == "ascending"
    cells = [int(x) for x in page.locator("#projects tbody tr td:nth-child(8)").all_inner_texts()]
    assert cells == sorted(cells)
    page.get_by_role("button", name="Versions").click()
    cells = [int(x) for x in page.locator("#projects tbody tr td:nth-child(8)").all_inner_texts()]
    assert cells == sorted(cells, reverse=True)
    page.close()


def test_project_page_versions_in_order_and_archive_link(browser, demo):
    con = duckdb.connect(str(demo.db), read_only=True)
    versions = con.execute(
        "SELECT version, title FROM project_versions WHERE project_id = ? ORDER BY version", [PFD]
    ).fetchall()
    con.close()
    page = browser.open(f"projects/{slug(PFD)}.html")
    shown = page.locator("#versions tbody th").all_inner_texts()
    assert shown == [str(v) for v, _ in versions]
    assert page.locator("svg.timeline").count() == 2
    shot(page, "report-project")
    links = page.get_by_role("link", name="archived page")
    assert links.count() == len(versions)
    links.last.click()
    page.wait_for_load_state()
    assert re.search(rf"/archive/{slug(PFD)}/v{versions[-1][0]}-[0-9a-f]{{10}}\.html$", page.url)
    assert page.locator("h1").first.inner_text() == versions[-1][1]
    shot(page, "report-archived-page")
    page.close()


def test_phone_screen_has_no_sideways_scrolling(browser):
    for path in ("index.html", "projects.html", f"projects/{slug(PFD)}.html", "runs/run-2.html"):
        page = browser.open(path, width=390)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone screen"
        if path == "index.html":
            shot(page, "report-overview-phone")
        page.close()
