"""The fixture foundations (fixtures/foundations/): generated files, profiles, facts, history.

These tests check the fixtures themselves, not the parser: what today's parser makes of them is
measured by benchmarks/field_accuracy.py.
"""

from __future__ import annotations

import gzip
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import httpx
import pytest

from fixtures.foundations.catalog import FOUNDATIONS, HELD_OUT
from fixtures.foundations.model import canonical
from fixtures.foundations.snapshot import build_golden, build_snapshot, dump_json
from pipeline.fixture_server import FixtureSite
from pipeline.profiles import load_profile
from schemas.record import E164, EMAIL

PROFILE_KEYS = {
    "id",
    "name",
    "origin",
    "host_aliases",
    "start_paths",
    "sitemap_paths",
    "project_paths",
    "listing_paths",
    "default_lang",
    "english_paths",
    "ignored_params",
    "country",
}
POSTCODE = {
    "DE": re.compile(r"^\d{5}$"),
    "CH": re.compile(r"^\d{4}$"),
    "AT": re.compile(r"^\d{4}$"),
    "LI": re.compile(r"^\d{4}$"),
}
# A Liechtenstein foundation funds across the Rhine valley: grantees in Switzerland and Austria
# give their own phones and amounts in euros.
PHONE_PREFIX = {"DE": "+49", "CH": "+41", "AT": "+43", "LI": ("+423", "+41", "+43")}
CURRENCY = {"DE": ("EUR",), "CH": ("CHF",), "AT": ("EUR",), "LI": ("CHF", "EUR")}
BY_ID = {f.id: f for f in FOUNDATIONS}
CASES = [(f.id, s) for f in FOUNDATIONS for s in f.snapshots]
# The held-out foundation is one snapshot (v1), without golden pages; the life-cycle tests
# concern the foundations with a v2.
WITH_V2 = [f.id for f in FOUNDATIONS if "v2" in f.snapshots]
TUNED = [f.id for f in FOUNDATIONS if f.id not in HELD_OUT]


def _profile(foundation_id: str) -> dict:
    return tomllib.loads((BY_ID[foundation_id].folder / "profile.toml").read_text("utf-8"))


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("foundation_id", "snapshot"), CASES)
def test_committed_site_matches_the_generator(tmp_path, foundation_id, snapshot):
    """Generated: regenerate with `python -m fixtures.foundations`."""
    foundation = BY_ID[foundation_id]
    build_snapshot(foundation, snapshot, tmp_path)
    here = foundation.site_root(snapshot)
    assert _files(here) == _files(tmp_path)
    for rel in _files(tmp_path):
        assert (here / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    on_disk = (foundation.folder / "expected" / f"{snapshot}.json").read_text("utf-8")
    assert on_disk == dump_json(foundation.expected(snapshot))


@pytest.mark.parametrize("foundation_id", BY_ID)
def test_committed_golden_pages_match_the_generator(tmp_path, foundation_id):
    foundation = BY_ID[foundation_id]
    build_golden(foundation, tmp_path)
    here = foundation.folder / "pages"
    generated = [
        rel for rel in _files(here) if rel.suffix == ".html" or rel.name == "MANIFEST.json"
    ]
    assert generated == _files(tmp_path)  # the expected JSON beside them is checked by hand
    assert {rel.with_suffix(".json") for rel in generated if rel.suffix == ".html"} == {
        rel for rel in _files(here) if rel.suffix == ".json" and rel.name != "MANIFEST.json"
    }
    for rel in _files(tmp_path):
        assert (here / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    manifest = json.loads((here / "MANIFEST.json").read_text("utf-8"))
    if foundation_id in HELD_OUT:
        assert manifest == {}  # a measurement, not a regression target
        return
    assert 4 <= len(manifest) <= 6
    assert all(url.startswith(foundation.origin) for url in manifest.values())


@pytest.mark.parametrize("foundation_id", BY_ID)
def test_profile_is_url_only_with_the_agreed_keys(foundation_id):
    profile = _profile(foundation_id)
    assert set(profile) == PROFILE_KEYS
    assert profile["id"] == foundation_id
    assert profile["origin"] == BY_ID[foundation_id].origin
    assert profile["country"] in ("DE", "CH", "AT", "LI")
    for key in ("project_paths", "listing_paths", "english_paths"):
        for pattern in profile[key]:
            re.compile(pattern)


@pytest.mark.parametrize(("foundation_id", "snapshot"), CASES)
def test_profile_regexes_tell_project_pages_from_the_rest(foundation_id, snapshot):
    foundation, profile = BY_ID[foundation_id], _profile(foundation_id)

    def matches(key: str, path: str) -> bool:
        return any(re.search(p, path) for p in profile[key])

    projects = {p.path for p in foundation.projects_for(snapshot) if p.live}
    for path, _query in foundation.site_pages(snapshot):
        assert matches("project_paths", path) == (path in projects), path
        if path in projects:
            assert not matches("listing_paths", path), path
            lang = "en" if matches("english_paths", path) else profile["default_lang"]
            assert lang == foundation.expected(snapshot)[canonical(foundation.origin, path)]["lang"]
    for listing in ("/", *profile["start_paths"]):
        assert matches("listing_paths", listing), listing


@pytest.mark.parametrize(("foundation_id", "snapshot"), CASES)
def test_expected_facts_are_well_formed(foundation_id, snapshot):
    foundation, country = BY_ID[foundation_id], _profile(foundation_id)["country"]
    expected = foundation.expected(snapshot)
    for url, facts in expected.items():
        assert url.startswith(foundation.origin) and not url.endswith("/"), url
        assert facts["status"] in ("active", "completed", "planned", "unknown")
        period = facts["period"]
        if period and period["start"] and period["end"]:
            assert date.fromisoformat(period["start"]) <= date.fromisoformat(period["end"])
        contact = facts["contact"]
        assert POSTCODE[country].match(contact["postal_code"]), url
        for phone in [*contact["phones"], *([contact["fax"]] if contact["fax"] else [])]:
            assert E164.match(phone) and phone.startswith(PHONE_PREFIX[country]), (url, phone)
        assert all(EMAIL.match(m) for m in contact["emails"]), url
        assert contact["persons"] and contact["organization"]
        assert set(facts["funders"]).isdisjoint(facts["partners"]), url
        if facts["grant_amount"]:
            assert facts["grant_amount"]["currency"] in CURRENCY[country]
            assert facts["grant_amount"]["value"] > 0
        for related in facts["related"]:
            assert related in expected and related != url, (url, related)
        if country in ("CH", "LI"):
            assert "ß" not in json.dumps(facts, ensure_ascii=False), url


@pytest.mark.parametrize("foundation_id", TUNED)
def test_each_foundation_covers_the_issue(foundation_id):
    foundation = BY_ID[foundation_id]
    v1 = foundation.projects_for("v1")
    assert 24 <= len(v1) <= 30
    assert len({p.style for p in v1}) == 2
    for style in {p.style for p in v1}:
        assert {p.lang for p in v1 if p.style == style} == {"de", "en"}, style
    assert {p.status for p in v1} == {"active", "completed", "planned", "unknown"}
    assert {p.period["start_precision"] for p in v1 if p.period} == {"day", "month", "year"}
    assert any(p.period and p.period["end"] is None for p in v1)
    assert all(p.grant for p in v1 if p.lang == "en")
    labels = {p.labels.get("period") for p in v1} | {p.labels.get("funders") for p in v1}
    assert len(labels - {None}) >= 2  # the wording varies from page to page


@pytest.mark.parametrize("foundation_id", WITH_V2)
def test_v2_holds_each_kind_of_change(foundation_id):
    foundation = BY_ID[foundation_id]
    v1 = {p.path: p for p in foundation.projects_for("v1")}
    v2 = {p.path: p for p in foundation.projects_for("v2")}
    e1, e2 = foundation.expected("v1"), foundation.expected("v2")
    assert sum(not p.page for p in v2.values()) == 1  # deleted: 404
    assert sum(p.http_status == 410 for p in v2.values()) == 1
    moved = [p for p in v2.values() if p.moved_from]
    assert len(moved) == 1 and moved[0].moved_from in v1 and moved[0].path not in v1
    new = [path for path in v2 if path not in v1 and not v2[path].moved_from]
    assert len(new) == 1
    kept = set(e1) & set(e2)
    changed = {u for u in kept if e1[u] != e2[u]}
    assert len(changed) == 3  # closed, funder changed, phone changed
    assert any(e1[u]["status"] != "completed" == e2[u]["status"] for u in changed)
    assert any(e1[u]["funders"] != e2[u]["funders"] for u in changed)
    assert any(e1[u]["contact"]["phones"] != e2[u]["contact"]["phones"] for u in changed)
    # Template drift: every unchanged page's HTML differs, its facts do not.
    pages1, pages2 = foundation.site_pages("v1"), foundation.site_pages("v2")
    for url in kept - changed:
        path = next(p for p in v2 if canonical(foundation.origin, p) == url)
        assert pages1[(path, None)] != pages2[(path, None)], path


@pytest.mark.parametrize("foundation_id", BY_ID)
def test_sitemaps_list_every_live_project_page(foundation_id):
    foundation, profile = BY_ID[foundation_id], _profile(foundation_id)
    last = foundation.snapshots[-1]
    root = foundation.site_root(last)
    locs: set[str] = set()
    pending = [p.lstrip("/") for p in profile["sitemap_paths"]]
    while pending:
        data = (root / pending.pop()).read_bytes()
        text = gzip.decompress(data).decode() if data[:2] == b"\x1f\x8b" else data.decode()
        for loc in re.findall(r"<loc>([^<]+)</loc>", text):
            if "<sitemapindex" in text:
                pending.append(loc.removeprefix(foundation.origin).lstrip("/"))
            else:
                locs.add(loc)
    live = {foundation.origin + p.path for p in foundation.projects_for(last) if p.live}
    assert live <= locs
    robots = (root / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {foundation.origin}{profile['sitemap_paths'][0]}" in robots


@pytest.mark.parametrize("foundation_id", WITH_V2)
def test_fixture_server_answers_the_v2_life_cycle(foundation_id):
    foundation = BY_ID[foundation_id]
    projects = foundation.projects_for("v2")
    gone = next(p for p in projects if p.http_status == 410)
    deleted = next(p for p in projects if not p.page)
    moved = next(p for p in projects if p.moved_from)
    with FixtureSite(foundation.site_root("v2")) as site, httpx.Client(base_url=site.url) as client:
        assert client.get(gone.path).status_code == 410
        assert client.get(deleted.path).status_code == 404
        answer = client.get(moved.moved_from or "")
        assert answer.status_code == 301
        assert answer.headers["location"].endswith(moved.path)
        assert client.get(moved.path).status_code == 200
        listing = _profile(foundation_id)["start_paths"][1]
        assert client.get(listing).status_code == 200


# Each held-out foundation's two markups and the listing pages its own pagination gives.
HELD_OUT_SHAPES = {
    "hallerau": (("table", "responsive"), [("/index.php/projekte", "start=10")]),  # Joomla
    "auenfeld": (
        ("nuxt", "webflow"),
        [
            ("/de/gefoerderte-projekte", "page=2"),  # the 2025 front end
            ("/en/funded-projects", "page=2"),
            ("/projects", "c4a1f9e2_page=2"),  # Webflow's collection list
        ],
    ),
    "tamsen": (
        ("steckbrief", "story"),
        [
            ("/grants.html", "page_n42=2"),  # Contao's news list pagination
            ("/de/foerderung/projekte.html", "page_n42=2"),
            ("/de/engagement/seite-2/", None),  # the stories' "Mehr laden"
        ],
    ),
    "gemeinsinn": (
        ("gsb", "domino"),
        [
            # the Government Site Builder's result list, its page number escaped twice
            ("/DE/Foerderung/Projektdatenbank/projektdatenbank_node.html", "gtp=394512_list%253D2"),
            ("/EN/Funding/ProjectDatabase/projectdatabase_node.html", "gtp=394618_list%253D2"),
            ("/archiv/foerderdb.nsf/ProjekteDE", "OpenView&Start=4"),  # a Domino view
        ],
    ),
    "ruosch": (
        ("squarespace", "elementor"),
        [
            ("/projekte", "offset=1714983240000"),  # Squarespace's "Ältere Beiträge"
            ("/en/projects", "offset=1696234440000"),
            ("/archiv/projekte/page/2/", None),  # the archive's Elementor posts pagination
        ],
    ),
    "valtenberg": (
        ("aem", "hugo"),
        [
            # the Projektfinder's server-rendered fallback, paged by a Sling selector
            ("/content/valtenberg-stiftung/de/engagement/projektfinder.page-2.html", None),
            ("/content/valtenberg-stiftung/en/commitment/projects.html", "page=2"),
            ("/archiv/page/2/", None),  # Hugo's paginator
            ("/en/archive/page/2/", None),
        ],
    ),
    "elbwiesen": (
        ("craft", "ghost"),
        [
            ("/foerderung/projekte/p2", None),  # Craft's page trigger
            ("/en/funding/projects/p2", None),
            ("/blog/page/2/", None),  # Ghost's collection pagination
        ],
    ),
    "moosbrugger": (
        ("wagtail", "plone"),
        [
            ("/de/projekte/", "page=2"),  # Wagtail: Django's paginator
            ("/en/projects/", "page=2"),
            ("/archiv", "b_start:int=10"),  # the Plone 4 archive's batched collection
        ],
    ),
    "wendland": (
        ("next", "neos"),
        [
            ("/projekte", "seite=2"),  # the Next.js list's own query parameter
            ("/en/projects", "page=2"),
            # the Neos archive's paginate widget, its brackets escaped as Neos writes the href
            ("/archiv/de/projekte.html", "--paginate%5BcurrentPage%5D=2"),
            ("/archiv/en/projects.html", "--paginate%5BcurrentPage%5D=2"),
        ],
    ),
    "seetal": (
        ("wix", "jimdo"),
        [
            ("/projekte", "page=2"),  # the Wix dataset's "Mehr laden" link
            ("/en/projects", "page=2"),
            ("/archiv/blog/page/2/", None),  # the Jimdo archive's blog pagination
        ],
    ),
    "kornfeld": (
        ("umbraco", "kirby"),
        [
            ("/foerderung/projekte/", "page=2"),  # the Umbraco list's pager
            ("/en/funding/projects/", "page=2"),
            ("/archiv/projekte/page:2", None),  # Kirby's named parameter pagination
            ("/archiv/journal/page:2", None),
        ],
    ),
    "lindenau": (
        ("sitecore", "concrete"),
        [
            ("/de/foerderprojekte", "pg=2"),  # the SXA search results' pagination
            ("/en/funded-projects", "pg=2"),
            ("/index.php/projekte", "ccm_paging_p=2"),  # concrete5's page list pagination
            ("/index.php/blog", "ccm_paging_p=2"),
        ],
    ),
}


def test_every_held_out_foundation_has_its_shape():
    assert set(HELD_OUT_SHAPES) == set(HELD_OUT)


@pytest.mark.parametrize("foundation_id", sorted(HELD_OUT))
def test_the_held_out_foundation_covers_the_field(foundation_id):
    """Smaller than the tuned ones: 16-20 pages, both markups, each status, each precision."""
    foundation = BY_ID[foundation_id]
    markups, paged = HELD_OUT_SHAPES[foundation_id]
    v1 = foundation.projects_for("v1")
    assert 16 <= len(v1) <= 20
    assert {p.style for p in v1} == set(markups)
    for style in markups:
        assert {p.lang for p in v1 if p.style == style} == {"de", "en"}, style
    assert {p.status for p in v1} == {"active", "completed", "planned", "unknown"}
    assert {p.period["start_precision"] for p in v1 if p.period} == {"day", "month", "year"}
    assert any(p.period and p.period["end"] is None for p in v1)
    assert len({p.labels.get("period") for p in v1} - {None}) >= 2
    pages = foundation.site_pages("v1")
    for where in paged:
        assert where in pages, where
    assert len([where for where in pages if where[0] not in {p.path for p in v1}]) >= 10


@pytest.mark.parametrize("foundation_id", BY_ID)
def test_fixture_server_serves_every_page_and_the_profile_loads(foundation_id):
    """The last snapshot as a crawl meets it: each page, its redirects, robots.txt, sitemaps."""
    foundation = BY_ID[foundation_id]
    last = foundation.snapshots[-1]
    root = foundation.site_root(last)
    profile = load_profile(foundation.folder / "profile.toml")
    assert profile.id == foundation_id and profile.origin == foundation.origin
    with FixtureSite(root) as site, httpx.Client(base_url=site.url) as client:
        for path, query in foundation.site_pages(last):
            answer = client.get(path + (f"?{query}" if query else ""))
            assert answer.status_code == 200, (path, query)
            assert answer.headers["content-type"].startswith("text/html"), path
            page = root / path.strip("/") / (f"index@{query}.html" if query else "index.html")
            assert answer.content == page.read_bytes(), (path, query)
        for old, new in foundation.redirects(last).items():
            answer = client.get(old)
            assert answer.status_code == 301 and answer.headers["location"].endswith(new), old
        assert client.get("/robots.txt").status_code == 200
        for sitemap in profile.sitemap_paths:
            assert client.get(sitemap).status_code == 200, sitemap
