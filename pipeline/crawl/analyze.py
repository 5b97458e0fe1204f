"""The CPU-bound half of a crawl: decode, parse and extract links from a fetched body.

A module-level function of plain data so that it runs in worker processes as well as inline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from pipeline.crawl.links import SitemapError, page_links, parse_sitemap
from pipeline.crawl.scope import Scope
from pipeline.decode import decode_html
from pipeline.model import PageKind, ParseResult, Target
from pipeline.parse import parse_page
from pipeline.urls import absolute


@dataclass(frozen=True, slots=True)
class AnalysisJob:
    kind: PageKind
    site_url: str  # the page's canonical URL on the site's origin
    page_url: str  # the address as served, on the site's origin: the base of relative links
    body: bytes
    content_type: str | None
    max_sitemap_bytes: int


@dataclass(frozen=True, slots=True)
class Found:
    """A link worth following, with the sitemap's lastmod when it came from one."""

    target: Target
    lastmod: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    parse: ParseResult | None
    found: tuple[Found, ...]
    error: str | None = None
    record_json: str | None = None  # the record serialized here, off the main process


def analyze(scope: Scope, job: AnalysisJob) -> Analysis:
    """Analyse one fetched body of ``scope``'s site (workers get the scope once, at start)."""
    if job.kind == "sitemap":
        try:
            sitemap = parse_sitemap(job.body, job.max_sitemap_bytes)
        except SitemapError as exc:
            return Analysis(None, (), f"sitemap {job.site_url} {exc}")
        found = [Found(t) for loc in sitemap.sitemaps if (t := scope.target(loc, "sitemap"))]
        found += [Found(t, lastmod) for loc, lastmod in sitemap.urls if (t := scope.target(loc))]
        return Analysis(None, tuple(found))
    parse: ParseResult | None = None
    urls: list[str]
    if job.kind == "project":
        parse = parse_page(job.body, job.site_url, scope.profile, job.content_type)
        urls = [url for href in parse.links if (url := absolute(href, job.page_url))]
    else:
        text, _codec = decode_html(job.body, job.content_type)
        urls = page_links(text, job.page_url)
    found_targets: dict[str, Found] = {}
    for url in urls:
        target = scope.target(url)
        if target is not None and target.key not in found_targets:
            found_targets[target.key] = Found(target)
    if parse is not None and parse.links:
        parse = replace(parse, links=())  # resolved above; not worth sending back
    record_json = parse.record.model_dump_json() if parse and parse.record else None
    return Analysis(parse, tuple(found_targets.values()), record_json=record_json)


def analyze_site(scopes: Mapping[str, Scope], job: tuple[str, AnalysisJob]) -> Analysis:
    """Analyse one body of any of several sites: a shared worker gets every site's scope once,
    at start, and each job names its site."""
    site, analysis_job = job
    return analyze(scopes[site], analysis_job)
