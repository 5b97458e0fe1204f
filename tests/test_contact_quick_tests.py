"""The contact reader's first-characters tests (pipeline/extract/contact.py): one test of a line
for a group of patterns, which never turns away a line that one of them matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.contact import (
    _HEADING_KINDS,
    _HEADING_LINE,
    _OTHER_LABEL,
    _PHONE_LIKE,
    _RUNNING_TEXT,
    FirstChars,
    _is_contact_heading,
    _other_label,
    _quick_tests,
    _running_text,
)
from pipeline.extract.lines import Line
from pipeline.extract.starts import LineStart, line_start
from pipeline.extract.vocabulary import Lexicon
from tests.test_quick_tests import CORPUS, LEXICONS

IC = re.IGNORECASE
ALPHABET = "aAdDkKcCsSpPeEvV \t0123456789:.-–?ßäÄöüſKıİ"


def _groups(lex: Lexicon) -> dict[str, tuple[FirstChars, tuple[LineStart | re.Pattern[str], ...]]]:
    """Each quick test of a lexicon with the patterns it stands for."""
    quick = _quick_tests(lex)
    return {
        "marker": (
            quick.marker,
            (
                lex.contact_end,
                lex.closed_notice,
                lex.contact_headings,
                _HEADING_LINE,
                lex.contact_subheadings,
            ),
        ),
        "heading": (quick.heading, (lex.contact_headings, _HEADING_LINE)),
        "stop": (quick.stop, (lex.contact_end, lex.block_stop, lex.division_link)),
    }


def _matches(patterns: tuple[LineStart | re.Pattern[str], ...], text: str) -> bool:
    return any(
        (p.regex if isinstance(p, LineStart) else p).match(text) is not None for p in patterns
    )


@pytest.mark.parametrize("lex", LEXICONS, ids=["spi", "extra-words"])
def test_a_group_test_never_turns_away_a_real_line_a_pattern_matches(lex):
    hits = turned_away = 0
    for name, (quick, patterns) in _groups(lex).items():
        for text in CORPUS:
            if _matches(patterns, text):
                hits += 1
                assert quick.may_start(text), (name, text)
            elif not quick.may_start(text):
                turned_away += 1
    assert hits > 100  # the corpus holds the patterns' words
    assert turned_away > 3000  # and the tests turn most other lines away


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=14),
    st.sampled_from(["marker", "heading", "stop"]),
    st.sampled_from([0, 1]),
)
def test_a_group_test_never_turns_away_any_text_a_pattern_matches(text, name, which):
    quick, patterns = _groups(LEXICONS[which])[name]
    assert quick.may_start(text) or not _matches(patterns, text)


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
    quick = FirstChars(patterns)
    for text in matched:
        assert _matches(tuple(patterns), text), text
        assert quick.may_start(text), text
    for text in turned_away:
        assert not quick.may_start(text), text


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
