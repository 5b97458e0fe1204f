"""Links out of pages and sitemaps: the raw material of discovery.

Sitemaps are read with patterns rather than an XML parser, so that a truncated or malformed one
still yields what it holds, but as an XML parser reads them: in the encoding a byte-order mark or
the XML declaration names (UTF-8 otherwise), comments skipped, only XML's own entities decoded
(``&section=`` in a ``<loc>`` is not ``§ion=``), and the page is the ``<loc>`` of the ``<url>``
itself, not one inside an extension element (``<image:image><image:loc>``, ``<video:video>``).
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from pipeline.extract.nesting import cap_nesting
from pipeline.urls import absolute

# A block and its prefix (group 1; None without one) and content (group 2).
_URL_BLOCK = re.compile(r"<(?:([\w.-]+):)?url\b[^>]*>(.*?)</(?:[\w.-]+:)?url\s*>", re.S | re.I)
_SITEMAP_BLOCK = re.compile(
    r"<(?:([\w.-]+):)?sitemap\b[^>]*>(.*?)</(?:[\w.-]+:)?sitemap\s*>", re.S | re.I
)
_LOC = re.compile(r"<(?:[\w.-]+:)?loc\b[^>]*>(.*?)</(?:[\w.-]+:)?loc\s*>", re.S | re.I)
_LASTMOD = re.compile(r"<(?:[\w.-]+:)?lastmod\b[^>]*>(.*?)</(?:[\w.-]+:)?lastmod\s*>", re.S | re.I)
# An element with a prefix (group 1 or 2), empty or with its content: inside a block, one whose
# prefix is not the block's own is an extension (image, video, news, xhtml:link).
_PREFIXED = re.compile(
    r"<([\w.-]+):[\w.-]+\b[^>]*?/>|<([\w.-]+):([\w.-]+)\b[^>]*>.*?</\2:\3\s*>", re.S
)
_PREFIXED_TAG = re.compile(r"<[\w.-]+:")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CDATA = re.compile(r"^<!\[CDATA\[(.*)\]\]>$", re.S)
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_DECLARED = re.compile(rb"<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# Labels browsers read as another encoding (the WHATWG Encoding Standard), by Python's codec name.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
# Byte-order marks, UTF-32 before UTF-16 (FF FE starts both), and the codec for what follows.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def page_hrefs(text: str) -> tuple[list[str], str | None]:
    """The ``href`` of every link in an HTML page as written, and its ``<base href>``."""
    tree = LexborHTMLParser(cap_nesting(text)[0])
    base = tree.css_first("base[href]")
    hrefs = [href for node in tree.css("a[href], area[href]") if (href := node.attributes["href"])]
    return hrefs, (base.attributes.get("href") or None) if base is not None else None


def resolve_links(hrefs: list[str], base: str | None, page_url: str) -> list[str]:
    """The http(s) links among ``hrefs``, absolute: relative ones are relative to the page's
    ``<base href>`` when it has one (Contao and others write one and relative links), else to
    the page's own address ``page_url``."""
    against = (absolute(base, page_url) if base else None) or page_url
    return [url for href in hrefs if (url := absolute(href, against))]


def page_links(text: str, page_url: str) -> list[str]:
    """Every http(s) link of an HTML page served at ``page_url``, absolute."""
    return resolve_links(*page_hrefs(text), page_url)


@dataclass(slots=True)
class Sitemap:
    urls: list[tuple[str, str | None]] = field(default_factory=list)  # (loc, lastmod)
    sitemaps: list[str] = field(default_factory=list)  # nested sitemaps of an index


class SitemapError(ValueError):
    """A sitemap that cannot be read; the message completes "sitemap <url> ..."."""


class SitemapTooLarge(SitemapError):
    pass


class SitemapCorrupt(SitemapError):
    pass


def _is_compressed(data: bytes) -> bool:
    """gzip's magic number, or a zlib header (deflate, a valid window, the header checksum)."""
    if data[:2] == b"\x1f\x8b":
        return True
    return (
        len(data) >= 2
        and data[0] & 0x0F == 8
        and data[0] >> 4 <= 7
        and ((data[0] << 8 | data[1]) % 31 == 0)
    )


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress gzip/zlib data, refusing output beyond ``limit`` bytes (gzip bombs)."""
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, detected
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise SitemapCorrupt(f"is compressed but cannot be decompressed ({exc})") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise SitemapTooLarge(f"decompresses to more than {limit} bytes")
    if not out and not inflater.eof:  # a truncated stream still yields what it holds
        raise SitemapCorrupt("is compressed but ends before any content")
    return out


def sitemap_text(data: bytes) -> str:
    """A sitemap's bytes as text: the encoding its byte-order mark names, or (without one) its
    XML declaration, when that is an encoding Python knows that writes ASCII as ASCII (labels
    read as browsers do: ISO-8859-1 is windows-1252); UTF-16 without a mark is told by its zero
    bytes; anything else is read as UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    if data[:2] in (b"<\x00", b"\x00<"):
        return data.decode("utf-16-le" if data[0] else "utf-16-be", "replace")
    declared = _DECLARED.search(data, 0, 1024)
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = "utf-8"
        codec = _WHATWG_ALIASES.get(codec, codec)
        if "<?xml".encode(codec, "replace") == b"<?xml":  # not a UTF-16 claim in ASCII bytes
            return data.decode(codec, "replace")
    return data.decode("utf-8", "replace")


def _entity(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name:
        return _XML_ENTITIES[name]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return match.group(0)  # not a character: left as written
    return chr(code)


def _text(raw: str) -> str:
    raw = raw.strip()
    cdata = _CDATA.match(raw)
    if cdata:
        return cdata.group(1).strip()
    return _ENTITY.sub(_entity, raw) if "&" in raw else raw


def _own(block: re.Match[str], prefixed: bool) -> str:
    """A block's content without extension elements (those with another prefix); ``prefixed``
    says whether the document has any prefixed element (most have none)."""
    prefix, content = block.group(1), block.group(2)
    if not prefixed or "<" not in content:
        return content
    return _PREFIXED.sub(
        lambda m: m.group(0) if (m.group(1) or m.group(2)) == prefix else "", content
    )


def parse_sitemap(data: bytes, limit: int = 50 * 2**20) -> Sitemap:
    """A sitemap or sitemap index (plain, gzip or zlib) as its URLs with lastmod, and nested maps.

    Raises SitemapTooLarge or SitemapCorrupt (both SitemapError) for compressed data that
    inflates beyond ``limit`` bytes or cannot be inflated.
    """
    if _is_compressed(data):
        data = gunzip_capped(data, limit)
    text = sitemap_text(data)
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    prefixed = _PREFIXED_TAG.search(text) is not None
    sitemap = Sitemap()
    for block in _SITEMAP_BLOCK.finditer(text):
        loc = _LOC.search(_own(block, prefixed))
        if loc:
            sitemap.sitemaps.append(_text(loc.group(1)))
    for block in _URL_BLOCK.finditer(text):
        content = _own(block, prefixed)
        loc = _LOC.search(content)
        if loc:
            lastmod = _LASTMOD.search(content)
            sitemap.urls.append((_text(loc.group(1)), _text(lastmod.group(1)) if lastmod else None))
    return sitemap
