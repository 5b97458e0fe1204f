"""One page fetched the way the crawler fetches it, for ``pipeline parse URL``.

The page goes through the crawler's :class:`~pipeline.crawl.fetcher.Fetcher`, so a single-page
check has the crawl's bounds: size caps on the body as received and as decoded (a gzip bomb
costs at most ``max_decoded_bytes``), connect and read timeouts and a total deadline, and
redirects followed by hand, on the page's own site only, never from a public host to a
private address.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from pipeline.crawl.client import CrawlClient
from pipeline.crawl.fetcher import Fetcher
from pipeline.crawl.politeness import HostGate
from pipeline.crawl.scope import Scope
from pipeline.crawl.settings import CrawlSettings
from pipeline.errors import FetchError
from pipeline.model import FetchResult
from pipeline.profiles import SiteProfile, generic_profile


@dataclass(frozen=True, slots=True)
class FetchedPage:
    body: bytes  # decoded
    content_type: str | None
    url: str  # the address that answered, on the page's own origin


async def fetch_result(
    url: str,
    settings: CrawlSettings,
    profile: SiteProfile | None = None,
    base_url: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[FetchResult, Scope]:
    """Fetch ``url`` once (with the crawler's retries), as a page of ``profile``'s site.

    Without ``profile`` the site is the URL's host, every path a page of it. ``base_url``
    fetches the site from a mirror, as ``pipeline crawl --base-url`` does.
    """
    profile = profile or generic_profile(url)
    scope = Scope(profile, base_url)
    target = scope.target(url)
    if target is None:
        raise FetchError(f"{url} is not a page of the site {profile.origin}; nothing to parse")
    gate = HostGate(settings.concurrency, settings.delay)
    auth = httpx.BasicAuth(*scope.credentials) if scope.credentials else None
    async with CrawlClient(transport=transport, auth=auth) as client:
        fetcher = Fetcher(client, settings, scope, gate)
        return await fetcher.fetch(target), scope


def fetch_page(
    url: str,
    settings: CrawlSettings,
    profile: SiteProfile | None = None,
    base_url: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FetchedPage:
    """The decoded body of one page, or a :class:`FetchError` saying why there is none."""
    result, scope = asyncio.run(fetch_result(url, settings, profile, base_url, transport))
    if result.outcome == "fetched":
        return FetchedPage(result.body, result.content_type, scope.site_address(result.final_url))
    if result.outcome == "refused":
        raise FetchError(f"{result.detail}; nothing to parse")
    if result.status is not None and result.status >= 400:
        raise FetchError(f"{url} answered HTTP {result.status}; nothing to parse")
    detail = result.detail or f"{result.error or result.outcome}"
    raise FetchError(
        f"could not fetch {url} ({result.error}): {detail}. Check the URL and the network, "
        "or save the page and pass the file."
    )
