"""What the crawler remembers about a page between runs, behind a small interface.

The warehouse implements :class:`PageStateStore` from its ``fetches`` table;
:class:`MemoryStateStore` serves tests and one-off crawls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pipeline.crawl.results import CrawledPage

# Bump when the parser's output for the same HTML changes: stored pages are then re-parsed.
PARSER_VERSION = 1


@dataclass(frozen=True, slots=True)
class PageState:
    """The last successful fetch of one page (by canonical key)."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None
    links: tuple[str, ...]  # site URLs the page linked to, replayed when it is unchanged
    is_project: bool  # the page gave a project record
    verified_at: datetime | None  # when the server last confirmed this content (200 or 304)
    parser_version: int = PARSER_VERSION
    # The page's last full capture in the archive, which a revisit record refers to.
    warc_record_id: str | None = None
    warc_target_uri: str | None = None
    warc_date: str | None = None
    payload_digest: str | None = None


class PageStateStore(Protocol):
    def lookup(self, key: str) -> PageState | None:
        """The stored state of a page, or None when it was never fetched successfully."""
        ...


class MemoryStateStore:
    """A dict of states; ``remember`` keeps what a crawl's sink hands it."""

    def __init__(self) -> None:
        self.states: dict[str, PageState] = {}

    def lookup(self, key: str) -> PageState | None:
        return self.states.get(key)

    def record(self, page: CrawledPage) -> None:
        """Update the state from one crawled page, as the warehouse does from its fetches."""
        fetch = page.fetch
        key = fetch.target.key
        if fetch.target.kind not in ("project", "listing") or page.duplicate_of:
            return
        old = self.states.get(key)
        if fetch.outcome == "fetched":
            self.states[key] = PageState(
                fetch.etag,
                fetch.last_modified,
                fetch.body_hash,
                page.links,
                page.parse is not None and page.parse.kind == "project",
                fetch.started_at,
            )
        elif fetch.outcome in ("not_modified", "unchanged") and old is not None:
            if fetch.via == "http":
                self.states[key] = replace(
                    old,
                    etag=fetch.etag or old.etag,
                    last_modified=fetch.last_modified or old.last_modified,
                    verified_at=fetch.started_at,
                )
        elif fetch.outcome == "gone":
            self.states.pop(key, None)
