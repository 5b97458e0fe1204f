"""The project list's filters in a real browser (headless Chromium from the distribution's
packages, driven by Playwright): they search every page of a paginated list, not only the
one on screen, and give exactly the warehouse's sets.

The report is written with 5 projects a page from a copy of the demo's warehouse in which a
third of the projects belong to a second site, so site filtering has something to tell apart.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import duckdb
import pytest

from pipeline.report import ReportOptions, build_report
from pipeline.report.html import slug
from pipeline.report.search_index import normalize
from pipeline.warehouse import Warehouse
from tests.report_support import Browser, build_demo, chromium, shot

PAGE_SIZE = 5
OTHER_SITE = "farnegg"
PRAEVENTION = "Präventionsrat Cottbus"


class Paged:
    def __init__(self, db: Path, report: Path) -> None:
        self.db, self.report = db, report

    def latest(self, where: str = "true", params: tuple[object, ...] = ()) -> set[str]:
        """The page names (slugs) of the projects whose latest version matches ``where``."""
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            rows = con.execute(
                "SELECT project_id FROM (SELECT v.*, p.site AS project_site FROM project_versions"
                " v JOIN projects p USING (project_id) QUALIFY"
                " v.version = max(v.version) OVER (PARTITION BY v.project_id)) WHERE " + where,
                list(params),
            ).fetchall()
        finally:
            con.close()
        return {slug(r[0]) for r in rows}


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Paged:
    root = tmp_path_factory.mktemp("filter-demo")
    demo = build_demo(root)
    db = root / "two-sites.duckdb"
    shutil.copy(demo.db, db)
    con = duckdb.connect(str(db))
    moved = [r[0] for r in con.execute("SELECT project_id FROM projects ORDER BY 1").fetchall()]
    moved = moved[::3]
    for table in ("projects", "project_versions"):
        con.execute(
            f"UPDATE {table} SET site = ? WHERE project_id IN (SELECT unnest(?))",
            [OTHER_SITE, moved],
        )
    con.close()
    report = root / "paged-report"
    with Warehouse.open(db, read_only=True) as warehouse:
        build_report(warehouse.con, ReportOptions(out=report, page_size=PAGE_SIZE))
    return Paged(db, report)


@pytest.fixture(scope="module")
def browser(paged, tmp_path_factory) -> Iterator[Browser]:
    with chromium(paged.report, tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(autouse=True)
def _clean_log(browser) -> Iterator[None]:
    """Every test: no console errors, and no request leaves the report's folder."""
    with browser.clean_log():
        yield


def settled(page, text: str) -> None:
    """Wait until the live region says ``text`` (the index loads asynchronously)."""
    page.wait_for_function(
        "want => document.getElementById('shown').textContent === want", arg=text
    )


def every_match(page) -> list[str]:
    """The page names of all matches, after "Show more" until nothing more is hidden."""
    more = page.locator("#more")
    while more.is_visible():
        more.click()
    hrefs = page.locator("#matches tbody tr th a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h.removeprefix("projects/").removesuffix(".html") for h in hrefs]


def static_rows(page) -> list[str]:
    hrefs = page.locator("#projects tbody tr th a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h.removeprefix("projects/").removesuffix(".html") for h in hrefs]


def test_the_list_has_several_pages(browser, paged):
    total = len(paged.latest())
    page = browser.open("projects.html")
    pages = page.locator("nav.pages").first.locator("li").count()
    assert pages == -(-total // PAGE_SIZE) >= 5
    assert len(static_rows(page)) == PAGE_SIZE
    assert page.locator("#results").is_hidden() and page.locator("#filters").is_visible()
    page.close()


def test_a_title_is_found_on_another_page(browser, paged):
    (want,) = paged.latest("title = ?", (PRAEVENTION,))
    total = len(paged.latest())
    page = browser.open("projects.html")
    assert want not in static_rows(page)  # not on the first page
    page.fill("#f-title", "praeventionsrat")  # typed without the umlaut, as German readers do
    settled(page, f"1 of {total} projects match")
    assert every_match(page) == [want]
    assert page.locator("#projects").is_hidden() and page.locator("nav.pages").first.is_hidden()
    assert page.get_by_text("Page 1 of 7").is_hidden()  # the page's note is about the page
    page.fill("#f-title", " PRÄVENTIONSRAT  cottbus ")  # words in any case, spaces around
    page.wait_for_function("location.search.includes('cottbus')")  # after the typing pause
    settled(page, f"1 of {total} projects match")
    assert page.locator("#matches tbody tr th a").inner_text() == PRAEVENTION
    assert parse_qs(urlparse(page.url).query) == {"title": ["PRÄVENTIONSRAT  cottbus"]}
    shot(page, "report-projects-title-filter")
    page.locator("#matches tbody tr th a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/projects/{want}.html")
    page.close()


def test_each_status_gives_exactly_the_warehouses_projects(browser, paged):
    total = len(paged.latest())
    page = browser.open("projects-3.html")
    statuses = page.locator("#f-status option").evaluate_all("o => o.map(x => x.value)")
    assert statuses[0] == "" and len(statuses) > 2
    for status in statuses[1:]:
        want = paged.latest("status = ?", (status,))
        page.select_option("#f-status", status)
        settled(page, f"{len(want)} of {total} projects match" + (
            f"; the first {PAGE_SIZE} are listed" if len(want) > PAGE_SIZE else ""
        ))  # fmt: skip
        got = every_match(page)
        assert sorted(got) == sorted(want), status
        assert len(got) == len(set(got))
    page.close()


def test_each_site_gives_exactly_the_warehouses_projects(browser, paged):
    page = browser.open("projects-2.html")
    sites = page.locator("#f-site option").evaluate_all("o => o.map(x => x.value)")
    assert sites == ["", OTHER_SITE, "stiftung-spi"]
    for site in sites[1:]:
        want = paged.latest("project_site = ?", (site,))
        assert 0 < len(want) < len(paged.latest())
        page.select_option("#f-site", site)
        page.wait_for_function("document.getElementById('shown').textContent.includes('match')")
        assert sorted(every_match(page)) == sorted(want), site
    page.close()


def test_a_funder_and_a_status_together(browser, paged):
    con = duckdb.connect(str(paged.db), read_only=True)
    funder, status, n = con.execute(
        "SELECT f, status, count(*) FROM (SELECT unnest(funders) AS f, status FROM "
        "project_versions QUALIFY version = max(version) OVER (PARTITION BY project_id)) "
        "GROUP BY ALL HAVING count(*) >= 2 ORDER BY 3 DESC, 1, 2 LIMIT 1"
    ).fetchone()
    con.close()
    want = paged.latest("list_contains(funders, ?) AND status = ?", (funder, status))
    assert len(want) == n
    only_funder = paged.latest("list_contains(funders, ?)", (funder,))
    assert want < only_funder or len(only_funder) == n
    page = browser.open("projects.html")
    page.select_option("#f-funder", funder)
    page.select_option("#f-status", status)
    page.wait_for_function("document.getElementById('shown').textContent.includes('match')")
    assert sorted(every_match(page)) == sorted(want)
    assert parse_qs(urlparse(page.url).query) == {"funder": [funder], "status": [status]}
    page.close()


def test_clearing_brings_the_page_back(browser, paged):
    page = browser.open("projects-4.html")
    before = static_rows(page)
    page.select_option("#f-status", "completed")
    page.fill("#f-title", "a")
    page.wait_for_function("document.getElementById('shown').textContent.includes('match')")
    assert page.locator("#listing").is_hidden()
    page.get_by_role("button", name="Clear filters").click()
    settled(page, "Filters cleared: this page lists its projects again.")
    assert page.locator("#listing").is_visible() and page.locator("#results").is_hidden()
    assert static_rows(page) == before
    assert page.locator("#projects tbody tr:visible").count() == PAGE_SIZE
    assert urlparse(page.url).query == ""
    assert page.locator("#f-title").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "f-title"
    page.close()


def test_a_link_with_the_filters_opens_filtered(browser, paged):
    want = paged.latest("status = 'completed' AND lower(title) LIKE '%cottbus%'")
    total = len(paged.latest())
    query = "?" + urlencode({"title": "Cottbus", "status": "completed"})
    page = browser.open("projects-5.html", query=query)
    settled(page, f"{len(want)} of {total} projects match")
    assert page.locator("#f-title").input_value() == "Cottbus"
    assert page.locator("#f-status").input_value() == "completed"
    assert sorted(every_match(page)) == sorted(want) and want
    page.close()


def test_sorting_the_matches_sorts_all_of_them(browser, paged):
    page = browser.open("projects.html")
    page.select_option("#f-site", "stiftung-spi")
    page.wait_for_function("document.getElementById('shown').textContent.includes('match')")
    page.locator("#matches").get_by_role("button", name="Versions").click()
    header = page.locator("#matches thead th", has_text="Versions")
    assert header.get_attribute("aria-sort") == "ascending"
    first = int(page.locator("#matches tbody tr td:nth-child(8)").first.inner_text())
    every_match(page)
    cells = [int(x) for x in page.locator("#matches tbody tr td:nth-child(8)").all_inner_texts()]
    assert len(cells) == len(paged.latest("project_site = 'stiftung-spi'"))
    assert cells == sorted(cells) and first == min(cells)
    page.locator("#matches").get_by_role("button", name="Versions").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert int(page.locator("#matches tbody tr td:nth-child(8)").first.inner_text()) == max(cells)
    page.close()


def test_a_funders_page_filters_only_its_projects(browser, paged):
    con = duckdb.connect(str(paged.db), read_only=True)
    funder = con.execute(
        "SELECT f FROM (SELECT unnest(funders) AS f FROM project_versions QUALIFY "
        "version = max(version) OVER (PARTITION BY project_id)) GROUP BY 1 "
        "ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    con.close()
    members = paged.latest("list_contains(funders, ?)", (funder,))
    page = browser.open(f"funders/{slug(funder)}.html")
    page.fill("#f-title", "")
    page.select_option("#f-status", page.locator("#f-status option").nth(1).get_attribute("value"))
    status = page.locator("#f-status").input_value()
    want = paged.latest("list_contains(funders, ?) AND status = ?", (funder, status))
    settled(page, f"{len(want)} of {len(members)} projects match" + (
        f"; the first {PAGE_SIZE} are listed" if len(want) > PAGE_SIZE else ""
    ))  # fmt: skip
    got = page.locator("#matches tbody tr th a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert sorted(h.removeprefix("../projects/").removesuffix(".html") for h in got) == sorted(want)
    page.close()


def test_the_browser_folds_titles_as_the_index_does(browser):
    samples = [
        "Straßenfest",
        "STRAẞE",
        "Müller & Söhne",
        "Mu\u0308ller",
        "Café Crème",
        "Ein  Titel\u00a0mit\tLücken\n",
        "\ufeffBOM\u2028and\u0085breaks\u001f!",
        "ﬁnanziert",
        "İstanbul",
        "ΟΔΟΣ",
        "Lernwerkstatt „OFFi“ (2007 – 2015)",
        "Integrationslots*innen Potsdam",
        "ℌilbert Ⅻ ①",
    ]
    page = browser.open("projects.html")
    folded = page.evaluate("s => s.map(window.reportFilter.normalize)", samples)
    assert folded == [normalize(s) for s in samples]
    page.close()


def test_the_filters_are_accessible_and_fit_a_phone(browser, paged):
    page = browser.open("projects-2.html", width=390)
    assert page.get_by_role("search", name="Filter the projects").count() == 1
    for name in ("title", "funder", "status", "division", "site"):
        control = page.locator(f"#f-{name}")
        assert page.locator(f"label[for='f-{name}']").count() == 1
        assert control.is_visible()
    assert page.locator("#shown").get_attribute("aria-live") == "polite"
    page.fill("#f-title", "berlin")
    page.wait_for_function("document.getElementById('shown').textContent.includes('match')")
    assert page.get_by_role("heading", name="Matching projects").is_visible()
    assert page.locator("#matches thead th[scope=col]").count() == 8
    assert page.locator("#matches tbody th[scope=row]").count() >= 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the filtered list is {overflow}px wider than a phone screen"
    shot(page, "report-projects-filtered-phone")
    page.close()
