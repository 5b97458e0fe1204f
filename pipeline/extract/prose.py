"""Facts a page states only in running text: the period, the funders and the amount of one
sentence about the project ("Das Projekt läuft von März 2023 bis Ende 2025 und wird von der
X-Stiftung gefördert", "The project runs from January 2025 to December 2026 and is funded by
the X Foundation with €42,000").

Read conservatively: only the main content's paragraphs (no sidebar, no header), only a
sentence that names the project itself ("das Projekt", "das Vorhaben", "the project": a call
for proposals speaks of projects in general), never a sentence about applying, and only for a
fact no label gave. Each paragraph is looked at once, its sentences by bounded patterns, so a
long page costs a pass over its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline import labels
from pipeline.extract.blocks import split_conjoined
from pipeline.extract.lines import Line
from pipeline.extract.vocabulary import Lexicon
from pipeline.normalize.amounts import Amount, parse_amount
from pipeline.normalize.dates import PeriodValue, parse_date

MAX_PARAGRAPH = 1200  # characters of one paragraph looked at
MAX_SENTENCES = 8  # sentences naming the project looked at per page (facts come early)
MAX_NAME_WORDS = 10
_I = re.IGNORECASE


def _words(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


# (never after a day's or an ordinal's number: "vom 1. Juni 2013 bis 31. Mai 2016" is one
# sentence; a year's dot ends one: "Es begann 2019. Die X-Stiftung ...")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!(?<!\d)\d\.)(?<!(?<!\d)\d\d\.)\s+(?=[A-ZÄÖÜ])")
# A quick test before the sentences are looked at: the stems of the project's words, in a
# pattern with no case folding (lexbor-sized paragraphs are scanned at memchr speed).
_STEMS = re.compile(
    "|".join(
        sorted(
            {
                f"[{w.split()[-1][0].upper()}{w.split()[-1][0].lower()}]{w.split()[-1][1:5]}"
                for w in labels.PROSE_PROJECT
            }
        )
    )
)
_PROJECT = re.compile(rf"\b(?:{_words(labels.PROSE_PROJECT)})\b", _I)
_DECOY = re.compile(rf"\b(?:{_words(labels.PROSE_DECOYS)})", _I)


def _folded(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words casefolded, searched in a sentence :func:`_fold`-ed before the case-insensitive
    pattern is: Python's engine scans for a literal ~5x faster than it folds case at every
    position (a 500-character sentence: 8 instead of 40 us)."""
    return re.compile(_words(tuple(word.casefold() for word in words)))


def _fold(sentence: str) -> str:
    """A sentence casefolded, its dotless and dotted I (which case-insensitive matching pairs
    with "i", casefolding does not) as "i": every case-insensitive match of a word is in it."""
    folded = sentence.casefold()
    if folded.isascii():
        return folded
    return folded.replace("\u0131", "i").replace("i\u0307", "i")


_PROJECT_FOLDED = _folded(labels.PROSE_PROJECT)
_DECOY_FOLDED = _folded(labels.PROSE_DECOYS)
# "von März 2023 bis Ende 2025", "from January 2025 to December 2026"
# A funding verb's stem: the funder and amount patterns run only where one stands.
# (searched in the casefolded sentence)
_FUNDING_HINT = re.compile(r"förder|finanz|unterstütz|getragen|fund|financ|support")
_FROM = re.compile(r"\b(?:von|vom|from|between)\s+", _I)
_TO = re.compile(r"\s+(?:bis(?:\s+zum)?|to|until|till|and)\s+", _I)
_FUNDING_VERBS = "|".join(map(re.escape, labels.PROSE_FUNDING_VERBS))
# "Die X-Stiftung hat das Vorhaben ... unterstützt": an auxiliary after the funder, the
# participle at the sentence's end.
_AUXILIARIES = "|".join(map(re.escape, labels.PROSE_AUXILIARIES))
_PARTICIPLES = "|".join(map(re.escape, labels.PROSE_FUNDING_PARTICIPLES))
_PARTICIPLE = re.compile(rf"\b(?:{_PARTICIPLES})\b")
# "wird von der X und der Y gefördert", "is funded by the X Foundation with ...",
# "Die X-Stiftung fördert das Vorhaben ...", "gefördert von X"
_FUNDERS = (
    re.compile(
        r"\b(?:wird|werden|wurde|wurden)\s+(?:\S+\s+){0,2}?von\s+(?P<names>[^.;:!?]{2,160}?)\s+"
        r"(?:gefördert|finanziert|unterstützt|getragen)\b",
        _I,
    ),
    re.compile(
        r"\b(?:is|was|are|were|has\s+been|have\s+been)\s+(?:\S+\s+)?(?:funded|financed|supported)"
        r"\s+by\s+(?P<names>[^.,;:!?]{2,160}?)"
        r"(?=\s+(?:with|from|since|until|for|in|through|over)\b|[.,;:]|$)",
        _I,
    ),
    re.compile(
        rf"^(?P<names>[A-ZÄÖÜ][^.;:!?]{{1,160}}?)\s+(?:{_FUNDING_VERBS})\s+(?:das|dieses|the|this)"
        r"\s+(?:Vorhaben|Projekt|project|programme)\b"
    ),
    # "Die X-Stiftung hat das Projekt 2019 mit 5.000 Euro gefördert"
    re.compile(
        rf"^(?P<names>[A-ZÄÖÜ][^.;:!?]{{1,160}}?)\s+(?:{_AUXILIARIES})\s+(?:das|dieses|the|this)"
        rf"\s+(?:Vorhaben|Projekt|project|programme)\b[^.;:!?]{{0,160}}?\s(?:{_PARTICIPLES})\b"
    ),
    # "Von 2023 bis 2026 fördert die X-Stiftung das Vorhaben": the verb before its subject
    re.compile(
        rf"\b(?:{_FUNDING_VERBS})\s+(?:die|der|the)\s+(?P<names>[A-ZÄÖÜ][^.;:!?]{{1,120}}?)\s+"
        r"(?:das|dieses|the|this)\s+(?:Vorhaben|Projekt|project|programme)\b"
    ),
)
_AMOUNT = re.compile(
    r"\b(?:mit|with|in\s+Höhe\s+von|totalling|totaling|of)\s+(?P<amount>"
    r"(?:(?:bis\s+zu|insgesamt|rund|knapp|up\s+to|a\s+total\s+of|around|about)\s+)?"
    r"(?:€|EUR|CHF|£|\$|US\$)?\s?\d[\d.,'’]*(?:\s\d{3}(?!\d))*"  # (thousands spaced: "20 000")
    r"(?:\s?(?:Mio\.|Millionen|Million|million|Tsd\.))?"
    r"(?:\s?(?:Euro|EUR|€|CHF|Franken|£|GBP|USD))?)",
    _I,
)


@dataclass(slots=True)
class ProseFacts:
    period: PeriodValue | None = None
    funders: list[str] = field(default_factory=list)
    amount: Amount | None = None

    def complete(self, want: tuple[bool, bool, bool]) -> bool:
        """Whether every fact asked for was found."""
        have = (self.period is not None, bool(self.funders), self.amount is not None)
        return all(h or not w for h, w in zip(have, want, strict=True))


def read_prose(
    lines: list[Line],
    taken: list[bool],
    start: int,
    lex: Lexicon,
    want: tuple[bool, bool, bool],
    title: str | None = None,
) -> ProseFacts:
    """The period, funders and amount (those ``want`` asks for, in that order) of the first
    sentences about the project in the main content's paragraphs from line ``start``; a
    sentence that names the project by its ``title`` ("Die X-Stiftung finanziert FinanzFit
    von ... bis ...") is about it too."""
    found = ProseFacts()
    budget = MAX_SENTENCES
    name = _title_name(title)
    named = _ByTitle(name) if 4 <= len(name) <= 80 else None
    for i in range(start, len(lines)):
        line = lines[i]
        if taken[i] or line.kind != "p" or line.aside or line.header:
            continue
        text = line.text[:MAX_PARAGRAPH]
        if not _STEMS.search(text) and (named is None or not named.mentions(text)):
            continue  # (most paragraphs: one search)
        for sentence in _SENTENCE_END.split(text):
            if budget <= 0:
                return found
            folded = _fold(sentence)
            # A sentence naming the project only by its title is about its funding only when it
            # has a funding verb ("Die Lernwerkstatt wurde von 1998 bis 2003 im Rathaus
            # betrieben" is its history, not its period).
            about = bool(_PROJECT_FOLDED.search(folded) and _PROJECT.search(sentence)) or (
                named is not None
                and named.mentions(sentence)
                and _FUNDING_HINT.search(folded) is not None
            )
            if about and not (_DECOY_FOLDED.search(folded) and _DECOY.search(sentence)):
                budget -= 1
                _read_sentence(sentence, folded, found, want, lex, named)
        if found.complete(want):
            break
    return found


def _title_name(title: str | None) -> str:
    """The project's name in its title: the title, or its part before a spaced dash or a colon
    ("FinanzFit – Schuldenprävention für junge Erwachsene" is FinanzFit)."""
    return _TITLE_TAIL.split(title or "", maxsplit=1)[0].strip()


_TITLE_TAIL = re.compile(r"\s[–—-]\s|:\s")


class _ByTitle:
    """ "Die X-Stiftung finanziert <name>": the funder before a funding verb and the project's
    name, or one of its name's words after an article ("Code Club Zug": "supports the club").
    One pattern for every page: the name is compared, never compiled."""

    __slots__ = ("name", "nouns")

    def __init__(self, name: str) -> None:
        self.name = name
        words = [w.lower() for w in name.split() if len(w) >= 4 and w.isalpha()]
        self.nouns = tuple(f"{a} {w}" for w in words[:4] for a in _ARTICLES)

    def mentions(self, text: str) -> bool:
        """Whether a text names the project: its name as a whole word ("Kunst" is not in
        "Kunstschule"), or "the club" for "Code Club Zug"."""
        if _whole_word(text, self.name):
            return True
        low = text.lower()
        return any(_whole_word(low, noun) for noun in self.nouns)

    def search(self, sentence: str) -> re.Match[str] | None:
        for match in _VERB_FIRST.finditer(sentence):
            rest = sentence[match.end() :]
            if match["aux"] and not _PARTICIPLE.search(rest):
                continue  # "X hat den Garten angelegt": no funding
            object_ = rest.split(" ", 2)
            if _whole(rest, self.name) or (
                len(object_) > 1 and f"{object_[0].lower()} {object_[1].lower()}" in self.nouns
            ):
                return match
        return None


def _whole_word(text: str, words: str) -> bool:
    """Whether ``words`` stand in ``text`` as whole words (not inside a longer word)."""
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        if not text[at - 1 : at].isalnum() and not text[end : end + 1].isalnum():
            return True
        at = text.find(words, at + 1)
    return False


def _whole(text: str, name: str) -> bool:
    """Whether ``text`` opens with ``name`` as a whole word."""
    return text.startswith(name) and not text[len(name) : len(name) + 1].isalnum()


_ARTICLES = labels.PROSE_ARTICLES


# "<names> finanziert ...": the names before a funding verb, at the sentence's start.
_VERB_FIRST = re.compile(
    rf"^(?P<names>[A-ZÄÖÜ][^.;:!?]{{1,160}}?)\s+(?:{_FUNDING_VERBS}|(?P<aux>{_AUXILIARIES}))\s+"
)
_Pattern = re.Pattern[str] | _ByTitle


def _read_sentence(
    sentence: str,
    folded: str,
    found: ProseFacts,
    want: tuple[bool, bool, bool],
    lex: Lexicon,
    named: _ByTitle | None = None,
) -> None:
    want_period, want_funders, want_amount = want
    if want_period and found.period is None:
        found.period = _period(sentence)
    if not _FUNDING_HINT.search(folded):
        return
    funded = False
    patterns: tuple[_Pattern, ...] = _FUNDERS if named is None else (*_FUNDERS, named)
    if want_funders and not found.funders:
        found.funders = _funders(sentence, lex, patterns)
        funded = bool(found.funders)
    if want_amount and found.amount is None and (funded or _funding_verb(sentence, patterns)):
        found.amount = _amount(sentence)


def _period(sentence: str) -> PeriodValue | None:
    """ "von X bis Y" in a sentence, each bound a date as :func:`parse_date` reads it (the
    longest run of up to four words after "bis" that is one)."""
    for start in _FROM.finditer(sentence):
        rest = sentence[start.end() : start.end() + 80]
        to = _TO.search(rest)
        if to is None:
            continue
        first = parse_date(rest[: to.start()])
        if first is None:
            continue
        words = rest[to.end() :].split()[:4]
        for n in range(len(words), 0, -1):
            last = parse_date(" ".join(words[:n]).rstrip(".,;:"))
            if last is not None:
                raw = f"{rest[: to.start()]}{rest[to.start() : to.end()]}{' '.join(words[:n])}"
                raw = raw.rstrip(".,;:")
                return PeriodValue(first.first, last.last, first.precision, last.precision, raw)
    return None


_ARTICLE = re.compile(r"^(?:der|die|das|dem|den|des|the)\s+", _I)


def _funders(sentence: str, lex: Lexicon, patterns: tuple[_Pattern, ...] = _FUNDERS) -> list[str]:
    for pattern in patterns:
        match = pattern.search(sentence)
        if match is None:
            continue
        names = [_ARTICLE.sub("", n).strip() for n in split_conjoined(match["names"], lex)]
        if names and all(_name_shape(n) for n in names):
            return names
    return []


def _name_shape(name: str) -> bool:
    """An organization's name as prose names it: capitalized, a few words, no digits."""
    return (
        bool(name)
        and name[0].isupper()
        and len(name.split()) <= MAX_NAME_WORDS
        and not any(c.isdigit() for c in name)
    )


def _funding_verb(sentence: str, patterns: tuple[_Pattern, ...] = _FUNDERS) -> bool:
    return any(pattern.search(sentence) for pattern in patterns)


def _amount(sentence: str) -> Amount | None:
    for match in _AMOUNT.finditer(sentence):
        raw = match["amount"].strip().rstrip(".,;:")
        amount = parse_amount(raw)
        if amount is not None:
            return amount
    return None
