"""Building the whole report: read the warehouse once, extract the archived pages, write every
page into the output folder (which holds nothing else, so it can be copied anywhere)."""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from pipeline.errors import InputError
from pipeline.report import captures, queries
from pipeline.report.assets import CSS
from pipeline.report.html import slug
from pipeline.report.lists import closed_page, project_list_pages, removed_page
from pipeline.report.model import Event, Project, ReportData, ReportOptions, ReportResult
from pipeline.report.overview import overview, runs_page
from pipeline.report.project_pages import CaptureLink, archive_path, capture_page, project_page
from pipeline.report.run_pages import run_pages

MARKER = ".archivist-report"  # marks a folder this module wrote, so a rebuild may clear it
OWN_FOLDERS = ("projects", "runs", "archive")


def prepare(out: Path) -> None:
    """An empty folder, or one an earlier report wrote (its pages are cleared)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; --out needs a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(
            f"{out} is not empty and holds no earlier report; choose a new or empty folder"
        )
    for name in OWN_FOLDERS:
        shutil.rmtree(out / name, ignore_errors=True)
    for old in out.glob("*.html") if out.is_dir() else ():
        old.unlink()
    for name in OWN_FOLDERS:
        (out / name).mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by `pipeline report`; rebuilding clears this folder\n")


class _Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.pages = 0

    def html(self, name: str, text: str) -> None:
        path = self.out / name
        path.write_text(text, encoding="utf-8")
        self.pages += 1


def _archive(
    writer: _Writer, project: Project, options: ReportOptions
) -> tuple[dict[int, CaptureLink], int, int]:
    """Each archived version of ``project`` written next to the report; (links, ok, missing)."""
    links: dict[int, CaptureLink] = {}
    ok = missing = 0
    name = slug(project.project_id)
    for version in project.versions:
        if not version.capture.warc_file:
            continue
        path = archive_path(name, version.version)
        (writer.out / path).parent.mkdir(parents=True, exist_ok=True)
        got = captures.extract(version, options.archive_dir)
        if got.body is not None:
            (writer.out / path).write_bytes(got.body)
            ok += 1
        else:
            writer.html(path, capture_page(project, version, got.problem or "unknown problem"))
            missing += 1
        links[version.version] = CaptureLink(f"../{path}", got.problem)
    return links, ok, missing


def write_site(data: ReportData, options: ReportOptions, scope: str) -> tuple[int, int, int]:
    """Every page of the report; (HTML pages, captures extracted, captures missing)."""
    out = options.out
    prepare(out)
    (out / "report.css").write_text(CSS, encoding="utf-8")
    writer = _Writer(out)
    writer.html("index.html", overview(data, scope))
    writer.html("runs.html", runs_page(data))
    writer.html("closed.html", closed_page(data))
    writer.html("removed.html", removed_page(data))
    for name, text in project_list_pages(data, options.page_size):
        writer.html(name, text)
    by_run: dict[int, list[Event]] = defaultdict(list)
    by_project: dict[str, list[Event]] = defaultdict(list)
    for event in data.events:
        by_run[event.run_id].append(event)
        by_project[event.project_id].append(event)
    for run in data.runs:
        quarantined = data.quarantine_counts.get(run.run_id, 0)
        pages = run_pages(run, by_run[run.run_id], data.projects, quarantined, options.page_size)
        for name, text in pages:
            writer.html(f"runs/{name}", text)
    extracted = missing = 0
    for project in data.projects.values():
        links, ok, lost = _archive(writer, project, options)
        extracted += ok
        missing += lost
        text = project_page(project, by_project[project.project_id], data.runs, links)
        writer.html(f"projects/{slug(project.project_id)}.html", text)
    return writer.pages, extracted, missing


def build_report(con: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportResult:
    """Read the warehouse through ``con`` and write the report into ``options.out``."""
    started = time.perf_counter()
    data = queries.load(con, options.site, options.since)
    scope = ""
    if options.site:
        scope += f" on {options.site}"
    if options.since:
        scope += f" since {options.since.isoformat()}"
    pages, extracted, missing = write_site(data, options, scope)
    return ReportResult(
        index=options.out / "index.html",
        runs=len(data.runs),
        projects=len(data.projects),
        events=len(data.events),
        pages=pages,
        captures=extracted,
        missing_captures=missing,
        seconds=time.perf_counter() - started,
    )
