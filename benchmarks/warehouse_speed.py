"""Warehouse speed: bulk loading and change detection over 100,000 projects.

Usage: python benchmarks/warehouse_speed.py [--projects 100000]

Builds validated records from the fixture facts (numbered copies with a few paragraphs of
description), then measures on a fresh DuckDB file:

- load: the first run of N new projects (staging every page, then the one-transaction merge:
  versions, events, page state), with the records' JSON made upstream as the crawler's parse
  workers make it, and also with serialization counted here;
- change detection: a second run where 1 % of the projects changed (a new funder) and the
  rest answered 304, so the merge compares all N projects;
- an unchanged run (every page 304).
Prints seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import Section
from pipeline.crawl.results import CrawledPage, CrawlSummary, FetchResult
from pipeline.crawl.scope import Target
from pipeline.crawl.state import PageState
from pipeline.parse import ParseResult
from pipeline.warehouse import RunLoader, Warehouse
from schemas import ProjectRecord, build_record

TEXT = "Das Projekt arbeitet im Sozialraum mit vielen Partnern zusammen. " * 6


def make_records(count: int, changed_every: int = 0) -> list[ProjectRecord]:
    base = [p for p in PROJECTS if p.lang == "de"]
    records = []
    for i in range(count):
        p = base[i % len(base)]
        p = replace(
            p,
            slug=f"p{i:06d}",
            title=f"{p.title} {i}",
            sections=(*p.sections, Section("Ziele", (TEXT,)), Section("Angebote", (TEXT,))),
            related=(),
        )
        data = p.expected()
        if changed_every and i % changed_every == 0:
            data["funders"] = [*data["funders"], "Neue Stiftung"]
        records.append(build_record(data))
    return records


def page(record: ProjectRecord, outcome: str = "fetched", json: bool = True) -> CrawledPage:
    target = Target(record.project_id, record.url, record.url, "project")
    fetch = FetchResult(
        target,
        outcome,
        datetime.now(UTC),
        status=200 if outcome == "fetched" else 304,
        final_url=record.url,
        final_target=target,
        body_hash="0" * 64,
    )
    parse = ParseResult(record.url, "project", record=record) if outcome == "fetched" else None
    state = PageState(None, None, "0" * 64, (), True, None)
    return CrawledPage(
        fetch,
        parse,
        previous=state,
        record_json=record.model_dump_json() if json and parse else None,
    )


def run(db: Path, pages: list[CrawledPage]) -> tuple[float, float, dict]:
    """(seconds staging, seconds merging, events) of one run."""
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        start = time.perf_counter()
        for p in pages:
            loader.add(p)
        staged = time.perf_counter()
        summary = CrawlSummary("stiftung-spi", "https://www.stiftung-spi.de", datetime.now(UTC))
        summary.outcomes["fetched"] = len(pages)
        summary.finished_at = datetime.now(UTC)
        report = loader.finish(summary)
        done = time.perf_counter()
    assert report.status == "ok", report.message
    return staged - start, done - staged, dict(report.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    args = parser.parse_args()
    n = args.projects
    print(f"building {n} records ...")
    first = make_records(n)
    changed = make_records(n, changed_every=100)
    size = sum(len(r.model_dump_json()) for r in first[:1000]) / 1000
    print(f"record JSON: {size / 1024:.1f} KiB on average")
    with tempfile.TemporaryDirectory(prefix="warehouse-bench-") as tmp:
        db = Path(tmp) / "p.duckdb"
        pages = [page(r) for r in first]
        stage_s, merge_s, events = run(db, pages)
        print(
            f"load {n} new projects (JSON from parse workers): staging {stage_s:.2f} s + merge "
            f"{merge_s:.2f} s = {stage_s + merge_s:.2f} s  (target <= 5 s)  events {events}"
        )
        second = [
            page(new) if new.content_hash != old.content_hash else page(old, "not_modified")
            for old, new in zip(first, changed, strict=True)
        ]
        stage_s, merge_s, events = run(db, second)
        print(
            f"change detection over {n} projects (1 % changed, 99 % 304): staging {stage_s:.2f} s"
            f" + merge {merge_s:.2f} s  (target <= 2 s for detection)  events {events}"
        )
        third = [page(r, "not_modified") for r in changed]
        stage_s, merge_s, events = run(db, third)
        print(f"unchanged run over {n} projects: staging {stage_s:.2f} s + merge {merge_s:.2f} s")
        db2 = Path(tmp) / "q.duckdb"
        start = time.perf_counter()
        pages = [page(r, json=False) for r in first]
        stage_s, merge_s, _ = run(db2, pages)
        print(
            f"load {n} new projects, serializing records here: "
            f"{stage_s + merge_s:.2f} s (+ {time.perf_counter() - start - stage_s - merge_s:.2f} s"
            " building the test pages)"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (records held in memory for the test): {rss:.0f} MB")


if __name__ == "__main__":
    main()
