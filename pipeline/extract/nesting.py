"""Block nesting capped before lexbor reads a page, so that a page parses in linear time.

At every block start tag (``<div>``, ``<section>``, ``<ul>`` ...) an HTML5 tree builder looks
for a ``<p>`` to close in the stack of open elements, down to the nearest scope boundary; in a
page of nested blocks that is the whole stack, so N nested blocks cost O(N²). Measured with
lexbor (selectolax 0.3, one core): 10k nested ``<div>`` 0.08 s, 20k 0.5 s, 40k 4.5 s, 100k
about a minute; nested inline elements (``<span>``, ``<b>``) stay linear (0.01 s for 40k), and
so does the flattening walk (:mod:`pipeline.extract.lines`), which reads deep content flat.

Browsers cap the tree's depth as well (Blink at 512 elements). Here block tags nested deeper
than :data:`MAX_BLOCK_NESTING` are dropped from the markup before it is parsed: their content
stays, read as part of the block at the cap. A page with fewer tags than the cap cannot reach
it and is passed on as it is (one count of ``<``: real pages have one or two thousand tags).
"""

from __future__ import annotations

import re
from typing import Any

# lexbor parses 4,096 nested blocks in ~30 ms; beyond that the cost grows with its square.
MAX_BLOCK_NESTING = 4096

# The start tags that search the stack for a <p> in button scope (WHATWG HTML 13.2.6.4.7), and
# their end tags. <p>, <li>, <dd>, <dt> and headings close their own kind: they do not nest.
# An end tag with nothing open to close is ignored by the parser, and so by the count.
_BLOCK_NAMES = (
    "address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|"
    "figure|footer|header|hgroup|main|menu|nav|ol|section|search|summary|ul|pre|listing"
)
_BLOCK_TAG = re.compile(rf"<(/?)(?:{_BLOCK_NAMES})(?=[\s/>])[^>]*>?", re.I)
_BLOCK_TAG_BYTES = re.compile(_BLOCK_TAG.pattern.encode(), re.I)


def cap_nesting(html: str | bytes, limit: int = MAX_BLOCK_NESTING) -> tuple[str | bytes, int]:
    """``html`` with block tags nested deeper than ``limit`` removed, and how many were."""
    if isinstance(html, bytes):
        if html.count(b"<") <= limit:
            return html, 0
        return _capped(_BLOCK_TAG_BYTES, html, limit)
    if html.count("<") <= limit:
        return html, 0
    return _capped(_BLOCK_TAG, html, limit)


def _capped(pattern: re.Pattern[Any], html: Any, limit: int) -> tuple[Any, int]:
    depth = deepest = 0
    for slash in pattern.findall(html):
        depth = max(depth - 1, 0) if slash else depth + 1
        deepest = max(deepest, depth)
    if deepest <= limit:
        return html, 0
    dropped = depth = 0

    def keep_or_drop(match: re.Match[Any]) -> Any:
        nonlocal depth, dropped
        deeper = depth > limit if match.group(1) else depth >= limit
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        if deeper:
            dropped += 1
            return match.group(0)[:0]
        return match.group(0)

    return pattern.sub(keep_or_drop, html), dropped
