"""Match a line against the label vocabularies of :mod:`pipeline.labels`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.labels import FIELD_LABELS, INLINE_LABELS, STATUS_WORDS
from pipeline.normalize.text import fold

_BY_LABEL: dict[str, str] = {
    label.lower(): field for field, labels in FIELD_LABELS.items() for label in labels
}
_INLINE: frozenset[str] = frozenset(label.lower() for label in INLINE_LABELS)
_LABEL_RE = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_BY_LABEL, key=len, reverse=True))
    + r")(?=\s|:|$)\s*(?P<colon>:)?\s*(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Every label starts with one of these (lowercased, ASCII): most lines of running text are turned
# away by one set lookup instead of a regex with a hundred alternatives.
_HEAD = min(len(label) for label in _BY_LABEL)
_HEADS: frozenset[str] = frozenset(label[:_HEAD] for label in _BY_LABEL)
_STATUS: dict[str, str] = {
    fold(word): status for status, words in STATUS_WORDS.items() for word in words
}


@dataclass(frozen=True, slots=True)
class LabelHit:
    field: str
    label: str
    value: str  # "" when the value follows on the next line(s)
    inline: bool  # the value followed the label without a colon


@lru_cache(maxsize=4096)
def match_label(text: str) -> LabelHit | None:
    """The label a line starts with, and its value.

    ``Telefon: 030 123`` and ``Telefon`` (value on the next line) always match; ``Zeitraum
    2016 – 2019`` (no colon) matches for labels in INLINE_LABELS only, and the caller must check
    that such a value parses.
    """
    head = text.lstrip()[:_HEAD]
    if head.isascii() and head.lower() not in _HEADS:
        return None  # (a non-ASCII start goes to the regex: its case rules are Unicode's)
    match = _LABEL_RE.match(text.strip())
    if match is None:
        return None
    label = match["label"].lower()
    field = _BY_LABEL[label]
    value = match["value"].strip()
    if match["colon"] or not value:
        return LabelHit(field, label, value, inline=False)
    if label in _INLINE:
        return LabelHit(field, label, value, inline=True)
    return None


def status_of(word: str) -> str | None:
    """The record status for a page's status word, or None for an unknown word."""
    key = fold(word).strip(" .:;!")
    if key in _STATUS:
        return _STATUS[key]
    for known, status in _STATUS.items():
        if key.startswith(known + " ") or key.endswith(" " + known):
            return status
    return None
