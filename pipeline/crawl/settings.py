"""Crawl settings: politeness, bounds, timeouts and caps, with defaults for real sites."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import __version__
from pipeline.crawl.lastmod import TRUST_MODES, TrustMode

CONTACT_URL = "https://github.com/foundation-pipeline/foundation-pipeline"
USER_AGENT = f"foundation-pipeline/{__version__} (+{CONTACT_URL}; project-page archiver)"
# The token robots.txt groups are matched against.
ROBOTS_AGENT = "foundation-pipeline"


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How one crawl behaves. Tests and the demo set ``delay=0``; real sites keep 1 s."""

    concurrency: int = 2  # requests in flight per host
    delay: float = 1.0  # minimum seconds between request starts per host
    max_pages: int = 20_000  # pages fetched per run (robots.txt and sitemaps not counted)
    max_depth: int = 50  # link hops from a start page or sitemap
    max_query_variants: int = 50  # distinct query strings per path: calendars, facets
    max_redirects: int = 5
    retries: int = 3  # extra attempts for transient failures
    backoff: float = 0.5  # first retry waits about this long; doubles, with jitter
    max_backoff: float = 60.0
    max_retry_after: float = 300.0  # longer Retry-After values fail the fetch instead
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # between two reads: restarts on every byte received
    fetch_deadline: float = 120.0  # one request from connect to its last body byte, at most
    max_body_bytes: int = 10 * 2**20  # as received (compressed)
    max_decoded_bytes: int = 30 * 2**20  # after content decoding: the gzip-bomb cap
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    max_crawl_delay: float = 60.0  # a longer robots.txt Crawl-delay is capped (and reported)
    use_sitemaps: bool = True
    max_sitemaps: int = 500  # sitemaps fetched per run, robots.txt's and nested ones together
    max_sitemap_depth: int = 5  # index -> sitemap hops from a sitemap named by robots.txt
    max_sitemap_bytes: int = 200 * 2**20  # decoded sitemap bytes read per run
    # "off": every known page is verified every run (conditional requests); "audited": pages
    # whose sitemap lastmod is unchanged may be skipped on a site that earned it by audits.
    trust_lastmod: TrustMode = "off"
    parse_processes: int | None = None  # None: one per spare core; 0: parse in this process
    parse_time_limit: float | None = 10.0  # seconds per page in a parse worker (None: none)
    failure_threshold: float = 0.2  # share of failed fetches that makes a run partial

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.delay < 0:
            raise ValueError("delay cannot be negative")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if self.trust_lastmod not in TRUST_MODES:
            raise ValueError(f"trust_lastmod must be one of {', '.join(TRUST_MODES)}")
        if self.fetch_deadline <= 0:
            raise ValueError("fetch_deadline must be positive")
        if self.parse_time_limit is not None and self.parse_time_limit <= 0:
            raise ValueError("parse_time_limit must be positive")
        if not 0 <= self.failure_threshold <= 1:
            raise ValueError("failure_threshold must be between 0 and 1")
