"""Cloaked e-mail addresses: the scripts and fallbacks sites hide them with, read without running
anything (table-tested normalizer), and the addresses reaching the contact block of a page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.emails import find_emails
from pipeline.normalize.mail_scripts import (
    MAX_SCRIPT_CHARS,
    emails_from_fallback,
    emails_from_script,
)
from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile

# A CMS cloak: a placeholder span, the address built in variables from pieces and entities.
CLOAK = (
    "document.getElementById('cloak77').innerHTML = '';"
    "var prefix = '&#109;a' + 'i&#108;' + '&#116;o';"
    "var path = 'hr' + 'ef' + '=';"
    "var addy77 = 'ruth&#46;brand' + '&#64;';"
    "addy77 = addy77 + 'quartier-nord' + '&#46;' + 'de';"
    "var addy_text77 = 'ruth&#46;brand' + '&#64;' + 'quartier-nord' + '&#46;' + 'de';"
    "document.getElementById('cloak77').innerHTML += '<a ' + path + '\\'' + prefix + ':' "
    "+ addy77 + '\\'>'+addy_text77+'<\\/a>';"
)


@pytest.mark.parametrize(
    ("script", "emails"),
    [
        # document.write of a mailto link, in pieces, both quote styles
        (
            "document.write('<a href=\"mailto:' + 'info' + '@' + 'verein-ost.org' + '\">'"
            " + 'info' + '@' + 'verein-ost.org' + '</a>');",
            ["info@verein-ost.org"],
        ),
        (
            'document.write("<a href=\\"mailto:" + "ben.kurz" + "&#64;" + "example.net" + "\\">");',
            ["ben.kurz@example.net"],
        ),
        # variables joined, then written
        (
            "var u = 'team'; var d = 'lernort'; d += '.ch';"
            "document.write('<a href=\"mailto:' + u + '@' + d + '\">' + u + '@' + d + '</a>');",
            ["team@lernort.ch"],
        ),
        (CLOAK, ["ruth.brand@quartier-nord.de"]),
        # JavaScript escapes
        ("document.write('kontakt\\x40stadtteil.de')", ["kontakt@stadtteil.de"]),
        ("document.write('kontakt\\u0040stadtteil.de')", ["kontakt@stadtteil.de"]),
        # decoding calls
        (
            "document.write(String.fromCharCode(109,97,120,64,98,46,100,101))",
            ["max@b.de"],
        ),
        ("document.write(unescape('%6D%61%78%40b.de'))", ["max@b.de"]),
        ("var m = atob('bWF4QGIuZGU='); document.write(m);", ["max@b.de"]),
        # the address only in variables (a setter we do not know reads them)
        ("var a = 'lea'; var b = 'forum-sued.at'; var c = a + '@' + b;", ["lea@forum-sued.at"]),
        # no address
        ("var x = 1; console.log('hello');", []),
        ("document.write('<p>mailto broken: ' + '@' + '</p>')", []),
        ("", []),
        ("document.write(", []),
        ("'unterminated", []),
    ],
)
def test_emails_from_script(script, emails):
    assert emails_from_script(script) == emails


def test_a_large_script_is_not_read():
    bundle = "var pad = '" + "x" * MAX_SCRIPT_CHARS + "'; document.write('a@b.de');"
    assert emails_from_script(bundle) == []


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("ruth [at] quartier-nord [dot] de", ["ruth@quartier-nord.de"]),
        ("ruth (at) quartier-nord (dot) de", ["ruth@quartier-nord.de"]),
        ("ruth at quartier-nord dot de", ["ruth@quartier-nord.de"]),
        ("ruth at quartier dot nord dot co dot uk", ["ruth@quartier.nord.co.uk"]),
        (
            '<img src="/pixel.gif" alt=""> ruth [at] quartier-nord [dot] de',
            ["ruth@quartier-nord.de"],
        ),
        ("Bitte JavaScript aktivieren.", []),
        ('<img src="/pixel.gif">', []),
    ],
)
def test_emails_from_fallback(text, emails):
    assert emails_from_fallback(text) == emails


def test_a_bare_dot_word_in_running_text_is_no_address():
    assert find_emails("Wir treffen uns um 10 dot com Büro") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="'\"+=;(),.\\ab@&#x0-9 \n", max_size=200))
def test_the_script_reader_never_crashes(script):
    assert isinstance(emails_from_script("mailto" + script), list)


PROFILE = SiteProfile(
    id="beispiel",
    name="Beispiel-Stiftung",
    origin="https://www.beispiel-stiftung.de",
    project_paths=["^/projekte/"],
)
URL = "https://www.beispiel-stiftung.de/projekte/x/"


def _contact(cell: str):
    html = (
        "<main><h1>Quartier Nord</h1><p>Laufzeit: 2023 – 2025</p>"
        f"<h3>Kontakt</h3><p>Ruth Brand<br>Telefon: 030 1234567<br>{cell}</p></main>"
    )
    record = parse_page(html, URL, PROFILE).record
    assert record is not None and record.contact is not None
    return record.contact


@pytest.mark.parametrize(
    "cell",
    [
        # a script writing the link, its <noscript> fallback after it (read once)
        "E-Mail: <script>document.write('<a href=\"mailto:' + 'ruth.brand' + '@' + "
        "'quartier-nord.de' + '\">' + 'ruth.brand' + '@' + 'quartier-nord.de' + '</a>');"
        "</script><noscript>ruth.brand [at] quartier-nord [dot] de</noscript>",
        # a cloak: placeholder span + script
        f'E-Mail: <span id="cloak77">Adresse geschützt</span><script>{CLOAK}</script>'.replace(
            "ruth&#46;brand", "ruth.brand"
        ),
        # a script we cannot read: the fallback
        "E-Mail: <script>decrypt(42)</script><noscript>ruth.brand (at) quartier-nord (dot) de"
        "</noscript>",
    ],
)
def test_a_cloaked_address_reaches_the_contact(cell):
    assert _contact(cell).emails == ["ruth.brand@quartier-nord.de"]


def test_an_address_written_outside_the_contact_block_stays_outside():
    html = (
        "<main><h1>Quartier Nord</h1><p>Laufzeit: 2023 – 2025</p>"
        "<p>Presse: <script>document.write('presse' + '@' + 'beispiel-stiftung.de')</script></p>"
        "<h3>Kontakt</h3><p>Ruth Brand<br>Telefon: 030 1234567</p></main>"
    )
    record = parse_page(html, URL, PROFILE).record
    assert record is not None and record.contact is not None
    assert record.contact.emails == []
    assert any("presse@beispiel-stiftung.de" in s.text for s in record.sections)
