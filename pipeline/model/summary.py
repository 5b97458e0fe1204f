"""How a crawl run went: counts per outcome and error, and whether it saw the whole site."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class AuditFailure:
    """Evidence that a site's lastmod lied: the page changed while its lastmod stayed."""

    page_key: str
    url: str
    old_lastmod: str | None
    new_lastmod: str | None
    old_hash: str | None
    new_hash: str | None


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
    # Sitemaps not read, by the bound that stopped them (count, depth, bytes): discovery
    # incomplete too. ``sitemap_limits`` are those bounds, for the report.
    sitemaps_dropped: Counter[str] = field(default_factory=Counter)
    sitemap_limits: dict[str, int] = field(default_factory=dict)
    projects: int = 0  # valid project records parsed
    invalid: int = 0  # project pages that failed validation
    not_project: int = 0
    moved: int = 0
    verified: int = 0  # known pages asked again (conditionally) whether they changed
    changed_bodies: int = 0  # known pages whose body changed
    skipped_lastmod: int = 0  # known pages not requested: their trusted lastmod is unchanged
    audited: int = 0  # pages verified to audit the site's lastmod
    audit_failures: int = 0  # audited pages that changed while their lastmod did not
    lastmod_trust: str = "off"  # off, or the site's standing: earning (n/N) or trusted
    clean_audits: int | None = None  # the site's standing after this run (audited mode)
    audit_evidence: list[AuditFailure] = field(default_factory=list)
    crawl_delay: float | None = None  # robots.txt's Crawl-delay as honoured (seconds)
    crawl_delay_capped: float | None = None  # the Crawl-delay asked for, when above the cap
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
        return self.status == "ok" and not self.truncated and not self.sitemaps_dropped

    @property
    def warnings(self) -> list[str]:
        """What the run did otherwise than the site asked, or left unread, in words."""
        found = []
        if self.crawl_delay_capped is not None:
            found.append(
                f"robots.txt asks for a Crawl-delay of {self.crawl_delay_capped:g} s; capped at "
                f"{self.crawl_delay or 0:g} s (max_crawl_delay), so pages were requested faster "
                "than the site asks. The cap does not make the run partial."
            )
        if self.sitemaps_dropped:
            names = {"count": "max_sitemaps", "depth": "max_sitemap_depth"}
            names["bytes"] = "max_sitemap_bytes"
            parts = [
                f"{count} beyond {names[bound]} ({self.sitemap_limits.get(bound, '?')})"
                for bound, count in sorted(self.sitemaps_dropped.items())
            ]
            found.append(
                f"sitemaps not read: {', '.join(parts)}. Pages only they list were not "
                "discovered, so the run is not complete: nothing is removed or closed."
            )
        return found

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
            "sitemaps_dropped": dict(self.sitemaps_dropped),
            "projects": self.projects,
            "invalid": self.invalid,
            "not_project": self.not_project,
            "moved": self.moved,
            "verified": self.verified,
            "changed_bodies": self.changed_bodies,
            "skipped_lastmod": self.skipped_lastmod,
            "audited": self.audited,
            "audit_failures": self.audit_failures,
            "lastmod_trust": self.lastmod_trust,
            "crawl_delay_s": self.crawl_delay,
            "crawl_delay_capped_s": self.crawl_delay_capped,
            "requests": self.requests,
            "retries": self.retries,
            "bytes_received": self.bytes_received,
            "pages_per_second": round(self.pages_per_second, 1),
            "errors": dict(self.errors),
            "warnings": self.warnings,
        }
