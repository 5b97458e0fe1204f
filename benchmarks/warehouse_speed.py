"""Warehouse speed: bulk loading and change detection over 100,000 projects.

Usage: python benchmarks/warehouse_speed.py [--projects 100000]

Pages are made on the fly from the fixture facts (numbered copies with a few paragraphs of
description; the record JSON made upstream, as the crawl's parse workers make it), then on a
fresh DuckDB file:

- load: the first run of N new projects (staging every page: the time inside RunLoader.add,
  not the making of the pages; then reading the spool and the one-transaction merge:
  fetch log, versions, events, page state);
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import Section
from pipeline.model import CrawledPage, CrawlSummary, FetchResult, PageState, ParseResult, Target
from pipeline.warehouse import RunLoader, Warehouse
from schemas import ProjectRecord, build_record

TEXT = "Das Projekt arbeitet im Sozialraum mit vielen Partnern zusammen. " * 6


def templates(changed: bool = False) -> list[ProjectRecord]:
    """One validated record per fixture project, with a few paragraphs of description."""
    out = []
    for p in (p for p in PROJECTS if p.lang == "de"):
        p = replace(
            p,
            sections=(*p.sections, Section("Ziele", (TEXT,)), Section("Angebote", (TEXT,))),
            related=(),
        )
        data = p.expected()
        if changed:
            data["funders"] = [*data["funders"], "Neue Stiftung"]
        out.append(build_record(data))
    return out


def pages(
    count: int, outcome: Callable[[int], str], variant: Callable[[int], bool] = lambda i: False
) -> Iterator[CrawledPage]:
    """``count`` pages made on the fly (a crawl does not hold its pages either): numbered
    copies of the template records, JSON made upstream as the parse workers make it."""
    plain, changed = templates(), templates(changed=True)
    jsons = {id(r): r.model_dump_json() for r in (*plain, *changed)}
    state = PageState(None, None, "0" * 64, (), True, None)
    for i in range(count):
        template = (changed if variant(i) else plain)[i % len(plain)]
        project_id = f"stiftung-spi.de/projekte/p{i:06d}"
        url = "https://www.stiftung-spi.de/projekte/p" + f"{i:06d}"
        target = Target(project_id, url, url, "project")
        kind = outcome(i)
        fetch = FetchResult(
            target,
            kind,
            datetime.now(UTC),
            status=200 if kind == "fetched" else 304,
            final_url=url,
            final_target=target,
            # a changed record comes from a changed body (the same body would be a change of
            # the parser's, cause "extraction")
            body_hash=("1" if variant(i) else "0") * 64,
        )
        if kind != "fetched":
            yield CrawledPage(fetch, previous=state)
            continue
        record = template.model_copy(update={"project_id": project_id, "url": url})
        record_json = (
            jsons[id(template)]
            .replace(template.project_id, project_id, 1)
            .replace(template.url, url, 1)
        )
        parse = ParseResult(url, "project", record=record)
        yield CrawledPage(fetch, parse, previous=state, record_json=record_json)


def run(db: Path, pages: Iterable[CrawledPage], count: int) -> tuple[float, float, dict]:
    """(seconds staging, seconds merging, events) of one run."""
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        # Only the loader's time: making the pages is the crawl's work, not the load's.
        staging = 0.0
        clock = time.perf_counter
        for p in pages:
            start = clock()
            loader.add(p)
            staging += clock() - start
        staged = clock()
        summary = CrawlSummary("stiftung-spi", "https://www.stiftung-spi.de", datetime.now(UTC))
        summary.outcomes["fetched"] = count
        summary.finished_at = datetime.now(UTC)
        report = loader.finish(summary)
        done = time.perf_counter()
    assert report.status == "ok", report.message
    return staging, done - staged, dict(report.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    args = parser.parse_args()
    n = args.projects
    sample = templates()
    size = sum(len(r.model_dump_json()) for r in sample) / len(sample)
    print(f"{n} projects; record JSON {size / 1024:.1f} KiB on average")
    with tempfile.TemporaryDirectory(prefix="warehouse-bench-") as tmp:
        db = Path(tmp) / "p.duckdb"
        stage_s, merge_s, events = run(db, pages(n, lambda i: "fetched"), n)
        print(
            f"load {n} new projects: staging {stage_s:.2f} s + merge {merge_s:.2f} s = "
            f"{stage_s + merge_s:.2f} s  (target <= 5 s)  events {events}"
        )
        changed = pages(
            n, lambda i: "fetched" if i % 100 == 0 else "not_modified", lambda i: i % 100 == 0
        )
        stage_s, merge_s, events = run(db, changed, n)
        print(
            f"change detection over {n} projects (1 % changed, 99 % 304): merge {merge_s:.2f} s"
            f" (target <= 2 s), staging during the crawl {stage_s:.2f} s  events {events}"
        )
        stage_s, merge_s, events = run(db, pages(n, lambda i: "not_modified"), n)
        print(
            f"unchanged run over {n} projects: merge {merge_s:.2f} s, staging {stage_s:.2f} s"
            f"  events {events}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
