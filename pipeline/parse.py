"""parse_page: one page's HTML and URL in, one validated project record (or its problems) out.

Pure: no network, no database, no clock. The steps, each reading the lines that the previous
ones left: the title block, the contact block, labelled facts (status, period, funders, related
projects, headed lists), bare lists, then the descriptive sections.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import ValidationError

from pipeline.decode import decode_html
from pipeline.extract.blocks import (
    card_meta,
    funder_name,
    related_block,
    related_urls,
    split_conjoined,
    split_names,
    split_value,
    unique_funders,
    value_lines,
)
from pipeline.extract.body import list_groups, sections
from pipeline.extract.contact import ContactData, column_header, find_contact_blocks, read_contact
from pipeline.extract.crumbs import breadcrumb_category
from pipeline.extract.lines import Document, Line, read_document
from pipeline.extract.nesting import MAX_BLOCK_NESTING
from pipeline.extract.prose import read_prose
from pipeline.extract.title import find_title
from pipeline.extract.topics import title_topics
from pipeline.extract.vocabulary import (
    AWAY_CLOSED,
    AWAY_LABEL,
    AWAY_LED_NOTICE,
    AWAY_MARKER,
    AWAY_NEWS_HEADING,
    AWAY_RELATED,
    LabelHit,
    Lexicon,
    lexicon_for,
)
from pipeline.labels import CONTACT_FIELDS, PERIOD_START_LABELS
from pipeline.model import ParseResult, Problem
from pipeline.normalize.amounts import Amount, amount_only, parse_amount
from pipeline.normalize.dates import TITLE_YEARS, PeriodValue, parse_period
from pipeline.profiles import SiteProfile
from pipeline.urls import absolute, bare_host, canonical_key, canonical_url, host_of, url_problem
from schemas import build_record

MAX_HTML_CHARS = 8_000_000


@dataclass(slots=True)
class _Facts:
    """What the extractors found, before validation."""

    status_raw: str | None = None  # set by a status label line
    short_title: str | None = None  # set by a short-title row ("Kurztitel", "Short name")
    period: PeriodValue | None = None
    period_raw: str | None = None
    funders: list[tuple[int, str]] = field(default_factory=list)
    grant_amount: Amount | None = None
    partners: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    focus_areas: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    related_label: bool = False
    division: str | None = None
    closed_notice: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> bool:
        return self.status_raw is not None


def parse_page(
    html: str | bytes, url: str, profile: SiteProfile, content_type: str | None = None
) -> ParseResult:
    """Parse one page of ``profile``'s site (give a generic profile for an unknown host).

    Never raises for bad input: problems come back in the result.
    """
    raw: bytes | None = None
    if isinstance(html, bytes):
        raw = html
        html, codec = decode_html(raw, content_type)
        if codec != "utf-8" or raw.startswith(codecs.BOM_UTF8) or "\ufffd" in html:
            raw = None  # lexbor reads UTF-8: only bytes that decoded exactly are passed on
    if not html or html.isspace():
        return ParseResult(url, "invalid", problems=(Problem("page", "the document is empty"),))
    if "<" not in html[:2048]:
        return ParseResult(
            url,
            "invalid",
            problems=(Problem("page", "the document is not HTML (no markup in its first 2 KiB)"),),
        )
    warnings: list[str] = []
    if len(html) > MAX_HTML_CHARS:
        warnings.append(f"page truncated from {len(html)} to {MAX_HTML_CHARS} characters")
        html, raw = html[:MAX_HTML_CHARS], None
    lex = lexicon_for(profile)
    try:
        # The page's own bytes spare lexbor encoding the text to UTF-8 again.
        doc = read_document(html if raw is None else raw, lex)
    except Exception as exc:  # lexbor is robust; this guards the contract "never raises"
        return ParseResult(url, "invalid", problems=(Problem("page", f"unreadable HTML: {exc}"),))
    if doc.flattened:
        warnings.append(
            f"blocks nested deeper than {MAX_BLOCK_NESTING} levels read flat "
            f"({doc.flattened} tags dropped)"
        )
    return _extract(doc, url, warnings, profile, lex)


def _badge_status(badges: list[str], facts: _Facts, lex: Lexicon) -> None:
    """The title block's status badge. Badges of different statuses side by side (a CMS that
    publishes every badge and hides all but one with a style sheet the page links to): which
    one a reader sees is unknown, so none is taken."""
    statuses = {lex.status_of(badge) for badge in badges}
    if len(statuses) > 1:
        facts.warnings.append(
            f"status badges {', '.join(repr(b) for b in badges)} side by side: none taken"
        )
    elif badges:
        facts.status_raw = badges[0]


def _host(url: str) -> str:
    return bare_host(host_of(url))


def _page_url(url: str, canonical: str | None, profile: SiteProfile) -> str:
    """The page's own URL: its ``<link rel=canonical>`` on the same host or the site's hosts."""
    resolved = absolute(canonical, url) if canonical else None
    if resolved is None or resolved == url or url_problem(resolved):
        return url
    # A mirror or staging copy names the public page: accept the profile's own hosts.
    host = _host(resolved)
    return resolved if host == _host(url) or host in profile.hosts else url


def _extract(
    doc: Document, url: str, warnings: list[str], profile: SiteProfile, lex: Lexicon
) -> ParseResult:
    lines = doc.lines
    page_url = _page_url(url, doc.canonical, profile)
    # The profile's origin names the page only when the page is on one of the site's hosts.
    on_site = _host(page_url) in profile.hosts
    origin = profile.origin if on_site else None
    taken = [False] * len(lines)
    facts = _Facts(warnings=warnings)

    title = find_title(lines, doc.title_tag, lex, doc.og_title)
    badges: list[str] = []
    for i in range(title.end):
        taken[i] = True
        # A status badge in the title block: a line that is one status word ("laufend").
        line = lines[i]
        if line.kind != "h" and lex.is_status_word(line.text):
            badges.append(line.text)
        elif (
            not line.away & AWAY_MARKER
            and (match := lex.marker_lines.match(line.text)) is not None
            and match["closed"]
        ):
            facts.closed_notice = True  # a status message over the title: "Project ended."
    _badge_status(badges, facts, lex)

    contact = _contact(lines, taken, facts, lex)

    # Relative links are relative to the page's <base href> when it has one.
    link_base = (absolute(doc.base, url) if doc.base else None) or page_url
    teasers = _read_labels(lines, taken, facts, link_base, title.end, lex)
    topics = title_topics(lines, title.end)
    if not facts.focus_areas:
        facts.focus_areas = topics.topics  # (before bare lists: those are then services)
    _read_bare_lists(lines, taken, facts, title.end)
    if not facts.focus_areas:
        facts.focus_areas = breadcrumb_category(doc.crumbs, link_base, page_url)
    body = sections(lines, taken, title.end, lex.news_heading, AWAY_NEWS_HEADING)

    # An expiry date in the title block ("(abgeschlossen am 30.06.2019)"): the first one.
    expiry = next((m for t in title.texts if (m := lex.expiry.search(t))), None)
    # The project's own facts: a news item built on the project template has none of them
    # (only amounts, dates -- a period too -- and a contact).
    own = (
        facts.status_label
        or facts.division is not None
        or facts.closed_notice
        or expiry is not None
        or facts.related_label
        # (funders that are all persons' names -- a team page's funding desk -- say nothing)
        or any(not lex.is_person(name) for _i, name in facts.funders)
    )
    # a contact alone (a job ad's, a news post's) needs an organization or an address
    any_fact = (
        own
        or facts.period is not None
        or (contact is not None and bool(contact.organization or contact.street or contact.city))
    )
    listed = bool(facts.partners or facts.target_groups)  # (the project's, not the news')
    if not (own or listed) and _news_item(doc.crumbs, lines[: title.end], lex):
        reason: str | None = "a news item: no project facts of its own"
    else:
        reason = _not_a_project(title.title, teasers, any_fact, lex)
    if reason is not None:
        return ParseResult(
            page_url,
            "not_project",
            warnings=(f"not a project page ({reason})",),
            links=_links(doc, link_base),
        )

    _prose_facts(lines, taken, facts, title.end, lex, title.title)
    status, status_raw = _status(facts, expiry, lex)
    period = facts.period or _title_period(title.texts, lex)
    if period is None:
        facts.warnings.append("no period found")
    if status == "unknown":
        facts.warnings.append("no status found")
    if contact is None:
        facts.warnings.append("no contact block found")
    division = (contact.division if contact else None) or facts.division
    funders = unique_funders(name for _index, name in sorted(facts.funders, key=lambda f: f[0]))

    lang = (doc.lang or "").split("-")[0].lower()
    if lang not in ("de", "en"):
        lang = profile.lang_for_path(urlsplit(page_url).path) if on_site else "de"
    keep = profile.keep_param
    project_id = canonical_key(page_url, keep)
    data: dict[str, object] = {
        "project_id": project_id,
        "url": canonical_url(page_url, origin, keep),
        "site": profile.id if on_site else _host(page_url) or "unknown",
        "lang": lang,
        "title": title.title,
        # (a status badge under the title -- "Abgeschlossen" -- is no subtitle)
        "short_title": facts.short_title
        or (
            None
            if title.short_title in topics.meta or title.short_title in badges
            else title.short_title
        ),
        "status": status,
        "status_raw": status_raw,
        "period": period.as_dict() if period else None,
        "funders": funders,
        "grant_amount": facts.grant_amount.as_dict() if facts.grant_amount else None,
        "partners": [p for p in facts.partners if p not in funders],
        "target_groups": facts.target_groups,
        "contact": contact.as_dict() if contact else None,
        "focus_areas": facts.focus_areas,
        "services": facts.services,
        "division": division,
        "closed_notice": facts.closed_notice,
        "related": [
            canonical_url(u, profile.origin if _host(u) in profile.hosts else None, keep)
            for u in facts.related
            if canonical_key(u, keep) != project_id
        ],
        "sections": body,
    }
    return _validate(page_url, data, facts.warnings, _links(doc, link_base))


def _contact(
    lines: list[Line], taken: list[bool], facts: _Facts, lex: Lexicon
) -> ContactData | None:
    """The contact block's lines (the grantee's row and its contact person's block) read."""
    block_lines: list[Line] = []
    closed = lex.closed_notice.regex.match
    for start, end in find_contact_blocks(lines, taken, lex):
        for i in range(start, end):
            taken[i] = True
            if not lines[i].away & AWAY_CLOSED and closed(lines[i].text):
                facts.closed_notice = True
        block_lines.extend(lines[start:end])
    if not block_lines:
        return None
    found = read_contact(block_lines, lex)
    return None if found.is_empty() else found


def _prose_facts(
    lines: list[Line],
    taken: list[bool],
    facts: _Facts,
    start: int,
    lex: Lexicon,
    title: str | None = None,
) -> None:
    """The period, funders and amount no label gave, from a sentence about the project (read
    once the page is known for a project page: prose never makes one). Only a page missing its
    period or its funders is read (the amount with them): a page with both labelled states its
    amount by a label too, and reading every page's prose would cost ~10 % of a parse."""
    want = (
        facts.period is None and facts.period_raw is None,
        not facts.funders,
        facts.grant_amount is None,
    )
    if not (want[0] or want[1]):
        return
    found = read_prose(lines, taken, start, lex, want, title)
    if found.period is not None and want[0]:
        facts.period, facts.period_raw = found.period, found.period.raw
    if found.funders:
        facts.funders.extend((len(lines), name) for name in found.funders)
    if found.amount is not None:
        facts.grant_amount = found.amount


def _news_item(crumbs: tuple[tuple[str, str], ...], block: list[Line], lex: Lexicon) -> bool:
    """Whether a page sits in a news section as a reader sees it: its breadcrumb trail links
    one ("Startseite > Aktuelles"), or a kicker in its title block names one ("News",
    "Aktuelles · 18. November 2026")."""
    return any(lex.news_section.match(text) for text, _href in crumbs[1:]) or any(
        line.kind == "p"
        and not line.links  # (a menu's link to the news section is no kicker)
        and len(line.text) <= 40
        and lex.news_section.match(line.text)
        for line in block
    )


def _not_a_project(title: str | None, teasers: int, facts: bool, lex: Lexicon) -> str | None:
    """Why a page is no project page, or None when it is one."""
    if title is None:
        return "no title"
    if teasers >= 2:
        return f"{teasers} teaser links: a listing"
    if not facts:
        return "no project facts"
    if lex.non_project_title.match(title):
        return "the foundation's own page (imprint, team, contact ...)"
    if lex.listing_title.match(title):
        return "a topic's listing: its taxonomy's word in the title"
    return None


def _links(doc: Document, link_base: str) -> tuple[str, ...]:
    """The content's links for the crawler: as written, or absolute against the page's
    ``<base href>`` when it has one (the crawler resolves what is relative against the page)."""
    if not doc.base:
        return doc.hrefs
    return tuple(url for href in doc.hrefs if (url := absolute(href, link_base)))


def _validate(
    page_url: str, data: dict[str, object], warnings: list[str], links: tuple[str, ...]
) -> ParseResult:
    try:
        record = build_record(data)
    except ValidationError as exc:
        problems = tuple(
            Problem(".".join(str(p) for p in err["loc"]) or "record", err["msg"])
            for err in exc.errors()
        )
        return ParseResult(
            page_url, "invalid", problems=problems, warnings=tuple(warnings), links=links
        )
    return ParseResult(page_url, "project", record=record, warnings=tuple(warnings), links=links)


def _read_labels(
    lines: list[Line],
    taken: list[bool],
    facts: _Facts,
    page_url: str,
    body_start: int,
    lex: Lexicon,
) -> int:
    """Read labelled facts and chrome lines; returns the number of teaser ("mehr") links."""
    teasers = 0
    seen: set[int] = set()  # a link around blocks (a card) is on each of their lines
    # list id -> its items' labels by line (empty: no fact list), judged at its first item
    fact_lists: dict[int, dict[int, LabelHit]] = {}
    # (the hot loop: the lexicon's matchers read once)
    # (a line's quick tests read once: Line.away)
    marker, led_notice, match_label = lex.marker_lines.regex.match, lex.led_notice, lex.match_label
    related = lex.related_heading.regex.match
    for i, line in enumerate(lines):
        for link in line.links if line.links else ():  # (most lines: no link)
            if id(link) in seen:
                continue
            seen.add(id(link))
            if lex.teaser_link.match(link.text or "") and not (line.aside or taken[i]):
                teasers += 1
            elif link.title and lex.logo_link.match(link.title):
                facts.funders.append((i, funder_name(link.title, lex) or ""))
        if taken[i]:
            continue
        text, away = line.text, line.away
        if line.kind == "img" and lex.logo_link.match(text):
            facts.funders.append((i, funder_name(text, lex) or ""))
            taken[i] = True
        elif (match := None if away & AWAY_MARKER else marker(text)) or (
            away & AWAY_LED_NOTICE != AWAY_LED_NOTICE and led_notice(text)
        ):
            # chrome, a document's record ("Last changed: 14.05.2018"), the closed notice (None:
            # after a lead word), a division's link
            taken[i] = True
            if match is None or match["closed"]:
                facts.closed_notice = True
            elif match["division"]:
                facts.division = (match["name"] or match["en"]).strip()
        elif (
            hit := (None if away & AWAY_LABEL else match_label(text))
            or (
                _related_heading(related(text))
                if line.kind == "h" and not away & AWAY_RELATED
                else None
            )
            or (_fact_item(lines, i, lex, fact_lists) if line.kind == "li" else None)
        ) is not None and i >= body_start:
            _read_label(lines, taken, facts, i, hit, page_url, lex)
    return teasers


MIN_FACT_ITEMS = 3


def _fact_item(
    lines: list[Line], i: int, lex: Lexicon, fact_lists: dict[int, dict[int, LabelHit]]
) -> LabelHit | None:
    """An item of a fact list (every item a label and its value, no colon between: "Fördergeber
    Stadt A und Land B", "Grant amount up to €25,000"): its label, read as if a colon followed."""
    list_id = lines[i].list_id
    if list_id < 0:
        return None
    known = fact_lists.get(list_id)
    if known is None:
        # its outer list's lines stand together: read them from the first to the last
        top, first, last = lines[i].top_list, i, i
        while first > 0 and lines[first - 1].top_list == top:
            first -= 1
        while last + 1 < len(lines) and lines[last + 1].top_list == top:
            last += 1
        own = [
            j
            for j in range(first, last + 1)
            if lines[j].list_id == list_id and lines[j].kind == "li"
        ]
        hits = {j: None if lines[j].links else lex.item_label(lines[j].text) for j in own}
        labelled = {j: hit for j, hit in hits.items() if hit is not None}
        # (a list of steps, "Partner finden", "Themen festlegen", "Start im Frühjahr", opens
        # each item with a label's word too: a fact list states at least one fact that reads)
        is_facts = (
            len(own) >= MIN_FACT_ITEMS
            and len(labelled) == len(own)
            and any(_states_a_fact(hit, lex) for hit in labelled.values())
        )
        known = labelled if is_facts else {}
        fact_lists[list_id] = known
    return known.get(i)


def _states_a_fact(hit: LabelHit, lex: Lexicon) -> bool:
    """Whether a label's value is a fact that reads as one: a period, an amount, a status."""
    if hit.field == "period":
        return parse_period(hit.value) is not None
    if hit.field == "grant_amount":
        return parse_amount(hit.value) is not None
    if hit.field == "status":
        return lex.status_of(hit.value) is not None
    return False


def _related_heading(match: re.Match[str] | None) -> LabelHit | None:
    """A heading that starts with a related label and says more ("More projects like this"):
    the match of ``related_heading`` on it."""
    return (
        None if match is None else LabelHit("related", match["label"].lower(), match["value"], True)
    )


@dataclass(frozen=True, slots=True)
class _Label:
    """One label line being read: where it is, what matched, the lines that may carry its value."""

    lines: list[Line]
    i: int
    hit: LabelHit
    follow: list[int]  # indexes of the value lines after the label line
    page_url: str
    lex: Lexicon

    @property
    def values(self) -> list[str]:
        """The value: on the label's line, else its first value line."""
        return [self.hit.value] if self.hit.value else [self.lines[j].text for j in self.follow[:1]]


# A field's reader records what the label says and returns the value lines it took, or None
# when the line is not that label after all (an inline label in running text).
_Reader = Callable[[_Label, _Facts], "list[int] | None"]


def _status_label(label: _Label, facts: _Facts) -> list[int] | None:
    if label.hit.inline and label.lex.status_of(label.hit.value) is None:
        return None
    if label.values and not facts.status_label:
        facts.status_raw = label.values[0]
    return label.follow[:1]


def _period_label(label: _Label, facts: _Facts) -> list[int] | None:
    values = label.values
    parsed = parse_period(values[0]) if values else None
    if label.hit.label in PERIOD_START_LABELS and values:
        # "Start: 03/2026" names the start of an open period; "Start: Anmeldung" no period.
        parsed = _start_only(parse_period(values[0]))
        if parsed is None:
            return None
    if label.hit.inline and parsed is None:
        return None  # "Laufzeit von 2008 bis 2014 war ..." is running text
    if values and facts.period is None and facts.period_raw is None:
        facts.period, facts.period_raw = parsed, values[0]
        if parsed is None:
            facts.warnings.append(f"period not understood: {values[0]!r}")
    return label.follow[:1]


def _start_only(period: PeriodValue | None) -> PeriodValue | None:
    """A start label's period: its first day on, with no end (a lone date is the start)."""
    if period is None or period.start is None:
        return None
    return PeriodValue(period.start, None, period.start_precision, None, period.raw)


def _funders_label(label: _Label, facts: _Facts) -> list[int] | None:
    text = label.lines[label.i].text
    if label.hit.inline and (len(text) > 150 or text.endswith(".")):
        return None
    if not label.hit.value and _under_a_name(label):
        return None  # "Eva Roth" over "Projektförderung": her desk, no label
    found: list[tuple[int, str]] = []
    # A value cell written twice (a logo's alt text and its caption) is read once.
    read: dict[tuple[bool, str], list[tuple[Amount | None, str]]] = {}
    for j in [label.i, *label.follow]:
        line = label.lines[j]
        key = (line.kind == "li", line.text)
        if j == label.i:
            values = _funder_values(_funders_on_label_line(label), label.lex)
        elif _reach(line):
            continue  # a phone or mail link: a person's card under a desk's name, no funder
        elif key in read:
            values = read[key]
        else:  # a value cell: "Stadt A, Land B" names two funders
            names = [line.text] if key[0] else split_value(line.text, label.lex)
            values = read[key] = _funder_values(names, label.lex)
        for amount, name in values:
            if amount is None:
                found.append((j, name))
            elif facts.grant_amount is None:
                facts.grant_amount = amount  # "Förderung: 2.500 Euro": the grant, not a giver
    facts.funders.extend(found)
    return label.follow


def _funder_values(names: list[str], lex: Lexicon) -> list[tuple[Amount | None, str]]:
    """A funders value's parts, each an amount (a sum under the label) or a funder's name."""
    out: list[tuple[Amount | None, str]] = []
    for part in (part for name in names for part in split_conjoined(name, lex)):
        amount = amount_only(part)
        out.append((amount, "" if amount is not None else funder_name(part, lex) or ""))
    return out


def _under_a_name(label: _Label) -> bool:
    """Whether a label line of a card's text stands right under a person's name."""
    if label.i == 0 or label.lines[label.i].kind not in ("p", "li"):
        return False
    before = label.lines[label.i - 1]
    return before.kind in ("p", "h") and label.lex.is_person(before.text)


def _reach(line: Line) -> bool:
    """Whether a line links only a phone number or a mail address."""
    return bool(line.links) and all(
        (link.href or "").lower().startswith(("tel:", "mailto:")) for link in line.links
    )


def _funders_on_label_line(label: _Label) -> list[str]:
    """The funders after the label on its line: "Gefördert von: Stadt A, Land B" names two
    (split as a value cell is); an inline label's value without a colon stays as written."""
    value = label.hit.value
    if not value:
        return []
    # (in a list item or a cell, "Supported by X, Y" is a fact row: its value a value cell)
    inline = label.hit.inline and label.lines[label.i].kind not in _ROW_CELLS
    return [value] if inline else split_value(value, label.lex)


_ROW_CELLS = frozenset({"li", "dd", "td"})


def _related_label(label: _Label, facts: _Facts) -> list[int] | None:
    lines, follow = label.lines, label.follow
    head, after = lines[label.i], (follow[-1] if follow else label.i) + 1
    if label.hit.value:
        if head.kind != "h" or head.links:
            return None  # "Weitere Projekte der Stiftung finden Sie ..." is running text
        # "Mehr Projekte aus Kassel": a heading that starts with the label, cards under it.
        follow = related_block(lines, label.i, label.lex)
    elif head.kind == "h" and (
        (after < len(lines) and lines[after].kind == "h")
        or any(lines[j].links for j in follow[:1])
        or _card_after_meta(lines, follow, label.lex)
    ):
        # Cards under the heading: their own sub-headings (and teasers) belong to the block.
        follow = related_block(lines, label.i, label.lex)
    facts.related_label = True
    facts.related.extend(related_urls([label.lines[j] for j in follow], label.page_url))
    return follow


def _card_after_meta(lines: list[Line], follow: list[int], lex: Lexicon) -> bool:
    """Under a related heading, a card that opens with its date or badge, its link after."""
    if not follow or not card_meta(lines[follow[0]].text, lex):
        return False
    after = follow[0] + 1
    return after < len(lines) and bool(lines[after].links)


def _short_title_label(label: _Label, facts: _Facts) -> list[int] | None:
    values = label.values
    if not values or len(values[0]) > 120:
        return None
    if facts.short_title is None:
        facts.short_title = values[0]
    return label.follow[:1]


def _grant_label(label: _Label, facts: _Facts) -> list[int] | None:
    values = label.values
    amount = parse_amount(values[0]) if values else None
    if amount is None:
        return None  # "Beitrag" over a paragraph of text: no amount, no label
    if facts.grant_amount is None:
        facts.grant_amount = amount
    return label.follow[:1]


def _list_items(label: _Label) -> tuple[list[str], list[int]]:
    """The items of a list-valued label: a list's items, tags (one link each), value lines."""
    lines, follow, hit = label.lines, label.follow, label.hit
    if hit.value:
        tags = [link.text for link in lines[label.i].links if link.text]
        if len(tags) > 1 or (tags and tags[0] == hit.value):
            return tags, []
        return [hit.value], []
    if follow and lines[follow[0]].kind == "li":
        top = lines[follow[0]].top_list
        if lines[label.i].top_list == top:
            follow = _items_to_next_label(lines, follow[0], lines[label.i].list_id)
        else:
            follow = [
                j
                for j in range(follow[0], len(lines))
                if lines[j].top_list == top and lines[j].kind == "li"
            ]
    if lines[label.i].kind == "h":
        # Under a heading, a sentence is the section's text, not an item.
        ends = [k for k, j in enumerate(follow) if _sentence(lines[j].text)]
        follow = follow[: ends[0]] if ends else follow
    items: list[str] = []
    for j in follow:
        tags = [link.text for link in lines[j].links if link.text]
        if len(tags) > 1:
            items.extend(tags)
        elif lines[j].kind == "li":
            items.append(lines[j].text)
        elif match := _DASH_ITEM.match(lines[j].text):
            items.append(match[1])  # "- Offene Trainingsgruppen": a list item as plain text
        else:  # a value cell: "Kinder, Jugendliche" are two items
            items.extend(split_value(lines[j].text, label.lex))
    return items, follow


def _items_to_next_label(lines: list[Line], first: int, label_list: int) -> list[int]:
    """The items under a label that stands in the same list as they do (an accordion or a
    fact list, one item per fact): they end at the next heading or non-item line, and items
    nested under the label's item end at the next item of the label's own list (the next row)."""
    top = lines[first].top_list
    row = label_list if lines[first].list_id != label_list else -2
    end = first
    while (
        end < len(lines)
        and lines[end].kind == "li"
        and lines[end].top_list == top
        and lines[end].list_id != row
    ):
        end += 1
    return list(range(first, end))


# A list item written as a line of text after a dash or bullet ("- item", "• item", "– item").
_DASH_ITEM = re.compile(r"^[-–—•·*]\s+(\S.*)$")


def _sentence(text: str) -> bool:
    """Running text ("Das Sprachcafé ist dienstags geöffnet."), not a name ("... e.V.")."""
    return text.endswith((".", "!", "?")) and text.count(" ") >= 4


# The list fields whose items a label's line may name side by side ("Themen: Kultur, Bildung").
_NAMED_LISTS = frozenset({"partners", "target_groups", "services", "focus_areas"})


def _list_label(label: _Label, facts: _Facts) -> list[int] | None:
    items, follow = _list_items(label)
    if not items and label.lines[label.i].kind == "h":
        return None  # a heading over running text ("Angebot", then sentences): a section
    if label.hit.value and label.hit.field in _NAMED_LISTS:
        items = [part for item in items for part in split_names(item)]
    target = {
        "focus_areas": facts.focus_areas,
        "services": facts.services,
        "partners": facts.partners,
        "target_groups": facts.target_groups,
    }[label.hit.field]
    target.extend(item for item in dict.fromkeys(items) if item not in target)
    return follow


_READERS: dict[str, _Reader] = {
    "status": _status_label,
    "period": _period_label,
    "funders": _funders_label,
    "related": _related_label,
    "focus_areas": _list_label,
    "services": _list_label,
    "partners": _list_label,
    "target_groups": _list_label,
    "grant_amount": _grant_label,
    "short_title": _short_title_label,
}


def _read_label(
    lines: list[Line],
    taken: list[bool],
    facts: _Facts,
    i: int,
    hit: LabelHit,
    page_url: str,
    lex: Lexicon,
) -> None:
    if hit.field in CONTACT_FIELDS:
        taken[i] = True  # outside the contact block: the site footer, never the record
        return
    if column_header(lines, i):
        return  # a listing table's column header ("Jahr | Projekt | Themenfeld"): no value
    follow = [] if hit.value else value_lines(lines, taken, i, lex)
    reader = _READERS.get(hit.field)
    took = follow if reader is None else reader(_Label(lines, i, hit, follow, page_url, lex), facts)
    if took is None:
        return
    taken[i] = True
    for j in took:
        taken[j] = True


def _read_bare_lists(lines: list[Line], taken: list[bool], facts: _Facts, body_start: int) -> None:
    """Bare lists after the contact block: focus areas first, then services."""
    for group in list_groups(lines, taken, body_start):
        if not group.bare:
            continue
        if not facts.focus_areas:
            target = facts.focus_areas
        elif not facts.services:
            target = facts.services
        else:
            break
        for j in group.indexes:
            if lines[j].text not in target:
                target.append(lines[j].text)
            taken[j] = True


def _status(facts: _Facts, expiry: re.Match[str] | None, lex: Lexicon) -> tuple[str, str | None]:
    if facts.status_raw is not None:
        status = lex.status_of(facts.status_raw)
        if status is None:
            facts.warnings.append(f"unknown status word: {facts.status_raw!r}")
            status = "unknown"
        if facts.closed_notice and status != "completed":
            facts.warnings.append(
                f"status {facts.status_raw!r} contradicts the closed notice; taken as completed"
            )
            status = "completed"
        return status, facts.status_raw
    if facts.closed_notice:
        return "completed", None
    if expiry is not None:
        return "completed", expiry["word"]
    return "unknown", None


def _title_period(title_texts: tuple[str, ...], lex: Lexicon) -> PeriodValue | None:
    """A period the title block states: an expiry date, or a year range in parentheses."""
    for text in title_texts:
        match = lex.expiry.search(text)
        if match:
            period = parse_period(f"{match['word']} am {match['date']}")
            if period is not None:
                return PeriodValue(
                    None, period.end, None, period.end_precision, match.group(0).strip(" ()")
                )
    for text in title_texts:
        match = TITLE_YEARS.search(text)
        if match:
            return parse_period(match["period"])
    return None
