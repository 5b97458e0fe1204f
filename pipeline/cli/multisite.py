"""``pipeline crawl --all`` / ``--site A,B`` / ``--shard I/N``: the command line of a multi-site
run (pipeline.multisite does the work; this module chooses the sites and shows the outcome)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress

from pipeline.cli.output import log, progress_bar, to_json
from pipeline.config import Effective
from pipeline.multisite import MultiReport, SiteResult, parse_shard, run_sites, select_sites
from pipeline.nightly import Progress as RunProgress
from pipeline.options import catalog, multi_options


def wants_many(site: str | None, all_sites: bool, shard: str | None) -> bool:
    return all_sites or shard is not None or (site is not None and "," in site)


def crawl_many(
    settings: Effective,
    site: str | None,
    profile_file: str | None,
    shard: str | None,
    accept_coverage_drop: bool,
    as_json: bool,
    quiet: bool,
) -> int:
    """Run the chosen sites side by side; print a row per site; the worst site's exit code."""
    files = [Path(profile_file)] if profile_file else []
    found = catalog(settings, files)
    ids = [s.strip() for s in site.split(",") if s.strip()] if site else found.ids
    profiles = select_sites(found.select(ids), parse_shard(shard) if shard else None)
    options = multi_options(settings, profiles, accept_coverage_drop=accept_coverage_drop)
    with SitesProgress([p.id for p in profiles], enabled=not quiet) as progress:
        report = run_sites(options, progress)
    if as_json:
        click.echo(to_json(report.as_rows()))
    else:
        for line in site_lines(report):
            click.echo(line)
    return report.exit_code


def _site_line(result: SiteResult, width: int) -> str:
    head = f"{result.site:<{width}}  {result.status:<11} exit {result.exit_code:<3}"
    if result.report is None:
        return f"{head} {result.error}"
    r = result.report
    s, load = r.summary, r.load
    changes = ", ".join(f"{k} {v}" for k, v in sorted(load.events.items())) or "no changes"
    line = (
        f"{head} run {r.run_id}: {s.pages} pages, {s.failed} failed, {s.projects} projects, "
        f"{changes}, {s.duration:.1f} s, {load.merge_retries} merge retries"
    )
    return f"{line}; {load.message}" if load.message else line


def site_lines(report: MultiReport) -> list[str]:
    """A line per site, then the totals and the exit code."""
    width = max((len(r.site) for r in report.results), default=4)
    lines = [_site_line(r, width) for r in report.results]
    counts: dict[str, int] = {}
    for result in report.results:
        counts[result.status] = counts.get(result.status, 0) + 1
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    lines.append(
        f"{len(report.results)} site(s) in {report.duration:.1f} s: {by_status}; exit code "
        f"{report.exit_code} (the worst site's)"
    )
    return lines


class SitesProgress:
    """A progress bar per site on a terminal; a log line every few seconds elsewhere."""

    def __init__(self, sites: list[str], enabled: bool) -> None:
        self.sites = sites
        self.enabled = enabled
        self._bar: Progress | None = None
        self._tasks: dict[str, Any] = {}
        self._latest: dict[str, RunProgress] = {}
        self._last_log = 0.0

    def __enter__(self) -> SitesProgress:
        if self.enabled and sys.stderr.isatty():
            self._bar = progress_bar()
            self._bar.__enter__()
            for site in self.sites:
                self._tasks[site] = self._bar.add_task(site, total=None, detail="")
        return self

    def __call__(self, p: RunProgress) -> None:
        self._latest[p.site] = p
        if self._bar is not None and p.site in self._tasks:
            detail = f"{p.fetched} fetched · {p.unchanged} unchanged · {p.failed} failed"
            self._bar.update(
                self._tasks[p.site], completed=p.done, total=p.discovered, detail=detail
            )
        elif self.enabled and time.monotonic() - self._last_log >= 5:
            self._last_log = time.monotonic()
            done = sum(p.done for p in self._latest.values())
            sites = ", ".join(
                f"{site} {q.done}/{q.discovered}" for site, q in sorted(self._latest.items())
            )
            log.info(
                "progress: %d pages over %d site(s): %s",
                done,
                len(self._latest),
                sites,
                extra={"pages_done": done},
            )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
