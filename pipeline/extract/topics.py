"""The topics a post's meta line names: its term links.

A blog or archive post links its topics beside its title ("Bildung · Berggebiet" above the
``<h1>``, "Themen: Bildung, Arbeit" in the header's line): each link goes to the site's listing
of that term, a URL that names the taxonomy (``/projekte?category=Bildung``,
``/archiv/themen/bildung/``; the names in :data:`pipeline.labels.TOPIC_TAXONOMIES`). Read from
the title block only: term links elsewhere (related cards' categories) name other posts'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import labels
from pipeline.extract.lines import Line

_NAMES = "|".join(sorted((re.escape(t) for t in labels.TOPIC_TAXONOMIES), key=len, reverse=True))
# The taxonomy's query parameter, or its path segment with the term alone after it.
_TERM_URL = re.compile(rf"[?&](?:{_NAMES})=|/(?:{_NAMES})/[^/?#]+/?(?:[?#]|$)", re.IGNORECASE)


_AUTHORS = "|".join(re.escape(a) for a in labels.AUTHOR_PATHS)
# An author's page: the author segment with one name after it.
_AUTHOR_URL = re.compile(rf"/(?:{_AUTHORS})/[^/?#]+/?(?:[?#]|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleTopics:
    topics: list[str]  # the term links' texts, in page order, each once
    meta: frozenset[str]  # the lines that hold them (a meta line, never a subtitle)


def term_link(href: str | None) -> bool:
    """Whether a link goes to a topic's listing: a taxonomy's query parameter, or the
    taxonomy's path segment followed by the term alone."""
    return bool(href) and _TERM_URL.search(href or "") is not None


def byline(line: Line) -> bool:
    """Whether a line is a post's byline: it links its author's page and nothing else ("von
    redaktion — zuletzt verändert: ...", the author's name as a heading)."""
    return bool(line.links) and all(
        link.href and _AUTHOR_URL.search(link.href) for link in line.links
    )


def title_topics(lines: list[Line], end: int) -> TitleTopics:
    """The topics the title block's lines (``lines[:end]``) link: a meta line's term links,
    never the items of a list above the ``<h1>`` (a filter bar's topics, on every page)."""
    topics: list[str] = []
    meta: set[str] = set()
    h1 = next((k for k in range(end) if lines[k].kind == "h" and lines[k].level == 1), 0)
    for index, line in enumerate(lines[:end]):
        if not line.links or (index < h1 and line.kind == "li"):
            continue
        terms = [link.text for link in line.links if link.text and term_link(link.href)]
        if terms:
            meta.add(line.text)
            topics.extend(t for t in terms if t not in topics)
    return TitleTopics(topics, frozenset(meta))
