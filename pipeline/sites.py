"""Site profiles: everything site-specific about a foundation's web site, as data.

Adding a second foundation means adding one :class:`SiteProfile` to :data:`PROFILES`; the
crawler and the parser read only these fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from pipeline.urls import bare_host


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """One site: its canonical origin, where to start, and which paths are project pages."""

    id: str
    name: str
    origin: str  # scheme and host of canonical URLs, e.g. "https://www.stiftung-spi.de"
    start_paths: tuple[str, ...]
    sitemap_paths: tuple[str, ...]
    project_paths: tuple[re.Pattern[str], ...]
    listing_paths: tuple[re.Pattern[str], ...]
    host_aliases: tuple[str, ...] = ()
    default_lang: str = "de"
    english_paths: tuple[re.Pattern[str], ...] = field(default_factory=tuple)

    @property
    def hosts(self) -> frozenset[str]:
        """Bare hosts (no ``www.``) that belong to this site."""
        own = bare_host(urlsplit(self.origin).hostname or "")
        return frozenset({own, *(bare_host(h) for h in self.host_aliases)})

    def is_project_path(self, path: str) -> bool:
        return any(p.search(path) for p in self.project_paths)

    def is_listing_path(self, path: str) -> bool:
        return any(p.search(path) for p in self.listing_paths)

    def lang_for_path(self, path: str) -> str:
        return "en" if any(p.search(path) for p in self.english_paths) else self.default_lang


STIFTUNG_SPI = SiteProfile(
    id="stiftung-spi",
    name="Stiftung SPI",
    origin="https://www.stiftung-spi.de",
    start_paths=(
        "/",
        "/themen-projekte/",
        "/geschaeftsbereiche/",
        "/service/projekte/",
        "/en/",
    ),
    sitemap_paths=("/sitemap.xml",),
    project_paths=(
        re.compile(r"^/projekte/[a-z0-9][a-z0-9_-]*/?(?:index\.html)?$", re.I),
        re.compile(r"^/service/projekte/detail/[a-z0-9][a-z0-9_-]*/?(?:index\.html)?$", re.I),
        re.compile(r"^/en/projects/detail/[a-z0-9][a-z0-9_-]*/?(?:index\.html)?$", re.I),
    ),
    listing_paths=(
        re.compile(r"^/$"),
        re.compile(r"^/themen-projekte/", re.I),
        re.compile(r"^/geschaeftsbereiche/", re.I),
        re.compile(r"^/service/projekte/?(?:index\.html)?$", re.I),
        re.compile(r"^/en/?$", re.I),
        re.compile(r"^/en/(?:topics|business-units|projects)/?", re.I),
    ),
    host_aliases=("stiftung-spi.de",),
    english_paths=(re.compile(r"^/en(?:/|$)"),),
)

PROFILES: dict[str, SiteProfile] = {STIFTUNG_SPI.id: STIFTUNG_SPI}


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose hosts include the URL's host, if any."""
    return _profile_for_host(bare_host(urlsplit(url).hostname or ""))


@lru_cache(maxsize=256)
def _profile_for_host(host: str) -> SiteProfile | None:
    for profile in PROFILES.values():
        if host in profile.hosts:
            return profile
    return None
