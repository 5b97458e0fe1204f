"""E-mail addresses: de-obfuscation of the protection styles sites use.

- text forms: ``name(at)domain.de``, ``name( at )domain.de``, ``name [at] domain [dot] de``,
  ``name at domain dot de``;
- ``javascript:linkTo_UnCryptMailto('nbjmup+...')`` links (older TYPO3);
- ``data-mailto-token`` with ``data-mailto-vector`` (TYPO3 v11+).

The two encrypted forms shift characters within the ranges ``+``..``:``, ``@``..``Z`` and
``a``..``z``. The shift is recovered from the ``mailto:`` prefix every token carries, so a wrong or
missing vector still decodes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

_AT = re.compile(r"\s*(?:\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|\s+at\s+|\(@\)|\[@\])\s*", re.I)
_DOT = re.compile(
    r"\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|\(\s*punkt\s*\)|\[\s*punkt\s*\])\s*"
    r"|\s+(?:dot|punkt)\s+(?=[A-Za-z0-9-]+(?:\s|$|[.,;)]))",
    re.I,
)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_UNCRYPT = re.compile(
    r"linkTo_UnCryptMailto\(\s*(?:%27|['\"])(?P<token>[^'\"%]+)(?:%27|['\"])", re.I
)
_RANGES = ((0x2B, 0x3A), (0x40, 0x5A), (0x61, 0x7A))


def deobfuscate(text: str) -> str:
    """Replace ``(at)``/``[dot]``-style protection with ``@`` and ``.``.

    >>> deobfuscate("name [at] domain [dot] de")
    'name@domain.de'
    """
    # Each pattern is searched for only where its word is (a search at every position of a
    # line cost ~2 us): every form of the dot writes "dot" or "punkt", every form of the at
    # "at", "(@)" or "[@]", in any case (lower() folds the Kelvin sign of "PUNKT" to "k" as the
    # pattern's IGNORECASE does). Replacing a dot never writes an "at": a "." stands between.
    low = text.lower()
    # The dots first: "name at domain dot at" has an "at" that is the domain's.
    if "dot" in low or "punkt" in low:
        text = _DOT.sub(".", text)
    if "at" in low or "(@)" in text or "[@]" in text:
        text = _AT.sub("@", text)
    return text


def find_emails(text: str) -> list[str]:
    """Every address in a text after de-obfuscation, lowercase, in order, without duplicates."""
    found: list[str] = []
    text = deobfuscate(text)
    if "@" not in text:
        return found
    for match in _ADDRESS.finditer(text):
        address = match.group(0).lower().strip(".")
        if address not in found:
            found.append(address)
    return found


def shift(text: str, offset: int) -> str:
    """Shift each character within its TYPO3 range by ``offset``, wrapping around."""
    return text.translate(_shift_table(offset))


@lru_cache(maxsize=64)
def _shift_table(offset: int) -> dict[int, int]:
    table = {}
    for low, high in _RANGES:
        size = high - low + 1
        for code in range(low, high + 1):
            table[code] = low + (code - low + offset) % size
    return table


def decrypt_token(token: str) -> str | None:
    """Decode an encrypted ``mailto:`` token; None when no shift yields ``mailto:``."""
    if not token:
        return None
    first = ord(token[0])
    low, high = _RANGES[2]
    if not low <= first <= high:
        return None
    offset = (ord("m") - first) % (high - low + 1)
    # The shift is known modulo 26 from the first letter; the other ranges need its sign too.
    for candidate in (offset, offset - (high - low + 1)):
        decoded = shift(token, candidate)
        if decoded.lower().startswith("mailto:") and find_emails(decoded[7:]):
            return decoded
    return None


def emails_from_link(href: str | None, token: str | None = None) -> list[str]:
    """Addresses behind a link: ``mailto:``, ``linkTo_UnCryptMailto`` or a ``data-mailto-token``."""
    candidates: list[str] = []
    if token:
        decoded = decrypt_token(token)
        if decoded:
            candidates.append(decoded)
    if href:
        match = _UNCRYPT.search(href)
        if match:
            decoded = decrypt_token(match["token"])
            if decoded:
                candidates.append(decoded)
        elif href.lower().startswith("mailto:"):
            candidates.append(href)
    found: list[str] = []
    for candidate in candidates:
        address = candidate[len("mailto:") :].split("?", 1)[0]
        for email in find_emails(unquote(address)):
            if email not in found:
                found.append(email)
    return found
