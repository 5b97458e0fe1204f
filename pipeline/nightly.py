"""One crawl run end to end: discover, fetch, parse, validate, load, detect changes.

This is the library function behind ``pipeline crawl`` and ``pipeline demo``. It reports
progress through a callback and returns a :class:`RunReport`; it never prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from pipeline import exit_codes
from pipeline.archive import RunArchive, recover_open_files
from pipeline.crawl import Crawl, CrawlSettings
from pipeline.crawl.client import CrawlClient
from pipeline.crawl.lastmod import Trust
from pipeline.crawl.politeness import HostGate
from pipeline.crawl.scope import Scope, _is_private_host
from pipeline.crawl.state import PageStateStore
from pipeline.crawl.workers import ParseWorkers, SiteParsePool
from pipeline.errors import ConfigError
from pipeline.model import CrawledPage, CrawlSummary
from pipeline.profiles import SiteProfile
from pipeline.urls import url_problem
from pipeline.warehouse import LoadReport, RunLoader, WarehouseStateStore
from pipeline.warehouse.brief import WRITER_WAIT, BriefConnections
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.leases import DEFAULT_TTL
from pipeline.warehouse.loader import DEFAULT_ABSENCE_RUNS
from pipeline.warehouse.writer_lock import writer_lock_of

Clock = Callable[[], datetime]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunOptions:
    """One run's options, made from effective settings by :func:`pipeline.options.run_options`."""

    profile: SiteProfile
    base_url: str | None = None
    db: str | Path | None = None
    data_path: Path | None = None  # a new DuckLake's Parquet folder (db ducklake:...)
    settings: CrawlSettings = field(default_factory=CrawlSettings)
    accept_coverage_drop: bool = False
    absence_runs: int = DEFAULT_ABSENCE_RUNS
    archive_dir: Path | None = None  # write WARC files here; None: no archive
    duckdb: DuckDBLimits = field(default_factory=DuckDBLimits)
    run_ids: str = "sequential"  # see pipeline.warehouse.loader.new_run_id
    lease_ttl: float = DEFAULT_TTL  # seconds a site's writer lease lasts unless renewed
    writer_wait: float = WRITER_WAIT  # seconds a step waits for readers holding the file


@dataclass
class Progress:
    """A snapshot for progress displays, sent after every page (``site``: the page's)."""

    discovered: int
    done: int
    queued: int
    fetched: int
    unchanged: int
    failed: int
    projects: int
    elapsed: float
    last_url: str
    site: str = ""


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
            "merge_retries": self.load.merge_retries,
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
    options: RunOptions,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    settings = options.settings
    scope = Scope(options.profile, options.base_url)
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    auth = httpx.BasicAuth(*scope.credentials) if scope.credentials else None
    # Proxies from the environment are for the public web, never for a loopback mirror.
    return CrawlClient(
        limits=limits,
        auth=auth,
        trust_env=not _is_private_host(scope.base_host),
        transport=transport,
        verify=verify if verify is not None else True,
    )


class WarehouseAccess:
    """How a run writes to the warehouse: directly (one site), or, when several sites share
    one process, one writer at a time under ``lock`` and off the event loop (in a thread), so
    the other sites keep crawling while one merges."""

    def __init__(self, lock: threading.Lock | None = None) -> None:
        self._lock = lock

    def _locked(self, func: Callable[..., T], *args: Any) -> T:
        assert self._lock is not None
        with self._lock:
            return func(*args)

    async def write(self, func: Callable[..., T], *args: Any) -> T:
        if self._lock is None:
            return func(*args)
        return await asyncio.to_thread(self._locked, func, *args)

    def now(self, func: Callable[..., T], *args: Any) -> T:
        """Write at once on this thread (the failure paths, which may be cancelled)."""
        if self._lock is None:
            return func(*args)
        return self._locked(func, *args)

    def if_free(self, func: Callable[[], object]) -> None:
        """Run ``func`` unless another site is writing (a lease renewal can wait a page)."""
        if self._lock is None:
            func()
        elif self._lock.acquire(blocking=False):
            try:
                func()
            finally:
                self._lock.release()


@dataclass
class Shared:
    """What the sites of one process share (a run of one site shares nothing)."""

    access: WarehouseAccess = field(default_factory=WarehouseAccess)
    in_flight: asyncio.Semaphore | None = None  # requests in flight across sites
    parse_pool: ParseWorkers | None = None  # one pool for every site (analyze_site)
    state: PageStateStore | None = None  # page state of every site, read once
    audits: dict[str, int] | None = None  # every site's lastmod standing, read with the state
    clean_spools: bool = True  # False: the caller removed killed runs' spools once
    recover_warcs: bool = True  # False: the caller recovered killed runs' WARC files once
    # one TLS context for every site's client (making one reads the CA bundle: ~0.1 s of CPU)
    ssl_context: ssl.SSLContext | None = None


async def run_crawl_async(
    options: RunOptions,
    progress: Callable[[Progress], None] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> RunReport:
    """One run; ``transport`` replaces the network (``httpx.MockTransport`` in logic tests) and
    ``clock`` the time the run is stamped with. The run holds the database's writer lock from
    start to end, and DuckDB's file only for its brief steps (see ``warehouse.brief``)."""
    validate_options(options)
    with (
        writer_lock_of(options.db, "a crawl"),
        BriefConnections(
            options.db, options.duckdb, options.writer_wait, data_path=options.data_path
        ) as connect,
    ):
        return await crawl_site(options, connect, progress, transport=transport, clock=clock)


async def crawl_site(
    options: RunOptions,
    connect: BriefConnections,
    progress: Callable[[Progress], None] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
    shared: Shared | None = None,
) -> RunReport:
    """One site's run; every step that touches the warehouse connects for itself (its stage
    table is TEMP: private to the merge's connection)."""
    shared = shared or Shared()
    access = shared.access
    profile = options.profile
    settings = options.settings
    loader = RunLoader(
        limits=connect.limits, connect=connect, run_ids=options.run_ids, lease_ttl=options.lease_ttl
    )
    gate = None
    if shared.in_flight is not None:
        gate = HostGate(settings.concurrency, settings.delay, shared.in_flight)
    pool = SiteParsePool(shared.parse_pool, profile.id) if shared.parse_pool else None
    async with _client(options, transport, shared.ssl_context) as client:
        if shared.state is not None and shared.audits is not None:  # read once for every site
            audits, state = shared.audits.get(profile.id, 0), shared.state
        else:
            audits, state = await access.write(_read_start, loader, profile.id, shared.state)
        crawl = Crawl(
            profile, client, settings, state, options.base_url, clock, Trust(audits),
            gate=gate, parse_pool=pool,
        )  # fmt: skip
        begin = functools.partial(_begin, options, loader, crawl.scope.base_url,
                                  crawl.summary.started_at, shared)  # fmt: skip
        run_id, archive = await access.write(begin)
        began = time.monotonic()
        try:
            # aclosing: when this loop fails, the crawl stops its fetches and workers at
            # once, while the HTTP client is still open (not when the event loop ends).
            async with contextlib.aclosing(crawl.pages()) as pages:
                async for page in pages:
                    capture = archive.capture(page) if archive is not None else None
                    loader.add(page, capture)
                    access.if_free(loader.renew_lease)
                    if progress is not None:
                        progress(_progress(crawl, page, time.monotonic() - began))
        except BaseException as exc:
            if archive is not None:
                with contextlib.suppress(OSError):
                    archive.discard_if_empty()
            access.now(_abort, loader, exc)
            raise
    if archive is not None:
        archive.close()
    load = await access.write(
        loader.finish, crawl.summary, options.accept_coverage_drop, options.absence_runs
    )
    return RunReport(run_id, crawl.summary, load)


def _read_start(
    loader: RunLoader, site: str, state: PageStateStore | None
) -> tuple[int, PageStateStore]:
    """What the crawl needs of the warehouse, read into memory: the site's lastmod standing
    and (unless the caller read it for several sites) the page state."""
    with loader.connected(for_writers=False) as con:
        return loader.clean_audits(site), state if state is not None else WarehouseStateStore(con)


def _begin(
    options: RunOptions,
    loader: RunLoader,
    base_url: str,
    started_at: datetime,
    shared: Shared,
) -> tuple[int, RunArchive | None]:
    """Record the run (lease, runs row) and open its archive, in one connection."""
    profile = options.profile
    with loader.connected(for_writers=False):
        run_id = loader.begin(
            profile.id, base_url, started_at, profile.fingerprint, clean_spools=shared.clean_spools
        )
        try:
            return run_id, _open_archive(options, loader, run_id, started_at, shared)
        except BaseException as exc:
            _abort(loader, exc)
            raise


def _abort(loader: RunLoader, exc: BaseException) -> None:
    """Record the run as interrupted (Ctrl-C, a signal) or failed; nothing of it is applied."""
    if isinstance(exc, KeyboardInterrupt | asyncio.CancelledError):
        loader.abort("interrupted (Ctrl-C or a signal); nothing of it was applied")
    else:
        loader.abort(f"failed: {exc!r}; nothing of it was applied", "failed")


def _open_archive(
    options: RunOptions,
    loader: RunLoader,
    run_id: int,
    started_at: datetime,
    shared: Shared | None = None,
) -> RunArchive | None:
    if options.archive_dir is None:
        return None
    folder = Path(options.archive_dir).resolve()
    if shared is None or shared.recover_warcs:  # not while other sites write theirs
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
        site=crawl.profile.id,
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
