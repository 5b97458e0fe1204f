"""Layouts of a grant-maker's page the first unseen sites did not have: a facts sidebar, fact
cards, an unlabelled rich-text contact, hidden badges, several related cards, a person card,
the grantee under a heading of its own. Each on a minimal page in wording of its own (a generic
profile: no site words)."""

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
URL = "https://www.beispiel-stiftung.de/vorhaben/x/"


def parse(body: str, head: str = ""):
    html = f"<html><head>{head}</head><body><h1>Gartenwerk Süd</h1>{body}</body></html>"
    result = parse_page(html, URL, PROFILE)
    assert result.record is not None, (result.kind, result.warnings, result.problems)
    return result.record


def _card(label: str, value: str) -> str:
    return (
        '<div class="box"><img src="i.svg" alt=""><div class="box-text">'
        f'<div class="box-label">{label}</div><div class="box-value">{value}</div></div></div>'
    )


def test_a_facts_sidebar_is_read_a_sidebar_of_links_is_not():
    record = parse(
        '<div class="text"><p>Ein Garten für das Viertel, von Nachbarn gepflegt.</p></div>'
        f'<div id="sidebar-rechts">{_card("Laufzeit", "April 2021 – März 2023")}'
        f"{_card('Förderer', 'Stadt Kassel, Beispiel-Stiftung')}</div>"
        '<div class="sidebar"><p>Spenden Sie jetzt</p><p>Seit 2024 im Programm</p></div>'
    )
    assert record.period is not None
    assert (str(record.period.start), str(record.period.end)) == ("2021-04-01", "2023-03-31")
    assert record.funders == ["Stadt Kassel", "Beispiel-Stiftung"]
    assert all("Spenden" not in s.text for s in record.sections)


def test_an_unlabelled_contact_block_is_read_by_form():
    """Organization, address, then a person, a role, a phone, an e-mail and a website, none of
    them labelled: the person and the numbers are not more address lines."""
    record = parse(
        "<p>Laufzeit: 2022 – 2024</p><h2>Kontakt</h2>"
        "<p>Gartenfreunde Süd e.V.<br>Lindenstraße 4<br>34117 Kassel</p>"
        "<p>Martin Vogel<br>Koordination<br>0561 123 45 67<br>"
        '<a href="mailto:vogel@gartenfreunde-sued.de">vogel@gartenfreunde-sued.de</a></p>'
        "<p>www.gartenfreunde-sued.de</p>"
    )
    c = record.contact
    assert c is not None
    assert (c.organization, c.street, c.postal_code, c.city) == (
        "Gartenfreunde Süd e.V.",
        "Lindenstraße 4",
        "34117",
        "Kassel",
    )
    assert c.persons == ["Martin Vogel"]
    assert c.phones == ["+495611234567"]
    assert c.emails == ["vogel@gartenfreunde-sued.de"]
    assert c.website == "www.gartenfreunde-sued.de"


def test_an_eyebrow_above_the_h1_is_no_short_title_the_line_below_it_is():
    html = (
        "<html><body><main><p>Programm Stadtnatur</p><h1>Gartenwerk Süd</h1>"
        "<p>Brachflächen werden Beete</p><p>Dauer: 2022 – 2024</p>"
        "<p>Ein Garten für das Viertel, von Nachbarn gepflegt.</p></main></body></html>"
    )
    record = parse_page(html, URL, PROFILE).record
    assert record is not None and record.short_title == "Brachflächen werden Beete"
    eyebrow_only = html.replace("<p>Brachflächen werden Beete</p>", "")
    record = parse_page(eyebrow_only.replace("Stadtnatur", "Gartenwerk"), URL, PROFILE).record
    assert record is not None and record.short_title is None


def test_the_grantee_card_with_an_address_before_the_contact_person_card():
    """A heading over the organization and its <address>, then the contact heading over a
    person card: portrait, name, role, a list of a phone link and an e-mail link."""
    record = parse(
        "<p>Dauer: 2022 – 2024</p>"
        "<h2>Träger des Vorhabens</h2><p>Gartenfreunde Süd e.V.</p>"
        "<address>Lindenstraße 4<br>34117 Kassel</address>"
        "<h2>Ansprechperson</h2><img src='p.jpg' alt='Bild von Martin Vogel'>"
        "<p>Martin Vogel</p><p>Koordinator</p>"
        '<ul><li><a href="tel:+495611234567">0561 123 45 67</a></li>'
        '<li><a href="mailto:vogel@gartenfreunde-sued.de">vogel@gartenfreunde-sued.de</a></li></ul>'
    )
    c = record.contact
    assert c is not None
    assert (c.organization, c.street, c.postal_code, c.city) == (
        "Gartenfreunde Süd e.V.",
        "Lindenstraße 4",
        "34117",
        "Kassel",
    )
    assert (c.persons, c.phones, c.emails) == (
        ["Martin Vogel"],
        ["+495611234567"],
        ["vogel@gartenfreunde-sued.de"],
    )
    assert c.unit is None


def test_more_label_variants_for_grants_target_groups_services_and_contact():
    record = parse(
        "<p>Laufzeit: 2022 – 2024</p><dl><dt>Bewilligt</dt><dd>45.000 €</dd>"
        "<dt>Who it's for</dt><dd>Carers</dd></dl>"
        "<h3>Geplante Maßnahmen</h3><ul><li>Pflanztage</li><li>Saatgutbörse</li></ul>"
    )
    assert record.grant_amount is not None and record.grant_amount.value == 45_000
    assert record.target_groups == ["Carers"]
    assert record.services == ["Pflanztage", "Saatgutbörse"]
    record = parse(
        "<p>Duration: 2022 – 2024</p><h2>Get in touch</h2><p>Martin Vogel</p>"
        "<p>Phone: 0561 123 45 67</p>"
    )
    assert record.contact is not None and record.contact.persons == ["Martin Vogel"]


def test_a_question_box_after_the_contact_is_not_part_of_it():
    record = parse(
        "<p>Dauer: 2022 – 2024</p><h2>Kontakt</h2><p>Martin Vogel</p>"
        '<p><a href="mailto:vogel@gartenfreunde-sued.de">vogel@gartenfreunde-sued.de</a></p>'
        "<p>Wollen Sie auch einen Antrag stellen?</p>"
        "<p>Fragen Sie uns: foerderung@beispiel-stiftung.de</p>"
    )
    assert record.contact is not None
    assert record.contact.emails == ["vogel@gartenfreunde-sued.de"]


def test_related_cards_under_a_heading_with_words_after_the_label_badges_and_teasers():
    """Every card is read: a heading that starts with a related label ("Weitere Projekte aus
    der Region"), cards whose teaser is a long sentence, a card's own badge outside its link;
    news after them never."""
    record = parse(
        "<p>Dauer: 2022 – 2024</p>"
        "<h2>Weitere Projekte aus der Region</h2>"
        '<div><a href="/vorhaben/a/"><div>Obstwiese Nord</div><div>Eine alte Streuobstwiese '
        "wird von Schulklassen gepflegt und beerntet, jedes Jahr im Herbst.</div></a>"
        "<span>Abgeschlossen</span></div>"
        '<div><a href="/vorhaben/b/"><div>Bienenhaus</div><div>Imkern lernen auf dem Dach '
        "eines Gemeindezentrums, mit einer Imkerin aus dem Viertel.</div></a></div>"
        '<h2>Aktuelles</h2><p><a href="/presse/1/">Neue Förderrunde</a></p>'
    )
    assert record.related == [
        "https://www.beispiel-stiftung.de/vorhaben/a",
        "https://www.beispiel-stiftung.de/vorhaben/b",
    ]


def test_a_department_over_the_address_a_name_beyond_german_letters_at_forms_and_a_domain():
    record = parse(
        "<p>Dauer: 2022 – 2024</p><h2>Die Projektgruppe</h2><p>Gartenwerk gGmbH</p>"
        "<p>Abteilung Stadtgrün</p><address>Am Hang 2<br>34119 Kassel</address>"
        '<p><a href="https://gartenwerk.kassel/">gartenwerk.kassel</a></p>'
        "<h2>Kontakt</h2><p>Zeynep Kılıç</p><p>Agnieszka Wróbel</p>"
        "<ul><li>z.kilic [at] gartenwerk.kassel</li></ul>"
    )
    c = record.contact
    assert c is not None
    assert (c.organization, c.unit, c.street) == (
        "Gartenwerk gGmbH",
        "Abteilung Stadtgrün",
        "Am Hang 2",
    )
    assert c.persons == ["Zeynep Kılıç", "Agnieszka Wróbel"]
    assert c.emails == ["z.kilic@gartenwerk.kassel"]
    assert c.website == "gartenwerk.kassel"


def test_badges_the_pages_own_css_hides_are_not_read():
    style = (
        "<style>/* badges */ .tag { padding: 2px } .aus, .nie {display:none}"
        "@media (max-width: 40em) { .breit { display: none } }</style>"
    )
    body = (
        '<div class="kopf"><span class="tag aus">Laufend</span>'
        '<span class="tag">Beendet</span></div>'
        "<p>Dauer: 2019 – 2021</p>"
        '<p class="breit">Ein Garten für das Viertel, von Nachbarn gepflegt.</p>'
        '<p style="color: red; display : none">Geheime Zeile</p>'
        '<p style="visibility:hidden">Unsichtbar</p>'
    )
    html = f"<html><head>{style}</head><body><h1>Gartenwerk Süd</h1>{body}</body></html>"
    record = parse_page(html.replace("<h1>", '<div class="kopf2"></div><h1>'), URL, PROFILE).record
    assert record is not None and (record.status, record.status_raw) == ("completed", "Beendet")
    text = " ".join(s.text for s in record.sections)
    assert "Nachbarn gepflegt" in text  # hidden on small screens only
    assert "Geheime" not in text and "Unsichtbar" not in text


def test_badges_of_different_statuses_side_by_side_name_no_status():
    """Every badge published, the one shown chosen by a style sheet the page links to: the
    parser cannot tell which one a reader sees, so it takes none."""
    html = (
        '<html><body><div class="b">Laufend</div><div class="b x">Beendet</div>'
        "<h1>Gartenwerk Süd</h1><p>Dauer: 2019 – 2021</p></body></html>"
    )
    result = parse_page(html, URL, PROFILE)
    assert result.record is not None
    assert (result.record.status, result.record.status_raw) == ("unknown", None)
    assert any("side by side" in w for w in result.warnings)


def test_a_job_ad_with_a_contact_card_and_a_labelled_deadline_is_no_project_page():
    """A person, a role, a phone, an e-mail and "Einsendeschluss: 01.03.2026" under a contact
    heading: the dated line is neither a street nor an organization, so nothing says project."""
    html = (
        "<html><body><main><h1>Sachbearbeitung Buchhaltung (w/m/d)</h1>"
        "<p>Ab sofort suchen wir Unterstützung für unsere Verwaltung in Teilzeit.</p>"
        "<h2>Ihr Ansprechpartner</h2><p>Jens Martens</p><p>Geschäftsführer</p>"
        "<p>Tel. 0561 98 76 54</p><p>personal@beispiel-stiftung.de</p>"
        "<p>Einsendeschluss: 01.03.2026</p></main></body></html>"
    )
    result = parse_page(html, URL, PROFILE)
    assert result.kind == "not_project", result.record


def test_the_line_between_the_h1_and_the_lede_is_the_subtitle():
    record = parse(
        "<p>Beete statt Brachen</p>"
        "<p>Nachbarn legen auf drei Brachflächen im Süden der Stadt Gemüsebeete an.</p>"
        "<p>Dauer: 2022 – 2024</p>"
    )
    assert record.short_title == "Beete statt Brachen"


def test_only_a_pages_first_sidebars_are_looked_into():
    """Each sidebar's text is read once to look for a label; beyond the first few a sidebar is
    chrome, so sidebars nested in sidebars never make the walk quadratic."""
    from pipeline.extract.lines import MAX_SOFT_CHROME, read_document
    from pipeline.extract.vocabulary import lexicon_for

    side = '<div class="sidebar"><p>Laufzeit</p><p>2020 – 2022</p>'
    depth = MAX_SOFT_CHROME + 3
    html = f"<html><body><h1>Gartenwerk Süd</h1>{side * depth}{'</div>' * depth}</body></html>"
    lines = read_document(html, lexicon_for(PROFILE)).lines
    assert sum(line.text == "Laufzeit" for line in lines) == MAX_SOFT_CHROME


# The content root: the first <main> or role=main element in document order that holds an
# <h1>, else a single <article> holding it, else the body. Text outside the root ("Außen") is
# read only when the root is the body.
@pytest.mark.parametrize(
    ("html", "read"),
    [
        ("<main><h1>T</h1><p>Innen</p></main><div>Außen</div>", ["T", "Innen"]),
        ('<div role="main"><h1>T</h1><p>Innen</p></div><p>Außen</p>', ["T", "Innen"]),
        # role=main around a <main>: the outer one, first in document order
        ('<div role="main"><p>Vor</p><main><h1>T</h1></main></div><p>Außen</p>', ["Vor", "T"]),
        # a <main> without the heading is no root; the role=main that holds it is
        ('<main><p>Menü</p></main><div role="main"><h1>T</h1></div><p>Außen</p>', ["T"]),
        # two headings: the root holds the first one that has a main around it
        ("<h1>Kopf</h1><main><p>Innen</p><h1>T</h1></main><p>Außen</p>", ["Innen", "T"]),
        # the body named the main landmark holds everything
        (
            '<body role="main"><h1>T</h1><p>Innen</p><div>Außen</div></body>',
            ["T", "Innen", "Außen"],
        ),
        ("<article><h1>T</h1><p>Innen</p></article><p>Außen</p>", ["T", "Innen"]),
        # two articles: the body
        ("<article><h1>T</h1></article><article><p>Zwei</p></article>", ["T", "Zwei"]),
        # an h1 named role=main is a heading, not the root
        ('<p>Vor</p><h1 role="main">T</h1><p>Nach</p>', ["Vor", "T", "Nach"]),
    ],
)
def test_the_content_root_is_the_main_landmark_holding_the_heading(html, read):
    from pipeline.extract.lines import read_document
    from pipeline.extract.vocabulary import lexicon_for

    page = html if html.startswith("<body") else f"<body>{html}</body>"
    lines = read_document(f"<html>{page}</html>", lexicon_for(PROFILE)).lines
    assert [line.text for line in lines] == read


# -- round 5: a post's topic term links beside its title ------------------------------------


def _post(meta_before: str, meta_after: str = "") -> str:
    return (
        "<html><body><main><article>"
        f"{meta_before}<header><h1>Sommerlager am See</h1>{meta_after}</header>"
        "<p>Jugendliche aus drei Gemeinden verbringen zwei Wochen am Ufer.</p>"
        "<ul><li>Laufzeit: 2023 – 2025</li></ul>"
        "<h2>Mehr Projekte</h2><p><a href='/blog/?rubrik=Natur'>Natur</a></p>"
        "<p><a href='/blog/waldtage/'>Waldtage</a></p>"
        "</article></main></body></html>"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "<div class='entry-meta'><a href='/blog/?rubrik=Jugend'>Jugend</a>"
            "<a href='/blog/?rubrik=Sport'>Sport</a><span>3. März 2024</span></div>",
            "",
        ),
        (
            "",
            "<p>3. März 2024 · 4 Min. · Kreis Nord · Schwerpunkte: "
            "<a href='/blog/schwerpunkte/jugend/'>Jugend</a>, "
            "<a href='/blog/schwerpunkte/sport/'>Sport</a></p>",
        ),
    ],
)
def test_a_posts_term_links_beside_its_title_are_its_topics_never_its_short_title(before, after):
    result = parse_page(
        _post(before, after), "https://www.beispiel-stiftung.de/blog/sommerlager/", PROFILE
    )
    assert result.record is not None, result.warnings
    assert result.record.focus_areas == ["Jugend", "Sport"]
    assert result.record.short_title is None


def test_related_cards_with_topics_and_excerpts_without_the_listing_link():
    cards = "".join(
        f"<div class='item'><div class='tags'><a href='/vorhaben/?thema={t}'>{t}</a></div>"
        f"<div class='item-title'><a href='/vorhaben/{slug}/'>{name}</a></div>"
        f"<div class='item-text'>{name} bringt das Viertel zusammen, jede Woche neu.</div>"
        "</div>"
        for t, slug, name in (
            ("Sport", "bolzplatz", "Bolzplatz Nord"),
            ("Kunst", "atelier", "Atelier 5"),
        )
    )
    record = parse(
        "<dl><dt>Laufzeit</dt><dd>2024 – 2026</dd></dl>"
        f"<h3>Weitere Vorhaben</h3><p><a href='/vorhaben/'>Alle Vorhaben</a></p>{cards}"
    )
    assert record.related == [
        "https://www.beispiel-stiftung.de/vorhaben/bolzplatz",
        "https://www.beispiel-stiftung.de/vorhaben/atelier",
    ]


def test_an_accordions_titles_in_heading_buttons_are_the_facts_labels():
    def item(title: str, panel: str) -> str:
        return (
            f"<h3 class='acc'><button type='button' aria-expanded='false'>{title}"
            f"<span class='icon'></span></button></h3><div role='region'>{panel}</div>"
        )

    record = parse(
        item("Projektlaufzeit", "<p>03/2023 – 02/2025</p>")
        + item("Zugesagter Beitrag", "<p>12.500 €</p>")
        + item(
            "Unterstützt von",
            "<ul><li>Landkreis Gifhorn</li><li>Bürgerstiftung Wolfsburg</li></ul>",
        )
        + "<form><button>Suchen</button></form>"
    )
    assert (str(record.period.start), str(record.period.end)) == ("2023-03-01", "2025-02-28")
    assert record.grant_amount is not None and record.grant_amount.value == 12500
    assert record.funders == ["Landkreis Gifhorn", "Bürgerstiftung Wolfsburg"]
    assert "Suchen" not in " ".join(s.text for s in record.sections)


def test_a_fact_list_with_one_item_per_fact_ends_each_value_at_the_next_label():
    def item(title: str, body: str) -> str:
        return f"<li class='fact'><h5>{title}</h5><div>{body}</div></li>"

    record = parse(
        "<ul class='facts'>"
        + item("Zeitraum", "<p>2022 – 2024</p>")
        + item("Kooperationspartner", "<ul><li>Stadtbibliothek Gera</li></ul>")
        + item("Für wen", "<ul><li>Grundschulkinder</li><li>Eltern</li></ul>")
        + item(
            "Durchgeführt von",
            "<p>Lesewelt Gera e.V.</p><p>Burgstraße 2</p><p>07545 Gera</p>"
            "<p>Leitung: Mia Sommer</p><p>0365 123 45 67</p>",
        )
        + "</ul>"
    )
    assert record.partners == ["Stadtbibliothek Gera"]
    assert record.target_groups == ["Grundschulkinder", "Eltern"]
    assert record.contact is not None
    assert (record.contact.organization, record.contact.city) == ("Lesewelt Gera e.V.", "Gera")
    assert record.contact.persons == ["Mia Sommer"]


@pytest.mark.parametrize(
    ("sub", "sections", "short"),
    [
        ("h4", "h2", "Gärtnern ohne Zaun"),  # a deeper heading over the lede, sections h2
        ("h2", "h3", "Gärtnern ohne Zaun"),  # the next level, sections one deeper
        ("h2", "h2", None),  # a section heading: its siblings share its level
    ],
)
def test_a_heading_under_the_h1_ranked_apart_from_the_sections_is_the_subtitle(
    sub, sections, short
):
    record = parse(
        f"<{sub}>Gärtnern ohne Zaun</{sub}><p>Zwölf Beete stehen allen offen, die mitmachen.</p>"
        f"<{sections}>Wie es begann</{sections}><p>Eine Brache wurde zum Garten.</p>"
        f"<{sections}>Eckdaten</{sections}><p>Laufzeit: 2021 – 2023</p>"
    )
    assert record.short_title == short


def test_related_cards_with_a_date_and_a_read_more_link_keep_the_page_a_project_page():
    cards = "".join(
        f"<article><h4><a href='/vorhaben/{slug}/'>{name}</a></h4><time>{day}</time>"
        f"<p>{name} lädt jeden Monat zum offenen Treffen ein …</p>"
        f"<p><a href='/vorhaben/{slug}/'>mehr</a></p></article>"
        for slug, name, day in (
            ("chor", "Chor der Nachbarn", "04.05.2021"),
            ("repair", "Repair-Treff", "11.06.2022"),
            ("lesen", "Lesepaten", "02.02.2023"),
        )
    )
    html = (
        "<html><body><h1>Gartenwerk Süd</h1><p>Laufzeit: 2021 – 2023</p>"
        f"<h3>Ähnliche Vorhaben</h3>{cards}</body></html>"
    )
    result = parse_page(html, URL, PROFILE)
    assert result.kind == "project", result.warnings
    assert result.record is not None
    assert [u.rsplit("/", 1)[-1] for u in result.record.related] == ["chor", "repair", "lesen"]


def test_the_subtitle_after_a_post_info_list_under_the_h1():
    html = (
        "<html><body><main><h1>Bienen im Hof</h1><ul class='post-meta'><li>5. Mai 2022</li>"
        "<li>Rubrik: <a href='/blog/rubrik/umwelt/'>Umwelt</a></li></ul>"
        "<h2>Ein Schulhof summt</h2><p>Drei Völker leben seit dem Frühjahr auf dem Dach.</p>"
        "<h3>Was geschah</h3><p>Die Klassen bauten die Kästen selbst.</p>"
        "<p>Laufzeit: 2022 – 2023</p></main></body></html>"
    )
    result = parse_page(html, "https://www.beispiel-stiftung.de/blog/bienen/", PROFILE)
    assert result.record is not None, result.warnings
    assert (result.record.short_title, result.record.focus_areas) == (
        "Ein Schulhof summt",
        ["Umwelt"],
    )


@pytest.mark.parametrize(
    "meta",
    [
        # the author's name as a heading, linked to the author's page, then the date and more
        "<h5><a href='/journal/autorin/eva-klein'>Eva Klein</a></h5><p>12 March 2019 | 4 min</p>",
        # one line: the author, linked, and the document's record
        "<p class='meta'>Text: <a href='/authors/ek/'>ek</a> · geändert am 3.4.2019</p>",
    ],
)
def test_a_posts_byline_in_its_header_is_no_short_title(meta):
    html = (
        f"<html><body><main><header><h1>Bienen im Hof</h1>{meta}</header>"
        "<p>Drei Völker leben seit dem Frühjahr auf dem Dach.</p>"
        "<p>Laufzeit: 2022 – 2023</p></main></body></html>"
    )
    result = parse_page(html, "https://www.beispiel-stiftung.de/vorhaben/bienen/", PROFILE)
    assert result.record is not None, result.warnings
    assert result.record.short_title is None


def test_related_cards_in_an_aside_after_main_with_titles_ranked_above_its_heading():
    cards = "".join(
        f"<div class='card'><a href='/vorhaben/{slug}/'><img src='{slug}.jpg' alt=''>"
        f"<span class='kicker'>Natur</span><h3>{name}</h3><p>Ein Satz über das Vorhaben.</p>"
        f"</a><footer>{day}</footer></div>"
        for slug, name, day in (
            ("teich", "Teichpaten", "3. Mai 2019"),
            ("obst", "Obstwiese", "9. Juni 2020"),
        )
    )
    html = (
        "<html><body><main><h1>Gartenwerk Süd</h1><p>Laufzeit: 2021 – 2023</p></main>"
        f"<aside class='more'><h4>Mehr Projekte aus der Nachbarschaft</h4>{cards}</aside>"
        "</body></html>"
    )
    result = parse_page(html, URL, PROFILE)
    assert result.record is not None, result.warnings
    assert [u.rsplit("/", 1)[-1] for u in result.record.related] == ["teich", "obst"]


def test_a_closed_notice_as_a_status_message_over_the_title_closes_the_project():
    html = (
        "<html><body><main><div class='messages' role='status'><p>Hinweis</p>"
        "<p>Dieses Vorhaben ist abgeschlossen.</p></div><h1>Gartenwerk Süd</h1>"
        "<p>Laufzeit: 2019 – 2021</p></main></body></html>"
    )
    result = parse_page(html, URL, PROFILE)
    assert result.record is not None, result.warnings
    assert (result.record.closed_notice, result.record.status) == (True, "completed")


def test_a_fact_list_of_label_and_value_spans_without_colons_is_read():
    items = "".join(
        f"<li><i class='ico'></i><span>{label}</span> <span>{value}</span></li>"
        for label, value in (
            ("Laufzeit", "2021 – 2023"),
            ("Finanziert durch", "Kulturstiftung Nord und Land Hessen"),
            ("Förderbetrag", "12.500 €"),
            ("Partner", "Nachbarschaftshaus Süd"),
        )
    )
    record = parse(f"<p>Ein Garten für das Viertel.</p><div class='facts'><ul>{items}</ul></div>")
    assert (record.funders, record.grant_amount.value, record.partners) == (
        ["Kulturstiftung Nord", "Land Hessen"],
        12500,
        ["Nachbarschaftshaus Süd"],
    )


def test_a_list_of_running_items_starting_with_a_label_word_is_no_fact_list():
    record = parse(
        "<p>Laufzeit: 2021 – 2023</p><h2>Angebote</h2><ul><li>Partner finden im Viertel</li>"
        "<li>Beete anlegen</li><li>Ernte teilen</li></ul>"
    )
    assert record.partners == [] and record.services[:1] == ["Partner finden im Viertel"]
