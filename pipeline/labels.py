"""What a reader sees: the label vocabularies the parser anchors on, German and English.

Everything the extractor matches on page text lives here as named data. To teach the parser a
new wording, add it to the right tuple; matching is case-insensitive and ignores a trailing colon.
"""

from __future__ import annotations

import re

# Labels of single facts, by record field. A label matches at the start of a line, followed by a
# colon, by the end of the line (the value follows on the next line, in a ``<dd>``, a table cell
# ...), or, for labels in INLINE_LABELS, by the value itself.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "status": ("Status", "Projektstatus", "Stand", "Project status"),
    "period": (
        "Zeitraum",
        "Laufzeit",
        "Projektlaufzeit",
        "Projektzeitraum",
        "Förderzeitraum",
        "Förderlaufzeit",
        "Förderdauer",
        "Projektdauer",
        "Dauer",
        "Period",
        "Project period",
        "Duration",
        "Term",
        "Funding period",
    ),
    "funders": (
        "Finanziert durch",
        "Finanziert von",
        "Gefördert durch",
        "Gefördert von",
        "Förderung durch",
        "Förderung",
        "Fördermittelgeber",
        "Fördermittelgeberin",
        "Fördermittelgeber*innen",
        "Fördermittelgeber:innen",
        "Förderer",
        "Zuwendungsgeber",
        "Geldgeber",
        "Funded by",
        "Financed by",
        "Supported by",
        "Funding",
        "Funders",
    ),
    "persons": (
        "Ansprechperson",
        "Ansprechpersonen",
        "Ansprechpartner/in",
        "Ansprechpartner/innen",
        "Ansprechpartner:in",
        "Ansprechpartner*in",
        "Ansprechpartnerin",
        "Ansprechpartnerinnen",
        "Ansprechpartner",
        "Kontaktperson",
        "Contact person",
        "Contact persons",
        "Contact",
    ),
    "phones": (
        "Telefon",
        "Tel.",
        "Tel",
        "Fon",
        "Mobil",
        "Mobiltelefon",
        "Handy",
        "Phone",
        "Telephone",
        "Mobile",
    ),
    "fax": ("Fax", "Telefax"),
    "emails": ("E-Mail", "E-mail", "Email", "eMail", "Mail"),
    "website": ("Website", "Webseite", "Internetseite", "Internet", "Homepage", "Web"),
    "address": ("Anschrift", "Adresse", "Postanschrift", "Address"),
    "focus_areas": (
        "Schwerpunkte",
        "Arbeitsschwerpunkte",
        "Themenschwerpunkte",
        "Handlungsfelder",
        "Themen",
        "Focus areas",
        "Focus",
        "Key areas",
        "Priorities",
    ),
    "services": (
        "Leistungen",
        "Leistungen und Methoden",
        "Angebote",
        "Unsere Angebote",
        "Angebote und Methoden",
        "Methoden",
        "Services",
        "Services and methods",
        "Methods",
        "Offers",
    ),
    "related": ("Verwandte Projekte", "Ähnliche Projekte", "Weitere Projekte", "Related projects"),
}

# Labels whose value may follow without a colon on the same line ("Zeitraum 01.02.2014 bis ...").
# Such a line only counts when its value parses for the field (a period, a status word) or, for
# funders, when the line is short and is not a sentence.
INLINE_LABELS: frozenset[str] = frozenset(
    {
        "Zeitraum",
        "Laufzeit",
        "Projektlaufzeit",
        "Projektzeitraum",
        "Förderzeitraum",
        "Period",
        "Project period",
        "Duration",
        "Status",
        "Finanziert durch",
        "Gefördert durch",
        "Gefördert von",
        "Finanziert von",
        "Funded by",
        "Financed by",
        "Supported by",
    }
)

# Fields that belong to the contact block; outside it (the site footer) they are ignored.
CONTACT_FIELDS: frozenset[str] = frozenset(
    {"persons", "phones", "fax", "emails", "website", "address"}
)

# Status words, as the page says them, to the record's status.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "completed": (
        "abgeschlossen",
        "beendet",
        "ausgelaufen",
        "eingestellt",
        "completed",
        "closed",
        "finished",
        "ended",
        "expired",
    ),
    "active": (
        "laufend",
        "aktiv",
        "aktuell",
        "läuft",
        "in Durchführung",
        "in Umsetzung",
        "fortlaufend",
        "ongoing",
        "active",
        "running",
        "current",
        "in progress",
    ),
    "planned": (
        "in Planung",
        "geplant",
        "in Vorbereitung",
        "planned",
        "in preparation",
        "upcoming",
        "in planning",
    ),
}

# Headings that open a project's own contact block.
CONTACT_HEADINGS = re.compile(
    r"^(?:kontakt|contact|ansprechpartner|ansprechperson|so erreichen sie uns|anfahrt)\b",
    re.IGNORECASE,
)
# Sub-headings inside a contact block, and whether the lines under them are skipped.
CONTACT_SUBHEADINGS = re.compile(
    r"^(?:öffnungszeiten|sprechzeiten|bürozeiten|verkehrsverbindung(?:en)?|anfahrt|anreise|"
    r"opening hours|office hours|public transport|getting here|directions)\s*:?",
    re.IGNORECASE,
)
# The line that closes a contact block.
CONTACT_END = re.compile(r"^(?:fahrinfo\b|journey planner|travel information)", re.IGNORECASE)
# "Standort Berlin-Mitte": a location line of the contact block.
LOCATION_LINE = re.compile(r"^(?:Standort|Standorte|Location|Site)\s+\S", re.IGNORECASE)
# "Geschäftsbereich Lebenslagen, ...": a unit line naming the division.
DIVISION_UNIT = re.compile(r"^(?:Geschäftsbereich|Business unit|Division)\s+(?P<name>.+)$", re.I)
# "Alle Projekte aus dem Geschäftsbereich X": the link to the division's projects.
DIVISION_LINK = re.compile(
    r"^(?:Alle|Weitere)\s+Projekte\s+(?:aus\s+dem|des)\s+Geschäftsbereich(?:s|es)?\s+(?P<name>.+)$"
    r"|^All\s+projects\s+(?:of|from|in)\s+the\s+(?:business\s+unit|division)\s+(?P<en>.+)$",
    re.IGNORECASE,
)
# The closed notice.
CLOSED_NOTICE = re.compile(
    r"^(?:Das|Dieses)\s+Projekt\s+(?:ist|wurde)\s+(?:bereits\s+)?(?:abgeschlossen|beendet)\b"
    r"|^This\s+project\s+(?:is|has\s+been|was)\s+(?:completed|closed|finished|ended)\b",
    re.IGNORECASE,
)
# "Link zum Land Brandenburg" / "Link to the State of Berlin": a funder's logo link.
_LINK_TO = r"Link\s+(?:zum|zur|zu|to(?:\s+the)?)"
LOGO_LINK = re.compile(rf"^{_LINK_TO}\s+(?P<name>.+)$", re.IGNORECASE)
# A funder's name behind a link or logo wording ("Logo der Stadt Cottbus").
FUNDER_LINK = re.compile(rf"^(?:{_LINK_TO}|Logo(?:\s+de[rs])?:?)\s+(?P<name>.+)$", re.IGNORECASE)
LOGO_AFFIX = re.compile(r"^(?:Logo|Signet)\s*[:\-–]?\s+|\s+[-–]?\s*(?:Logo|Signet)$", re.IGNORECASE)
# A postal code and city line: "10247 Berlin", "03130 Spremberg", "D-14482 Potsdam-Babelsberg".
POSTAL_LINE = re.compile(r"^(?:D\s?-\s?)?(?P<code>\d{5})\s+(?P<city>\D.*)$")
# A street line: words then a house number ("Frankfurter Allee 35 – 37, Aufgang C").
STREET_LINE = re.compile(r"^\D+\s\d+\s?[a-zA-Z]?\b.*$")

# Lines that are site chrome wherever they stand in the content.
CHROME_LINES = re.compile(
    r"^(?:zum inhalt springen|jump to content|skip to (?:main )?content|zurück zur übersicht|"
    r"zurück|back to (?:the )?overview|back|nach oben|to top|drucken|print|seite drucken|"
    r"teilen|share|mehr|more|weiterlesen|read more)\s*$",
    re.IGNORECASE,
)
# Chrome lines, the closed notice and the division link in one pattern (one match per line):
# lines that stand for themselves, never a label's value.
MARKER_LINES = re.compile(
    f"(?P<chrome>{CHROME_LINES.pattern})|(?P<closed>{CLOSED_NOTICE.pattern})"
    f"|(?P<division>{DIVISION_LINK.pattern})",
    re.IGNORECASE,
)
# Teaser links on listings: many of these mean the page is a listing, not a project.
TEASER_LINK = re.compile(
    r"^(?:mehr|more|weiterlesen|read more|details|zum projekt)\s*(?:»|›|>)?$", re.IGNORECASE
)

# Class or id tokens of elements that are never content (skipped when flattening).
CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie\w*|consent|gdpr|breadcrumbs?|navbar|navigation|mainnav|subnav|"
    r"menu|footer|site-footer|sidebar|newsticker|news-?teaser|social|share|skip-?links?|"
    r"modal|popup)(?:$|[\s_-])",
    re.IGNORECASE,
)
