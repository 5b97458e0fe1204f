"""Re-extract from the archive: the captured pages of a site's current versions, parsed again
with today's parser and the site's profile, without a single request to the site.

The result is loaded as a run of its own; since each body is the one that gave the current
version, every change it makes carries cause ``extraction``. The run never judges absences
(it is not a crawl of the whole site), so nothing is removed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline import exit_codes
from pipeline.archive.evidence import read_record
from pipeline.errors import InputError
from pipeline.model import CrawledPage, CrawlSummary, FetchResult, Target
from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile
from pipeline.warehouse import LoadReport, RunLoader, Warehouse
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.evidence import archived_versions
from pipeline.warehouse.writer_lock import writer_lock_of


@dataclass
class ReparseReport:
    run_id: int
    summary: CrawlSummary
    load: LoadReport
    missing: list[tuple[str, str]] = field(default_factory=list)  # (project, why) not re-read

    @property
    def exit_code(self) -> int:
        if self.load.status != "ok":
            return exit_codes.COVERAGE_HELD if self.load.status == "held" else exit_codes.PARTIAL
        return exit_codes.PARTIAL if self.missing else exit_codes.OK


def reparse(
    db: str | Path | None,
    profile: SiteProfile,
    archive_dir: Path | None = None,
    accept_coverage_drop: bool = False,
    limits: DuckDBLimits | None = None,
) -> ReparseReport:
    """Parse the archived captures of ``profile``'s current versions again and load the result.

    ``archive_dir`` is where the WARC files are when they were moved since the crawl.
    """
    started = datetime.now(UTC)
    # the writer lock too: a crawl between its brief connections leaves the file open to us
    with writer_lock_of(db, "a reparse"), Warehouse.open(db, limits=limits) as warehouse:
        versions = archived_versions(warehouse.con, profile.id)
        if not versions:
            raise InputError(f"the warehouse has no current projects of site {profile.id!r}")
        if all(v.warc_file is None for v in versions):
            raise InputError(
                f"the archive is off for site {profile.id!r}: its current versions were crawled "
                "with --no-archive, so there is nothing to re-extract from; crawl again (a "
                "changed parser or profile re-parses every page) or turn the archive on"
            )
        loader = RunLoader(warehouse.con, warehouse.limits)
        run_id = loader.begin(profile.id, "archive", started, profile.fingerprint)
        summary = CrawlSummary(profile.id, "archive", started)
        summary.truncated = True  # not a crawl of the whole site: absences are never judged
        missing: list[tuple[str, str]] = []
        for version in versions:
            folder = archive_dir or version.archive_dir
            if version.warc_file is None or version.record_id is None or folder is None:
                missing.append((version.project_id, "its version has no archived capture"))
                continue
            try:
                body = read_record(folder / version.warc_file, version.record_id, version.offset)
            except InputError as exc:
                missing.append((version.project_id, str(exc)))
                continue
            target = Target(version.page_key, version.site_url, version.fetch_url, "project")
            result = FetchResult(
                target,
                "unchanged",
                started,
                status=200,
                final_url=version.fetch_url,
                final_target=target,
                via="archive",
                body=body,
                body_hash=hashlib.sha256(body).hexdigest(),
            )
            parsed = parse_page(body, version.site_url, profile, version.content_type)
            page = CrawledPage(result, parse=parsed, fingerprint=profile.fingerprint)
            summary.outcomes["unchanged"] += 1
            summary.projects += parsed.kind == "project"
            summary.invalid += parsed.kind == "invalid"
            loader.add(page)
        summary.finished_at = datetime.now(UTC)
        summary.duration = (summary.finished_at - started).total_seconds()
        if missing:
            summary.message = f"{len(missing)} capture(s) missing: those projects were not re-read"
        load = loader.finish(summary, accept_coverage_drop)
    return ReparseReport(run_id, summary, load, missing)
