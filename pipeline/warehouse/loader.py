"""Loading one crawl run: begin, stage pages as they arrive, then merge in one transaction."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from pipeline.errors import WarehouseError, WarehouseLockedError
from pipeline.model import PARSER_VERSION, Capture, CrawledPage, CrawlSummary
from pipeline.warehouse import merge
from pipeline.warehouse.brief import Connect
from pipeline.warehouse.db import DuckDBLimits, scalar
from pipeline.warehouse.lake_retry import retry_conflicts
from pipeline.warehouse.leases import DEFAULT_TTL, Lease, new_holder
from pipeline.warehouse.staging import Stager, remove_stale_spools, spool_place

log = logging.getLogger(__name__)

DEFAULT_ABSENCE_RUNS = 2
# A field's coverage "drops sharply" when it falls to under half of what it was, by at least
# this much (a share of the run's projects), with at least MIN_PROJECTS projects in both runs.
COVERAGE_DROP = 0.2
MIN_PROJECTS = 10
# A merge that conflicts with another writer's transaction (duckdb.TransactionException) is
# re-run as a whole, at most this often, after MERGE_BACKOFF * 2**k seconds (k = 0, 1, ...,
# at most MERGE_BACKOFF_MAX), each time 0.5-1.5 times that at random.
MERGE_RETRIES = 5
MERGE_BACKOFF = 0.05
MERGE_BACKOFF_MAX = 2.0
RUN_ID_SCHEMES = ("sequential", "unique")
RENEW_RETRY = 5.0  # seconds before a lease renewal that met a reader is tried again


def merge_backoff(attempt: int) -> float:
    """Seconds to wait before re-running a merge the ``attempt``-th time (1, 2, ...)."""
    base = min(MERGE_BACKOFF_MAX, MERGE_BACKOFF * 2.0 ** (attempt - 1))
    return base * random.uniform(0.5, 1.5)


def new_run_id(con: duckdb.DuckDBPyConnection, scheme: str, at: datetime) -> int:
    """A run id. ``sequential``: 1, 2, 3, ... per database (unique while one process writes
    it, as DuckDB's file lock ensures, and its sites take ids one at a time); ``unique``:
    the start in milliseconds times 2**20 plus 20 random bits, unique across writers that
    share a warehouse and increasing with the start time (a BIGINT until the year 2248)."""
    if scheme == "unique":
        return (int(at.timestamp() * 1000) << 20) | secrets.randbits(20)
    return int(scalar(con, "SELECT COALESCE(max(run_id), 0) + 1 FROM runs"))


@dataclass
class LoadReport:
    run_id: int
    status: str  # ok | partial | failed | interrupted | held
    complete: bool
    events: Counter[str] = field(default_factory=Counter)  # the site's changes, by type
    # changes that come from reading the same pages anew (a parser or profile change)
    extraction_events: Counter[str] = field(default_factory=Counter)
    coverage: dict[str, float] = field(default_factory=dict)
    coverage_drops: dict[str, tuple[float, float]] = field(default_factory=dict)  # (before, now)
    quarantined: int = 0
    message: str = ""
    merge_retries: int = 0  # merges re-run after a conflict with another writer


def coverage_drops(
    before: dict[str, float], now: dict[str, float]
) -> dict[str, tuple[float, float]]:
    """The fields whose coverage dropped sharply from ``before`` to ``now``."""
    if before.get("projects", 0) < MIN_PROJECTS or now.get("projects", 0) < MIN_PROJECTS:
        return {}
    drops = {}
    for name in merge.COVERAGE_FIELDS:
        old, new = before.get(name), now.get(name)
        if old is None or new is None:
            continue
        if old - new >= COVERAGE_DROP and new < old / 2:
            drops[name] = (old, new)
    return drops


class RunLoader:
    """One run's way into the warehouse. ``begin`` → ``add``… → ``finish`` (or ``abort``).

    Over one open connection (``con``), or over brief ones (``connect``): then every step
    that touches the database (begin, lease renewal, archive, finish, abort) opens the
    warehouse, does its work and closes it again, so readers open the file in between; the
    pages wait in the spool file meanwhile. ``with loader.connected():`` makes several steps
    share one connection.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection | None = None,
        limits: DuckDBLimits | None = None,
        *,
        connect: Connect | None = None,
        run_ids: str = "sequential",
        lease_ttl: float = DEFAULT_TTL,
    ) -> None:
        if run_ids not in RUN_ID_SCHEMES:
            raise WarehouseError(f"run_ids {run_ids!r} is not one of {', '.join(RUN_ID_SCHEMES)}")
        if (con is None) == (connect is None):
            raise WarehouseError("RunLoader takes a connection or a way to connect, one of them")
        self._con = con
        self._connect = connect
        self.limits = limits or DuckDBLimits()
        self.run_ids = run_ids
        self.lease_ttl = lease_ttl
        self.holder = new_holder()
        self.run_id: int | None = None
        self.started_at: datetime | None = None
        self.lease: Lease | None = None
        self._stager: Stager | None = None
        self._renew_after = 0.0  # monotonic time of the next renewal attempt after a failure

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise WarehouseError("RunLoader: no open connection (use `with loader.connected()`)")
        return self._con

    @contextlib.contextmanager
    def connected(
        self, wait: float | None = None, *, for_writers: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open connection, or a brief one for the steps in the block (``wait`` and
        ``for_writers``: how long to wait for what holds the file, see ``brief``)."""
        if self._con is not None:
            yield self._con
            return
        assert self._connect is not None
        with self._connect(wait, for_writers=for_writers) as con:
            self._bind(con)
            try:
                yield con
            finally:
                self._bind(None)

    def _bind(self, con: duckdb.DuckDBPyConnection | None) -> None:
        self._con = con
        if con is None:
            return
        if self.lease is not None:
            self.lease.con = con
        if self._stager is not None:
            self._stager.con = con

    def begin(
        self,
        site: str,
        base_url: str,
        started_at: datetime | None = None,
        fingerprint: str | None = None,
        *,
        clean_spools: bool = True,
    ) -> int:
        """Take the site's lease, record a new run (and close any run of the site a crash left
        behind); ``fingerprint`` is the site profile's, stored with the pages it parses.
        ``clean_spools``: remove spools of killed runs (not while other sites of this process
        are spooling: a multi-site run removes them once, before its sites begin)."""
        with self.connected():
            return self._begin(site, base_url, started_at, fingerprint, clean_spools)

    def _begin(
        self,
        site: str,
        base_url: str,
        started_at: datetime | None,
        fingerprint: str | None,
        clean_spools: bool,
    ) -> int:
        con = self.con
        self.lease = Lease.take(
            con, f"site:{site}", f"a crawl of {site!r}", self.holder, ttl=self.lease_ttl
        )
        try:
            run_id = self._insert_run(site, base_url, started_at, fingerprint)
            self.lease.set_run(run_id)
        except BaseException:
            self._release()
            raise
        self.run_id = run_id
        folder, prefix = spool_place(con)
        # the caller holds the database's writer lock (writer_lock) or its file lock
        if folder is not None and clean_spools:
            for path in remove_stale_spools(folder, prefix):
                log.info("removed %s, left by a killed run", path)
        self._stager = Stager(con, run_id, folder, prefix)
        return run_id

    def _insert_run(
        self, site: str, base_url: str, started_at: datetime | None, fingerprint: str | None
    ) -> int:
        return retry_conflicts(
            self.con, lambda: self._insert_run_once(site, base_url, started_at, fingerprint)
        )

    def _insert_run_once(
        self, site: str, base_url: str, started_at: datetime | None, fingerprint: str | None
    ) -> int:
        con = self.con
        con.begin()
        try:
            self._close_abandoned_runs(site)
            self.started_at = started_at or datetime.now(UTC)
            run_id = new_run_id(con, self.run_ids, self.started_at)
            con.execute(
                "INSERT INTO runs (run_id, site, base_url, started_at, status, parser_version, "
                "profile_fingerprint) VALUES (?, ?, ?, ?, 'running', ?, ?)",
                [run_id, site, base_url, self.started_at, PARSER_VERSION, fingerprint],
            )
            con.commit()
        except duckdb.TransactionException:
            raise  # rolled back and re-run by retry_conflicts
        except duckdb.Error:
            con.rollback()
            raise
        return run_id

    def renew_lease(self) -> None:
        """Renew the site's lease when a third of its time has passed (call it often). Over
        brief connections, a reader holding the file puts it off for RENEW_RETRY seconds."""
        if self.lease is None or not self.lease.due() or time.monotonic() < self._renew_after:
            return
        try:
            with self.connected(wait=0):
                self.lease.renew()
        except WarehouseLockedError as exc:
            self._renew_after = time.monotonic() + RENEW_RETRY
            log.info("run %s: lease renewal put off: %s", self.run_id, exc)

    def _release(self) -> None:
        if self.lease is not None:
            lease, self.lease = self.lease, None
            try:
                lease.release()
            except duckdb.Error as exc:  # it lapses at its expiry
                log.warning("could not release the lease %s: %s", lease.name, exc)

    def clean_audits(self, site: str) -> int:
        """The site's lastmod standing: clean audits in a row, as of its last good run."""
        with self.connected() as con:
            row = con.execute(
                "SELECT clean_audits FROM runs WHERE site = ? AND status = 'ok' "
                "AND clean_audits IS NOT NULL ORDER BY run_id DESC LIMIT 1",
                [site],
            ).fetchone()
        return int(row[0]) if row else 0

    def _close_abandoned_runs(self, site: str) -> None:
        """The site's runs still 'running': this writer holds the site's lease, so their
        writers are gone. Other sites' running runs may be live (other writers): untouched."""
        self.con.execute(
            "UPDATE runs SET status = 'interrupted', complete = false, "
            "message = 'the process ended before the run was loaded; nothing of it was applied' "
            "WHERE status = 'running' AND site = ?",
            [site],
        )

    def add(self, page: CrawledPage, capture: Capture | None = None) -> None:
        if self._stager is None:
            raise WarehouseError("RunLoader.add before begin")
        self._stager.add(page, capture)

    def set_archive(self, folder: str, warc_file: str) -> None:
        """Record where this run's WARC file is."""
        with self.connected() as con:
            retry_conflicts(
                con,
                lambda: con.execute(
                    "UPDATE runs SET archive_dir = ?, warc_file = ? WHERE run_id = ?",
                    [folder, warc_file, self.run_id],
                ),
            )

    def abort(self, message: str, status: str = "interrupted") -> None:
        """End the run as interrupted (or failed); nothing it fetched is applied."""
        if self.run_id is None:
            return
        if self._stager is not None:
            self._stager.discard()
        with self.connected() as con:
            self._record_abort(con, message, status)

    def _record_abort(self, con: duckdb.DuckDBPyConnection, message: str, status: str) -> None:
        run_id = self.run_id

        def end() -> None:
            con.begin()
            con.execute("DROP TABLE IF EXISTS temp.stage_fetches")
            con.execute(
                "UPDATE runs SET status = ?, complete = false, finished_at = ?, "
                "message = ? WHERE run_id = ? AND status = 'running'",
                [status, datetime.now(UTC), message, run_id],
            )
            con.commit()

        try:
            retry_conflicts(con, end)
        finally:
            self._release()

    def finish(
        self,
        summary: CrawlSummary,
        accept_coverage_drop: bool = False,
        absence_runs: int = DEFAULT_ABSENCE_RUNS,
    ) -> LoadReport:
        if self._stager is None or self.run_id is None:
            raise WarehouseError("RunLoader.finish before begin")
        try:
            with self.connected():
                return self._finish(summary, accept_coverage_drop, absence_runs)
        except WarehouseLockedError as exc:  # never connected: the run stays 'running'
            if self._stager is not None:
                self._stager.discard()
            raise WarehouseLockedError(
                f"run {self.run_id}: {exc}; nothing of the run was applied (the next crawl "
                "records it as interrupted)"
            ) from exc

    def _finish(
        self, summary: CrawlSummary, accept_coverage_drop: bool, absence_runs: int
    ) -> LoadReport:
        assert self._stager is not None
        con = self.con
        limits = self.limits.merge_memory_limits(self._stager.rows)
        writer = self.limits.memory
        if self.lease is not None:
            self.lease.renew()  # the merge has the lease's whole time
        try:
            for attempt, limit in enumerate(limits):
                try:
                    # DuckDB 1.5 refuses a limit below what it holds already: out of memory too
                    con.execute(f"SET memory_limit = '{limit}'")
                    return self._merge(summary, accept_coverage_drop, absence_runs)
                except duckdb.OutOfMemoryException as exc:
                    # load_run rolled back: nothing of the attempt is left; try with more.
                    if attempt + 1 == len(limits):
                        message = (
                            f"merging {self._stager.rows} pages ran out of memory at DuckDB's "
                            f"limit of {limit}; nothing of the run was applied. Set "
                            "duckdb_merge_memory (PIPELINE_DUCKDB_MERGE_MEMORY) higher (e.g. "
                            "2GB) and run again."
                        )
                        con.execute(f"SET memory_limit = '{writer}'")
                        self.abort(message, status="failed")
                        raise WarehouseError(f"run {self.run_id}: {message} ({exc})") from exc
                    log.warning(
                        "run %s: the merge ran out of memory at %s; retrying with %s",
                        self.run_id,
                        limit,
                        limits[attempt + 1],
                    )
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            con.execute(f"SET memory_limit = '{writer}'")
            self._stager.discard()
            self._release()

    def _merge(
        self, summary: CrawlSummary, accept_coverage_drop: bool, absence_runs: int
    ) -> LoadReport:
        """Stage and merge; re-run as a whole when another writer's transaction conflicts."""
        assert self._stager is not None and self.run_id is not None
        for retries in range(MERGE_RETRIES + 1):
            try:
                self._stager.load()
                return load_run(
                    self.con, self.run_id, summary, accept_coverage_drop, absence_runs, retries
                )
            except duckdb.TransactionException as exc:
                if retries == MERGE_RETRIES:
                    message = (
                        f"the merge conflicted with other writers {retries + 1} times ({exc}); "
                        "nothing of the run was applied. Run the site again."
                    )
                    self.abort(message, status="failed")
                    raise WarehouseError(f"run {self.run_id}: {message}") from exc
                wait = merge_backoff(retries + 1)
                log.warning(
                    "run %s: the merge conflicted with another writer (%s); re-running it in "
                    "%.2f s",
                    self.run_id,
                    exc,
                    wait,
                )
                time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def _previous_coverage(con: duckdb.DuckDBPyConnection, run_id: int, site: str) -> dict[str, float]:
    row = con.execute(
        "SELECT coverage FROM runs WHERE site = ? AND run_id < ? AND status = 'ok' "
        "AND coverage IS NOT NULL ORDER BY run_id DESC LIMIT 1",
        [site, run_id],
    ).fetchone()
    found: dict[str, float] = json.loads(row[0]) if row else {}
    return found


def _existing_report(con: duckdb.DuckDBPyConnection, run_id: int) -> LoadReport:
    row = con.execute(
        "SELECT status, complete, events, coverage, message FROM runs WHERE run_id = ?", [run_id]
    ).fetchone()
    if row is None:
        raise WarehouseError(f"run {run_id} does not exist in this warehouse")
    status, complete, events, coverage, message = row
    return LoadReport(
        run_id,
        status,
        bool(complete),
        Counter(json.loads(events) if events else {}),
        json.loads(coverage) if coverage else {},
        message=message or "",
    )


def load_run(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    summary: CrawlSummary,
    accept_coverage_drop: bool = False,
    absence_runs: int = DEFAULT_ABSENCE_RUNS,
    merge_retries: int = 0,
) -> LoadReport:
    """Apply a staged run in one transaction. A run already loaded is left as it is.
    ``merge_retries``: how often it was re-run after a conflict (recorded with the run)."""
    row = con.execute(
        "SELECT status, site, started_at, profile_fingerprint FROM runs WHERE run_id = ?",
        [run_id],
    )
    found = row.fetchone()
    if found is None:
        raise WarehouseError(f"run {run_id} does not exist in this warehouse")
    status, site, started_at, fingerprint = found
    if status != "running":
        return _existing_report(con, run_id)
    staged = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = 'stage_fetches'"
    ).fetchone()
    if staged is None:
        raise WarehouseError(
            f"run {run_id} was staged by another process, which has ended; its pages are "
            "gone. The next crawl records it as interrupted."
        )
    report = LoadReport(
        run_id,
        summary.status,
        summary.complete,
        message=summary.message,
        merge_retries=merge_retries,
    )
    con.begin()
    try:
        _log(con, report, site, summary)
        if summary.status == "ok":
            _apply(con, report, site, started_at, summary, absence_runs, fingerprint)
            if report.coverage_drops and not accept_coverage_drop:
                # Held: undo the whole application and keep only the fetch log and the run.
                con.rollback()
                con.begin()
                _log(con, report, site, summary)
                _hold(report)
        _record_run(con, report, summary, accept_coverage_drop)
        con.execute("DROP TABLE IF EXISTS temp.stage_fetches")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return report


def _log(
    con: duckdb.DuckDBPyConnection, report: LoadReport, site: str, summary: CrawlSummary
) -> None:
    """The run's fetches, quarantined pages and failed lastmod audits: kept whatever else
    happens to the run."""
    merge.run_step(con, "log", {"run": report.run_id})
    for failure in summary.audit_evidence:
        con.execute(
            "INSERT INTO lastmod_audits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                report.run_id,
                site,
                failure.page_key,
                failure.url,
                failure.old_lastmod,
                failure.new_lastmod,
                failure.old_hash,
                failure.new_hash,
                summary.finished_at or summary.started_at,
            ],
        )
    report.quarantined = scalar(
        con, "SELECT count(*) FROM quarantine WHERE run_id = ?", [report.run_id]
    )


def _apply(
    con: duckdb.DuckDBPyConnection,
    report: LoadReport,
    site: str,
    started_at: datetime,
    summary: CrawlSummary,
    absence_runs: int,
    fingerprint: str | None,
) -> None:
    """History, events, removals and page state, then the coverage they leave."""
    run_id = report.run_id
    params = {"run": run_id, "at": started_at}
    merge.run_step(con, "identify", {"run": run_id})
    merge.run_step(con, "apply", params)
    merge.run_step(
        con,
        "remove",
        {**params, "site": site, "complete": summary.complete, "absent": absence_runs},
    )
    merge.run_step(
        con,
        "page_state",
        {"run": run_id, "parser_version": PARSER_VERSION, "fingerprint": fingerprint},
    )
    rows = con.execute(
        "SELECT cause, type, count(*) FROM project_changes WHERE run_id = ? GROUP BY ALL",
        [run_id],
    ).fetchall()
    report.events = Counter({t: n for cause, t, n in rows if cause == "site"})
    report.extraction_events = Counter({t: n for cause, t, n in rows if cause == "extraction"})
    cursor = merge.coverage(con)
    names = [d[0] for d in cursor.description]
    values = cursor.fetchone()
    if values is None:
        raise WarehouseError(f"run {run_id}: the coverage query returned no row")
    report.coverage = {
        n: (round(float(v), 4) if n != "projects" else int(v))
        for n, v in zip(names, values, strict=True)
        if v is not None
    }
    report.coverage_drops = coverage_drops(_previous_coverage(con, run_id, site), report.coverage)


def _hold(report: LoadReport) -> None:
    report.status = "held"
    report.complete = False
    report.events = Counter()
    fields = ", ".join(
        f"{name} {before:.0%} -> {now:.0%}" for name, (before, now) in report.coverage_drops.items()
    )
    report.message = (
        f"field coverage dropped sharply ({fields}): the site may have changed its markup. "
        "This run's records were NOT applied. Check a page with `pipeline parse URL`; if the "
        "drop is real, run again with --accept-coverage-drop."
    )


def _record_run(
    con: duckdb.DuckDBPyConnection,
    report: LoadReport,
    summary: CrawlSummary,
    accept_coverage_drop: bool,
) -> None:
    s = summary
    con.execute(
        """
        UPDATE runs SET finished_at = ?, status = ?, complete = ?, coverage_held = ?,
            accepted_coverage_drop = ?, pages = ?, fetched = ?, unchanged = ?, not_modified = ?,
            gone = ?, failed = ?, robots_blocked = ?, projects = ?, quarantined = ?,
            requests = ?, retries = ?, bytes_received = ?, duration_s = ?, pages_per_second = ?,
            events = ?, coverage = ?, summary = ?, message = ?, verified = ?, skipped_lastmod = ?,
            audited = ?, audit_failures = ?, clean_audits = ?, lastmod_trust = ?,
            merge_retries = ?
        WHERE run_id = ?
        """,
        [
            s.finished_at or datetime.now(UTC),
            report.status,
            report.complete,
            report.status == "held",
            accept_coverage_drop and bool(report.coverage_drops),
            s.pages,
            s.outcomes["fetched"],
            s.outcomes["unchanged"],
            s.outcomes["not_modified"],
            s.outcomes["gone"],
            s.failed,
            s.robots_blocked,
            s.projects,
            report.quarantined,
            s.requests,
            s.retries,
            s.bytes_received,
            s.duration,
            s.pages_per_second,
            json.dumps(dict(report.events)),
            json.dumps(report.coverage) if report.coverage else None,
            json.dumps(s.as_dict()),
            report.message or None,
            s.verified,
            s.skipped_lastmod,
            s.audited,
            s.audit_failures,
            s.clean_audits if report.status == "ok" else None,
            s.lastmod_trust,
            report.merge_retries,
            report.run_id,
        ],
    )
