"""Building the whole report: read the warehouse once, extract the archived pages, write every
page into the output folder (which holds nothing else, so it can be copied anywhere).

A rebuild into the same folder overwrites the pages in place, keeps the archived pages already
extracted (a capture never changes: its file name carries its record id) and removes what the
new build did not write; deleting tens of thousands of files costs more than writing them."""

from __future__ import annotations

import hashlib
import os
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from pipeline.errors import InputError
from pipeline.report import captures, queries
from pipeline.report.assets import CSS
from pipeline.report.html import slug
from pipeline.report.lists import closed_pages, facet_pages, project_list_pages, removed_pages
from pipeline.report.model import Event, Project, ReportData, ReportOptions, ReportResult, Version
from pipeline.report.overview import overview, runs_page
from pipeline.report.project_pages import CaptureLink, capture_page, project_page
from pipeline.report.run_pages import run_pages
from pipeline.report.search_index import index_files

MARKER = ".archivist-report"  # marks a folder this module wrote, so a rebuild may reuse it
OWN_FOLDERS = (
    "projects",
    "runs",
    "archive",
    "funders",
    "divisions",
    "search",
)  # with *.html and report.css: all it writes


def archive_path(project_slug: str, version: Version, missing: bool) -> str:
    """Where a version's archived page (or the page saying it is missing) goes."""
    if missing:
        return f"archive/{project_slug}/v{version.version}-missing.html"
    # the record id (a capture never changes) and the seal (a new seal makes new copies)
    record = hashlib.sha1(captures.SEAL + (version.capture.record_id or "").encode())
    return f"archive/{project_slug}/v{version.version}-{record.hexdigest()[:10]}.html"


def prepare(out: Path) -> bool:
    """An empty folder, or one an earlier report wrote; True when it was empty."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; --out needs a folder")
    fresh = not out.is_dir() or not any(out.iterdir())
    if not fresh and not (out / MARKER).exists():
        raise InputError(
            f"{out} is not empty and holds no earlier report; choose a new or empty folder"
        )
    for name in OWN_FOLDERS:
        (out / name).mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by `pipeline report`; a rebuild replaces this folder\n")
    return fresh


class _Writer:
    def __init__(self, out: Path, fresh: bool) -> None:
        self.root = str(out)
        self.fresh = fresh
        self.pages = 0
        self.written: set[str] = set()  # paths relative to the root, "/"-separated
        self.folders: set[str] = set()

    def path(self, name: str) -> str:
        return os.path.join(self.root, name)

    def html(self, name: str, text: str) -> None:
        self.data(name, text.encode("utf-8"))
        self.pages += 1

    def data(self, name: str, body: bytes) -> None:
        folder = name.rpartition("/")[0]
        if folder and folder not in self.folders:
            os.makedirs(self.path(folder), exist_ok=True)
            self.folders.add(folder)
        with open(self.path(name), "wb") as file:
            file.write(body)
        self.written.add(name)

    def kept(self, name: str) -> bool:
        """An earlier build's file at ``name`` is reused as it is."""
        if self.fresh or not os.path.isfile(self.path(name)):
            return False
        self.written.add(name)
        return True

    def remove_stale(self) -> int:
        """Delete the files an earlier build left that this one did not write."""
        if self.fresh:
            return 0
        removed = 0
        for top in ("", *OWN_FOLDERS):
            for folder, dirs, files in os.walk(self.path(top)):
                if not top:
                    dirs.clear()  # the root's own files only; its folders are walked by name
                rel = os.path.relpath(folder, self.root).replace(os.sep, "/")
                for name in files:
                    key = name if rel == "." else f"{rel}/{name}"
                    if key not in self.written and (top or name.endswith(".html")):
                        os.unlink(os.path.join(folder, name))
                        removed += 1
        return removed


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
        path = archive_path(name, version, missing=False)
        if writer.kept(path):
            links[version.version] = CaptureLink(f"../{path}", None)
            ok += 1
            continue
        got = captures.extract(version, options.archive_dir)
        if got.body is not None:
            writer.data(path, got.body)
            ok += 1
        else:
            path = archive_path(name, version, missing=True)
            writer.html(path, capture_page(project, version, got.problem or "unknown problem"))
            missing += 1
        links[version.version] = CaptureLink(f"../{path}", got.problem)
    return links, ok, missing


def write_site(data: ReportData, options: ReportOptions, scope: str) -> tuple[int, int, int]:
    """Every page of the report; (HTML pages, captures extracted, captures missing)."""
    writer = _Writer(options.out, prepare(options.out))
    writer.data("report.css", CSS.encode("utf-8"))
    writer.html("index.html", overview(data, scope))
    writer.html("runs.html", runs_page(data))
    for name, script in index_files(list(data.projects.values())):
        writer.data(name, script.encode("utf-8"))
    for listing in (closed_pages, removed_pages, project_list_pages, facet_pages):
        for name, text in listing(data, options.page_size):
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
    writer.remove_stale()
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
