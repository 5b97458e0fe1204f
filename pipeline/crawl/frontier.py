"""The crawl frontier: each page once per run, within depth, query-variant and page bounds,
and each sitemap once, within the run's sitemap count and nesting depth."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.crawl.settings import CrawlSettings
from pipeline.model import Target


@dataclass(frozen=True, slots=True)
class Item:
    target: Target
    depth: int
    lastmod: str | None = None
    recheck: bool = False


class Frontier:
    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self.queue: asyncio.Queue[Item | None] = asyncio.Queue()
        self.seen: set[str] = set()
        self.pages = 0  # project and listing pages admitted
        self.trap_dropped = 0
        self.truncated = False
        self.sitemaps = 0  # sitemaps admitted
        # Sitemaps not read, by the bound that stopped them ("count", "depth", "bytes").
        self.sitemaps_dropped: Counter[str] = Counter()
        self._variants: Counter[str] = Counter()
        # While the sitemaps are read, the pages they list wait here: a page listed by two
        # sitemaps (or by a listing sitemap's page) is queued once, with its lastmod.
        self.holding = False
        self._held: dict[str, Item] = {}

    def add(self, target: Target, depth: int, lastmod: str | None = None) -> bool:
        """Queue a target unless it was seen or lies beyond a bound; True when queued."""
        key = target.key
        if key in self.seen:
            held = self._held.get(key)
            if held is not None and lastmod and not held.lastmod:
                self._held[key] = Item(held.target, held.depth, lastmod)
            return False
        if target.kind in ("project", "listing"):
            if depth > self.settings.max_depth:
                self.trap_dropped += 1
                return False
            path, _, query = key.partition("?")
            if query:
                if self._variants[path] >= self.settings.max_query_variants:
                    self.trap_dropped += 1
                    return False
                self._variants[path] += 1
            if self.pages >= self.settings.max_pages:
                self.truncated = True
                return False
            self.pages += 1
        elif target.kind == "sitemap":
            # A sitemap's depth is its nesting: 0 for those robots.txt and the profile name.
            if depth > self.settings.max_sitemap_depth:
                self.sitemaps_dropped["depth"] += 1
                return False
            if self.sitemaps >= self.settings.max_sitemaps:
                self.sitemaps_dropped["count"] += 1
                return False
            self.sitemaps += 1
        self.seen.add(key)
        if self.holding and target.kind != "sitemap":
            self._held[key] = Item(target, depth, lastmod)
        else:
            self.queue.put_nowait(Item(target, depth, lastmod))
        return True

    def held(self) -> list[Item]:
        """The pages held while the sitemaps are read."""
        return list(self._held.values())

    def release(self, first: Callable[[Item], bool] | None = None) -> None:
        """Queue the pages held while the sitemaps were read (those ``first`` picks, first)."""
        self.holding = False
        items = list(self._held.values())
        if first is not None:
            items.sort(key=lambda item: not first(item))  # stable: sitemap order otherwise
        for item in items:
            self.queue.put_nowait(item)
        self._held.clear()

    def mark(self, key: str) -> bool:
        """Note a page reached by a redirect; False when the run already had it."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def recheck(self, target: Target) -> None:
        self.queue.put_nowait(Item(target, 0, recheck=True))
