"""Marking what changed: words added and removed between two texts (``<del>``/``<ins>``), and
lists compared as sets. Returns HTML fragments with every text escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape
from typing import Any

# A word, a run of spaces, or one other character: the units the marking works in.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
NONE_TEXT = "(none)"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Marked:
    old: str  # HTML of the old value, removed parts in <del>
    new: str  # HTML of the new value, added parts in <ins>


def _wrap(tag: str, parts: Sequence[str]) -> str:
    """The marked text in ``tag``, the spaces at its ends left outside the mark."""
    text = "".join(parts)
    core = text.strip()
    if not core:
        return escape(text)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{escape(lead)}<{tag}>{escape(core)}</{tag}>{escape(trail)}"


def mark_words(old: str, new: str) -> Marked:
    """Word-level differences: equal words stay plain, the rest are ``<del>`` / ``<ins>``."""
    if old == new:
        same = escape(old)
        return Marked(same, same)
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
            continue
        left.append(_wrap("del", a[i1:i2]))
        right.append(_wrap("ins", b[j1:j2]))
    return Marked("".join(left), "".join(right))


@dataclass(frozen=True)
class SetChange:
    kept: list[str]
    removed: list[str]
    added: list[str]


def compare_sets(old: Sequence[Any], new: Sequence[Any]) -> SetChange:
    """Items of two lists compared as sets (order ignored), each side in its own order."""
    before = [display(x) for x in old]
    after = [display(x) for x in new]
    was, now = set(before), set(after)
    return SetChange(
        kept=[x for x in after if x in was],
        removed=[x for x in before if x not in now],
        added=[x for x in after if x not in was],
    )


def mark_sets(old: Sequence[Any], new: Sequence[Any]) -> Marked:
    """Two lists as HTML item lists: removed items in ``<del>``, added ones in ``<ins>``."""
    change = compare_sets(old, new)

    def items(plain: list[str], tag: str, marked: list[str]) -> str:
        cells = [f"<li>{escape(x)}</li>" for x in plain]
        cells += [f"<li><{tag}>{escape(x)}</{tag}></li>" for x in marked]
        return f'<ul class="items">{"".join(cells)}</ul>' if cells else escape(NONE_TEXT)

    return Marked(
        items(change.kept, "del", change.removed), items(change.kept, "ins", change.added)
    )


def display(value: Any) -> str:
    """A field value as one line of text."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "; ".join(value) if value else NONE_TEXT
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def mark_parts(old: dict[str, Any], new: dict[str, Any]) -> Marked:
    """Two records (a period, a contact) part by part, each part marked as ``mark_change``."""
    left, right = [], []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        if a == b:
            if a is not None:
                line = f"<dt>{escape(key)}</dt><dd>{escape(display(a))}</dd>"
                left.append(line)
                right.append(line)
            continue
        marked = mark_change(a, b)
        left.append(f"<dt>{escape(key)}</dt><dd>{marked.old}</dd>")
        right.append(f"<dt>{escape(key)}</dt><dd>{marked.new}</dd>")
    return Marked(
        f'<dl class="parts">{"".join(left)}</dl>', f'<dl class="parts">{"".join(right)}</dl>'
    )


def mark_change(old: Any, new: Any) -> Marked:
    """An event's old and new values marked: lists as sets, records part by part, anything else
    word by word; a value that appears or disappears as a whole is all inserted or deleted."""
    if isinstance(old, dict) and isinstance(new, dict):
        return mark_parts(old, new)
    if isinstance(old, list | None) and isinstance(new, list | None) and (old or new):
        return mark_sets(old or [], new or [])
    if old is None or new is None:
        return Marked(
            _wrap("del", [display(old)]) if old is not None else escape(NONE_TEXT),
            _wrap("ins", [display(new)]) if new is not None else escape(NONE_TEXT),
        )
    return mark_words(display(old), display(new))
