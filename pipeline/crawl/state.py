"""What the crawler remembers about a page between runs, behind a small interface.

The warehouse implements :class:`PageStateStore` from its ``fetches`` table;
:class:`MemoryStateStore` serves tests and one-off crawls.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from pipeline.model import CrawledPage, PageState


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
