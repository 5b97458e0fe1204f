"""A page as the stages hand it on: its parse result, its stored state, its archived capture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pipeline.model.fetch import FetchResult
from schemas import ProjectRecord

Kind = Literal["project", "not_project", "invalid"]

# Bump when the parser's output for the same HTML changes: stored pages are then re-parsed.
PARSER_VERSION = 9  # 2: grant facts, contact read by form, badges, tags, related cards
# 3: the main heading without <h1>, table label rows, cloaked e-mails, value cells split
# 4: hidden content (inline styles, the page's own <style>), sidebars with facts, person and
#    grantee cards, eyebrow lines, every related card
# 5: the grantee's card beside <main>, subheadlines, quarters and open periods, facts in prose,
#    funders joined by a conjunction, the breadcrumb's topic, related cards with dates
# 6: a card's title heading under the grantee's eyebrow, the person's role set apart, the
#    funder's own contact box, accordion titles in heading buttons, a post's term links as its
#    topics, related blocks without their listing links, "ss" spellings, subtitles ranked
#    apart from the sections, sentences naming the project by its title
# 7: bylines and dated meta lines never the short title, tag and keyword links as topics,
#    related posts in an aside after <main>, sums under a funders label as the grant, news
#    items on the project template told apart, portlet terms ending the contact, <label> lines,
#    comma-joined addresses and person-first cards, question-mark labels
# 8: a fact row's label and value as adjacent elements read apart, values nested under a fact
#    item's label, legal forms' dots and status badges never ending or making facts, related
#    cards in link menus, after pager arrows and with teasers cut short, the foundation's own
#    contact heading opening no block, persons before the organization ("Role: Name"), funders
#    in perfect tense and verb-second prose, phrase subtitles, topic listings by their title
# 9: a label written with a letter that case-insensitive matching pairs with an ASCII one
#    ("Laufzeıt", a dotless i) read as the label listed, where the page's parse failed


@dataclass(frozen=True, slots=True)
class PageState:
    """The last successful fetch of one page (by canonical key)."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None
    links: tuple[str, ...]  # site URLs the page linked to, replayed when it is unchanged
    is_project: bool  # the page gave a project record
    verified_at: datetime | None  # when the server last confirmed this content (200 or 304)
    parser_version: int = PARSER_VERSION
    # The page's last full capture in the archive, which a revisit record refers to.
    warc_record_id: str | None = None
    warc_target_uri: str | None = None
    warc_date: str | None = None
    payload_digest: str | None = None
    sitemap_lastmod: str | None = None  # the sitemap's lastmod at the last fetch, as written
    profile_fingerprint: str | None = None  # the site profile the page was last parsed with

    def same_extractor(self, fingerprint: str) -> bool:
        """Whether the page was last parsed by this parser version with this profile."""
        return self.parser_version == PARSER_VERSION and self.profile_fingerprint == fingerprint


@dataclass(frozen=True, slots=True)
class Capture:
    """Where a page's archived response lives, and its payload digest (``sha1:BASE32``)."""

    warc_file: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    date: str  # WARC-Date of the record
    target_uri: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a page did not yield a valid record: the field (or ``page``) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParseResult:
    url: str
    kind: Kind
    record: ProjectRecord | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # hrefs of the content's links as written, for the crawler

    @property
    def ok(self) -> bool:
        return self.record is not None


@dataclass(slots=True)
class CrawledPage:
    """A fetch and what came of it, handed to the sink (warehouse, archive) as it happens."""

    fetch: FetchResult
    parse: ParseResult | None = None  # project pages with a new body
    links: tuple[str, ...] = ()  # in-scope site URLs the page links to
    recheck: bool = False  # the second request for a known project page that answered 404
    duplicate_of: str | None = None  # a redirect ended on a page this run already had
    previous: PageState | None = None  # what the warehouse knew of the page before this run
    record_json: str | None = None  # ``parse.record`` as JSON, when a parse worker made it
    lastmod: str | None = None  # the page's sitemap lastmod in this run, as written
    fingerprint: str | None = None  # of the site profile the crawl parses with
