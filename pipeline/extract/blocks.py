"""Label-anchored value blocks: funders and related projects, and the lines that follow a label."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pipeline import labels
from pipeline.extract.lines import Line
from pipeline.extract.topics import term_link
from pipeline.extract.vocabulary import (
    AWAY_CONTACT_HEADINGS,
    AWAY_DATELINE,
    AWAY_LABEL,
    AWAY_LED_NOTICE,
    AWAY_MARKER,
    Lexicon,
)
from pipeline.normalize.dates import DATE_LINE
from pipeline.normalize.text import collapse, fold
from pipeline.urls import absolute

MAX_VALUE_LINES = 12


_LABEL_CELLS = frozenset({"th", "dt"})


def _stops(line: Line, label: Line, lex: Lexicon) -> bool:
    text, away = line.text, line.away  # (each pattern behind its quick test: Line.away)
    return (
        line.kind == "h"
        or line.aside != label.aside
        # a fact row's label cell, known or not, opens the next row
        or (line.kind in _LABEL_CELLS and label.kind in _LABEL_CELLS)
        # a term's value is its description: a line after the list is none of it
        or (label.kind == "dt" and line.kind not in ("dd", "li"))
        or (not away & AWAY_LABEL and lex.match_label(text) is not None)
        or (not away & AWAY_MARKER and lex.marker_lines.match(text) is not None)
        or (
            not away & AWAY_CONTACT_HEADINGS
            and len(text) < 60
            and lex.contact_headings.match(text) is not None
        )
        or (len(line.links) > 1 and _page_tools(line, lex))
        or (away & AWAY_LED_NOTICE != AWAY_LED_NOTICE and lex.led_notice(text))
        # a document's own record ("Letzte Änderung: 12.03.2019 | Erstellt von: ...")
        or (
            line.kind != label.kind
            and not away & AWAY_DATELINE
            and lex.dateline.match(text) is not None
        )
    )


def _page_tools(line: Line, lex: Lexicon) -> bool:
    """A line of page tools ("Zurück · Seite drucken", "Back | Print page"): every link on it
    a chrome line."""
    return all(lex.chrome_lines.match(link.text) for link in line.links)


def value_lines(lines: list[Line], taken: list[bool], index: int, lex: Lexicon) -> list[int]:
    """Indexes of the lines that carry the value of the label line at ``index``.

    They run until a heading, another label, a consumed line, or a sentence of running text.
    """
    label = lines[index]
    row_list = label.list_id if label.kind == "li" else -2
    found: list[int] = []
    for j in range(index + 1, min(len(lines), index + 1 + MAX_VALUE_LINES)):
        line = lines[j]
        if taken[j] or _stops(line, label, lex):
            break
        if line.list_id == row_list and found and lines[found[-1]].list_id != row_list:
            break  # the label's items nested under it: its own list's next item is the next row
        if line.kind in ("p", "dd", "td", "li") and (
            len(line.text) > 150
            or (
                line.text.endswith(".")
                and len(line.text) > 60
                # (a name whose legal form ends in a dot, "Verein Y e. V.", is no sentence)
                and not line.text.endswith(labels.ABBREVIATED_NAME_ENDS)
            )
        ):
            break
        found.append(j)
    return found


def related_block(lines: list[Line], index: int, lex: Lexicon) -> list[int]:
    """The lines under a related-projects heading at ``index``: its cards (every line of a card
    is in its link), with their own sub-headings, up to the next heading of its level or the
    first line outside a link (a news block is never part of it)."""
    head = lines[index]
    found: list[int] = []
    last = min(len(lines), index + 1 + 4 * MAX_VALUE_LINES)
    for j in range(index + 1, last):
        line = lines[j]
        if (
            not line.links
            and not card_meta(line.text, lex)
            and not _card_text(lines, j, found)
            and not _excerpt(lines, j, found)
        ):
            break  # (a card's own status badge or date, outside its link, is part of it)
        if line.kind == "h" and (
            # (a card's title in the card's link, ranked above the block's heading, is a card's)
            (line.level <= head.level and not line.links) or lex.news_heading.match(line.text)
        ):
            break
        if line.kind != "h" and _stops(line, head, lex) and not _read_more(line, lines, found, lex):
            break
        found.append(j)
    return found


def card_meta(text: str, lex: Lexicon) -> bool:
    """A line of a teaser card beside its link: a status badge or a date."""
    return lex.is_status_word(text) or (len(text) <= 20 and DATE_LINE.match(text) is not None)


def _card_text(lines: list[Line], j: int, found: list[int]) -> bool:
    """A card's teaser text outside its links: between the card's heading link and its "read
    more" link to the same page."""
    linked = _last_linked(lines, found)
    if linked is None or j + 1 >= len(lines):
        return False
    target = linked.links[-1].href
    return target is not None and any(link.href == target for link in lines[j + 1].links)


def _read_more(line: Line, lines: list[Line], found: list[int], lex: Lexicon) -> bool:
    """A card's "read more" link ("mehr", "Weiterlesen »") to the card's own page."""
    linked = _last_linked(lines, found)
    if linked is None or len(line.links) != 1 or not lex.teaser_link.match(line.text):
        return False
    return line.links[0].href is not None and line.links[0].href == linked.links[-1].href


def _last_linked(lines: list[Line], found: list[int]) -> Line | None:
    """The block's last line with a link (the card's heading; its date may follow it), among
    its last few lines."""
    return next((lines[k] for k in reversed(found[-3:]) if lines[k].links), None)


def _excerpt(lines: list[Line], j: int, found: list[int]) -> bool:
    """A card's excerpt outside its links, when the line after it opens another card the way
    a card of the block opened: its topic links, or one link beside the earlier cards' own;
    or, right under a card's link, a teaser cut short ("... für das ganze Dorf: mit…")."""
    if not found or not lines[found[-1]].links:
        return False
    if lines[j].text.endswith(_CUT_SHORT):
        return True
    if j + 1 >= len(lines):
        return False
    after = lines[j + 1]
    return bool(after.links) and any(_same_opening(lines[k], after) for k in found)


_CUT_SHORT = ("…", "...")


def _same_opening(seen: Line, line: Line) -> bool:
    if seen.kind != line.kind or not seen.links or not line.links:
        return False
    if all(term_link(k.href) for k in seen.links):
        return all(term_link(k.href) for k in line.links)
    if len(seen.links) != 1 or len(line.links) != 1 or seen.links[0].href == line.links[0].href:
        return False
    return _folder(seen.links[0].href) == _folder(line.links[0].href)


def _folder(href: str | None) -> str:
    return urlsplit(href or "").path.rstrip("/").rpartition("/")[0]


_NAME_SPLIT = re.compile(r"\s*[;,]\s+")
_SUBUNIT = re.compile(rf"^(?:{'|'.join(re.escape(w) for w in labels.SUBUNIT_WORDS)})\b")


def split_names(text: str) -> list[str]:
    """Names listed on one line: "Gesamtschule Am Kirchberg, Bürgerfunk Ehrenfeld"; a part
    after a comma that names a part of the organization before it ("University of Hamburg,
    Faculty of Law") stays with it."""
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        if names and _SUBUNIT.match(part):
            names[-1] = f"{names[-1]}, {part}"
        elif part:
            names.append(part)
    return names


# "X-Stiftung und Y", "X Foundation and Y": names joined by a conjunction. Split only after a
# name with an organization's form ("Bund und Länder" stays one).
_CONJUNCTION = re.compile(r"\s+(?:und|and|sowie|&)\s+(?:(?:der|die|das|dem|den|des|the)\s+)?")
# "Behörde für Schule und Berufsbildung", "Verein für Kinder und Jugend e.V.": a name whose
# words before the conjunction end in a preposition's phrase enumerates within itself.
_OPEN = re.compile(r"\s(?:für|fuer|for|of|zur|zum|gegen|against)\s", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:der|die|das|dem|den|des|the)\s+(?=[A-ZÄÖÜ])")


def split_conjoined(text: str, lex: Lexicon) -> list[str]:
    """Funders named in one phrase: "der Tamsen-Stiftung und der Y-Behörde" is two names, each
    without its article, when the name before the conjunction has an organization's form."""
    text = _ARTICLE.sub("", text)
    for match in _CONJUNCTION.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        if right[:1].isupper() and lex.organization_word.search(left) and not _OPEN.search(left):
            # "X-Stiftung, Land Y und Stadt Z": the commas before the conjunction list names too
            names = [_ARTICLE.sub("", name) for name in split_names(left)]
            return [*names, *split_conjoined(right, lex)]
    return [text]


# "..., Jugend und Familie": the list ends in a conjunction -- one name's own enumeration
# ("Senatsverwaltung für Bildung, Jugend und Familie"), never split.
_ENUMERATION_END = re.compile(r"\s(?:und|and|sowie|&|u\.)\s", re.IGNORECASE)


def split_value(text: str, lex: Lexicon) -> list[str]:
    """The names in a fact's value cell, a comma or semicolon between them ("Stadt A, Land B";
    "Kinder, Jugendliche"); a name that enumerates within itself stays whole, and so does a
    person's name with a degree after it ("Eva Roth, MSc")."""
    parts = split_names(text)
    # (a last name with its own enumeration after a preposition -- "Stiftung für Engagement und
    # Ehrenamt" -- ends no enumeration of the names before it)
    if len(parts) < 2 or (_ENUMERATION_END.search(parts[-1]) and not _OPEN.search(parts[-1])):
        return [", ".join(parts)] if parts else [text]
    names: list[str] = []
    for part in parts:
        if names and lex.person_degree.match(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def funder_name(text: str, lex: Lexicon) -> str | None:
    """A funder's name from a caption, alt text or link title ("Link zum X" is X)."""
    text = collapse(text)
    match = lex.funder_link.match(text)
    if match:
        text = match["name"]
    text = lex.logo_affix.sub("", text).strip(" :–-")
    if text.endswith(")"):
        text = lex.funding_note.sub("", text)  # "Stadt X (Kofinanzierung)" is Stadt X
    return text or None


def unique_funders(names: Iterable[str]) -> list[str]:
    """Funder names in order, each once: a logo's alt text and its caption are one funder."""
    funders: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name and (key := fold(name)) not in seen:
            seen.add(key)
            funders.append(name)
    return funders


def related_urls(lines: list[Line], page_url: str) -> list[str]:
    """Absolute URLs of the links in a related-projects block, in order, de-duplicated; the
    block's link to the listing and its cards' topic links are no projects."""
    found: list[str] = []
    for line in lines:
        for link in line.links:
            url = absolute(link.href or "", page_url)
            if url is not None and url not in found and not listing_link(url, page_url):
                found.append(url)
    return found


def listing_link(url: str, page_url: str) -> bool:
    """Whether a link goes to a listing rather than a page: a topic's listing, or the listing
    the page sits in (a folder above the page's own address, "All projects"), filtered or not.
    A link shaped like a topic's listing is one only when the page's own address is not shaped
    so: a site that files its projects under "/themen/<slug>/" links its other projects so."""
    if term_link(url):
        return not term_link(page_url)
    target, page = urlsplit(url), urlsplit(page_url)
    if target.netloc != page.netloc:
        return False
    folder = target.path.rstrip("/") + "/"
    return folder != "/" and page.path.startswith(folder) and len(page.path) > len(folder)
