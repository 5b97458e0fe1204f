"""E-mail addresses that a page's inline script assembles, read without running the script.

Sites hide addresses from harvesters with a few common script patterns:

- ``document.write('<a href="mailto:' + 'name' + '@' + 'domain.at' + '">' ...)``;
- a CMS's cloak: a placeholder ``<span id="cloak...">`` and a script that builds the address in
  variables from pieces and HTML entities (``'&#109;a' + 'i&#108;' + '&#116;o'``, ``'&#64;'``),
  then sets the span's ``innerHTML`` to a ``mailto:`` link;
- ``String.fromCharCode(110, 97, ...)``, ``unescape('%6E%61...')``, ``atob('bmFtZUBk...')``.

:func:`emails_from_script` reads string literals, ``+`` concatenation, variable assignment
(``=``, ``+=``) and those decoding calls, and nothing else: the script is never executed, an
unknown name stands for an empty string, and a script with no sign of an address costs one
substring search. Pure, linear in the script's length.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from pipeline.normalize.emails import find_emails

MAX_SCRIPT_CHARS = 20_000  # inline cloaks are a few hundred characters; bundles are not read
# Signs that a script may hold an address (checked before any tokenizing).
_HINTS = ("mailto", "@", "&#64;", "&#x40;", "\\x40", "\\u0040", "fromCharCode", "%40", "atob(")
_TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?\*/"""
    r"""|(?P<str>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"""|(?P<num>\d+)|(?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)"""
    r"""|(?P<op>\+=|[+=;(),])|(?P<other>.)""",
    re.S,
)
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_DECLARATIONS = frozenset({"var", "let", "const"})


def _unescape_js(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        hex2, hex4, char = match.groups()
        if hex2 or hex4:
            return chr(int(hex2 or hex4, 16))
        return _SIMPLE_ESCAPES.get(char, char)

    return _ESCAPE.sub(one, body) if "\\" in body else body


def _atob(text: str) -> str:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


_DECODERS: dict[str, Callable[[str], str]] = {
    "unescape": unquote,
    "decodeURIComponent": unquote,
    "decodeURI": unquote,
    "atob": _atob,
    "window.atob": _atob,
}


@dataclass
class _Reader:
    """A cursor over the script's tokens, with the values it has seen."""

    tokens: list[tuple[str, str]]
    pos: int = 0
    names: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # call arguments, member assignments

    def peek(self, offset: int = 0) -> tuple[str, str]:
        k = self.pos + offset
        return self.tokens[k] if k < len(self.tokens) else ("end", "")

    def expression(self) -> str:
        """Terms joined by ``+``; stops at anything else."""
        parts = [self.term()]
        while self.peek() == ("op", "+"):
            self.pos += 1
            parts.append(self.term())
        return "".join(parts)

    def term(self) -> str:
        kind, text = self.peek()
        if kind == "str":
            self.pos += 1
            return _unescape_js(text[1:-1])
        if kind == "num":
            self.pos += 1
            return text
        if kind == "op" and text == "(":
            self.pos += 1
            value = self.expression()
            if self.peek() == ("op", ")"):
                self.pos += 1
            return value
        if kind == "name":
            self.pos += 1
            if self.peek() == ("op", "("):
                return self.call(text)
            return self.names.get(text, "")
        return ""

    def arguments(self) -> list[str]:
        """The arguments of a call, the cursor on its ``(``; leaves it after the ``)``."""
        self.pos += 1
        found: list[str] = []
        while self.peek()[0] != "end":
            if self.peek() == ("op", ")"):
                self.pos += 1
                break
            start = self.pos
            found.append(self.expression())
            if self.peek() == ("op", ","):
                self.pos += 1
            elif self.pos == start:
                self.pos += 1  # a token no expression starts with
        return found

    def call(self, name: str) -> str:
        args = self.arguments()
        if name.endswith("fromCharCode"):
            return "".join(chr(int(a)) for a in args if a.isdigit() and int(a) < 0x110000)
        decoder = _DECODERS.get(name)
        if decoder is not None:
            return decoder(args[0]) if args else ""
        self.written.extend(args)  # document.write(...), a setter's argument
        return ""

    def statement(self) -> None:
        kind, text = self.peek()
        if kind == "name" and text in _DECLARATIONS:
            self.pos += 1
            return
        if kind == "name" and self.peek(1)[0] == "op" and self.peek(1)[1] in ("=", "+="):
            op = self.peek(1)[1]
            self.pos += 2
            value = self.expression()
            if op == "+=":
                value = self.names.get(text, "") + value
            self.names[text] = value
            if "." in text:  # element.innerHTML = ..., location.href = ...
                self.written.append(value)
            return
        start = self.pos
        value = self.expression()
        if value:
            self.written.append(value)
        if self.pos == start:
            self.pos += 1


def _tokens(script: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(script):
        kind = match.lastgroup
        if kind is not None:
            found.append((kind, match.group()))
    return found


def _addresses(values: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        text = html.unescape(html.unescape(value)) if "&" in value else value
        for address in find_emails(text):
            if address not in found:
                found.append(address)
    return found


def emails_from_script(script: str) -> list[str]:
    """The addresses an inline script writes into the page, in order, without duplicates.

    >>> emails_from_script("document.write('<a href=\\"mailto:' + 'eva' + '@' + 'x.org' + '\\">')")
    ['eva@x.org']
    """
    if len(script) > MAX_SCRIPT_CHARS or not any(hint in script for hint in _HINTS):
        return []
    reader = _Reader(_tokens(script))
    while reader.peek()[0] != "end":
        reader.statement()
    # What the script writes; else what its variables end up holding.
    return _addresses(reader.written) or _addresses(list(reader.names.values()))


_TAG = re.compile(r"<[^>]*>")


def emails_from_fallback(text: str) -> list[str]:
    """The addresses a ``<noscript>`` fallback spells out ("eva [at] x [dot] org"); markup
    in it (a tracking pixel) is no text."""
    if len(text) > MAX_SCRIPT_CHARS:
        return []
    return find_emails(_TAG.sub(" ", text) if "<" in text else text)
