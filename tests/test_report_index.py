"""The report's search index: the title folding, the JavaScript data files (escaping, stable
bytes, parts), and the index of the demo's report against the warehouse."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from pipeline.report import ReportOptions, build_report, search_index
from pipeline.report.html import slug
from pipeline.report.queries import load
from pipeline.report.search_index import GLOBAL, index_files, normalize, to_script
from pipeline.warehouse import Warehouse
from tests.report_support import build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("index-demo"))


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Straßenfest", "strassenfest"),
        ("STRAẞE", "strasse"),  # the capital sharp s
        ("Müller & Söhne", "mueller & soehne"),
        ("ÄÖÜ", "aeoeue"),
        ("Mu\u0308ller", "mueller"),  # a decomposed umlaut folds as the composed one
        ("Café Crème", "cafe creme"),  # other accents are dropped
        ("Ein  Titel\u00a0mit\tLücken\n", "ein titel mit luecken"),
        ("\ufeffBOM\u2028and\u0085breaks", "bom and breaks"),
        ("ﬁnanziert", "finanziert"),  # compatibility forms: the ligature is two letters
        ("İstanbul", "istanbul"),
        ("ΟΔΟΣ", "οδος"),  # the final sigma, as JavaScript lowercases it
        ("", ""),
        ("   ", ""),
    ],
)
def test_titles_are_folded_for_search(title, key):
    assert normalize(title) == key


def _payload(script: str) -> object:
    prefix = f'window.{GLOBAL} = window.{GLOBAL} || {{}};\nwindow.{GLOBAL}["1"] = '
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix) : -2])


def test_the_data_cannot_end_a_script_and_keeps_every_character():
    tricky = "a</script><script>alert(1)</script><!-- \"quoted\" \\ 'single' \u2028\u2029 ü"
    part = {"rows": [["s", tricky, normalize(tricky)]], "funders": ["</SCRIPT>"]}
    script = to_script(1, part)
    assert "<" not in script  # no </script>, no <!--, whatever the case
    assert "\u2028" not in script and "\u2029" not in script
    assert "ü" in script  # not every non-ASCII letter becomes an escape
    assert _payload(script) == part


def test_the_index_of_the_demo_is_the_warehouse(demo, tmp_path):
    with Warehouse.open(demo.db, read_only=True) as warehouse:
        build_report(warehouse.con, ReportOptions(out=tmp_path / "r"))
    (only,) = sorted((tmp_path / "r" / "search").iterdir())
    assert only.name == "index-1.js"
    part = _payload(only.read_text(encoding="utf-8"))
    con = duckdb.connect(str(demo.db), read_only=True)
    want = con.execute(
        "SELECT v.project_id, v.title, v.status, p.site, COALESCE(v.division, v.contact.division),"
        " v.funders, p.removed, (SELECT count(*) FROM project_versions w"
        "  WHERE w.project_id = v.project_id) "
        "FROM project_versions v JOIN projects p USING (project_id) "
        "QUALIFY v.version = max(v.version) OVER (PARTITION BY v.project_id)"
    ).fetchall()
    con.close()
    got = {}
    for row in part["rows"]:
        href, title, key, status, site, division, funders, _, _, _, versions, removed = row
        got[href] = (
            title,
            part["statuses"][status],
            part["sites"][site],
            part["divisions"][division] if division >= 0 else None,
            [part["funders"][f] for f in funders],
            bool(removed),
            versions,
        )
        assert key == normalize(title)
    assert got == {slug(r[0]): (r[1], r[2], r[3], r[4], list(r[5] or []), r[6], r[7]) for r in want}
    titles = [row[1].casefold() for row in part["rows"]]
    assert titles == sorted(titles)  # the list's order: by title
    for table in ("statuses", "sites", "divisions", "funders", "langs"):
        assert part[table] == sorted(part[table]), table


def test_the_index_is_stable_and_split_into_parts(demo, monkeypatch):
    with Warehouse.open(demo.db, read_only=True) as warehouse:
        projects = list(load(warehouse.con).projects.values())
        again = list(load(warehouse.con).projects.values())
    whole = index_files(projects)
    assert whole == index_files(again)  # the same warehouse, the same bytes
    monkeypatch.setattr(search_index, "PART_ROWS", 10)
    parts = index_files(projects)
    assert [name for name, _ in parts] == [f"search/index-{n}.js" for n in (1, 2, 3, 4)]
    rows = []
    for number, (_, script) in enumerate(parts, start=1):
        prefix = f'window.{GLOBAL}["{number}"] = '
        data = json.loads(script.split(prefix, 1)[1][:-2])
        rows += [(r[0], r[1], data["statuses"][r[3]]) for r in data["rows"]]
    single = _payload(whole[0][1])
    assert rows == [(r[0], r[1], single["statuses"][r[3]]) for r in single["rows"]]
    assert index_files([]) == []


def test_the_list_pages_point_at_every_part(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PART_ROWS", 10)
    out = tmp_path / "r"
    with Warehouse.open(demo.db, read_only=True) as warehouse:
        build_report(warehouse.con, ReportOptions(out=out, page_size=5))
    parts = sorted(p.name for p in (out / "search").iterdir())
    assert parts == [f"index-{n}.js" for n in (1, 2, 3, 4)]
    for page in [out / "projects.html", out / "projects-7.html"]:
        srcs = re.search(r'data-index="([^"]*)"', page.read_text(encoding="utf-8"))
        assert srcs and srcs.group(1).split() == [f"search/{name}" for name in parts]
    funder = next((out / "funders").glob("*.html")).read_text(encoding="utf-8")
    assert 'data-index="../search/index-1.js ../search/index-2.js' in funder
    assert 'data-scope-name="funder"' in funder
    assert '<form id="filters" class="filters" role="search"' in funder


def test_a_rebuild_with_fewer_parts_removes_the_stale_ones(demo, tmp_path, monkeypatch):
    out = tmp_path / "r"
    monkeypatch.setattr(search_index, "PART_ROWS", 10)
    with Warehouse.open(demo.db, read_only=True) as warehouse:
        build_report(warehouse.con, ReportOptions(out=out))
        assert len(list((out / "search").iterdir())) == 4
        monkeypatch.setattr(search_index, "PART_ROWS", 5000)
        build_report(warehouse.con, ReportOptions(out=out))
    assert sorted(p.name for p in Path(out / "search").iterdir()) == ["index-1.js"]
