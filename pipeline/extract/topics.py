"""The topics a post's meta line names: its term links.

A blog or archive post links its topics beside its title ("Bildung · Berggebiet" above the
``<h1>``, "Themen: Bildung, Arbeit" in the header's line): each link goes to the site's listing
of that term, a URL that names the taxonomy (``/projekte?category=Bildung``,
``/archiv/themen/bildung/``; the names in :data:`pipeline.labels.TOPIC_TAXONOMIES`). Read from
the title block only: term links elsewhere (related cards' categories) name other posts'.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from pipeline import labels
from pipeline.extract.lines import Line

_TAXONOMIES = frozenset(labels.TOPIC_TAXONOMIES)


@dataclass(frozen=True, slots=True)
class TitleTopics:
    topics: list[str]  # the term links' texts, in page order, each once
    meta: frozenset[str]  # the lines that hold them (a meta line, never a subtitle)


def term_link(href: str | None) -> bool:
    """Whether a link goes to a topic's listing: a taxonomy's query parameter, or the
    taxonomy's path segment followed by the term alone."""
    if not href:
        return False
    parts = urlsplit(href)
    if parts.query and any(
        key.lower() in _TAXONOMIES for key, _v in parse_qsl(parts.query, keep_blank_values=True)
    ):
        return True
    segments = [s for s in parts.path.lower().split("/") if s]
    return len(segments) >= 2 and segments[-2] in _TAXONOMIES


def title_topics(lines: list[Line], end: int) -> TitleTopics:
    """The topics the title block's lines (``lines[:end]``) link."""
    topics: list[str] = []
    meta: set[str] = set()
    for line in lines[:end]:
        terms = [link.text for link in line.links if link.text and term_link(link.href)]
        if terms:
            meta.add(line.text)
            topics.extend(t for t in terms if t not in topics)
    return TitleTopics(topics, frozenset(meta))
