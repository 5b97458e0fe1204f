"""The crawl: discovery, polite fetching and analysis, streamed to the caller page by page.

Phases: robots.txt (the run stops if the host cannot say what it allows), the sitemaps (so that
their ``lastmod`` is known before listings find the same pages), the start pages and everything
they link to, then a second request for known project pages that answered 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import traceback
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime

import httpx
from protego import Protego

from pipeline.crawl.analyze import Analysis, AnalysisJob, analyze
from pipeline.crawl.fetcher import Fetcher
from pipeline.crawl.frontier import Frontier, Item
from pipeline.crawl.lastmod import AuditFailure, Trust, audit_sample, maybe_changed
from pipeline.crawl.politeness import HostGate
from pipeline.crawl.robots import parse_robots, sitemap_urls
from pipeline.crawl.scope import Scope
from pipeline.crawl.settings import ROBOTS_AGENT, CrawlSettings
from pipeline.crawl.state import PageStateStore
from pipeline.crawl.workers import ParseTimeout, ParseWorkers, SiteParsePool, WorkerDied
from pipeline.model import (
    CrawledPage,
    CrawlSummary,
    ErrorKind,
    FetchResult,
    PageKind,
    PageState,
    ParseResult,
    Problem,
    Target,
)
from pipeline.profiles import SiteProfile

log = logging.getLogger(__name__)
OUTPUT_BUFFER = 64  # pages waiting for the sink: backpressure keeps memory bounded


def _utc_now() -> datetime:
    return datetime.now(UTC)


def default_parse_processes() -> int:
    return max(0, min(4, (os.cpu_count() or 1) - 1))


class _NoState:
    def lookup(self, key: str) -> PageState | None:
        return None


INLINE_SITEMAP_BYTES = 1 << 20  # decoded sitemaps up to this size are read in this process


class Crawl:
    """One run over one site. Iterate :meth:`pages`; read :attr:`summary` afterwards."""

    def __init__(
        self,
        profile: SiteProfile,
        client: httpx.AsyncClient,
        settings: CrawlSettings | None = None,
        state: PageStateStore | None = None,
        base_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        trust: Trust | None = None,
        *,
        gate: HostGate | None = None,
        parse_pool: ParseWorkers | SiteParsePool | None = None,
    ) -> None:
        self.profile = profile
        self.clock = clock or _utc_now
        self.settings = settings or CrawlSettings()
        self.state: PageStateStore = state or _NoState()
        self.scope = Scope(profile, base_url)
        self.base_url = base_url
        # A multi-site run passes its own gate (one per site, under a global cap) and a parse
        # pool shared by every site; a run of one site makes both itself.
        self.gate = gate or HostGate(self.settings.concurrency, self.settings.delay)
        self._shared_pool = parse_pool
        self.fetcher = Fetcher(client, self.settings, self.scope, self.gate, self.clock)
        self.frontier = Frontier(self.settings)
        self.summary = CrawlSummary(profile.id, self.scope.base_url, self.clock())
        self.robots: Protego | None = None
        self._rechecks: list[Item] = []
        self._out: asyncio.Queue[CrawledPage | None] = asyncio.Queue(OUTPUT_BUFFER)
        self._pool: ParseWorkers | SiteParsePool | None = None
        self._pool_started = False  # workers start at the first body to parse (none on a 304 run)
        self._fingerprint = profile.fingerprint
        # lastmod (see pipeline.crawl.lastmod): the site's standing, the pages this run skips,
        # the pages whose verification audits the lastmod, and the skipped pages, emitted at the
        # end (or fetched after all, when an audit fails)
        self.trust = trust or Trust()
        self.audit_seed = int(self.summary.started_at.timestamp())
        self._skip: frozenset[str] = frozenset()
        self._audit: frozenset[str] = frozenset()
        self._skipped: list[Item] = []
        self.audit_failures = self.summary.audit_evidence
        if self.settings.trust_lastmod == "audited":
            self.summary.lastmod_trust = self.trust.label
        self._sitemap_bytes = 0  # decoded sitemap bytes read this run

    # -- the stream --------------------------------------------------------------------------
    async def pages(self) -> AsyncGenerator[CrawledPage, None]:
        driver = asyncio.create_task(self._drive())
        try:
            while (page := await self._out.get()) is not None:
                yield page
            await driver
        except (asyncio.CancelledError, GeneratorExit):
            self.summary.status = "interrupted"
            self.summary.message = "the crawl was interrupted"
            raise
        finally:
            if not driver.done():
                driver.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await driver
            self._finish()

    async def _drive(self) -> None:
        workers: list[asyncio.Task[None]] = []
        cancelled = False
        try:
            if not await self._read_robots():
                return
            count = max(4, self.settings.concurrency * 4)
            workers = [asyncio.create_task(self._worker()) for _ in range(count)]
            await self._phases()
            for _ in workers:
                self.frontier.queue.put_nowait(None)
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            cancelled = True
            raise
        finally:
            # Workers may be blocked handing a page to a consumer that is gone: cancel them.
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if self._pool is not None:
                self._pool.close()
            if not cancelled:
                await self._out.put(None)

    def _parse_pool(self) -> ParseWorkers | SiteParsePool | None:
        """The parse workers, started at the first page to parse: an unchanged re-crawl
        (every page a 304) spawns none (a worker costs ~0.4 s of CPU to start)."""
        if not self._pool_started:
            self._pool_started = True
            self._start_parse_workers()
        return self._pool

    def _start_parse_workers(self) -> None:
        if self._shared_pool is not None:
            self._pool = self._shared_pool
            return
        processes = self.settings.parse_processes
        if processes is None:
            processes = default_parse_processes()
        if processes > 0:
            self._pool = ParseWorkers(
                processes,
                functools.partial(analyze, self.scope),
                time_limit=self.settings.parse_time_limit,
            ).start()

    async def _phases(self) -> None:
        """Sitemaps first (their pages held until every sitemap is read), then the start pages
        and all they link to, then the second request for project pages that answered 404."""
        if self.settings.use_sitemaps:
            self.frontier.holding = True
            self._add_all(self._sitemap_urls(), "sitemap")
            await self.frontier.queue.join()
            self._plan_lastmod(self.frontier.held())
            self.frontier.release(first=self._maybe_changed)
        self._add_all([self.profile.origin + path for path in self.profile.start_paths], None)
        await self.frontier.queue.join()
        for item in self._rechecks:
            self.frontier.recheck(item.target)
        await self.frontier.queue.join()
        await self._settle_skipped()

    def _add_all(self, urls: list[str], kind: PageKind | None) -> None:
        for url in urls:
            target = self.scope.target(url, kind)
            if target is not None:
                self.frontier.add(target, 0)

    async def _worker(self) -> None:
        queue = self.frontier.queue
        while (item := await queue.get()) is not None:
            try:
                await self._process(item)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug must not stop the run; it is counted and logged
                log.error(
                    "internal error on %s: %s",
                    item.target.fetch_url,
                    "".join(traceback.format_exception(exc)),
                )
                result = FetchResult(
                    item.target,
                    "failed",
                    self.clock(),
                    error=ErrorKind.INTERNAL,
                    detail=f"internal error: {exc!r}",
                )
                await self._emit(CrawledPage(result))
            finally:
                queue.task_done()
        queue.task_done()

    # -- robots and sitemaps ------------------------------------------------------------------
    async def _read_robots(self) -> bool:
        if not self.settings.respect_robots:
            return True
        target = self.scope.target(self.profile.origin + "/robots.txt", "robots")
        assert target is not None
        result = await self.fetcher.fetch(target)
        await self._emit(CrawledPage(result))
        status = result.status or 0
        if result.outcome == "fetched":
            self.robots = parse_robots(result.body)
            self._crawl_delay(self.robots.crawl_delay(ROBOTS_AGENT))
            return True
        if 400 <= status < 500 and status not in (408, 429):
            return True  # no robots.txt: everything is allowed (RFC 9309 2.3.1.3)
        self.summary.status = "failed"
        self.summary.message = (
            f"robots.txt at {target.fetch_url} could not be read ({result.error}: "
            f"{result.detail or 'no detail'}); the site may be down or the base URL wrong. "
            "Nothing was crawled and nothing will be removed."
        )
        return False

    def _crawl_delay(self, asked: float | None) -> None:
        """Honour robots.txt's Crawl-delay up to ``max_crawl_delay`` (a year-long delay would
        stall the run for ever); a capped delay is logged and reported in the summary."""
        if asked is None:
            return
        delay, cap = float(asked), self.settings.max_crawl_delay
        if delay > cap:
            self.summary.crawl_delay_capped = delay
            log.warning(
                "robots.txt asks for a Crawl-delay of %g s; waiting %g s (max_crawl_delay)",
                delay,
                cap,
            )
            delay = cap
        self.gate.delay = max(self.gate.delay, delay)
        self.summary.crawl_delay = self.gate.delay

    def _sitemap_urls(self) -> list[str]:
        urls = [self.profile.origin + path for path in self.profile.sitemap_paths]
        if self.robots is not None:
            urls += sitemap_urls(self.robots, self.profile.origin + "/robots.txt")
        return urls

    def _allowed(self, address: str) -> bool:
        """robots.txt rules match the path as served (``/en/`` is not ``/en``)."""
        return self.robots is None or self.robots.can_fetch(address, ROBOTS_AGENT)

    # -- one page ---------------------------------------------------------------------------
    async def _process(self, item: Item) -> None:
        target = item.target
        if self._held_back(target):
            return
        state = None
        if target.kind in ("project", "listing") and not item.recheck:
            state = self.state.lookup(target.key)
        if state is not None and target.key in self._skip and not self.audit_failures:
            self._follow_urls(state.links, item.depth)
            self._skipped.append(item)  # emitted at the end, unless an audit fails first
            return
        if state is not None:
            self.summary.verified += 1
        result = await self.fetcher.fetch(target, state)
        if target.kind == "sitemap":
            self._sitemap_bytes += len(result.body)
        page = CrawledPage(
            result,
            recheck=item.recheck,
            previous=state,
            lastmod=item.lastmod,
            fingerprint=self._fingerprint,
        )
        final = result.final_target
        if final is not None and final.key != target.key and not self.frontier.mark(final.key):
            page.duplicate_of = final.key
        elif result.outcome == "fetched":
            await self._on_new_body(item, state, page)
        elif result.outcome == "not_modified" and state is not None:
            page.links = state.links
            self._follow_urls(state.links, item.depth)
        elif (
            result.outcome == "gone"
            and result.status == 404
            and state is not None
            and state.is_project
            and not item.recheck
        ):
            self._rechecks.append(item)
        if target.key in self._audit and state is not None and not item.recheck:
            self._audited(item, state, result)
        await self._emit(page)

    def _held_back(self, target: Target) -> bool:
        """Whether robots.txt forbids the target, or it is a sitemap beyond the run's bytes."""
        if not self._allowed(self.scope.site_address(target.fetch_url)):
            self.summary.robots_blocked += 1
            return True
        if target.kind == "sitemap" and self._sitemap_bytes >= self.settings.max_sitemap_bytes:
            self.frontier.sitemaps_dropped["bytes"] += 1
            return True
        return False

    async def _on_new_body(self, item: Item, state: PageState | None, page: CrawledPage) -> None:
        """A 200: the same body as last time (parsed by this extractor) is unchanged; anything
        else is analysed (parsed, its links followed)."""
        result = page.fetch
        final = result.final_target
        if state is not None and state.body_hash != result.body_hash:
            self.summary.changed_bodies += 1
        if (
            state is not None
            and state.body_hash == result.body_hash
            and state.same_extractor(self._fingerprint)
            and (final is None or final.key == item.target.key)
        ):
            result.outcome = "unchanged"
            page.links = state.links
            self._follow_urls(state.links, item.depth)
            return
        analysis = await self._analyze(result)
        if analysis.error:
            result.outcome, result.error, result.detail = (
                "failed",
                ErrorKind.BAD_SITEMAP,
                analysis.error,
            )
        page.parse = analysis.parse
        page.record_json = analysis.record_json
        # Links as written (path form kept), so replaying them resolves the same way.
        page.links = tuple(
            self.scope.site_address(f.target.fetch_url)
            for f in analysis.found
            if f.target.kind != "sitemap"
        )
        for found in analysis.found:
            self.frontier.add(found.target, item.depth + 1, found.lastmod)

    # -- lastmod -------------------------------------------------------------------------------
    def _lastmod_unchanged(self, item: Item) -> bool:
        """Whether a sitemap page's lastmod says it is unchanged since its last fetch."""
        if item.target.kind != "project":
            return False
        state = self.state.lookup(item.target.key)
        return (
            state is not None
            and bool(state.body_hash)
            and state.same_extractor(self._fingerprint)
            and not maybe_changed(item.lastmod, state.sitemap_lastmod, state.verified_at)
        )

    def _maybe_changed(self, item: Item) -> bool:
        return not self._lastmod_unchanged(item)

    def _plan_lastmod(self, items: list[Item]) -> None:
        """Which sitemap pages this run skips and which it audits: a trusted site skips the
        pages whose lastmod is unchanged but a seeded sample; a site earning trust verifies
        every page, each one whose lastmod is unchanged counting as audited."""
        if self.settings.trust_lastmod != "audited":
            return
        unchanged = [item.target.key for item in items if self._lastmod_unchanged(item)]
        if self.trust.trusted:
            self._audit = audit_sample(unchanged, self.audit_seed)
            self._skip = frozenset(unchanged) - self._audit
        else:
            self._audit = frozenset(unchanged)

    def _audited(self, item: Item, state: PageState, result: FetchResult) -> None:
        self.summary.audited += 1
        unchanged = result.outcome == "not_modified" or (
            result.outcome == "fetched" and result.body_hash == state.body_hash
        )
        if unchanged or result.outcome in ("failed", "refused", "skipped"):
            return  # unchanged, or nothing learned
        self.summary.audit_failures += 1
        self.audit_failures.append(
            AuditFailure(
                item.target.key,
                item.target.site_url,
                state.sitemap_lastmod,
                item.lastmod,
                state.body_hash,
                result.body_hash,
            )
        )
        if self.summary.audit_failures == 1:
            log.warning(
                "%s: %s changed while its sitemap lastmod stayed %r; verifying every page",
                self.profile.id,
                item.target.site_url,
                item.lastmod,
            )

    async def _settle_skipped(self) -> None:
        """Emit the pages skipped on their lastmod, or fetch them after all when an audit
        failed (the site's lastmod is untrusted for the whole run)."""
        skipped, self._skipped = self._skipped, []
        if self.audit_failures:
            for item in skipped:
                self.frontier.queue.put_nowait(item)
            await self.frontier.queue.join()
            return
        for item in skipped:
            state = self.state.lookup(item.target.key)
            result = FetchResult(
                item.target,
                "unchanged",
                self.clock(),
                final_target=item.target,
                via="sitemap-lastmod",
                final_url=item.target.fetch_url,
            )
            self.summary.skipped_lastmod += 1
            links = state.links if state is not None else ()
            await self._emit(
                CrawledPage(
                    result, links=links, lastmod=item.lastmod, fingerprint=self._fingerprint
                )
            )

    def _follow_urls(self, urls: tuple[str, ...], depth: int) -> None:
        for url in urls:
            target = self.scope.target(url)
            if target is not None:
                self.frontier.add(target, depth + 1)

    async def _analyze(self, result: FetchResult) -> Analysis:
        final = result.final_target or result.target
        job = AnalysisJob(
            final.kind,
            final.site_url,
            self.scope.site_address(result.final_url or final.fetch_url),
            result.body,
            result.content_type,
            self.settings.max_decoded_bytes,
        )
        # A small sitemap is read here, not in a worker: a run whose pages all answer 304
        # then starts no worker at all.
        inline = final.kind == "sitemap" and len(result.body) <= INLINE_SITEMAP_BYTES
        pool = None if inline else self._parse_pool()
        if pool is not None:
            try:
                analysis: Analysis = await pool.run(job)
                return analysis
            except ParseTimeout as exc:
                return self._overdue(job, exc.limit)
            except WorkerDied:
                log.warning("a parse worker process died; parsing in the main process from now on")
                pool.close()
                self._pool = None
        return analyze(self.scope, job)

    def _overdue(self, job: AnalysisJob, limit: float) -> Analysis:
        """What a page that took too long to parse gives: a project page is invalid (and so
        quarantined) with the reason; a sitemap fails; a listing gives no links."""
        reason = (
            f"parsing took longer than {limit:g} s (parse_time_limit); the page was given up "
            "and its parse worker restarted"
        )
        log.warning("%s: %s", job.site_url, reason)
        if job.kind == "sitemap":
            return Analysis(None, (), f"sitemap {job.site_url}: {reason}")
        if job.kind == "project":
            problem = Problem("page", reason)
            return Analysis(ParseResult(job.site_url, "invalid", problems=(problem,)), ())
        return Analysis(None, ())

    async def _emit(self, page: CrawledPage) -> None:
        result, summary = page.fetch, self.summary
        if result.target.kind in ("project", "listing"):
            summary.outcomes[result.outcome] += 1
        summary.bytes_received += result.bytes_received
        if result.error:
            summary.errors[result.error] += 1
        if result.moved_to is not None:
            summary.moved += 1
        if page.parse is not None:
            kind = page.parse.kind
            if kind == "project":
                summary.projects += 1
            elif kind == "invalid":
                summary.invalid += 1
            else:
                summary.not_project += 1
        await self._out.put(page)

    def _finish(self) -> None:
        summary = self.summary
        summary.finished_at = self.clock()
        summary.duration = (summary.finished_at - summary.started_at).total_seconds()
        summary.discovered = len(self.frontier.seen)
        summary.requests = self.fetcher.requests
        summary.retries = self.fetcher.retries
        summary.trap_dropped = self.frontier.trap_dropped
        if self.settings.trust_lastmod == "audited":
            after = self.trust.after(summary.audited, summary.audit_failures)
            summary.clean_audits = after.clean_audits
        summary.truncated = self.frontier.truncated
        summary.sitemaps_dropped = self.frontier.sitemaps_dropped
        summary.sitemap_limits = {
            "count": self.settings.max_sitemaps,
            "depth": self.settings.max_sitemap_depth,
            "bytes": self.settings.max_sitemap_bytes,
        }
        if summary.status in ("failed", "interrupted"):
            return
        answered = sum(summary.outcomes[o] for o in ("fetched", "unchanged", "not_modified"))
        if answered == 0:
            summary.status = "failed"
            summary.message = summary.message or "no page of the site could be fetched"
        elif summary.failure_rate > self.settings.failure_threshold:
            summary.status = "partial"
            summary.message = (
                f"{summary.failed} of {summary.pages} pages failed "
                f"({summary.failure_rate:.0%}, above {self.settings.failure_threshold:.0%}); "
                "nothing is removed or closed on a partial run"
            )
