"""Bytes to text: HTTP header charset, then ``<meta charset>``, then a BOM, then detection.

Labels follow the WHATWG Encoding Standard where it matters: ISO-8859-1 and US-ASCII are decoded
as windows-1252, as browsers do.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "l1": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_header(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header, if it names a known one."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _codec(match.group(1)) if match else None


def sniff_charset(body: bytes) -> str | None:
    """The codec named by a BOM or a ``<meta charset>`` in the first 4 KiB."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    match = _META_CHARSET.search(body[:4096])
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page; returns (text, codec used). Never raises on bad bytes.

    A declared charset that does not fit the bytes (a UTF-8 page declared as ISO-8859-1 is the
    common case) is overruled when the bytes are valid UTF-8 with non-ASCII characters.
    """
    declared = charset_from_header(content_type) or sniff_charset(body)
    if declared and declared not in ("utf-8", "utf-8-sig"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not body.isascii():
                declared = "utf-8"
    if declared:
        return body.decode(declared, errors="replace").lstrip("\ufeff"), declared
    try:
        return body.decode("utf-8").lstrip("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:65536]).best()
    codec = _codec(best.encoding) if best is not None else None
    codec = codec or "cp1252"
    return body.decode(codec, errors="replace"), codec
