"""Explicit results: every fetch says what happened, and a run says how it went."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pipeline.crawl.scope import Target
from pipeline.crawl.state import PageState
from pipeline.parse import ParseResult

# fetched: a new body to analyse · unchanged: same body as last time, or trusted by the sitemap's
# lastmod · not_modified: 304 · gone: 404/410 · failed: no usable answer after retries ·
# refused: a redirect we may not follow · skipped: a body we do not parse (type, size)
Outcome = Literal["fetched", "unchanged", "not_modified", "gone", "failed", "refused", "skipped"]
PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: ``url`` answered ``status`` pointing at ``location``."""

    status: int
    url: str
    location: str


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and its response, as sent and received (for the archive)."""

    url: str
    at: datetime
    http_version: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    raw_body: bytes


@dataclass(slots=True)
class FetchResult:
    target: Target
    outcome: Outcome
    started_at: datetime
    status: int | None = None
    final_url: str = ""
    final_target: Target | None = None
    error: str | None = None  # a short kind: connect, timeout, reset, http_503, too_large, ...
    detail: str = ""
    elapsed: float = 0.0
    attempts: int = 0
    redirects: tuple[Hop, ...] = ()
    body: bytes = b""  # after content decoding
    body_hash: str | None = None  # sha256 hex of ``body``
    via: str = "http"  # "http", or "sitemap-lastmod" when no request was sent
    exchanges: list[Exchange] = field(default_factory=list)  # redirect hops, then the final one

    @property
    def response_headers(self) -> list[tuple[str, str]]:
        return self.exchanges[-1].response_headers if self.exchanges else []

    @property
    def raw_body(self) -> bytes:
        """The final answer's body as received, before content decoding."""
        return self.exchanges[-1].raw_body if self.exchanges else b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.response_headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")

    @property
    def bytes_received(self) -> int:
        return len(self.raw_body)

    @property
    def moved_to(self) -> Target | None:
        """The new address when a permanent redirect moved this page to another in-scope key."""
        if (
            self.redirects
            and self.redirects[0].status in PERMANENT_REDIRECTS
            and self.final_target is not None
            and self.final_target.key != self.target.key
            and self.outcome in ("fetched", "unchanged", "not_modified")
        ):
            return self.final_target
        return None


@dataclass(slots=True)
class CrawledPage:
    """A fetch and what came of it, handed to the sink (warehouse, archive) as it happens."""

    fetch: FetchResult
    parse: ParseResult | None = None  # project pages with a new body
    links: tuple[str, ...] = ()  # in-scope site URLs the page links to
    recheck: bool = False  # the second request for a known project page that answered 404
    duplicate_of: str | None = None  # a redirect ended on a page this run already had
    previous: PageState | None = None  # what the warehouse knew of the page before this run
    record_json: str | None = None  # ``parse.record`` as JSON, when a parse worker made it


RunStatus = Literal["ok", "partial", "failed", "interrupted"]


@dataclass(slots=True)
class CrawlSummary:
    site: str
    base_url: str
    started_at: datetime
    finished_at: datetime | None = None
    duration: float = 0.0
    discovered: int = 0  # distinct in-scope pages found
    requests: int = 0  # HTTP requests sent, retries and redirects included
    retries: int = 0
    bytes_received: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # per Outcome, pages only
    errors: Counter[str] = field(default_factory=Counter)  # per error kind
    robots_blocked: int = 0
    trap_dropped: int = 0  # URLs beyond the depth or query-variant bounds
    truncated: bool = False  # max_pages reached: discovery incomplete
    projects: int = 0  # valid project records parsed
    invalid: int = 0  # project pages that failed validation
    not_project: int = 0
    moved: int = 0
    status: RunStatus = "ok"
    message: str = ""

    @property
    def pages(self) -> int:
        return sum(self.outcomes.values())

    @property
    def failed(self) -> int:
        return self.outcomes["failed"]

    @property
    def failure_rate(self) -> float:
        return self.failed / self.pages if self.pages else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.duration if self.duration > 0 else 0.0

    @property
    def complete(self) -> bool:
        """Whether the run saw the whole site, so that absences may be judged."""
        return self.status == "ok" and not self.truncated

    def as_dict(self) -> dict[str, object]:
        return {
            "site": self.site,
            "base_url": self.base_url,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "duration_s": round(self.duration, 3),
            "status": self.status,
            "complete": self.complete,
            "message": self.message,
            "discovered": self.discovered,
            "pages": self.pages,
            "fetched": self.outcomes["fetched"],
            "unchanged": self.outcomes["unchanged"],
            "not_modified": self.outcomes["not_modified"],
            "gone": self.outcomes["gone"],
            "failed": self.failed,
            "refused": self.outcomes["refused"],
            "skipped": self.outcomes["skipped"],
            "robots_blocked": self.robots_blocked,
            "trap_dropped": self.trap_dropped,
            "truncated": self.truncated,
            "projects": self.projects,
            "invalid": self.invalid,
            "not_project": self.not_project,
            "moved": self.moved,
            "requests": self.requests,
            "retries": self.retries,
            "bytes_received": self.bytes_received,
            "pages_per_second": round(self.pages_per_second, 1),
            "errors": dict(self.errors),
        }
