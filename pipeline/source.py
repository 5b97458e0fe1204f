"""One page from a file or a URL, for checking the parser by hand (``pipeline parse``)."""

from __future__ import annotations

from pathlib import Path

import httpx

from pipeline import __version__
from pipeline.crawl.settings import CONTACT_URL, CrawlSettings
from pipeline.crawl.single import fetch_page
from pipeline.errors import InputError
from pipeline.extract.lines import canonical_link
from pipeline.model import ParseResult
from pipeline.parse import parse_page
from pipeline.profiles import Catalog, SiteProfile, discover
from pipeline.urls import absolute, url_problem

USER_AGENT = f"foundation-pipeline/{__version__} (+{CONTACT_URL}; single-page parse check)"
MAX_BYTES = 20_000_000


# The crawler's bounds, for one page: no retry beyond one, a minute at most however slow.
FETCH_SETTINGS = CrawlSettings(
    delay=0.0, retries=1, read_timeout=20.0, fetch_deadline=60.0, user_agent=USER_AGENT
)


def read_source(
    source: str, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[bytes, str | None, str]:
    """The bytes, content type and URL of a page given as a file path or an http(s) URL.

    A URL is fetched by the crawler's fetcher (:mod:`pipeline.crawl.single`): its size caps,
    timeouts and redirect rules apply.
    """
    if source.startswith(("http://", "https://")):
        page = fetch_page(source, FETCH_SETTINGS, transport=transport)
        return page.body, page.content_type, page.url
    path = Path(source)
    if not path.is_file():
        raise InputError(f"no such file: {source} (give a saved page or an http(s) URL)")
    return path.read_bytes()[:MAX_BYTES], None, path.resolve().as_uri()


def parse_source(
    source: str,
    url: str | None = None,
    profile: SiteProfile | None = None,
    catalog: Catalog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ParseResult:
    """Parse a saved page or a fetched URL; ``url`` is the page's address when it is a file.

    The page is read with ``profile``, else with the catalog's profile for its host (a generic
    profile for a host no profile knows).
    """
    for given, what in ((source, "the page's URL"), (url, "--url")):
        if given is not None and given.startswith(("http://", "https://")):
            problem = url_problem(given)
            if problem:
                raise InputError(f"{what} {given!r} cannot be fetched or named: {problem}")
    body, content_type, own_url = read_source(source, transport)
    page_url = url or own_url
    if not page_url.startswith(("http://", "https://")):
        raise InputError(
            f"{source} is a file: pass --url with the page's address, "
            "e.g. --url https://www.stiftung-spi.de/projekte/<slug>/"
        )
    if profile is None:
        profile = _profile_of(body, page_url, catalog or discover())
    return parse_page(body, page_url, profile, content_type)


def _profile_of(body: bytes, page_url: str, catalog: Catalog) -> SiteProfile:
    """The profile of the page's host; for a mirror or a saved copy on a host no profile knows,
    the profile of the host its canonical link names, if one knows that."""
    profile = catalog.for_url(page_url)
    if profile.id in catalog.found:
        return profile
    canonical = canonical_link(body)
    resolved = absolute(canonical, page_url) if canonical else None
    if resolved is not None and url_problem(resolved) is None:
        named = catalog.for_url(resolved)
        if named.id in catalog.found:
            return named
    return profile
