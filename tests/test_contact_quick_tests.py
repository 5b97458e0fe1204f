"""The contact reader's first-characters tests (pipeline/extract/contact.py): one test of a line
for a group of patterns, which never turns away a line that one of them matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.contact import (
    _AWAY_HEADING,
    _AWAY_MARK,
    _AWAY_STOP,
    _HEADING_KINDS,
    _HEADING_LINE,
    _OTHER_LABEL,
    _PHONE_LIKE,
    _RUNNING_TEXT,
    _is_contact_heading,
    _other_label,
    _running_text,
    _unjoined,
)
from pipeline.extract.lines import Line, read_document
from pipeline.extract.starts import LineHeads, LineStart, head_test, line_start
from pipeline.extract.vocabulary import (
    AWAY_CLOSED,
    AWAY_DATELINE,
    AWAY_GLUED,
    AWAY_GRANTEE,
    AWAY_LABEL,
    AWAY_LED_NOTICE,
    AWAY_LOCATION,
    AWAY_MARKER,
    AWAY_NEWS_HEADING,
    AWAY_RELATED,
    AWAY_SUBHEADINGS,
    Lexicon,
)
from pipeline.normalize.text import collapse
from tests.test_quick_tests import CORPUS, FIXTURES, LEXICONS

IC = re.IGNORECASE
ALPHABET = "aAdDkKcCsSpPeEvV \t0123456789:.-–?ßäÄöüſKıİ"


def _groups(lex: Lexicon) -> dict[str, tuple[int, tuple[LineStart | re.Pattern[str], ...]]]:
    """Each quick test (Line.away's bits) with the patterns it stands for: a group turns a line
    away when all its bits are set."""
    return {
        "marker": (
            _AWAY_MARK,
            (
                lex.contact_end,
                lex.closed_notice,
                lex.contact_headings,
                _HEADING_LINE,
                lex.contact_subheadings,
            ),
        ),
        "heading": (_AWAY_HEADING, (lex.contact_headings, _HEADING_LINE)),
        "stop": (_AWAY_STOP, (lex.contact_end, lex.block_stop, lex.division_link)),
        "marker lines": (AWAY_MARKER, (lex.marker_lines,)),
        "closed notice": (AWAY_CLOSED, (lex.closed_notice,)),
        "related heading": (AWAY_RELATED, (lex.related_heading,)),
        "subheadings": (AWAY_SUBHEADINGS, (lex.contact_subheadings,)),
        "glued notice": (AWAY_GLUED, (lex.glued_notice,)),
        "dateline": (AWAY_DATELINE, (lex.dateline,)),
        "location": (AWAY_LOCATION, (lex.location_line,)),
        "news heading": (AWAY_NEWS_HEADING, (lex.news_heading,)),
    }


def _told_by_method(lex: Lexicon, text: str) -> list[str]:
    """The quick tests that stand for a lexicon method, not a pattern: the ones that turn
    ``text`` away although the method finds something in it (none, if the tests are sound)."""
    away = lex.line_heads.away(text)
    wrong = []
    # (the label test is of a line's text, which has no white space at its ends: collapsed)
    if lex.line_heads.away(collapse(text)) & AWAY_LABEL and lex.match_label(text) is not None:
        wrong.append("label")
    if away & AWAY_LED_NOTICE == AWAY_LED_NOTICE and lex.led_notice(text):
        wrong.append("led notice")
    if away & AWAY_GRANTEE and lex.maybe_grantee(text):
        wrong.append("grantee")
    return wrong


def _matches(patterns: tuple[LineStart | re.Pattern[str], ...], text: str) -> bool:
    return any(
        (p.regex if isinstance(p, LineStart) else p).match(text) is not None for p in patterns
    )


def _away(lex: Lexicon, bits: int, text: str) -> bool:
    return lex.line_heads.away(text) & bits == bits


@pytest.mark.parametrize("lex", LEXICONS, ids=["spi", "extra-words"])
def test_a_quick_test_never_turns_away_a_real_line_a_pattern_matches(lex):
    hits = turned_away = 0
    for name, (bits, patterns) in _groups(lex).items():
        for text in CORPUS:
            if _matches(patterns, text):
                hits += 1
                assert not _away(lex, bits, text), (name, text)
            elif _away(lex, bits, text):
                turned_away += 1
    assert hits > 100  # the corpus holds the patterns' words
    assert turned_away > 3000 * 10  # and the tests turn most other lines away
    labels = 0
    for text in CORPUS:  # a label, a notice after a lead word, a grantee's label: as told
        assert not _told_by_method(lex, text), text
        labels += lex.match_label(text) is not None
    assert labels > 300
    assert sum(bool(lex.line_heads.away(text) & AWAY_LABEL) for text in CORPUS) > 1000


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=14),
    st.sampled_from(
        [
            *("marker", "heading", "stop", "marker lines", "closed notice", "glued notice"),
            *("dateline", "location", "news heading"),
        ]
    ),
    st.sampled_from([0, 1]),
)
def test_a_quick_test_never_turns_away_any_text_a_pattern_matches(text, name, which):
    lex = LEXICONS[which]
    bits, patterns = _groups(lex)[name]
    assert not _away(lex, bits, text) or not _matches(patterns, text)
    assert not _told_by_method(lex, text)


_LABEL_WORDS = ["Laufzeit", "Projekt", "Förder", "Kontakt", "E-Mail", "Tel", "Status", "Hinweis"]
_LABEL_PARTS = [*_LABEL_WORDS, "zeitraum", "-", " ", ":", "x", "ſ", "K"]


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([0, 1]),
    st.lists(st.sampled_from(_LABEL_PARTS), max_size=4),
    st.sampled_from([str.lower, str.upper, str.title, str.swapcase, lambda t: t]),
)
def test_the_label_and_notice_tests_never_turn_away_a_label(which, words, case):
    """Texts made of label words, prefixes and notice leads in any letter case: the label
    test and the notice tests turn none away that match_label or led_notice reads."""
    lex = LEXICONS[which]
    text = case("".join(words)) + " 2020 abgeschlossen"
    assert not _told_by_method(lex, text), text


@pytest.mark.parametrize(
    ("patterns", "matched", "turned_away"),
    [
        # prefixes of three characters and of one, told together
        (
            [line_start("Kontakt|Contact", IC), re.compile("a*b")],
            ["kontakt", "CONTACT x", "b", "aab", "\u212aontakt"],  # (the Kelvin sign: "k")
            ["kxntakt", "x", "", "co", "xb"],
        ),
        # a pattern of which no first characters are told: every line may match
        ([line_start("Kontakt", IC), re.compile("x?")], ["", "anything", "k"], []),
        # ASCII first characters, a non-ASCII third: the patterns tell
        ([re.compile("Stra(?:ße|sse)", IC)], ["Straße 4", "STRASSE"], ["Weg 4", "st", "Stu"]),
    ],
)
def test_a_group_test_reads_each_patterns_first_characters(patterns, matched, turned_away):
    heads = LineHeads(
        {
            1 << n: p.head if isinstance(p, LineStart) else head_test(p)
            for n, p in enumerate(patterns)
        }
    )
    group = (1 << len(patterns)) - 1
    for text in matched:
        assert _matches(tuple(patterns), text), text
        assert heads.away(text) & group != group, text
    for text in turned_away:
        assert heads.away(text) & group == group, text


def test_a_head_test_longer_than_a_head_is_refused():
    with pytest.raises(ValueError, match="longer than 3"):
        LineHeads({1: (4, frozenset({"abcd"}))})


def test_each_line_of_a_page_carries_its_quick_tests_and_a_line_split_from_it_none():
    """Line.away is what the lexicon's tests say of the line's text; a line the contact reader
    splits into parts ("Eva Roth und Ida Kern") has other text, so it carries no bits."""
    lex = LEXICONS[0]
    page = (FIXTURES / "pages" / "seed-plain-paragraphs.html").read_bytes()
    lines = read_document(page, lex).lines
    assert len(lines) > 10
    assert all(line.away == lex.line_heads.away(line.text) for line in lines)
    assert all(line.text == collapse(line.text) for line in lines)  # (as AWAY_LABEL needs)
    assert any(line.away for line in lines)
    split = _unjoined([Line("Eva Roth und Ida Kern", "p", away=-1)], lex)
    assert [(line.text, line.away) for line in split] == [("Eva Roth", 0), ("Ida Kern", 0)]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["Bitte", "über", "das", "Portal", "a1", "Frist:", "\t", "\n"])),
    st.sampled_from(["", ".", "!", "?", ".\n", "\n", ":", ": 15.01.", "?\n\n", ". x"]),
    st.text(alphabet=st.sampled_from("aäB1 :\n\t.!?x"), max_size=12),
)
def test_the_sentence_and_label_tests_never_turn_away_a_match(words, end, noise):
    text = " ".join(words) + end if words else noise
    assert _running_text(text) == (_RUNNING_TEXT.match(text) is not None)
    assert _other_label(text) == (_OTHER_LABEL.match(text) is not None)


def test_the_sentence_and_label_tests_on_real_lines():
    hits = 0
    for text in [*CORPUS, "Bitte bewerben Sie sich über das Portal.\n", "Frist:\t15.01."]:
        assert _running_text(text) == (_RUNNING_TEXT.match(text) is not None), text
        assert _other_label(text) == (_OTHER_LABEL.match(text) is not None), text
        hits += _RUNNING_TEXT.match(text) is not None
    assert hits > 20


def test_only_the_heading_kinds_head_the_contact():
    lex = LEXICONS[0]
    kinds = {"h", "p", "dt", "dd", "th", "td", "li", "img", "a", "div", "blockquote"}
    for kind in kinds - _HEADING_KINDS:
        for text in ("Kontakt", "Contact", "Kontakt und Anfahrt", "Ansprechpartner"):
            assert not _is_contact_heading(Line(text, kind), lex)
    assert all(_is_contact_heading(Line("Kontakt", kind), lex) for kind in _HEADING_KINDS)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789٣ /.-()\n\tTel+x"), max_size=30))
def test_a_phone_like_text_is_told_as_the_plain_form_tells_it(text):
    """_PHONE_LIKE opens with its digit (a faster search): it finds a phone-like run in just
    the texts the plain form, six times a digit and up to three separators, finds one in."""
    plain = re.compile(r"(?:\d[^\d\n]{0,3}){6}")
    assert (_PHONE_LIKE.search(text) is None) == (plain.search(text) is None)


def _direct_away(tests: dict[int, tuple[int, frozenset[str]]], text: str) -> int:
    """Line.away by its definition: the bit of every test whose heads the text's does not
    begin with (none for a head that is not ASCII)."""
    head = text[:3]
    if not head.isascii():
        return 0
    return sum(bit for bit, (length, starts) in tests.items() if head[:length] not in starts)


_REAL_TESTS = {
    1 << n: test
    for n, test in enumerate(
        [
            LEXICONS[0].marker_lines.head,
            LEXICONS[0].contact_headings.head,
            LEXICONS[0]._label_head(),
            (1, frozenset({"K", "k", "1"})),
            (2, frozenset({"Ab", "ab", "AB", "aB"})),
        ]
    )
}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET + "TtLlMmbBrR"), max_size=6))
def test_the_bits_of_a_head_are_those_of_the_tests_it_fails(text):
    heads = LineHeads(_REAL_TESTS)  # type: ignore[arg-type]
    assert heads.away(text) == _direct_away(_REAL_TESTS, text)  # type: ignore[arg-type]
    assert heads.away(text) == _direct_away(_REAL_TESTS, text)  # (from the memo)


def test_the_bits_of_real_lines_are_those_of_the_tests_they_fail():
    heads = LineHeads(_REAL_TESTS)  # type: ignore[arg-type]
    assert all(
        heads.away(text) == _direct_away(_REAL_TESTS, text)  # type: ignore[arg-type]
        for text in CORPUS
    )
    assert len({heads.away(text) for text in CORPUS}) >= 8  # (the tests differ on them)
