"""Grant-makers' project pages read by structure and shared words (issue #14, third round):
the grantee's card beside the content, subheadlines, closed notices, periods and amounts in
more wordings, facts stated only in prose, funder lists joined by a conjunction, fact rows
under unknown labels, a breadcrumb's category and related cards. Each on a minimal page of
its own wording (a generic profile: no site words)."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "notice",
    [
        "<p><strong>Bitte beachten Sie:</strong> Dieses Vorhaben ist beendet.</p>",
        "<p>Wichtig: Das Projekt wurde abgeschlossen, die Seite wird nicht mehr gepflegt.</p>",
        "<p><b>Note:</b> The grant has ended; this page is kept as an archive.</p>",
    ],
)
def test_closed_notices_after_a_lead_word(notice):
    record = parse(page(notice + FACTS))
    assert record.closed_notice is True
    assert record.status == "completed"


def test_a_notice_about_something_else_is_no_closed_notice():
    record = parse(page("<p>Hinweis: Die Anmeldung ist abgeschlossen.</p>" + FACTS))
    assert record.closed_notice is False


@pytest.mark.parametrize(
    ("row", "start", "precision"),
    [
        ("<dt>Projektbeginn</dt><dd>ab 15.03.2026</dd>", "2026-03-15", "day"),
        ("<dt>Start</dt><dd>03/2026</dd>", "2026-03-01", "month"),
        ("<dt>Start date</dt><dd>Q2 2026</dd>", "2026-04-01", "month"),
    ],
)
def test_a_start_label_opens_a_period_with_no_end(row, start, precision):
    period = parse(page(f"<dl>{row}<dt>Status</dt><dd>geplant</dd></dl>")).period
    assert period is not None
    assert (str(period.start), period.end, period.start_precision) == (start, None, precision)


def test_a_start_label_without_a_date_is_no_period():
    record = parse(
        page(
            "<dl><dt>Start</dt><dd>Anmeldung im Büro</dd><dt>Laufzeit</dt><dd>2024 – 2026</dd></dl>"
        )
    )
    assert record.period is not None and str(record.period.start) == "2024-01-01"


def test_an_amount_up_to_keeps_its_words_as_written():
    record = parse(page("<dl><dt>Bewilligte Mittel</dt><dd>bis zu 80.000 €</dd></dl>" + FACTS))
    assert record.grant_amount is not None
    assert (record.grant_amount.value, record.grant_amount.raw) == (80000, "bis zu 80.000 €")


def test_related_cards_with_their_date_before_the_link_and_teaser_text_between_links():
    cards = (
        "<section><h3>Similar grants</h3>"
        "<div><p>12/03/2025</p><h4><a href='vorhaben/lesezelt/'>Lesezelt</a></h4>"
        "<p>Ein Zelt voller Bücher tourt durch die Dörfer der Region.</p>"
        "<p><a href='vorhaben/lesezelt/'>Zum Vorhaben Lesezelt</a></p></div>"
        "<div><p>3 June 2024</p><h4><a href='vorhaben/dorfkino/'>Dorfkino</a></h4>"
        "<p>Filme im Gemeindesaal, ausgewählt von den Jugendlichen selbst.</p>"
        "<p><a href='vorhaben/dorfkino/'>Zum Vorhaben Dorfkino</a></p></div></section>"
        "<section><h3>Aktuelles</h3><p><a href='news/1'>Neue Ausschreibung</a></p></section>"
    )
    html = page(FACTS + cards).replace(
        "<html>", "<html><head><base href='https://www.beispiel-stiftung.de/'></head>"
    )
    assert parse(html).related == [
        "https://www.beispiel-stiftung.de/vorhaben/lesezelt",
        "https://www.beispiel-stiftung.de/vorhaben/dorfkino",
    ]


def lexicon():
    from pipeline.extract.vocabulary import lexicon_for

    return lexicon_for(PROFILE)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Wer profitiert", "target_groups"),
        ("Who benefits", "target_groups"),
        ("Who took part", "target_groups"),
        ("Was passiert", "services"),
        ("Was geplant ist", "services"),
        ("What happens", "services"),
        ("Planned activities", "services"),
        ("Kooperation", "partners"),
        ("Umsetzung", "grantee"),
        ("Delivered by", "grantee"),
        ("Durchgeführt von:", "grantee"),
    ],
)
def test_accordion_and_grantee_label_variants(line, field):
    hit = lexicon().match_label(line)
    assert hit is not None and (hit.field, hit.value) == (field, "")


def _delivered_by(label: str, person: str) -> str:
    return (
        f"<section><div class='head'>{label}</div><div><p><strong>Kinderkunst Ruppin gGmbH"
        "</strong><br>Karl-Marx-Straße 4<br>16816 Neuruppin<br>"
        "<a href='https://kinderkunst-ruppin.de'>kinderkunst-ruppin.de</a></p>"
        f"<p>Contact person: {person}<br>Phone: 03391 40 50 60</p></div></section>"
        "<section><div class='head'>Who benefits</div><div><ul><li>Children aged 6 to 10</li>"
        "</ul></div></section>"
    )


@pytest.mark.parametrize("label", ["Delivered by", "Umsetzung", "Projektpartner"])
def test_the_heading_over_the_grantees_card_is_never_the_organization(label):
    record = parse(page(FACTS + _delivered_by(label, "Mia Krüger (Vorsitz)")))
    contact = record.contact
    assert contact is not None
    assert (contact.organization, contact.unit, contact.street, contact.city) == (
        "Kinderkunst Ruppin gGmbH",
        None,
        "Karl-Marx-Straße 4",
        "Neuruppin",
    )
    assert contact.website == "kinderkunst-ruppin.de"
    assert contact.persons == ["Mia Krüger"]
    assert record.partners == []
    assert record.target_groups == ["Children aged 6 to 10"]


def test_a_partners_list_with_no_address_stays_partners():
    record = parse(
        page(
            FACTS + "<p>Projektpartner</p><ul><li>Stadtbibliothek Wittstock</li>"
            "<li>Grundschule Kyritz</li></ul>"
        )
    )
    assert record.partners == ["Stadtbibliothek Wittstock", "Grundschule Kyritz"]
    assert record.contact is None


@pytest.mark.parametrize(
    ("cell", "funders"),
    [
        (
            "Lindner-Stiftung und Landkreis Ostprignitz-Ruppin",
            ["Lindner-Stiftung", "Landkreis Ostprignitz-Ruppin"],
        ),
        ("Harbour Trust and the City of Leeds", ["Harbour Trust", "City of Leeds"]),
        ("Stiftung Mitmachen & Kreis Plön", ["Stiftung Mitmachen", "Kreis Plön"]),
        ("Bund und Länder", ["Bund und Länder"]),
        ("Ministerium für Bildung und Kultur", ["Ministerium für Bildung und Kultur"]),
        ("Verein für Jugend und Sport e.V.", ["Verein für Jugend und Sport e.V."]),
        ("Freunde und Förderer e.V.", ["Freunde und Förderer e.V."]),
    ],
)
def test_funders_joined_by_a_conjunction_are_split_by_shape(cell, funders):
    record = parse(
        page(f"<dl><dt>Laufzeit</dt><dd>2024 – 2026</dd><dt>Gefördert von</dt><dd>{cell}</dd></dl>")
    )
    assert record.funders == funders


def test_a_part_of_one_organization_after_a_comma_stays_one_partner():
    record = parse(
        page(
            FACTS + "<dl><dt>Partner</dt><dd>Universität Rostock, Institut für "
            "Biowissenschaften; Meeresmuseum Stralsund</dd></dl>"
        )
    )
    assert record.partners == [
        "Universität Rostock, Institut für Biowissenschaften",
        "Meeresmuseum Stralsund",
    ]


def test_a_fact_row_under_an_unknown_label_ends_the_row_before_and_page_tools_are_no_items():
    table = (
        "<table><tr><th>Laufzeit</th><td>2023 – 2025</td></tr>"
        "<tr><th>Kooperationspartner</th><td>Kreismusikschule</td></tr>"
        "<tr><th>Besonderheiten</th><td>Barrierefreie Räume</td></tr>"
        "<tr><th>Zielgruppe</th><td>Jugendliche</td></tr></table>"
        "<p><a href='javascript:history.back()'>Zurück</a> | <a href='?print=1'>Drucken</a></p>"
    )
    record = parse(page(table))
    assert record.partners == ["Kreismusikschule"]
    assert record.target_groups == ["Jugendliche"]


def test_a_subheadline_over_the_first_fact_is_the_short_title():
    record = parse(
        page("<h2>Mobile Kulturangebote für Dörfer</h2><p>Schlagworte: Kultur</p>" + FACTS)
    )
    assert record.short_title == "Mobile Kulturangebote für Dörfer"


def test_a_section_heading_right_under_the_h1_is_no_short_title():
    record = parse(
        page(
            "<h2>Worum geht es?</h2><p>Ein Bus bringt Theater und Konzerte in "
            "Dörfer ohne eigene Bühne.</p>" + FACTS
        )
    )
    assert record.short_title is None


def _trail(links: str, attrs: str = "aria-label='Brotkrümel'") -> str:
    return f"<nav {attrs}><ol>{links}<li>Kulturbus Uckermark</li></ol></nav>"


CRUMBS = (
    "<li><a href='/'>Start</a></li><li><a href='/vorhaben/'>Vorhaben</a></li>"
    "<li><a href='/vorhaben/kultur/'>Kultur</a></li>"
)
IN_TOPIC = "https://www.beispiel-stiftung.de/vorhaben/kultur/kulturbus/"


@pytest.mark.parametrize(
    "attrs", ["aria-label='Brotkrümel'", "class='trail breadcrumbs'", "id='pfadnavigation'"]
)
def test_the_breadcrumbs_one_category_is_the_topic_when_no_label_names_one(attrs):
    record = parse(page(_trail(CRUMBS, attrs) + FACTS), IN_TOPIC)
    assert record.focus_areas == ["Kultur"]


def test_a_trail_opened_by_you_are_here_names_the_topic():
    trail = f"<nav><p>Sie sind hier:</p><ol>{CRUMBS}</ol></nav>"
    assert parse(page(trail + FACTS), IN_TOPIC).focus_areas == ["Kultur"]


def test_a_topic_label_wins_over_the_breadcrumb():
    record = parse(page(_trail(CRUMBS) + "<p>Themen: Teilhabe</p>" + FACTS), IN_TOPIC)
    assert record.focus_areas == ["Teilhabe"]


@pytest.mark.parametrize(
    ("links", "url"),
    [
        # an archive year's listing, not a folder over the page
        (
            "<li><a href='/'>Start</a></li><li><a href='/vorhaben.html'>Vorhaben</a></li>"
            "<li><a href='/vorhaben/2023.html'>2023</a></li>",
            "https://www.beispiel-stiftung.de/vorhaben/2023/kulturbus.html",
        ),
        # the category's folder does not hold the page
        (CRUMBS, "https://www.beispiel-stiftung.de/vorhaben/kulturbus/"),
        # a deeper trail: which of its levels is the topic is unknown
        (
            CRUMBS + "<li><a href='/vorhaben/kultur/musik/'>Musik</a></li>",
            "https://www.beispiel-stiftung.de/vorhaben/kultur/musik/kulturbus/",
        ),
    ],
)
def test_a_trail_that_names_no_category_gives_no_topic(links, url):
    assert parse(page(_trail(links) + FACTS), url).focus_areas == []


PROSE_ONLY = "<dl><dt>Status</dt><dd>laufend</dd></dl>"


@pytest.mark.parametrize(
    ("sentence", "start", "end", "funders", "raw"),
    [
        (
            "Das Vorhaben läuft von Februar 2024 bis Mitte 2026 nicht.",  # no end date: none
            None,
            None,
            [],
            None,
        ),
        (
            "Das Projekt dauert vom 01.03.2024 bis zum 28.02.2026 und wird von der "
            "Lindner-Stiftung und dem Landkreis Uckermark finanziert.",
            "2024-03-01",
            "2026-02-28",
            ["Lindner-Stiftung", "Landkreis Uckermark"],
            None,
        ),
        (
            "Die Heinrich-Vogt-Stiftung fördert dieses Vorhaben von 2025 bis 2027 mit insgesamt "
            "65.000 €.",
            "2025-01-01",
            "2027-12-31",
            ["Heinrich-Vogt-Stiftung"],
            "insgesamt 65.000 €",
        ),
        (
            "This project ran from March 2021 until 2023 and was supported by the Coastal "
            "Communities Trust with up to £30,000.",
            "2021-03-01",
            "2023-12-31",
            ["Coastal Communities Trust"],
            "up to £30,000",
        ),
    ],
)
def test_facts_stated_only_in_a_sentence_about_the_project(sentence, start, end, funders, raw):
    record = parse(page(PROSE_ONLY + f"<h2>Hintergrund</h2><p>{sentence}</p>"))
    period = record.period
    assert (str(period.start) if period else None, str(period.end) if period else None) == (
        start,
        end,
    )
    assert record.funders == funders
    assert (record.grant_amount.raw if record.grant_amount else None) == raw


@pytest.mark.parametrize(
    "decoy",
    [
        # a call for proposals: projects in general, applying
        "Die Stiftung fördert Projekte von 2025 bis 2027 mit bis zu 20.000 Euro.",
        "Bewerbungen für das Programm sind von Januar 2027 bis März 2027 möglich, gefördert "
        "werden Vorhaben mit bis zu 80.000 Euro.",
        "Charities can apply until 31 January 2027; the programme is funded by the Lottery "
        "Fund with up to £80,000.",
        # news about the foundation, not the project
        "Seit 2010 wird die Stiftung von der Sparkasse Uckermark unterstützt.",
    ],
)
def test_sentences_about_calls_or_news_are_no_facts(decoy):
    record = parse(page(PROSE_ONLY + f"<h2>Aktuelles</h2><p>{decoy}</p>"))
    assert (record.period, record.funders, record.grant_amount) == (None, [], None)


def test_a_labelled_fact_wins_over_prose_and_prose_never_makes_a_project_page():
    record = parse(
        page(
            "<dl><dt>Laufzeit</dt><dd>2022 – 2023</dd><dt>Förderer</dt><dd>Kreis Plön</dd></dl>"
            "<p>Das Projekt läuft von 2024 bis 2026 und wird von der Nord-Stiftung gefördert.</p>"
        )
    )
    assert (str(record.period.start), record.funders) == ("2022-01-01", ["Kreis Plön"])
    news = page(
        "<p>Das Projekt läuft von 2024 bis 2026 und wird von der Nord-Stiftung gefördert.</p>",
        title="Neues aus der Stiftung",
    )
    assert parse_page(news, URL, PROFILE).kind == "not_project"


def test_reading_prose_stays_linear_on_long_pages():
    import time

    para = "<p>Das Projekt wurde im Stadtteil vorgestellt, viele kamen und sprachen mit.</p>"

    def cost(n: int) -> float:
        html = page(PROSE_ONLY + para * n)
        began = time.process_time()
        parse_page(html, URL, PROFILE)
        return time.process_time() - began

    cost(200)  # warm the caches
    small, large = min(cost(1000) for _ in range(3)), min(cost(8000) for _ in range(3))
    assert large < 8 * 4 * small  # 8 x the text: linear is ~8 x the time, quadratic ~64 x


def test_a_section_headed_like_a_grantee_label_without_a_card_is_no_contact():
    record = parse(
        page(
            FACTS + "<h3>Umsetzung</h3><p>Die Kurse finden wöchentlich in drei Grundschulen "
            "statt, begleitet von Studierenden.</p><p>Ein Elternabend eröffnet jedes Halbjahr.</p>"
        )
    )
    assert record.contact is None


# -- round 5: the grantee's card as a teaser (eyebrow, title heading), its person's role ----


def _card(eyebrow: str, person: str, tail: str = "") -> str:
    return (
        f"<div class='card'><span class='kicker'>{eyebrow}</span>"
        "<h5>Kinderhaus Sonnenberg gGmbH</h5><p>Lindenweg 3</p><p>04109 Leipzig</p>"
        f"<p>{person}</p><p>Tel. 0341 55 66 77</p>"
        "<p><a href='mailto:ott@kinderhaus-sonnenberg.de'>ott@kinderhaus-sonnenberg.de</a></p>"
        f"</div>{tail}"
    )


@pytest.mark.parametrize("eyebrow", ["Trägerin", "Durchgeführt von", "Grant holder"])
def test_a_cards_title_heading_under_the_grantees_eyebrow_is_the_organization(eyebrow):
    contact = parse(page(FACTS + _card(eyebrow, "Jana Ott"))).contact
    assert contact is not None
    assert (contact.organization, contact.street, contact.postal_code, contact.city) == (
        "Kinderhaus Sonnenberg gGmbH",
        "Lindenweg 3",
        "04109",
        "Leipzig",
    )
    assert (contact.persons, contact.phones) == (["Jana Ott"], ["+49341556677"])
    assert contact.emails == ["ott@kinderhaus-sonnenberg.de"]


@pytest.mark.parametrize(
    "person",
    [
        "Jana Ott, Geschäftsführerin",
        "Geschäftsführung: Jana Ott",
        "Jana Ott (Kassenwart)",
        "Jana Ott · Projektkoordinatorin",
    ],
)
def test_the_person_after_the_grantees_address_is_read_without_the_role(person):
    contact = parse(page(FACTS + _card("Trägerin", person))).contact
    assert contact is not None
    assert (contact.organization, contact.unit, contact.persons) == (
        "Kinderhaus Sonnenberg gGmbH",
        None,
        ["Jana Ott"],
    )


@pytest.mark.parametrize(
    "own",
    [
        "Ihr Kontakt bei uns",
        "Ihre Ansprechpartnerin im Stiftungsbüro",
        "Your contact at our office",
    ],
)
def test_the_funders_own_contact_after_the_grantee_is_never_the_contact(own):
    staff = (
        f"<div class='card'><p>{own}</p><p>Paul Rieger, Referent</p>"
        "<p>030 400 500 60</p><p><a href='mailto:rieger@beispiel-stiftung.de'>"
        "rieger@beispiel-stiftung.de</a></p></div>"
    )
    contact = parse(page(FACTS + _card("Trägerin", "Jana Ott", staff))).contact
    assert contact is not None
    assert (contact.unit, contact.persons) == (None, ["Jana Ott"])
    assert (contact.phones, contact.emails) == (["+49341556677"], ["ott@kinderhaus-sonnenberg.de"])


def test_a_sentence_naming_the_project_by_its_title_states_its_facts():
    record = parse(
        page(
            "<p>Kinder rechnen hier mit Spielen statt mit Arbeitsblättern.</p>"
            "<p>Die Hansen-Stiftung unterstützt Lernwerkstatt Nord von März 2024 bis Februar "
            "2026 mit 30.000 €.</p><p>Status: laufend</p>",
            title="Lernwerkstatt Nord – Mathe für alle",
        )
    )
    assert (str(record.period.start), str(record.period.end)) == ("2024-03-01", "2026-02-28")
    assert record.funders == ["Hansen-Stiftung"]
    assert record.grant_amount is not None and record.grant_amount.value == 30000


def test_a_grantee_whose_name_ends_like_a_role_word_is_still_the_organization():
    record = parse(
        page(
            FACTS + "<h2>Trägerin</h2><p>Lotsenbegleiter Kassel e.V.<br>Wilhelmstraße 8<br>"
            "34117 Kassel</p><p>Kontakt: Eva Rudolph (Koordinatorin)<br>Tel. 0561 12 34 56</p>"
        )
    )
    contact = record.contact
    assert contact is not None
    assert (contact.organization, contact.street, contact.persons) == (
        "Lotsenbegleiter Kassel e.V.",
        "Wilhelmstraße 8",
        ["Eva Rudolph"],
    )


def test_an_implementing_partners_card_and_a_foresters_role():
    contact = parse(
        page(FACTS + _card("Implementing partner", "Jana Ott, Revierförsterin"))
    ).contact
    assert contact is not None
    assert (contact.organization, contact.unit, contact.persons) == (
        "Kinderhaus Sonnenberg gGmbH",
        None,
        ["Jana Ott"],
    )


def test_a_sentence_naming_the_project_by_a_word_of_its_title_after_an_article():
    record = parse(
        page(
            "<p>Sechzig Stimmen aus vier Dörfern proben jeden Donnerstag.</p>"
            "<p>Die Elbe-Stiftung unterstützt den Chor von 2023 bis 2025 mit bis zu 6.000 € für "
            "Noten und Fahrten.</p><p>Status: laufend</p>",
            title="Chor Regenbogen",
        )
    )
    assert (str(record.period.start), str(record.period.end)) == ("2023-01-01", "2025-12-31")
    assert record.funders == ["Elbe-Stiftung"]
    assert record.grant_amount is not None and record.grant_amount.raw == "bis zu 6.000 €"


def test_a_grantees_term_in_a_portlet_list_ends_at_the_next_term():
    portlets = (
        "<aside><dl class='box'><dt>Projektträger</dt><dd>Kulturverein Prenzlau e.V.</dd>"
        "<dd>Lindenallee 4</dd><dd>17291 Prenzlau</dd><dd>Tel. 03984 71 22 05</dd></dl>"
        "<dl class='box'><dt>Aus dem Stiftungsbüro</dt><dd>Jana Ott</dd>"
        "<dd>+49 30 55 66 77-8</dd></dl>"
        "<dl class='box'><dt>Neuigkeiten</dt><dd><a href='/presse/jahresbericht/'>Jahresbericht"
        " erschienen</a></dd></dl></aside>"
    )
    record = parse(page(FACTS, portlets))
    assert record.contact is not None
    contact = record.contact
    assert (contact.organization, contact.unit, contact.phones, contact.persons) == (
        "Kulturverein Prenzlau e.V.",
        None,
        ["+493984712205"],
        [],
    )


@pytest.mark.parametrize(
    "value",
    [
        "Kulturstiftung Nord, Kreis Uckermark und Gemeinde Gramzow",
        "Kulturstiftung Nord, Kreis Uckermark &amp; Gemeinde Gramzow",
    ],
)
def test_funders_listed_with_commas_and_a_last_conjunction_are_each_a_funder(value):
    record = parse(page(f"{FACTS}<table><tr><th>Förderer</th><td>{value}</td></tr></table>"))
    assert record.funders == ["Kulturstiftung Nord", "Kreis Uckermark", "Gemeinde Gramzow"]


NEWS_FACTS = (
    "<dl><dt>Laufzeit</dt><dd>03/2025 – 02/2026</dd><dt>Zuschuss</dt><dd>bis zu 4.000 €</dd></dl>"
    "<h2>Ansprechpartner</h2><p>Beispiel-Stiftung</p><p>Marktplatz 1</p><p>10115 Berlin</p>"
)


@pytest.mark.parametrize(
    "before",
    [
        "<nav class='c-breadcrumbs'><ol><li><a href='/'>Home</a></li>"
        "<li><a href='/meldungen/'>Meldungen</a></li><li>Neue Runde</li></ol></nav>",
        "<p class='eyebrow'>Neuigkeiten | 4. März 2025</p>",
    ],
)
def test_a_news_item_on_the_project_template_is_no_project_page(before):
    kicker, trail = (before, "") if before.startswith("<p") else ("", before)
    html = (
        f"<html><body><main>{trail}<header>{kicker}<h1>Neue Förderrunde</h1></header>"
        f"<p>Vereine können jetzt Anträge stellen.</p>{NEWS_FACTS}</main></body></html>"
    )
    result = parse_page(html, "https://www.beispiel-stiftung.de/vorhaben/neue-runde/", PROFILE)
    assert result.kind == "not_project", result.warnings


def test_a_project_page_under_a_news_kicker_with_facts_of_its_own_stays_a_project():
    html = (
        "<html><body><main><p>Neuigkeiten</p><h1>Kulturbus Uckermark</h1>"
        f"<p>Status: laufend</p>{NEWS_FACTS}</main></body></html>"
    )
    assert parse(html).status == "active"


def test_a_funding_desk_under_a_staff_members_name_is_no_funders_label():
    html = page(
        f"{FACTS}<h2>Team</h2><h3>Ole Wendt</h3><ul><li>Förderung</li><li>Tel. 030 12 34 56</li>"
        "</ul>"
    )
    assert parse(html).funders == []


def test_a_contact_line_joining_the_address_with_commas_is_read_as_its_parts():
    record = parse(
        page(
            f"{FACTS}<h3>So erreichen Sie uns</h3>"
            "<p>Kulturverein Prenzlau e.V., Lindenallee 4, 17291 Prenzlau</p>"
            "<p>Tel. 03984 71 22 05</p>"
        )
    )
    contact = record.contact
    assert contact is not None
    assert (contact.organization, contact.street, contact.postal_code, contact.city) == (
        "Kulturverein Prenzlau e.V.",
        "Lindenallee 4",
        "17291",
        "Prenzlau",
    )


@pytest.mark.parametrize(
    "person",
    ["<p>Jana Ott, Vereinsvorsitzende</p>", "<p>Jana Ott</p><p>Projektkoordinatorin</p>"],
)
def test_a_card_that_opens_with_its_person_names_the_organization_after_her(person):
    record = parse(
        page(
            f"{FACTS}<h2>Ihre Ansprechpartnerin</h2>{person}<p>Kulturverein Prenzlau e.V.</p>"
            "<p>Lindenallee 4</p><p>17291 Prenzlau</p><p>kulturverein@prenzlau.example</p>"
        )
    )
    contact = record.contact
    assert contact is not None
    assert (contact.organization, contact.persons, contact.city) == (
        "Kulturverein Prenzlau e.V.",
        ["Jana Ott"],
        "Prenzlau",
    )


def test_a_contact_heading_in_the_feminine_form_opens_the_contact_block():
    record = parse(
        page(
            f"{FACTS}<h2>Ansprechpartnerin im Verein</h2><p>Kulturverein Prenzlau e.V.</p>"
            "<p>Lindenallee 4</p><p>17291 Prenzlau</p>"
        )
    )
    assert record.contact is not None and record.contact.city == "Prenzlau"


def test_a_last_funder_with_its_own_enumeration_after_a_preposition_stays_apart():
    value = "Kulturstiftung Nord, Fonds für Kunst und Kultur"
    record = parse(page(f"{FACTS}<dl><dt>Fördernde</dt><dd>{value}</dd></dl>"))
    assert record.funders == ["Kulturstiftung Nord", "Fonds für Kunst und Kultur"]


def test_two_persons_joined_by_and_on_a_cards_line_are_two_persons():
    record = parse(
        page(
            f"{FACTS}<h3>Contact</h3><p>Kulturverein Prenzlau e.V.</p><p>Lindenallee 4</p>"
            "<p>17291 Prenzlau</p><p>Jana Ott &amp; Mirko Lenz</p><p>Tel. 03984 71 22 05</p>"
        )
    )
    assert record.contact is not None and record.contact.persons == ["Jana Ott", "Mirko Lenz"]


def test_funding_from_under_a_small_heading_names_the_funder():
    record = parse(page(f"{FACTS}<h3>Funding from</h3><p>Northern Arts Trust</p>"))
    assert record.funders == ["Northern Arts Trust"]


def test_a_box_under_its_own_small_heading_after_the_contacts_mail_is_no_part_of_it():
    record = parse(
        page(
            f"{FACTS}<h3>Projektträger</h3><p>Kulturverein Prenzlau e.V.</p><p>Lindenallee 4</p>"
            "<p>17291 Prenzlau</p><p>E-Mail: info@kv-prenzlau.example</p>"
            "<h5>Mitglied werden</h5><p>Ab 5 € im Monat sind Sie dabei.</p>"
        )
    )
    contact = record.contact
    assert contact is not None and (contact.organization, contact.unit) == (
        "Kulturverein Prenzlau e.V.",
        None,
    )


def test_a_youth_worker_after_a_comma_is_the_persons_role():
    record = parse(
        page(
            f"{FACTS}<h3>Kontakt</h3><p>Kulturverein Prenzlau e.V.</p><p>Lindenallee 4</p>"
            "<p>17291 Prenzlau</p><p>Mirko Lenz, Youth worker</p>"
        )
    )
    assert record.contact is not None and record.contact.persons == ["Mirko Lenz"]
