"""Grant amounts as written ("45.000 €", "CHF 120'000", "Fr. 45'000.–", "CHF 1,2 Mio.") to a
value and an ISO currency. Pure; the currency and multiplier words live in :mod:`pipeline.labels`.

Separators: an apostrophe, a space or a separator used twice groups thousands; with both ``.``
and ``,`` the last one is the decimal mark; a lone ``.`` or ``,`` followed by exactly three
digits groups thousands ("45.000", "62,000") unless a multiplier follows ("1,250 Mio.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import labels


@dataclass(frozen=True, slots=True)
class Amount:
    value: float
    currency: str
    raw: str

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "currency": self.currency, "raw": self.raw}


def _words(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    # A word ends at a non-letter; a sign ("€", "$") needs no boundary.
    return "|".join(re.escape(w) + (r"(?![^\W\d_])" if w[-1].isalpha() else "") for w in ordered)


_CURRENCY = {w.lower(): code for code, words in labels.CURRENCIES.items() for w in words}
_MULTIPLIER = {w.lower(): f for f, words in labels.AMOUNT_MULTIPLIERS.items() for w in words}
_CUR = _words(tuple(w for words in labels.CURRENCIES.values() for w in words))
_MUL = _words(tuple(w for words in labels.AMOUNT_MULTIPLIERS.values() for w in words))
_NUMBER = r"\d{1,3}(?:[.,'’\u2009\u202f\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(
    rf"(?<![\w.])(?:(?P<cur1>{_CUR})\s*)?(?P<num>{_NUMBER})(?:[.,][-–—]+)?"
    rf"(?:\s*(?P<mul>{_MUL}))?(?:\s*(?P<cur2>{_CUR}))?",
    re.IGNORECASE,
)


def _number(text: str, scaled: bool) -> float | None:
    text = re.sub(r"[’'\u2009\u202f\u00a0 ]", "", text)
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        text = text.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    elif dots + commas == 1:
        mark = "." if dots else ","
        decimals = len(text) - text.index(mark) - 1
        text = text.replace(mark, "." if scaled or decimals != 3 else "")
    elif dots + commas > 1:
        text = text.replace(".", "").replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def parse_amount(text: str) -> Amount | None:
    """The first amount with a currency in ``text``, or None (a number alone is no amount)."""
    for match in _AMOUNT.finditer(text):
        currency = match["cur1"] or match["cur2"]
        if currency is None:
            continue
        multiplier = _MULTIPLIER[match["mul"].lower()] if match["mul"] else 1
        value = _number(match["num"], scaled=multiplier > 1)
        if value is None:
            continue
        raw = text.strip()
        return Amount(round(value * multiplier, 2), _CURRENCY[currency.lower()], raw)
    return None


_DIGIT = re.compile(r"\d")  # what _NUMBER's digits are
_BOUND = re.compile(rf"^(?:{_words(labels.AMOUNT_BOUNDS)})\s+", re.IGNORECASE)


def amount_only(text: str) -> Amount | None:
    """The amount ``text`` is and nothing more ("2.500 Euro", "€ 6,500", "bis zu 1.500 €"), or
    None: a value that names no one, only a sum."""
    if _DIGIT.search(text) is None:
        return None  # (a name: most values under a funders label; every amount has a digit)
    match = _AMOUNT.fullmatch(_BOUND.sub("", text.strip()))
    if match is None or not (match["cur1"] or match["cur2"]):
        return None
    return parse_amount(text)
