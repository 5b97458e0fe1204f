"""Path shapes: a site's URL paths grouped by form, each group as a regular expression.

The paths are read as a tree of segments. At each level a segment is generalized when its form
says it varies: all digits become ``\\d+``; a leaf (a segment with nothing below it) becomes a
slug; hub segments (with pages below them) that differ only in their digits (``bereich-1``,
``bereich-2``) become one template; every other hub segment is kept as written. Segments that
generalize alike are merged and the levels below them read together, so
``/de/projekte/2019/a`` and ``/de/projekte/2024/b`` share the shape ``/de/projekte/\\d+/{slug}``.

Pure: paths in, shapes out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pipeline import labels

TokenKind = Literal["fixed", "number", "template", "slug"]
SLUG = "[a-z0-9][a-z0-9-]*"  # a slug as most CMSs write one
ANY_SEGMENT = "[^/]+"  # a leaf segment with capitals, underscores, dots or escapes
# A listing's later page written beside its members' slugs ("p2", "page-3").
PAGE_SERIES = rf"(?:{'|'.join(labels.PAGE_SERIES_WORDS)})-?\d+"
_PAGE_SERIES = re.compile(PAGE_SERIES)
_SLUG = re.compile(SLUG)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Token:
    """One generalized segment. ``siblings`` of a slug are the hub segments written beside it
    (``page`` beside the project slugs of ``/foerderprojekte/``)."""

    kind: TokenKind
    value: str = ""  # fixed: the segment; template: the segment with digit runs as \d+
    siblings: tuple[str, ...] = ()

    def regex(self, exclude: Iterable[str] = (), series: bool = False) -> str:
        if self.kind == "fixed":
            return _escape(self.value)
        if self.kind == "number":
            return r"\d+"
        if self.kind == "template":
            return self.value
        names = sorted(set(exclude))
        parts = [_escape(n) for n in names] + ([PAGE_SERIES] if series else [])
        alternatives = "|".join(parts)
        if len(parts) > 1:
            alternatives = f"(?:{alternatives})"
        guard = f"(?!{alternatives}/?$)" if parts else ""
        return guard + self.value

    def label(self) -> str:
        if self.kind == "fixed":
            return self.value
        if self.kind == "number":
            return "{number}"
        if self.kind == "template":
            return self.value.replace(r"\d+", "{n}").replace("\\", "")
        return "{slug}"


def page_series(segment: str) -> bool:
    """Whether a path segment names a listing's later page ("p2", "page-3")."""
    return _PAGE_SERIES.fullmatch(segment) is not None


@dataclass(frozen=True, slots=True)
class Shape:
    tokens: tuple[Token, ...]

    def regex(self, exclude: Iterable[str] = (), series: bool = False) -> str:
        """The path regex (``exclude``: names the last segment, a slug, may not be; ``series``:
        nor a page series' segment, "p2")."""
        if not self.tokens:
            return "^/$"
        parts = [t.regex() for t in self.tokens[:-1]]
        parts.append(self.tokens[-1].regex(exclude, series))
        return "^/" + "/".join(parts) + "/?$"

    def label(self) -> str:
        return "/" + "/".join(t.label() for t in self.tokens)

    @property
    def parent(self) -> Shape:
        return Shape(self.tokens[:-1])

    @property
    def concrete(self) -> bool:
        """Whether the shape names one path (fixed segments only)."""
        return all(t.kind == "fixed" for t in self.tokens)

    @property
    def path(self) -> str:
        """The one path of a concrete shape."""
        return "/" + "/".join(t.value for t in self.tokens)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # the paths that end here, as given


def _escape(text: str) -> str:
    """``re.escape`` without its needless escapes of ``-`` (a profile is read by people)."""
    return re.escape(text).replace("\\-", "-")


def segments(path: str) -> tuple[str, ...]:
    """A path's segments, without empty ones (``/a//b/`` is ``a``, ``b``)."""
    return tuple(s for s in path.split("?")[0].split("/") if s)


def _template(value: str) -> str | None:
    if not _DIGITS.search(value) or value.isdigit():
        return None
    return r"\d+".join(_escape(part) for part in _DIGITS.split(value))


def _tokens(children: dict[str, list[_Node]]) -> dict[str, Token]:
    """How each child segment (by value) of one level generalizes."""
    hubs = {v for v, nodes in children.items() if any(n.children for n in nodes)}
    leaves = [v for v in children if v not in hubs and not v.isdigit()]
    templates = Counter(t for v in hubs if (t := _template(v)) is not None)
    fixed = tuple(sorted(v for v in hubs if templates[_template(v) or ""] < 2 and not v.isdigit()))
    slug = SLUG if all(_SLUG.fullmatch(v) for v in leaves) else ANY_SEGMENT
    out: dict[str, Token] = {}
    for value in children:
        template = _template(value)
        if value.isdigit():
            out[value] = Token("number")
        elif value not in hubs:
            out[value] = Token("slug", slug, fixed)
        elif template is not None and templates[template] >= 2:
            out[value] = Token("template", template)
        else:
            out[value] = Token("fixed", value)
    return out


def _assign(nodes: list[_Node], prefix: tuple[Token, ...], out: dict[str, Shape]) -> None:
    children: dict[str, list[_Node]] = {}
    for node in nodes:
        for value, child in node.children.items():
            children.setdefault(value, []).append(child)
    groups: dict[Token, list[_Node]] = {}
    for value, token in _tokens(children).items():
        groups.setdefault(token, []).extend(children[value])
    for token, members in groups.items():
        shape = (*prefix, token)
        for member in members:
            for path in member.paths:
                out[path] = Shape(shape)
        _assign(members, shape, out)


def shapes(paths: Iterable[str]) -> dict[str, Shape]:
    """Each path's shape (the query, if any, is not part of it)."""
    root = _Node()
    for path in paths:
        node = root
        for segment in segments(path):
            node = node.children.setdefault(segment, _Node())
        node.paths.append(path)
    out = {path: Shape(()) for path in root.paths}
    _assign([root], (), out)
    return out
