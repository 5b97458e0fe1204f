"""What a page hides from its readers by its own CSS: the classes its ``<style>`` rules (in its
``<head>``, read with the head's other facts, so a page costs no search for them) set to
``display: none`` or ``visibility: hidden``, and inline styles that do.

Only the page's own rules are read (never a stylesheet it links to: parsing is pure), and only
top-level rules whose selector is one class (``.badge-off``), so a rule scoped to a screen size
(``@media``) or to a state (``.menu:hover .x``) hides nothing here. One linear pass per style
sheet; no class names are known in advance.
"""

from __future__ import annotations

import re

_HIDES = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ONE_CLASS = re.compile(r"^\.(-?[_a-zA-Z][\w-]*)$")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def hides(style: str) -> bool:
    """Whether an inline ``style`` attribute hides its element."""
    return _HIDES.search(style) is not None


def hidden_classes(sheets: tuple[str, ...]) -> frozenset[str]:
    """The classes that these style sheets' top-level one-class rules hide."""
    found: set[str] = set()
    for sheet in sheets:
        text = _COMMENT.sub("", sheet)
        depth, start, selector = 0, 0, ""
        for match in re.finditer(r"[{}]", text):
            if match.group() == "{":
                if depth == 0:
                    selector = text[start : match.start()]
                    start = match.end()
                depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    body = text[start : match.start()]
                    start = match.end()
                    if not selector.lstrip().startswith("@") and _HIDES.search(body):
                        found.update(_classes(selector))
    return frozenset(found)


def _classes(selector: str) -> list[str]:
    names = []
    for part in selector.split(","):
        match = _ONE_CLASS.match(part.strip())
        if match:
            names.append(match[1])
    return names
