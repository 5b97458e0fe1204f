"""Bad input never crashes the parser: it gets a clear problem list or a non-project result."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.decode import decode_html
from pipeline.parse import parse_page
from tests.spi import SPI

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "v1"
EXAMPLE = (SITE / "projekte" / "aktionsraummitte" / "index.html").read_bytes()
URL = "https://www.stiftung-spi.de/projekte/aktionsraummitte/"

TAGS = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "address",
    "main",
    "article",
    "aside",
    "footer",
    "nav",
    "br",
    "img",
    "a",
    "strong",
]
WORDS = [
    "Status:",
    "abgeschlossen",
    "Zeitraum",
    "01.02.2014 bis 31.12.2017",
    "Kontakt",
    "Telefon:",
    "030 49300110",
    "E-Mail:",
    "x(at)y.de",
    "Fax:",
    "–",
    "Finanziert durch",
    "Ansprechperson:",
    "10247 Berlin",
    "Das Projekt ist abgeschlossen.",
    "mehr",
    "Standort",
    "Link zum",
    "Fahrinfo unter",
    "\u00a0",
    "<",
    "&amp;",
    "&#xD800;",
    "\x00",
]


@st.composite
def soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


def _check(result) -> None:
    assert result.kind in ("project", "not_project", "invalid")
    if result.kind == "project":
        assert result.record is not None and not result.problems
    if result.kind == "invalid":
        assert result.record is None and result.problems
        assert all(str(p) for p in result.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup())
def test_tag_soup_never_raises(html):
    _check(parse_page(html, URL, SPI))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(body):
    _check(parse_page(body, URL, SPI))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(EXAMPLE)))
def test_truncated_page_never_raises(cut):
    _check(parse_page(EXAMPLE[:cut], URL, SPI))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the document is empty"),
        (b"   \n\t ", "the document is empty"),
        (b"%PDF-1.4 binary stuff without markup", "not HTML"),
        (b'{"json": true}', "not HTML"),
    ],
)
def test_empty_and_non_html_get_a_clear_problem(body, message):
    result = parse_page(body, URL, SPI)
    assert result.kind == "invalid"
    assert message in str(result.problems[0])


def test_huge_page_is_parsed_without_error():
    filler = b"<p>" + b"Lorem ipsum dolor sit amet. " * 40 + b"</p>\n"
    body = EXAMPLE.replace(b"</body>", filler * 6000 + b"</body>")  # about 7 MB
    result = parse_page(body, URL, SPI)
    assert result.kind == "project"
    assert result.record.title.startswith("Bezirksbeauftragte")


def test_pages_in_other_encodings_parse_the_same():
    text = EXAMPLE.decode("utf-8")
    reference = parse_page(EXAMPLE, URL, SPI).record
    latin = text.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    assert parse_page(latin.encode("cp1252"), URL, SPI).record == reference
    assert (
        parse_page(latin.encode("cp1252"), URL, SPI, "text/html; charset=ISO-8859-1").record
        == reference
    )
    undeclared = text.replace('<meta charset="utf-8">', "")
    assert parse_page(undeclared.encode("utf-8"), URL, SPI).record == reference


def test_parse_is_deterministic_and_pure():
    first = parse_page(EXAMPLE, URL, SPI)
    second = parse_page(EXAMPLE, URL, SPI)
    assert first == second


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup(), st.sampled_from([b"", codecs.BOM_UTF8, b"\xff\xfe<p>", b"<p>\xc3(\x80</p>"]))
def test_bytes_and_their_text_parse_the_same(html, prefix):
    """UTF-8 bytes go to lexbor as they are; what it reads must equal the decoded text."""
    body = prefix + EXAMPLE.replace(b"</h1>", b"</h1>" + html.encode("utf-8", "replace"), 1)
    text, _codec = decode_html(body)
    assert parse_page(body, URL, SPI) == parse_page(text, URL, SPI)
