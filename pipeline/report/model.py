"""The values the report is drawn from: runs, events, projects with their versions, closures,
removals. Plain frozen data, read from the warehouse by ``queries``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ReportOptions:
    """What to put in the report: one site, runs since a day; where the WARC files are."""

    out: Path
    site: str | None = None
    since: date | None = None
    archive_dir: Path | None = None  # overrides each run's recorded WARC folder (moved archive)
    page_size: int = 1000  # rows per page of the long lists (projects, a run's events)


@dataclass(frozen=True)
class ReportResult:
    index: Path
    runs: int
    projects: int
    events: int
    pages: int  # HTML files written
    captures: int  # archived pages extracted
    missing_captures: int
    seconds: float


@dataclass(frozen=True)
class Run:
    run_id: int
    site: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    complete: bool | None
    pages: int
    fetched: int
    unchanged: int
    gone: int
    failed: int
    projects: int
    quarantined: int
    events: dict[str, int]
    coverage: dict[str, float]
    message: str | None


@dataclass(frozen=True)
class Event:
    run_id: int
    project_id: str
    url: str
    type: str
    field: str | None
    old: Any
    new: Any
    old_url: str | None
    version: int | None
    detected_at: datetime


@dataclass(frozen=True)
class Capture:
    """Where a version's page lives in the archive."""

    warc_file: str | None
    record_id: str | None
    digest: str | None
    archive_dir: Path | None
    offset: int | None
    fetched_at: datetime | None


@dataclass(frozen=True)
class Version:
    project_id: str
    version: int
    valid_from: datetime
    valid_to: datetime | None
    is_current: bool
    first_run_id: int
    url: str
    site: str
    lang: str
    title: str
    short_title: str | None
    status: str
    status_raw: str | None
    period: dict[str, Any] | None
    funders: list[str]
    contact: dict[str, Any] | None
    division: str | None
    closed_notice: bool
    capture: Capture


@dataclass
class Project:
    project_id: str
    site: str
    url: str
    first_seen_at: datetime
    last_seen_at: datetime
    removed: bool
    removed_at: datetime | None
    versions: list[Version] = field(default_factory=list)
    urls: list[tuple[str, int]] = field(default_factory=list)  # (page key, first run)

    @property
    def latest(self) -> Version:
        return self.versions[-1]


@dataclass(frozen=True)
class Closure:
    project_id: str
    closed_on: date | None
    closed_on_source: str  # "period end" | "first seen closed"
    detected_at: datetime | None
    how: str


@dataclass(frozen=True)
class Removal:
    project_id: str
    url: str
    removed_at: datetime | None
    run_id: int | None
    how: str


@dataclass(frozen=True)
class Quarantined:
    run_id: int
    url: str
    reasons: list[str]


@dataclass
class ReportData:
    runs: list[Run]
    events: list[Event]
    projects: dict[str, Project]  # by project id, in title order
    closures: list[Closure]
    removals: list[Removal]
    quarantine_counts: dict[int, int]  # run id -> pages quarantined
    quarantine_latest: list[Quarantined]

    @property
    def empty(self) -> bool:
        return not self.runs
