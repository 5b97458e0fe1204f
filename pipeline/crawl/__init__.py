"""The crawler: discovery, polite incremental fetching, and page analysis."""

from pipeline.crawl.crawler import Crawl
from pipeline.crawl.results import CrawledPage, CrawlSummary, FetchResult
from pipeline.crawl.settings import CrawlSettings
from pipeline.crawl.state import MemoryStateStore, PageState, PageStateStore

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
