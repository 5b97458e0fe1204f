"""What the crawler remembers about a page between runs, behind a small interface.

The warehouse implements :class:`PageStateStore` from its ``page_state`` table (kept by the
merge's SQL); :class:`MemoryStateStore` keeps the same rule, :func:`next_state`, in memory.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from pipeline.model import PARSER_VERSION, Capture, CrawledPage, PageState


class PageStateStore(Protocol):
    def lookup(self, key: str) -> PageState | None:
        """The stored state of a page, or None when it was never fetched successfully."""
        ...


def keeps_state(page: CrawledPage) -> bool:
    """Whether a crawled page updates its page's state (the warehouse's ``page_state``)."""
    kind = page.fetch.target.kind
    return kind in ("project", "listing") and not page.recheck and page.duplicate_of is None


def next_state(
    old: PageState | None,
    page: CrawledPage,
    capture: Capture | None = None,
) -> PageState | None:
    """What a page's state becomes after one crawled page (None: no state is kept).

    The rule of the merge's ``page_state`` statements, as one pure function (a test runs both
    over the same crawls): a new body replaces the state (an invalid page keeps no body hash,
    so it is parsed again next time), a 304 or an unchanged body confirmed over HTTP refreshes
    the validators, the time and the lastmod, a 404/410 forgets the page; anything else leaves
    it as it was.
    """
    fetch = page.fetch
    if not keeps_state(page):
        return old
    if fetch.outcome == "fetched":
        kind = page.parse.kind if page.parse is not None else None
        return PageState(
            fetch.etag,
            fetch.last_modified,
            None if kind == "invalid" else fetch.body_hash,
            page.links,
            kind == "project",
            fetch.started_at,
            PARSER_VERSION,
            capture.record_id if capture else None,
            fetch.final_url or fetch.target.fetch_url,
            capture.date if capture else None,
            capture.payload_digest if capture else None,
            page.lastmod,
            page.fingerprint,
        )
    if fetch.outcome in ("not_modified", "unchanged") and old is not None and fetch.via == "http":
        return replace(
            old,
            etag=fetch.etag or old.etag,
            last_modified=fetch.last_modified or old.last_modified,
            verified_at=fetch.started_at,
            sitemap_lastmod=page.lastmod or old.sitemap_lastmod,
        )
    if fetch.outcome == "unchanged" and old is not None and fetch.via == "archive":
        # read anew from the archive (`pipeline reparse`): by this parser, with this profile
        return replace(old, parser_version=PARSER_VERSION, profile_fingerprint=page.fingerprint)
    if fetch.outcome == "gone":
        return None
    return old


class MemoryStateStore:
    """A dict of states kept by :func:`next_state`: for tests and one-off crawls."""

    def __init__(self) -> None:
        self.states: dict[str, PageState] = {}

    def lookup(self, key: str) -> PageState | None:
        return self.states.get(key)

    def record(self, page: CrawledPage, capture: Capture | None = None) -> None:
        """Update the state from one crawled page, as the warehouse does from its fetches."""
        key = page.fetch.target.key
        state = next_state(self.states.get(key), page, capture)
        if state is None:
            self.states.pop(key, None)
        else:
            self.states[key] = state
