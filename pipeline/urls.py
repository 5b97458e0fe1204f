"""URL canonicalization and the stable project key.

Two URLs name the same page when they differ only in scheme, ``www.``, host case or script
(``bücher.de`` is ``xn--bcher-kva.de``), default port, fragment, a trailing slash, a trailing
``index.html``, escapes of unreserved characters or the case of hex digits (``%7e``, ``~`` and
``%7E`` are one character), or query parameters that do not select content: tracking
parameters on every site (:data:`pipeline.labels.IGNORED_PARAMS`), plus the ones a site's
profile names (``ignored_params``: TYPO3's ``cHash`` ...), passed in as ``keep``.
``canonical_key`` is that identity as a string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import idna

from pipeline.labels import IGNORED_PARAMS, IGNORED_PATH_PARAMS, IGNORED_PREFIXES

_IGNORED = frozenset(IGNORED_PARAMS)
_SESSION_IN_PATH = re.compile(
    r";(?:" + "|".join(map(re.escape, IGNORED_PATH_PARAMS)) + r")=[^/;]*", re.IGNORECASE
)
_INDEX = re.compile(r"/index\.(?:html?|php)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(r"^https?://[^/?#]+")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*")
# In a path, an escape (group 1: its hex digits) or a character that must be escaped: anything
# but RFC 3986 unreserved characters, sub-delims, ':', '@' and '/' (a '%' that starts no escape
# included). Non-ASCII characters become their UTF-8 bytes.
_PATH_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/]")
_URL_SAFE = ":/?#@!$&'()*+,;=%-._~"  # what quoting a whole URL leaves (non-ASCII is escaped)
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def keep_param(name: str) -> bool:
    """Whether a query parameter may select content on any site (the shared rule)."""
    lowered = name.lower()
    return lowered not in _IGNORED and not lowered.startswith(IGNORED_PREFIXES)


KeepParam = Callable[[str], bool]


def ascii_host(host: str) -> str:
    """Host lowercased, without a trailing dot, an internationalized name in its IDNA (punycode)
    form (``Bücher.de.`` -> ``xn--bcher-kva.de``), an IPv6 address in brackets again."""
    host = host.lower().rstrip(".")
    if not host.isascii():  # a dot-like character (U+2024) can map to a trailing dot
        return _idna(host).rstrip(".")
    return f"[{host}]" if ":" in host else host


@lru_cache(maxsize=256)
def _idna(host: str) -> str:
    # UTS 46 mapping, then IDNA 2008 (``faß.de`` keeps its ß, as DENIC registers it). A name
    # IDNA 2008 refuses (``bü_cher.de``: underscores are common in subdomains) gets the lenient
    # IDNA 2003 codec; one neither accepts (an empty or overlong label) stays as written, so a
    # key is always some stable string.
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except UnicodeError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def bare_host(host: str) -> str:
    """Host as :func:`ascii_host` gives it, without ``www.``."""
    host = host.lower().rstrip(".")
    if not host.isascii() or ":" in host:  # the common case spared a call: it is hot
        host = ascii_host(host)
    return host[4:] if host.startswith("www.") else host


def _escape(match: re.Match[str]) -> str:
    hex_digits = match.group(1)
    if hex_digits is None:  # a character that must be escaped
        return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8", "surrogatepass"))
    char = chr(int(hex_digits, 16))
    return char if char in _UNRESERVED else "%" + hex_digits.upper()


def normal_escapes(path: str) -> str:
    """A path with its percent-encoding normalized as browsers and w3lib do (RFC 3986 6.2.2):
    escaped unreserved characters decoded (``%7E`` -> ``~``), every other escape kept with
    upper-case hex digits (``%2f`` -> ``%2F``; ``%25`` and a Latin-1 ``%E9`` stay escapes), and
    characters that may not stand in a path escaped (a space -> ``%20``, ``é`` -> ``%C3%A9``).

    >>> normal_escapes("/a%2fb/%7euser/caf%e9 hé")
    '/a%2Fb/~user/caf%E9%20h%C3%A9'
    """
    return _PATH_ESCAPE.sub(_escape, path)


def _normal_path(path: str) -> str:
    # Most paths are plain ASCII without escapes or doubled slashes: escaping leaves them as they
    # are, and skipping it halves the cost of a page's URL work.
    if _PLAIN_PATH.fullmatch(path) and "//" not in path:
        return _INDEX.sub("/", path).rstrip("/") or "/"
    path = normal_escapes(path)
    if ";" in path:  # after the escapes: ";jsess%69onid=" is a session too
        path = _SESSION_IN_PATH.sub("", path)
    path = _INDEX.sub("/", path)
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


def _normal_query(query: str, keep: KeepParam) -> str:
    if not query:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if keep(k)]
    return urlencode(sorted(pairs))


def _split(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:  # an unbalanced "[" or "]" in the host (``http://[::1/``): read as text
        pass
    try:
        return urlsplit(url.replace("[", "%5B").replace("]", "%5D"))
    except ValueError:  # a host that NFKC turns into URL syntax ("℀" is "a/c"): escaped
        return urlsplit(quote(url, safe=_URL_SAFE))


def host_of(url: str) -> str:
    """The URL's host, lower case; "" for a URL that has none or cannot be split."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def url_problem(url: str) -> str | None:
    """What makes ``url`` unusable as an http(s) address to fetch, or None when it is usable:
    another scheme, no host, an unbalanced ``[``, a port that is no number or out of range."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc).replace("Port out of range 0-65535", "the port is not 1-65535")
    if parts.scheme not in ("http", "https"):
        return "it is not an http(s) URL"
    if not parts.hostname:
        return "it has no host"
    if port == 0:
        return "the port is not 1-65535"
    return None


def _port(parts: SplitResult, scheme: str) -> str:
    """``:port`` unless there is none or it is the scheme's default; a port that is no number
    (or out of range) as written, so that no URL makes a key raise; none without a host."""
    if ":" not in parts.netloc or not parts.hostname:
        return ""
    try:
        port = parts.port
    except ValueError:
        written = parts.netloc.rpartition(":")[2]
        return f":{written}" if written else ""  # an empty port is none
    return "" if port is None or port == _DEFAULT_PORTS.get(scheme.lower()) else f":{port}"


def canonical_key(url: str, keep: KeepParam = keep_param) -> str:
    """The identity of a page: ``host/path?query`` without the variations above.

    ``keep`` tells which query parameters count (a profile's ``keep_param``).

    >>> canonical_key("http://WWW.Stiftung-SPI.de/projekte/x/index.html?gclid=ab#top")
    'stiftung-spi.de/projekte/x'
    """
    parts = _split(url.strip())
    host = bare_host(parts.hostname or "") + _port(parts, parts.scheme)
    path = _normal_path(parts.path)
    query = _normal_query(parts.query, keep)
    key = host + ("" if path == "/" else path)
    return f"{key}?{query}" if query else key


def canonical_url(url: str, origin: str | None = None, keep: KeepParam = keep_param) -> str:
    """An absolute canonical URL; with ``origin`` (``https://www.example.org``) as scheme and host.

    Without ``origin`` the URL keeps its scheme and host (lowercased, default port dropped).
    """
    parts = _split(url.strip())
    if origin is not None:
        base = urlsplit(origin)
        scheme, netloc = base.scheme, base.netloc
    else:
        scheme = parts.scheme.lower() or "https"
        netloc = ascii_host(parts.hostname or "") + _port(parts, scheme)
    path, query = _normal_path(parts.path), _normal_query(parts.query, keep)
    return urlunsplit((scheme, netloc, path, query, ""))


def absolute(href: str, base: str) -> str | None:
    """Resolve a link against its page; None for non-HTTP links (mailto:, javascript:, #...)."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    # Fast paths for the common forms (a page has hundreds of menu links): urljoin is slow.
    simple = "/." not in href and "?#" not in href and not href.endswith(("?", "#"))
    if simple and href.startswith(("https://", "http://")):
        return href
    if simple and href.startswith("/") and not href.startswith("//"):
        match = _ORIGIN.match(base)
        if match:
            return match.group(0) + href
    try:
        resolved = urljoin(base, href)
        return resolved if urlsplit(resolved).scheme in ("http", "https") else None
    except ValueError:  # an unbalanced "[" in the host: no address to follow
        return None
