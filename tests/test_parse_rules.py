"""Single parser rules, each on a minimal page."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_page
from schemas import build_record

URL = "https://www.stiftung-spi.de/service/projekte/detail/x"


@pytest.mark.parametrize(
    ("logo", "funder"),
    [
        ('<img src="l.png" alt="Link zum Land Brandenburg">', "Land Brandenburg"),
        ('<img src="l.png" alt="Link zur Stadt Cottbus">', "Stadt Cottbus"),
        ('<img src="l.png" alt="Link to the State of Berlin">', "State of Berlin"),
        (
            '<a href="/x" title="Link to the State of Berlin"><img src="l.png" alt=""></a>',
            "State of Berlin",
        ),
    ],
)
def test_unlabelled_logo_links_are_funders(logo, funder):
    html = f"<main><h1>Projekt</h1><p>Text.</p><p>Status: laufend</p><p>{logo}</p></main>"
    result = parse_page(html, URL)
    assert result.record is not None
    assert result.record.funders == [funder]


def test_email_links_in_the_contact_block_are_read_once_and_in_order():
    html = (
        "<main><h1>Projekt</h1><h2>Kontakt</h2><p>Stiftung SPI<br>Am Markt 4<br>16792 Zehdenick"
        '<br>E-Mail: <a href="mailto:b@x.de">E-Mail schreiben</a>, a(at)x.de<br>'
        'Ansprechperson: <a href="mailto:c@x.de">Eva Klein</a></p></main>'
    )
    contact = parse_page(html, URL).record.contact
    assert contact.emails == ["a@x.de", "b@x.de", "c@x.de"]
    assert contact.persons == ["Eva Klein"]


def test_built_record_can_be_copied_with_updates():
    record = build_record(
        {"project_id": "p", "url": URL, "site": "s", "lang": "de", "title": "T", "status": "active"}
    )
    assert record.model_copy(update={"title": "U"}).title == "U"
