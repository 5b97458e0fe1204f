import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.emails import (
    _ADDRESS,
    _AT,
    _DOT,
    decrypt_token,
    deobfuscate,
    emails_from_link,
    find_emails,
    shift,
)
from pipeline.normalize.phones import split_phones, to_e164
from pipeline.normalize.text import collapse, fold


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("030 49300110", "+493049300110"),
        ("030 / 49 30 01 10", "+493049300110"),
        ("(030) 4930-0110", "+493049300110"),
        ("+49 30 49300110", "+493049300110"),
        ("+49 (0)30 49300110", "+493049300110"),
        ("0049 30 49300110", "+493049300110"),
        ("030 459793-0", "+49304597930"),
        ("0331 7407260", "+493317407260"),
        ("0176 21273460", "+4917621273460"),
        ("03563 6040-11", "+493563604011"),
        ("+43 1 5321234", "+4315321234"),
        ("-", None),
        ("–", None),
        ("", None),
        ("k. A.", None),
        ("12345", None),
        ("0", None),
    ],
)
def test_to_e164(text, e164):
    assert to_e164(text) == e164


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("0331 7407260, 0176 21273460", ["+493317407260", "+4917621273460"]),
        ("030 49300110 oder 0176 21273460", ["+493049300110", "+4917621273460"]),
        ("030 / 49 30 01 10", ["+493049300110"]),
        ("030 49300110; 030 49300110", ["+493049300110"]),
        ("(030) 4930-0110 und +49 176 21273460", ["+493049300110", "+4917621273460"]),
        ("–", []),
    ],
)
def test_split_phones(text, numbers):
    assert split_phones(text) == numbers


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("lebenslagen(at)stiftung-spi.de", ["lebenslagen@stiftung-spi.de"]),
        ("name( at )domain.de", ["name@domain.de"]),
        ("name [at] domain [dot] de", ["name@domain.de"]),
        ("name {at} domain (dot) de", ["name@domain.de"]),
        ("A.B@Example.ORG", ["a.b@example.org"]),
        ("x(at)a.de, y( at )b.de und z@c.de", ["x@a.de", "y@b.de", "z@c.de"]),
        ("x(at)a.de x@a.de", ["x@a.de"]),
        ("E-Mail schreiben", []),
    ],
)
def test_find_emails(text, emails):
    assert find_emails(text) == emails


def test_deobfuscate_leaves_plain_text():
    assert deobfuscate("Treffpunkt at the station") == "Treffpunkt@the station"
    assert deobfuscate("kein Hinweis") == "kein Hinweis"


@pytest.mark.parametrize("offset", range(-10, 11))
def test_token_round_trip_for_every_vector(offset):
    address = "info-2.x_y@stiftung-spi.de"
    token = shift("mailto:" + address, offset)
    assert emails_from_link("#", token) == [address]


@pytest.mark.parametrize(
    ("href", "token", "emails"),
    [
        ("mailto:Info@Stiftung-SPI.de?subject=Hallo", None, ["info@stiftung-spi.de"]),
        (
            "javascript:linkTo_UnCryptMailto('nbjmup+fmufsomputfoAtujguvoh.tqj/ef');",
            None,
            ["elternlotsen@stiftung-spi.de"],
        ),
        ("javascript:linkTo_UnCryptMailto(%27nbjmup+jogpAtqj/ef%27);", None, ["info@spi.de"]),
        ("#", "ocknvq,ngdgpuncigpBuvkhvwpi/urk0fg", ["lebenslagen@stiftung-spi.de"]),
        ("https://example.org/", None, []),
        (None, "not-a-token", []),
        (None, "", []),
    ],
)
def test_emails_from_link(href, token, emails):
    assert emails_from_link(href, token) == emails


def test_decrypt_token_rejects_garbage():
    assert decrypt_token("1234") is None
    assert decrypt_token("zzzzzzz") is None


def test_collapse_and_fold():
    assert collapse("  a\u00a0 b\n\tc\u00ad d ") == "a b c d"
    assert fold("„Straße“ – X") == '"strasse" - x'


@pytest.mark.parametrize(
    ("text", "collapsed"),
    [
        ("Jugend\u00adhilfe", "Jugendhilfe"),  # soft hyphen
        ("Jugend\u200bhilfe", "Jugendhilfe"),  # zero-width space
        ("Jugend\u200chilfe", "Jugendhilfe"),  # zero-width non-joiner
        ("Jugend\u200dhilfe", "Jugendhilfe"),  # zero-width joiner
        ("Jugend\u2060hilfe", "Jugendhilfe"),  # word joiner
        ("\ufeffJugendhilfe", "Jugendhilfe"),  # BOM
        ("Grü\u00adße\u200b \u2009aus\u3000Berlin", "Grüße aus Berlin"),  # thin, ideographic
        ("plain ascii  text", "plain ascii text"),
        ("Straße\u00a0–\u202fNord", "Straße – Nord"),  # no-break spaces, nothing invisible
    ],
)
def test_collapse_removes_invisible_characters(text, collapsed):
    assert collapse(text) == collapsed


def test_no_invisible_or_space_character_but_the_space_is_printable():
    """collapse() returns printable text with its ends stripped: it must hold neither."""
    from pipeline.normalize.text import _INVISIBLE_CHARS

    assert not any(char.isprintable() for char in _INVISIBLE_CHARS)
    assert [char for char in WHITESPACE if char.isprintable()] == [" "]


# Every character Python counts as whitespace (str.split() splits at each): the tab, line and
# page breaks, the C0 separators, NEL, no-break, Ogham, en to hair, line and paragraph
# separators, narrow no-break, medium mathematical and ideographic spaces.
WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@pytest.mark.parametrize("space", WHITESPACE, ids=lambda s: f"U+{ord(s):04X}")
def test_collapse_treats_every_whitespace_character_as_a_space(space):
    # At either end, inside a word run, doubled, beside a space: short and long texts (the
    # printable fast path is taken only when no such character is in the text).
    for body in ("Kinder", "Kinder und Jugendliche im Quartier " * 8):
        for text in (
            f"{space}{body}",
            f"{body}{space}",
            f"a{space}{body}",
            f"a{space}{space}{body}",
            f"a {space}{body} ",
        ):
            assert collapse(text) == " ".join(text.split()), repr(text)
    assert collapse(f"{space}") == ""


def _deobfuscate_everywhere(text: str) -> str:
    """deobfuscate as its two patterns say, without its quick tests."""
    return _AT.sub("@", _DOT.sub(".", text))


@pytest.mark.parametrize(
    "text",
    [
        "name [at] domain [dot] de",
        "name AT domain DOT de",
        "name(@)domain(punkt)de",
        "name[@]domain [ PUNKT ] de",
        "name at domain dot at",
        "name[at]domain(PUN\u212aT)de",  # a Kelvin sign the pattern takes for "k"
        "info@beispiel.de",
        "Treffpunkt at the station",
        "Projektleitung, Tel. 030 123 456",
        "",
    ],
)
def test_deobfuscate_quick_tests_change_nothing(text):
    assert deobfuscate(text) == _deobfuscate_everywhere(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("atdoupnkATDOPUNK\u212a@()[]{}. \t\u00a0xe"), max_size=24))
def test_deobfuscate_quick_tests_change_nothing_on_any_text(text):
    assert deobfuscate(text) == _deobfuscate_everywhere(text)
    found = (
        m.group(0).lower().strip(".") for m in _ADDRESS.finditer(_deobfuscate_everywhere(text))
    )
    assert find_emails(text) == list(dict.fromkeys(found))
