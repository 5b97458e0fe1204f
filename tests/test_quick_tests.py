"""The quick tests in front of the vocabulary's patterns: the first-characters filter
(pipeline/extract/starts.py), what it reads from a pattern and that it never changes a match;
and the prose's casefolded searches (pipeline/extract/prose.py), which never turn away a
sentence the case-insensitive pattern takes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import labels
from pipeline.extract.lines import read_document
from pipeline.extract.starts import LineStart, prefixes
from pipeline.extract.vocabulary import Lexicon, lexicon_for
from pipeline.profiles import SiteProfile, Vocabulary
from tests.spi import SPI

IC = re.IGNORECASE
WORD = "abcdefghijklmnopqrstuvwxyz0123456789_"
WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # the ASCII characters \s matches
NOTE = {f"{a}no" for a in WS} | {"not"}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "flags", "told"),
    [
        ("Kontakt|Contact", IC, (3, {"kon", "con"})),
        ("Ab", 0, (2, {"ab"})),  # shorter than three characters: two
        (r"\w\w\w", 0, (2, {a + b for a in WORD for b in WORD})),  # 37³ ways: too many
        (r"^\s*Note", IC, (3, {f"{a}{b}{c}" for a in WS for b in WS for c in WS + "n"} | NOTE)),
        (r"^(?:Das|Dieses)\s+Projekt", IC, (3, {"das", "die"})),
        (r"\d{4,5}\s+\S", 0, (3, {f"{n:03d}" for n in range(1000)})),
        ("(?:Förder|Projekt)laufzeit", IC, (3, {"pro"})),  # "Fö...": no ASCII line begins so
        ("Stra(?:ße|sse)", IC, (3, {"str"})),
        ("[A-C]x", 0, (2, {"ax", "bx", "cx"})),
        ("(?!)|Start", 0, (3, {"sta"})),  # a never-matching branch adds nothing
        ("x?", 0, None),  # may match nothing
        ("a*b", 0, (1, {"a", "b"})),  # "b" alone is one character: one
        (r"(a)\1", 0, (1, {"a"})),  # a back reference: told up to where it stands
        ("\u017fo", IC, (2, {"so"})),  # the long s matches "s" case-insensitively
        ("\u0130x", IC, (2, {"ix"})),  # and the dotted capital I matches "i"
        ("\u212ax", IC, (2, {"kx"})),  # the Kelvin sign "k"
        ("\u0131x", IC, (2, {"ix"})),  # the dotless i "i"
        ("(?!ab)a", 0, (1, {"a"})),  # a look-ahead is no character (and may match)
        ("(?!)", 0, None),  # never matches: no set (none would turn every line away)
        (r"(?:\b){2}ab", IC, (2, {"ab"})),  # a repeat of what matches nothing
        ("(?:a|){3}b|c", 0, (1, {"a", "b", "c"})),  # "b" after three empty repeats
        (".x", 0, (2, {f"{chr(c).lower()}x" for c in range(128)})),
    ],
)
def test_prefixes_are_read_from_the_pattern(pattern, flags, told):
    found = prefixes(re.compile(pattern, flags))
    assert found == (None if told is None else (told[0], frozenset(told[1])))


def _matchers(lex: Lexicon) -> dict[str, LineStart]:
    return {name: value for name, value in vars(lex).items() if isinstance(value, LineStart)}


EXTRA = Vocabulary(
    period=["Umsetzungszeit"],
    contact=["Rückfragen an"],
    closed_notices=["Archivierte Förderung"],
    chrome_lines=["Zur Übersicht"],
    division=["Ressort"],
)
LEXICONS = [
    lexicon_for(SPI),
    lexicon_for(
        SiteProfile(
            id="x",
            name="X",
            origin="https://x.example",
            project_paths=["^/p/"],
            country="CH",
            vocabulary=EXTRA,
        )
    ),
]


def _corpus() -> list[str]:
    """Every line of every saved fixture page, every word of the shared vocabulary, in the case
    it is written, upper and lower case, and after a space."""
    texts: set[str] = set()
    lex = LEXICONS[0]
    pages = sorted(p for p in FIXTURES.rglob("*.html") if p.is_file())
    for page in pages[::7]:  # every seventh saved page: ~230
        texts.update(line.text for line in read_document(page.read_bytes(), lex).lines)
    for name in dir(labels):
        value = getattr(labels, name)
        words = value if isinstance(value, tuple) else ()
        if isinstance(value, dict):
            words = tuple(w for v in value.values() if isinstance(v, tuple) for w in v)
        for word in words:
            if isinstance(word, str):
                texts.update((word, word.upper(), word.lower(), f" {word}", f"{word}: 2020"))
                # the non-ASCII letters case-insensitive matching pairs with s, k and i
                for ascii_letter, other in (("s", "\u017f"), ("k", "\u212a"), ("i", "\u0131")):
                    variant = word.lower().replace(ascii_letter, other, 1)
                    texts.update((variant, f"{variant} 2020 x"))
    return sorted(texts)


CORPUS = _corpus()


def _same(filtered: re.Match[str] | None, plain: re.Match[str] | None) -> bool:
    if filtered is None or plain is None:
        return filtered is plain
    return filtered.span() == plain.span() and filtered.groupdict() == plain.groupdict()


@pytest.mark.parametrize("lex", LEXICONS, ids=["spi", "extra-words"])
def test_the_filter_never_changes_a_match_on_real_lines(lex):
    matchers = _matchers(lex)
    assert len(matchers) >= 15
    assert len(CORPUS) > 3000
    hits = 0
    for name, matcher in matchers.items():
        for text in CORPUS:
            plain = matcher.regex.match(text)
            assert _same(matcher.match(text), plain), (name, text)
            hits += plain is not None
    assert hits > 500  # the corpus holds the patterns' words, not only lines they turn away


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aAdDkKsSpP \t0123456789:.-–ßäÄöüſKıİ"), max_size=12),
    st.sampled_from(sorted(_matchers(LEXICONS[1]))),
)
def test_the_filter_never_changes_a_match_on_any_text(text, name):
    matcher = _matchers(LEXICONS[1])[name]
    assert _same(matcher.match(text), matcher.regex.match(text))


def test_most_lines_of_running_text_never_reach_the_regex():
    """What the filter is for: a sentence is turned away by most patterns at its first
    characters."""
    lex = LEXICONS[0]
    text = "Im Quartier treffen sich jeden Dienstag Kinder und Eltern."
    told = [m for m in _matchers(lex).values() if prefixes(m.regex) is not None]
    assert len(told) >= 15
    passed = [m for m in told if text[:3].lower() in prefixes(m.regex)[1]]  # type: ignore[index]
    assert len(passed) <= 2


def _cased(words: tuple[str, ...]) -> list[str]:
    sentences = []
    for word in words:
        for form in (word, word.upper(), word.lower(), word.title(), word.swapcase()):
            sentences += [f"Seit 2020 läuft {form} in Kassel.", f"{form}", f"Vor{form}", form * 2]
    return sentences


@pytest.mark.parametrize(
    ("folded", "pattern", "words"),
    [
        ("_PROJECT_FOLDED", "_PROJECT", labels.PROSE_PROJECT),
        ("_DECOY_FOLDED", "_DECOY", labels.PROSE_DECOYS),
    ],
)
def test_the_prose_quick_search_never_turns_away_a_match(folded, pattern, words):
    from pipeline.extract import prose

    quick, full = getattr(prose, folded), getattr(prose, pattern)
    sentences = [*_cased(words), *_cased(labels.PROSE_DECOYS + labels.PROSE_PROJECT), *CORPUS]
    taken = 0
    for sentence in sentences:
        if full.search(sentence):
            taken += 1
            assert quick.search(prose._fold(sentence)), sentence
    assert taken >= 5 * len(words)


STATUS = "<p><strong>Status:</strong> laufend</p>"


@pytest.mark.parametrize(
    ("sentence", "period", "funders"),
    [
        # a funding verb in capitals: the funders are read
        ("The project runs from 2024 to 2026 and is FUNDED by the North Foundation.", 1, 1),
        # a decoy word inside another word is none: the sentence is read
        ("Das Projekt läuft von 2024 bis 2026; den Projektantrag schrieb die Schule.", 1, 0),
        # the project's word as part of another word is no mention: the sentence is not read
        ("Für das Projektziel stehen von 2024 bis 2026 Mittel der Nord-Stiftung bereit.", 0, 0),
        # the dotless and dotted I: a funding verb and a decoy as case-insensitive matching
        # reads them
        ("Das Projekt läuft von 2024 bis 2026 und wird von der Nord-Stiftung fınanziert.", 1, 1),
        ("Das Projekt läuft von 2024 bis 2026, getragen von der Nord-Stiftung; DEADLİNE.", 0, 0),
    ],
)
def test_prose_facts_are_read_as_the_case_insensitive_patterns_say(sentence, period, funders):
    from tests.test_parse_grantee_pages import page, parse

    record = parse(page(f"{STATUS}<p>{sentence}</p>"))
    assert (record.period is not None, len(record.funders)) == (bool(period), funders)


# Expiry notes in the forms pages write them, and near misses, for the hinted search.
_EXPIRY_TEXTS = [
    "Jugendtreff (abgeschlossen am 30.06.2019)",
    "Projekt beendet\u00a0am\u00a01. März 2020",
    "Completed\ton\t1 May 2020",
    "completed  ON 2020-05-01",
    "ABGESCHLOSSEN IM Juni 2019",
    "beendet in 2018",
    "abgeschlossenam 30.06.2019",
    "abgeschlossen am",
    "Kein Hinweis",
    "",
]


@pytest.mark.parametrize("lex", LEXICONS, ids=["spi", "extra-words"])
def test_the_expiry_hint_never_turns_a_match_away(lex):
    hits = 0
    for text in [*CORPUS, *_EXPIRY_TEXTS]:
        plain = lex.expiry.regex.search(text)
        assert _same(lex.expiry.search(text), plain), text
        hits += plain is not None
    assert hits >= 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abgeschlosnditmAIOMN \t\u00a0\u2003()0123456789.ıİ")))
def test_the_expiry_hint_never_turns_a_match_away_on_any_text(text):
    lex = LEXICONS[0]
    assert _same(lex.expiry.search(text), lex.expiry.regex.search(text))
