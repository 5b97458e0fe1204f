"""What a crawl may fetch: the profile's hosts and paths, re-targeted at a base URL.

A :class:`Target` names one page three ways: its ``key`` (the identity within and across runs,
from :func:`pipeline.urls.canonical_key` on the site's own host), its ``site_url`` (canonical, on
the profile's origin: what records carry, so a mirror yields the same records as the real site)
and its ``fetch_url`` (the address on the base URL, path and query as discovered, since TYPO3
may refuse a plugin URL whose ``cHash`` was removed).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

from pipeline.errors import ConfigError
from pipeline.labels import IGNORED_PREFIXES
from pipeline.model import ErrorKind, PageKind, Target
from pipeline.profiles import SiteProfile
from pipeline.urls import bare_host, canonical_key, canonical_url, normal_escapes

_TRACKING = re.compile(
    r"(?:^|&)(?:" + "|".join(re.escape(p) for p in IGNORED_PREFIXES) + r")[^&=]*=[^&]*", re.I
)


def _is_private_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


class Scope:
    """Decides, for any absolute URL, whether and how the crawl may fetch it."""

    def __init__(self, profile: SiteProfile, base_url: str | None = None) -> None:
        self.profile = profile
        self._keep = profile.keep_param
        base = urlsplit(base_url or profile.origin)
        if base.scheme not in ("http", "https") or not base.hostname:
            raise ConfigError(
                f"base URL {base_url!r} is not an http(s) URL with a host; "
                "give one like http://127.0.0.1:8080"
            )
        self.base_scheme = base.scheme
        # Credentials in a base URL (a staging site behind basic auth) never reach a URL that
        # is logged, stored or archived: they are sent as an Authorization header instead.
        self.credentials = (
            (unquote(base.username), unquote(base.password or "")) if base.username else None
        )
        self.base_netloc = base.netloc.rsplit("@", 1)[-1].lower()
        self.base_host = (base.hostname or "").lower()
        self.base_prefix = base.path.rstrip("/")
        self.hosts = profile.hosts | {bare_host(self.base_host)}
        self._netlocs = {self.base_netloc}
        self.public = not _is_private_host(self.base_host)

    @property
    def base_url(self) -> str:
        return f"{self.base_scheme}://{self.base_netloc}{self.base_prefix}"

    def _site_parts(self, url: str) -> tuple[str, str] | None:
        """(path, query) of a URL on this site, or None when it is on another host."""
        try:
            parts = urlsplit(url)
        except ValueError:  # an unbalanced bracket in the host (``http://[::1/``): no site's
            return None
        if parts.scheme not in ("http", "https"):
            return None
        netloc = parts.netloc.lower()
        if netloc not in self._netlocs and bare_host(parts.hostname or "") not in self.hosts:
            return None
        path = parts.path or "/"
        if self.base_prefix and netloc in self._netlocs and path.startswith(self.base_prefix):
            path = path[len(self.base_prefix) :] or "/"
        return normal_escapes(path), _TRACKING.sub("", parts.query).lstrip("&")

    def target(self, url: str, kind: PageKind | None = None) -> Target | None:
        """The target for a URL, or None when it is out of scope.

        Without ``kind`` the path decides (project or listing; anything else is out of scope);
        ``kind="sitemap"`` or ``"robots"`` accepts any path on the site's hosts.
        """
        return _cached_target(self, url, kind)

    def _build(self, url: str, kind: PageKind | None) -> Target | None:
        site = self._site_parts(url)
        if site is None:
            return None
        path, query = site
        if kind is None:
            if self.profile.is_project_path(path):
                kind = "project"
            elif self.profile.is_listing_path(path):
                kind = "listing"
            else:
                return None
        site_url = canonical_url(
            urlunsplit(("https", "x", path, query, "")), self.profile.origin, self._keep
        )
        fetch_url = urlunsplit(
            (self.base_scheme, self.base_netloc, self.base_prefix + path, query, "")
        )
        return Target(canonical_key(site_url, self._keep), site_url, fetch_url, kind)

    def site_address(self, fetch_url: str) -> str:
        """A fetched address on the site's origin, path kept as served (for relative links)."""
        parts = urlsplit(fetch_url)
        path = parts.path or "/"
        if self.base_prefix and path.startswith(self.base_prefix):
            path = path[len(self.base_prefix) :] or "/"
        return self.profile.origin + urlunsplit(("", "", path, parts.query, ""))

    def redirect_refusal(self, url: str) -> ErrorKind | None:
        """Why a redirect to ``url`` may not be followed, or None when it may."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return ErrorKind.REDIRECT_SCHEME
        host = (parts.hostname or "").lower()
        if self.public and _is_private_host(host):
            return ErrorKind.REDIRECT_PRIVATE
        if self._site_parts(url) is None:
            return ErrorKind.REDIRECT_OFF_SITE
        return None


@lru_cache(maxsize=4096)  # enough for a site's navigation; sitemap URLs are used once
def _cached_target(scope: Scope, url: str, kind: PageKind | None) -> Target | None:
    # Navigation links repeat on every page: resolve each distinct URL once.
    return scope._build(url, kind)
