"""The site profile: everything site-specific about one foundation's web site, as validated data.

A profile is a TOML file (see ``builtin/stiftung-spi.toml``); :class:`SiteProfile` is its
contract. Only the URL keys are needed; ``[vocabulary]`` *adds* wording to the shared defaults of
:mod:`pipeline.labels` for this site alone, so one site's words never change another's records.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from pipeline.labels import COUNTRIES, IGNORED_PARAMS, IGNORED_PREFIXES
from pipeline.urls import bare_host


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(
            f"not a valid regular expression ({exc}); expected a Python regular expression "
            "matched against the URL path, e.g. '^/projekte/[a-z0-9-]+/?$'"
        ) from None
    return value


def _path(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"{value!r} is not a path on the site; expected one like '/projekte/'")
    return value


Regex = Annotated[str, AfterValidator(_regex)]
Path = Annotated[str, AfterValidator(_path)]
Words = tuple[str, ...]
_ID = r"^[a-z0-9][a-z0-9._-]*$"


class StatusWords(BaseModel):
    """A site's own status words, per record status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    completed: Words = ()
    active: Words = ()
    planned: Words = ()


class Vocabulary(BaseModel):
    """Wording one site adds to the shared vocabulary: labels per field, status words, the
    closed notice, contact headings, chrome. Every entry is plain text, matched as the shared
    words are (case-insensitive, at the start of a line, with or without a colon)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: Words = ()
    status: Words = ()
    funders: Words = ()
    contact: Words = ()  # headings that open the project's contact block
    persons: Words = ()  # labels of the contact person ("Ihre Ansprechpartnerin")
    phones: Words = ()
    emails: Words = ()
    focus_areas: Words = ()
    services: Words = ()
    related: Words = ()
    division: Words = ()  # words naming a division ("Fachbereich" as in "Fachbereich Jugend")
    status_words: StatusWords = StatusWords()
    closed_notices: Words = ()  # "Dieses Vorhaben ist beendet": phrases a closed notice starts with
    expiry_words: Words = ()  # "(ausgelaufen am 30.06.2014)" in a title
    chrome_lines: Words = ()  # whole lines that are site chrome ("Zur Projektübersicht")
    chrome_tokens: Words = ()  # class or id tokens of elements that are never content
    title_stopwords: Words = ()

    @property
    def empty(self) -> bool:
        return self == _NO_WORDS


_NO_WORDS = Vocabulary()


class SiteProfile(BaseModel):
    """One site: its origin, where to start, which paths are project pages, and its wording.

    Frozen; what its fields give (hosts, path patterns, the fingerprint) is computed on first
    use and kept, so a changed profile is made anew (``SiteProfile.model_validate``), never by
    ``model_copy(update=...)``, which would carry the old values over."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, description="stable site id, also the warehouse's `site`")
    name: str = Field(min_length=1)
    origin: str = Field(description="scheme and host of canonical URLs, e.g. https://www.x.de")
    host_aliases: tuple[str, ...] = ()
    start_paths: tuple[Path, ...] = ("/",)
    sitemap_paths: tuple[Path, ...] = ("/sitemap.xml",)
    project_paths: tuple[Regex, ...] = Field(min_length=1)
    listing_paths: tuple[Regex, ...] = ()
    default_lang: str = Field(default="de", pattern=r"^[a-z]{2}$")
    english_paths: tuple[Regex, ...] = ()
    ignored_params: tuple[str, ...] = ()  # query parameters that do not change the page
    country: str = "DE"
    vocabulary: Vocabulary = Vocabulary()

    @field_validator("origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) origin; expected e.g. https://www.x.de")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"{value!r} has a path or query; expected only scheme and host")
        return f"{parts.scheme}://{parts.netloc.lower()}"

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        code = value.upper()
        if code not in COUNTRIES:
            raise ValueError(
                f"{value!r} is not a known country; expected one of {', '.join(sorted(COUNTRIES))}"
            )
        return code

    # What the fields give, computed once (a frozen model's cached properties; pydantic's
    # private attributes cost ~1.4 us a read, and the parser and fetcher read these per page).
    @cached_property
    def _project(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.project_paths)

    @cached_property
    def _listing(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.listing_paths)

    @cached_property
    def _english(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.english_paths)

    @cached_property
    def hosts(self) -> frozenset[str]:
        """Bare hosts (no ``www.``) that belong to this site."""
        own = bare_host(urlsplit(self.origin).hostname or "")
        return frozenset({own, *(bare_host(h) for h in self.host_aliases)})

    @cached_property
    def ignored(self) -> frozenset[str]:
        """Lowercased query parameters that do not select content on this site."""
        return frozenset(p.lower() for p in (*IGNORED_PARAMS, *self.ignored_params))

    def keep_param(self, name: str) -> bool:
        lowered = name.lower()
        return lowered not in self.ignored and not lowered.startswith(IGNORED_PREFIXES)

    def is_project_path(self, path: str) -> bool:
        return any(p.search(path) for p in self._project)

    def is_listing_path(self, path: str) -> bool:
        return any(p.search(path) for p in self._listing)

    def lang_for_path(self, path: str) -> str:
        return "en" if any(p.search(path) for p in self._english) else self.default_lang

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of everything in the profile that shapes a record: when it changes,
        this site's stored pages are parsed again (and no other site's). Computed once: the
        fetcher asks for it on every request."""
        data = self.model_dump_json(exclude={"name", "start_paths", "sitemap_paths"})
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def generic_profile(url: str) -> SiteProfile:
    """The profile for a page of a host no profile knows: its site id is the bare host."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:  # an unbalanced "[" or a port out of range: a page of no known host
        parts, host, port = urlsplit("https://unknown.invalid/"), "", None
    named = f"[{host}]" if ":" in host else host
    netloc = named if port is None else f"{named}:{port}"
    site = bare_host(host) or "unknown"
    scheme = parts.scheme if parts.scheme in ("http", "https") else "https"
    return SiteProfile(
        id=re.sub(r"[^a-z0-9._-]", "-", site).strip("-._") or "unknown",
        name=host or "unknown site",
        origin=f"{scheme}://{netloc or 'unknown.invalid'}",
        project_paths=("^/",),
    )
