"""Several sites in one run of one process: each host polite on its own, all into one warehouse.

Every site gets its own HTTP client, host gate (robots.txt, delay, concurrency, Retry-After)
and brief warehouse connections (for its start, lease renewals and merge; its stage table is
TEMP); they share a cap on requests in flight (``max_in_flight``), one pool of parse workers
(given every site's scope at start), the database's writer lock (held for the whole run) and
the warehouse, which they write one at a time, off the event loop, so that one site's merge
never stops the others crawling. Between those steps no connection is open, so readers work.
A site that fails or is held is reported; the others go on.

The exit code is the worst site's, in this order (best first)::

    0 ok < 4 coverage held < 3 partial or unreachable < 5 site locked by another writer
      < 1 failed (an error in that site) < 130 interrupted

``--shard I/N`` takes the sites whose stable hash (sha256 of the id) is I modulo N.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pipeline import exit_codes
from pipeline.archive import recover_open_files
from pipeline.crawl.analyze import analyze_site
from pipeline.crawl.crawler import default_parse_processes
from pipeline.crawl.scope import Scope
from pipeline.crawl.workers import ParseWorkers
from pipeline.errors import ConfigError, PipelineError, WarehouseLockedError
from pipeline.nightly import (
    Clock,
    Progress,
    RunOptions,
    RunReport,
    Shared,
    WarehouseAccess,
    crawl_site,
    utc_now,
    validate_options,
)
from pipeline.profiles import SiteProfile
from pipeline.warehouse import RunLoader, WarehouseStateStore
from pipeline.warehouse.brief import WRITER_WAIT, BriefConnections
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.staging import remove_stale_spools, spool_place
from pipeline.warehouse.writer_lock import writer_lock_of

log = logging.getLogger(__name__)

DEFAULT_MAX_IN_FLIGHT = 64
# Exit codes from best to worst: a multi-site run exits with its worst site's.
SEVERITY: tuple[int, ...] = (
    exit_codes.OK,
    exit_codes.COVERAGE_HELD,
    exit_codes.PARTIAL,
    exit_codes.LOCKED,
    exit_codes.FAILED,
    exit_codes.INTERRUPTED,
)


def worst(codes: Sequence[int]) -> int:
    """The worst of some exit codes (see SEVERITY); OK for none."""
    return max(codes, key=SEVERITY.index, default=exit_codes.OK)


def shard_of(site: str, count: int) -> int:
    """The shard (0 to count-1) of a site: stable across runs, machines and Python versions."""
    return int.from_bytes(hashlib.sha256(site.encode("utf-8")).digest()[:8], "big") % count


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (0 <= I < N) as (I, N)."""
    index, slash, count = text.partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise ConfigError(f"--shard {text!r} is not I/N (e.g. 0/4: the first of four shards)")
    i, n = int(index), int(count)
    if n < 1 or i >= n:
        raise ConfigError(f"--shard {text!r}: I must be 0 to N-1 and N at least 1 (e.g. 0/4)")
    return i, n


def select_sites(
    profiles: Sequence[SiteProfile], shard: tuple[int, int] | None = None
) -> list[SiteProfile]:
    """The profiles in ``shard`` (all without one), by id."""
    chosen = sorted(profiles, key=lambda p: p.id)
    if shard is None:
        return chosen
    index, count = shard
    return [p for p in chosen if shard_of(p.id, count) == index]


@dataclass(frozen=True)
class MultiOptions:
    """A run of several sites: each site's options, and what they share."""

    sites: tuple[RunOptions, ...]
    db: str | Path | None = None
    data_path: Path | None = None  # a new DuckLake's Parquet folder (db ducklake:...)
    duckdb: DuckDBLimits = field(default_factory=DuckDBLimits)
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    parse_processes: int | None = None  # None: one per spare core
    writer_wait: float = WRITER_WAIT  # seconds a brief step waits for readers holding the file


@dataclass
class SiteResult:
    """One site's outcome: its run's report, or the error that stopped it."""

    site: str
    report: RunReport | None = None
    error: str | None = None
    error_code: int = exit_codes.FAILED

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report is not None else self.error_code

    @property
    def status(self) -> str:
        if self.report is not None:
            return self.report.status
        return "locked" if self.error_code == exit_codes.LOCKED else "error"

    def as_dict(self) -> dict[str, object]:
        if self.report is not None:
            return {"site": self.site, "exit_code": self.exit_code, **self.report.as_dict()}
        return {
            "site": self.site,
            "exit_code": self.exit_code,
            "run_id": None,
            "status": self.status,
            "message": self.error,
        }


@dataclass
class MultiReport:
    results: list[SiteResult]
    duration: float = 0.0

    @property
    def exit_code(self) -> int:
        return worst([r.exit_code for r in self.results])

    def as_rows(self) -> list[dict[str, object]]:
        return [r.as_dict() for r in self.results]


def validate(options: MultiOptions) -> None:
    ids = [o.profile.id for o in options.sites]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"a site is named twice: {', '.join(sorted(ids))}")
    if options.max_in_flight < 1:
        raise ConfigError("max_in_flight must be at least 1")
    for site in options.sites:
        validate_options(site)


async def run_sites_async(
    options: MultiOptions,
    progress: Callable[[Progress], None] | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    clock: Clock = utc_now,
) -> MultiReport:
    """Crawl every site of ``options`` side by side (see the module docstring)."""
    validate(options)
    loop = asyncio.get_running_loop()
    began = loop.time()
    connect = BriefConnections(
        options.db, options.duckdb, options.writer_wait, data_path=options.data_path
    )
    with writer_lock_of(options.db, "a crawl"), connect:
        with connect(for_writers=False) as con:
            folder, prefix = spool_place(con)
            if folder is not None:  # before any site spools: only killed runs' spools are there
                for path in remove_stale_spools(folder, prefix):
                    log.info("removed %s, left by a killed run", path)
            state = WarehouseStateStore(con)
            reader = RunLoader(con)
            audits = {o.profile.id: reader.clean_audits(o.profile.id) for o in options.sites}
        shared = Shared(
            access=WarehouseAccess(threading.Lock()),
            in_flight=asyncio.Semaphore(options.max_in_flight),
            state=state,
            audits=audits,
            clean_spools=False,
            recover_warcs=False,
            ssl_context=httpx.create_ssl_context(),
        )
        for warcs in sorted({o.archive_dir.resolve() for o in options.sites if o.archive_dir}):
            recover_open_files(warcs)  # before any site writes: only killed runs' files
        processes = options.parse_processes
        if processes is None:
            processes = default_parse_processes()
        if processes > 0 and options.sites:
            scopes = {o.profile.id: Scope(o.profile, o.base_url) for o in options.sites}
            shared.parse_pool = ParseWorkers(
                processes, functools.partial(analyze_site, scopes)
            ).start()
        try:
            results = await asyncio.gather(
                *(
                    _one_site(site, connect, progress, shared, transports, clock)
                    for site in options.sites
                )
            )
        finally:
            if shared.parse_pool is not None:
                shared.parse_pool.close()
    return MultiReport(list(results), loop.time() - began)


async def _one_site(
    options: RunOptions,
    connect: BriefConnections,
    progress: Callable[[Progress], None] | None,
    shared: Shared,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None,
    clock: Clock,
) -> SiteResult:
    site = options.profile.id
    transport = transports.get(site) if transports is not None else None
    try:
        report = await crawl_site(
            options, connect, progress, transport=transport, clock=clock, shared=shared
        )
        return SiteResult(site, report)
    except WarehouseLockedError as exc:
        return SiteResult(site, error=str(exc), error_code=exit_codes.LOCKED)
    except (PipelineError, OSError) as exc:
        return SiteResult(site, error=str(exc))
    except Exception as exc:  # a bug in one site must not stop the others
        log.exception("site %s failed", site)
        return SiteResult(site, error=f"internal error: {exc!r}")


def run_sites(
    options: MultiOptions,
    progress: Callable[[Progress], None] | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    clock: Clock = utc_now,
) -> MultiReport:
    return asyncio.run(run_sites_async(options, progress, transports=transports, clock=clock))
