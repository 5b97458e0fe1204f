"""Report speed: the archivist's report over 20,000 projects with 5 nights of history.

Usage: python benchmarks/report_speed.py [--projects 20000] [--nights 5] [--keep DIR]

Builds the warehouse first (not timed): night 1 finds every project; each later night brings
100 new projects, a new funder on 2 % of them, a closure on 0.5 %, a 410 on 0.2 % (removed),
and a 304 for the rest. Pages are made on the fly from the fixture facts (as
``warehouse_speed.py`` makes them), each fetched page archived in the night's WARC file as the
crawl archives it, so the report extracts a real capture for every version.

Then runs ``pipeline report`` in a child process and prints its wall and CPU time (the machine
may be shared: the load average is printed too), its peak RSS, the overview's size, the largest
page, the search index and the whole report's size; then a rebuild into the same folder (the
nightly case).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from warehouse_speed import TEXT, templates

from pipeline.archive.warc import RunArchive
from pipeline.model import (
    CrawledPage,
    CrawlSummary,
    Exchange,
    FetchResult,
    PageState,
    ParseResult,
    Target,
)
from pipeline.warehouse import RunLoader, Warehouse
from schemas import ProjectRecord, build_record

SITE, ORIGIN = "stiftung-spi", "https://www.stiftung-spi.de"
NEW_PER_NIGHT = 100
FIRST_NIGHT = datetime(2026, 11, 1, 2, 30, tzinfo=UTC)


def closed_templates() -> list[ProjectRecord]:
    out = []
    for record in templates():
        data = record.model_dump(mode="json")
        data.pop("content_hash")
        data.update(status="completed", status_raw="abgeschlossen")
        out.append(build_record(data))
    return out


def body(record: ProjectRecord) -> bytes:
    title = escape(record.title)
    text = "".join(f"<p>{escape(TEXT)}</p>" for _ in range(12))
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{text}</main></body></html>"
    ).encode()


def night_pages(
    night: int, known: int, gone: set[int], at: datetime
) -> Iterator[tuple[CrawledPage, bool]]:
    """(page, archive it) for every page of one night."""
    plain, funded, closed = templates(), templates(changed=True), closed_templates()
    state = PageState(None, None, "0" * 64, (), True, None)
    total = known + (NEW_PER_NIGHT if night > 1 else 0)
    for i in range(total):
        project_id = f"stiftung-spi.de/projekte/p{i:06d}"
        url = f"{ORIGIN}/projekte/p{i:06d}"
        target = Target(project_id, url, url, "project")
        if i in gone or (night > 1 and i < known and i % 500 == night + 13):
            gone.add(i)
            fetch = FetchResult(target, "gone", at, status=410, final_url=url, final_target=target)
            yield CrawledPage(fetch, previous=state), False
            continue
        if night > 1 and i < known and i % 50 == night:
            template = funded[i % len(funded)]
        elif night > 1 and i < known and i % 200 == night + 7:
            template = closed[i % len(closed)]
        elif night == 1 or i >= known:
            template = plain[i % len(plain)]
        else:
            fetch = FetchResult(target, "not_modified", at, status=304, final_url=url)
            fetch.final_target = target
            yield CrawledPage(fetch, previous=state), False
            continue
        record = template.model_copy(update={"project_id": project_id, "url": url})
        page = body(record)
        exchange = Exchange(
            url, at, "HTTP/1.1", [("User-Agent", "bench")], 200, "OK",
            [("Content-Type", "text/html; charset=utf-8")], page,
        )  # fmt: skip
        fetch = FetchResult(
            target, "fetched", at, status=200, final_url=url, final_target=target,
            body=page, body_hash="0" * 64, exchanges=[exchange],
        )  # fmt: skip
        parse = ParseResult(url, "project", record=record)
        yield CrawledPage(fetch, parse, previous=state, record_json=record.model_dump_json()), True


def build_warehouse(db: Path, archive: Path, projects: int, nights: int) -> None:
    gone: set[int] = set()
    known = projects
    for night in range(1, nights + 1):
        at = FIRST_NIGHT + timedelta(days=night - 1)
        with Warehouse.open(db) as warehouse:
            loader = RunLoader(warehouse.con)
            run_id = loader.begin(SITE, ORIGIN, at)
            warc = RunArchive(archive, SITE, run_id, at, "bench")
            loader.set_archive(str(archive), warc.name)
            for page, archived in night_pages(night, known, gone, at):
                loader.add(page, warc.capture(page) if archived else None)
            warc.close()
            summary = CrawlSummary(SITE, ORIGIN, at)
            summary.outcomes["fetched"] = known
            summary.finished_at = at + timedelta(minutes=20)
            report = loader.finish(summary)
        assert report.status == "ok", report.message
        print(f"  night {night}: {dict(report.events)}")
        if night > 1:
            known += NEW_PER_NIGHT


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--nights", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="Build in DIR and keep it.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        db, archive, out = root / "p.duckdb", root / "archive", root / "report"
        print(f"building a warehouse of {args.projects} projects x {args.nights} nights ...")
        start = time.perf_counter()
        build_warehouse(db, archive, args.projects, args.nights)
        print(f"  built in {time.perf_counter() - start:.1f} s (not part of the measure)")
        pipeline = Path(sys.executable).with_name("pipeline")
        load = os.getloadavg()[0]
        start = time.perf_counter()
        result = subprocess.run(
            [str(pipeline), "report", "--db", str(db), "--out", str(out)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"pipeline report failed: {result.stderr}")
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss, cpu = child.ru_maxrss / 1024, child.ru_utime + child.ru_stime
        pages = list(out.rglob("*.html"))
        largest = max(pages, key=lambda p: p.stat().st_size)
        print(result.stdout.strip().splitlines()[0])
        print(
            f"build (pipeline report, whole process): {seconds:.1f} s wall (target < 30 s), "
            f"{cpu:.1f} s CPU; load average before it {load:.1f} on {os.cpu_count()} cores"
        )
        print(f"peak RSS of the report process: {rss:.0f} MB")
        overview = (out / "index.html").stat().st_size
        print(f"overview index.html: {overview / 1024:.0f} KiB  (target < 1 MiB)")
        start = time.perf_counter()
        again = subprocess.run(
            [str(pipeline), "report", "--db", str(db), "--out", str(out)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        print(f"rebuild into the same folder: {time.perf_counter() - start:.1f} s wall "
              f"({again.stdout.splitlines()[0]})")  # fmt: skip
        parts = sorted((out / "search").glob("*.js"))
        biggest = max((p.stat().st_size for p in parts), default=0)
        print(
            f"search index: {len(parts)} files, {size(out / 'search') / 1024:.0f} KiB in all "
            f"(largest {biggest / 1024:.0f} KiB), loaded when the reader starts filtering"
        )
        print(
            f"largest page: {largest.relative_to(out)} {largest.stat().st_size / 1024:.0f} KiB; "
            f"{len(pages)} HTML files, {size(out) / 2**20:.0f} MiB in all"
        )


if __name__ == "__main__":
    main()
