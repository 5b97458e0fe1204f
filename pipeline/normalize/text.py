"""Whitespace and typography helpers that keep the page's wording."""

from __future__ import annotations

import re

# Invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = str.maketrans("", "", _INVISIBLE_CHARS)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def collapse(text: str) -> str:
    """Collapse all whitespace (including no-break and thin spaces) to single spaces; strip.

    Soft hyphens and zero-width joiners are removed: they are invisible to a reader.
    """
    # str.split() splits on every Unicode space (no-break, thin, ideographic ...).
    if not text.isascii() and _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def fold(text: str) -> str:
    """A comparison key: collapsed, case-folded, dashes and quotes unified."""
    text = collapse(text).casefold()
    return text.translate(_FOLD)


_FOLD = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u201e": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u00bb": '"',
        "\u00ab": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
    }
)
