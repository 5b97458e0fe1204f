import re
import string
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.decode import decode_html
from pipeline.profiles import discover
from pipeline.urls import absolute, canonical_key, canonical_url
from tests.spi import SPI

SAME = [
    "https://www.stiftung-spi.de/projekte/aktionsraummitte/",
    "http://www.stiftung-spi.de/projekte/aktionsraummitte/",
    "https://stiftung-spi.de/projekte/aktionsraummitte",
    "https://WWW.Stiftung-SPI.DE/projekte/aktionsraummitte/index.html",
    "https://www.stiftung-spi.de:443/projekte/aktionsraummitte/?cHash=0123456789abcdef",
    "https://www.stiftung-spi.de/projekte/aktionsraummitte/?chash=abc#kontakt",
    "http://www.stiftung-spi.de:80/projekte/aktionsraummitte?utm_source=x&utm_medium=y",
    "https://www.stiftung-spi.de/projekte//aktionsraummitte/",
    "https://www.stiftung-spi.de/projekte/aktionsraummitte/;jsessionid=0A1B2C3D4E5F.node1",
    "https://www.stiftung-spi.de/projekte/aktionsraummitte;JSESSIONID=0A1B2C?cHash=2",
    "https://www.stiftung-spi.de/projekte;jsessionid=9F/aktionsraummitte/index.html",
    "https://www.stiftung-spi.de/projekte/aktionsraummitte;jsess%69onid=ABC",  # escaped name
]


@pytest.mark.parametrize("url", SAME)
def test_canonical_key_ignores_non_content_variation(url):
    assert canonical_key(url, SPI.keep_param) == "stiftung-spi.de/projekte/aktionsraummitte"
    assert canonical_url(url, SPI.origin, SPI.keep_param) == (
        "https://www.stiftung-spi.de/projekte/aktionsraummitte"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "https://x.de/service/projekte/?tx_list%5Bpage%5D=2",
            "https://x.de/service/projekte/?tx_list%5Bpage%5D=3",
        ),
        ("https://x.de/projekte/a/", "https://x.de/projekte/b/"),
        ("https://x.de:8080/a", "https://x.de/a"),
        ("https://x.de/a;version=2", "https://x.de/a;version=3"),  # not a session
    ],
)
def test_canonical_key_keeps_content_selecting_parts(a, b):
    assert canonical_key(a) != canonical_key(b)


def test_canonical_key_sorts_and_keeps_params():
    assert canonical_key("https://x.de/s?b=2&a=1&cHash=9", SPI.keep_param) == "x.de/s?a=1&b=2"
    assert canonical_key("https://x.de/s?b=2&a=1&utm_source=n") == "x.de/s?a=1&b=2"
    assert canonical_key("https://x.de/") == "x.de"


@pytest.mark.parametrize(
    ("url", "generic", "spi"),
    [
        # TYPO3's parameters are the SPI profile's; on another site `type` may select content.
        ("https://x.de/p?type=bildung", "x.de/p?type=bildung", "x.de/p"),
        ("https://x.de/p?cHash=ab&id=3", "x.de/p?cHash=ab&id=3", "x.de/p?id=3"),
        ("https://x.de/p?sid=1&ref=nav", "x.de/p?ref=nav&sid=1", "x.de/p"),
        # tracking and session parameters are nobody's content
        ("https://x.de/p?fbclid=1&PHPSESSID=2&utm_x=3&q=a", "x.de/p?q=a", "x.de/p?q=a"),
    ],
)
def test_ignored_params_come_from_the_profile(url, generic, spi):
    assert canonical_key(url) == generic
    assert canonical_key(url, SPI.keep_param) == spi


def test_canonical_url_without_origin_keeps_host():
    assert canonical_url("http://127.0.0.1:8080/a/index.html") == "http://127.0.0.1:8080/a"


@pytest.mark.parametrize(
    ("href", "resolved"),
    [
        ("/projekte/x/", "https://www.stiftung-spi.de/projekte/x/"),
        ("../y", "https://www.stiftung-spi.de/y"),
        ("mailto:a@b.de", None),
        ("javascript:void(0)", None),
        ("#top", None),
        ("", None),
    ],
)
def test_absolute(href, resolved):
    assert absolute(href, "https://www.stiftung-spi.de/service/projekte") == resolved


def test_profile_for_url():
    catalog = discover()
    assert catalog.for_url("http://stiftung-spi.de/x") == SPI
    generic = catalog.for_url("https://www.example.org/x")
    assert (generic.id, generic.origin) == ("example.org", "https://www.example.org")
    assert SPI.is_project_path("/projekte/pfd-spandau/")
    assert SPI.is_project_path("/service/projekte/detail/pfd-spandau")
    assert not SPI.is_project_path("/service/projekte/")


TEXT = "Größe „Zitat“ – 5 €"


@pytest.mark.parametrize(
    ("body", "content_type", "codec"),
    [
        (TEXT.encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
        (TEXT.encode("cp1252"), "text/html; charset=windows-1252", "cp1252"),
        # ISO-8859-1 is decoded as windows-1252, as browsers do (the quotes need it).
        (TEXT.encode("cp1252"), "text/html; charset=ISO-8859-1", "cp1252"),
        (b'<meta charset="iso-8859-1">' + TEXT.encode("cp1252"), None, "cp1252"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            + TEXT.encode("utf-8"),
            None,
            "utf-8",
        ),
        (TEXT.encode("utf-8"), None, "utf-8"),
        # A UTF-8 page that declares ISO-8859-1: the bytes win.
        (TEXT.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None, "utf-8"),
        (TEXT.encode("utf-8"), "text/html; charset=bogus-charset", "utf-8"),
    ],
)
def test_decode_html(body, content_type, codec):
    text, used = decode_html(body, content_type)
    assert TEXT in text
    assert used == codec


def test_decode_undeclared_latin1_is_detected():
    body = ("<p>" + "Schöne Grüße aus Köln, für die Jugendlichen. " * 20 + "</p>").encode("latin-1")
    text, _ = decode_html(body)
    assert "Schöne Grüße aus Köln" in text


_HREF = st.one_of(
    st.from_regex(r"/[a-z0-9/._?=&%#-]{0,30}", fullmatch=True),
    st.from_regex(r"https?://[a-z.]{1,12}(/[a-z0-9/._?=-]{0,20})?", fullmatch=True),
    st.from_regex(r"[a-z0-9./?#=-]{1,20}", fullmatch=True),
)
_BASE = st.sampled_from(
    [
        "https://www.stiftung-spi.de/service/projekte",
        "https://www.stiftung-spi.de/geschaeftsbereiche/brb/",
        "http://127.0.0.1:8080/a/b/?x=1",
        "https://example.org?q=1",
        "https://example.org",
    ]
)


@settings(max_examples=2000)
@given(href=_HREF, base=_BASE)
def test_absolute_fast_paths_agree_with_urljoin(href, base):
    slow = urljoin(base, href.strip())
    expected = slow if urlsplit(slow).scheme in ("http", "https") else None
    if href.strip().startswith("#") or not href.strip():
        expected = None
    assert absolute(href, base) == expected


_UNRESERVED = string.ascii_letters + string.digits + "-._~"
_HEX = set(string.hexdigits)


def _escapes_reference(path: str) -> str:
    """Percent-encoding normalized one character at a time (RFC 3986 6.2.2.1-2)."""
    out, i = [], 0
    while i < len(path):
        hex_digits = path[i + 1 : i + 3]
        if (
            path[i] == "%"
            and len(hex_digits) == 2
            and all(c in string.hexdigits for c in hex_digits)
        ):
            char = chr(int(hex_digits, 16))
            out.append(char if char in _UNRESERVED else "%" + hex_digits.upper())
            i += 3
            continue
        if path[i] in _UNRESERVED + "!$&'()*+,;=:@/":
            out.append(path[i])
        else:
            out.append(quote(path[i].encode("utf-8", "surrogatepass"), safe=""))
        i += 1
    return "".join(out)


def _normal_path_reference(path: str) -> str:
    """The path normalization without its fast path: escape everything, then simplify."""
    path = _escapes_reference(path)
    path = re.sub(r"/index\.(?:html?|php)$", "/", path, flags=re.IGNORECASE)
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


@settings(max_examples=2000)
@given(
    path=st.one_of(
        st.from_regex(r"/[A-Za-z0-9/._~-]{0,30}(index\.html?|INDEX\.PHP)?/?", fullmatch=True),
        st.from_regex(r"/[A-Za-z0-9/._~%äß ?:@+-]{0,30}", fullmatch=True),
        st.from_regex(r"/([a-z/]|%[0-9A-Fa-f]{2}){0,10}", fullmatch=True),
        st.text(max_size=30),
    )
)
def test_path_fast_path_agrees_with_full_normalization(path):
    url = "https://example.org" + (path if path.startswith("/") else "/" + path)
    parts = urlsplit(url.strip())
    key = canonical_key(url)
    expected = _normal_path_reference(parts.path)
    assert key.split("?")[0] == "example.org" + ("" if expected == "/" else expected)


@settings(max_examples=1000)
@given(
    host=st.text(
        st.characters(blacklist_characters="/?#@\\", blacklist_categories=["Cs"]), max_size=20
    ),
    path=st.text(max_size=20),
)
@example(host="::", path="")  # no host, only colons (found by this test)
@example(host="℀", path="")  # NFKC makes it "a/c" (found by this test)
@example(host="::1", path="")
def test_canonical_key_never_raises_and_its_url_keys_the_same(host, path):
    url = f"https://{host}/{path}"
    key = canonical_key(url)
    assert canonical_key(canonical_url(url)) == key
