"""The types that cross stages (fetch results, exchanges, pages, page state, captures, parse
results, run summaries, the parser version); this package imports no stage, so stages form a tree.
"""

from pipeline.model.fetch import (
    PERMANENT_REDIRECTS,
    ErrorKind,
    Exchange,
    FetchError,
    FetchResult,
    Hop,
    HttpError,
    Outcome,
    PageKind,
    Target,
    http_error,
)
from pipeline.model.pages import (
    PARSER_VERSION,
    Capture,
    CrawledPage,
    Kind,
    PageState,
    ParseResult,
    Problem,
)
from pipeline.model.summary import AuditFailure, CrawlSummary, RunStatus

__all__ = [
    "PARSER_VERSION",
    "PERMANENT_REDIRECTS",
    "AuditFailure",
    "Capture",
    "CrawlSummary",
    "CrawledPage",
    "ErrorKind",
    "Exchange",
    "FetchError",
    "FetchResult",
    "Hop",
    "HttpError",
    "Kind",
    "Outcome",
    "PageKind",
    "PageState",
    "ParseResult",
    "Problem",
    "RunStatus",
    "Target",
    "http_error",
]
