"""One crawl run end to end: discover, fetch, parse, validate, load, detect changes.

This is the library function behind ``pipeline crawl`` and ``pipeline demo``. It reports
progress through a callback and returns a :class:`RunReport`; it never prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from pipeline import exit_codes
from pipeline.archive import RunArchive, recover_open_files
from pipeline.crawl import Crawl, CrawlSettings
from pipeline.crawl.lastmod import Trust
from pipeline.crawl.scope import Scope, _is_private_host
from pipeline.errors import ConfigError
from pipeline.model import CrawledPage, CrawlSummary
from pipeline.profiles import SiteProfile
from pipeline.urls import url_problem
from pipeline.warehouse import LoadReport, RunLoader, Warehouse, WarehouseStateStore
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.loader import DEFAULT_ABSENCE_RUNS

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunOptions:
    """One run's options, made from effective settings by :func:`pipeline.options.run_options`."""

    profile: SiteProfile
    base_url: str | None = None
    db: str | Path | None = None
    settings: CrawlSettings = field(default_factory=CrawlSettings)
    accept_coverage_drop: bool = False
    absence_runs: int = DEFAULT_ABSENCE_RUNS
    archive_dir: Path | None = None  # write WARC files here; None: no archive
    duckdb: DuckDBLimits = field(default_factory=DuckDBLimits)


@dataclass
class Progress:
    """A snapshot for progress displays, sent after every page."""

    discovered: int
    done: int
    queued: int
    fetched: int
    unchanged: int
    failed: int
    projects: int
    elapsed: float
    last_url: str


@dataclass
class RunReport:
    run_id: int
    summary: CrawlSummary
    load: LoadReport

    @property
    def status(self) -> str:
        return self.load.status

    @property
    def exit_code(self) -> int:
        return {
            "ok": exit_codes.OK,
            "held": exit_codes.COVERAGE_HELD,
            "partial": exit_codes.PARTIAL,
            "failed": exit_codes.PARTIAL,
            "interrupted": exit_codes.INTERRUPTED,
        }.get(self.load.status, exit_codes.FAILED)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            **self.summary.as_dict(),
            "status": self.load.status,
            "complete": self.load.complete,
            "message": self.load.message,
            "quarantined": self.load.quarantined,
            "events": dict(sorted(self.load.events.items())),
            "extraction_events": dict(sorted(self.load.extraction_events.items())),
            "coverage": self.load.coverage,
            "coverage_drops": {k: list(v) for k, v in self.load.coverage_drops.items()},
        }


def validate_options(options: RunOptions) -> None:
    if options.base_url is not None:
        problem = url_problem(options.base_url)
        if problem:
            raise ConfigError(
                f"--base-url {options.base_url!r} cannot be used: {problem}; "
                "give one like https://staging.example.org or http://127.0.0.1:8080"
            )
    if options.absence_runs < 1:
        raise ConfigError("absence runs must be at least 1")


def _client(
    options: RunOptions, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    settings = options.settings
    scope = Scope(options.profile, options.base_url)
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    auth = httpx.BasicAuth(*scope.credentials) if scope.credentials else None
    # Proxies from the environment are for the public web, never for a loopback mirror.
    return httpx.AsyncClient(
        limits=limits,
        auth=auth,
        trust_env=not _is_private_host(scope.base_host),
        transport=transport,
    )


async def run_crawl_async(
    options: RunOptions,
    progress: Callable[[Progress], None] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> RunReport:
    """One run; ``transport`` replaces the network (``httpx.MockTransport`` in logic tests) and
    ``clock`` the time the run is stamped with."""
    validate_options(options)
    profile = options.profile
    with Warehouse.open(options.db, limits=options.duckdb) as warehouse:
        loader = RunLoader(warehouse.con, warehouse.limits)
        state = WarehouseStateStore(warehouse.con)
        async with _client(options, transport) as client:
            trust = Trust(loader.clean_audits(profile.id))
            crawl = Crawl(profile, client, options.settings, state, options.base_url, clock, trust)
            run_id = loader.begin(
                profile.id, crawl.scope.base_url, crawl.summary.started_at, profile.fingerprint
            )
            archive = _open_archive(options, loader, run_id, crawl.summary.started_at)
            began = time.monotonic()
            try:
                # aclosing: when this loop fails, the crawl stops its fetches and workers at
                # once, while the HTTP client is still open (not when the event loop ends).
                async with contextlib.aclosing(crawl.pages()) as pages:
                    async for page in pages:
                        capture = archive.capture(page) if archive is not None else None
                        loader.add(page, capture)
                        if progress is not None:
                            progress(_progress(crawl, page, time.monotonic() - began))
            except BaseException as exc:
                if archive is not None:
                    with contextlib.suppress(OSError):
                        archive.discard_if_empty()
                if isinstance(exc, KeyboardInterrupt | asyncio.CancelledError):
                    loader.abort("interrupted (Ctrl-C or a signal); nothing of it was applied")
                else:
                    loader.abort(f"failed: {exc!r}; nothing of it was applied", status="failed")
                raise
        if archive is not None:
            archive.close()
        load = loader.finish(crawl.summary, options.accept_coverage_drop, options.absence_runs)
    return RunReport(run_id, crawl.summary, load)


def _open_archive(
    options: RunOptions, loader: RunLoader, run_id: int, started_at: datetime
) -> RunArchive | None:
    if options.archive_dir is None:
        return None
    folder = Path(options.archive_dir).resolve()
    recover_open_files(folder)  # WARC files of killed runs become readable again
    robots = "obey" if options.settings.respect_robots else "ignore"
    archive = RunArchive(
        folder, options.profile.id, run_id, started_at, options.settings.user_agent, robots
    )
    loader.set_archive(str(folder), archive.name)
    return archive


def _progress(crawl: Crawl, page: CrawledPage, elapsed: float) -> Progress:
    s = crawl.summary
    return Progress(
        discovered=len(crawl.frontier.seen),
        done=s.pages,
        queued=crawl.frontier.queue.qsize(),
        fetched=s.outcomes["fetched"],
        unchanged=s.outcomes["unchanged"] + s.outcomes["not_modified"],
        failed=s.failed,
        projects=s.projects,
        elapsed=elapsed,
        last_url=page.fetch.target.site_url,
    )


def run_crawl(
    options: RunOptions,
    progress: Callable[[Progress], None] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> RunReport:
    """Run one crawl to the end (see the module docstring)."""
    return asyncio.run(run_crawl_async(options, progress, transport=transport, clock=clock))
