"""URL canonicalization and the stable project key.

Two URLs name the same page when they differ only in scheme, ``www.``, host case, default port,
fragment, a trailing slash, a trailing ``index.html``, or query parameters that do not select
content: tracking parameters on every site (:data:`pipeline.labels.IGNORED_PARAMS`), plus the
ones a site's profile names (``ignored_params``: TYPO3's ``cHash`` ...), passed in as ``keep``.
``canonical_key`` is that identity as a string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from pipeline.labels import IGNORED_PARAMS, IGNORED_PREFIXES

_IGNORED = frozenset(IGNORED_PARAMS)

_INDEX = re.compile(r"/index\.(?:html?|php)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(r"^https?://[^/?#]+")
# Characters left as they are in a path (RFC 3986 unreserved + sub-delims + ':' '@' '/' '%').
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*")


def keep_param(name: str) -> bool:
    """Whether a query parameter may select content on any site (the shared rule)."""
    lowered = name.lower()
    return lowered not in _IGNORED and not lowered.startswith(IGNORED_PREFIXES)


KeepParam = Callable[[str], bool]


def bare_host(host: str) -> str:
    """Host lowercased, without ``www.`` and without a trailing dot."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _normal_path(path: str) -> str:
    # Most paths are plain ASCII without escapes or doubled slashes: quoting leaves them as they
    # are, and skipping it halves the cost of a page's URL work.
    if _PLAIN_PATH.fullmatch(path) and "//" not in path:
        return _INDEX.sub("/", path).rstrip("/") or "/"
    path = quote(unquote(path), safe=_PATH_SAFE)
    path = _INDEX.sub("/", path)
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


def _normal_query(query: str, keep: KeepParam) -> str:
    if not query:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if keep(k)]
    return urlencode(sorted(pairs))


def canonical_key(url: str, keep: KeepParam = keep_param) -> str:
    """The identity of a page: ``host/path?query`` without the variations above.

    ``keep`` tells which query parameters count (a profile's ``keep_param``).

    >>> canonical_key("http://WWW.Stiftung-SPI.de/projekte/x/index.html?gclid=ab#top")
    'stiftung-spi.de/projekte/x'
    """
    parts = urlsplit(url.strip())
    host = bare_host(parts.hostname or "")
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = _normal_path(parts.path)
    query = _normal_query(parts.query, keep)
    key = host + ("" if path == "/" else path)
    return f"{key}?{query}" if query else key


def canonical_url(url: str, origin: str | None = None, keep: KeepParam = keep_param) -> str:
    """An absolute canonical URL; with ``origin`` (``https://www.example.org``) as scheme and host.

    Without ``origin`` the URL keeps its scheme and host (lowercased, default port dropped).
    """
    parts = urlsplit(url.strip())
    if origin is not None:
        base = urlsplit(origin)
        scheme, netloc = base.scheme, base.netloc
    else:
        scheme = parts.scheme.lower() or "https"
        netloc = (parts.hostname or "").lower().rstrip(".")
        if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
            netloc = f"{netloc}:{parts.port}"
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
    resolved = urljoin(base, href)
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None
