"""Phone numbers to E.164, Germany as the default region."""

from __future__ import annotations

import re

DEFAULT_COUNTRY_CODE = "49"

# One phone number as written on a page: digits with spaces, slashes, dashes, dots and parentheses.
_NUMBER = re.compile(r"(?:\+|\(\s*0|0)[\d\s/()\-–.]*\d")
# Separators between two numbers on one line.
_SPLIT = re.compile(r"\s*(?:[,;]|\s(?:und|oder|and|or|bzw\.?)\s|\s\|\s)\s*")
# "+49 (0)30 ...": the trunk zero in parentheses is not dialled from abroad.
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
_NON_DIGITS = re.compile(r"\D")
PLACEHOLDERS = frozenset({"", "-", "–", "—", "--", "n/a", "k.a.", "k. a.", "keine", "none", "/"})


def to_e164(text: str, country_code: str = DEFAULT_COUNTRY_CODE) -> str | None:
    """Normalize one written number to E.164; None for placeholders and non-numbers.

    >>> to_e164("(030) 4930-0110")
    '+493049300110'
    """
    text = text.strip()
    if text.lower() in PLACEHOLDERS:
        return None
    text = _TRUNK_ZERO.sub("", text)
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+"):
        national = digits
    elif digits.startswith("00"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = country_code + digits[1:]
    else:
        return None
    if not 7 <= len(national) <= 15 or national.startswith("0"):
        return None
    return "+" + national


def split_phones(text: str, country_code: str = DEFAULT_COUNTRY_CODE) -> list[str]:
    """All numbers on one line, normalized, in order, without duplicates.

    >>> split_phones("0331 7407260, 0176 21273460")
    ['+493317407260', '+4917621273460']
    """
    found: list[str] = []
    for part in _SPLIT.split(text):
        for match in _NUMBER.finditer(part):
            number = to_e164(match.group(0), country_code)
            if number is not None and number not in found:
                found.append(number)
    return found
