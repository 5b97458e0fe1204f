"""The sample crawl behind ``pipeline sites init``: a bounded, polite look at an unknown site.

It reads robots.txt (and keeps to it and to its crawl delay), the sitemaps it names and the usual
ones (``/sitemap.xml``, ``/wp-sitemap.xml``, ``/sitemap_index.xml``), the home page, then pages
by path shape: a few of each shape (more when their verdicts disagree), the shapes with the most
members first, until every shape is sampled or the request budget is spent. Every request goes
through the crawler's :class:`~pipeline.crawl.fetcher.Fetcher` (caps, redirect checks,
retries) behind one :class:`~pipeline.crawl.politeness.HostGate` (requests in flight, delay).

Each page is parsed as a page of an unknown site, with a generic profile: what the parser finds
there (period, funders, contact, status) is kept for :mod:`pipeline.onboard.propose`.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import httpx
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from pipeline.crawl.fetcher import Fetcher
from pipeline.crawl.links import SitemapError, page_hrefs, parse_sitemap, resolve_links
from pipeline.crawl.politeness import HostGate
from pipeline.crawl.robots import parse_robots, sitemap_urls
from pipeline.crawl.scope import Scope
from pipeline.crawl.settings import ROBOTS_AGENT, CrawlSettings
from pipeline.decode import decode_html
from pipeline.errors import InputError, ProposeError
from pipeline.model import FetchResult, Target
from pipeline.onboard.shapes import Shape, shapes
from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile
from pipeline.urls import absolute, bare_host

# Where sitemaps usually are, besides the robots.txt's Sitemap: lines.
SITEMAP_GUESSES = ("/sitemap.xml", "/wp-sitemap.xml", "/sitemap_index.xml")
# Links to files that are never pages: not worth a request.
FILE_SUFFIXES = (
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".zip", ".doc", ".docx", ".xls",
    ".xlsx", ".ppt", ".pptx", ".mp3", ".mp4", ".css", ".js", ".ics", ".xml", ".gz", ".rss",
)  # fmt: skip
# Query parameters that never select a page, dropped already while sampling (so a page linked
# with and without them is fetched once); which of them the profile names is decided later.
SAMPLE_IGNORED = ("cHash", "no_cache", "replytocom")
# Text in a page that names its CMS (lowercased; a generator meta tag or asset paths).
CMS_MARKERS: dict[str, tuple[str, ...]] = {
    "wordpress": ('content="wordpress', "/wp-content/", "/wp-includes/", "wp-sitemap"),
    "typo3": ('content="typo3', "/typo3conf/", "/typo3temp/", "/fileadmin/"),
    "drupal": ('content="drupal', "data-drupal-", "/sites/default/files/"),
}
_FACT_NAMES = ("period", "funders", "contact", "status")


@dataclass(frozen=True, slots=True)
class SampleSettings:
    """How much ``sites init`` may look at, and how politely (``crawl``: the crawler's
    settings: delay, requests in flight, timeouts, caps, user agent)."""

    # HTTP requests in all (robots.txt, sitemaps, pages, redirects), checked before each batch
    # of ``crawl.concurrency`` fetches: the redirects and retries of the last may add a few.
    max_requests: int = 300
    per_shape: int = 4  # pages fetched per path shape
    per_mixed_shape: int = 8  # ... when they disagree (some project pages, some not)
    max_sitemaps: int = 25  # sitemap files read (an index and its children)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)

    def __post_init__(self) -> None:
        if self.max_requests < 3:
            raise ValueError("max_requests must be at least 3 (robots.txt, a sitemap, the home)")
        if self.per_shape < 1 or self.per_mixed_shape < self.per_shape:
            raise ValueError("per_shape must be at least 1 and per_mixed_shape at least that")


@dataclass(slots=True)
class Found:
    """A page the sample knows of: from a sitemap or a link."""

    key: str
    path: str  # canonical path (no trailing slash)
    written: str  # the path as first written (trailing slash kept)
    params: tuple[str, ...]  # names of its query parameters
    target: Target
    order: int
    in_sitemap: bool = False


@dataclass(slots=True)
class Visit:
    """A page fetched: what came back and what the parser found on it."""

    key: str
    outcome: str  # fetched, gone, failed, skipped, refused, robots, redirect
    status: int | None = None
    final_key: str | None = None  # a redirect to another page (which has its own visit)
    kind: str | None = None  # the parser's verdict: project, not_project, invalid
    facts: tuple[str, ...] = ()  # of period, funders, contact, status
    links: frozenset[str] = frozenset()  # keys of the in-scope pages it links to
    lang: str | None = None
    cms: frozenset[str] = frozenset()
    phones: tuple[str, ...] = ()  # tel: links with a country code, as +NN...
    postcodes: tuple[str, ...] = ()  # of the record's contact

    @property
    def html(self) -> bool:
        return self.outcome == "fetched"


@dataclass(frozen=True, slots=True)
class HomeFacts:
    title: str | None
    site_name: str | None  # og:site_name
    lang: str | None
    canonical: str | None  # the canonical link or og:url, as written


@dataclass(slots=True)
class Sample:
    home_url: str
    origin: str
    origin_from: str  # "--origin", "the home page's canonical link", ...
    base_url: str | None  # where pages were fetched, when not the origin (a mirror)
    home_path: str = "/"
    home: HomeFacts | None = None
    home_error: str | None = None  # why the home page gave nothing
    robots_found: bool = False
    found: dict[str, Found] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    sitemaps: list[str] = field(default_factory=list)  # root sitemap paths that answered
    params: Counter[str] = field(default_factory=Counter)  # query parameter names in links
    requests: int = 0
    robots_blocked: int = 0
    unsampled: int = 0  # pages not fetched
    cut_short: bool = False  # the budget ran out before every shape had its samples

    def shapes(self) -> dict[str, Shape]:
        """The shape of every known page, by key."""
        by_path = shapes({f.path for f in self.found.values()})
        return {key: by_path[f.path] for key, f in self.found.items()}


def sample_profile(origin: str) -> SiteProfile:
    """A profile for which every page of the site is in scope."""
    return SiteProfile(
        id="sample",
        name="sample",
        origin=origin,
        project_paths=("^/",),
        ignored_params=SAMPLE_IGNORED,
    )


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _site(url: str) -> tuple[str, int | None]:
    """The bare host and explicit port of a URL: ``www.x.de`` and ``x.de`` are one site."""
    parts = urlsplit(url)
    return bare_host(parts.hostname or ""), parts.port


def _is_private(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback


def home_facts(text: str) -> HomeFacts:
    tree = LexborHTMLParser(text)

    def attr(selector: str, name: str) -> str | None:
        node = tree.css_first(selector)
        value = node.attributes.get(name) if node is not None else None
        return value.strip() if value and value.strip() else None

    title = tree.css_first("title")
    return HomeFacts(
        title=title.text(strip=True) or None if title is not None else None,
        site_name=attr('meta[property="og:site_name"]', "content"),
        lang=attr("html", "lang"),
        canonical=attr('link[rel="canonical"]', "href")
        or attr('meta[property="og:url"]', "content"),
    )


def _cms(text: str) -> frozenset[str]:
    lowered = text.lower()
    return frozenset(
        name for name, marks in CMS_MARKERS.items() if any(m in lowered for m in marks)
    )


def _phones(hrefs: list[str]) -> tuple[str, ...]:
    found = []
    for href in hrefs:
        if href.lower().startswith("tel:"):
            number = "".join(c for c in href[4:] if c.isdigit() or c == "+")
            if number.startswith("00"):
                number = "+" + number[2:]
            if number.startswith("+"):
                found.append(number)
    return tuple(found)


class _Sampler:
    def __init__(
        self, home_url: str, client: httpx.AsyncClient, settings: SampleSettings, origin: str | None
    ) -> None:
        parts = urlsplit(home_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"{home_url!r} is not an http(s) URL; give the site's home page, e.g. "
                "https://www.my-foundation.de/"
            )
        self.client = client
        self.settings = settings
        self.fetch_origin = _origin_of(home_url)
        self.home_path = parts.path or "/"
        self.given_origin = _origin_of(origin) if origin else None
        self.gate = HostGate(settings.crawl.concurrency, settings.crawl.delay)
        self.robots: Protego | None = None
        self.spent = 0  # requests of fetchers no longer in use
        self.scope = Scope(sample_profile(self.fetch_origin))
        self.fetcher = Fetcher(client, settings.crawl, self.scope, self.gate)
        self.sample = Sample(home_url, self.fetch_origin, "the home URL", None, self.home_path)
        self._order = 0
        self._shapes: dict[str, Shape] = {}

    @property
    def requests(self) -> int:
        return self.spent + self.fetcher.requests

    def _left(self) -> int:
        return self.settings.max_requests - self.requests

    # -- the phases ------------------------------------------------------------------------
    async def run(self) -> Sample:
        await self._read_robots()
        home = await self._fetch_home()
        self._retarget(home)
        if home is not None:
            self._visit(home.target, home)
        await self._read_sitemaps()
        await self._sample_pages()
        self.sample.requests = self.requests
        self.sample.unsampled = sum(1 for k in self.sample.found if k not in self.sample.visits)
        return self.sample

    async def _read_robots(self) -> None:
        target = self.scope.target(self.fetch_origin + "/robots.txt", "robots")
        assert target is not None
        result = await self.fetcher.fetch(target)
        status = result.status or 0
        if result.outcome == "fetched":
            self.robots = parse_robots(result.body)
            self.sample.robots_found = True
            delay = self.robots.crawl_delay(ROBOTS_AGENT)
            if delay is not None and float(delay) > self.gate.delay:
                self.gate.delay = float(delay)
        elif not 400 <= status < 500 or status in (408, 429):
            # A robots.txt that cannot be read forbids everything (RFC 9309 2.3.1.4).
            raise ProposeError(
                f"robots.txt at {target.fetch_url} could not be read ({result.error}: "
                f"{result.detail or 'no detail'}); nothing else was fetched. Is the URL right?"
            )

    async def _fetch_home(self) -> FetchResult | None:
        target = self.scope.target(self.fetch_origin + self.home_path)
        assert target is not None
        if not self._allowed(target):
            self.sample.robots_blocked += 1
            self.sample.home_error = "robots.txt disallows it"
            return None
        result = await self.fetcher.fetch(target)
        if result.outcome == "fetched":
            return result
        self.sample.home_error = f"{result.outcome}, {result.error or result.status}"
        return None

    def _retarget(self, home: FetchResult | None) -> None:
        """Settle the site's canonical origin; fetch from there when it is the address given
        (``www.`` or not, http or https), else keep fetching from the address given."""
        named = self.fetch_origin
        if home is not None and home.redirects:  # followed on the address given: read where to
            location = _origin_of(home.redirects[-1].location)
            if _site(location) == _site(self.fetch_origin):
                named = location
        facts = home_facts(decode_html(home.body, home.content_type)[0]) if home else None
        self.sample.home = facts
        origin, source = self._origin(named, facts)
        self.sample.origin, self.sample.origin_from = origin, source
        base = None if _site(origin) == _site(self.fetch_origin) else self.fetch_origin
        self.sample.base_url = base
        self.spent += self.fetcher.requests
        self.scope = Scope(sample_profile(origin), base)
        self.fetcher = Fetcher(self.client, self.settings.crawl, self.scope, self.gate)
        if home is not None:
            path = urlsplit(home.final_url).path or "/"
            target = self.scope.target(origin + path)
            assert target is not None
            home.target = home.final_target = target
            self.sample.home_path = path

    def _origin(self, named: str, facts: HomeFacts | None) -> tuple[str, str]:
        if self.given_origin:
            return self.given_origin, "--origin"
        canonical = absolute(facts.canonical, named + "/") if facts and facts.canonical else None
        if canonical:
            return _origin_of(canonical), "the home page's canonical link"
        host = urlsplit(self.fetch_origin).hostname or ""
        if self.robots is not None:
            for url in sitemap_urls(self.robots, self.fetch_origin + "/robots.txt"):
                if _is_private(host) or _site(url) == _site(self.fetch_origin):
                    return _origin_of(url), "the Sitemap: line of robots.txt"
        return named, "the home URL" if named == self.fetch_origin else "the home URL's redirect"

    async def _read_sitemaps(self) -> None:
        origin = self.sample.origin
        roots = sitemap_urls(self.robots, origin + "/robots.txt") if self.robots else []
        roots += [origin + p for p in SITEMAP_GUESSES]
        pending = [(t, True) for url in roots if (t := self.scope.target(url, "sitemap"))]
        seen: set[str] = set()
        read = 0
        while pending and read < self.settings.max_sitemaps and self._left() > 0:
            target, root = pending.pop(0)
            if target.key in seen:
                continue
            seen.add(target.key)
            read += 1
            result = await self.fetcher.fetch(target)
            if result.outcome != "fetched":
                continue
            try:
                sitemap = parse_sitemap(result.body, self.settings.crawl.max_decoded_bytes)
            except SitemapError:
                continue
            if root and (sitemap.urls or sitemap.sitemaps):
                self.sample.sitemaps.append(urlsplit(target.site_url).path)
            pending += [
                (t, False) for loc in sitemap.sitemaps if (t := self.scope.target(loc, "sitemap"))
            ]
            for loc, _lastmod in sitemap.urls:
                self._find(loc, sitemap=True)

    async def _sample_pages(self) -> None:
        while True:
            batch = self._next(min(self.settings.crawl.concurrency, max(self._left(), 1)))
            if not batch:
                return
            if self._left() <= 0:
                self.sample.cut_short = True
                return
            results = await asyncio.gather(*(self._fetch(f.target) for f in batch))
            for found, result in zip(batch, results, strict=True):
                self._visit(found.target, result)

    async def _fetch(self, target: Target) -> FetchResult | None:
        if not self._allowed(target):
            return None
        return await self.fetcher.fetch(target)

    # -- choosing ---------------------------------------------------------------------------
    def _next(self, count: int) -> list[Found]:
        """Unfetched pages of the shapes sampled least, the biggest shapes first."""
        if len(self.sample.found) != len(self._shapes):  # shapes change as pages are found
            self._shapes = self.sample.shapes()
        by_key = self._shapes
        units: dict[tuple[Shape, tuple[str, ...]], list[Found]] = {}
        for key, found in self.sample.found.items():
            units.setdefault((by_key[key], found.params), []).append(found)
        choices: list[tuple[int, int, int, Found]] = []
        for members in units.values():
            visits = [v for f in members if (v := self.sample.visits.get(f.key))]
            left = [f for f in members if f.key not in self.sample.visits]
            quota = self._quota(visits)
            if not left or len(visits) >= quota:
                continue
            left.sort(key=lambda f: f.order)
            for rank, found in enumerate(left[: quota - len(visits)]):
                choices.append((len(visits) + rank, -len(members), found.order, found))
        choices.sort(key=lambda c: c[:3])
        return [c[3] for c in choices[:count]]

    def _quota(self, visits: list[Visit]) -> int:
        pages = [v for v in visits if v.html]
        if len(visits) >= 2 and not pages:
            return 0  # gone, failing or redirecting elsewhere: a dead shape
        kinds = {v.kind == "project" for v in pages}
        weak = any(v.kind == "project" and v.facts == ("contact",) for v in pages)
        mixed = len(kinds) > 1 or weak
        return self.settings.per_mixed_shape if mixed else self.settings.per_shape

    # -- recording --------------------------------------------------------------------------
    def _allowed(self, target: Target) -> bool:
        address = self.scope.site_address(target.fetch_url)
        return self.robots is None or self.robots.can_fetch(address, ROBOTS_AGENT)

    def _find(self, url: str, sitemap: bool = False) -> str | None:
        path = urlsplit(url).path
        if path.lower().endswith(FILE_SUFFIXES):
            return None
        target = self.scope.target(url)
        if target is None:
            return None
        found = self.sample.found.get(target.key)
        if found is None:
            query = urlsplit(url).query
            names = [k for k, _ in parse_qsl(query, keep_blank_values=True)]
            self.sample.params.update(names)
            kept = tuple(sorted({n for n in names if self.scope.profile.keep_param(n)}))
            canonical = urlsplit(target.site_url).path or "/"
            self._order += 1
            found = Found(target.key, canonical, path or "/", kept, target, self._order)
            self.sample.found[target.key] = found
        found.in_sitemap = found.in_sitemap or sitemap
        return target.key

    def _visit(self, target: Target, result: FetchResult | None) -> None:
        self._find(target.site_url)
        if result is None:
            self.sample.robots_blocked += 1
            self.sample.visits[target.key] = Visit(target.key, "robots")
            return
        final = result.final_target
        if final is not None and final.key != target.key:
            self._find(final.site_url)
            self.sample.visits[target.key] = Visit(
                target.key, "redirect", result.status, final_key=final.key
            )
            if final.key in self.sample.visits:
                return
            target = final
        if result.outcome != "fetched":
            self.sample.visits[target.key] = Visit(target.key, result.outcome, result.status)
            return
        self.sample.visits[target.key] = self._read(target, result)

    def _read(self, target: Target, result: FetchResult) -> Visit:
        text, _codec = decode_html(result.body, result.content_type)
        parsed = parse_page(result.body, target.site_url, self.scope.profile, result.content_type)
        page_url = self.scope.site_address(result.final_url or target.fetch_url)
        hrefs, base = page_hrefs(text)
        links = {
            key
            for url in resolve_links(hrefs, base, page_url)
            if (key := self._find(url)) and key != target.key
        }
        record = parsed.record
        facts: tuple[str, ...] = ()
        postcodes: tuple[str, ...] = ()
        if record is not None:
            present = (
                record.period is not None,
                bool(record.funders),
                record.contact is not None,
                record.status != "unknown",
            )
            facts = tuple(name for name, there in zip(_FACT_NAMES, present, strict=True) if there)
            code = record.contact.postal_code if record.contact else None
            postcodes = (code,) if code else ()
        return Visit(
            target.key,
            "fetched",
            result.status,
            kind=parsed.kind,
            facts=facts,
            links=frozenset(links),
            lang=home_facts(text).lang,
            cms=_cms(text),
            phones=_phones(hrefs),
            postcodes=postcodes,
        )


async def sample_site(
    home_url: str,
    client: httpx.AsyncClient,
    settings: SampleSettings | None = None,
    origin: str | None = None,
) -> Sample:
    """Sample the site whose home page is ``home_url`` (``origin``: its canonical origin, when
    ``home_url`` is a mirror; otherwise the home page's canonical link says it, or, on a
    loopback or private address, the robots.txt's Sitemap: line)."""
    return await _Sampler(home_url, client, settings or SampleSettings(), origin).run()
