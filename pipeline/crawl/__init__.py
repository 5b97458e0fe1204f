"""The crawler: discovery, polite incremental fetching, and page analysis.

Names are imported on first use, so that a parse worker, which imports only
``pipeline.crawl.analyze``, does not load the HTTP client and the crawler with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.crawl.crawler import Crawl
    from pipeline.crawl.settings import CrawlSettings
    from pipeline.crawl.state import MemoryStateStore, PageStateStore
    from pipeline.model import CrawledPage, CrawlSummary, FetchResult, PageState

_HOMES = {
    "Crawl": "pipeline.crawl.crawler",
    "CrawlSettings": "pipeline.crawl.settings",
    "CrawlSummary": "pipeline.model",
    "CrawledPage": "pipeline.model",
    "FetchResult": "pipeline.model",
    "MemoryStateStore": "pipeline.crawl.state",
    "PageState": "pipeline.model",
    "PageStateStore": "pipeline.crawl.state",
}
__all__ = [
    "Crawl",
    "CrawlSettings",
    "CrawlSummary",
    "CrawledPage",
    "FetchResult",
    "MemoryStateStore",
    "PageState",
    "PageStateStore",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'pipeline.crawl' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
