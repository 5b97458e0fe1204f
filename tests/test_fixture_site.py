"""The fixture site: every project page must yield the record its hand-written facts state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.sitegen.build import build_snapshot, live, site_pages
from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.history import SNAPSHOTS, projects_for
from fixtures.sitegen.model import ORIGIN
from fixtures.sitegen.render import render_project
from pipeline.parse import parse_page
from schemas import content_hash
from tests.spi import SPI

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


def _strip_hash(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "content_hash"}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: f"{p.style}-{p.slug}")
def test_project_page_yields_its_facts(project):
    html = (SITE / "v1" / project.path.strip("/") / "index.html").read_bytes()
    result = parse_page(html, ORIGIN + project.path, SPI)
    assert result.kind == "project", (result.problems, result.warnings)
    assert _strip_hash(result.record.model_dump(mode="json")) == project.expected()


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.slug)
def test_same_facts_in_every_markup_style_give_the_same_record_and_hash(project):
    records = []
    for style in "abc":
        result = parse_page(render_project(project, style), ORIGIN + project.path, SPI)
        assert result.kind == "project", (style, result.problems)
        records.append(result.record)
    assert records[0] == records[1] == records[2]
    expected = project.expected()
    assert records[0].content_hash == content_hash(expected)


def test_fixture_site_covers_what_the_issue_asks_for():
    styles = {p.style for p in PROJECTS}
    statuses = {p.status for p in PROJECTS}
    protections = {m.style for p in PROJECTS if p.contact for m in p.contact.emails}
    funder_counts = {min(len(p.funders), 2) for p in PROJECTS}
    assert len(PROJECTS) >= 30
    assert styles == {"a", "b", "c"}
    assert statuses == {"active", "completed", "planned", "unknown"}
    assert protections >= {"at", "spaced", "bracket", "uncrypt", "token", "plain"}
    assert funder_counts == {0, 1, 2}
    assert {p.scheme for p in PROJECTS} == {"old", "new", "en"}
    raws = {p.period["raw"] for p in PROJECTS if p.period}
    for form in [
        "01.02.2014 bis 31.12.2017",
        "seit 01.09.2015",
        "seit 2015",
        "ab März 2019",
        "03/2018 – 02/2020",
        "März 2018 bis Februar 2020",
        "1. Januar 2021 bis 31. Dezember 2023",
        "2016 – 2019",
        "fortlaufend",
        "1 February 2014 to 31 December 2017",
        "since 2015",
        "ongoing",
        "ausgelaufen am 30.06.2014",
        "2007 – 2015",
    ]:
        assert form in raws, form


def test_non_project_pages_yield_no_record():
    for (path, query), html in site_pages("v1").items():
        if any(p.path == path for p in PROJECTS):
            continue
        result = parse_page(html, ORIGIN + path + (f"?{query}" if query else ""), SPI)
        assert result.kind == "not_project", path
        assert result.record is None


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_committed_site_matches_the_generator(tmp_path, snapshot):
    """fixtures/site is generated: regenerate with `python -m fixtures.sitegen`."""
    build_snapshot(snapshot, tmp_path / snapshot)
    here, fresh_root = SITE / snapshot, tmp_path / snapshot
    committed = sorted(p.relative_to(here) for p in here.rglob("*") if p.is_file())
    fresh = sorted(p.relative_to(fresh_root) for p in fresh_root.rglob("*") if p.is_file())
    assert committed == fresh
    for rel in fresh:
        assert (here / rel).read_bytes() == (fresh_root / rel).read_bytes(), rel


@pytest.mark.parametrize("snapshot", SNAPSHOTS[1:])
def test_every_live_page_of_later_snapshots_yields_its_facts(snapshot):
    """Template drift (v3) and the relaunch (v4) must not change a single record."""
    for project in projects_for(snapshot):
        if not live(project):
            assert not (SITE / snapshot / project.path.strip("/") / "index.html").exists()
            continue
        html = (SITE / snapshot / project.path.strip("/") / "index.html").read_bytes()
        result = parse_page(html, ORIGIN + project.path, SPI)
        assert result.kind == "project", (snapshot, project.slug, result.problems)
        assert _strip_hash(result.record.model_dump(mode="json")) == project.expected()


def test_later_snapshots_really_change_the_markup():
    page = "projekte/aktionsraummitte/index.html"
    v1, v3, v4 = ((SITE / s / page).read_text(encoding="utf-8") for s in ("v1", "v3", "v4"))
    assert v1 != v3 and 'class="spi-' in v3 and "© 2027" in v3
    assert "<main>" not in v1 and "<main>" in v4  # style a -> style b


def test_expected_records_on_disk_are_the_facts():
    for project in PROJECTS:
        name = project.project_id.replace("/", "__") + ".json"
        on_disk = json.loads((SITE / "v1" / "_expected" / name).read_text(encoding="utf-8"))
        assert _strip_hash(on_disk) == project.expected()
