"""Patterns matched at a line's start that turn most lines away by their first characters.

The vocabulary's patterns are long alternations ("Kontakt|Ansprechpartner|Ihr Kontakt|...")
tried against every line of a page; a line of running text fails each of them only after the
regex engine has tried every branch, up to a microsecond a pattern. What a match can begin with
is known from the pattern itself: :func:`prefixes` reads from the parsed pattern (the standard
library's own parser, ``re._parser``) every way its first few characters can be written, and
:class:`LineStart` asks the regex only about lines that begin so. The set is never smaller
than the truth: a class such as ``\\w`` or ``.`` stands for every ASCII character it may be;
where the parse holds what cannot be told (a back reference, a conditional group) or the
pattern can match fewer characters than the prefix is long, a shorter prefix is tried, and
failing that every line goes to the regex.

Prefixes are told in lowercase ASCII and held in every upper- and lower-case spelling, so a
case-insensitive pattern and a case-sensitive one are filtered alike (a superset for the
latter) and a line's head is looked up as it is. A line whose first characters are not all
ASCII always goes to the regex: matching case-insensitively across Unicode has rules of its own
(the long s, the Kelvin sign).
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Callable
from typing import Any, Protocol

PREFIX_LENGTH = 3  # the longest prefix tried (then 2, then 1)
MAX_PREFIXES = 4096  # more ways to begin than this: a shorter prefix
_ASCII = frozenset(chr(c).lower() for c in range(128))
_DIGITS = frozenset("0123456789")
_SPACES = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: _DIGITS,
    sre_constants.CATEGORY_SPACE: _SPACES,
    sre_constants.CATEGORY_WORD: _WORD,
}
# The non-ASCII letters case-insensitive matching pairs with an ASCII one are the long s, the
# Kelvin sign, the dotless i (their lower or upper case is ASCII) and the dotted capital I
# (whose lower case is two characters): that one is told here.
_ASCII_FOLDS = {"\u0130": "i"}
# "(?!)", a pattern that never matches: an empty negative look-ahead up to Python 3.12, its own
# opcode from 3.13 on.
_FAILURE = getattr(sre_constants, "FAILURE", None)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


class _Unknown(Exception):
    """The parse holds what cannot be told, or too many ways to begin."""


def prefixes(regex: re.Pattern[str]) -> tuple[int, frozenset[str]] | None:
    """``(n, set)``: every lowercase ASCII text of ``n`` characters (``n`` at most
    :data:`PREFIX_LENGTH`) that a match of ``regex`` at a text's start may begin with; None
    when no such set is told (every text goes to the regex)."""
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except re.error:
        return None
    for length in range(PREFIX_LENGTH, 0, -1):
        try:
            found = _sequence(list(parsed), length)
        except (_Unknown, RecursionError):
            continue
        if found and all(len(text) == length for text in found):
            return length, frozenset(found)
    return None


def _sequence(items: list[tuple[Any, Any]], budget: int) -> set[str]:
    """The ways a sequence of parsed items begins, up to ``budget`` characters: texts of
    ``budget`` characters, and shorter ones where the sequence ends there."""
    open_ = {""}  # ways begun so far, shorter than the budget, that the next item continues
    full: set[str] = set()
    for op, av in items:
        going: set[str] = set()
        for start in open_:
            for text in _item(op, av, budget - len(start)):
                (full if len(start) + len(text) == budget else going).add(start + text)
        open_ = going
        if len(full) + len(open_) > MAX_PREFIXES:
            raise _Unknown("too many")
        if not open_:
            break
    return full | open_


def _item(op: Any, av: Any, budget: int) -> set[str]:
    if op is sre_constants.LITERAL:
        return _literal(chr(av))
    if op is sre_constants.NOT_LITERAL or op is sre_constants.ANY:
        return set(_ASCII)  # (a superset: all but one character, or all but a newline)
    if op is sre_constants.IN:
        return _char_class(av)
    if op is sre_constants.BRANCH:
        return {text for branch in av[1] for text in _sequence(list(branch), budget)}
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(av[-1]), budget)
    if op is sre_constants.ATOMIC_GROUP:
        return _sequence(list(av), budget)
    if op in _REPEATS:
        return _repeat(av, budget)
    if (op is sre_constants.ASSERT_NOT and not av[1]) or (_FAILURE is not None and op is _FAILURE):
        return set()  # "(?!)": never matches (the branch for words a profile may add)
    if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return {""}  # an anchor or a look-around: no character of its own (a superset)
    raise _Unknown(op)


def _repeat(av: Any, budget: int) -> set[str]:
    low, high, body = av
    parsed = list(body)
    done: set[str] = {""} if low == 0 else set()
    current = {""}
    count = 0
    while current and count < high:
        count += 1
        going: set[str] = set()
        for start in current:
            for text in _sequence(parsed, budget - len(start)):
                joined = start + text
                (done if len(joined) == budget else going).add(joined)
        if going <= current:
            # No new ways: the body may match nothing (or only what it matched before), so
            # each of these also ends a repeat of ``low`` or more (a superset if not).
            done |= going
            break
        current = going
        if count >= low:
            done |= going
        if len(done) + len(current) > MAX_PREFIXES:
            raise _Unknown("too many")
    return done


def _literal(char: str) -> set[str]:
    """The lowercase ASCII characters a literal matches (case-insensitively): none for a
    non-ASCII one but the few that pair with an ASCII letter."""
    found = {c for c in (char.lower(), char.upper().lower()) if c.isascii()}
    if char in _ASCII_FOLDS:
        found.add(_ASCII_FOLDS[char])
    return found


def _char_class(items: Any) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            found |= _literal(chr(av))
        elif op is sre_constants.RANGE:
            low, high = av
            if high - low > 0x400:
                return set(_ASCII)
            for code in range(low, high + 1):
                found |= _literal(chr(code))
        elif op is sre_constants.CATEGORY and av in _CATEGORIES:
            found |= _CATEGORIES[av]
        else:  # a negated class or category: a superset
            return set(_ASCII)
    return found


class Matcher(Protocol):
    """What matches a text at its start: a compiled regex, or a :class:`LineStart`."""

    def match(self, text: str, /) -> re.Match[str] | None: ...


#: A quick test of a text's head: (its length, every head a match may begin with, in every
#: letter case); None where no such test is told (every text goes to the regex).
HeadTest = tuple[int, frozenset[str]] | None


class LineStart:
    """A compiled pattern used with ``match`` at a text's start, that skips the regex for a
    text whose first characters no match can begin with (see the module's docstring).
    ``pattern`` and ``flags`` are the regex's; ``head`` is the quick test."""

    __slots__ = ("flags", "head", "match", "pattern", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.flags = regex.flags
        self.head = head_test(regex)
        self.match = _matcher(regex, self.head)

    def __repr__(self) -> str:
        return f"LineStart({self.regex!r})"


def head_test(regex: re.Pattern[str]) -> HeadTest:
    """The quick test of a pattern's matches at a text's start (see :func:`prefixes`)."""
    told = prefixes(regex)
    if told is None:
        return None
    length, lowered = told
    return length, frozenset(case_variants(lowered))  # (no lower() of each line's head)


class LineHeads:
    """Which of some quick tests turn a line away, as bits (a test's bit set: it says no
    match can begin the line), from one dict lookup of the line's first characters: the
    passes over a page's lines then ask each line one ``&`` instead of calling each test.

    A head that is not all ASCII is turned away by none (Unicode's case rules: the patterns
    tell), nor is any line by a test that is not told; so a bit is set only where the test
    itself would turn the line away, and a line without bits (0) goes to every regex.
    """

    __slots__ = ("_passing", "_told", "memo")

    def __init__(self, tests: dict[int, HeadTest]) -> None:
        """``tests``: each test by the bit it sets."""
        if any(test is not None and test[0] > PREFIX_LENGTH for test in tests.values()):
            raise ValueError(f"a head test longer than {PREFIX_LENGTH} characters")
        told = {bit: test for bit, test in tests.items() if test is not None}
        self._told = 0
        for bit in told:
            self._told |= bit
        # By the length of the heads tested: each head any test lets pass -> the bits of the
        # tests that let it pass (a line's bits are then the told ones but those).
        passing: dict[int, dict[str, int]] = {}
        for bit, (length, starts) in told.items():
            heads = passing.setdefault(length, {})
            for head in starts:
                heads[head] = heads.get(head, 0) | bit
        self._passing = tuple(sorted(passing.items()))
        #: head -> bits, for the heads seen (a line's first characters: at most ~50,000 ASCII
        #: ones of three characters that lines of text begin with)
        self.memo: dict[str, int] = {}

    def away(self, text: str) -> int:
        """The bits of the tests that turn ``text`` away."""
        head = text[:PREFIX_LENGTH]
        found = self.memo.get(head)
        if found is None:
            found = 0
            if head.isascii():
                let_pass = 0
                for length, heads in self._passing:
                    let_pass |= heads.get(head[:length], 0)
                found = self._told & ~let_pass
            if len(self.memo) < MAX_HEADS:
                self.memo[head] = found
        return found


MAX_HEADS = 65536  # heads remembered per set of tests


def _matcher(regex: re.Pattern[str], told: HeadTest) -> Callable[[str], re.Match[str] | None]:
    """``regex.match`` behind the test of a text's first characters (a closure: the hot path
    reads no attribute)."""
    if told is None:
        return regex.match
    length, starts = told
    match = regex.match

    def filtered(text: str) -> re.Match[str] | None:
        head = text[:length]
        if head in starts or not head.isascii():
            return match(text)
        return None

    return filtered


class Hinted:
    """A compiled pattern used with ``search``, behind a quick search for what every match of
    it holds (``hint``): a long alternation searched for at every position of a text costs
    microseconds, a short one a fraction of that. The caller vouches that no text without a
    match of ``hint`` matches ``regex``."""

    __slots__ = ("hint", "regex", "search")

    def __init__(self, regex: re.Pattern[str], hint: re.Pattern[str]) -> None:
        self.regex = regex
        self.hint = hint
        hinted, search = hint.search, regex.search

        def search_hinted(text: str) -> re.Match[str] | None:
            return search(text) if hinted(text) else None

        self.search = search_hinted

    def __repr__(self) -> str:
        return f"Hinted({self.regex!r}, {self.hint!r})"


def case_variants(prefixes: frozenset[str]) -> set[str]:
    """Every way of writing these lowercase ASCII prefixes in upper and lower case."""
    out: set[str] = set()
    for prefix in prefixes:
        ways = [""]
        for char in prefix:
            ways = [way + c for way in ways for c in dict.fromkeys((char, char.upper()))]
        out.update(ways)
    return out


def line_start(pattern: str, flags: int = 0) -> LineStart:
    """``re.compile(pattern, flags)`` as a :class:`LineStart`."""
    return LineStart(re.compile(pattern, flags))
