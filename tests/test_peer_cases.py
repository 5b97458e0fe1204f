"""Cases from peers' test suites, as input/expected tables against our sitemap reader, robots.txt
handling and URL keys.

The inputs follow the cases of Scrapy's sitemap tests (``tests/test_utils_sitemap.py``),
ultimate-sitemap-parser's malformed sitemaps, Google's robots.txt parser tests
(``robots_test.cc``, with ``FooBot`` as our ``foundation-pipeline``) and w3lib's
``canonicalize_url`` tests, rewritten for this project; the expected outputs are ours. Where we
knowingly differ from a peer, the case says so. Cases for behaviour we do not have are marked
``xfail(strict=True)`` with the reason, so that they are counted and noticed when they start to
pass.
"""

from __future__ import annotations

import codecs
import gzip
import zlib

import pytest

from pipeline.crawl.links import SitemapCorrupt, parse_sitemap
from pipeline.crawl.robots import parse_robots, robots_text, sitemap_urls
from pipeline.crawl.scope import Scope
from pipeline.crawl.settings import ROBOTS_AGENT
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.urls import bare_host, canonical_key, canonical_url, normal_escapes
from tests.crawl_support import SITE, crawl
from tests.spi import SPI

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
VIDEO_NS = 'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"'
XHTML_NS = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'
DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _urlset(body: str, decl: str = DECL, extra_ns: str = "") -> bytes:
    return f"{decl}<urlset {NS} {extra_ns}>\n{body}\n</urlset>\n".encode()


def _utf16(text: str, codec: str, bom: bytes = b"") -> bytes:
    return bom + text.encode(codec)


_PLAIN = f'<?xml version="1.0" encoding="UTF-16"?><urlset {NS}><url><loc>https://x.de/ü</loc></url></urlset>'
_LATIN1 = f'<?xml version="1.0" encoding="ISO-8859-1"?><urlset {NS}><url><loc>https://x.de/b'
_CP1252 = f"<?xml version='1.0' encoding='windows-1252'?><urlset {NS}><url><loc>https://x.de/"

# -- sitemaps ------------------------------------------------------------------------------------
# (sitemap bytes, expected (loc, lastmod) pairs, expected nested sitemaps)
SITEMAPS = [
    pytest.param(
        _urlset(
            "<url><loc>http://www.example.com/</loc><lastmod>2009-08-16</lastmod>"
            "<changefreq>daily</changefreq><priority>1</priority></url>"
            "<url><loc>http://www.example.com/Special-Offers.html</loc>"
            "<lastmod>2009-08-16</lastmod><priority>0.8</priority></url>"
        ),
        [
            ("http://www.example.com/", "2009-08-16"),
            ("http://www.example.com/Special-Offers.html", "2009-08-16"),
        ],
        [],
        id="scrapy-urlset",
    ),
    pytest.param(
        (
            f"{DECL}<sitemapindex {NS}>"
            "<sitemap><loc>http://www.example.com/sitemap1.xml.gz</loc>"
            "<lastmod>2004-10-01T18:23:17+00:00</lastmod></sitemap>"
            "<sitemap><loc>http://www.example.com/sitemap2.xml.gz</loc></sitemap>"
            "</sitemapindex>"
        ).encode(),
        [],
        ["http://www.example.com/sitemap1.xml.gz", "http://www.example.com/sitemap2.xml.gz"],
        id="scrapy-index",
    ),
    pytest.param(
        _urlset(
            "<url><loc> http://www.example.com/</loc></url>\n<url><loc>\n  http://www.example.com/2\n</loc></url>"
        ),
        [("http://www.example.com/", None), ("http://www.example.com/2", None)],
        [],
        id="scrapy-strip",
    ),
    pytest.param(
        _urlset('<url xmlns=""><loc>http://www.example.com/</loc></url>'),
        [("http://www.example.com/", None)],
        [],
        id="scrapy-wrong-ns",
    ),
    pytest.param(
        b"<?xml version='1.0'?>\n<urlset><url><loc>http://www.example.com/</loc></url></urlset>",
        [("http://www.example.com/", None)],
        [],
        id="scrapy-no-ns",
    ),
    pytest.param(
        (
            f"{DECL}<sitemapindex {NS}>\n\n<sitemap>\n\n<loc>http://www.example.com/sitemap1.xml"
            "</loc>\n\n</sitemap>\n\n</sitemapindex>"
        ).encode(),
        [],
        ["http://www.example.com/sitemap1.xml"],
        id="scrapy-blank-lines",
    ),
    pytest.param(
        _urlset(
            "<url><loc>http://www.example.com/</loc></url>\n"
            "<!-- <url><loc>http://www.example.com/2</loc></url> -->\n"
            "<!--\n<url>\n  <loc>http://www.example.com/3</loc>\n</url>\n-->"
        ),
        [("http://www.example.com/", None)],
        [],
        id="scrapy-comment",
    ),
    pytest.param(
        _urlset(
            "<url><loc>http://www.example.com/english/</loc>"
            '<xhtml:link rel="alternate" hreflang="de" href="http://www.example.com/deutsch/"/>'
            '<xhtml:link rel="alternate" hreflang="en" href="http://www.example.com/english/"/>'
            "</url>",
            extra_ns=XHTML_NS,
        ),
        [("http://www.example.com/english/", None)],
        [],
        id="scrapy-alternate",
    ),
    pytest.param(
        (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE foo [\n<!ELEMENT foo ANY >\n'
            '<!ENTITY xxe SYSTEM "file:///etc/passwd" >\n]>\n'
            f"<urlset {NS}><url><loc>http://127.0.0.1:8000/&xxe;</loc></url></urlset>"
        ).encode(),
        # Scrapy drops the unresolved entity; we leave it as written and never resolve it.
        [("http://127.0.0.1:8000/&xxe;", None)],
        [],
        id="scrapy-xml-entity-expansion",
    ),
    pytest.param(
        _urlset(
            "<url><image:image><image:loc>http://x.de/a.jpg</image:loc></image:image>"
            "<loc>http://x.de/page</loc><lastmod>2024-01-02</lastmod></url>",
            extra_ns=IMAGE_NS,
        ),
        [("http://x.de/page", "2024-01-02")],
        [],
        id="image-loc-before-loc",
    ),
    pytest.param(
        _urlset(
            "<url><image:loc>http://x.de/a.jpg</image:loc><loc>http://x.de/page</loc></url>",
            extra_ns=IMAGE_NS,
        ),
        [("http://x.de/page", None)],
        [],
        id="bare-image-loc-before-loc",
    ),
    pytest.param(
        _urlset(
            "<url><video:video><video:thumbnail_loc>http://x.de/t.jpg</video:thumbnail_loc>"
            "<video:content_loc>http://x.de/v.mp4</video:content_loc>"
            "<video:player_loc>http://x.de/player</video:player_loc>"
            "<video:publication_date>2020-01-01</video:publication_date>"
            "</video:video><loc>http://x.de/video-page</loc></url>",
            extra_ns=VIDEO_NS,
        ),
        [("http://x.de/video-page", None)],
        [],
        id="video-before-loc",
    ),
    pytest.param(
        (
            f'{DECL}<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9" {IMAGE_NS}>'
            "<sm:url><image:image><image:loc>http://x.de/a.jpg</image:loc></image:image>"
            "<sm:loc>http://x.de/page</sm:loc><sm:lastmod>2024-05-06</sm:lastmod></sm:url>"
            "</sm:urlset>"
        ).encode(),
        [("http://x.de/page", "2024-05-06")],
        [],
        id="prefixed-sitemap-namespace",
    ),
    pytest.param(
        _urlset("<url><loc>http://x.de/list?id=1&section=2&copy=3&para=4&not=5&auml=6</loc></url>"),
        [("http://x.de/list?id=1&section=2&copy=3&para=4&not=5&auml=6", None)],
        [],
        id="bare-ampersands-stay",
    ),
    pytest.param(
        _urlset(
            "<url><loc>http://x.de/a?b=1&amp;c=2&#38;d=3&#x26;e=&lt;&gt;&quot;&apos;</loc></url>"
        ),
        [("http://x.de/a?b=1&c=2&d=3&e=<>\"'", None)],
        [],
        id="xml-entities-decoded",
    ),
    pytest.param(
        _urlset("<url><loc>http://x.de/a?s=&section;&copy;&auml;&#0;&#xD800;&AMP;</loc></url>"),
        # HTML's names, non-characters and a wrong-case name are not XML's: left as written.
        [("http://x.de/a?s=&section;&copy;&auml;&#0;&#xD800;&AMP;", None)],
        [],
        id="html-entities-stay",
    ),
    pytest.param(
        _urlset("<url><loc><![CDATA[http://x.de/a?b=1&c=2&amp;d=3]]></loc></url>"),
        [("http://x.de/a?b=1&c=2&amp;d=3", None)],
        [],
        id="cdata-not-decoded",
    ),
    pytest.param(
        _LATIN1.encode() + b"\xfccher</loc></url></urlset>",
        [("https://x.de/b\u00fccher", None)],
        [],
        id="declared-iso-8859-1",
    ),
    pytest.param(
        _LATIN1.encode() + b"is\x96ab</loc></url></urlset>",
        [("https://x.de/bis\u2013ab", None)],
        [],
        id="declared-iso-8859-1-read-as-windows-1252",  # as browsers and our HTML decoding do
    ),
    pytest.param(
        _CP1252.encode() + b"\x9aola-\x80</loc></url></urlset>",
        [("https://x.de/\u0161ola-\u20ac", None)],
        [],
        id="declared-windows-1252",
    ),
    pytest.param(
        b'<?xml version="1.0" encoding="no-such-codec"?>'
        + f"<urlset {NS}><url><loc>https://x.de/\u00e4</loc></url></urlset>".encode(),
        [("https://x.de/\u00e4", None)],
        [],
        id="declared-unknown-read-as-utf-8",
    ),
    pytest.param(
        _PLAIN.encode(),  # says UTF-16 but is written in single bytes (UTF-8)
        [("https://x.de/\u00fc", None)],
        [],
        id="declared-utf-16-but-bytes-are-ascii",
    ),
    pytest.param(
        _utf16(_PLAIN, "utf-16-le", codecs.BOM_UTF16_LE),
        [("https://x.de/\u00fc", None)],
        [],
        id="utf-16-le-bom",
    ),
    pytest.param(
        _utf16(_PLAIN, "utf-16-be", codecs.BOM_UTF16_BE),
        [("https://x.de/\u00fc", None)],
        [],
        id="utf-16-be-bom",
    ),
    pytest.param(
        _utf16(_PLAIN, "utf-16-le"),
        [("https://x.de/\u00fc", None)],
        [],
        id="utf-16-le-no-bom",
    ),
    pytest.param(
        codecs.BOM_UTF8 + _urlset("<url><loc>https://x.de/\u00e4</loc></url>"),
        [("https://x.de/\u00e4", None)],
        [],
        id="usp-utf-8-bom",
    ),
    pytest.param(
        gzip.compress(_urlset("<url><loc>https://x.de/gz</loc></url>")),
        [("https://x.de/gz", None)],
        [],
        id="usp-gzip",
    ),
    pytest.param(
        zlib.compress(_urlset("<url><loc>https://x.de/zlib</loc></url>")),
        [("https://x.de/zlib", None)],
        [],
        id="zlib",
    ),
    pytest.param(
        zlib.compress(_LATIN1.encode() + b"\xe4</loc></url></urlset>", 9),
        [("https://x.de/b\u00e4", None)],
        [],
        id="zlib-declared-latin-1",
    ),
    pytest.param(
        _urlset(
            "<url><loc>https://x.de/1</loc></url><url><loc>https://x.de/2</loc><lastmod>2020",
            decl=DECL,
        ).replace(b"</urlset>", b""),
        [("https://x.de/1", None)],
        [],
        id="usp-prematurely-ending-xml",
    ),
    pytest.param(
        b"\n\n  garbage " + _urlset("<url><loc>https://x.de/1</loc></url>"),
        [("https://x.de/1", None)],
        [],
        id="usp-junk-before-declaration",
    ),
    pytest.param(
        _urlset("<URL><LOC>https://x.de/UP</LOC><LastMod>2021-02-03</LastMod></URL>"),
        [("https://x.de/UP", "2021-02-03")],
        [],
        id="usp-uppercase-tags",
    ),
    pytest.param(
        _urlset(
            "<url><lastmod>2021-01-01</lastmod></url><url><loc>https://x.de/ok</loc></url>"
            "<url><loc></loc></url>"
        ),
        [("https://x.de/ok", None), ("", None)],
        [],
        id="usp-url-without-loc",
    ),
    pytest.param(
        _urlset("<url><loc>https://x.de/a</loc><lastmod>not a date</lastmod></url>"),
        [("https://x.de/a", "not a date")],  # dates are checked where they are used
        [],
        id="usp-invalid-lastmod-kept",
    ),
    pytest.param(
        b"https://x.de/one\nhttps://x.de/two\n",
        [("https://x.de/one", None), ("https://x.de/two", None)],
        [],
        id="usp-plain-text-sitemap",
        marks=pytest.mark.xfail(strict=True, reason="plain-text sitemaps are not read"),
    ),
    pytest.param(
        b'<?xml version="1.0"?><rss version="2.0"><channel><item>'
        b"<link>https://x.de/news</link></item></channel></rss>",
        [("https://x.de/news", None)],
        [],
        id="usp-rss-sitemap",
        marks=pytest.mark.xfail(strict=True, reason="RSS/Atom sitemaps are not read"),
    ),
]


@pytest.mark.parametrize(("data", "urls", "nested"), SITEMAPS)
def test_sitemap_peer_cases(data, urls, nested):
    sitemap = parse_sitemap(data)
    assert (sitemap.urls, sitemap.sitemaps) == (urls, nested)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"\x1f\x8b\x08\x00" + bytes(6) + b"\xff" * 20, "cannot be", id="bad-gzip"),
        pytest.param(b"\x1f\x8b\x08\x00garbage", "ends before any content", id="gzip-header"),
        pytest.param(b"\x78\x9cgarbage", "cannot be decompressed", id="bad-zlib"),
    ],
)
def test_corrupt_compressed_sitemap_is_an_error(data, message):
    with pytest.raises(SitemapCorrupt, match=f"^is compressed but {message}"):
        parse_sitemap(data)


def test_truncated_gzip_sitemap_yields_what_it_holds():
    whole = gzip.compress(
        _urlset("".join(f"<url><loc>https://x.de/{i}</loc></url>" for i in range(99)))
    )
    urls = parse_sitemap(whole[: len(whole) // 2]).urls
    assert 0 < len(urls) < 99 and urls[0] == ("https://x.de/0", None)


# -- robots.txt ----------------------------------------------------------------------------------
FOO = "User-agent: foundation-pipeline\n"
BOM = codecs.BOM_UTF8.decode("latin-1")  # written into the str tables as its three bytes

# Google's group test: rules before any user-agent line belong to no group, blank lines end none,
# and two groups for one token are merged.
GROUPS = (
    "allow: /foo/bar/\n\nuser-agent: foundation-pipeline\ndisallow: /\nallow: /x/\n"
    "user-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\n"
    "user-agent: foundation-pipeline\nallow: /z/\ndisallow: /\n"
)

# (robots.txt text, path, allowed for foundation-pipeline)
ROBOTS = [
    pytest.param(FOO + "Disallow: /\n", "/x", False, id="google-line-syntax"),
    pytest.param("foo: foundation-pipeline\nbar: /\n", "/x", True, id="google-line-unknown"),
    pytest.param(
        "user-agent foundation-pipeline\ndisallow /\n", "/x", False, id="google-missing-colons"
    ),
    *(
        pytest.param(GROUPS, path, allowed, id=f"google-groups{path.rstrip('/').replace('/', '-')}")
        for path, allowed in [("/x/b", True), ("/z/d", True), ("/y/c", False), ("/foo/bar/", False)]
    ),
    pytest.param(
        "USER-AGENT: foundation-pipeline\nALLOW: /x/\nDISALLOW: /\n",
        "/x/y",
        True,
        id="google-names-case-insensitive-allow",
    ),
    pytest.param(
        "uSeR-aGeNt: foundation-pipeline\nDiSaLlOw: /\n",
        "/a",
        False,
        id="google-names-case-insensitive-disallow",
    ),
    pytest.param(
        "User-Agent: FOUNDATION-PIPELINE\nDisallow: /\n", "/a", False, id="google-token-case"
    ),
    pytest.param(
        "User-Agent: *\nDisallow: /\nUser-Agent: foundation-pipeline Bar\nAllow: /x/\n"
        "Disallow: /\n",
        "/x/y",
        True,
        id="google-token-up-to-first-space",
    ),
    pytest.param(
        "User-agent: *\nAllow: /\n\nUser-agent: foundation-pipeline/0.1.0\nDisallow: /private/\n",
        "/private/a",
        False,
        id="rfc9309-token-with-version",
    ),
    pytest.param(
        "User-agent: Foundation-Pipeline/9.9 (+https://example.org/bot)\nDisallow: /\n",
        "/a",
        False,
        id="rfc9309-token-version-and-comment",
    ),
    pytest.param(
        "User-agent: foundation-pipeline-images\nDisallow: /\n",
        "/a",
        True,
        id="rfc9309-longer-token-is-another-crawler",
    ),
    pytest.param(
        "User-agent: foundation\nDisallow: /\n",
        "/a",
        True,
        id="rfc9309-prefix-token-is-another-crawler",
        marks=pytest.mark.xfail(
            strict=True, reason="protego matches a group whose token is a prefix of ours"
        ),
    ),
    pytest.param(
        "user-agent: *\nallow: /\nuser-agent: foundation-pipeline\ndisallow: /\n",
        "/a",
        False,
        id="google-specific-group-wins",
    ),
    pytest.param("user-agent: *\ndisallow: /\n", "/a", False, id="google-global-group"),
    pytest.param("user-agent: BarBot\ndisallow: /\n", "/a", True, id="google-other-group"),
    pytest.param("", "/a", True, id="google-empty-file"),
    pytest.param(FOO + "disallow: /x/\n", "/x/", False, id="google-value-case-lower"),
    pytest.param(FOO + "disallow: /x/\n", "/X/", True, id="google-value-case-upper"),
    pytest.param(
        FOO + "disallow: /x/\nallow: /x/page.html\n",
        "/x/page.html",
        True,
        id="google-longest-match-allow",
    ),
    pytest.param(
        FOO + "allow: /x/page.html\ndisallow: /x/\n", "/x/", False, id="google-longest-disallow"
    ),
    pytest.param(FOO + "allow: /\ndisallow: /\n", "/a", True, id="google-equal-match-allows"),
    pytest.param(
        FOO + "allow: /page\ndisallow: /*.html\n",
        "/page.html",
        False,
        id="google-wildcard-longer",
    ),
    pytest.param(FOO + "allow: /page\ndisallow: /*.html\n", "/page", True, id="google-wildcard"),
    pytest.param(
        FOO + "disallow: /foo/bar$\nallow: /foo/bar/qux\n", "/foo/bar", False, id="google-dollar"
    ),
    pytest.param(FOO + "disallow: /foo/bar$\n", "/foo/bar/baz", True, id="google-dollar-only-end"),
    pytest.param(
        FOO + "disallow: /foo/quz#qux\nallow: /\n", "/foo/quz", False, id="google-comment"
    ),
    pytest.param(
        FOO + "Disallow: /\nAllow: /foo/bar/\u30c4\n",
        "/foo/bar/%E3%83%84",
        True,
        id="google-encoding-utf-8-rule",
    ),
    pytest.param(
        FOO + "Disallow: /\nAllow: /foo/bar/%E3%83%84\n",
        "/foo/bar/%E3%83%84",
        True,
        id="google-encoding-escaped-rule",
    ),
    pytest.param(
        FOO + "Disallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n",
        "/foo/bar?qux=taz&baz=http://foo.bar?tar&par",
        True,
        id="google-encoding-query",
    ),
    pytest.param(
        BOM + "User-agent: foundation-pipeline\nDisallow: /private/\n",
        "/private/a",
        False,
        id="google-utf-8-bom-skipped",
    ),
    pytest.param(
        BOM[:2] + "User-agent: foundation-pipeline\nDisallow: /private/\n",
        "/private/a",
        True,
        id="google-partial-bom-breaks-the-line",
    ),
    pytest.param(
        "user-agent: foundation-pipeline/1.0\rdisallow: /\r", "/a", False, id="google-cr-only"
    ),
    pytest.param(
        "user-agent: foundation-pipeline\r\ndisallow: /\r\n", "/a", False, id="google-crlf"
    ),
    pytest.param(
        "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n",
        "/allowed-slash/",
        True,
        id="google-only-index-html-is-directory",
    ),
]


@pytest.mark.parametrize(("text", "path", "allowed"), ROBOTS)
def test_robots_peer_cases(text, path, allowed):
    robots = parse_robots(text.encode("latin-1" if text.startswith(BOM[:2]) else "utf-8"))
    assert robots.can_fetch("https://x.de" + path, ROBOTS_AGENT) is allowed


def test_robots_versioned_group_gives_its_crawl_delay():
    robots = parse_robots(
        b"User-agent: *\nCrawl-delay: 1\n\nUser-agent: foundation-pipeline/0.1.0\nCrawl-delay: 3\n"
    )
    assert robots.crawl_delay(ROBOTS_AGENT) == 3.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "User-agent: foundation-pipeline/0.1.0 (+https://x.org)\nDisallow: /\n",
            "User-agent: foundation-pipeline\nDisallow: /",
            id="token-kept-version-dropped",
        ),
        pytest.param("User-agent: *\r\nDisallow:\r\n", "User-agent: *\nDisallow:", id="star"),
        pytest.param(BOM + "User-agent: a # c\n", "User-agent: a# c", id="bom-and-comment"),
    ],
)
def test_robots_text(text, expected):
    assert robots_text(text.encode("latin-1" if BOM in text else "utf-8")) == expected


# (robots.txt, its sitemap URLs as the crawl uses them)
ROBOTS_SITEMAPS = [
    pytest.param(
        "# Sitemap files\nSitemap: http://example.com/sitemap.xml\n"
        "Sitemap: http://example.com/sitemap-product-index.xml\n"
        "Sitemap: HTTP://example.com/sitemap-uppercase.xml\n"
        "Sitemap: /sitemap-relative-url.xml\n\n# Forums\nDisallow: /forum/search/\n",
        [
            "http://example.com/sitemap.xml",
            "http://example.com/sitemap-product-index.xml",
            # Scrapy keeps the scheme as written; resolving lowercases it.
            "http://example.com/sitemap-uppercase.xml",
            "http://example.com/sitemap-relative-url.xml",
        ],
        id="scrapy-sitemaps-from-robots",
    ),
    pytest.param(
        "User-agent: *\nDisallow: /\nSitemap:   sitemap-rel.xml  \nsitemap : http://example.com/s.xml\n"
        "Sitemap: ftp://example.com/s.xml\n",
        ["http://example.com/sitemap-rel.xml", "http://example.com/s.xml"],
        id="usp-weird-spacing-and-schemes",
    ),
    pytest.param(
        "Sitemap: http://example.com/sitemap.xml\nUser-agent: *\nDisallow:\n",
        ["http://example.com/sitemap.xml"],
        id="google-sitemap-anywhere",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROBOTS_SITEMAPS)
def test_robots_sitemap_peer_cases(text, expected):
    robots = parse_robots(text.encode())
    assert sitemap_urls(robots, "http://example.com/robots.txt") == expected


# -- the crawl against the fixture site ------------------------------------------------------------
@pytest.fixture
def site():
    with FixtureSite(SITE / "v1") as server:
        yield server


def _robots(site: FixtureSite, body: bytes) -> None:
    site.override("/robots.txt", lambda r: Reply(200, body, {"Content-Type": "text/plain"}))


def test_robots_with_a_bom_keeps_its_first_group(site):
    _robots(
        site,
        codecs.BOM_UTF8 + b"User-agent: *\nDisallow: /projekte/buergerhaushalt\nDisallow: /en/\n",
    )
    run = crawl(site.url)
    assert not [t for t in site.targets() if t.startswith(("/projekte/buergerhaushalt", "/en/"))]
    assert run.summary.robots_blocked >= 4
    assert "stiftung-spi.de/projekte/buergerhaushalt" not in run.records()


def test_robots_group_for_our_token_with_version_is_obeyed(site):
    _robots(
        site,
        b"User-agent: *\nAllow: /\n\nUser-agent: foundation-pipeline/0.1.0\n"
        b"Disallow: /projekte/buergerhaushalt\n",
    )
    crawl(site.url)
    assert site.targets() and not [t for t in site.targets() if "buergerhaushalt" in t]


def test_relative_sitemap_line_in_robots_is_followed(site):
    _robots(site, b"User-agent: *\nAllow: /\n\nSitemap: /sitemap-projects.xml.gz\n")
    site.override("/sitemap.xml", lambda r: Reply(404, b"not here"))
    crawl(site.url)
    assert "/sitemap-projects.xml.gz" in site.targets()


# -- URL keys ------------------------------------------------------------------------------------
# (URL, canonical_key)
KEYS = [
    pytest.param(
        "http://www.example.com/r%c3%a9sum%c3%a9",
        "example.com/r%C3%A9sum%C3%A9",
        id="w3lib-hex-case",
    ),
    pytest.param("http://www.example.com/résumé", "example.com/r%C3%A9sum%C3%A9", id="w3lib-utf-8"),
    pytest.param("http://www.example.com/a%a3do", "example.com/a%A3do", id="w3lib-latin-1-escape"),
    pytest.param(
        "http://www.example.com/caf%E9-con-leche.htm",
        "example.com/caf%E9-con-leche.htm",
        id="w3lib-latin-1-kept",
    ),
    pytest.param(
        "http://foo.com/AC%2FDC+rocks%3f/?yeah=1",
        "foo.com/AC%2FDC+rocks%3F?yeah=1",
        id="w3lib-quoted-slash-and-question-mark",
    ),
    pytest.param("http://foo.com/AC%2FDC/", "foo.com/AC%2FDC", id="w3lib-quoted-slash"),
    pytest.param("http://www.example.com/a do", "example.com/a%20do", id="w3lib-space"),
    pytest.param("http://www.example.com/a%20do", "example.com/a%20do", id="w3lib-space-escaped"),
    pytest.param(
        "http://www.example.com/\u8349\u8599 \u7d20\u5b50",
        "example.com/%E8%8D%89%E8%96%99%20%E7%B4%A0%E5%AD%90",
        id="w3lib-motoko",
    ),
    pytest.param("http://www.example.com/©", "example.com/%C2%A9", id="w3lib-copyright"),
    pytest.param(
        "http://www.bücher.de?q=bücher", "xn--bcher-kva.de?q=b%C3%BCcher", id="w3lib-idns"
    ),
    pytest.param("http://www.EXAMPLE.com/", "example.com", id="w3lib-domain-case"),
    pytest.param(
        "http://www.simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine.html",
        "simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine.html",
        id="w3lib-safe-characters",
    ),
    pytest.param(
        "http://www.example.com/Brochures_&_Paint_Cards&PageSize=200",
        "example.com/Brochures_&_Paint_Cards&PageSize=200",
        id="w3lib-ampersand-in-path",
    ),
    pytest.param(
        "http://www.example.com/test(29)url(http://x.net/page)",
        "example.com/test(29)url(http:/x.net/page)",  # doubled slashes are one in a key
        id="w3lib-parentheses",
    ),
    pytest.param(
        "http://user:pass@www.example.com:8888/do",
        "example.com:8888/do",
        id="w3lib-auth-and-port",
    ),
    pytest.param("http://www.example.com/%7Euser", "example.com/~user", id="rfc3986-tilde"),
    pytest.param(
        "http://www.example.com/%41%42%63%2d%2E%5f", "example.com/ABc-._", id="rfc3986-unreserved"
    ),
    pytest.param("http://www.example.com/100%25", "example.com/100%25", id="percent-sign-kept"),
    pytest.param("http://www.example.com/100%", "example.com/100%25", id="bare-percent-escaped"),
    pytest.param("http://www.example.com/%zz%4", "example.com/%25zz%254", id="broken-escapes"),
    pytest.param(
        "http://www.example.com/a;b=c%3Bd", "example.com/a;b=c%3Bd", id="reserved-escape-kept"
    ),  # w3lib decodes %3B; RFC 3986 says it differs from ';'
    pytest.param("http://www.example.com/a|b^c`d", "example.com/a%7Cb%5Ec%60d", id="unsafe"),
    pytest.param("http://www.example.com/a%7cb", "example.com/a%7Cb", id="unsafe-escaped"),
    pytest.param("https://bücher.de/", "xn--bcher-kva.de", id="idna"),
    pytest.param("https://xn--bcher-kva.de/", "xn--bcher-kva.de", id="idna-punycode"),
    pytest.param("https://BÜCHER.DE./", "xn--bcher-kva.de", id="idna-case-trailing-dot"),
    pytest.param("https://\uff57\uff57\uff57.bücher.de/", "xn--bcher-kva.de", id="idna-fullwidth"),
    pytest.param("https://straße.de/", "xn--strae-oqa.de", id="idna-2008-eszett"),
    pytest.param("https://bücher.de:8443/a", "xn--bcher-kva.de:8443/a", id="idna-port"),
    pytest.param("https://bü_cher.de/x", "xn--b_cher-3ya.de/x", id="idna-underscore-lenient"),
    pytest.param("https://ü..de/x", "ü..de/x", id="idna-invalid-stable"),
    pytest.param("https://" + "ü" * 70 + ".de/", "ü" * 70 + ".de", id="idna-label-too-long"),
    pytest.param("http://[::1]:8080/a", "[::1]:8080/a", id="ipv6-bracketed"),
    pytest.param("http://[FE80::1]/a", "[fe80::1]/a", id="ipv6-case"),
    pytest.param("http://x.de:abc/a", "x.de:abc/a", id="port-not-a-number"),
    pytest.param("http://x.de:99999/a", "x.de:99999/a", id="port-out-of-range"),
    pytest.param("http://[::1/a", "%5b:1/a", id="unbalanced-bracket"),
]


@pytest.mark.parametrize(("url", "key"), KEYS)
def test_url_key_peer_cases(url, key):
    assert canonical_key(url) == key
    # the canonical URL keys the same and is its own canonical form
    again = canonical_url(url)
    assert canonical_key(again) == key
    assert canonical_url(again) == again


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("https://x.de/a%2Fb", "https://x.de/a/b", id="escaped-slash"),
        pytest.param("https://x.de/100%2541", "https://x.de/100%41", id="escaped-percent"),
        pytest.param("https://x.de/caf%E9", "https://x.de/caf%C3%A9", id="latin-1-vs-utf-8"),
        pytest.param("https://x.de/caf%E9", "https://x.de/caf%EF%BF%BD", id="not-replacement"),
        pytest.param("https://x.de/a%3Bb", "https://x.de/a;b", id="escaped-sub-delim"),
    ],
)
def test_url_keys_that_differ(a, b):
    assert canonical_key(a) != canonical_key(b)


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        ("/a%2fb/%7euser/caf%e9 h\u00e9", "/a%2Fb/~user/caf%E9%20h%C3%A9"),
        ("//double//slashes/", "//double//slashes/"),  # escaping only; keys fold slashes
        ("/plain/path-1.html", "/plain/path-1.html"),
    ],
)
def test_normal_escapes(path, escaped):
    assert normal_escapes(path) == escaped


@pytest.mark.parametrize(
    ("url", "fetch_path"),
    [
        pytest.param("https://www.stiftung-spi.de/a%2Fb/", "/a%2Fb/", id="slash-stays-escaped"),
        pytest.param("https://www.stiftung-spi.de/100%25/", "/100%25/", id="percent-stays"),
        pytest.param("https://www.stiftung-spi.de/caf%e9/", "/caf%E9/", id="latin-1-stays"),
        pytest.param("https://www.stiftung-spi.de/%7Ea b/", "/~a%20b/", id="normalized"),
    ],
)
def test_fetch_url_keeps_the_escapes_that_matter(url, fetch_path):
    target = Scope(SPI, "http://127.0.0.1:8080").target(url, "sitemap")
    assert target is not None
    assert target.fetch_url == "http://127.0.0.1:8080" + fetch_path


def test_scope_ignores_a_link_with_an_unbalanced_bracket():
    scope = Scope(SPI, "http://127.0.0.1:8080")
    assert scope.target("http://[::1/projekte/x/") is None


def test_bare_host_in_idna_form():
    assert bare_host("WWW.Bücher.DE.") == "xn--bcher-kva.de"
    assert bare_host("www.xn--bcher-kva.de") == "xn--bcher-kva.de"
    assert bare_host("") == ""
