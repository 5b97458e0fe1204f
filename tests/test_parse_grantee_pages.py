"""Grant-makers' project pages read by structure and shared words (issue #14, third round):
the grantee's card beside the content, subheadlines, closed notices, periods and amounts in
more wordings, facts stated only in prose, funder lists joined by a conjunction, fact rows
under unknown labels, a breadcrumb's category and related cards. Each on a minimal page of
its own wording (a generic profile: no site words)."""

from __future__ import annotations

from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile

PROFILE = SiteProfile(
    id="beispiel",
    name="Beispiel-Stiftung",
    origin="https://www.beispiel-stiftung.de",
    project_paths=["^/vorhaben/"],
)
URL = "https://www.beispiel-stiftung.de/vorhaben/kulturbus/"


def page(main: str, after: str = "", title: str = "Kulturbus Uckermark") -> str:
    return (
        f"<html><body><div class='wrap'><main><h1>{title}</h1>{main}</main>{after}</div>"
        "<footer><p>Beispiel-Stiftung<br>Marktplatz 1<br>10115 Berlin</p></footer></body></html>"
    )


def parse(html: str, url: str = URL):
    result = parse_page(html, url, PROFILE)
    assert result.record is not None, (result.kind, result.warnings, result.problems)
    return result.record


FACTS = "<dl><dt>Laufzeit</dt><dd>2024 – 2026</dd></dl>"


def test_the_grantees_card_in_a_column_beside_main_is_the_contact():
    aside = (
        "<aside class='col-right'><div class='box'><h4>Projektträgerin</h4>"
        "<p>Landkulturwerk Prenzlau e.V.<br>Friedhofstraße 12<br>17291 Prenzlau</p>"
        "<p>Ansprechpartnerin:<br>Johanna Wrede<br>Projektkoordination</p>"
        "<p>Tel. 03984 71 20 33<br>E-Mail: wrede@landkulturwerk.de</p></div>"
        "<div class='box'><h4>Aktuelles</h4><p><a href='/news/1'>Neue Ausschreibung</a></p></div>"
        "</aside>"
    )
    contact = parse(page(FACTS, aside)).contact
    assert contact is not None
    assert (contact.organization, contact.street, contact.postal_code, contact.city) == (
        "Landkulturwerk Prenzlau e.V.",
        "Friedhofstraße 12",
        "17291",
        "Prenzlau",
    )
    assert contact.persons == ["Johanna Wrede"]
    assert contact.phones == ["+493984712033"]
    assert contact.emails == ["wrede@landkulturwerk.de"]


def test_an_aside_beside_main_without_a_grantee_label_is_never_read():
    aside = (
        "<aside><h4>Kontakt</h4><p>Beispiel-Stiftung<br>Marktplatz 1<br>10115 Berlin</p>"
        "<p>Telefon: 030 123 45 67</p></aside>"
    )
    assert parse(page(FACTS, aside)).contact is None


def test_baltic_letters_in_a_persons_name():
    from pipeline.extract.vocabulary import lexicon_for

    lex = lexicon_for(PROFILE)
    assert lex.is_person("Jānis Bērziņš")
    assert lex.is_person("Rūta Šimkūnė")
