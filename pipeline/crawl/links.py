"""Links out of pages and sitemaps: the raw material of discovery."""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

_URL_BLOCK = re.compile(rb"<(?:\w+:)?url\b[^>]*>(.*?)</(?:\w+:)?url\s*>", re.S | re.I)
_SITEMAP_BLOCK = re.compile(rb"<(?:\w+:)?sitemap\b[^>]*>(.*?)</(?:\w+:)?sitemap\s*>", re.S | re.I)
_LOC = re.compile(rb"<(?:\w+:)?loc\b[^>]*>\s*(.*?)\s*</(?:\w+:)?loc\s*>", re.S | re.I)
_LASTMOD = re.compile(rb"<(?:\w+:)?lastmod\b[^>]*>\s*(.*?)\s*</(?:\w+:)?lastmod\s*>", re.S | re.I)
_CDATA = re.compile(rb"^<!\[CDATA\[(.*)\]\]>$", re.S)


def page_links(text: str) -> list[str]:
    """The ``href`` of every link in an HTML page, as written."""
    tree = LexborHTMLParser(text)
    return [href for node in tree.css("a[href], area[href]") if (href := node.attributes["href"])]


@dataclass(slots=True)
class Sitemap:
    urls: list[tuple[str, str | None]] = field(default_factory=list)  # (loc, lastmod)
    sitemaps: list[str] = field(default_factory=list)  # nested sitemaps of an index


class SitemapTooLarge(ValueError):
    pass


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress gzip/zlib data, refusing output beyond ``limit`` bytes (gzip bombs)."""
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, detected
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise SitemapTooLarge(f"decompresses to more than {limit} bytes")
    return out


def _text(raw: bytes) -> str:
    raw = raw.strip()
    cdata = _CDATA.match(raw)
    if cdata:
        raw = cdata.group(1).strip()
    return html.unescape(raw.decode("utf-8", "replace"))


def parse_sitemap(data: bytes, limit: int = 50 * 2**20) -> Sitemap:
    """A sitemap or sitemap index (plain or gzip) as its URLs with lastmod, and nested maps."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, limit)
    sitemap = Sitemap()
    for block in _SITEMAP_BLOCK.finditer(data):
        loc = _LOC.search(block.group(1))
        if loc:
            sitemap.sitemaps.append(_text(loc.group(1)))
    for block in _URL_BLOCK.finditer(data):
        loc = _LOC.search(block.group(1))
        if loc:
            lastmod = _LASTMOD.search(block.group(1))
            sitemap.urls.append((_text(loc.group(1)), _text(lastmod.group(1)) if lastmod else None))
    return sitemap
