"""One fetch: the page it was for, every HTTP exchange, and what came of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, NewType

PageKind = Literal["project", "listing", "sitemap", "robots"]


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    site_url: str
    fetch_url: str
    kind: PageKind


# fetched: a new body to analyse · unchanged: same body as last time, or trusted by the sitemap's
# lastmod · not_modified: 304 · gone: 404/410 · failed: no usable answer after retries ·
# refused: a redirect we may not follow · skipped: a body we do not parse (type, size)
Outcome = Literal["fetched", "unchanged", "not_modified", "gone", "failed", "refused", "skipped"]
PERMANENT_REDIRECTS = frozenset({301, 308})


class ErrorKind(StrEnum):
    """Why a fetch gave no usable page (stored and counted by its value)."""

    CONNECT = "connect"  # the host could not be reached
    TIMEOUT = "timeout"
    RESET = "reset"  # the connection broke while reading or writing
    PROTOCOL = "protocol"  # a broken HTTP response (truncated body, bad framing)
    HTTP_ERROR = "http_error"  # any other failure of the HTTP client
    TOO_LARGE = "too_large"  # the body as received is above the cap
    DECODED_TOO_LARGE = "decoded_too_large"  # the decoded body is above the cap (gzip bomb)
    BAD_ENCODING = "bad_encoding"  # a Content-Encoding that cannot be decoded
    CONTENT_TYPE = "content_type"  # not HTML (or XML for sitemaps): skipped
    BAD_REDIRECT = "bad_redirect"  # a redirect without a Location
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    REDIRECT_SCHEME = "redirect_scheme"  # a redirect to a non-HTTP scheme
    REDIRECT_PRIVATE = "redirect_private"  # a public site redirecting to a private address
    REDIRECT_OFF_SITE = "redirect_off_site"  # a redirect to another host
    REDIRECT_OUT_OF_SCOPE = "redirect_out_of_scope"  # to a path outside the profile's pages
    BAD_SITEMAP = "bad_sitemap"  # a sitemap that cannot be read within its bounds
    INTERNAL = "internal"  # a bug, logged with its traceback; the run goes on


# An HTTP answer that is no page: ``http_404``, ``http_503`` ... (see :func:`http_error`).
HttpError = NewType("HttpError", str)
FetchError = ErrorKind | HttpError


def http_error(status: int) -> HttpError:
    return HttpError(f"http_{status}")


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
    error: FetchError | None = None  # why there is no usable page: an ErrorKind or http_503 ...
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
