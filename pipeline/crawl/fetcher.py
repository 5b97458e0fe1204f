"""One page fetch: conditional headers, bounded redirects, retries with backoff, size caps.

Redirects are followed by hand so that every hop is checked against the scope and recorded
(a 301 from a known project is a move). The body is read raw, capped, then decoded with a cap
on its decoded size, so a gzip bomb costs at most ``max_decoded_bytes`` of memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from pipeline.crawl.politeness import HostGate
from pipeline.crawl.scope import Scope
from pipeline.crawl.settings import CrawlSettings
from pipeline.model import (
    ErrorKind,
    Exchange,
    FetchResult,
    Hop,
    PageState,
    Target,
    http_error,
)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = ("text/html", "application/xhtml+xml")
SITEMAP_TYPES = (
    "application/xml",
    "text/xml",
    "application/gzip",
    "application/x-gzip",
    "text/plain",
    "application/octet-stream",
    "application/x-xml",
)


class _Failure(Exception):
    """A failed attempt: its error kind, message, and whether another attempt may help."""

    def __init__(self, kind: ErrorKind, detail: str, transient: bool) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.transient = transient


@dataclass(slots=True)
class _Answer:
    exchange: Exchange
    retry_after: float | None

    @property
    def status(self) -> int:
        return self.exchange.status


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def decode_content(raw: bytes, encoding: str | None, limit: int) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate), refusing more than ``limit`` decoded bytes."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("identity", ""):
        return raw
    if encoding in ("gzip", "x-gzip", "deflate"):
        for wbits in (47,) if encoding != "deflate" else (15, -15):
            inflater = zlib.decompressobj(wbits=wbits)
            try:
                out = inflater.decompress(raw, limit + 1)
            except zlib.error:
                continue
            if len(out) > limit or inflater.unconsumed_tail:
                raise _Failure(
                    ErrorKind.DECODED_TOO_LARGE,
                    f"body decompresses to more than {limit} bytes",
                    False,
                )
            return out
        raise _Failure(ErrorKind.BAD_ENCODING, f"body is not valid {encoding} data", False)
    raise _Failure(ErrorKind.BAD_ENCODING, f"unsupported Content-Encoding {encoding!r}", False)


async def _one(body: bytes) -> AsyncIterator[bytes]:
    yield body


def _read_already(response: httpx.Response) -> AsyncIterator[bytes] | None:
    return _one(response.content) if response.is_stream_consumed else None


class Fetcher:
    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: CrawlSettings,
        scope: Scope,
        gate: HostGate,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.clock = clock or (lambda: datetime.now(UTC))
        self.settings = settings
        self.scope = scope
        self.gate = gate
        self.requests = 0
        self.retries = 0
        self._timeout = httpx.Timeout(
            settings.read_timeout, connect=settings.connect_timeout, pool=None
        )
        # The headers of every request, merged with the client's once (httpx merges them
        # again for each request it builds: a tenth of the CPU of a 304).
        fixed = httpx.Headers(client.headers)
        fixed.update({"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._fixed_headers = fixed.raw
        self._extensions = {"timeout": self._timeout.as_dict()}
        self._plain_client = not client.params and not str(client.base_url)

    def _headers(self, state: PageState | None) -> list[tuple[bytes, bytes]]:
        """The request's validators (the fixed headers are added when it is built)."""
        # Validators only for a page parsed by this parser with this profile: otherwise the
        # body is needed to parse it again.
        if state is None or not state.same_extractor(self.scope.profile.fingerprint):
            return []
        headers = []
        if state.etag:
            headers.append((b"If-None-Match", state.etag.encode("latin-1", "replace")))
        if state.last_modified:
            headers.append((b"If-Modified-Since", state.last_modified.encode("latin-1", "replace")))
        return headers

    def _build(self, url: str, validators: list[tuple[bytes, bytes]]) -> httpx.Request:
        """The GET request, as ``client.build_request`` would make it."""
        headers = self._fixed_headers + validators
        if self._plain_client and not self.client.cookies:
            return httpx.Request("GET", url, headers=headers, extensions=self._extensions)
        # cookies (or a base URL or parameters) to merge: httpx's own way
        return self.client.build_request("GET", url, headers=headers, timeout=self._timeout)

    async def fetch(self, target: Target, state: PageState | None = None) -> FetchResult:
        """Fetch a target; never raises for network or HTTP trouble (it is in the result)."""
        started = self.clock()
        clock = time.monotonic()
        result = FetchResult(target, "failed", started)
        url, current = target.fetch_url, target
        hops: list[Hop] = []
        headers = self._headers(state)
        try:
            while True:
                answer = await self._attempts(url, headers, result)
                exchange = answer.exchange
                result.exchanges.append(exchange)
                result.status = exchange.status
                result.final_url = url
                result.final_target = current
                if answer.status not in REDIRECT_STATUSES:
                    break
                location = result.header("location")
                if not location:
                    raise _Failure(
                        ErrorKind.BAD_REDIRECT, f"{url} redirects without a Location", False
                    )
                nxt = urljoin(url, location.strip())
                hops.append(Hop(answer.status, url, nxt))
                result.redirects = tuple(hops)
                if len(hops) > self.settings.max_redirects:
                    raise _Failure(
                        ErrorKind.TOO_MANY_REDIRECTS,
                        f"more than "
                        f"{self.settings.max_redirects} redirects from "
                        f"{target.fetch_url}",
                        False,
                    )
                refusal = self.scope.redirect_refusal(nxt)
                if refusal is not None:
                    result.outcome, result.error = "refused", refusal
                    result.detail = f"{url} redirects to {nxt}: not followed ({refusal})"
                    return result
                fixed_kind = target.kind if target.kind in ("sitemap", "robots") else None
                nxt_target = self.scope.target(nxt, fixed_kind)
                if nxt_target is None:
                    result.outcome, result.error = "refused", ErrorKind.REDIRECT_OUT_OF_SCOPE
                    result.detail = f"{url} redirects to {nxt}, outside the site's page paths"
                    return result
                # Always fetch through the base URL: a mirror never sends us to the public host.
                if any(hop.url == nxt_target.fetch_url for hop in hops):
                    raise _Failure(ErrorKind.REDIRECT_LOOP, f"redirect loop at {nxt}", False)
                if nxt_target.key != target.key:
                    headers = self._headers(None)  # validators belong to the old address
                url, current = nxt_target.fetch_url, nxt_target
            self._classify(result, target)
        except _Failure as failure:
            result.outcome, result.error, result.detail = "failed", failure.kind, failure.detail
        finally:
            result.elapsed = time.monotonic() - clock
        return result

    def _classify(self, result: FetchResult, target: Target) -> None:
        status = result.status or 0
        if status == 304:
            result.outcome = "not_modified"
            return
        if status in (404, 410):
            result.outcome, result.error = "gone", http_error(status)
            return
        if not 200 <= status < 300:
            result.outcome, result.error = "failed", http_error(status)
            result.detail = f"{result.final_url} answered HTTP {status}"
            return
        content_type = (result.content_type or "").split(";")[0].strip().lower()
        accepted = (
            SITEMAP_TYPES + PAGE_TYPES if target.kind in ("sitemap", "robots") else PAGE_TYPES
        )
        if content_type and content_type not in accepted:
            result.outcome, result.error = "skipped", ErrorKind.CONTENT_TYPE
            result.detail = f"{result.final_url} is {content_type}, not parsed"
            return
        result.body = decode_content(
            result.raw_body, result.header("content-encoding"), self.settings.max_decoded_bytes
        )
        result.body_hash = hashlib.sha256(result.body).hexdigest()
        result.outcome = "fetched"

    async def _attempts(
        self, url: str, headers: list[tuple[bytes, bytes]], result: FetchResult
    ) -> _Answer:
        """One request, retried on transient failures with backoff and Retry-After."""
        attempt = 0
        while True:
            attempt += 1
            result.attempts += 1
            try:
                answer = await self._request(url, headers)
            except _Failure as failure:
                if not failure.transient or attempt > self.settings.retries:
                    raise
                wait = self._backoff(attempt)
            else:
                if answer.status not in RETRY_STATUSES:
                    return answer
                if attempt > self.settings.retries:
                    return answer
                result.exchanges.append(answer.exchange)  # archived too, as evidence
                wait = self._backoff(attempt)
                if answer.retry_after is not None:
                    if answer.retry_after > self.settings.max_retry_after:
                        return answer
                    wait = answer.retry_after
                    self.gate.pause(wait)
            self.retries += 1
            await asyncio.sleep(wait)

    async def _receive(
        self, request: httpx.Request, url: str, cap: int
    ) -> tuple[httpx.Response, list[bytes]]:
        """Send the request and read its raw body, refusing more than ``cap`` bytes."""
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > cap:
                raise _Failure(
                    ErrorKind.TOO_LARGE, f"{url} is {length} bytes, above the {cap}-byte cap", False
                )
            chunks: list[bytes] = []
            size = 0
            # A transport that hands over a response already read (httpx.MockTransport in
            # logic tests) has nothing left to stream: its body is the content.
            async for chunk in _read_already(response) or response.aiter_raw():
                size += len(chunk)
                if size > cap:
                    raise _Failure(ErrorKind.TOO_LARGE, f"{url} sent more than {cap} bytes", False)
                chunks.append(chunk)
        finally:
            await response.aclose()
        return response, chunks

    def _backoff(self, attempt: int) -> float:
        base: float = min(self.settings.max_backoff, self.settings.backoff * 2.0 ** (attempt - 1))
        return base * random.uniform(0.5, 1.5)

    async def _request(self, url: str, headers: list[tuple[bytes, bytes]]) -> _Answer:
        cap = self.settings.max_body_bytes
        async with self.gate.slot():
            self.requests += 1
            at = self.clock()
            deadline = self.settings.fetch_deadline
            request = self._build(url, headers)
            try:
                # The read timeout restarts on every byte: a server trickling its answer is
                # only stopped by a deadline on the whole request.
                async with asyncio.timeout(deadline):
                    response, chunks = await self._receive(request, url, cap)
            except TimeoutError as exc:
                raise _Failure(
                    ErrorKind.TIMEOUT,
                    f"{url}: no complete answer within the {deadline:g} s deadline",
                    True,
                ) from exc
            except httpx.TimeoutException as exc:
                raise _Failure(
                    ErrorKind.TIMEOUT, f"{url}: timed out ({type(exc).__name__})", True
                ) from exc
            except httpx.ConnectError as exc:
                raise _Failure(ErrorKind.CONNECT, f"{url}: cannot connect ({exc})", True) from exc
            except (httpx.ReadError, httpx.WriteError) as exc:
                raise _Failure(ErrorKind.RESET, f"{url}: connection reset ({exc})", True) from exc
            except httpx.RemoteProtocolError as exc:
                raise _Failure(ErrorKind.PROTOCOL, f"{url}: broken response ({exc})", True) from exc
            except httpx.HTTPError as exc:
                raise _Failure(ErrorKind.HTTP_ERROR, f"{url}: {exc}", False) from exc
        retry_after = None
        if response.status_code in (429, 503):
            retry_after = retry_after_seconds(response.headers.get("retry-after"))
        exchange = Exchange(
            url,
            at,
            response.http_version,
            [(k, v) for k, v in request.headers.items()],
            response.status_code,
            response.reason_phrase,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            b"".join(chunks),
        )
        return _Answer(exchange, retry_after)
