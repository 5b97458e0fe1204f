"""Lists and descriptive sections: what remains of the content once the labelled facts are read."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.lines import Line
from pipeline.extract.starts import Matcher

_SKIP_KINDS = frozenset({"img", "cap"})


@dataclass(frozen=True, slots=True)
class ListGroup:
    indexes: tuple[int, ...]
    bare: bool  # no heading or lead-in sentence of its own


def list_groups(lines: list[Line], taken: list[bool], body_start: int) -> list[ListGroup]:
    """Untaken lists after ``body_start``, and whether each stands bare.

    A list stands bare when what precedes it was already read as something else (the contact
    block, a label, another bare list); a list after a heading or a lead-in paragraph belongs to
    that section's text.
    """
    groups: list[ListGroup] = []
    i = body_start
    while i < len(lines):
        line = lines[i]
        if taken[i] or line.kind != "li" or line.aside:
            i += 1
            continue
        start = i
        while (
            i < len(lines)
            and not taken[i]
            and lines[i].kind == "li"
            and lines[i].top_list == line.top_list
        ):
            i += 1
        prev = start - 1
        if prev < body_start:
            bare = False
        elif taken[prev]:
            bare = True
        else:
            bare = (
                lines[prev].kind == "li"
                and bool(groups)
                and groups[-1].bare
                and groups[-1].indexes[-1] == prev
            )
        groups.append(ListGroup(tuple(range(start, i)), bare))
    return groups


def sections(
    lines: list[Line],
    taken: list[bool],
    body_start: int,
    news: Matcher | None = None,
    news_away: int = 0,
) -> list[dict[str, object]]:
    """Group the remaining body lines under their headings; a news block ("Aktuell", its
    teasers and their own headings) is no part of the project's description. ``news_away``:
    the bit of Line.away that says ``news`` cannot match a line (0: always try it)."""
    found: list[dict[str, object]] = []
    heading: str | None = None
    texts: list[str] = []
    news_level = 0  # inside a news block: the level of its heading

    def close() -> None:
        if texts:
            found.append({"heading": heading, "text": "\n".join(texts)})

    for i in range(body_start, len(lines)):
        line = lines[i]
        if taken[i] or line.aside or line.kind in _SKIP_KINDS:
            continue
        if line.kind == "h":
            if news_level and line.level > news_level:
                continue
            close()
            news_level = (
                line.level
                if news is not None and not line.away & news_away and news.match(line.text)
                else 0
            )
            heading, texts = line.text, []
        elif not news_level:
            texts.append(line.text)
    close()
    return found
