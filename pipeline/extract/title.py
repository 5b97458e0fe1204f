"""The title block: the main heading, its repeats, and a short title or subtitle.

Project pages repeat the title two to four times (hero caption, heading, short title, long
title); sometimes a subtitle takes a repeat's place. The block is the h1 with the heading-like
lines around it; whatever stands before the h1 in the content is not body text either.

A page without an ``<h1>`` (older CMS templates: the title in a table cell or an ``<h2>``, a
sidebar's ``<h3>`` modules) has its main heading decided by what a reader sees: the line that
says what the document's ``<title>`` or ``og:title`` says, else the first heading before the
page's facts (a heading after every fact is a sidebar's), else the first heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.lines import Line
from pipeline.extract.topics import byline, term_link
from pipeline.extract.vocabulary import Lexicon
from pipeline.normalize.dates import DATE_LINE, DATED_META, TITLE_YEARS
from pipeline.normalize.text import fold

MAX_TITLE_LINES = 6
MAX_META_LINES = 3
MAX_TITLE_LENGTH = 200
_WORD = re.compile(r"\w{3,}")
# "Projekt X | Beispiel-Stiftung": the site's name after (or before) a spaced separator; the
# name itself may hold a hyphen, never a spaced separator.
# (the separators: a bar, dashes, a middle dot, a guillemet, a double colon)
_SEP = r"(?:[|–—\-·»•]|::)"
_SITE_SUFFIX = re.compile(rf"\s+{_SEP}\s+(?:(?!\s{_SEP}\s).)+$")
_SITE_PREFIX = re.compile(rf"^(?:(?!\s{_SEP}\s).)+\s{_SEP}\s+")
# Lines that may carry the main heading when the page has no <h1>.
_HEADING_KINDS = frozenset({"h", "p", "td", "th", "cap"})


@dataclass(frozen=True, slots=True)
class TitleBlock:
    title: str | None
    short_title: str | None
    end: int  # index of the first line after the block
    texts: tuple[str, ...]  # every line of the block, for expiry and title-period signals


def _tokens(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if w not in stopwords}


def _title_like(line: Line) -> bool:
    if line.kind in ("li", "dd", "td", "th", "dt"):
        return False
    if line.kind in ("h", "img", "cap") or line.header:
        return len(line.text) <= MAX_TITLE_LENGTH
    text = line.text
    return len(text) <= 160 and not text.endswith((".", ":", "!", "?")) and text.count(". ") == 0


@dataclass(frozen=True, slots=True)
class _Title:
    key: str  # folded, to compare
    tokens: frozenset[str]  # its words, for overlap
    lex: Lexicon

    @classmethod
    def of(cls, title: str, lex: Lexicon) -> _Title:
        return cls(fold(title), frozenset(_tokens(title, lex.title_stopwords)), lex)

    def owns(self, line: Line) -> bool:
        """Whether a heading-like line near the h1 is a title repeat/subtitle, not a section."""
        if line.header or fold(line.text) == self.key:
            return True
        if self.lex.expiry.search(line.text) or TITLE_YEARS.search(line.text):
            return True
        return not self.tokens.isdisjoint(_tokens(line.text, self.lex.title_stopwords))


def _subtitle(lines: list[Line], h1: int, index: int, lex: Lexicon, top: int = -1) -> bool:
    """The first line after the page header that holds the h1 (and its dateline), standing
    alone before the description or the first fact's label: a subtitle, even when it shares
    no word with the title."""
    line = lines[index]
    if line.header or index + 1 >= len(lines):
        return False
    after = lines[index + 1]
    top = h1 + 1 if top < 0 else top  # the first line after the h1 and its post meta lines
    if line.kind == "h" and line.level == lines[h1].level + 1 and index == top:
        # A subheadline: the next heading level right below the h1, a fact's label after it
        # (a section's heading has its text after it) ...
        return (
            lex.match_label(after.text) is not None
            or _ranked_apart(lines, index)
            or _says_more(lines, index)
        )
    if line.kind == "h" and line.level > lines[h1].level and index == top:
        return _ranked_apart(lines, index) or _says_more(lines, index)
    if line.kind != "p":
        return False
    lede = after.kind == "p" and after.text.endswith(".")
    if index == h1 + 1 and not after.header and (lede or lex.match_label(after.text)):
        return True  # right below the h1, the lede or a fact's label after it
    return lede and all(lines[k].header for k in range(h1, index))


def _ranked_apart(lines: list[Line], index: int) -> bool:
    """... or the lede after it, and the body's sections headed at another level than it (a
    section's heading has its siblings' level: "h1, h3 subtitle, lede, h2 sections"); above
    sections headed deeper, only a heading of three words or more (a subtitle says more than a
    section's name)."""
    if lines[index + 1].kind != "p":
        return False
    level = lines[index].level
    after = next((line for line in lines[index + 1 :] if line.kind == "h"), None)
    if after is None or after.level <= 1 or after.level == level:
        return False
    # Sections that outrank it: it heads none of them. Deeper sections under a heading of a
    # word or two ("Ausgangslage", then "Ziele") are that section's; a subtitle says more.
    return after.level < level or lines[index].text.count(" ") >= 2


def _says_more(lines: list[Line], index: int) -> bool:
    """... or, over the lede, a phrase of four words or more where the sections of its level
    after it are named in a word or a few ("Ein eigener Raum für die Jugend", then
    "Projektdaten", "Das Buch"): a subtitle says more than a section's name."""
    line = lines[index]
    if lines[index + 1].kind != "p" or line.text.count(" ") < 3 or line.text.endswith("?"):
        return False
    after = next((h for h in lines[index + 1 :] if h.kind == "h" and h.level <= line.level), None)
    return after is None or (after.level == line.level and after.text.count(" ") <= 2)


def _after_meta(lines: list[Line], start: int, lex: Lexicon) -> int:
    """Where the title block goes on after a post's meta lines under its h1 (a post-info
    list: its date, its topics' term links), at most a few."""
    end = start
    while end < len(lines) and end - start < MAX_META_LINES:
        line = lines[end]
        if line.kind not in ("li", "p") or not (
            (len(line.text) <= 20 and DATE_LINE.match(line.text))
            or (line.links and all(term_link(link.href) for link in line.links))
        ):
            break
        end += 1
    return end


def _names(title_tag: str | None, og_title: str | None) -> tuple[str, ...]:
    """What the document says its title is, most telling first, folded: ``og:title``, the
    ``<title>`` without the site's name after it ("Projekt X | Stiftung Y"), the whole
    ``<title>``, and last the ``<title>`` without a name before it ("Stiftung Y - Projekt X")."""
    found: list[str] = []
    for text in (og_title, title_tag):
        if text:
            found.extend(fold(t) for t in (_SITE_SUFFIX.sub("", text), text))
    if title_tag:
        found.append(fold(_SITE_PREFIX.sub("", title_tag)))
    return tuple(name for name in dict.fromkeys(found) if name)


# A spaced separator in a document's <title> ("Stiftung Y | Archiv | Projekt X").
_SEPARATOR = re.compile(rf"\s{_SEP}\s")


def _not_the_banner(
    found: int, seen: dict[str, int], title_tag: str | None, lines: list[Line], lex: Lexicon
) -> int:
    """The line a ``<title>`` names, unless the ``<title>`` is that line and another line
    together ("Site name - Archive - Project X" over a banner "Site name - Archive" and the
    line "Project X"): then the site's banner is the one that comes first on the page, and the
    page's own title the later one, unless only the banner stands before the facts."""
    if not title_tag:
        return found
    key = fold(lines[found].text)
    full = fold(title_tag)
    for match in _SEPARATOR.finditer(full):
        left, right = full[: match.start()].strip(), full[match.end() :].strip()
        other = right if left == key else left if right == key else None
        if other is None or other not in seen:
            continue
        later = max(found, seen[other])
        facts = next((i for i, line in enumerate(lines) if lex.match_label(line.text)), len(lines))
        return later if later < facts else min(found, seen[other])
    return found


def main_heading(
    lines: list[Line], title_tag: str | None, og_title: str | None, lex: Lexicon
) -> int | None:
    """The index of the page's main heading when it has no ``<h1>``, or None (no heading)."""
    names = _names(title_tag, og_title)
    if names:
        seen: dict[str, int] = {}  # each eligible line's folded text -> its first index
        for i, line in enumerate(lines):
            if (
                line.kind in _HEADING_KINDS
                and not line.aside
                and len(line.text) <= MAX_TITLE_LENGTH
            ):
                seen.setdefault(fold(line.text), i)
        agrees = next((seen[name] for name in names if name in seen), None)
        if agrees is not None:
            return _not_the_banner(agrees, seen, title_tag, lines, lex)
    headings = [i for i, line in enumerate(lines) if line.kind == "h"]
    main = [i for i in headings if not lines[i].aside] or headings
    if not main:
        return None
    facts = next((i for i, line in enumerate(lines) if lex.match_label(line.text)), len(lines))
    before = [i for i in main if i < facts]
    if before:
        return before[0]
    # Every heading comes after the facts (a sidebar's): the <title> names the page.
    return None if names and facts < main[0] else main[0]


def find_title(
    lines: list[Line], title_tag: str | None, lex: Lexicon, og_title: str | None = None
) -> TitleBlock:
    h1 = next((i for i, line in enumerate(lines) if line.kind == "h" and line.level == 1), None)
    if h1 is None:
        h1 = main_heading(lines, title_tag, og_title, lex)
    if h1 is None:
        named = og_title or title_tag
        title = _SITE_SUFFIX.sub("", named).strip() if named else None
        return TitleBlock(title or None, None, 0, (title,) if title else ())
    title = lines[h1].text
    top = _after_meta(lines, h1 + 1, lex)
    end = top
    while end < len(lines) and end - h1 <= MAX_TITLE_LINES:
        line = lines[end]
        if (
            not _title_like(line)
            or lex.match_label(line.text)
            or lex.contact_headings.match(line.text)
        ):
            break
        end += 1
    # A heading right before the body that does not echo the title opens the first section.
    known = _Title.of(title, lex)
    while (
        end > top and not known.owns(lines[end - 1]) and not _subtitle(lines, h1, end - 1, lex, top)
    ):
        end -= 1
    subtitle = lines[end - 1] if end > top and _subtitle(lines, h1, end - 1, lex, top) else None
    before = [line for line in lines[:h1] if line.kind in ("h", "p", "cap") or line.header]
    block = [*before, *lines[h1 + 1 : end]]
    # The line below the h1 (a subtitle) before any above it; above it, only a heading: a
    # plain line over the h1 is an eyebrow (the programme, a category), never the short title.
    candidates = [*lines[top:end], *(line for line in before if line.kind == "h")]
    short = next(
        (
            line.text
            for line in candidates
            if line.kind not in ("img", "cap")
            and fold(line.text) != known.key
            and not lex.dateline.match(line.text)
            and not byline(line)
            and not DATED_META.match(line.text)
            and (known.owns(line) or line is subtitle)
        ),
        None,
    )
    return TitleBlock(title, short, end, (title, *(line.text for line in block)))
