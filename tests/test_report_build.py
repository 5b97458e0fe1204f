"""The report written from real warehouses: the demo's, an empty one, one whose WARC went
missing; the `pipeline report` command."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import InputError
from pipeline.report import ReportOptions, build_report
from pipeline.report.captures import SEAL
from pipeline.report.html import slug
from pipeline.warehouse import Warehouse
from tests.report_support import build_demo, counts

PFD = "stiftung-spi.de/service/projekte/detail/pfd-spandau"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("report-demo"))


def build(db: Path, out: Path, **options) -> object:
    with Warehouse.open(db, read_only=True) as warehouse:
        return build_report(warehouse.con, ReportOptions(out=out, **options))


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def stat(html: str, key: str) -> int:
    match = re.search(rf'id="{key}">([\d,]+)<', html)
    assert match, key
    return int(match.group(1).replace(",", ""))


def test_demo_report_counts_equal_the_warehouse(demo):
    want = counts(demo.db)
    index = text_of(demo.report / "index.html")
    assert stat(index, "stat-runs") == want["runs"] == 2
    assert stat(index, "stat-events") == want["events"]
    assert stat(index, "stat-closed") == want["closed"]
    assert stat(index, "stat-removed") == want["removed"]
    assert stat(index, "stat-projects") == want["projects"]
    assert stat(index, "stat-current") == want["current"]
    project_pages = list((demo.report / "projects").glob("*.html"))
    assert len(project_pages) == want["projects"]
    assert len(list((demo.report / "runs").glob("run-*.html"))) == want["runs"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for name in ("href", "src"):
            if d.get(name):
                self.hrefs.append(d[name])
        if d.get("id"):
            self.ids.append(d["id"])


def test_every_link_inside_the_report_resolves(demo):
    checked = 0
    for page in demo.report.rglob("*.html"):
        if "archive" in page.relative_to(demo.report).parts:
            continue  # the archived pages are the site's own HTML
        parser = _Links()
        parser.feed(text_of(page))
        assert len(parser.ids) == len(set(parser.ids)), f"duplicate ids in {page}"
        for href in parser.hrefs:
            if href.startswith(("http://", "https://", "#")):
                continue
            target = (page.parent / href.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), f"{page.name} links to missing {href}"
            assert demo.report.resolve() in target.parents
            checked += 1
    assert checked > 200


def test_project_page_versions_and_archived_pages(demo):
    page = text_of(demo.report / "projects" / f"{slug(PFD)}.html")
    versions = re.findall(r'<tr><th scope="row" class="num">(\d+)</th>', page)
    assert versions[:2] == ["1", "2"]
    assert "abgeschlossen" in page and "<ins>abgeschlossen</ins>" in page
    (archived,) = (demo.report / "archive" / slug(PFD)).glob("v2-*.html")
    assert f'href="../archive/{slug(PFD)}/{archived.name}">archived page' in page
    body = archived.read_bytes()
    assert SEAL in body and b"Partnerschaft f\xc3\xbcr Demokratie Spandau" in body
    with Warehouse.open(demo.db, read_only=True) as warehouse:
        digest, record = warehouse.con.execute(
            "SELECT payload_digest, warc_record_id FROM project_versions "
            "WHERE project_id = ? AND version = 2",
            [PFD],
        ).fetchone()
    assert digest in page and record.replace("<", "&lt;").replace(">", "&gt;") in page


def test_run_page_marks_field_changes_and_set_changes(demo):
    page = text_of(demo.report / "runs" / "run-2.html")
    assert '<span id="run-events">13</span>' in page
    assert "<del>laufend</del>" in page and "<ins>abgeschlossen</ins>" in page
    assert "<li><ins>Deutsche Stiftung für Engagement und Ehrenamt</ins></li>" in page
    headings = re.findall(r'<h2 id="type-(\w+)">', page)
    assert headings == ["new", "moved", "changed", "closed", "removed"]


def test_closed_and_removed_say_how_detected(demo):
    closed = text_of(demo.report / "closed.html")
    assert "status active → completed" in closed and "period end" in closed
    removed = text_of(demo.report / "removed.html")
    assert "HTTP 410 Gone" in removed
    assert "HTTP 404, confirmed by a re-check in the same run" in removed


def test_page_texts_carry_their_language(demo):
    projects = text_of(demo.report / "projects.html")
    assert '<html lang="en">' in projects
    assert '<span lang="de">' in projects  # German titles inside the English report
    english = [p for p in (demo.report / "projects").glob("*en-projects*.html")]
    assert english and '<h1 lang="en">' in text_of(english[0])


def test_funder_and_division_pages(demo):
    con = duckdb.connect(str(demo.db), read_only=True)
    rows = con.execute(
        "SELECT funders, COALESCE(division, contact.division) FROM project_versions "
        "QUALIFY version = max(version) OVER (PARTITION BY project_id)"
    ).fetchall()
    con.close()
    funders = Counter(f for fs, _ in rows for f in fs or [])
    divisions = Counter(d for _, d in rows if d)
    index = text_of(demo.report / "funders.html")
    assert len(re.findall(r'<tr><th scope="row">', index)) == len(funders)
    for funder, n in funders.items():
        page = text_of(demo.report / "funders" / f"{slug(funder)}.html")
        assert len(re.findall(r"<tr data-title=", page)) == n, funder
    assert len(list((demo.report / "divisions").glob("*.html"))) == len(divisions)


def test_empty_warehouse_says_so(tmp_path):
    db = tmp_path / "empty.duckdb"
    Warehouse.open(db).close()
    result = build(db, tmp_path / "report")
    assert (result.runs, result.projects, result.events) == (0, 0, 0)
    index = text_of(tmp_path / "report" / "index.html")
    assert 'id="empty"' in index and "no runs" in index
    assert 'id="empty"' in text_of(tmp_path / "report" / "projects.html")


def test_missing_warc_gives_a_page_that_says_so(demo, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo.db, db)
    moved = tmp_path / "elsewhere"
    shutil.copytree(demo.archive, moved)
    first_warc = sorted(moved.glob("*run00001.warc.gz"))[0]
    first_warc.unlink()
    result = build(db, tmp_path / "report", archive_dir=moved)
    assert result.missing_captures > 0 and result.captures > 0
    page = tmp_path / "report" / "archive" / slug(PFD) / "v1-missing.html"
    text = text_of(page)
    assert "The capture is missing" in text and first_warc.name in text
    project = text_of(tmp_path / "report" / "projects" / f"{slug(PFD)}.html")
    assert (
        f'class="missing" href="../archive/{slug(PFD)}/v1-missing.html">capture missing' in project
    )
    (v2,) = (tmp_path / "report" / "archive" / slug(PFD)).glob("v2-*.html")
    assert v2.read_bytes().startswith(b"<")


def test_site_and_since_narrow_the_report(demo, tmp_path):
    nothing = build(demo.db, tmp_path / "a", since=__import__("datetime").date(2999, 1, 1))
    assert nothing.runs == 0
    other = build(demo.db, tmp_path / "b", site="no-such-site")
    assert (other.runs, other.projects) == (0, 0)


def test_rebuild_reuses_captures_and_removes_stale_files(demo, tmp_path):
    out = tmp_path / "r"
    first = build(demo.db, out)
    (out / "projects" / "stale.html").write_text("old")
    (out / "stale.html").write_text("old")
    (out / "archive" / "gone-project").mkdir()
    (out / "archive" / "gone-project" / "v1-0123456789.html").write_text("old")
    (capture,) = (out / "archive" / slug(PFD)).glob("v2-*.html")
    capture.write_bytes(b"kept")  # a rebuild does not extract a capture it already has
    second = build(demo.db, out)
    assert second.captures == first.captures and second.pages == first.pages
    assert capture.read_bytes() == b"kept"
    assert not (out / "projects" / "stale.html").exists() and not (out / "stale.html").exists()
    assert not (out / "archive" / "gone-project" / "v1-0123456789.html").exists()
    assert (out / "report.css").is_file() and (out / ".archivist-report").is_file()


def test_foreign_folders_are_refused(demo, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty and holds no earlier report"):
        build(demo.db, foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_report_command(demo, tmp_path):
    out = tmp_path / "cli-report"
    result = CliRunner().invoke(cli, ["report", "--db", str(demo.db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.fullmatch(
        r"wrote the report \(2 runs, 34 projects, 46 events, 38 archived pages\) in \d+\.\d s",
        lines[0],
    )
    assert lines[1] == f"open {(out / 'index.html').resolve().as_uri()}"
    bad = CliRunner().invoke(cli, ["report", "--db", str(demo.db), "--out", "x", "--since", "soon"])
    assert bad.exit_code == 2 and "'soon' is not a date like 2026-01-31" in bad.output
