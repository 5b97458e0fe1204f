"""Single parser rules, each on a minimal page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.blocks import unique_funders
from pipeline.extract.lines import read_document
from pipeline.extract.vocabulary import Lexicon, lexicon_for
from pipeline.labels import FIELD_LABELS
from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile, Vocabulary
from schemas import build_record
from tests.spi import SPI

LEX = lexicon_for(SPI)

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
    result = parse_page(html, URL, SPI)
    assert result.record is not None
    assert result.record.funders == [funder]


def test_email_links_in_the_contact_block_are_read_once_and_in_order():
    html = (
        "<main><h1>Projekt</h1><h2>Kontakt</h2><p>Stiftung SPI<br>Am Markt 4<br>16792 Zehdenick"
        '<br>E-Mail: <a href="mailto:b@x.de">E-Mail schreiben</a>, a(at)x.de<br>'
        'Ansprechperson: <a href="mailto:c@x.de">Eva Klein</a></p></main>'
    )
    contact = parse_page(html, URL, SPI).record.contact
    assert contact.emails == ["a@x.de", "b@x.de", "c@x.de"]
    assert contact.persons == ["Eva Klein"]


def test_built_record_can_be_copied_with_updates():
    record = build_record(
        {"project_id": "p", "url": URL, "site": "s", "lang": "de", "title": "T", "status": "active"}
    )
    assert record.model_copy(update={"title": "U"}).title == "U"


@pytest.mark.parametrize(
    ("html", "facts"),
    [
        (
            '<html lang="en"><head><title> Projekt  X </title>'
            '<link rel="canonical" href="/projekte/x/"></head><body><h1>X</h1></body></html>',
            ("en", "Projekt X", "/projekte/x/"),
        ),
        # A title and canonical link where a broken template left them: still found.
        (
            '<html><body><title>Im Body</title><link rel="canonical" href="/p/">'
            "<h1>X</h1></body></html>",
            (None, "Im Body", "/p/"),
        ),
        # The head's own title comes first; a stylesheet link is not the canonical one.
        (
            '<head><link rel="stylesheet" href="/s.css"><title>Kopf</title></head>'
            "<body><svg><title>Grafik</title></svg><h1>X</h1></body>",
            (None, "Kopf", None),
        ),
        ("<p>kein Kopf</p>", (None, None, None)),
    ],
)
def test_head_facts_are_read_wherever_the_page_put_them(html, facts):
    doc = read_document(html, LEX)
    assert (doc.lang, doc.title_tag, doc.canonical) == facts


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        # Chrome by class, id, role and hidden attributes is skipped wherever it sits.
        (
            '<main><h1>X</h1><div class="cookie-banner"><p>Cookies?</p></div><p>Text</p>'
            '<ul class="menu__list"><li class="menu__item">Menü</li></ul>'
            '<div id="site-footer">Fuß</div><p hidden>Versteckt</p>'
            '<p aria-hidden="true">Auch</p><div role="navigation">Navi</div></main>',
            ["X", "Text"],
        ),
        # <main> and <article> hold content even when their class sounds like chrome.
        ('<main class="menu"><h1>X</h1><p>Text</p></main>', ["X", "Text"]),
        # Without <main>: the page header and footer go, a header holding the <h1> stays.
        (
            '<header class="top"><p>Logo</p></header><div><header><h1>X</h1></header>'
            "<p>Text</p><footer>Seitenfuß</footer></div><footer>Impressum</footer>",
            ["X", "Text"],
        ),
        # With <main>: a header inside it is content.
        (
            "<header>Kopf</header><main><header><p>Unterzeile</p></header><h1>X</h1></main>",
            ["Unterzeile", "X"],
        ),
    ],
)
def test_chrome_is_skipped_and_content_kept(body, lines):
    assert [line.text for line in read_document(body, LEX).lines] == lines


def test_link_text_is_what_a_reader_sees():
    html = (
        '<main><h1>X</h1><p>Website: <a href="https://p.de"><svg><title>Extern</title></svg>'
        "p.de<span hidden>(neues Fenster)</span><script>var x;</script></a></p></main>"
    )
    (line,) = [line for line in read_document(html, LEX).lines if line.links]
    assert [(link.href, link.text) for link in line.links] == [("https://p.de", "p.de")]
    assert line.text == "Website: p.de"


@pytest.mark.parametrize(
    ("fetched", "canonical", "page_url"),
    [
        (
            URL,
            "/service/projekte/detail/y",
            "https://www.stiftung-spi.de/service/projekte/detail/y",
        ),
        (URL, "https://stiftung-spi.de/projekte/y/", "https://stiftung-spi.de/projekte/y/"),
        # A copy served elsewhere names the public page of a known site: accepted.
        (
            "http://127.0.0.1:8080/p/y",
            "https://www.stiftung-spi.de/p/y",
            "https://www.stiftung-spi.de/p/y",
        ),
        # A foreign host, a non-HTTP link, a fragment or nothing: the fetched URL stands.
        (URL, "https://elsewhere.example/y", URL),
        (URL, "mailto:info@stiftung-spi.de", URL),
        (URL, "#top", URL),
        (URL, "  ", URL),
    ],
)
def test_page_url_follows_a_trustworthy_canonical_link(fetched, canonical, page_url):
    html = f'<head><link rel="canonical" href="{canonical}"></head><main><h1>X</h1></main>'
    assert parse_page(html, fetched, SPI).url == page_url


@pytest.mark.parametrize(
    ("names", "funders"),
    [
        (["Land Berlin", "LAND  BERLIN", "Bund"], ["Land Berlin", "Bund"]),
        (["Aktion Mensch – Stiftung", "Aktion Mensch - Stiftung"], ["Aktion Mensch – Stiftung"]),
        (["", "Straße der Vielfalt", "Strasse der Vielfalt"], ["Straße der Vielfalt"]),
        ([], []),
    ],
)
def test_funders_are_unique_by_what_a_reader_sees(names, funders):
    assert unique_funders(names) == funders


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


_LABELS = sorted({label for labels in FIELD_LABELS.values() for label in labels})


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.tuples(
            st.sampled_from(_LABELS),
            st.sampled_from(["", ":", ": ", " ", "  :"]),
            st.text(max_size=12),
            st.sampled_from([str, str.upper, str.lower, str.title]),
            st.sampled_from(["", " ", "\u00a0"]),
        ).map(lambda t: t[4] + t[3](t[0]) + t[1] + t[2]),
        st.text(max_size=40),
    )
)
def test_label_prefilter_turns_away_no_label(text):
    """The first-letters check before the label regex never changes what matches."""
    lexicon = Lexicon(Vocabulary(), "DE")
    found = lexicon.match_label(text)
    unfiltered = Lexicon(Vocabulary(), "DE")
    unfiltered._heads = _Everything()  # type: ignore[assignment]
    assert unfiltered.match_label(text) == found


@pytest.mark.parametrize(
    ("text", "field", "label", "value"),
    [
        # letters case-insensitive matching pairs with an ASCII one: the label as listed
        ("Laufzeıt: 2020", "period", "laufzeit", "2020"),  # a dotless i (a Turkish keyboard)
        ("Ansprechpartnerın: Ayşe Demir", "persons", "ansprechpartnerin", "Ayşe Demir"),
        ("Projektſtatus: laufend", "status", "projektstatus", "laufend"),  # a long s
        ("\u212aontakt", "persons", "kontakt", ""),  # the Kelvin sign
    ],
)
def test_a_label_written_with_a_letter_that_folds_to_ascii_is_the_listed_one(
    text, field, label, value
):
    hit = LEX.match_label(text)
    assert hit is not None
    assert (hit.field, hit.label, hit.value) == (field, label, value)


def test_a_profile_gets_its_own_wording_compiled_and_profiles_with_the_same_share_it():
    def profile(n: int, words: list[str]) -> SiteProfile:
        return SiteProfile(
            id=f"p{n}",
            name="P",
            origin=f"https://p{n}.example",
            project_paths=["^/p/"],
            vocabulary=Vocabulary(period=words),
        )

    plain = [profile(n, []) for n in range(300)]  # (more than the profiles remembered)
    assert all(lexicon_for(p) is lexicon_for(plain[0]) for p in plain)
    assert all(lexicon_for(p) is lexicon_for(p) for p in plain[:3])
    own = profile(1, ["Umsetzungszeit"])
    assert lexicon_for(own) is not lexicon_for(plain[1])
    hit = lexicon_for(own).match_label("Umsetzungszeit: 2020 bis 2022")
    assert hit is not None and hit.field == "period"
    assert lexicon_for(plain[1]).match_label("Umsetzungszeit: 2020 bis 2022") is None
